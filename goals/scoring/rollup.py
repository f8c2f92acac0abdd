"""Score roll-ups: keep the cached scores and the daily snapshots in step with progress.

- `recompute_path(key_result_id=…)`: after a progress update — that key result, the others of
  its objective, the objective, its ancestors (the parent chain) and the person, unit and theme
  scores they feed; then today's snapshots of those subjects.
- `recompute_objective_path(objective_id=…)`: the same from an objective (approved, closed,
  cancelled: its weight in the roll-ups changed).
- `recompute_all(period=None)`: the nightly full recompute, set-based — a fixed number of
  queries whatever the number of people and objectives: load, compute in Python with the pure
  functions of goals.scoring.engine, write with bulk_update and upserts.

Scope: roll-ups work on whole fiscal-year trees (a year with its halves, quarters and months),
because an objective of a quarter may be aligned under one of its year. The full recompute
covers every year that has not ended more than GRACE_DAYS ago (late progress updates still
count), or the year tree of the period it is given.

Both are idempotent (a second run changes nothing but the computed-at times) and safe with two
workers at once: the results follow from committed data only, every write is an upsert, and on
PostgreSQL each run holds a transaction-level advisory lock per year tree, so runs on the same
tree take turns and each one reads what the one before it committed. (SQLite, a single-writer
database, needs no lock.)

Snapshots: one row per subject and day (today, or `as_of` for a backfill from the progress
history) for subjects whose period ended at most GRACE_DAYS before that day.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from goals.models import KeyResult, Objective, Period, ScoreKind, ScoreRecord, ScoreSnapshot, StrategicTheme
from goals.objectives.selectors import objective_list_for_owner
from goals.scoring import engine
from goals.scoring.engine import (
    DEFAULT_CAP,
    ChildInput,
    KeyResultFigures,
    KeyResultInput,
    Part,
    Rollup,
    achievement,
    counts_for_alignment,
    counts_for_owner,
    objective_rollup,
    person_score,
    theme_score,
    unit_score,
)
from goals.scoring.selectors import key_results_for_scoring
from org.selectors import tree_ancestor_ids

logger = logging.getLogger(__name__)

GRACE_DAYS = 31
LOCK_NAMESPACE = 0x570C  # first key of pg_advisory_xact_lock(int, int); the second is the year's id
OWNER_LEVELS = (Objective.Level.UNIT, Objective.Level.COMPANY)
SCORE_FIELDS = ["score", "progress", "computed_at", "updated_at"]
SNAPSHOT_FIELDS = ["score", "progress", "updated_at"]

Key = tuple[str, int, int]  # (kind, subject_id, period_id)


# --- the rules that turn rows into parts (shared with goals.scoring.explain) ------------------


def key_result_figures(kr: KeyResult) -> KeyResultFigures:
    """The figures of a key result read by selectors.key_results_for_scoring."""
    return KeyResultFigures(
        direction=kr.direction,
        baseline=kr.baseline,
        target=kr.target,
        stretch=kr.stretch,
        range_low=kr.range_low,
        range_high=kr.range_high,
        milestones_total=getattr(kr, "milestones_total", 0) or 0,
        milestones_done=getattr(kr, "milestones_done", 0) or 0,
    )


def key_result_achievement(kr: KeyResult) -> Decimal | None:
    """Achievement (0 … the period's cap) of a key result read by selectors.key_results_for_scoring."""
    return achievement(key_result_figures(kr), kr.latest_value, cap=kr.objective.period.achievement_cap)


def key_result_part(kr: KeyResult, value: Decimal | None) -> Part:
    return engine.key_result_part(kr.weight, value)


def child_input(child: Objective, score: Decimal | None, progress: Decimal | None) -> ChildInput:
    return ChildInput(weight=child.contribution_weight, status=child.status, score=score, progress=progress)


def child_part(child: Objective, score: Decimal | None, progress: Decimal | None) -> Part:
    """An aligned objective in its parent's score: by its contribution weight, when approved or closed."""
    return engine.child_part(child_input(child, score, progress))


def owner_part(objective: Objective, score: Decimal | None, progress: Decimal | None) -> Part:
    """An objective in its owner's (person's or unit's) score: by its weight, when counted and approved or closed."""
    return Part(
        objective.weight, score, progress, counted=counts_for_owner(track=objective.track, status=objective.status)
    )


def theme_part(objective: Objective, score: Decimal | None, progress: Decimal | None) -> Part:
    """An objective in its theme's score: by its weight, when approved or closed (either track)."""
    return Part(objective.weight, score, progress, counted=counts_for_alignment(status=objective.status))


def has_counted(parts: Iterable[Part]) -> bool:
    return any(p.counted for p in parts)


def person_score_with_fresh(*, employee, period: Period, fresh: dict[int, Rollup]) -> Rollup | None:
    """A person's results score in a period as the roll-up computes it, with `fresh` objective
    scores in place of the cached ones (one query). None when nothing counts yet."""
    objectives = list(objective_list_for_owner(employee=employee, period=period).prefetch_related(None))
    parts = [owner_part(o, *((fresh[o.pk].score, fresh[o.pk].progress) if o.pk in fresh else (o.score, o.progress)))
             for o in objectives]  # fmt: skip
    return person_score(parts) if has_counted(parts) else None


# --- computing ----------------------------------------------------------------------


@dataclass
class Results:
    """What one run computed."""

    key_results: dict[int, Decimal | None]
    objectives: dict[int, Rollup]
    subjects: dict[Key, Rollup]  # person, unit and theme scores (and objectives, for records)


def _achievements(rows: Iterable[KeyResult]) -> tuple[dict[int, Decimal | None], dict[int, list[tuple]]]:
    values: dict[int, Decimal | None] = {}
    by_objective: dict[int, list[tuple]] = defaultdict(list)
    for kr in rows:
        values[kr.pk] = key_result_achievement(kr)
        by_objective[kr.objective_id].append((kr, values[kr.pk]))
    return values, by_objective


def _score_objective(objective: Objective, krs: list[tuple], children: list[Objective], values: dict) -> Rollup:
    """`values`: fresh (score, progress) by objective id; other children count with their cached scores.
    The same function as an objective's card (engine.objective_rollup), from the latest progress updates."""
    return objective_rollup(
        [KeyResultInput(key_result_figures(kr), kr.weight, kr.latest_value) for kr, _value in krs],
        [child_input(c, *values.get(c.pk, (c.score, c.progress))) for c in children],
        children_weight=objective.children_weight,
        cap=krs[0][0].objective.period.achievement_cap if krs else DEFAULT_CAP,  # no key result: the cap is unused
    )


def _score_owners(objectives: Iterable[Objective], values: dict) -> dict[Key, Rollup]:
    """Person, unit and theme scores from these objectives (all that feed each subject must be given)."""
    people: dict[tuple, list[Part]] = defaultdict(list)
    units: dict[tuple, list[Part]] = defaultdict(list)
    themes: dict[int, list[Part]] = defaultdict(list)
    for o in objectives:
        score, prog = values.get(o.pk, (o.score, o.progress))
        if o.level == Objective.Level.PERSON and o.owner_employee_id:
            people[(o.owner_employee_id, o.period_id)].append(owner_part(o, score, prog))
        elif o.level in OWNER_LEVELS and o.owner_unit_id:
            units[(o.owner_unit_id, o.period_id)].append(owner_part(o, score, prog))
        if o.theme_id:
            themes[o.theme_id].append(theme_part(o, score, prog))
    result: dict[tuple, Rollup] = {}
    for (employee_id, period_id), parts in people.items():
        if has_counted(parts):
            result[(ScoreKind.PERSON, employee_id, period_id)] = person_score(parts)
    for (unit_id, period_id), parts in units.items():
        if has_counted(parts):
            result[(ScoreKind.UNIT, unit_id, period_id)] = unit_score(parts)
    for theme_id, parts in themes.items():
        if has_counted(parts):
            result[(ScoreKind.THEME, theme_id, None)] = theme_score(parts)  # period filled in by the caller
    return result


def compute_all(objectives: list[Objective], kr_rows: Iterable[KeyResult]) -> Results:
    """Every score of these objectives (a closed set: every child of each one is among them)."""
    kr_values, krs_by_objective = _achievements(kr_rows)
    by_id = {o.pk: o for o in objectives}
    children: dict[int, list[Objective]] = defaultdict(list)
    for o in objectives:
        if o.parent_id in by_id:
            children[o.parent_id].append(o)
    done: dict[int, Rollup] = {}

    def visit(root: Objective) -> None:
        # Depth first, children before parents, without recursion; a loop in bad data is cut.
        stack, on_stack = [(root, False)], {root.pk}
        while stack:
            node, expanded = stack.pop()
            if node.pk in done:
                continue
            if not expanded:
                stack.append((node, True))
                for child in children[node.pk]:
                    if child.pk not in done and child.pk not in on_stack:
                        on_stack.add(child.pk)
                        stack.append((child, False))
                continue
            values = {c.pk: (done[c.pk].score, done[c.pk].progress) for c in children[node.pk] if c.pk in done}
            done[node.pk] = _score_objective(node, krs_by_objective.get(node.pk, []), children[node.pk], values)

    for o in objectives:
        visit(o)
    values = {pk: (r.score, r.progress) for pk, r in done.items()}
    subjects = _score_owners(objectives, values)
    for o in objectives:
        if counts_for_alignment(status=o.status):
            subjects[(ScoreKind.OBJECTIVE, o.pk, o.period_id)] = done[o.pk]
    return Results(kr_values, done, subjects)


# --- scope and locking ----------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _year_trees(periods: dict[int, Period], roots: set[int]) -> set[int]:
    """The given top-level periods and every period under them."""
    result = set()
    for pk in periods:
        node, seen = pk, set()
        while periods[node].parent_id is not None and node not in seen:
            seen.add(node)
            node = periods[node].parent_id
        if node in roots:
            result.add(pk)
    return result


def _root_of(periods: dict[int, Period], period_id: int) -> int:
    node, seen = period_id, set()
    while periods[node].parent_id is not None and node not in seen:
        seen.add(node)
        node = periods[node].parent_id
    return node


def _lock(root_ids: Iterable[int]) -> None:
    """Runs on the same year tree take turns (PostgreSQL); released when the transaction ends."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for root_id in sorted(set(root_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, root_id])


def _snapshot_due(period: Period, day: date) -> bool:
    return period.end >= day - timedelta(days=GRACE_DAYS) and period.start <= day


# --- writing ------------------------------------------------------------------------


def _write_records(subjects: dict[Key, Rollup], *, now, stale_pks: list[int]) -> None:
    rows = [
        ScoreRecord(kind=k, subject_id=s, period_id=p, score=r.score, progress=r.progress, computed_at=now)
        for (k, s, p), r in sorted(subjects.items())
    ]
    if rows:
        ScoreRecord.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["kind", "subject_id", "period"], update_fields=SCORE_FIELDS
        )
    if stale_pks:
        ScoreRecord.objects.filter(pk__in=stale_pks).delete()


def _write_snapshots(subjects: dict[Key, Rollup], *, periods: dict[int, Period], day: date) -> None:
    rows = [
        ScoreSnapshot(kind=k, subject_id=s, period_id=p, day=day, score=r.score, progress=r.progress)
        for (k, s, p), r in sorted(subjects.items())
        if _snapshot_due(periods[p], day)
    ]
    if rows:
        ScoreSnapshot.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["kind", "subject_id", "period", "day"],
            update_fields=SNAPSHOT_FIELDS,
        )


def _write_caches(results: Results, objectives: Iterable[Objective], kr_rows: Iterable[KeyResult], *, now) -> None:
    changed_krs = []
    for kr in kr_rows:
        value = results.key_results[kr.pk]
        if kr.achievement != value:
            kr.achievement = value
            changed_krs.append(kr)
    if changed_krs:
        KeyResult.objects.bulk_update(changed_krs, ["achievement"])
    rows = []
    for o in objectives:
        r = results.objectives[o.pk]
        o.score, o.progress, o.score_updated_at = r.score, r.progress, now
        rows.append(o)
    if rows:
        Objective.objects.bulk_update(rows, ["score", "progress", "score_updated_at"])


def _fill_theme_periods(subjects: dict, theme_periods: dict[int, int]) -> dict[Key, Rollup]:
    result = {}
    for (kind, subject_id, period_id), rollup in subjects.items():
        if kind == ScoreKind.THEME:
            period_id = theme_periods.get(subject_id)
            if period_id is None:
                continue
        result[(kind, subject_id, period_id)] = rollup
    return result


OBJECTIVE_FIELDS = [
    "id", "period_id", "parent_id", "theme_id", "level", "track", "status", "weight", "contribution_weight",
    "children_weight", "owner_employee_id", "owner_unit_id", "score", "progress", "score_updated_at",
]  # fmt: skip


# --- the full recompute -----------------------------------------------------------------


def recompute_all(period: Period | None = None, *, as_of: date | None = None) -> int:
    """Recompute every score of the open year trees (or of `period`'s year tree). Returns the number of objectives.

    With `as_of` (a past day) nothing cached changes: the scores as they stood on that day — from
    the progress updates dated up to it and the milestones done by then, with today's statuses
    and weights — are written as that day's snapshots (a backfill for trend charts).
    """
    day = as_of or _today()
    with transaction.atomic():
        periods = Period.objects.in_bulk()
        if period is not None:
            roots = {_root_of(periods, period.pk)}
        else:
            cutoff = day - timedelta(days=GRACE_DAYS)
            roots = {pk for pk, p in periods.items() if p.parent_id is None and p.end >= cutoff}
        if not roots:
            return 0
        _lock(roots)
        scope = _year_trees(periods, roots)
        objectives = list(Objective.objects.filter(period_id__in=scope).only(*OBJECTIVE_FIELDS).order_by("pk"))
        kr_rows = list(key_results_for_scoring(objective_ids=None, as_of=as_of).filter(objective__period_id__in=scope))
        theme_periods = dict(StrategicTheme.objects.filter(period_id__in=scope).values_list("pk", "period_id"))
        results = compute_all(objectives, kr_rows)
        subjects = _fill_theme_periods(results.subjects, theme_periods)
        if as_of is None:
            now = timezone.now()
            existing = ScoreRecord.objects.filter(period_id__in=scope).values_list(
                "pk", "kind", "subject_id", "period_id"
            )
            stale = [pk for pk, *key in existing if tuple(key) not in subjects]
            _write_caches(results, objectives, kr_rows, now=now)
            _write_records(subjects, now=now, stale_pks=stale)
        _write_snapshots(subjects, periods=periods, day=day)
    logger.info("Recomputed the scores of %s objectives (day %s).", len(objectives), day)
    return len(objectives)


# --- the path after a progress update -----------------------------------------------


def recompute_path(*, key_result_id: int) -> bool:
    """Recompute from one key result up to the root. False when the key result is gone."""
    objective_id = KeyResult.objects.filter(pk=key_result_id).values_list("objective_id", flat=True).first()
    if objective_id is None:
        return False
    return recompute_objective_path(objective_id=objective_id)


def recompute_objective_path(*, objective_id: int) -> bool:
    """Recompute an objective (all its key results), its ancestors and what they feed. False when it is gone."""
    start = Objective.objects.filter(pk=objective_id).values_list("period_id", flat=True).first()
    if start is None:
        return False
    day = _today()
    with transaction.atomic():
        periods = Period.objects.in_bulk()
        _lock([_root_of(periods, start)])
        path_ids = [objective_id, *tree_ancestor_ids(Objective, "parent", objective_id)]  # bottom up
        path = Objective.objects.only(*OBJECTIVE_FIELDS).in_bulk(path_ids)
        path_ids = [pk for pk in path_ids if pk in path]
        kr_rows = list(key_results_for_scoring(objective_ids=path_ids))
        kr_values, krs_by_objective = _achievements(kr_rows)
        children: dict[int, list[Objective]] = defaultdict(list)
        for child in Objective.objects.filter(parent_id__in=path_ids).only(*OBJECTIVE_FIELDS).order_by("pk"):
            children[child.parent_id].append(child)
        fresh: dict[int, Rollup] = {}
        for pk in path_ids:
            values = {c: (r.score, r.progress) for c, r in fresh.items()}
            fresh[pk] = _score_objective(path[pk], krs_by_objective.get(pk, []), children[pk], values)

        # Everything that feeds the people, units and themes on the path, in one query.
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
        values = {pk: (r.score, r.progress) for pk, r in fresh.items()}
        theme_ids = {o.theme_id for o in path.values() if o.theme_id}
        theme_periods = dict(StrategicTheme.objects.filter(pk__in=theme_ids).values_list("pk", "period_id"))
        keys = _keys_of(path.values(), theme_periods)
        computed = _fill_theme_periods(_score_owners(feeding.values(), values), theme_periods)
        subjects = {k: v for k, v in computed.items() if k in keys}
        for pk in path_ids:
            o = path[pk]
            if counts_for_alignment(status=o.status):
                subjects[(ScoreKind.OBJECTIVE, pk, o.period_id)] = fresh[pk]

        now = timezone.now()
        results = Results(kr_values, fresh, subjects)
        stale = _stale_records(keys - subjects.keys())
        _write_caches(results, [path[pk] for pk in path_ids], kr_rows, now=now)
        _write_records(subjects, now=now, stale_pks=stale)
        _write_snapshots(subjects, periods=periods, day=day)
    return True


def _keys_of(objectives: Iterable[Objective], theme_periods: dict[int, int]) -> set[Key]:
    """The records these objectives are or feed: themselves, their owners in their periods, their themes."""
    keys: set[Key] = set()
    for o in objectives:
        keys.add((ScoreKind.OBJECTIVE, o.pk, o.period_id))
        if o.level == Objective.Level.PERSON and o.owner_employee_id:
            keys.add((ScoreKind.PERSON, o.owner_employee_id, o.period_id))
        elif o.owner_unit_id:
            keys.add((ScoreKind.UNIT, o.owner_unit_id, o.period_id))
        if o.theme_id in theme_periods:
            keys.add((ScoreKind.THEME, o.theme_id, theme_periods[o.theme_id]))
    return keys


def _stale_records(gone: set[Key]) -> list[int]:
    """Records of subjects that no longer have anything counted (e.g. the last objective was cancelled)."""
    if not gone:
        return []
    condition = Q(pk__in=[])
    for kind, subject_id, period_id in sorted(gone):
        condition |= Q(kind=kind, subject_id=subject_id, period_id=period_id)
    return list(ScoreRecord.objects.filter(condition).values_list("pk", flat=True))
