"""What the cascade reads: the themes in view, and the objectives each page starts from — ids
first, by index, then the rows with what they show (with_more)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from goals.models import KeyResult, Milestone, Objective, Period, Perspective, StrategicTheme
from goals.objectives.selectors import objective_list_visible_to
from goals.strategy.cascade import portable
from goals.strategy.selectors import period_family, theme_list
from org.models import Employee, User

PERSPECTIVE_ORDER = [choice.value for choice in Perspective]
LEVEL_ORDER = {Objective.Level.COMPANY: 0, Objective.Level.UNIT: 1, Objective.Level.PERSON: 2}


def themes_in_view(period: Period, *, family: list[int] | None = None) -> QuerySet[StrategicTheme]:
    """Themes that apply to a period: its own, those of the periods it sits in (`family`, read when
    not given), and those inside it."""
    family = period_family(period) if family is None else family
    return theme_list().filter(
        Q(period_id__in=family) | Q(period__start__gte=period.start, period__end__lte=period.end)
    )


def family_of(period: Period, periods: list[Period]) -> list[int] | None:
    """The period and those it sits in, read from loaded periods (None if a parent is not among them)."""
    by_id = {each.pk: each for each in periods}
    family = [period.pk]
    parent_id = period.parent_id
    while parent_id is not None and parent_id not in family:
        if parent_id not in by_id:
            return None
        family.append(parent_id)
        parent_id = by_id[parent_id].parent_id
    return family


def around_ids(period: Period, periods: list[Period]) -> list[int]:
    """The loaded periods that overlap this one without lying inside it (the year around a quarter)."""
    return [
        each.pk
        for each in periods
        if each.start <= period.end and each.end >= period.start and not inside(each, period)
    ]


def by_perspective(queryset: QuerySet[StrategicTheme]) -> QuerySet[StrategicTheme]:
    rank = Case(
        *(When(perspective=value, then=Value(i)) for i, value in enumerate(PERSPECTIVE_ORDER)),
        default=Value(len(PERSPECTIVE_ORDER)),
        output_field=IntegerField(),
    )
    return queryset.annotate(perspective_rank=rank).order_by("perspective_rank", "period__start", "title", "pk")


def theme_text(theme: StrategicTheme) -> str:
    """What the cascade's search box looks in for a theme: its titles (both languages) and its owner."""
    words = [theme.title, theme.title_en, theme.owner.user.full_name, theme.owner.user.english_name]
    return " ".join(word for word in words if word)


def searching(needle: str) -> Q:
    """What the cascade's search box looks in for an objective: its title, its owner (names and user
    name) or its unit (both languages)."""
    return (
        Q(title__icontains=needle)
        | Q(owner_employee__user__full_name__icontains=needle)
        | Q(owner_employee__user__english_name__icontains=needle)
        | Q(owner_employee__user__username__icontains=needle)
        | Q(owner_unit__name__icontains=needle)
        | Q(owner_unit__name_en__icontains=needle)
    )


def in_period(*, actor: User, period: Period, periods: list[Period] | None = None) -> QuerySet[Objective]:
    """The objectives of the period (and the periods inside it) the reader may see. Given every
    period, by their ids: no join to compare dates on each of the period's rows."""
    visible = objective_list_visible_to(actor=actor)
    if periods is None:
        return visible.filter(period__start__gte=period.start, period__end__lte=period.end)
    return visible.filter(period_id__in=[each.pk for each in periods if inside(each, period)])


def inside(each: Period, period: Period) -> bool:
    return each.start >= period.start and each.end <= period.end


def level_rank() -> Case:
    """Company, then unit, then personal objectives (for ORDER BY)."""
    return Case(
        *(When(level=level, then=Value(rank)) for level, rank in LEVEL_ORDER.items()),
        default=Value(len(LEVEL_ORDER)),
        output_field=IntegerField(),
    )


def owned_by(unit_ids: set[int]) -> Q:
    """Objectives of these units or of their people."""
    return Q(owner_unit_id__in=unit_ids) | Q(owner_employee__unit_id__in=unit_ids)


# Table and column names come from model metadata, every value is a parameter. The reads rely on the
# alignment rules objective_create and objective_update keep (goals.objectives.rules.ALIGN_TO): a company
# objective is aligned to a theme, never to an objective; nothing is aligned to a personal objective; a
# parent is in the objective's period or one around it.
OBJECTIVES = Objective._meta.db_table
PERIODS = Period._meta.db_table
EMPLOYEES = Employee._meta.db_table
_INSIDE = f'inside AS (SELECT id FROM {PERIODS} WHERE start >= %(start)s AND "end" <= %(end)s)'  # noqa: S608
_UP = (  # the objectives in `entry` and every objective they are aligned under, each step by primary key
    f"up(id, parent_id) AS (SELECT id, parent_id FROM {OBJECTIVES} WHERE id IN (SELECT id FROM entry)"  # noqa: S608
    f" UNION SELECT t.id, t.parent_id FROM up JOIN LATERAL"
    f" (SELECT id, parent_id FROM {OBJECTIVES} WHERE id = up.parent_id LIMIT 1) t ON TRUE)"  # (not flattened)
)


def _ids(sql: str, params: dict) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def first_screen_ids(period: Period, *, around: list[int]) -> list[int]:
    """What the first screen reads: company objectives, what is aligned to them, the unit objectives
    aligned to the unit objectives among those, and the loose ends (aligned to nothing, or to an
    objective of a period `around` this one). Personal objectives below unit objectives start folded
    and are not read. Every step follows an index (roots, then parent ids)."""
    if connection.vendor != "postgresql":  # the embedded default
        return portable.first_screen_ids(period, around=around)
    sql = (
        f"WITH {_INSIDE},"  # noqa: S608
        f" company AS (SELECT id FROM {OBJECTIVES} WHERE parent_id IS NULL AND level = %(company)s),"
        f" below AS (SELECT id, level FROM {OBJECTIVES} WHERE parent_id IN (SELECT id FROM company))"
        f" SELECT id FROM {OBJECTIVES} WHERE parent_id IS NULL AND period_id IN (SELECT id FROM inside)"
        f" UNION ALL SELECT id FROM below"
        f" UNION ALL SELECT id FROM {OBJECTIVES}"
        f" WHERE level = %(unit)s AND parent_id IN (SELECT id FROM below WHERE level = %(unit)s)"
    )
    if around:
        sql += (
            f" UNION ALL SELECT id FROM {OBJECTIVES} WHERE period_id IN (SELECT id FROM inside)"  # noqa: S608
            f" AND parent_id IN (SELECT id FROM {OBJECTIVES} WHERE period_id = ANY(%(around)s))"
        )
    params = {"start": period.start, "end": period.end, "around": around}
    return _ids(sql, {**params, "company": Objective.Level.COMPANY, "unit": Objective.Level.UNIT})


def unit_part_ids(period: Period, unit_ids: set[int]) -> list[int]:
    """Where a unit's part of the tree enters it — the objectives of the units or their people in the
    period that are aligned to nothing of theirs — with the path up to them and what is aligned
    directly to them (the caller applies visibility to all of them)."""
    if connection.vendor != "postgresql":  # the embedded default
        return portable.unit_part_ids(period, unit_ids)
    sql = (
        f"WITH RECURSIVE {_INSIDE},"  # noqa: S608
        f" owned(id, parent_id) AS ("
        f"SELECT id, parent_id FROM {OBJECTIVES}"
        f" WHERE period_id IN (SELECT id FROM inside) AND owner_unit_id = ANY(%(units)s)"
        f" UNION ALL SELECT id, parent_id FROM {OBJECTIVES} WHERE period_id IN (SELECT id FROM inside)"
        f" AND owner_employee_id = ANY(ARRAY(SELECT id FROM {EMPLOYEES} WHERE unit_id = ANY(%(units)s)))),"
        f" entry(id) AS (SELECT id FROM owned WHERE parent_id IS NULL OR parent_id NOT IN (SELECT id FROM owned)),"
        f" {_UP}"
        f" SELECT id FROM up UNION ALL SELECT id FROM {OBJECTIVES} WHERE parent_id IN (SELECT id FROM entry)"
    )
    return _ids(sql, {"start": period.start, "end": period.end, "units": sorted(unit_ids)})


def search_part_ids(ids: set[int], *, theme_ids: set[int], below: bool) -> list[int]:
    """These objectives, the path up to them, what is aligned directly to these themes and, `below`,
    what is aligned directly to the objectives."""
    if connection.vendor != "postgresql":  # the embedded default
        return portable.search_part_ids(ids, theme_ids=theme_ids, below=below)
    sql = (
        f"WITH RECURSIVE entry(id) AS (SELECT unnest(%(ids)s::bigint[])), {_UP}"  # noqa: S608
        f" SELECT id FROM up"
        f" UNION ALL SELECT id FROM {OBJECTIVES} WHERE parent_id IS NULL AND theme_id = ANY(%(themes)s::bigint[])"
    )
    if below:
        sql += f" UNION ALL SELECT id FROM {OBJECTIVES} WHERE parent_id IN (SELECT id FROM entry)"  # noqa: S608
    return _ids(sql, {"ids": sorted(ids), "themes": sorted(theme_ids)})


def aligned_below() -> Coalesce:
    """How many objectives (of any period, anyone's) are aligned directly to each: a bound, by index."""
    aligned = Objective.objects.filter(parent=OuterRef("pk")).order_by().values("parent").annotate(n=Count("pk"))
    return Coalesce(Subquery(aligned.values("n"), output_field=IntegerField()), Value(0))


# What a row's progress and pace read of a key result (goals.scoring.figures, goals.progress.rows):
# hundreds of key results on a first screen, so not the rest of their columns.
KEY_RESULT_FIGURES = (
    "objective_id", "weight", "direction", "baseline", "target", "stretch", "range_low", "range_high",
    "current_value", "last_measured_on",
)  # fmt: skip
LONG_TEXTS = ("description", "review_comment")  # an objective's texts no row shows


def with_more(
    objectives: QuerySet[Objective], *, actor: User, period: Period, periods: list[Period] | None = None
) -> QuerySet[Objective]:
    """Each objective with what its row shows — owner, parent, theme, period; key results with their
    milestones for the progress and the pace (not what the selector loads for the cards: the latest
    update, its author and source, the KPI) — and `aligned_count`: how many objectives of the period
    the reader may see are aligned directly to it (one subquery, whatever the number of rows)."""
    milestones = Milestone.objects.order_by().only("key_result_id", "done_on")  # counted, done or not
    key_results = (
        KeyResult.objects.order_by("objective_id", "pk")
        .only(*KEY_RESULT_FIGURES)
        .prefetch_related(Prefetch("milestones", queryset=milestones, to_attr="tree_milestones"))
    )
    objectives = (
        objectives.select_related(None)
        .select_related("period", "owner_employee__user", "owner_unit", "parent", "theme")
        .defer(*LONG_TEXTS, *(f"parent__{name}" for name in LONG_TEXTS))
        .prefetch_related(None)
        .prefetch_related(Prefetch("key_results", queryset=key_results))
    )
    aligned = (
        in_period(actor=actor, period=period, periods=periods)
        .filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return objectives.annotate(aligned_count=Coalesce(Subquery(aligned, output_field=IntegerField()), Value(0)))
