"""The path after a progress update: one key result or objective up to the root, under the year
tree's lock; every objective of the path is written and stamped, changed or not (the full run
relies on the stamp)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q

from goals.models import KeyResult, Objective, Period, ScoreKind, ScoreRecord, ScoreSnapshot, StrategicTheme
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
from goals.scoring.rollup.scope import OBJECTIVE_FIELDS, lock, root_of, snapshot_due, today
from goals.scoring.selectors import key_results_to_score
from org.selectors import tree_ancestor_ids


def recompute_path(*, key_result_id: int) -> bool:
    """Recompute from one key result up to the root. False when the key result is gone."""
    objective_id = KeyResult.objects.filter(pk=key_result_id).values_list("objective_id", flat=True).first()
    if objective_id is None:
        return False
    return recompute_objective_path(objective_id=objective_id)


def _feeding(path: dict[int, Objective], path_ids: list[int]) -> dict[int, Objective]:
    """Everything that feeds the people, units and themes on the path, in one query."""
    feeds = Q(pk__in=[])
    for o in path.values():
        if o.level == Objective.Level.PERSON and o.owner_employee_id:
            feeds |= Q(level=o.level, owner_employee_id=o.owner_employee_id, period_id=o.period_id)
        elif o.owner_unit_id:
            feeds |= Q(level__in=OWNER_LEVELS, owner_unit_id=o.owner_unit_id, period_id=o.period_id)
        if o.theme_id:
            feeds |= Q(theme_id=o.theme_id)
    feeding = {o.pk: o for o in Objective.objects.filter(feeds).only(*OBJECTIVE_FIELDS)}
    for pk in path_ids:  # the statuses and weights just read, with the fresh scores
        feeding.setdefault(pk, path[pk])
    return feeding


def recompute_objective_path(*, objective_id: int) -> bool:
    """Recompute an objective (all its key results), its ancestors and what they feed. False when it is gone."""
    start = Objective.objects.filter(pk=objective_id).values_list("period_id", flat=True).first()
    if start is None:
        return False
    day = today()
    with transaction.atomic():
        periods = Period.objects.in_bulk()
        now = lock([root_of(periods, start)])
        path_ids = [objective_id, *tree_ancestor_ids(Objective, "parent", objective_id)]  # bottom up
        path = Objective.objects.only(*OBJECTIVE_FIELDS).in_bulk(path_ids)
        path_ids = [pk for pk in path_ids if pk in path]
        kr_rows = key_results_to_score(objective_ids=path_ids)
        kr_values, krs_by_objective = achievements(kr_rows)
        children: dict[int, list[Objective]] = defaultdict(list)
        for child in Objective.objects.filter(parent_id__in=path_ids).only(*OBJECTIVE_FIELDS).order_by("pk"):
            children[child.parent_id].append(child)
        fresh: dict[int, Rollup] = {}
        for pk in path_ids:
            values = {c: (r.score, r.progress) for c, r in fresh.items()}
            fresh[pk] = score_objective(path[pk], krs_by_objective.get(pk, []), children[pk], values)

        values = {pk: (r.score, r.progress) for pk, r in fresh.items()}
        theme_ids = {o.theme_id for o in path.values() if o.theme_id}
        theme_periods = dict(StrategicTheme.objects.filter(pk__in=theme_ids).values_list("pk", "period_id"))
        keys = keys_of(path.values(), theme_periods)
        computed = fill_theme_periods(score_owners(_feeding(path, path_ids).values(), values), theme_periods)
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
