"""What a full roll-up needs to know before it computes anything: has any input of a year tree's
scores, or any cached score, changed since the last full roll-up verified them? (PostgreSQL.)

Each is a digest computed in the database, one query per tree, without reading the rows out: the
sum of a 64-bit hash of every row's relevant columns, with the row count, per table.

- inputs: the tree's periods (dates, caps), objectives (alignment, owners, level, track, status,
  weights), key results (figures, weight, latest value), milestones (done or not), themes, and the
  scoring rules themselves (the source of the modules that compute) — read in the same snapshot
  as the full roll-up's own read;
- scores: objectives' scores and progress, key results' achievements, the score records;
- snapshots: the snapshots of one day.

`ScoreCheck` keeps, per tree, the inputs as the last full roll-up read them and the scores and
the day's snapshots as it left them. When, the same day, inputs, scores and snapshots are unchanged,
the stored scores are what the rules give for these inputs: the roll-up has nothing to compute.
(The first run of a day computes: it writes the day's snapshots, and checks everything anew.)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import connection

from goals.models import Period, ScoreCheck
from goals.scoring.rollup.scope import snapshot_due, year_trees

_SCORING = Path(__file__).resolve().parents[1]
RULES = hashlib.sha256(
    b"".join((_SCORING / name).read_bytes() for name in ("engine.py", "rollup/compute.py", "rollup/parts.py"))
).hexdigest()[:16]  # a change of the rules is a change of every score's inputs


def _hash(columns: str) -> str:
    """The sum of a 64-bit hash of each row's columns (a digest that does not depend on row order)."""
    return f"coalesce(sum(hashtextextended(ROW({columns})::text, 0)), 0)"


_PERIOD_INPUTS = _hash('p.id, p.parent_id, p.start, p."end", p.achievement_cap')
_THEME_INPUTS = _hash("t.id, t.period_id")
_OBJECTIVE_INPUTS = _hash(
    "o.id, o.period_id, o.parent_id, o.theme_id, o.level, o.track, o.status, o.weight, o.contribution_weight,"
    " o.children_weight, o.owner_employee_id, o.owner_unit_id"
)
_OBJECTIVE_SCORES = _hash("o.id, o.score, o.progress")
_KEY_RESULT_INPUTS = _hash(
    "k.id, k.objective_id, k.direction, k.baseline, k.target, k.stretch, k.range_low, k.range_high, k.weight,"
    " k.current_value, m.total, m.done"
)
_KEY_RESULT_SCORES = _hash("k.id, k.achievement")
_RECORDS = _hash("r.kind, r.subject_id, r.period_id, r.score, r.progress")
_SNAPSHOTS = _hash("s.kind, s.subject_id, s.period_id, s.score, s.progress")

# One statement, one pass over each table: per table the sums of the inputs' and of the scores'
# hashes and the number of rows. %(periods)s: the tree's periods; %(due)s: those under way; %(day)s.
_DIGESTS = f"""
SELECT
  (SELECT {_PERIOD_INPUTS} || ':' || count(*) FROM goals_period p WHERE p.id = ANY(%(periods)s)),
  (SELECT {_THEME_INPUTS} || ':' || count(*) FROM goals_strategictheme t WHERE t.period_id = ANY(%(periods)s)),
  o.inputs, o.scores, k.inputs, k.scores,
  (SELECT {_RECORDS} || ':' || count(*) FROM goals_scorerecord r WHERE r.period_id = ANY(%(periods)s)),
  (SELECT {_SNAPSHOTS} || ':' || count(*) FROM goals_scoresnapshot s
    WHERE s.day = %(day)s AND s.period_id = ANY(%(due)s))
FROM
  (SELECT {_OBJECTIVE_INPUTS} || ':' || count(*) AS inputs, {_OBJECTIVE_SCORES} AS scores
     FROM goals_objective o WHERE o.period_id = ANY(%(periods)s)) o,
  (SELECT {_KEY_RESULT_INPUTS} || ':' || count(*) AS inputs, {_KEY_RESULT_SCORES} AS scores
     FROM goals_keyresult k JOIN goals_objective o ON o.id = k.objective_id
     LEFT JOIN (SELECT key_result_id, count(*) AS total, count(done_on) AS done
                  FROM goals_milestone GROUP BY key_result_id) m ON m.key_result_id = k.id
     WHERE o.period_id = ANY(%(periods)s)) k
"""  # noqa: S608 (no input in the text: table and column names only; the values are parameters)


@dataclass(frozen=True)
class Digests:
    inputs: str  # the scores' inputs, the rules included
    scores: str  # the cached scores (objectives, key results, records)
    snapshots: str  # the day's snapshots of the periods under way


def digests(periods: dict[int, Period], root: int, day: date) -> Digests:
    """The digests of the year tree under `root` (`periods`: every period by id), in one query."""
    tree = year_trees(periods, {root})
    due = [pk for pk in tree if snapshot_due(periods[pk], day)]
    with connection.cursor() as cursor:
        cursor.execute(_DIGESTS, {"periods": sorted(tree), "due": sorted(due), "day": day})
        period_rows, themes, o_inputs, o_scores, k_inputs, k_scores, records, snaps = cursor.fetchone()

    def sha(*parts) -> str:
        return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()

    return Digests(
        inputs=sha(RULES, period_rows, themes, o_inputs, k_inputs),
        scores=sha(o_scores, k_scores, records),
        snapshots=sha(snaps),
    )


def available() -> bool:
    return connection.vendor == "postgresql"


def unchanged(periods: dict[int, Period], root: int, day: date) -> ScoreCheck | None:
    """The tree's check when, since the last full roll-up verified them today, neither its inputs nor
    its scores nor today's snapshots changed; else None (two queries: the check, the digests)."""
    found = ScoreCheck.objects.filter(period_id=root, day=day).first()
    if found is None:
        return None
    now = digests(periods, root, day)
    return found if (found.inputs, found.scores, found.snapshots) == (now.inputs, now.scores, now.snapshots) else None


def record(root: int, *, inputs_read: str, now: Digests, day: date, objectives: int) -> None:
    """After a full roll-up of the tree: the inputs as it read them, the scores and the day's
    snapshots as it leaves them (`now`)."""
    ScoreCheck.objects.update_or_create(
        period_id=root,
        defaults={"inputs": inputs_read, "scores": now.scores, "day": day, "snapshots": now.snapshots,
                  "objectives": objectives},
    )  # fmt: skip
