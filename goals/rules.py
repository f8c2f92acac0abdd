"""Pure rules for goals — no ORM: the SMART check, periods and weight sums.

The SMART check reads objectives written in English or Chinese and explains each of
Specific, Measurable, Achievable, Relevant and Time-bound in the reader's language.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.text import join_some, join_words

ONE_DAY = timedelta(days=1)
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


# --- periods ---------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    name: str
    start: date
    end: date
    parent_name: str | None


def fiscal_year_periods(fiscal_year: int, first_month: int = 1) -> list[PeriodSpec]:
    """The fiscal year, its halves, quarters and months.

    A fiscal year is named by the calendar year it starts in: with `first_month` = 4,
    FY2026 runs from 2026-04-01 to 2027-03-31.
    """
    start = date(fiscal_year, first_month, 1)
    year_name = f"FY{fiscal_year}" if first_month != 1 else str(fiscal_year)
    specs = [PeriodSpec("year", year_name, start, _add_months(start, 12) - ONE_DAY, None)]
    for h in range(2):
        s = _add_months(start, 6 * h)
        specs.append(PeriodSpec("half", f"{year_name} H{h + 1}", s, _add_months(s, 6) - ONE_DAY, year_name))
    for q in range(4):
        s = _add_months(start, 3 * q)
        specs.append(PeriodSpec("quarter", f"{year_name} Q{q + 1}", s, _add_months(s, 3) - ONE_DAY, year_name))
    for m in range(12):
        s = _add_months(start, m)
        specs.append(PeriodSpec("month", f"{s.year}-{s.month:02d}", s, _add_months(s, 1) - ONE_DAY, year_name))
    return specs


def months_in(start: date, end: date) -> Decimal:
    """Length of a period in months (whole months count exactly)."""
    months = (end.year - start.year) * 12 + (end.month - start.month) + 1
    return Decimal(months)


PER_MONTHS = {"month": Decimal(1), "quarter": Decimal(3), "half": Decimal(6), "year": Decimal(12)}


def scale_reference(low: Decimal, high: Decimal, *, per: str, period_months: Decimal) -> tuple[Decimal, Decimal]:
    """A reference range stated per month (or quarter…) scaled to the objective's period."""
    factor = period_months / PER_MONTHS[per]
    return (low * factor, high * factor)


# The levels an objective may align to: one level up or more (a unit objective also to a unit above it).
ALIGN_TO = {"person": ("unit", "company"), "unit": ("unit", "company"), "company": ()}


def weights_total(weights: list[Decimal]) -> Decimal:
    return sum(weights, Decimal("0"))


def weights_sum_to_100(weights: list[Decimal]) -> bool:
    return weights_total(weights) == Decimal("100")


# --- progress updates ------------------------------------------------------------------
# One set of rules for every writer of progress: the form, the import, the API and pushes from
# other systems (goals.services.progress calls them; forms and serializers only parse).

PROGRESS_GRACE_AFTER_END = timedelta(days=31)  # year-end figures often arrive in January
PROGRESS_MAX_WHOLE_DIGITS = 18 - 4  # Measurement.value: max_digits 18, decimal_places 4
PERCENT_UNITS = frozenset({"%", "percent", "百分比"})
SOURCE_API = "api"  # KeyResult.Source.API: values pushed by another system
DONE_MESSAGE = _("This key result is either done or not done: write 1 if it is done and 0 if it is not.")


@dataclass(frozen=True)
class ProgressKeyResult:
    """What the progress rules need to know about a key result, as plain values."""

    id: int
    title: str
    direction: str
    data_source: str
    unit: str
    period_name: str
    period_start: date
    period_end: date
    active: bool = True  # its objective is approved
    objective_title: str = ""
    objective_status: str = ""  # the status as people read it, for the message
    # baseline, target, stretch and the range's ends: what a sane percentage is for this key result
    figures: tuple[Decimal | None, ...] = ()


@dataclass(frozen=True)
class ProgressUpdate:
    """One progress update to check. `value` None: the value could not be read (already reported)."""

    key_result: ProgressKeyResult
    value: Decimal | None
    as_of: date | None
    source: str = "manual"
    correction: bool = False  # a person correcting a recorded value (of any source)
    label: str = ""  # "row 4", "item 2": names it among the others of a batch


@dataclass(frozen=True)
class ProgressProblem:
    field: str  # "key_result", "value" or "as_of"
    message: str


def percent_unit(unit: str) -> bool:
    squashed = re.sub(r"[\s_\-]", "", unicodedata.normalize("NFKC", unit or "").casefold())
    return squashed in PERCENT_UNITS


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _value_problem(kr: ProgressKeyResult, value: Decimal) -> str | None:
    if kr.direction == "done" and value not in (0, 1):
        return str(DONE_MESSAGE)
    if value.copy_abs() >= Decimal(10) ** PROGRESS_MAX_WHOLE_DIGITS:
        return str(
            _("%(value)s is too large; values may have at most %(digits)s digits before the decimal point.")
            % {"value": _plain(value), "digits": PROGRESS_MAX_WHOLE_DIGITS}
        )
    figures = [f for f in kr.figures if f is not None]
    if (
        kr.direction in NUMERIC_DIRECTIONS
        and percent_unit(kr.unit)
        and all(0 <= f <= 100 for f in figures)
        and not 0 <= value <= 100
    ):
        return str(
            _("“%(title)s” is a percentage between 0 and 100; %(value)s is outside that. Check the value.")
            % {"title": kr.title, "value": _plain(value)}
        )
    return None


def _date_problem(kr: ProgressKeyResult, as_of: date, today: date) -> str | None:
    if as_of > today:
        return str(
            _("%(date)s is in the future. Progress can be recorded up to today, %(today)s.")
            % {"date": as_of.isoformat(), "today": today.isoformat()}
        )
    last = kr.period_end + PROGRESS_GRACE_AFTER_END
    if not kr.period_start <= as_of <= last:
        return str(
            _(
                "%(date)s is outside the objective's period %(period)s (%(start)s to %(end)s). Use a date from "
                "%(start)s to %(last)s."
            )
            % {
                "date": as_of.isoformat(),
                "period": kr.period_name,
                "start": kr.period_start.isoformat(),
                "end": kr.period_end.isoformat(),
                "last": last.isoformat(),
            }
        )
    return None


def _source_problem(kr: ProgressKeyResult, update: ProgressUpdate) -> str | None:
    if update.source == SOURCE_API and kr.data_source != SOURCE_API:
        return str(_("This key result does not take values from other systems; set its data source to API."))
    if update.source != SOURCE_API and kr.data_source == SOURCE_API and not update.correction:
        return str(
            _(
                "“%(title)s” takes its values from another system (its data source is API). If a value it sent "
                "is wrong, correct that progress update instead."
            )
            % {"title": kr.title}
        )
    return None


def progress_problems(
    updates: Sequence[ProgressUpdate], *, today: date, recorded: Mapping[tuple[int, date], Decimal]
) -> list[list[ProgressProblem]]:
    """Every rule of a progress update, for one update or a whole batch (a file, a push): the problems
    of each update, in order; an empty list for an update that may be recorded.

    - the objective is approved;
    - the key result's data source: only a key result fed by the API takes pushed values, and one fed
      by the API takes no new values from people (they correct the pushed ones);
    - a milestone key result takes no value (its milestones are marked done);
    - done / not done takes 0 or 1; a percentage whose figures lie within 0–100 stays there; at most
      14 digits before the decimal point;
    - the as-of date is not in the future and lies in the objective's period (or up to
      PROGRESS_GRACE_AFTER_END after it);
    - one value per key result and as-of date: `recorded` holds the values that count now (not
      corrected) by (key result id, as-of date) — a second one is refused, and so are two in one batch.
    """
    problems: list[list[ProgressProblem]] = []
    for update in updates:
        kr, found = update.key_result, []
        if not kr.active:
            found.append(ProgressProblem("key_result", str(
                _("The objective “%(objective)s” is %(status)s. Progress can only be recorded on an approved "
                  "objective.") % {"objective": kr.objective_title, "status": kr.objective_status}
            )))  # fmt: skip
        source = _source_problem(kr, update)
        if source:
            found.append(ProgressProblem("key_result", source))
        if kr.direction == "milestones":
            found.append(ProgressProblem("value", str(
                _("Key result “%(title)s” is tracked by milestones: mark its milestones done on My objectives "
                  "instead of recording a value.") % {"title": kr.title}
            )))  # fmt: skip
        elif update.value is not None:
            value = _value_problem(kr, update.value)
            if value:
                found.append(ProgressProblem("value", value))
        if update.as_of is not None:
            when = _date_problem(kr, update.as_of, today)
            if when:
                found.append(ProgressProblem("as_of", when))
            existing = recorded.get((kr.id, update.as_of))
            if existing is not None and not when:
                values = {"id": kr.id, "date": update.as_of.isoformat(), "recorded": _plain(existing)}
                message = (
                    _("This value is already recorded for key result %(id)s as of %(date)s — was it sent before? "
                      "Leave it out.")
                    if update.value is not None and update.value == existing
                    else _("Key result %(id)s already has a value as of %(date)s (%(recorded)s). To change it, "
                           "correct that progress update in the key result's history; to add a new one, use "
                           "another date.")
                )  # fmt: skip
                found.append(ProgressProblem("as_of", str(message % values)))
        problems.append(found)
    _batch_duplicates(updates, problems)
    return problems


def _batch_duplicates(updates: Sequence[ProgressUpdate], problems: list[list[ProgressProblem]]) -> None:
    groups: dict[tuple[int, date], list[int]] = {}
    for index, update in enumerate(updates):
        if update.as_of is not None:
            groups.setdefault((update.key_result.id, update.as_of), []).append(index)
    for (key_result_id, as_of), indexes in groups.items():
        if len(indexes) < 2:
            continue
        # One problem per group, on its first update, naming at most ten of the others.
        index, others = indexes[0], join_some([updates[i].label or str(i) for i in indexes[1:]])
        problems[index].append(ProgressProblem("as_of", str(
            _("Key result %(id)s has another value as of %(date)s in the same batch (%(others)s). Keep one "
              "value per key result and date.") % {"id": key_result_id, "date": as_of.isoformat(),
                                                     "others": others}
        )))  # fmt: skip
