"""Pure rules for periods — no ORM: a fiscal year's periods, a period's length in months, and a
reference range scaled to a period."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

ONE_DAY = timedelta(days=1)


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
