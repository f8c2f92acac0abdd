"""China's official public holidays and make-up working days (调休), as HR loads them into the
working-day calendar with one button.

The State Council publishes each year's arrangement late in the year before
(国务院办公厅关于 20xx 年部分节假日安排的通知). Add a year here as a list of
(first day, last day, kind, name) ranges copied from that notice.

2026: 国务院办公厅关于2026年部分节假日安排的通知, dated 4 November 2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from org.models import CalendarDay, User

HOLIDAY = CalendarDay.Kind.HOLIDAY
WORKDAY = CalendarDay.Kind.WORKDAY

# (first day, last day, kind, Chinese name, English name).
OFFICIAL_HOLIDAYS: dict[int, list[tuple[date, date, str, str, str]]] = {
    2026: [
        # 元旦: 1月1日(周四)至3日(周六)放假调休,共3天。1月4日(周日)上班。
        (date(2026, 1, 1), date(2026, 1, 3), HOLIDAY, "元旦", "New Year's Day"),
        (date(2026, 1, 4), date(2026, 1, 4), WORKDAY, "元旦调休上班", "Make-up working day for New Year's Day"),
        # 春节: 2月15日(腊月二十八、周日)至23日(正月初七、周一)放假调休,共9天。2月14日(周六)、2月28日(周六)上班。
        (date(2026, 2, 14), date(2026, 2, 14), WORKDAY, "春节调休上班", "Make-up working day for the Spring Festival"),
        (date(2026, 2, 15), date(2026, 2, 23), HOLIDAY, "春节", "Spring Festival"),
        (date(2026, 2, 28), date(2026, 2, 28), WORKDAY, "春节调休上班", "Make-up working day for the Spring Festival"),
        # 清明节: 4月4日(周六)至6日(周一)放假,共3天。
        (date(2026, 4, 4), date(2026, 4, 6), HOLIDAY, "清明节", "Qingming Festival"),
        # 劳动节: 5月1日(周五)至5日(周二)放假调休,共5天。5月9日(周六)上班。
        (date(2026, 5, 1), date(2026, 5, 5), HOLIDAY, "劳动节", "Labour Day"),
        (date(2026, 5, 9), date(2026, 5, 9), WORKDAY, "劳动节调休上班", "Make-up working day for Labour Day"),
        # 端午节: 6月19日(周五)至21日(周日)放假,共3天。
        (date(2026, 6, 19), date(2026, 6, 21), HOLIDAY, "端午节", "Dragon Boat Festival"),
        # 中秋节: 9月25日(周五)至27日(周日)放假,共3天。
        (date(2026, 9, 25), date(2026, 9, 27), HOLIDAY, "中秋节", "Mid-Autumn Festival"),
        # 国庆节: 10月1日(周四)至7日(周三)放假调休,共7天。9月20日(周日)、10月10日(周六)上班。
        (date(2026, 9, 20), date(2026, 9, 20), WORKDAY, "国庆节调休上班", "Make-up working day for National Day"),
        (date(2026, 10, 1), date(2026, 10, 7), HOLIDAY, "国庆节", "National Day"),
        (date(2026, 10, 10), date(2026, 10, 10), WORKDAY, "国庆节调休上班", "Make-up working day for National Day"),
    ],
}


@dataclass(frozen=True)
class OfficialDay:
    date: date
    kind: str
    name: str
    name_en: str = ""


def official_years() -> list[int]:
    return sorted(OFFICIAL_HOLIDAYS)


def official_days(year: int) -> list[OfficialDay]:
    """Every day of a year's official arrangement, one entry per date (empty for an unknown year)."""
    days = []
    for first, last, kind, name, name_en in OFFICIAL_HOLIDAYS.get(year, []):
        day = first
        while day <= last:
            days.append(OfficialDay(date=day, kind=kind, name=name, name_en=name_en))
            day += timedelta(days=1)
    return sorted(days, key=lambda d: d.date)


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def load_official_holidays(*, year: int, actor: User | None = None) -> LoadResult:
    """Put a year's official arrangement into HR's calendar (the demo loader calls it too).

    Runs again safely: dates already there with the same kind and names stay as they are,
    others are corrected; entries HR added for other dates (a company day off) are kept.
    """
    from org.services import calendar_days_set_many

    return calendar_days_set_many(days=official_days(year), actor=actor)


def official_days_missing(*, year: int, entries) -> int:
    """How many days of a year's official arrangement the calendar lacks or marks otherwise
    (0 once they are loaded; HR's renaming of a day does not count)."""
    kinds = {entry.date: entry.kind for entry in entries}
    return sum(kinds.get(day.date) != day.kind for day in official_days(year))
