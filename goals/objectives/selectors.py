"""Reads of objectives, key results and action plans, with visibility applied (goals.access decides
who may see what; these apply it to whole lists)."""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from goals.models import (
    ActionPlan,
    KeyResult,
    Milestone,
    Objective,
    Period,
    StrategicTheme,
)
from goals.objectives.rules import ALIGN_TO
from goals.strategy.selectors import period_family
from org.models import Employee, OrgUnit, Role, User
from org.selectors import (
    ancestors_sql,
    descendants_sql,
    employee_nearest_active_manager,
    employee_of,
    employees_managed_by_sql,
    employees_without_active_manager_sql,
    tree_ancestor_ids,
    user_roles,
)

READ_ALL_ROLES = {Role.HR, Role.EXECUTIVE, Role.ADMIN}


def user_reads_all_goals(user: User) -> bool:
    return bool(user_roles(user) & READ_ALL_ROLES)


def _objective_base() -> QuerySet[Objective]:
    return Objective.objects.select_related(
        "period",
        "owner_employee__user",
        "owner_employee__manager",  # the approver, usually (objective_approver)
        "owner_unit",
        "parent",
        "theme",
        "created_by__employee__manager",
    ).prefetch_related(
        Prefetch(
            "key_results",
            queryset=KeyResult.objects.select_related(
                "kpi",
                "latest_update__entered_by",
                "latest_update__source_client",  # a card's "last update"
            )
            .order_by("objective_id", "pk")  # (the default order would join objectives and periods to sort)
            .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk"))),
        )
    )


def objective_list_visible_to(*, actor: User, period: Period | None = None) -> QuerySet[Objective]:
    """Company and unit objectives are open to everyone (the cascade is shared); personal
    objectives to their owner, the managers above them, HR, executives and admins."""
    qs = _objective_base()
    if period is not None:
        qs = qs.filter(period=period)
    return _visible_only(qs, actor=actor)


def _milestones_in_order() -> Prefetch:
    """Key results' milestones by due date (sorted by key result first: the milestones' table alone)."""
    return Prefetch("milestones", queryset=Milestone.objects.order_by("key_result_id", "due_date", "pk"))


def objective_records_visible_to(*, actor: User) -> QuerySet[Objective]:
    """The objectives objective_list_visible_to gives, with only what their records (the API's
    list) read: the owner (person and account, or unit) and the key results with their
    milestones, in id order (the default orders would join objectives and periods to sort)."""
    qs = Objective.objects.select_related("owner_employee__user", "owner_unit").prefetch_related(
        Prefetch(
            "key_results",
            queryset=KeyResult.objects.order_by("objective_id", "pk").prefetch_related(_milestones_in_order()),
        )
    )
    return _visible_only(qs, actor=actor)


def objective_summaries_visible_to(*, actor: User) -> QuerySet[Objective]:
    """The objectives objective_list_visible_to gives, with only what a summary card (the team
    page's) reads: the period, and the key results with their milestones and last update's author
    (no owner, parent, theme, author or KPI joins: a team page reads a hundred objectives)."""
    qs = Objective.objects.select_related("period").prefetch_related(
        Prefetch(
            "key_results",
            queryset=KeyResult.objects.select_related("latest_update__entered_by")
            .order_by("objective_id", "pk")
            .prefetch_related(_milestones_in_order()),
        )
    )
    return _visible_only(qs, actor=actor)


def _visible_only(qs: QuerySet[Objective], *, actor: User) -> QuerySet[Objective]:
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
    then executives act (company and unit objectives) or HR and admins (personal ones).

    Remembered on the objective for as long as its level, owner and author stay the same, so a
    page asking several permissions looks the approver up once."""
    key = (objective.level, objective.owner_employee_id, objective.created_by_id)
    remembered = objective.__dict__.get("_approver_memo")
    if remembered is not None and remembered[0] == key:
        return remembered[1]
    approver = None
    if objective.level == Objective.Level.PERSON and objective.owner_employee_id:
        approver = employee_nearest_active_manager(employee=objective.owner_employee)
    elif objective.level == Objective.Level.UNIT:
        author = employee_of(objective.created_by)
        approver = employee_nearest_active_manager(employee=author) if author is not None else None
    objective.__dict__["_approver_memo"] = (key, approver)
    return approver


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
    uncovered = employees_without_active_manager_sql()  # nobody active above them
    if Role.EXECUTIVE in roles:
        covered = Employee.objects.exclude(pk__in=uncovered)
        conditions |= Q(level=Objective.Level.COMPANY)
        conditions |= Q(level=Objective.Level.UNIT) & ~Q(created_by_id__in=covered.values("user_id"))
    if roles & {Role.HR, Role.ADMIN}:
        conditions |= Q(level=Objective.Level.PERSON, owner_employee_id__in=uncovered)
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


def action_plan_list(*, objective: Objective) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(objective=objective).select_related("owner__user").order_by("due_date", "pk")


def unit_manager_covers(*, manager: Employee, unit: OrgUnit) -> bool:
    """Does this manager lead the unit: their own unit is it or one above it, and they have reports."""
    unit_line = {unit.pk, *tree_ancestor_ids(OrgUnit, "parent", unit.pk)}
    return manager.unit_id in unit_line and Employee.objects.filter(manager=manager, is_active=True).exists()


def key_result_list_visible_to(*, actor: User) -> QuerySet[KeyResult]:
    visible = objective_list_visible_to(actor=actor).values("pk")
    return (
        KeyResult.objects.filter(objective__in=visible)
        .select_related("objective", "kpi")
        .prefetch_related("milestones")
    )


def action_plan_list_visible_to(*, actor: User) -> QuerySet[ActionPlan]:
    visible = objective_list_visible_to(actor=actor).values("pk")
    return ActionPlan.objects.filter(objective__in=visible).select_related("objective", "owner__user")


def key_results_by_id(*, ids: list[int]) -> dict[int, KeyResult]:
    """Key results with their objectives, by id (one query), e.g. for a batch of pushed values."""
    return KeyResult.objects.select_related("objective__period").in_bulk(ids)


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
    """The objectives this one is aligned under, top first (one query whatever the depth, none
    for an objective aligned under none)."""
    if objective.parent_id is None:
        return []
    above = ancestors_sql(Objective, "parent", objective.pk)
    by_id = Objective.objects.select_related("owner_unit", "owner_employee__user", "theme").filter(pk__in=above)
    by_id = by_id.order_by().in_bulk()  # put in order below: no join to sort by period
    chain, seen, current = [], {objective.pk}, objective.parent_id
    while current in by_id and current not in seen:  # nearest first, then turned round
        seen.add(current)
        chain.append(by_id[current])
        current = by_id[current].parent_id
    return chain[::-1]


def objective_children_visible_to(*, actor: User, objective: Objective) -> QuerySet[Objective]:
    """The objectives aligned directly under this one that the actor may see (their own fields,
    owner and status: their key results are not read)."""
    qs = Objective.objects.select_related("owner_employee__user", "owner_unit").filter(parent=objective)
    return _visible_only(qs, actor=actor).order_by("level", "title", "pk")


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


def objective_list_for_units_led_by(*, manager: Employee) -> QuerySet[Objective]:
    """Unit objectives of the manager's own unit and of every unit below it."""
    return _objective_base().filter(
        Q(owner_unit_id=manager.unit_id) | Q(owner_unit_id__in=descendants_sql(OrgUnit, "parent", manager.unit_id)),
        level=Objective.Level.UNIT,
    )


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
            approved=Count("pk", filter=Q(status__in=Objective.LIVE_STATUSES), distinct=True),
            last_update=Max("key_results__last_measured_on"),
        )
    )
    return {row.pop("owner_employee_id"): row for row in rows}
