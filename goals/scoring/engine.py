"""Scoring arithmetic: pure functions on Decimals (no ORM), rounding in one place.

Scale: achievement and scores are percentages, 0 … the period's cap (default 120); progress
is the same figure capped at 100, for bars.

- key result: `achievement(figures, actual, cap=…)` per direction (higher / lower / range /
  done / milestones), stretch values reach the cap;
- objective: `objective_score(kr_items, child_items, children_weight)` — Σ weight × achievement
  ÷ Σ weight over its key results, blended with the same mean over its aligned children
  (each weighted by its contribution to parent) when `children_weight` (0–100 %) is set;
- person: `person_score(items)` — Σ weight × score ÷ Σ weight over the person's counted (KPI)
  objectives that are approved or closed, in one period;
- unit: `unit_score(items)` — the same over the unit's own counted unit (or, for the top
  unit, company) objectives. People's personal objectives reach a unit's score only through
  alignment: they are children of unit objectives and count where those set a children share;
- theme: `theme_score(items)` — Σ weight × score ÷ Σ weight over the approved or closed
  objectives aligned to the theme (either track); equal weights when every weight is 0.

Items without data (no progress update yet) are left out and the rest re-weighted; an item
whose weight is 0 does not count. `contributions` are each item's share of the total, so they
add up to the score (give or take rounding).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

HUNDRED = Decimal("100")
ZERO = Decimal("0")
DEFAULT_CAP = Decimal("120")
SCORE_PLACES = Decimal("0.01")

LIVE_STATUSES = ("approved", "closed")  # objectives whose scores roll up
COUNTED_TRACK = "kpi"


def round_score(value: Decimal) -> Decimal:
    """The one place scores are rounded: two decimals, half up."""
    return value.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def _round(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_score(value)


def clamp(value: Decimal, low: Decimal = ZERO, high: Decimal = DEFAULT_CAP) -> Decimal:
    return max(low, min(high, value))


# --- key results ---------------------------------------------------------------------


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


def _linear(actual: Decimal, start: Decimal, goal: Decimal, *, lower: bool = False) -> Decimal:
    """Share of the way from start to goal, in percent; works in either direction.

    When start and goal are equal there is no way to go: reaching the goal (at least it, or
    at most it when lower is better) is 100, anything else 0."""
    if goal == start:
        reached = actual <= goal if lower else actual >= goal
        return HUNDRED if reached else ZERO
    return (actual - start) / (goal - start) * HUNDRED


def effective_baseline(kr: KeyResultFigures) -> Decimal | None:
    """The baseline the arithmetic uses: the one set, else 0 — or, when lower is better, twice the target."""
    if kr.baseline is not None:
        return kr.baseline
    if kr.target is None:
        return None
    if kr.direction == "lower":
        # lower is better without a baseline: meeting the target is 100, twice the target is 0
        return kr.target * 2 if kr.target > 0 else kr.target + 1
    return ZERO


def achievement(kr: KeyResultFigures, actual: Decimal | None, *, cap: Decimal = DEFAULT_CAP) -> Decimal | None:
    """How much of a key result is achieved, 0…cap percent; None when there is no data yet.

    - higher / lower is better: the way from baseline (0 if none) to target; past the target a
      stretch value, if set, is where the cap is reached, otherwise the line simply continues;
    - range: 100 inside the range, falling off by the range's width outside it;
    - done / not done: 100 when the value is 1 (done), else 0;
    - milestones: the share of milestones done (`actual` is ignored).
    """
    if kr.direction == "milestones":
        if kr.milestones_total <= 0:
            return None
        done = min(max(kr.milestones_done, 0), kr.milestones_total)
        return round_score(clamp(Decimal(done) / kr.milestones_total * HUNDRED, high=cap))
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
    lower = kr.direction == "lower"
    baseline = effective_baseline(kr)
    score = _linear(actual, baseline, kr.target, lower=lower)
    if kr.stretch is not None and kr.stretch != kr.target and score > HUNDRED:
        beyond = _linear(actual, kr.target, kr.stretch, lower=lower) / HUNDRED  # 0 at target, 1 at stretch
        score = HUNDRED + beyond * (cap - HUNDRED)
    return round_score(clamp(score, high=cap))


def progress(kr: KeyResultFigures, actual: Decimal | None) -> Decimal | None:
    """Progress shown on a bar: achievement capped at 100."""
    return achievement(kr, actual, cap=HUNDRED)


def progress_of(score: Decimal | None) -> Decimal | None:
    """Progress (0–100) from an achievement or score."""
    return None if score is None else min(score, HUNDRED)


def weighted_mean(pairs: list[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """Σ weight × score / Σ weight over items that have a score; None if none do or weights are 0."""
    scored = [(w, s) for w, s in pairs if s is not None]
    total = sum((w for w, _s in scored), ZERO)
    if not scored or total == 0:
        return None
    return round_score(sum((w * s for w, s in scored), ZERO) / total)


# --- roll-ups ------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One item of a roll-up: its weight, score (0…cap) and progress (0–100); `counted=False` leaves it out."""

    weight: Decimal
    score: Decimal | None
    progress: Decimal | None = None
    counted: bool = True


@dataclass(frozen=True)
class Rollup:
    """A roll-up's result; `contributions[i]` is item i's share of the score (None when it doesn't count)."""

    score: Decimal | None
    progress: Decimal | None
    contributions: tuple[Decimal | None, ...] = ()


def counts_for_owner(*, track: str, status: str) -> bool:
    """Does an objective count in its owner's (person's or unit's) score: counted (KPI) track, approved or closed."""
    return track == COUNTED_TRACK and status in LIVE_STATUSES


def counts_for_alignment(*, status: str) -> bool:
    """Does an objective roll up into what it is aligned to (parent objective or theme): approved or closed."""
    return status in LIVE_STATUSES


def _mean_parts(parts: Sequence[Part], attr: str, *, equal_if_unweighted: bool = False):
    """(mean, per-item shares of the mean) over counted parts that have a value; mean None when none do."""
    usable = [i for i, p in enumerate(parts) if p.counted and getattr(p, attr) is not None and p.weight > 0]
    weights = {i: parts[i].weight for i in usable}
    if not usable and equal_if_unweighted:
        usable = [i for i, p in enumerate(parts) if p.counted and getattr(p, attr) is not None]
        weights = {i: Decimal(1) for i in usable}
    total = sum(weights.values(), ZERO)
    if not usable or total == 0:
        return None, [None] * len(parts)
    shares: list[Decimal | None] = [None] * len(parts)
    for i in usable:
        shares[i] = weights[i] * getattr(parts[i], attr) / total
    return sum((s for s in shares if s is not None), ZERO), shares


def _simple_rollup(parts: Sequence[Part], *, equal_if_unweighted: bool = False) -> Rollup:
    score, shares = _mean_parts(parts, "score", equal_if_unweighted=equal_if_unweighted)
    prog, _shares = _mean_parts(parts, "progress", equal_if_unweighted=equal_if_unweighted)
    return Rollup(_round(score), _round(prog), tuple(_round(s) for s in shares))


def _blend(kr_mean, child_mean, children_weight: Decimal) -> tuple[Decimal, Decimal]:
    """The shares (0–1) of the key-result part and the children part; a part without data gives way."""
    child_share = clamp(children_weight, high=HUNDRED) / HUNDRED
    if child_mean is None or child_share == 0:
        return Decimal(1), ZERO
    if kr_mean is None:
        return ZERO, Decimal(1)
    return 1 - child_share, child_share


def objective_share_of_children(*, kr_items: Sequence[Part], child_items: Sequence[Part],
                                children_weight: Decimal) -> tuple[Decimal, Decimal]:  # fmt: skip
    """The shares (0–1) that the key results and the aligned children really have in the score."""
    kr_mean, _s = _mean_parts(kr_items, "score")
    child_mean, _s = _mean_parts(child_items, "score")
    return _blend(kr_mean, child_mean, children_weight)


def objective_score(kr_items: Sequence[Part], child_items: Sequence[Part], children_weight: Decimal) -> Rollup:
    """An objective's score and progress: its key results (by weight) and, for `children_weight` percent,
    its aligned children (each by its contribution to parent). Contributions: key results first, then children."""
    values = {}
    contributions: list[Decimal | None] = []
    for attr in ("score", "progress"):
        kr_mean, kr_shares = _mean_parts(kr_items, attr)
        child_mean, child_shares = _mean_parts(child_items, attr)
        kr_share, child_share = _blend(kr_mean, child_mean, children_weight)
        total = None
        if kr_mean is not None or child_mean is not None:
            total = (kr_mean or ZERO) * kr_share + (child_mean or ZERO) * child_share
        values[attr] = _round(total)
        if attr == "score":
            contributions = [_round(s * kr_share) if s is not None and kr_share else None for s in kr_shares]
            contributions += [_round(s * child_share) if s is not None and child_share else None for s in child_shares]
    return Rollup(values["score"], values["progress"], tuple(contributions))


@dataclass(frozen=True)
class KeyResultInput:
    """A key result as its objective's score needs it: figures, weight and its latest value (None: no data)."""

    figures: KeyResultFigures
    weight: Decimal
    actual: Decimal | None = None


@dataclass(frozen=True)
class ChildInput:
    """An objective aligned under another: contribution weight, status and its (cached) score and progress."""

    weight: Decimal
    status: str
    score: Decimal | None = None
    progress: Decimal | None = None


def key_result_part(weight: Decimal, value: Decimal | None) -> Part:
    """A key result in its objective's score: by weight, with its achievement (0 … cap)."""
    return Part(weight=weight, score=value, progress=progress_of(value))


def child_part(child: ChildInput) -> Part:
    """An aligned objective in its parent's score: by its contribution weight, when approved or closed."""
    return Part(child.weight, child.score, child.progress, counted=counts_for_alignment(status=child.status))


def objective_rollup(
    key_results: Sequence[KeyResultInput], children: Sequence[ChildInput], *, children_weight: Decimal, cap: Decimal
) -> Rollup:
    """An objective's score and progress from its key results' latest values and its aligned objectives.

    The one function behind both the progress shown on an objective's card (goals.progress.rows,
    from the rows just read) and the cached `Objective.score`/`progress` (goals.scoring.rollup)."""
    kr_parts = [key_result_part(k.weight, achievement(k.figures, k.actual, cap=cap)) for k in key_results]
    return objective_score(kr_parts, [child_part(c) for c in children], children_weight)


def person_score(objective_items: Sequence[Part]) -> Rollup:
    """A person's results score in a period: Σ weight × score ÷ Σ weight over counted objectives
    (the caller marks `counted` with counts_for_owner)."""
    return _simple_rollup(objective_items)


def unit_score(objective_items: Sequence[Part]) -> Rollup:
    """A unit's score in a period: Σ weight × score ÷ Σ weight over its own counted objectives."""
    return _simple_rollup(objective_items)


def theme_score(objective_items: Sequence[Part]) -> Rollup:
    """A theme's score: Σ weight × score ÷ Σ weight over the objectives aligned to it; equal weights when all are 0."""
    return _simple_rollup(objective_items, equal_if_unweighted=True)


# --- explanations --------------------------------------------------------------------


@dataclass
class ExplanationItem:
    """One contributing item: its own value (score or achievement), weight and share of the total."""

    label: str
    url: str = ""
    weight: Decimal | None = None
    value: Decimal | None = None
    contribution: Decimal | None = None
    detail: str = ""
    kind: str = ""  # "key_result", "objective", "milestone" or "progress_update"
    subject_id: int | None = None  # the key result's, objective's, milestone's or progress update's id


@dataclass
class Explanation:
    """Why a score is what it is: the formula, the items with their weights and values, and notes."""

    subject: str
    score: Decimal | None
    progress: Decimal | None
    formula: str
    items: list[ExplanationItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def number(value: Decimal | None) -> str:
    """A decimal without trailing zeros: 60, 42.5, 0.95."""
    if value is None:
        return "—"
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def key_result_formula(kr: KeyResultFigures, *, cap: Decimal) -> str:
    """The arithmetic of a key result's achievement, in words."""
    if kr.direction == "milestones":
        return _("milestones done ÷ milestones × 100")
    if kr.direction == "done":
        return _("100 when done, 0 when not done")
    if kr.direction == "range":
        return _("100 inside the range; outside it, 100 − distance from the range ÷ its width × 100 (at least 0)")
    formula = _("(actual − baseline) ÷ (target − baseline) × 100, from 0 up to the cap of %(cap)s %%") % {
        "cap": number(cap)
    }
    if kr.stretch is not None:
        formula += "; " + _("past the target, the stretch value %(stretch)s reaches the cap") % {
            "stretch": number(kr.stretch)
        }
    return formula


def key_result_detail(kr: KeyResultFigures, actual: Decimal | None, value: Decimal | None) -> str:
    """The numbers of a key result's achievement, e.g. "actual 42.5 of target 60 from baseline 0 → 70.83 %"."""
    if kr.direction == "milestones":
        if kr.milestones_total <= 0:
            return _("no milestones yet")
        return _("%(done)s of %(total)s milestones done → %(value)s %%") % {
            "done": kr.milestones_done,
            "total": kr.milestones_total,
            "value": number(value),
        }
    if actual is None:
        return _("no progress update yet")
    if kr.direction == "done":
        return _("done → 100 %") if actual >= 1 else _("not done yet → 0 %")
    if kr.direction == "range":
        return _("actual %(actual)s, range %(low)s–%(high)s → %(value)s %%") % {
            "actual": number(actual),
            "low": number(kr.range_low),
            "high": number(kr.range_high),
            "value": number(value),
        }
    return _("actual %(actual)s of target %(target)s from baseline %(baseline)s → %(value)s %%") % {
        "actual": number(actual),
        "target": number(kr.target),
        "baseline": number(effective_baseline(kr)),
        "value": number(value),
    }


def objective_formula(*, children_weight: Decimal, kr_share: Decimal, child_share: Decimal) -> str:
    if child_share == 0:
        return _("Σ weight × achievement ÷ Σ weight (key results)")
    if kr_share == 0:
        return _("Σ contribution weight × score ÷ Σ contribution weight (aligned objectives)")
    return _(
        "%(kr_share)s %% × (Σ weight × achievement ÷ Σ weight of the key results) + %(child_share)s %% × "
        "(Σ contribution weight × score ÷ Σ contribution weight of the aligned objectives)"
    ) % {"kr_share": number(round_score(kr_share * HUNDRED)), "child_share": number(round_score(child_share * HUNDRED))}


def owner_formula() -> str:
    return _("Σ weight × score ÷ Σ weight (counted objectives, approved or closed)")


def theme_formula(*, equal_weights: bool) -> str:
    if equal_weights:
        return _("the average score of the aligned objectives (every weight is 0, so each counts equally)")
    return _("Σ weight × score ÷ Σ weight (aligned objectives, approved or closed)")
