"""The path after a progress update: one key result or objective up to the root, under the year
tree's lock; every objective of the path is written and stamped, changed or not (the full run
relies on the stamp)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import F, Q

from goals.models import KeyResult, Objective, Period, ScoreKind, ScoreRecord, ScoreSnapshot
from goals.scoring.engine import Rollup, counts_for_alignment
from goals.scoring.rollup import writes
from goals.scoring.rollup.compute import (
    OWNER_LEVELS,
    Key,
    achievements,
    fill_theme_periods,
    keys_of,
    score_objective,
    score_owners,
)
from goals.scoring.rollup.scope import OBJECTIVE_FIELDS, lock_tree_of, snapshot_due, today
from goals.scoring.selectors import key_results_to_score
from org.selectors import ancestors_sql


def recompute_path(*, key_result_id: int) -> bool:
    """Recompute from one key result up to the root. False when the key result is gone."""
    row = KeyResult.objects.filter(pk=key_result_id).values_list("objective_id", "objective__period_id").first()
    return False if row is None else _recompute(*row)


def recompute_objective_path(*, objective_id: int) -> bool:
    """Recompute an objective (all its key results), its ancestors and what they feed. False when it is gone."""
    period_id = Objective.objects.filter(pk=objective_id).values_list("period_id", flat=True).first()
    return False if period_id is None else _recompute(objective_id, period_id)


PATH_DATES = {  # read with the path's objectives
    "period_start": "period__start",
    "period_end": "period__end",
    "theme_period_id": "theme__period_id",
    "theme_period_start": "theme__period__start",
    "theme_period_end": "theme__period__end",
}


def _path(objective_id: int) -> tuple[list[int], dict[int, Objective]]:
    """The objective and every objective it is aligned under, bottom up, with their periods' and themes'
    dates (for today's snapshots), in one query."""
    rows = (
        Objective.objects.filter(pk__in=ancestors_sql(Objective, "parent", objective_id, include_self=True))
        .only(*OBJECTIVE_FIELDS)
        .annotate(**{name: F(path) for name, path in PATH_DATES.items()})
    )
    path = {o.pk: o for o in rows}
    ids, current = [], objective_id
    while current in path and current not in ids:  # following the parents (a loop in bad data is cut)
        ids.append(current)
        current = path[current].parent_id
    return ids, path


def _periods_of(path: dict[int, Objective]) -> tuple[dict[int, Period], dict[int, int]]:
    """The (unsaved) periods of the path's objectives and themes, with their dates; {theme id: its period id}."""
    periods = {o.period_id: Period(pk=o.period_id, start=o.period_start, end=o.period_end) for o in path.values()}
    theme_periods = {}
    for o in path.values():
        if o.theme_id and o.theme_period_id:
            theme_periods[o.theme_id] = o.theme_period_id
            periods[o.theme_period_id] = Period(pk=o.theme_period_id, start=o.theme_period_start,
                                                end=o.theme_period_end)  # fmt: skip
    return periods, theme_periods


def _around(path: dict[int, Objective], path_ids: list[int]) -> tuple[dict[int, list[Objective]], dict[int, Objective]]:
    """In one query: the objectives aligned directly under the path's ({parent id: children}), and
    everything that feeds the people, units and themes on the path (with the path itself)."""
    feeds = Q(parent_id__in=path_ids)
    for o in path.values():
        if o.level == Objective.Level.PERSON and o.owner_employee_id:
            feeds |= Q(level=o.level, owner_employee_id=o.owner_employee_id, period_id=o.period_id)
        elif o.owner_unit_id:
            feeds |= Q(level__in=OWNER_LEVELS, owner_unit_id=o.owner_unit_id, period_id=o.period_id)
        if o.theme_id:
            feeds |= Q(theme_id=o.theme_id)
    children: dict[int, list[Objective]] = defaultdict(list)
    feeding: dict[int, Objective] = {}
    for row in Objective.objects.filter(feeds).only(*OBJECTIVE_FIELDS).order_by("pk"):
        if row.parent_id in path:
            children[row.parent_id].append(row)
        feeding[row.pk] = row  # (a child that feeds nothing on the path makes subjects left out below)
    for pk in path_ids:  # the statuses and weights just read, with the fresh scores
        feeding.setdefault(pk, path[pk])
    return children, feeding


def _recompute(objective_id: int, period_id: int) -> bool:
    day = today()
    with transaction.atomic():
        now = lock_tree_of(period_id)
        path_ids, path = _path(objective_id)
        if not path_ids:
            return False
        kr_rows = key_results_to_score(objective_ids=path_ids)
        kr_values, krs_by_objective = achievements(kr_rows)
        children, feeding = _around(path, path_ids)
        fresh: dict[int, Rollup] = {}
        for pk in path_ids:
            values = {c: (r.score, r.progress) for c, r in fresh.items()}
            fresh[pk] = score_objective(path[pk], krs_by_objective.get(pk, []), children[pk], values)

        values = {pk: (r.score, r.progress) for pk, r in fresh.items()}
        periods, theme_periods = _periods_of(path)
        keys = keys_of([path[pk] for pk in path_ids], theme_periods)
        computed = fill_theme_periods(score_owners(feeding.values(), values), theme_periods)
        subjects = {k: v for k, v in computed.items() if k in keys}
        for pk in path_ids:
            o = path[pk]
            if counts_for_alignment(status=o.status):
                subjects[(ScoreKind.OBJECTIVE, pk, o.period_id)] = fresh[pk]

        writes.key_results_update([(kr.pk, kr_values[kr.pk]) for kr in kr_rows if kr.achievement != kr_values[kr.pk]])
        writes.objectives_update([(pk, fresh[pk].score, fresh[pk].progress) for pk in path_ids], now=now)
        _write_records(subjects, now=now, stale_pks=_stale_records(keys - subjects.keys()))
        _write_snapshots(subjects, periods=periods, day=day)
    return True


def _write_records(subjects: dict[Key, Rollup], *, now: datetime, stale_pks: list[int]) -> None:
    rows = [
        ScoreRecord(kind=k, subject_id=s, period_id=p, score=r.score, progress=r.progress, computed_at=now)
        for (k, s, p), r in sorted(subjects.items())
    ]
    writes.upsert(ScoreRecord, rows, unique=["kind", "subject_id", "period"],
                  fields=["score", "progress", "computed_at", "updated_at"])  # fmt: skip
    if stale_pks:
        writes.delete_rows(ScoreRecord, stale_pks)


def _write_snapshots(subjects: dict[Key, Rollup], *, periods: dict[int, Period], day: date) -> None:
    rows = [
        ScoreSnapshot(kind=k, subject_id=s, period_id=p, day=day, score=r.score, progress=r.progress)
        for (k, s, p), r in sorted(subjects.items())
        if snapshot_due(periods[p], day)
    ]
    writes.upsert(ScoreSnapshot, rows, unique=["kind", "subject_id", "period", "day"],
                  fields=["score", "progress", "updated_at"])  # fmt: skip


def _stale_records(gone: Iterable[Key]) -> list[int]:
    """Records of subjects that no longer have anything counted (e.g. the last objective was cancelled)."""
    gone = sorted(gone)
    if not gone:
        return []
    condition = Q(pk__in=[])
    for kind, subject_id, period_id in gone:
        condition |= Q(kind=kind, subject_id=subject_id, period_id=period_id)
    return list(ScoreRecord.objects.filter(condition).values_list("pk", flat=True))
