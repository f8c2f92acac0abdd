"""Pure rules about the organisation — no ORM, tested without a database."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

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
