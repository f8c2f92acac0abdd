"""Scoring arithmetic (pure functions on Decimals; 0–100 scale, rounding in one place)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal("100")
ZERO = Decimal("0")
DEFAULT_CAP = Decimal("120")
SCORE_PLACES = Decimal("0.01")


def round_score(value: Decimal) -> Decimal:
    """The one place scores are rounded: two decimals, half up."""
    return value.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal = ZERO, high: Decimal = DEFAULT_CAP) -> Decimal:
    return max(low, min(high, value))


@dataclass(frozen=True)
class KeyResultFigures:
    direction: str
    baseline: Decimal | None = None
    target: Decimal | None = None
    stretch: Decimal | None = None
    range_low: Decimal | None = None
    range_high: Decimal | None = None
    milestones_total: int = 0
    milestones_done: int = 0


def _linear(actual: Decimal, start: Decimal, goal: Decimal) -> Decimal:
    """Share of the way from start to goal, in percent; works in either direction."""
    if goal == start:
        reached = actual >= goal if goal >= start else actual <= goal
        return HUNDRED if reached else ZERO
    return (actual - start) / (goal - start) * HUNDRED


def achievement(kr: KeyResultFigures, actual: Decimal | None, *, cap: Decimal = DEFAULT_CAP) -> Decimal | None:
    """How much of a key result is achieved, 0…cap percent; None when there is no data yet.

    - higher / lower is better: the way from baseline (0 if none) to target; past the target a
      stretch value, if set, is where the cap is reached, otherwise the line simply continues;
    - range: 100 inside the range, falling off by the range's width outside it;
    - done / not done: 100 when the value is 1 (done), else 0;
    - milestones: the share of milestones done (`actual` is ignored).
    """
    if kr.direction == "milestones":
        if kr.milestones_total == 0:
            return None
        return round_score(clamp(Decimal(kr.milestones_done) / kr.milestones_total * HUNDRED, high=cap))
    if actual is None:
        return None
    if kr.direction == "done":
        return HUNDRED if actual >= 1 else ZERO
    if kr.direction == "range":
        if kr.range_low is None or kr.range_high is None:
            return None
        if kr.range_low <= actual <= kr.range_high:
            return HUNDRED
        width = kr.range_high - kr.range_low
        distance = kr.range_low - actual if actual < kr.range_low else actual - kr.range_high
        if width == 0:
            return ZERO
        return round_score(clamp(HUNDRED - distance / width * HUNDRED, high=HUNDRED))
    if kr.target is None:
        return None
    baseline = kr.baseline if kr.baseline is not None else ZERO
    if kr.direction == "lower" and kr.baseline is None:
        # lower is better without a baseline: meeting the target is 100, twice the target is 0
        baseline = kr.target * 2 if kr.target > 0 else kr.target + 1
    score = _linear(actual, baseline, kr.target)
    if kr.stretch is not None and kr.stretch != kr.target and score > HUNDRED:
        beyond = _linear(actual, kr.target, kr.stretch) / HUNDRED  # 0 at target, 1 at stretch
        score = HUNDRED + beyond * (cap - HUNDRED)
    return round_score(clamp(score, high=cap))


def progress(kr: KeyResultFigures, actual: Decimal | None) -> Decimal | None:
    """Progress shown on a bar: achievement capped at 100."""
    return achievement(kr, actual, cap=HUNDRED)


def weighted_mean(pairs: list[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """Σ weight × score / Σ weight over items that have a score; None if none do or weights are 0."""
    scored = [(w, s) for w, s in pairs if s is not None]
    total = sum((w for w, _s in scored), ZERO)
    if not scored or total == 0:
        return None
    return round_score(sum((w * s for w, s in scored), ZERO) / total)
