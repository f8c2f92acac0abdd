"""pace(): progress against the share of the period that has passed."""

from datetime import date
from decimal import Decimal

import pytest

from goals.progress.pace import AT_RISK, BEHIND, ON_TRACK, elapsed_share, pace

START, END = date(2026, 1, 1), date(2026, 12, 31)  # 365 days


@pytest.mark.parametrize(
    ("day", "share"),
    [(date(2025, 12, 31), Decimal(0)), (START, Decimal(1) / 365 * 100), (date(2026, 7, 2), Decimal(183) / 365 * 100),
     (END, Decimal(100)), (date(2027, 3, 1), Decimal(100))],
)  # fmt: skip
def test_elapsed_share(day, share):
    assert elapsed_share(start=START, end=END, day=day) == share


def test_a_one_day_period():
    assert elapsed_share(start=START, end=START, day=START) == 100
    assert pace(progress=Decimal(100), start=START, end=START, day=START) == ON_TRACK


def test_a_period_that_ends_before_it_starts_is_an_error():
    with pytest.raises(ValueError, match="ends before"):
        elapsed_share(start=END, end=START, day=START)


MID = date(2026, 7, 2)  # half the year: expected 50.14 %


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        (Decimal(60), ON_TRACK),  # ahead
        (Decimal("47.64"), ON_TRACK),  # ≥ 95 % of 50.14
        (Decimal("47.6"), AT_RISK),  # just under 95 %
        (Decimal("40.11"), AT_RISK),  # ≥ 80 %
        (Decimal("40.1"), BEHIND),
        (Decimal(0), BEHIND),
        (None, None),  # no data: no hint
    ],
)
def test_thresholds(progress, expected):
    assert pace(progress=progress, start=START, end=END, day=MID) == expected


def test_before_the_period_starts_anything_is_on_track():
    assert pace(progress=Decimal(0), start=START, end=END, day=date(2025, 12, 1)) == ON_TRACK


def test_after_the_period_everything_short_of_95_is_not_on_track():
    after = date(2027, 1, 15)
    assert pace(progress=Decimal(95), start=START, end=END, day=after) == ON_TRACK
    assert pace(progress=Decimal(90), start=START, end=END, day=after) == AT_RISK
    assert pace(progress=Decimal(70), start=START, end=END, day=after) == BEHIND
