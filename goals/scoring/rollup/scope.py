"""Which periods a run covers, the advisory lock per fiscal-year tree and the time stamps that
tell the full run which subjects a path run wrote after the full run began to read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import connection
from django.utils import timezone

from goals.models import Period

GRACE_DAYS = 31
LOCK_NAMESPACE = 0x570C  # first key of pg_advisory_xact_lock(int, int); the second is the year's id

OBJECTIVE_FIELDS = [
    "id", "period_id", "parent_id", "theme_id", "level", "track", "status", "weight", "contribution_weight",
    "children_weight", "owner_employee_id", "owner_unit_id", "score", "progress", "score_updated_at",
]  # fmt: skip


def today() -> date:
    return timezone.localdate()


def root_of(periods: dict[int, Period], period_id: int) -> int:
    node, seen = period_id, set()
    while periods[node].parent_id is not None and node not in seen:
        seen.add(node)
        node = periods[node].parent_id
    return node


def year_trees(periods: dict[int, Period], roots: set[int]) -> set[int]:
    """The given top-level periods and every period under them."""
    return {pk for pk in periods if root_of(periods, pk) in roots}


def lock(root_ids: Iterable[int]) -> datetime:
    """Take the advisory lock of these year trees (PostgreSQL; released when the transaction ends)
    and return the database's clock once it is held — the time stamp of what this run writes.

    Every writer of the cached scores stamps its rows with this time, taken under the lock, so a
    row stamped before time T was committed before T (or the writer held the lock at T)."""
    if connection.vendor != "postgresql":
        return timezone.now()
    now = None
    with connection.cursor() as cursor:
        for root_id in sorted(set(root_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s), clock_timestamp()", [LOCK_NAMESPACE, root_id])
            now = cursor.fetchone()[1]
    return now or timezone.now()


_TREE_LOCK = (
    "WITH RECURSIVE up(id, parent_id, depth) AS ("
    " SELECT id, parent_id, 0 FROM {table} WHERE id = %s"
    " UNION ALL SELECT p.id, p.parent_id, up.depth + 1 FROM {table} p JOIN up ON p.id = up.parent_id"
    " WHERE up.depth < 50"
    ") SELECT pg_advisory_xact_lock(%s, (SELECT id FROM up ORDER BY depth DESC LIMIT 1)::integer), clock_timestamp()"
)


def lock_tree_of(period_id: int) -> datetime:
    """`lock` for the year tree of this period, its top found in the same query (root_of's answer:
    the period at the top of the chain of parents)."""
    if connection.vendor != "postgresql":
        return timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_TREE_LOCK.format(table=Period._meta.db_table), [period_id, LOCK_NAMESPACE])
        return cursor.fetchone()[1]


def snapshot_due(period: Period, day: date) -> bool:
    return period.end >= day - timedelta(days=GRACE_DAYS) and period.start <= day
