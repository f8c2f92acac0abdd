"""HR's working-day calendar as an object that reminders (and later appeal deadlines) ask.

Monday to Friday are working days, except the public holidays HR lists; a weekend day HR
lists as a make-up working day (调休) is a working day. The arithmetic is the pure functions
in org.rules; this class only loads HR's exceptions (org.selectors.calendar_exceptions) for
the dates it is asked about, a window at a time, so a reminder run reads the calendar in one
or two queries however many people it looks at.
"""

from __future__ import annotations

from datetime import date, timedelta

from org import rules
from org.selectors import calendar_exceptions

# How far around the asked dates to load at once (a long holiday never spans more).
MARGIN = timedelta(days=60)


class WorkingCalendar:
    """Working days by HR's calendar. Load once per job; ask as often as needed."""

    def __init__(self) -> None:
        self.holidays: set[date] = set()
        self.workdays: set[date] = set()
        self._start: date | None = None
        self._end: date | None = None

    def _ensure(self, start: date, end: date) -> None:
        """Make sure HR's exceptions between `start` and `end` are loaded."""
        if self._start is not None and self._start <= start and end <= self._end:
            return
        start, end = start - MARGIN, end + MARGIN
        if self._start is not None:
            start, end = min(start, self._start), max(end, self._end)
        self.holidays, self.workdays = calendar_exceptions(start=start, end=end)
        self._start, self._end = start, end

    def is_working_day(self, day: date) -> bool:
        self._ensure(day, day)
        return rules.is_working_day(day, holidays=self.holidays, workdays=self.workdays)

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (before it, for a negative number)."""
        # A working week has at least 5 days in 7 except around long holidays; the margin
        # covers those, and a result outside the loaded window is computed again with it.
        reach = timedelta(days=abs(days) * 7 // 5 + 14)
        low, high = (start, start + reach) if days >= 0 else (start - reach, start)
        while True:
            self._ensure(low, high)
            result = rules.add_working_days(start, days, holidays=self.holidays, workdays=self.workdays)
            if low <= result <= high:
                return result
            low, high = min(low, result), max(high, result)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
        self._ensure(min(start, end), max(start, end))
        return rules.working_days_between(start, end, holidays=self.holidays, workdays=self.workdays)


def calendar_day_list(*, year: int):
    """HR's entries (holidays and make-up working days) of one calendar year, by date."""
    from org.models import CalendarDay

    return CalendarDay.objects.filter(date__year=year).order_by("date")
