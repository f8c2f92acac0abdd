"""The rules that turn rows into parts of a roll-up (shared with goals.scoring.explain)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from goals.models import KeyResult, Objective, Period
from goals.objectives.selectors import objective_list_for_owner
from goals.scoring import engine
from goals.scoring.engine import (
    ChildInput,
    KeyResultFigures,
    Part,
    Rollup,
    achievement,
    counts_for_alignment,
    counts_for_owner,
    person_score,
)
from goals.scoring.figures import figures_counted


def key_result_figures(kr: KeyResult) -> KeyResultFigures:
    """The figures of a key result read by selectors.key_results_for_scoring (or key_results_to_score)."""
    return figures_counted(
        kr,
        milestones_total=getattr(kr, "milestones_total", 0) or 0,
        milestones_done=getattr(kr, "milestones_done", 0) or 0,
    )


def cap_of(kr) -> Decimal:
    """The achievement cap of a key result's period: read along (key_results_to_score) or through its objective."""
    return kr.achievement_cap if hasattr(kr, "achievement_cap") else kr.objective.period.achievement_cap


def key_result_achievement(kr: KeyResult) -> Decimal | None:
    """Achievement (0 … the period's cap) of a key result read by selectors.key_results_for_scoring."""
    return achievement(key_result_figures(kr), kr.latest_value, cap=cap_of(kr))


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
