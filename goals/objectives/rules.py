"""Pure rules for objectives — no ORM: the SMART check, alignment levels and weight sums.

The SMART check reads objectives written in English or Chinese and explains each of
Specific, Measurable, Achievable, Relevant and Time-bound in the reader's language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.text import join_words

PASS, WARN, FAIL = "pass", "warn", "fail"


CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")


NUMERIC_DIRECTIONS = ("higher", "lower", "range")


# Words that promise effort or direction without saying what will be different, by how much.
VAGUE_EN = (
    "improve", "better", "enhance", "increase", "strengthen", "try", "as much as possible", "best effort",
    "optimize", "optimise", "boost", "good", "more", "maximize", "maximise", "work hard", "step up",
)  # fmt: skip


VAGUE_ZH = (
    "提高", "提升", "加强", "努力", "尽量", "尽可能", "改善", "优化", "更好", "争取", "大力", "积极",
    "进一步", "做好", "增强", "加大",
)  # fmt: skip


_EN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


_CJK = re.compile(r"[\u4e00-\u9fff]")


_NUMBER = re.compile(
    r"\d"  # 1000, 95%, 3.5
    r"|[零一二两三四五六七八九十百千万亿]+\s*(?:个|次|名|家|位|元|万|亿|%|％|分|天|周|月|小时|倍|成|点|件|项|人|户)"
)


# Achievable thresholds: how far beyond the baseline, reference or history a target may reach.
WARN_GROWTH = Decimal("1.0")  # more than doubling the baseline


FAIL_GROWTH = Decimal("3.0")  # more than quadrupling it


WARN_OVER_REFERENCE = Decimal("1.0")  # beyond the demanding end of HR's reference range


FAIL_OVER_REFERENCE = Decimal("1.5")  # half as much again


WARN_OVER_HISTORY = Decimal("2.0")


@dataclass(frozen=True)
class KeyResultInput:
    title: str
    direction: str = "higher"
    baseline: Decimal | None = None
    target: Decimal | None = None
    stretch: Decimal | None = None
    range_low: Decimal | None = None
    range_high: Decimal | None = None
    milestones: int = 0
    # Fair difficulty: HR's reference range for this KPI and the owner's grade, scaled to the period.
    reference: tuple[Decimal, Decimal] | None = None
    # The best value the KPI reached before (earlier periods), if known.
    history_best: Decimal | None = None


@dataclass(frozen=True)
class ObjectiveInput:
    title: str
    description: str = ""
    level: str = "person"
    aligned: bool = False
    due_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    key_results: tuple[KeyResultInput, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CriterionResult:
    criterion: str
    status: str
    reason: str
    suggestion: str = ""
    blocking: bool = False  # a failure that refuses submission (not set to warn only)

    @property
    def label(self) -> str:
        return str(CRITERION_LABELS[self.criterion])


CRITERION_LABELS = {
    "specific": _("Specific"),
    "measurable": _("Measurable"),
    "achievable": _("Achievable"),
    "relevant": _("Relevant"),
    "time_bound": _("Time-bound"),
}


def has_number(text: str) -> bool:
    """Does the text state a quantity — digits, or a Chinese numeral with a measure word?"""
    return bool(_NUMBER.search(text or ""))


def vague_words(text: str) -> list[str]:
    """The vague words used in a text, English (whole words) or Chinese (substrings)."""
    lowered = (text or "").lower()
    words = set(_EN_WORD.findall(lowered))
    found = [w for w in VAGUE_EN if (w in words if " " not in w else w in lowered)]
    found += [w for w in VAGUE_ZH if w in lowered]
    return found


def _meaningful_length(text: str) -> int:
    """Chinese characters count one each; English counts words (so 3 words ≈ 6 characters)."""
    text = text or ""
    return len(_CJK.findall(text)) + 2 * len(_EN_WORD.findall(text.lower()))


def _is_numeric(kr: KeyResultInput) -> bool:
    if kr.direction == "range":
        return kr.range_low is not None and kr.range_high is not None
    if kr.direction in ("higher", "lower"):
        return kr.target is not None
    return False


def _measurable_kr(kr: KeyResultInput) -> bool:
    return _is_numeric(kr) or (kr.direction == "milestones" and kr.milestones >= 2)


def check_specific(obj: ObjectiveInput) -> CriterionResult:
    title = obj.title.strip()
    if _meaningful_length(title) < 6:
        return CriterionResult(
            "specific",
            FAIL,
            _("The title is too short to say what will be achieved."),
            _("Write what will be different and for whom, e.g. “Win 60 new customers in East China”."),
        )
    vague = vague_words(title)
    if not vague:
        return CriterionResult("specific", PASS, _("The title says what will be achieved."))
    words = join_words(f"“{w}”" for w in vague)
    if has_number(title):
        return CriterionResult("specific", PASS, _("The title says what will change and by how much."))
    if any(_measurable_kr(kr) for kr in obj.key_results):
        return CriterionResult(
            "specific",
            WARN,
            _("The title uses vague wording (%(words)s); only the key results carry the numbers.") % {"words": words},
            _("Name the measurable object in the title too, e.g. “Raise customer satisfaction from 82 to 90”."),
        )
    return CriterionResult(
        "specific",
        FAIL,
        _("The title uses vague wording (%(words)s) without a measurable object.") % {"words": words},
        _("Say what changes, by how much: e.g. “提高客户满意度” → “客户满意度从 82 分提升到 90 分”."),
    )


def check_measurable(obj: ObjectiveInput) -> CriterionResult:
    if not obj.key_results:
        return CriterionResult(
            "measurable",
            FAIL,
            _("There is no key result, so progress cannot be measured."),
            _("Add at least one key result with a baseline and a target number."),
        )
    incomplete = [kr.title for kr in obj.key_results if kr.direction in NUMERIC_DIRECTIONS and not _is_numeric(kr)]
    if incomplete:
        return CriterionResult(
            "measurable",
            FAIL,
            _("These key results have no target number: %(titles)s.") % {"titles": join_words(incomplete)},
            _("Give each key result a target (or both ends of its range)."),
        )
    for kr in obj.key_results:
        contradiction = direction_contradiction(kr.direction, kr.baseline, kr.target)
        if contradiction:
            return CriterionResult(
                "measurable",
                FAIL,
                _("“%(title)s”: %(problem)s") % {"title": kr.title, "problem": contradiction},
                _("A target says which way the key result should move; fix the direction or the target."),
            )
    if not any(_measurable_kr(kr) for kr in obj.key_results):
        return CriterionResult(
            "measurable",
            WARN,
            _("No key result has a number: done / not done alone shows little about progress."),
            _("Add a key result with a number (a count, an amount, a rate) or at least two milestones."),
        )
    return CriterionResult("measurable", PASS, _("Every key result can be measured."))


def direction_contradiction(direction: str, baseline: Decimal | None, target: Decimal | None) -> str | None:
    """Why a target contradicts the key result's direction (lower is better, target above the baseline), or None."""
    if baseline is None or target is None:
        return None
    values = {"target": _fmt(target), "baseline": _fmt(baseline)}
    if direction == "lower" and target > baseline:
        return str(
            _("Lower is better, but the target %(target)s is above the baseline %(baseline)s. Choose “Higher is "
              "better” or a target below the baseline.") % values
        )  # fmt: skip
    if direction == "higher" and target < baseline:
        return str(
            _("Higher is better, but the target %(target)s is below the baseline %(baseline)s. Choose “Lower is "
              "better” or a target above the baseline.") % values
        )  # fmt: skip
    return None


def _growth(kr: KeyResultInput) -> Decimal | None:
    """How far the target reaches beyond the baseline, as a fraction of the baseline."""
    if kr.baseline is None or kr.target is None or kr.baseline == 0:
        return None
    return abs(kr.target - kr.baseline) / abs(kr.baseline)


def _beyond_reference(direction: str, target: Decimal, low: Decimal, high: Decimal) -> Decimal | None:
    """How many times the demanding end of the reference range the target asks for (1 = at it)."""
    if direction == "higher" and high > 0:
        return target / high
    if direction == "lower" and target > 0:
        return low / target
    return None


def _short_of_reference(direction: str, target: Decimal, low: Decimal, high: Decimal) -> bool:
    return target < low if direction == "higher" else target > high


def check_achievable(obj: ObjectiveInput) -> CriterionResult:
    worst: CriterionResult | None = None

    def keep(result: CriterionResult) -> None:
        nonlocal worst
        rank = {PASS: 0, WARN: 1, FAIL: 2}
        if worst is None or rank[result.status] > rank[worst.status]:
            worst = result

    for kr in obj.key_results:
        if kr.direction not in ("higher", "lower") or kr.target is None:
            continue
        values = {"title": kr.title, "target": _fmt(kr.target)}
        if kr.reference is not None:
            low, high = kr.reference
            values |= {"low": _fmt(low), "high": _fmt(high)}
            reach = _beyond_reference(kr.direction, kr.target, low, high)
            if reach is not None and reach > FAIL_OVER_REFERENCE:
                keep(CriterionResult(
                    "achievable", FAIL,
                    _("“%(title)s”: the target %(target)s is far beyond the usual range for this grade "
                      "(%(low)s–%(high)s).") % values,
                    _("Agree a target near the reference range, or add a stretch value above it instead."),
                ))  # fmt: skip
            elif reach is not None and reach > WARN_OVER_REFERENCE:
                keep(CriterionResult(
                    "achievable", WARN,
                    _("“%(title)s”: the target %(target)s is beyond the usual range for this grade "
                      "(%(low)s–%(high)s).") % values,
                    _("Check the target is achievable with the resources planned."),
                ))  # fmt: skip
            elif _short_of_reference(kr.direction, kr.target, low, high):
                keep(CriterionResult(
                    "achievable", WARN,
                    _("“%(title)s”: the target %(target)s is easier than the usual range for this grade "
                      "(%(low)s–%(high)s).") % values,
                    _("A fair target is neither too hard nor too easy; consider a more demanding one."),
                ))  # fmt: skip
        growth = _growth(kr)
        if kr.baseline is not None and kr.target == kr.baseline:
            keep(CriterionResult(
                "achievable", WARN,
                _("“%(title)s”: the target equals the baseline, so nothing needs to change.") % values,
                _("Set a target that asks for progress."),
            ))  # fmt: skip
        elif growth is not None and growth > FAIL_GROWTH:
            values["baseline"] = _fmt(kr.baseline)
            keep(CriterionResult(
                "achievable", FAIL,
                _("“%(title)s”: the target %(target)s is far beyond the baseline %(baseline)s.") % values,
                _("Split the jump over several periods or explain the plan that makes it possible."),
            ))  # fmt: skip
        elif growth is not None and growth > WARN_GROWTH:
            values["baseline"] = _fmt(kr.baseline)
            keep(CriterionResult(
                "achievable", WARN,
                _("“%(title)s”: the target %(target)s more than doubles the baseline %(baseline)s.") % values,
                _("Check the action plan and resources support such a step."),
            ))  # fmt: skip
        best = kr.history_best
        if kr.direction == "higher" and best is not None and best > 0 and kr.target > best * WARN_OVER_HISTORY:
            values["best"] = _fmt(best)
            keep(CriterionResult(
                "achievable", WARN,
                _("“%(title)s”: the target %(target)s is more than twice the best result so far "
                  "(%(best)s).") % values,
                _("Compare with the KPI's history before committing."),
            ))  # fmt: skip
    if worst is not None:
        return worst
    if not any(_is_numeric(kr) for kr in obj.key_results):
        return CriterionResult(
            "achievable",
            WARN,
            _("There is no numeric target yet to judge."),
            _("Add key results with a baseline and a target; they are compared with the KPI's usual range."),
        )
    return CriterionResult("achievable", PASS, _("The targets are within reach of the baselines."))


def check_relevant(obj: ObjectiveInput) -> CriterionResult:
    if obj.aligned:
        return CriterionResult("relevant", PASS, _("It is aligned to a parent objective or a strategic theme."))
    if obj.level == "company":
        return CriterionResult(
            "relevant",
            WARN,
            _("This company objective is not aligned to a strategic theme."),
            _("Link it to the strategic theme it serves."),
        )
    return CriterionResult(
        "relevant",
        FAIL,
        _("It is not aligned to any parent objective or strategic theme."),
        _("Choose the team or company objective this one contributes to."),
    )


def check_time_bound(obj: ObjectiveInput) -> CriterionResult:
    if obj.due_date is None:
        suggestion = _("Set a due date inside the period.")
        if obj.period_end:
            suggestion = _("Set a due date inside the period, e.g. %(end)s.") % {"end": obj.period_end.isoformat()}
        return CriterionResult("time_bound", FAIL, _("There is no due date."), suggestion)
    if obj.period_start and obj.period_end and not (obj.period_start <= obj.due_date <= obj.period_end):
        values = {
            "due": obj.due_date.isoformat(),
            "start": obj.period_start.isoformat(),
            "end": obj.period_end.isoformat(),
        }
        return CriterionResult(
            "time_bound",
            FAIL,
            _("The due date %(due)s is outside the period (%(start)s – %(end)s).") % values,
            _("Move the due date into the period or choose another period."),
        )
    return CriterionResult("time_bound", PASS, _("It has a due date inside the period."))


CHECKS = (check_specific, check_measurable, check_achievable, check_relevant, check_time_bound)


def smart_check(obj: ObjectiveInput, *, warn_only: frozenset[str] | set[str] = frozenset()) -> list[CriterionResult]:
    """Each SMART criterion: pass / warn / fail with a reason and a suggestion.

    A criterion HR set to `warn_only` reports a failure as a warning that does not block.
    """
    results = []
    for check in CHECKS:
        result = check(obj)
        if result.status == FAIL and result.criterion in warn_only:
            result = CriterionResult(result.criterion, WARN, result.reason, result.suggestion)
        elif result.status == FAIL:
            result = CriterionResult(result.criterion, FAIL, result.reason, result.suggestion, blocking=True)
        results.append(result)
    return results


def smart_blocks_submission(results: list[CriterionResult]) -> bool:
    return any(r.blocking for r in results)


def _fmt(value: Decimal) -> str:
    """1000.0000 → '1000', 0.9500 → '0.95'."""
    return format(value.normalize(), "f")


# The levels an objective may align to: one level up or more (a unit objective also to a unit above it).
ALIGN_TO = {"person": ("unit", "company"), "unit": ("unit", "company"), "company": ()}


def weights_total(weights: list[Decimal]) -> Decimal:
    return sum(weights, Decimal("0"))


def weights_sum_to_100(weights: list[Decimal]) -> bool:
    return weights_total(weights) == Decimal("100")
