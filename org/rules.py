"""Pure rules about the organisation — no ORM, tested without a database."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import timedelta

from django.utils.translation import gettext

from core.text import join_words

UNIT_PATH_SEPARATOR = "/"


def find_cycle(parent_of: Mapping[Hashable, Hashable | None], start: Hashable) -> list[Hashable] | None:
    """The cycle reached by following `parent_of` up from `start`, or None.

    `parent_of` maps a node to its parent (a manager, a parent unit). The returned list
    starts and ends at the first node seen twice, e.g. ``["A", "B", "A"]``.
    """
    seen: dict[Hashable, int] = {}
    path: list[Hashable] = []
    node: Hashable | None = start
    while node is not None:
        if node in seen:
            return [*path[seen[node] :], node]
        seen[node] = len(path)
        path.append(node)
        node = parent_of.get(node)
    return None


def find_cycles(parent_of: Mapping[Hashable, Hashable | None]) -> list[list[Hashable]]:
    """Every distinct cycle in a parent map (each reported once)."""
    cycles: list[list[Hashable]] = []
    in_cycle: set[Hashable] = set()
    for node in parent_of:
        if node in in_cycle:
            continue
        cycle = find_cycle(parent_of, node)
        if cycle and not (set(cycle) & in_cycle):
            cycles.append(cycle)
            in_cycle.update(cycle)
    return cycles


def split_unit_path(path: str) -> list[str]:
    """'星河科技 / 销售中心/华东销售部' → ['星河科技', '销售中心', '华东销售部']."""
    return [part.strip() for part in (path or "").split(UNIT_PATH_SEPARATOR) if part.strip()]


def join_unit_path(names: list[str]) -> str:
    return UNIT_PATH_SEPARATOR.join(names)


# --- grade levels ------------------------------------------------------------------------
# HR's grade list maps each grade level's case-folded spelling to how the list writes it; an
# empty list means HR keeps none yet and any grade level is accepted.


def canonical_grade_level(value: str, allowed: Mapping[str, str]) -> str | None:
    """The grade level as the list writes it ("p4" → "P4"), "" for none, None when not in the list."""
    value = (value or "").strip()
    if not value or not allowed:
        return value
    return allowed.get(value.casefold())


def grade_level_error(value: str, allowed: Mapping[str, str]) -> str:
    """What to do about a grade level that is not in HR's list, naming the allowed ones."""
    names = join_words(allowed.values())  # in the list's order
    return gettext(
        "“%(value)s” is not in the grade list. Use one of: %(allowed)s; or ask HR to add this grade level to the "
        "list first."
    ) % {"value": value, "allowed": names}


# --- working days ----------------------------------------------------------------------
# A day is a working day when it is Monday to Friday, unless HR marked it a holiday, or when
# HR marked a weekend day a make-up working day (调休).


def is_working_day(day, *, holidays: set, workdays: set) -> bool:
    if day in holidays:
        return False
    if day in workdays:
        return True
    return day.weekday() < 5


def add_working_days(start, days: int, *, holidays: set, workdays: set):
    """The date `days` working days after `start` (before it, for a negative number)."""
    step = timedelta(days=1 if days >= 0 else -1)
    remaining = abs(days)
    day = start
    while remaining:
        day += step
        if is_working_day(day, holidays=holidays, workdays=workdays):
            remaining -= 1
    return day


def working_days_between(start, end, *, holidays: set, workdays: set) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start, holidays=holidays, workdays=workdays)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day, holidays=holidays, workdays=workdays)
    return count
