"""The cascade's tree: what a page read, hung under its themes and parents, kept to a unit's
branches or a search's matches, sorted, opened where the reader starts, each node knowing what
it did not read (more, rest) — and the children a row loads when opened."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from django.db.models import QuerySet

from goals.models import Objective, Period, StrategicTheme
from goals.strategy.cascade.counts import tree_counts
from goals.strategy.cascade.reads import (
    LEVEL_ORDER,
    aligned_below,
    around_ids,
    by_perspective,
    family_of,
    first_screen_ids,
    in_period,
    level_rank,
    owned_by,
    search_part_ids,
    searching,
    theme_text,
    themes_in_view,
    unit_part_ids,
    with_more,
)
from goals.strategy.cascade.rows import objective_node, row_context, tree_rows
from org.models import User
from org.selectors import tree_subtree_ids

SEARCH_LIMIT = 50  # matches a search shows at most, with the path up to them
SEARCH_BELOW = 100  # and with what is aligned to them when that is no more than this


def unit_subtree_ids(nodes: list[dict], unit_id: int) -> set[int]:
    """A unit and every unit below it, read from the loaded unit tree."""
    return tree_subtree_ids(nodes, unit_id) or set()


def _sort_key(node: dict):
    objective: Objective = node["item"]
    return (LEVEL_ORDER.get(objective.level, 9), node["owner"], -objective.weight, objective.pk)


def _finish(nodes: list[dict], depth: int, perspective: str = "", *, open_all: bool = False) -> int:
    """Sort children, set depth, the perspective inherited from the theme and whether the node
    starts open; return the objective count."""
    count = 0
    nodes.sort(key=_sort_key)
    for node in nodes:
        node["depth"] = depth
        node["perspective"] = perspective
        node["open"] = open_all or _starts_open(node)
        count += 1 + _finish(node["children"], depth + 1, perspective, open_all=open_all)
    return count


def _starts_open(node: dict) -> bool:
    """The tree starts collapsed below unit level: themes and company objectives are open, a
    unit objective only to show the unit objectives below it, never the personal ones."""
    if node["kind"] == "theme":
        return True
    level = node["item"].level
    if level == Objective.Level.COMPANY:
        return True
    if level == Objective.Level.UNIT:
        return any(child["item"].level == Objective.Level.UNIT for child in node["children"])
    return False


def _prune(node: dict, involves, inherited: bool) -> bool:
    """Keep a node if it involves the unit (or the search), lies below one that does, or leads to one that does."""
    own = involves(node)
    node["children"] = [child for child in node["children"] if _prune(child, involves, inherited or own)]
    node["match"] = own or inherited
    return own or inherited or bool(node["children"])


def _place(objectives: list[Objective], theme_nodes: list[dict]) -> tuple[dict[int, dict], list[dict], list[dict]]:
    """Hang each objective under its parent or theme: (nodes by id, aligned to nothing, aligned elsewhere)."""
    theme_by_id = {node["item"].pk: node for node in theme_nodes}
    row = row_context()
    nodes = {objective.pk: objective_node(objective, row) for objective in objectives}
    unaligned: list[dict] = []
    elsewhere: list[dict] = []
    for objective in objectives:
        node = nodes[objective.pk]
        if objective.parent_id:
            parent = nodes.get(objective.parent_id)
            (parent["children"] if parent else elsewhere).append(node)
        elif objective.theme_id:
            theme = theme_by_id.get(objective.theme_id)
            (theme["children"] if theme else elsewhere).append(node)
        else:
            unaligned.append(node)
    return nodes, unaligned, elsewhere


def _keep(groups: list[list[dict]], test) -> list[list[dict]]:
    """Each group's branches that pass `test` somewhere (see _prune)."""
    return [[node for node in group if _prune(node, test, False)] for group in groups]


def _involving(unit_ids: set[int]) -> Callable[[dict], bool]:
    """Whether a node is an objective of these units or of their people."""

    def involves(node: dict) -> bool:
        if node["kind"] != "objective":
            return False
        objective = node["item"]
        if objective.owner_unit_id is not None:
            return objective.owner_unit_id in unit_ids
        return objective.owner_employee.unit_id in unit_ids

    return involves


class _Search(NamedTuple):
    objectives: set[int]  # the first SEARCH_LIMIT objectives that match
    themes: set[int]  # the themes that match
    capped: bool  # more objectives match
    below: bool  # what is aligned to them is few enough to show with them

    def found(self, node: dict) -> bool:
        return node["item"].pk in (self.themes if node["kind"] == "theme" else self.objectives)


def _search(
    visible: QuerySet[Objective], themes: list[StrategicTheme], needle: str, unit_ids: set[int] | None
) -> _Search:
    """What a search finds: themes by their titles and owner, objectives by title, owner or unit
    (of these units, with a unit filter) — companies first, at most SEARCH_LIMIT of them, shown
    with what is aligned to them when that is at most SEARCH_BELOW objectives (else on opening)."""
    folded = needle.casefold()
    matches = visible.filter(searching(needle))
    if unit_ids is not None:
        matches = matches.filter(owned_by(unit_ids))
    matches = matches.order_by(level_rank(), "pk").annotate(below=aligned_below())
    first = list(matches.values_list("pk", "below")[: SEARCH_LIMIT + 1])
    return _Search(
        objectives={pk for pk, _ in first[:SEARCH_LIMIT]},
        themes={theme.pk for theme in themes if folded in theme_text(theme).casefold()},
        capped=len(first) > SEARCH_LIMIT,
        below=sum(below for _, below in first[:SEARCH_LIMIT]) <= SEARCH_BELOW,
    )


def _units_only_below(objective: Objective) -> bool:
    """Whether the first screen reads only the unit objectives aligned to this one (a unit objective
    aligned to a company one): its personal objectives load when the reader opens them."""
    return (
        objective.level == Objective.Level.UNIT
        and objective.parent_id is not None
        and objective.parent.level == Objective.Level.COMPANY
    )


def _set_more(node: dict, *, first: bool) -> None:
    """What is aligned to the node and was not read, loaded when opened: all of it (`more`) when
    nothing was read, or on the first screen the personal objectives below the units read (`rest`)."""
    objective: Objective = node["item"]
    node["more"] = 0 if node["children"] else objective.aligned_count
    node["rest"] = 0
    if first and node["children"] and _units_only_below(objective):
        node["rest"] = objective.aligned_count - len(node["children"])


def build_cascade(
    *, actor: User, period: Period, periods: list[Period], unit_ids: set[int] | None = None, query: str = ""
) -> dict:
    """The tree for a period: themes → company → unit → personal objectives, plus the loose ends.

    - `themes`: theme nodes with their aligned objectives below them;
    - `unaligned`: objectives aligned to nothing (below company level, or company objectives
      without a theme), each with what is aligned to it;
    - `elsewhere`: objectives aligned to an objective or theme outside the period shown.
    With `unit_ids`, only the branches of those units, with their ancestors for context; with
    `query`, only the first SEARCH_LIMIT matches (`capped` when there were more) with their
    ancestors, shown open. What was not read loads when opened (`more`, `rest`). `periods`: every
    period, as the page loaded them (the period's family, those inside it and those around it).
    """
    visible = in_period(actor=actor, period=period, periods=periods)
    themes = list(by_perspective(themes_in_view(period, family=family_of(period, periods))))
    theme_nodes = [{"kind": "theme", "item": t, "pk": str(t.pk), "children": [], "match": True} for t in themes]
    needle = query.strip()
    search = _search(visible, themes, needle, unit_ids) if needle else None
    if search is not None:
        read = visible.filter(pk__in=search_part_ids(search.objectives, theme_ids=search.themes, below=search.below))
    elif unit_ids is not None:
        read = visible.filter(pk__in=unit_part_ids(period, unit_ids))
    else:
        read = visible.filter(pk__in=first_screen_ids(period, around=around_ids(period, periods)))
    nodes, unaligned, elsewhere = _place(
        list(with_more(read, actor=actor, period=period, periods=periods)), theme_nodes
    )
    groups = [theme_nodes, unaligned, elsewhere]
    if unit_ids is not None:
        groups = _keep(groups, _involving(unit_ids))
    if search is not None:
        groups = _keep(groups, search.found)
    theme_nodes, unaligned, elsewhere = groups

    first = unit_ids is None and search is None
    for node in nodes.values():
        _set_more(node, first=first)
    shown = 0
    open_all = search is not None
    for node in theme_nodes:
        node["depth"] = 0
        node["open"] = True
        node["count"] = _finish(node["children"], 1, node["item"].perspective, open_all=open_all)
        shown += node["count"]
    shown += _finish(unaligned, 0, open_all=open_all) + _finish(elsewhere, 0, open_all=open_all)
    if first:  # count what the tree holds, not only what was read
        counts = tree_counts(visible, period)
        shown = counts.total
        for node in theme_nodes:
            node["count"] = counts.by_theme.get(node["item"].pk, 0)
    return {
        "themes": theme_nodes,
        "unaligned": unaligned,
        "elsewhere": elsewhere,
        "theme_rows": tree_rows(theme_nodes),
        "unaligned_rows": tree_rows(unaligned),
        "elsewhere_rows": tree_rows(elsewhere, show_parent=True),
        "objective_count": shown,
        "unaligned_count": len(unaligned),
        "capped": search is not None and search.capped,
        "search_limit": SEARCH_LIMIT,
    }


def cascade_children(
    *, actor: User, period: Period, objective: Objective, level: str = "", periods: list[Period] | None = None
) -> list[dict]:
    """The objectives aligned directly to one objective (only those of `level`, if given), as tree
    nodes whose own aligned objectives are loaded when opened (the page asks for them node by node)."""
    children = in_period(actor=actor, period=period, periods=periods).filter(parent=objective)
    if level:
        children = children.filter(level=level)
    row = row_context()
    nodes = [objective_node(child, row) for child in with_more(children, actor=actor, period=period, periods=periods)]
    for node in nodes:
        _set_more(node, first=False)
    _finish(nodes, 0)
    return nodes
