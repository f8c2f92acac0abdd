"""The cascade's reads on the embedded default (SQLite: no LATERAL, no arrays): the same id sets as
the PostgreSQL queries of `reads` and `counts`, read with the ORM and walked in Python — a first look
holds a few hundred objectives, not tens of thousands. Each function is its PostgreSQL twin's answer."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q, QuerySet

from goals.models import Objective, Period


def _inside(period: Period) -> Q:
    return Q(period__start__gte=period.start, period__end__lte=period.end)


def with_ancestors(ids: set[int]) -> set[int]:
    """These objectives and every objective they are aligned under (one query a level)."""
    found, frontier = set(ids), set(ids)
    while frontier:
        above = Objective.objects.filter(pk__in=frontier, parent__isnull=False)
        parents = set(above.values_list("parent_id", flat=True))
        frontier = parents - found
        found |= frontier
    return found


def _children(ids: set[int]) -> set[int]:
    return set(Objective.objects.filter(parent_id__in=ids).values_list("pk", flat=True))


def first_screen_ids(period: Period, *, around: list[int]) -> list[int]:
    roots = Objective.objects.filter(parent__isnull=True, level=Objective.Level.COMPANY)
    company = set(roots.values_list("pk", flat=True))
    below = dict(Objective.objects.filter(parent_id__in=company).values_list("pk", "level"))
    units = {pk for pk, level in below.items() if level == Objective.Level.UNIT}
    ids = set(Objective.objects.filter(_inside(period), parent__isnull=True).values_list("pk", flat=True))
    ids |= set(below) | set(
        Objective.objects.filter(level=Objective.Level.UNIT, parent_id__in=units).values_list("pk", flat=True)
    )
    if around:
        ids |= set(Objective.objects.filter(_inside(period), parent__period_id__in=around).values_list("pk", flat=True))
    return sorted(ids)


def unit_part_ids(period: Period, unit_ids: set[int]) -> list[int]:
    owned = dict(
        Objective.objects.filter(_inside(period))
        .filter(Q(owner_unit_id__in=unit_ids) | Q(owner_employee__unit_id__in=unit_ids))
        .values_list("pk", "parent_id")
    )
    entry = {pk for pk, parent_id in owned.items() if parent_id is None or parent_id not in owned}
    return sorted(with_ancestors(entry) | _children(entry))


def search_part_ids(ids: set[int], *, theme_ids: set[int], below: bool) -> list[int]:
    found = with_ancestors(set(ids))
    found |= set(Objective.objects.filter(parent__isnull=True, theme_id__in=theme_ids).values_list("pk", flat=True))
    if below:
        found |= _children(set(ids))
    return sorted(found)


def node_rows(visible: QuerySet[Objective], period: Period) -> tuple[int, dict, Counter]:
    """(how many `visible` holds, {id: (parent id, theme id, visible aligned to it)} of the objectives
    of the period something visible is aligned to, {theme id: visible aligned to the theme})."""
    rows = list(visible.order_by().values_list("parent_id", "theme_id"))
    aligned = Counter(parent_id for parent_id, _theme in rows if parent_id is not None)
    roots = Counter(theme_id for parent_id, theme_id in rows if parent_id is None and theme_id is not None)
    parents = Objective.objects.filter(_inside(period), pk__in=aligned).values_list("pk", "parent_id", "theme_id")
    nodes = {pk: (parent_id, theme_id, aligned[pk]) for pk, parent_id, theme_id in parents}
    return len(rows), nodes, roots
