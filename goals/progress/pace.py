"""Pace: is progress keeping up with the time that has passed? (Pure; no ORM.)

The expected progress on a day is the share of the period elapsed by then. Progress of at
least 95 % of that is on track, at least 80 % at risk, anything less behind.

Kept in its own module for now; it belongs next to the scoring arithmetic (goals/scoring/engine.py)
and may move there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal("100")
ON_TRACK_SHARE = Decimal("0.95")
AT_RISK_SHARE = Decimal("0.80")

ON_TRACK = "on_track"
AT_RISK = "at_risk"
BEHIND = "behind"

LABELS = {ON_TRACK: _("On track"), AT_RISK: _("At risk"), BEHIND: _("Behind")}


def elapsed_share(*, start: date, end: date, day: date) -> Decimal:
    """Percent (0–100) of the days from start to end, both included, that have passed by the end of `day`."""
    if end < start:
        raise ValueError("The period ends before it starts.")
    if day < start:
        return Decimal("0")
    if day >= end:
        return HUNDRED
    total = (end - start).days + 1
    passed = (day - start).days + 1
    return Decimal(passed) / Decimal(total) * HUNDRED


def pace(*, progress: Decimal | None, start: date, end: date, day: date) -> str | None:
    """ON_TRACK, AT_RISK or BEHIND for progress (0–100) as of `day`; None without progress data."""
    if progress is None:
        return None
    expected = elapsed_share(start=start, end=end, day=day)
    if expected == 0 or progress >= expected * ON_TRACK_SHARE:
        return ON_TRACK
    if progress >= expected * AT_RISK_SHARE:
        return AT_RISK
    return BEHIND


ICONS = {ON_TRACK: "✓", AT_RISK: "!", BEHIND: "↓"}


@dataclass(frozen=True)
class Pace:
    """A pace verdict with its figures, for a badge that says why: expected by `day` versus actual."""

    state: str
    expected: Decimal
    actual: Decimal
    day: date

    @property
    def label(self) -> str:
        return str(LABELS[self.state])

    @property
    def icon(self) -> str:
        return ICONS[self.state]


def pace_of(*, progress: Decimal | None, start: date, end: date, day: date | None) -> Pace | None:
    """pace() with the figures behind it; None without progress data or a day to judge on."""
    if progress is None or day is None:
        return None
    state = pace(progress=progress, start=start, end=end, day=day)
    return Pace(state=state, expected=elapsed_share(start=start, end=end, day=day), actual=progress, day=day)
