"""Every read of goals a view, an API or a task needs, with visibility applied."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from goals.models import (
    ActionPlan,
    IntegrationClient,
    KeyResult,
    Kpi,
    KpiReference,
    Measurement,
    Objective,
    Period,
    SmartCriterionSetting,
    StrategicTheme,
)
from goals.rules import ALIGN_TO
from org.models import Employee, OrgUnit, Role, User
from org.selectors import (
    descendants_sql,
    employee_nearest_active_manager,
    employee_of,
    employees_managed_by_sql,
    employees_with_active_manager_sql,
    tree_ancestor_ids,
    user_roles,
)

READ_ALL_ROLES = {Role.HR, Role.EXECUTIVE, Role.ADMIN}


def user_reads_all_goals(user: User) -> bool:
    return bool(user_roles(user) & READ_ALL_ROLES)


# --- periods -------------------------------------------------------------------------


def period_list(*, kind: str | None = None) -> QuerySet[Period]:
    """Periods in calendar order: a year, then its first half, first quarter and that quarter's
    months, then the second quarter … (by start date, the longest period first)."""
    qs = Period.objects.select_related("parent").order_by("start", "-end", "pk")
    return qs.filter(kind=kind) if kind else qs


def period_current(*, kind: str = Period.Kind.YEAR, today: date | None = None) -> Period | None:
    today = today or date.today()  # noqa: DTZ011 (a calendar date in the server's zone is meant)
    return Period.objects.filter(kind=kind, start__lte=today, end__gte=today).first()


# --- objectives ----------------------------------------------------------------------


def _objective_base() -> QuerySet[Objective]:
    return Objective.objects.select_related(
        "period", "owner_employee__user", "owner_unit", "parent", "theme", "created_by"
    ).prefetch_related(
        Prefetch("key_results", queryset=KeyResult.objects.select_related("kpi").prefetch_related("milestones"))
    )


def objective_list_visible_to(*, actor: User, period: Period | None = None) -> QuerySet[Objective]:
    """Company and unit objectives are open to everyone (the cascade is shared); personal
    objectives to their owner, the managers above them, HR, executives and admins."""
    qs = _objective_base()
    if period is not None:
        qs = qs.filter(period=period)
    if user_reads_all_goals(actor):
        return qs
    me = employee_of(actor)
    shared = Q(level__in=[Objective.Level.COMPANY, Objective.Level.UNIT])
    if me is None:
        return qs.filter(shared)
    return qs.filter(
        shared | Q(owner_employee=me) | Q(owner_employee_id__in=descendants_sql(Employee, "manager", me.pk))
    )


def objective_list_for_owner(*, employee: Employee, period: Period | None = None) -> QuerySet[Objective]:
    qs = _objective_base().filter(owner_employee=employee)
    return qs.filter(period=period) if period else qs


def objective_approver(*, objective: Objective) -> Employee | None:
    """The one person an objective goes to for approval: the owner's own manager for a personal
    objective, the author's for a unit objective — or, while that post is held by someone
    inactive, the next active manager up. None for company objectives and when nobody is above:
    then executives act (company and unit objectives) or HR and admins (personal ones)."""
    if objective.level == Objective.Level.PERSON and objective.owner_employee_id:
        return employee_nearest_active_manager(employee=objective.owner_employee)
    if objective.level == Objective.Level.UNIT:
        author = employee_of(objective.created_by)
        return employee_nearest_active_manager(employee=author) if author is not None else None
    return None


def objective_approver_fallback_roles(*, objective: Objective) -> frozenset[str]:
    """Who acts when an objective has no approver (objective_approver is None)."""
    if objective.level == Objective.Level.PERSON:
        return frozenset({Role.HR, Role.ADMIN})
    return frozenset({Role.EXECUTIVE})


def objective_approver_users(*, objective: Objective) -> list[User]:
    """Who is told that an objective waits for approval: its approver, else the fallback role's people."""
    approver = objective_approver(objective=objective)
    if approver is not None:
        return [approver.user]
    fallback = objective_approver_fallback_roles(objective=objective)
    role_filter = Q(is_hr=True) if Role.HR in fallback else Q(is_executive=True)
    users = User.objects.filter(role_filter, is_active=True).order_by("pk")
    if objective.owner_employee_id:
        users = users.exclude(pk=objective.owner_employee.user_id)
    return list(users)


def objective_list_awaiting(*, actor: User) -> QuerySet[Objective]:
    """Submitted objectives waiting for this person: the ones objective_approver routes to
    them, plus — for the fallback roles — those that have nobody to go to. Never their own."""
    me = employee_of(actor)
    roles = user_roles(actor)
    conditions = Q(pk__in=[])
    if me is not None and me.is_active:
        routed = employees_managed_by_sql(me.pk)
        conditions |= Q(level=Objective.Level.PERSON, owner_employee_id__in=routed)
        conditions |= Q(level=Objective.Level.UNIT, created_by__employee__in=Employee.objects.filter(pk__in=routed))
    covered = Employee.objects.filter(pk__in=employees_with_active_manager_sql())
    if Role.EXECUTIVE in roles:
        conditions |= Q(level=Objective.Level.COMPANY)
        conditions |= Q(level=Objective.Level.UNIT) & ~Q(created_by_id__in=covered.values("user_id"))
    if roles & {Role.HR, Role.ADMIN}:
        conditions |= Q(level=Objective.Level.PERSON) & ~Q(owner_employee_id__in=covered.values("pk"))
    qs = _objective_base().select_related("owner_employee__unit").filter(conditions, status=Objective.Status.SUBMITTED)
    return qs.exclude(owner_employee=me) if me is not None else qs


def objective_parent_choices(*, period: Period, level: str) -> QuerySet[Objective]:
    """Objectives one may align to: live ones of the same period, one level up or more."""
    return (
        Objective.objects.filter(period__in=period_family(period), level__in=ALIGN_TO[level])
        .exclude(status__in=[Objective.Status.CANCELLED])
        .select_related("owner_unit", "owner_employee__user")
        .order_by("level", "title")
    )


def period_family(period: Period) -> list[int]:
    """A period and the periods it sits in (a Q1 objective may align to a yearly one)."""
    return [period.pk, *tree_ancestor_ids(Period, "parent", period.pk)]


def theme_list(*, period: Period | None = None) -> QuerySet[StrategicTheme]:
    qs = StrategicTheme.objects.select_related("owner__user", "period")
    if period is not None:
        qs = qs.filter(period_id__in=period_family(period))
    return qs


def objective_weight_total(*, objective: Objective) -> list:
    """The counted objectives of the same owner and period (for the weight rule)."""
    qs = Objective.objects.filter(period_id=objective.period_id, track=Objective.Track.KPI).exclude(
        status=Objective.Status.CANCELLED
    )
    if objective.owner_employee_id:
        qs = qs.filter(owner_employee_id=objective.owner_employee_id, level=Objective.Level.PERSON)
    else:
        qs = qs.filter(owner_unit_id=objective.owner_unit_id, level=objective.level)
    return list(qs.values_list("pk", "weight"))


# --- key results and progress --------------------------------------------------------


def measurement_list(*, key_result: KeyResult, include_corrected: bool = True) -> QuerySet[Measurement]:
    qs = Measurement.objects.filter(key_result=key_result).select_related("entered_by", "source_client", "corrects")
    return qs if include_corrected else qs.filter(corrected_by__isnull=True)


def measurement_effective_latest(*, key_result_id: int) -> Measurement | None:
    """The value that counts now: the latest update by date that no later row corrected."""
    return (
        Measurement.objects.filter(key_result_id=key_result_id, corrected_by__isnull=True)
        .order_by("-as_of", "-pk")
        .first()
    )


def action_plan_list(*, objective: Objective) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(objective=objective).select_related("owner__user")


# --- library -------------------------------------------------------------------------


def kpi_list(*, current_only: bool = True) -> QuerySet[Kpi]:
    qs = Kpi.objects.all()
    return qs.current() if current_only else qs


def kpi_reference_for(*, kpi_code: str, grade_level: str) -> KpiReference | None:
    return KpiReference.objects.filter(kpi_code=kpi_code, grade_level=grade_level).first()


def smart_warn_only() -> frozenset[str]:
    return frozenset(SmartCriterionSetting.objects.filter(warn_only=True).values_list("criterion", flat=True))


def unit_manager_covers(*, manager: Employee, unit: OrgUnit) -> bool:
    """Does this manager lead the unit: their own unit is it or one above it, and they have reports."""
    unit_line = {unit.pk, *tree_ancestor_ids(OrgUnit, "parent", unit.pk)}
    return manager.unit_id in unit_line and Employee.objects.filter(manager=manager, is_active=True).exists()


# --- strategy and library pages (cascade, themes, KPI library, settings, integrations) ---


def theme_owner_choices() -> QuerySet[Employee]:
    """Who may own a strategic theme: active executives' employee records."""
    return Employee.objects.filter(user__is_executive=True, is_active=True).select_related("user")


def kpi_versions(*, code: str) -> QuerySet[Kpi]:
    """Every version of one KPI, newest first, each with how many key results use it."""
    return Kpi.objects.filter(code=code).annotate(key_result_count=Count("key_results")).order_by("-version")


def kpi_reference_list(*, kpi_code: str) -> QuerySet[KpiReference]:
    return KpiReference.objects.filter(kpi_code=kpi_code).order_by("grade_level")


def grade_levels_in_use() -> list[str]:
    """The grade levels to suggest for reference ranges: HR's grade list in its order (HR → Grade
    levels), or, while HR keeps none, the grade levels people hold now."""
    from org.models import GradeLevel

    listed = list(GradeLevel.objects.values_list("code", flat=True))  # in HR's order
    if listed:
        return listed
    rows = Employee.objects.filter(is_active=True).exclude(grade_level="").values_list("grade_level", flat=True)
    return sorted(set(rows))


def smart_setting_history() -> QuerySet:
    """Every change to HR's SMART settings, newest first, with who made it.

    A criterion's row is created on its first change with the default (blocks submission); that
    creation is not a change anyone made, so it is left out."""
    return (
        SmartCriterionSetting.history.exclude(history_type="+", warn_only=False)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def integration_client_list() -> QuerySet[IntegrationClient]:
    return IntegrationClient.objects.select_related("created_by").order_by("revoked_at", "name")


# --- lists across objectives, visibility applied (used by the API) -------------------


def key_result_list_visible_to(*, actor: User) -> QuerySet[KeyResult]:
    visible = objective_list_visible_to(actor=actor).values("pk")
    return (
        KeyResult.objects.filter(objective__in=visible)
        .select_related("objective", "kpi")
        .prefetch_related("milestones")
    )


def measurement_list_visible_to(*, actor: User) -> QuerySet[Measurement]:
    visible = objective_list_visible_to(actor=actor).values("pk")
    return Measurement.objects.filter(key_result__objective__in=visible).select_related(
        "key_result", "entered_by", "source_client", "corrects", "corrected_by"
    )


def action_plan_list_visible_to(*, actor: User) -> QuerySet[ActionPlan]:
    visible = objective_list_visible_to(actor=actor).values("pk")
    return ActionPlan.objects.filter(objective__in=visible).select_related("objective", "owner__user")


def key_results_by_id(*, ids: list[int]) -> dict[int, KeyResult]:
    """Key results with their objectives, by id (one query), e.g. for a batch of pushed values."""
    return KeyResult.objects.select_related("objective__period").in_bulk(ids)


# --- objective form, detail and approvals ---------------------------------------------


def objective_owner_employees(*, actor: User) -> QuerySet[Employee]:
    """People the actor may draft personal objectives for: themselves and, for managers, everyone below them."""
    me = employee_of(actor)
    if me is None:
        return Employee.objects.none()
    return (
        Employee.objects.filter(Q(pk=me.pk) | Q(pk__in=descendants_sql(Employee, "manager", me.pk)), is_active=True)
        .select_related("user", "unit")
        .order_by("user__full_name", "pk")
    )


def objective_owner_units(*, actor: User, level: str) -> QuerySet[OrgUnit]:
    """Units the actor may draft unit or company objectives for.

    Company: the top unit, for executives and admins. Unit: any unit below the top for HR and
    admins; a manager's own unit and the units below it (goals.access.can_create_objective).
    """
    roles = user_roles(actor)
    units = OrgUnit.objects.filter(is_active=True).order_by("name", "pk")
    if level == Objective.Level.COMPANY:
        return units.filter(parent__isnull=True) if roles & {Role.EXECUTIVE, Role.ADMIN} else units.none()
    if level != Objective.Level.UNIT:
        return units.none()
    if roles & {Role.HR, Role.ADMIN}:
        return units.filter(parent__isnull=False)
    me = employee_of(actor)
    if me is None or Role.MANAGER not in roles:
        return units.none()
    return units.filter(Q(pk=me.unit_id) | Q(pk__in=descendants_sql(OrgUnit, "parent", me.unit_id))).filter(
        parent__isnull=False
    )


def objective_ancestors(*, objective: Objective) -> list[Objective]:
    """The objectives this one is aligned under, top first (two queries whatever the depth)."""
    ids = tree_ancestor_ids(Objective, "parent", objective.pk)
    if not ids:
        return []
    by_id = Objective.objects.select_related("owner_unit", "owner_employee__user", "theme").in_bulk(ids)
    return [by_id[i] for i in reversed(ids) if i in by_id]


def objective_children_visible_to(*, actor: User, objective: Objective) -> QuerySet[Objective]:
    """The objectives aligned directly under this one that the actor may see."""
    return objective_list_visible_to(actor=actor).filter(parent=objective).order_by("level", "title", "pk")


def objective_history(*, objective: Objective) -> QuerySet:
    """Every recorded version of the objective, oldest first, with who made it."""
    return objective.history.select_related("history_user").order_by("history_date", "history_id")


def key_result_history(*, objective: Objective) -> QuerySet:
    """Every recorded version of the objective's key results (removed ones too), oldest first."""
    return (
        KeyResult.history.filter(objective_id=objective.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )


def kpi_reference_map(*, codes: set[str], grades: set[str]) -> dict[tuple[str, str], KpiReference]:
    """HR's reference ranges for these KPIs and grade levels, by (code, grade), in one query."""
    if not codes or not grades:
        return {}
    rows = KpiReference.objects.filter(kpi_code__in=codes, grade_level__in=grades)
    return {(r.kpi_code, r.grade_level): r for r in rows}


def kpi_best_by_owner_and_period_end(*, codes: set[str], owner_ids: set[int]) -> list[tuple[int, str, date, object]]:
    """The best effective value per owner, KPI and period end, for the SMART history check, in one query."""
    if not codes or not owner_ids:
        return []
    rows = (
        Measurement.objects.filter(
            key_result__kpi__code__in=codes,
            key_result__objective__owner_employee_id__in=owner_ids,
            corrected_by__isnull=True,
        )
        .values(
            "key_result__objective__owner_employee_id", "key_result__kpi__code", "key_result__objective__period__end"
        )
        .annotate(best=Max("value"))
    )
    return [
        (
            row["key_result__objective__owner_employee_id"],
            row["key_result__kpi__code"],
            row["key_result__objective__period__end"],
            row["best"],
        )
        for row in rows
    ]


# --- progress pages: my objectives, my units, team, history ------------------------


def objective_list_for_units_led_by(*, manager: Employee) -> QuerySet[Objective]:
    """Unit objectives of the manager's own unit and of every unit below it."""
    return _objective_base().filter(
        Q(owner_unit_id=manager.unit_id) | Q(owner_unit_id__in=descendants_sql(OrgUnit, "parent", manager.unit_id)),
        level=Objective.Level.UNIT,
    )


def measurement_effective_list(*, key_result_ids: list[int]) -> QuerySet[Measurement]:
    """The progress updates that count (no later row corrected them) of many key results at
    once, oldest first per key result: one query for every sparkline on a page."""
    return (
        Measurement.objects.filter(key_result_id__in=key_result_ids, corrected_by__isnull=True)
        .select_related("entered_by", "source_client")
        .order_by("key_result_id", "as_of", "pk")
    )


# --- progress by spreadsheet: who may record what, in bulk ----------------------------


def key_result_list_for_progress(*, actor: User) -> QuerySet[KeyResult]:
    """Key results whose objectives this person may record progress on, in any status.

    The set-based twin of goals.access.can_record_progress (= can_edit_objective): HR and admins
    all; executives company objectives; unit objectives their author and the managers leading the
    unit or a unit above it; personal objectives their owner and the managers above the owner.
    """
    qs = KeyResult.objects.select_related(
        "objective__period", "objective__owner_employee__user", "objective__owner_unit", "kpi"
    )
    roles = user_roles(actor)
    if roles & {Role.HR, Role.ADMIN}:
        return qs
    allowed = Q(objective__level=Objective.Level.UNIT, objective__created_by=actor)
    if Role.EXECUTIVE in roles:
        allowed |= Q(objective__level=Objective.Level.COMPANY)
    me = employee_of(actor)
    if me is not None:
        below = descendants_sql(Employee, "manager", me.pk)
        allowed |= Q(objective__level=Objective.Level.PERSON, objective__owner_employee=me)
        allowed |= Q(objective__level=Objective.Level.PERSON, objective__owner_employee_id__in=below)
        if Employee.objects.filter(manager=me, is_active=True).exists():
            led = Q(objective__owner_unit_id=me.unit_id) | Q(
                objective__owner_unit_id__in=descendants_sql(OrgUnit, "parent", me.unit_id)
            )
            allowed |= Q(objective__level=Objective.Level.UNIT) & led
    return qs.filter(allowed)


def key_result_with_details(*, key_result_id: int) -> KeyResult:
    """One key result with what its row shows: objective, period, KPI, milestones."""
    return (
        KeyResult.objects.select_related("objective__period", "objective__owner_employee__user", "kpi")
        .prefetch_related("milestones")
        .get(pk=key_result_id)
    )


def action_plan_owner_choices(*, objective: Objective, include_id: int | None = None) -> QuerySet[Employee]:
    """Who may own an action plan: for a personal objective its owner and the people below
    them, for a unit or company objective the people of that unit and the units below it."""
    if objective.level == Objective.Level.PERSON:
        owner_id = objective.owner_employee_id
        people = Q(pk=owner_id) | Q(pk__in=descendants_sql(Employee, "manager", owner_id))
    else:
        unit_id = objective.owner_unit_id
        people = Q(unit_id=unit_id) | Q(unit_id__in=descendants_sql(OrgUnit, "parent", unit_id))
    chosen = (people & Q(is_active=True)) | Q(pk=include_id or 0)
    return Employee.objects.filter(chosen).select_related("user", "unit").order_by("user__full_name", "pk")


def alignment_targets(*, objective_ids: set[int], theme_ids: set[int]) -> tuple[dict, dict]:
    """Objectives and themes by id (two queries at most), for naming past alignments in a history."""
    objectives = Objective.objects.only("title").in_bulk(objective_ids) if objective_ids else {}
    themes = StrategicTheme.objects.only("title", "title_en").in_bulk(theme_ids) if theme_ids else {}
    return objectives, themes


# --- scores (goals.rollup, goals.explain) ------------------------------------------


def key_results_for_scoring(
    *, objective_ids: list[int] | None = None, key_result_id: int | None = None, as_of: date | None = None
) -> QuerySet[KeyResult]:
    """Key results with what their achievement needs, in one query: `latest_value` (the latest
    progress update that no later row corrected, on or before `as_of` if given),
    `milestones_total` and `milestones_done` (done by `as_of`), and the objective's period (its cap)."""
    from django.db.models import IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from goals.models import Milestone

    latest = Measurement.objects.filter(key_result_id=OuterRef("pk"), corrected_by__isnull=True)
    done = Milestone.objects.filter(key_result_id=OuterRef("pk"), done_on__isnull=False)
    if as_of is not None:
        latest = latest.filter(as_of__lte=as_of)
        done = done.filter(done_on__lte=as_of)
    total = Milestone.objects.filter(key_result_id=OuterRef("pk"))

    def count(qs):
        counted = qs.order_by().values("key_result_id").annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    qs = KeyResult.objects.select_related("objective__period").annotate(
        latest_value=Subquery(latest.order_by("-as_of", "-pk").values("value")[:1]),
        latest_as_of=Subquery(latest.order_by("-as_of", "-pk").values("as_of")[:1]),
        latest_id=Subquery(latest.order_by("-as_of", "-pk").values("pk")[:1]),
        milestones_total=count(total),
        milestones_done=count(done),
    )
    if key_result_id is not None:
        qs = qs.filter(pk=key_result_id)
    if objective_ids is not None:
        qs = qs.filter(objective_id__in=objective_ids)
    return qs.order_by("objective_id", "pk")


def objective_children_for_scoring(*, objective_ids: list[int]) -> QuerySet[Objective]:
    """The objectives aligned directly under these ones, with their cached scores."""
    return Objective.objects.filter(parent_id__in=objective_ids).select_related("owner_employee__user", "owner_unit")


def objectives_feeding_person(*, employee_id: int, period_id: int) -> QuerySet[Objective]:
    """A person's personal objectives in a period, with their cached scores."""
    return Objective.objects.filter(
        level=Objective.Level.PERSON, owner_employee_id=employee_id, period_id=period_id
    ).order_by("-weight", "pk")


def objectives_feeding_unit(*, unit_id: int, period_id: int) -> QuerySet[Objective]:
    """A unit's own objectives (unit level, or company level for the top unit) in a period, with cached scores."""
    return Objective.objects.filter(
        level__in=[Objective.Level.UNIT, Objective.Level.COMPANY], owner_unit_id=unit_id, period_id=period_id
    ).order_by("-weight", "pk")


def objectives_feeding_theme(*, theme_id: int) -> QuerySet[Objective]:
    """The objectives aligned to a theme, with cached scores and owners."""
    return (
        Objective.objects.filter(theme_id=theme_id)
        .select_related("owner_employee__user", "owner_unit")
        .order_by("-weight", "pk")
    )


def score_snapshot_list(*, kind: str, subject_id: int, period_id: int) -> QuerySet:
    """A subject's daily scores in a period, oldest first."""
    from goals.models import ScoreSnapshot

    return ScoreSnapshot.objects.filter(kind=kind, subject_id=subject_id, period_id=period_id).order_by("day")


def objective_facts_by_owner(*, owner_ids: list[int], period: Period) -> dict[int, dict]:
    """Per person, in one query: how many live personal objectives they have in the period (and
    the shorter periods inside it), how many of those are approved or closed, and the day of the
    latest progress update on any of them: {owner_id: {"objectives", "approved", "last_update"}}."""
    within = Q(period=period) | Q(period__start__gte=period.start, period__end__lte=period.end)
    rows = (
        Objective.objects.filter(within, level=Objective.Level.PERSON, owner_employee_id__in=owner_ids)
        .exclude(status=Objective.Status.CANCELLED)
        .order_by()
        .values("owner_employee_id")
        .annotate(
            objectives=Count("pk", distinct=True),
            approved=Count(
                "pk",
                filter=Q(status__in=[Objective.Status.APPROVED, Objective.Status.CLOSED]),
                distinct=True,
            ),
            last_update=Max("key_results__last_measured_on"),
        )
    )
    return {row.pop("owner_employee_id"): row for row in rows}


def score_record_map(*, kind: str, subject_ids: list[int], period_id: int | None = None) -> dict:
    """Current scores by subject id (one query), e.g. for a list of people or units."""
    from goals.models import ScoreRecord

    qs = ScoreRecord.objects.filter(kind=kind, subject_id__in=subject_ids)
    if period_id is not None:
        qs = qs.filter(period_id=period_id)
    return {r.subject_id: r for r in qs}
