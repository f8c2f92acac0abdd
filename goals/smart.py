"""Build the SMART check's input from saved objectives or from a form being typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max

from goals.models import Direction, KeyResult, KpiReference, Measurement, Objective, Period
from goals.rules import (
    CriterionResult,
    KeyResultInput,
    ObjectiveInput,
    months_in,
    scale_reference,
    smart_check,
)
from goals.selectors import smart_warn_only


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
