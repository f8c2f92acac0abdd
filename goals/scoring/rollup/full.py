"""The nightly full recompute: read and compute outside any lock, then write only the rows that
changed, per year tree, in a short transaction under that tree's lock (the protocol is in the
package's docstring)."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction

from goals.models import Objective, Period, ScoreRecord, ScoreSnapshot, StrategicTheme
from goals.scoring.engine import Rollup
from goals.scoring.rollup import check, writes
from goals.scoring.rollup.compute import Key, ObjectiveRow, compute_all, fill_theme_periods, keys_of
from goals.scoring.rollup.scope import GRACE_DAYS, OBJECTIVE_FIELDS, lock, root_of, snapshot_due, today, year_trees
from goals.scoring.selectors import KeyResultToScore, key_results_to_score

logger = logging.getLogger(__name__)

Stored = tuple[int, Decimal | None, Decimal | None]  # (id, score, progress) of a record or snapshot


def after_compute() -> None:
    """Called between the read-and-compute phase and the writes (a test holds a run here)."""


@dataclass
class Read:
    """What the read phase found: the inputs, and the derived rows as they are stored."""

    objectives: list[ObjectiveRow]
    key_results: list[KeyResultToScore]
    theme_periods: dict[int, int]
    records: dict[Key, Stored]
    snapshots: dict[Key, Stored]  # of the day, in the periods due


@dataclass
class Changes:
    """The rows of one year tree to write: (id, …) updates, new rows and stale records."""

    key_results: list[tuple] = field(default_factory=list)  # (id, achievement, objective id)
    objectives: list[tuple] = field(default_factory=list)  # (id, score, progress)
    new_records: list[tuple[Key, Rollup]] = field(default_factory=list)
    changed_records: list[tuple] = field(default_factory=list)  # (id, score, progress, key)
    stale_records: list[tuple] = field(default_factory=list)  # (id, key)
    new_snapshots: list[tuple[Key, Rollup]] = field(default_factory=list)
    changed_snapshots: list[tuple] = field(default_factory=list)  # (id, score, progress, key)

    def __bool__(self) -> bool:
        return any(vars(self).values())

    def without(self, objective_ids: set[int], keys: set[Key]) -> Changes:
        """These changes less the rows of these objectives (and their key results) and subjects."""
        return Changes(
            [r for r in self.key_results if r[2] not in objective_ids],
            [r for r in self.objectives if r[0] not in objective_ids],
            [r for r in self.new_records if r[0] not in keys],
            [r for r in self.changed_records if r[3] not in keys],
            [r for r in self.stale_records if r[1] not in keys],
            [r for r in self.new_snapshots if r[0] not in keys],
            [r for r in self.changed_snapshots if r[3] not in keys],
        )


def _roots(periods: dict[int, Period], period: Period | None, day: date) -> set[int]:
    if period is not None:
        return {root_of(periods, period.pk)}
    cutoff = day - timedelta(days=GRACE_DAYS)
    return {pk for pk, p in periods.items() if p.parent_id is None and p.end >= cutoff}


def _begin(roots: set[int]) -> datetime:
    """The time the read begins, taken under the locks: a path run that commits after it was
    stamped at or after it (it took the lock later); one stamped before it has committed."""
    with transaction.atomic():
        return lock(roots)


def _stored(rows) -> dict[Key, Stored]:
    return {(kind, subject_id, period_id): (pk, score, prog) for pk, kind, subject_id, period_id, score, prog in rows}


def _read(scope: set[int], periods: dict[int, Period], *, day: date, as_of: date | None) -> Read:
    columns = ("pk", "kind", "subject_id", "period_id", "score", "progress")
    records = {} if as_of else _stored(ScoreRecord.objects.filter(period_id__in=scope).values_list(*columns))
    due = [pk for pk in scope if snapshot_due(periods[pk], day)]
    snapshots = ScoreSnapshot.objects.filter(period_id__in=due, day=day).values_list(*columns) if due else []
    objectives = Objective.objects.filter(period_id__in=scope).order_by("pk")
    return Read(
        objectives=[ObjectiveRow(*row) for row in objectives.values_list(*OBJECTIVE_FIELDS)],
        key_results=key_results_to_score(period_ids=sorted(scope), as_of=as_of),
        theme_periods=dict(StrategicTheme.objects.filter(period_id__in=scope).values_list("pk", "period_id")),
        records=records,
        snapshots=_stored(snapshots),
    )


def _cache_changes(read: Read, results, subjects: dict[Key, Rollup], tree_of) -> dict[int, Changes]:
    """Key results, objectives and records whose computed values differ from the stored ones."""
    changes: dict[int, Changes] = defaultdict(Changes)
    period_of = {o.pk: o.period_id for o in read.objectives}
    for kr in read.key_results:
        value = results.key_results[kr.pk]
        if kr.achievement != value:
            changes[tree_of[period_of[kr.objective_id]]].key_results.append((kr.pk, value, kr.objective_id))
    for o in read.objectives:
        r = results.objectives[o.pk]
        if (o.score, o.progress) != (r.score, r.progress):
            changes[tree_of[o.period_id]].objectives.append((o.pk, r.score, r.progress))
    for key, r in sorted(subjects.items()):
        stored = read.records.get(key)
        if stored is None:
            changes[tree_of[key[2]]].new_records.append((key, r))
        elif stored[1:] != (r.score, r.progress):
            changes[tree_of[key[2]]].changed_records.append((stored[0], r.score, r.progress, key))
    for key, (pk, _score, _progress) in sorted(read.records.items()):
        if key not in subjects:
            changes[tree_of[key[2]]].stale_records.append((pk, key))
    return changes


def _changes(read: Read, results, subjects, *, periods, day: date, backfill: bool) -> dict[int, Changes]:
    """What to write, by year tree (its root period's id)."""
    tree_of = {pk: root_of(periods, pk) for pk in periods}
    changes = defaultdict(Changes) if backfill else _cache_changes(read, results, subjects, tree_of)
    for key, r in sorted(subjects.items()):
        if not snapshot_due(periods[key[2]], day):
            continue
        stored = read.snapshots.get(key)
        if stored is None:
            changes[tree_of[key[2]]].new_snapshots.append((key, r))
        elif stored[1:] != (r.score, r.progress):
            changes[tree_of[key[2]]].changed_snapshots.append((stored[0], r.score, r.progress, key))
    return changes


def _written_since(started: datetime, tree: set[int]) -> list[Objective]:
    """The objectives a path run wrote after the read began (it stamps every objective of its path)."""
    fields = ("id", "parent_id", "period_id", "level", "owner_employee_id", "owner_unit_id", "theme_id")
    return list(Objective.objects.filter(period_id__in=tree, score_updated_at__gte=started).only(*fields))


def _write(changes: Changes, *, day: date, now: datetime) -> None:
    writes.key_results_update([(pk, value) for pk, value, _objective in changes.key_results])
    writes.objectives_update(changes.objectives, now=now)
    writes.delete_rows(ScoreRecord, [pk for pk, _key in changes.stale_records])
    writes.records_update([row[:3] for row in changes.changed_records], now=now)
    writes.upsert(
        ScoreRecord,
        [ScoreRecord(kind=k, subject_id=s, period_id=p, score=r.score, progress=r.progress, computed_at=now)
         for (k, s, p), r in changes.new_records],
        unique=["kind", "subject_id", "period"], fields=["score", "progress", "computed_at", "updated_at"],
    )  # fmt: skip
    writes.snapshots_update([row[:3] for row in changes.changed_snapshots], now=now)
    writes.upsert(
        ScoreSnapshot,
        [ScoreSnapshot(kind=k, subject_id=s, period_id=p, day=day, score=r.score, progress=r.progress)
         for (k, s, p), r in changes.new_snapshots],
        unique=["kind", "subject_id", "period", "day"], fields=["score", "progress", "updated_at"],
    )  # fmt: skip


def _write_tree(changes: Changes, *, root: int, tree: set[int], read: Read, started, day, guard: bool) -> set[int]:
    """Write one year tree's changes under its lock; with `guard`, leave out what a path run wrote
    since the read began. Returns the objectives whose paths must run again (the starts of those paths)."""
    with transaction.atomic():
        now = lock([root])
        written = _written_since(started, tree) if guard else []
        if written:
            changes = changes.without({o.pk for o in written}, keys_of(written, read.theme_periods))
        _write(changes, day=day, now=now)
    parents = {o.parent_id for o in written}
    return {o.pk for o in written if o.pk not in parents}


def recompute_all(period: Period | None = None, *, as_of: date | None = None) -> int:
    """Recompute every score of the open year trees (or of `period`'s year tree). Returns the number of objectives.

    With `as_of` (a past day) nothing cached changes: the scores as they stood on that day — from
    the progress updates dated up to it and the milestones done by then, with today's statuses
    and weights — are written as that day's snapshots (a backfill for trend charts).
    """
    from goals.scoring.rollup.path import recompute_objective_path

    day = as_of or today()
    periods = Period.objects.in_bulk()
    roots = _roots(periods, period, day)
    if not roots:
        return 0
    checking = as_of is None and check.available()
    unchanged = _unchanged(roots, periods, day) if checking else {}
    roots -= unchanged.keys()
    if not roots:
        checked = sum(unchanged.values())
        logger.info("Nothing changed in the scores or their inputs since today's run: %s objectives checked.", checked)
        return checked
    started = _begin(roots)
    scope = year_trees(periods, roots)
    read, inputs = _read_tree_inputs(scope, periods, roots=roots if checking else set(), day=day, as_of=as_of)
    results = compute_all(read.objectives, read.key_results)
    subjects = fill_theme_periods(results.subjects, read.theme_periods)
    changes = _changes(read, results, subjects, periods=periods, day=day, backfill=as_of is not None)
    after_compute()
    again: set[int] = set()
    for root in sorted(roots):
        if changes.get(root):
            tree = year_trees(periods, {root})
            again |= _write_tree(changes[root], root=root, tree=tree, read=read, started=started, day=day,
                                 guard=as_of is None)  # fmt: skip
    for objective_id in sorted(again):  # their parents now count the children this run wrote
        recompute_objective_path(objective_id=objective_id)
    for root, inputs_read in sorted(inputs.items()):  # what this run verified, for the next one
        # No lock: the digests are one statement's snapshot. A path run that writes after it leaves
        # scores the next check finds changed; one from inputs newer than the read, inputs changed.
        tree = year_trees(periods, {root})
        count = sum(1 for o in read.objectives if o.period_id in tree)
        check.record(root, inputs_read=inputs_read, now=check.digests(periods, root, day), day=day, objectives=count)
    logger.info("Recomputed the scores of %s objectives (day %s).", len(read.objectives), day)
    return len(read.objectives) + sum(unchanged.values())


def _unchanged(roots: set[int], periods: dict[int, Period], day: date) -> dict[int, int]:
    """{root: objectives} of the year trees in which nothing changed since today's full run (check)."""
    found = {}
    for root in sorted(roots):
        verified = check.unchanged(periods, root, day)
        if verified is not None:
            found[root] = verified.objectives
    return found


def _read_tree_inputs(scope: set[int], periods, *, roots: set[int], day: date, as_of) -> tuple[Read, dict[int, str]]:
    """The read phase, and the digest of each tree's inputs as read (for `roots`): in one snapshot of
    the database (a read-only transaction, repeatable read — no lock), so the digest is of what was read."""
    if not roots:
        return _read(scope, periods, day=day, as_of=as_of), {}
    outer = connection.in_atomic_block  # (inside a caller's transaction: its own snapshot rules)
    with transaction.atomic():
        if not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        read = _read(scope, periods, day=day, as_of=as_of)
        inputs = {root: check.digests(periods, root, day).inputs for root in sorted(roots)}
    return read, inputs
