"""A new objective's due date and weight follow the period chosen, unless the reader changed them."""

from datetime import date

from playwright.sync_api import expect

from tests.factories import PASSWORD, EmployeeFactory, OrgUnitFactory
from tests.goals.factories import PeriodFactory


def test_choosing_another_period_moves_the_starting_due_date_but_not_a_typed_one(page, log_in, transactional_db):
    unit = OrgUnitFactory(name="华东销售部", name_en="East China sales")
    lead = EmployeeFactory(user__username="lead", unit=unit)
    EmployeeFactory(user__username="rep", unit=unit, manager=lead)
    year = PeriodFactory()
    q1 = PeriodFactory(kind="quarter", name="2026 Q1", start=date(2026, 1, 1), end=date(2026, 3, 31), parent=year)
    h1 = PeriodFactory(kind="half", name="2026 H1", start=date(2026, 1, 1), end=date(2026, 6, 30), parent=year)

    log_in(page, "rep", PASSWORD)
    page.goto("/goals/objectives/new/")
    assert page.locator("#id_due_date").input_value() == "2026-12-31"
    page.fill("#id_title", "华东区新签客户从 40 家提高到 60 家")
    page.wait_for_timeout(800)

    with page.expect_response(lambda response: "/goals/objectives/new/?" in response.url):
        page.select_option("#id_period", str(q1.pk))
    expect(page.locator("#id_due_date")).to_have_value("2026-03-31")
    # the SMART panel checks the due date that is now there, not the year's end it replaced
    time_bound = page.locator('#smart-panel .smart-row[data-criterion="time_bound"]')
    expect(time_bound).to_have_attribute("data-status", "pass")

    page.fill("#id_due_date", "2026-02-20")
    with page.expect_response(lambda response: "/goals/objectives/new/?" in response.url):
        page.select_option("#id_period", str(h1.pk))
    page.wait_for_timeout(300)
    assert page.locator("#id_due_date").input_value() == "2026-02-20"
    assert page.locator("#id_period").input_value() == str(h1.pk)
