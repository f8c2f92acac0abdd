"""Build the SMART check's input from saved objectives or from a form being typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max

from goals.models import Direction, KeyResult, KpiReference, Measurement, Objective, Period
from goals.objectives.rules import CriterionResult, KeyResultInput, ObjectiveInput, smart_check
from goals.objectives.selectors import objective_weight_total
from goals.strategy.rules import months_in, scale_reference
from goals.strategy.selectors import smart_warn_only


@dataclass(frozen=True)
class KeyResultDraft:
    """Key-result fields as typed in a form (not saved yet)."""

    title: str
    direction: str = Direction.HIGHER
    baseline: Decimal | None = None
    target: Decimal | None = None
    stretch: Decimal | None = None
    range_low: Decimal | None = None
    range_high: Decimal | None = None
    milestones: int = 0
    kpi_code: str = ""


def _references(codes: set[str], grade: str, period: Period | None) -> dict[str, tuple[Decimal, Decimal]]:
    if not codes or not grade or period is None:
        return {}
    refs = KpiReference.objects.filter(kpi_code__in=codes, grade_level=grade)
    months = months_in(period.start, period.end)
    return {r.kpi_code: scale_reference(r.low, r.high, per=r.per, period_months=months) for r in refs}


def _history_best(codes: set[str], owner_id: int | None, before: date | None) -> dict[str, Decimal]:
    """The best value each KPI reached for this owner in earlier periods (one query)."""
    if not codes or owner_id is None or before is None:
        return {}
    rows = (
        Measurement.objects.filter(
            key_result__kpi__code__in=codes,
            key_result__objective__owner_employee_id=owner_id,
            key_result__objective__period__end__lt=before,
            corrected_by__isnull=True,
        )
        .values("key_result__kpi__code")
        .annotate(best=Max("value"))
    )
    return {row["key_result__kpi__code"]: row["best"] for row in rows}


def smart_input(
    *,
    title: str,
    description: str,
    level: str,
    aligned: bool,
    due_date: date | None,
    period: Period | None,
    key_results: list[KeyResultDraft],
    owner_grade: str = "",
    owner_id: int | None = None,
) -> ObjectiveInput:
    codes = {kr.kpi_code for kr in key_results if kr.kpi_code}
    references = _references(codes, owner_grade, period)
    best = _history_best(codes, owner_id, period.start if period else None)
    return ObjectiveInput(
        title=title,
        description=description,
        level=level,
        aligned=aligned,
        due_date=due_date,
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        key_results=tuple(
            KeyResultInput(
                title=kr.title,
                direction=kr.direction,
                baseline=kr.baseline,
                target=kr.target,
                stretch=kr.stretch,
                range_low=kr.range_low,
                range_high=kr.range_high,
                milestones=kr.milestones,
                reference=references.get(kr.kpi_code),
                history_best=best.get(kr.kpi_code),
            )
            for kr in key_results
        ),
    )


def drafts_of(key_results: list[KeyResult]) -> list[KeyResultDraft]:
    return [
        KeyResultDraft(
            title=kr.title,
            direction=kr.direction,
            baseline=kr.baseline,
            target=kr.target,
            stretch=kr.stretch,
            range_low=kr.range_low,
            range_high=kr.range_high,
            milestones=len(kr.milestones.all()),
            kpi_code=kr.kpi.code if kr.kpi_id else "",
        )
        for kr in key_results
    ]


def objective_smart_check(*, objective: Objective) -> list[CriterionResult]:
    """The SMART check of a saved objective, with HR's warn-only settings applied."""
    owner = objective.owner_employee
    data = smart_input(
        title=objective.title,
        description=objective.description,
        level=objective.level,
        aligned=objective.is_aligned,
        due_date=objective.due_date,
        period=objective.period,
        key_results=drafts_of(list(objective.key_results.all())),
        owner_grade=owner.grade_level if owner else "",
        owner_id=owner.pk if owner else None,
    )
    return smart_check(data, warn_only=smart_warn_only())


# --- weights: what the server checks on submission, shown while typing ------------------

HUNDRED = Decimal("100")
PENDING = "pending"  # a criterion not checked yet: nothing typed that it reads


@dataclass(frozen=True)
class WeightCheck:
    """The two weight rules objective_submit enforces, for the objective as typed.

    `others`: the weights of the owner's other counted objectives in the period (the same rows
    the server sums, goals.objectives.selectors.objective_weight_total); `weight`: this objective's as typed
    (None: not a number yet); `key_results`: its key results' weights (None: no key results yet).
    """

    period_name: str
    counted: bool
    others: Decimal
    weight: Decimal | None
    key_results: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return self.others + (self.weight or 0) if self.counted else self.others

    @property
    def remaining(self) -> Decimal:
        """How much is left to reach 100 (negative: how much too much)."""
        return HUNDRED - self.total

    @property
    def over(self) -> Decimal:
        return -self.remaining

    @property
    def suggested(self) -> Decimal:
        """This objective's weight that makes the counted objectives add up to 100."""
        return max(Decimal("0"), HUNDRED - self.others)

    @property
    def objectives_ok(self) -> bool:
        return not self.counted or self.total == HUNDRED

    @property
    def objectives_status(self) -> str:
        """pass / fail, or pending while this objective's weight is not typed yet."""
        if self.counted and self.weight is None:
            return PENDING
        return "pass" if self.objectives_ok else "fail"

    @property
    def key_results_ok(self) -> bool:
        return self.key_results is None or self.key_results == HUNDRED

    @property
    def blocks(self) -> bool:
        return not (self.objectives_ok and self.key_results_ok)


def counted_weight_of_others(
    *, period: Period, level: str, owner_employee_id: int | None, owner_unit_id: int | None, exclude_id: int | None
) -> Decimal:
    """The weights of the owner's counted objectives in the period, this one left out (one query)."""
    probe = Objective(
        period_id=period.pk, level=level, owner_employee_id=owner_employee_id, owner_unit_id=owner_unit_id
    )
    return sum((w for pk, w in objective_weight_total(objective=probe) if pk != exclude_id), Decimal("0"))


def objective_weight_check(*, objective: Objective) -> WeightCheck:
    """The weight rules of a saved objective (for its detail page), as the server will judge them."""
    others = counted_weight_of_others(
        period=objective.period,
        level=objective.level,
        owner_employee_id=objective.owner_employee_id,
        owner_unit_id=objective.owner_unit_id,
        exclude_id=objective.pk,
    )
    weights = [kr.weight for kr in objective.key_results.all()]
    return WeightCheck(
        period_name=str(objective.period),
        counted=objective.track == Objective.Track.KPI,
        others=others,
        weight=objective.weight,
        key_results=sum(weights, Decimal("0")) if weights else None,
    )
