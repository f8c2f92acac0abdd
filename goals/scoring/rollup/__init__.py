"""Score roll-ups: keep the cached scores and the daily snapshots in step with progress.

- `recompute_path(key_result_id=…)`: after a progress update — that key result, the others of
  its objective, the objective, its ancestors (the parent chain) and the person, unit and theme
  scores they feed; then today's snapshots of those subjects (module `path`).
- `recompute_objective_path(objective_id=…)`: the same from an objective (approved, closed,
  cancelled: its weight in the roll-ups changed).
- `recompute_all(period=None)`: the nightly full recompute, set-based (module `full`) — a fixed
  number of queries whatever the number of people and objectives: read (every key result with
  the latest progress update the progress services keep on it, goals.scoring.selectors.key_results_to_score),
  compute in Python with the pure functions of goals.scoring.engine (module `compute`), compare
  with the stored values and write only the rows that changed: `UPDATE … FROM (VALUES …)` in
  chunks, new records and snapshots inserted, stale records deleted (module `writes`). A run on
  unchanged data writes nothing; and the same day, when neither an input of a year tree's scores
  nor a cached score changed since the last full run verified them (digests computed in the
  database, module `check`), it reads and computes nothing either.

Scope: roll-ups work on whole fiscal-year trees (a year with its halves, quarters and months),
because an objective of a quarter may be aligned under one of its year. The full recompute
covers every year that has not ended more than GRACE_DAYS ago (late progress updates still
count), or the year tree of the period it is given.

Concurrency (PostgreSQL; SQLite, a single writer, takes no lock). Every write of cached scores
happens in a transaction holding the advisory lock of its year tree
(pg_advisory_xact_lock(LOCK_NAMESPACE, year id)), and is stamped with the database's clock read
once the lock is held (`scope.lock`): Objective.score_updated_at, ScoreRecord.computed_at.

- A path run holds the lock for its whole (short) transaction, and writes every objective of
  its path with its stamp, changed or not.
- The full run (1) takes the locks only to read the clock, T0, and lets them go; (2) reads and
  computes with no lock and no transaction; (3) per year tree, in a short transaction under the
  lock, finds the objectives stamped at or after T0 — a path run wrote them since the read
  began, from newer data — and leaves out of its writes those objectives, their key results and
  every record and snapshot they are or feed (their owners, their themes: exactly what the path
  run wrote); (4) writes the rest; (5) runs the path again from each of those objectives (the
  lowest of each path), so that parents written by a path run count the children the full run
  has just written. So a path run never waits for a full run's read and compute, only for its
  short write; and a full run never overwrites a newer path result.
- Why the stamp is enough: a path run that commits after T0 took the lock after T0 (the full
  run held it to read T0), so it is stamped ≥ T0; one stamped before T0 committed before T0, and
  the full run's reads see it. Every change of the inputs is followed by a path run (the
  services queue one on commit): if it commits before the full run's write it is seen by step
  (3), otherwise it runs after the full run's write and overwrites it with newer numbers. After
  both, the stored scores are what a fresh full recompute gives.
- Two full runs at once each follow the same protocol; the results follow from committed data
  only, inserts are upserts, and every write of a tree is one transaction under its lock.

With `as_of` (a backfill of a past day's snapshots) nothing cached is written and no path run
writes that day: its snapshots are written without leaving anything out.

Snapshots: one row per subject and day (today, or `as_of` for a backfill from the progress
history) for subjects whose period ended at most GRACE_DAYS before that day.
"""

from goals.scoring.rollup.compute import Results, compute_all
from goals.scoring.rollup.full import recompute_all
from goals.scoring.rollup.parts import (
    child_input,
    child_part,
    has_counted,
    key_result_achievement,
    key_result_figures,
    key_result_part,
    owner_part,
    person_score_with_fresh,
    theme_part,
)
from goals.scoring.rollup.path import recompute_objective_path, recompute_path
from goals.scoring.rollup.scope import GRACE_DAYS, LOCK_NAMESPACE

__all__ = [
    "GRACE_DAYS",
    "LOCK_NAMESPACE",
    "Results",
    "child_input",
    "child_part",
    "compute_all",
    "has_counted",
    "key_result_achievement",
    "key_result_figures",
    "key_result_part",
    "owner_part",
    "person_score_with_fresh",
    "recompute_all",
    "recompute_objective_path",
    "recompute_path",
    "theme_part",
]
