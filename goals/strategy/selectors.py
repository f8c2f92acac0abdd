"""Reads of the strategy side of goals: periods, strategic themes, the KPI library, reference ranges
and SMART settings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Case, Count, Max, QuerySet, Value, When

from goals.models import (
    Kpi,
    KpiReference,
    Measurement,
    Period,
    SmartCriterionSetting,
    StrategicTheme,
)
from org.models import Employee
from org.selectors import (
    tree_ancestor_ids,
)


def period_list(*, kind: str | None = None) -> QuerySet[Period]:
    """Periods in calendar order: a year, then its first half, first quarter and that quarter's
    months, then the second quarter … (by start date, the longest period first)."""
    qs = Period.objects.select_related("parent").order_by("start", "-end", "pk")
    return qs.filter(kind=kind) if kind else qs


def period_current(*, kind: str = Period.Kind.YEAR, today: date | None = None) -> Period | None:
    today = today or date.today()  # noqa: DTZ011 (a calendar date in the server's zone is meant)
    return Period.objects.filter(kind=kind, start__lte=today, end__gte=today).first()


def period_default(*, periods: Iterable[Period] | None = None, today: date | None = None) -> Period | None:
    """The period a page shows when none is asked for: the current fiscal year, else the latest
    year, else the latest period (None when there is none).

    With `periods` (already loaded) it chooses among them without a query; else one query."""
    today = today or date.today()  # noqa: DTZ011 (a calendar date in the server's zone is meant)
    if periods is not None:
        ordered = sorted(periods, key=lambda p: (p.start, -p.end.toordinal(), p.pk))  # as period_list
        years = [period for period in ordered if period.kind == Period.Kind.YEAR]
        current = next((year for year in years if year.contains(today)), None)
        return current or (years[-1] if years else (ordered[-1] if ordered else None))
    rank = Case(
        When(kind=Period.Kind.YEAR, start__lte=today, end__gte=today, then=Value(0)),
        When(kind=Period.Kind.YEAR, then=Value(1)),
        default=Value(2),
    )
    latest_first = ("default_rank", "-start", "end", "-pk")  # the reverse of period_list's order
    return Period.objects.select_related("parent").annotate(default_rank=rank).order_by(*latest_first).first()


def period_family(period: Period) -> list[int]:
    """A period and the periods it sits in (a Q1 objective may align to a yearly one)."""
    return [period.pk, *tree_ancestor_ids(Period, "parent", period.pk)]


def theme_list(*, period: Period | None = None) -> QuerySet[StrategicTheme]:
    qs = StrategicTheme.objects.select_related("owner__user", "period")
    if period is not None:
        qs = qs.filter(period_id__in=period_family(period))
    return qs


def kpi_list(*, current_only: bool = True) -> QuerySet[Kpi]:
    qs = Kpi.objects.all()
    return qs.current() if current_only else qs


def kpi_reference_for(*, kpi_code: str, grade_level: str) -> KpiReference | None:
    return KpiReference.objects.filter(kpi_code=kpi_code, grade_level=grade_level).first()


def smart_warn_only() -> frozenset[str]:
    return frozenset(SmartCriterionSetting.objects.filter(warn_only=True).values_list("criterion", flat=True))


def theme_owner_choices() -> QuerySet[Employee]:
    """Who may own a strategic theme: active executives' employee records."""
    return Employee.objects.filter(user__is_executive=True, is_active=True).select_related("user")


def kpi_versions(*, code: str) -> QuerySet[Kpi]:
    """Every version of one KPI, newest first, each with how many key results use it."""
    return Kpi.objects.filter(code=code).annotate(key_result_count=Count("key_results")).order_by("-version")


def kpi_reference_list(*, kpi_code: str) -> QuerySet[KpiReference]:
    return KpiReference.objects.filter(kpi_code=kpi_code).order_by("grade_level")


def grade_levels_in_use() -> list[str]:
    """The grade levels to suggest for reference ranges: HR's grade list in its order (HR → Grade
    levels), or, while HR keeps none, the grade levels people hold now."""
    from org.models import GradeLevel

    listed = list(GradeLevel.objects.values_list("code", flat=True))  # in HR's order
    if listed:
        return listed
    rows = Employee.objects.filter(is_active=True).exclude(grade_level="").values_list("grade_level", flat=True)
    return sorted(set(rows))


def smart_setting_history() -> QuerySet:
    """Every change to HR's SMART settings, newest first, with who made it.

    A criterion's row is created on its first change with the default (blocks submission); that
    creation is not a change anyone made, so it is left out."""
    return (
        SmartCriterionSetting.history.exclude(history_type="+", warn_only=False)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def kpi_reference_map(*, codes: set[str], grades: set[str]) -> dict[tuple[str, str], KpiReference]:
    """HR's reference ranges for these KPIs and grade levels, by (code, grade), in one query."""
    if not codes or not grades:
        return {}
    rows = KpiReference.objects.filter(kpi_code__in=codes, grade_level__in=grades)
    return {(r.kpi_code, r.grade_level): r for r in rows}


def kpi_best_by_owner_and_period_end(*, codes: set[str], owner_ids: set[int]) -> list[tuple[int, str, date, object]]:
    """The best effective value per owner, KPI and period end, for the SMART history check, in one query."""
    if not codes or not owner_ids:
        return []
    rows = (
        Measurement.objects.filter(
            key_result__kpi__code__in=codes,
            key_result__objective__owner_employee_id__in=owner_ids,
            corrected_by__isnull=True,
        )
        .values(
            "key_result__objective__owner_employee_id", "key_result__kpi__code", "key_result__objective__period__end"
        )
        .annotate(best=Max("value"))
    )
    return [
        (
            row["key_result__objective__owner_employee_id"],
            row["key_result__kpi__code"],
            row["key_result__objective__period__end"],
            row["best"],
        )
        for row in rows
    ]
