"""The first screen's counts: how many objectives the period holds for the reader, and how many
sit in each theme's branch — one pass over the rows, never the recursion."""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from django.db import connection
from django.db.models import QuerySet

from goals.models import Objective, Period
from goals.strategy.cascade import portable
from goals.strategy.cascade.reads import OBJECTIVES, PERIODS


class TreeCounts(NamedTuple):
    total: int  # the objectives of `visible`
    by_theme: dict[int, int]  # {theme id: how many of them sit in its branch}


def tree_counts(visible: QuerySet[Objective], period: Period) -> TreeCounts:
    """How many objectives `visible` holds, and per theme how many sit in its branch: aligned to
    the theme, or below one that is, through objectives that are all in `visible`.

    One pass over the rows in the database, counting what is aligned to each objective, and the
    objectives something is aligned to looked up by id; the branches are followed up in Python (no
    recursive query). Something aligned to is a company or unit objective (ALIGN_TO), which every
    reader may see: it is in `visible` when it is in the period."""
    if connection.vendor != "postgresql":  # the embedded default
        total, nodes, roots = portable.node_rows(visible, period)
        return TreeCounts(total=total, by_theme=dict(roots + branch_totals(nodes)))
    rows_sql, params = visible.order_by().values_list("parent_id", "theme_id").query.sql_with_params()
    sql = (
        f"WITH c AS (SELECT v.parent_id, CASE WHEN v.parent_id IS NULL THEN v.theme_id END AS theme_id,"  # noqa: S608
        f" COUNT(*) AS n FROM ({rows_sql}) v(parent_id, theme_id) GROUP BY 1, 2)"
        f" SELECT 'node', o.id, o.parent_id, o.theme_id, c.n FROM c JOIN LATERAL"  # by primary key, not a scan:
        f" (SELECT id, parent_id, theme_id, period_id FROM {OBJECTIVES} WHERE id = c.parent_id LIMIT 1) o ON TRUE"
        f' WHERE o.period_id IN (SELECT id FROM {PERIODS} WHERE start >= %s AND "end" <= %s)'
        f" UNION ALL SELECT 'root', NULL, NULL, theme_id, n FROM c WHERE parent_id IS NULL"
        f" UNION ALL SELECT 'all', NULL, NULL, NULL, SUM(n)::bigint FROM c"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, period.start, period.end])
        fetched = cursor.fetchall()
    total = 0
    nodes: dict[int, tuple[int | None, int | None, int]] = {}  # id: (parent id, theme id, aligned to it)
    roots: Counter[int] = Counter()  # theme id: objectives aligned to the theme
    for kind, pk, parent_id, theme_id, aligned in fetched:
        if kind == "node":
            nodes[pk] = (parent_id, theme_id, aligned)
        elif kind == "root" and theme_id is not None:
            roots[theme_id] += aligned
        elif kind == "all":
            total = aligned or 0
    return TreeCounts(total=total, by_theme=dict(roots + branch_totals(nodes)))


def branch_totals(nodes: dict[int, tuple[int | None, int | None, int]]) -> Counter[int]:
    """{theme id: objectives aligned below its objectives} from {id: (parent id, theme id, how many
    are aligned to it)} of every objective something is aligned to: each adds what is aligned to it
    to the theme its way up ends at; a way up that leaves `nodes` (the parent is not in the set), or
    ends without a theme, adds to none."""
    theme_of: dict[int, int | None] = {}
    totals: Counter[int] = Counter()
    for start, (_, _, aligned) in nodes.items():
        path: list[int] = []
        pk: int | None = start
        theme: int | None = None
        while pk is not None:
            if pk in theme_of:
                theme = theme_of[pk]
                break
            if pk not in nodes or pk in path:  # left the set, or a loop: no theme above
                break
            path.append(pk)
            parent_id, theme_id, _ = nodes[pk]
            if parent_id is None:
                theme = theme_id
                break
            pk = parent_id
        for seen in path:
            theme_of[seen] = theme
        if theme is not None:
            totals[theme] += aligned
    return totals
