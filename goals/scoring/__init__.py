"""The scoring interface: what the rest of the project (goals' other sub-domains, org's employee
record, and the apps to come — appraisals, calibration, incentives, the dashboard) calls for
scores. Nothing outside goals/scoring reads the score tables (ScoreRecord, ScoreSnapshot) or
goals.scoring.selectors / rollup / explain itself; tests/goals/test_scoring_interface.py checks it.
The pure arithmetic (goals.scoring.engine: achievement, progress, weighted means) takes plain
values and may be imported anywhere. Which objectives count is `Objective.objects.live()` /
`objective.is_live` (approved or closed).

Cached scores, as frozen `Score` values (kind, subject_id, period_id, score 0…cap, progress
0–100, computed_at, `.url` of the explanation page); one query however many subjects:
- `person_score(employee_id=…, period_id=…)` → Score | None: a person's results score;
- `person_scores(employee_ids=…, period_id=…)` → {employee id: Score};
- `score_record_map(kind=…, subject_ids=…, period_id=…)` → {subject id: Score} for objectives,
  people, units or themes (a ScoreKind); `score_record_map_own_periods(kind=…, subject_ids=…,
  periods={id: period id})` with each subject in its own period (themes);
- `score_of(kind=…, subject_id=…, period_id=…)` → Score | None;
- `score_history(kind, subject_id, period)` → [(day, score)] from the daily snapshots.

Explanations (why a score is what it is; visibility is the caller's job, then `hide_unseen`):
`explain_key_result`, `explain_objective`, `explain_person`, `explain_unit`, `explain_theme` →
`Explanation`; `hide_unseen(explanation, actor=…)`; `explanation_totals(explanation)` → `Totals`
(the total row); `explanation_url(kind, subject_id, period_id)`.

An objective's score and progress before the roll-up has run — the same function the cache uses:
`objective_rollup(key_results=[KeyResultInput], children=[ChildInput], children_weight=…, cap=…)`
→ `Rollup`; `objective_children_for_scoring(objective_ids=…)` (the aligned objectives with cached
scores); `person_score_with_fresh(employee=…, period=…, fresh={objective id: Rollup})`.

Recomputing (usually through the Celery tasks in goals.tasks): `recompute_path(key_result_id=…)`,
`recompute_objective_path(objective_id=…)`, `recompute_all(period=None, as_of=None)`. Forgetting
the scores of subjects about to be deleted: `scores_forget(objective_ids=…, employee_ids=…, unit_ids=…,
theme_ids=…)`.

The names are loaded on first use (PEP 562), so importing goals.scoring.engine — as goals.models
does — does not import the models or the ORM reads back.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from goals.scoring.engine import ChildInput, Explanation, ExplanationItem, KeyResultInput, Rollup, objective_rollup
    from goals.scoring.explain import (
        Totals,
        explain_key_result,
        explain_objective,
        explain_person,
        explain_theme,
        explain_unit,
        explanation_totals,
        explanation_url,
        hide_unseen,
        score_history,
    )
    from goals.scoring.forget import scores_forget
    from goals.scoring.rollup import person_score_with_fresh, recompute_all, recompute_objective_path, recompute_path
    from goals.scoring.selectors import (
        Score,
        objective_children_for_scoring,
        person_score,
        person_scores,
        score_of,
        score_record_map,
        score_record_map_own_periods,
    )

_MODULES = {
    "goals.scoring.engine": [
        "ChildInput",
        "Explanation",
        "ExplanationItem",
        "KeyResultInput",
        "Rollup",
        "objective_rollup",
    ],
    "goals.scoring.explain": [
        "Totals",
        "explain_key_result",
        "explain_objective",
        "explain_person",
        "explain_theme",
        "explain_unit",
        "explanation_totals",
        "explanation_url",
        "hide_unseen",
        "score_history",
    ],
    "goals.scoring.forget": ["scores_forget"],
    "goals.scoring.rollup": ["person_score_with_fresh", "recompute_all", "recompute_objective_path", "recompute_path"],
    "goals.scoring.selectors": [
        "Score",
        "objective_children_for_scoring",
        "person_score",
        "person_scores",
        "score_of",
        "score_record_map",
        "score_record_map_own_periods",
    ],
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "ChildInput",
    "Explanation",
    "ExplanationItem",
    "KeyResultInput",
    "Rollup",
    "Score",
    "Totals",
    "explain_key_result",
    "explain_objective",
    "explain_person",
    "explain_theme",
    "explain_unit",
    "explanation_totals",
    "explanation_url",
    "hide_unseen",
    "objective_children_for_scoring",
    "objective_rollup",
    "person_score",
    "person_score_with_fresh",
    "person_scores",
    "recompute_all",
    "recompute_objective_path",
    "recompute_path",
    "score_history",
    "score_of",
    "score_record_map",
    "score_record_map_own_periods",
    "scores_forget",
]


def __getattr__(name: str):
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
