"""Journey: HR keeps the working-day calendar on a phone — a 7-column month grid that fits the
screen, a company day off added, and the same date added again asks before replacing it."""

from datetime import date

from org.holidays import load_official_holidays
from org.models import CalendarDay
from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, EmployeeFactory


def test_hr_keeps_the_calendar_on_a_phone(new_page, log_in, screenshot, transactional_db):
    EmployeeFactory(user__username="hr", user__is_hr=True, preferred_language="en")
    load_official_holidays(year=2026)
    page = new_page(viewport=PHONE)
    log_in(page, "hr", PASSWORD)

    page.goto("/org/calendar/?year=2026")
    # the official days are in: no prompt to load them
    assert page.locator(".cal-official").count() == 0
    # twelve month grids, each 7 columns wide, none wider than the screen
    months = page.locator("table.cal-month")
    assert months.count() == 12
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for i in range(12):
        month = months.nth(i)
        assert month.locator("thead th").count() == 7
        box = month.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
        assert box["width"] / 7 >= 20  # a day cell stays big enough to read
    screenshot(page, "month-grid")

    # a company day off on Thursday 31 December
    page.fill("#id_date", "2026-12-31")
    page.select_option("#id_kind", "company")
    page.fill("#id_name", "年终盘点")
    page.fill("#id_name_en", "Year-end stocktake")
    page.click("#day-form button[type=submit]")
    page.wait_for_load_state()
    cell = page.locator('td.cal-company time[datetime="2026-12-31"]')
    assert cell.count() == 1

    # the same date again: the page asks, and only "Replace it" replaces it
    page.fill("#id_date", "2026-12-31")
    page.select_option("#id_kind", "holiday")
    page.click("#day-form button[type=submit]")
    page.wait_for_load_state()
    question = page.locator(".cal-confirm")
    assert "already in the calendar: Company day off (no work), “Year-end stocktake”." in question.inner_text()
    screenshot(page, "replace-question")
    assert CalendarDay.objects.get(date=date(2026, 12, 31)).kind == CalendarDay.Kind.COMPANY
    page.click("#day-form button[type=submit]")
    page.wait_for_load_state()
    assert CalendarDay.objects.get(date=date(2026, 12, 31)).kind == CalendarDay.Kind.HOLIDAY
