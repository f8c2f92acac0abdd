"""Every form with a date or number input, opened with saved values in English and in Chinese and
submitted unchanged in Chromium, keeps those values (issue 7: the Chinese objective form used to
fill its date input with 2026/12/31, which the browser cannot read, so saving emptied it)."""

from datetime import date
from decimal import Decimal

import pytest

from goals.models import ActionPlan, Measurement, Objective
from goals.objectives.services import objective_create
from goals.progress.services.measurements import key_result_create
from notifications.models import ReminderRule
from notifications.reminders import reminder_rule_update
from org.models import CalendarDay
from org.services import calendar_day_set
from tests.factories import PASSWORD, EmployeeFactory, OrgUnitFactory
from tests.goals.factories import KeyResultFactory, MeasurementFactory, ObjectiveFactory, PeriodFactory

LANGUAGES = ["en", "zh-hans"]


def person(language: str, **extra):
    unit = OrgUnitFactory(name="华东销售部", name_en="East China sales")
    manager = EmployeeFactory(user__username="lead", unit=unit, preferred_language=language)
    return EmployeeFactory(user__username="rep", unit=unit, manager=manager, preferred_language=language, **extra)


def values_of(page, selectors: list[str]) -> dict[str, str]:
    return {selector: page.locator(selector).input_value() for selector in selectors}


def check_page_language(page, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_objective_form_keeps_its_due_date_and_numbers(page, log_in, screenshot, transactional_db, language):
    rep = person(language)
    year = PeriodFactory()
    objective = objective_create(
        actor=rep.user, period=year, level="person", owner_employee=rep, title="华东区新签客户 60 家",
        weight=Decimal("62.5"), contribution_weight=Decimal("25"), due_date=date(2026, 11, 30),
    )  # fmt: skip
    key_result_create(
        objective=objective, actor=rep.user, title="新签合同金额", baseline=Decimal("1234.5"),
        target=Decimal("1250000"), stretch=Decimal("1500000"), unit="元",
    )  # fmt: skip

    log_in(page, "rep", PASSWORD)
    page.goto(f"/goals/objectives/{objective.pk}/edit/")
    check_page_language(page, language)
    shown = values_of(
        page,
        ["#id_due_date", "#id_weight", "#id_contribution_weight", "#id_kr-0-baseline", "#id_kr-0-target",
         "#id_kr-0-stretch", "#id_kr-0-weight"],
    )  # fmt: skip
    assert shown == {
        "#id_due_date": "2026-11-30",
        "#id_weight": "62.5",
        "#id_contribution_weight": "25",
        "#id_kr-0-baseline": "1234.5",
        "#id_kr-0-target": "1250000",
        "#id_kr-0-stretch": "1500000",
        "#id_kr-0-weight": "100",
    }
    screenshot(page, f"objective-{language}")
    page.click("button[name=save]")
    page.wait_for_url(f"**/goals/objectives/{objective.pk}/")

    objective.refresh_from_db()
    kr = objective.key_results.get()
    assert objective.due_date == date(2026, 11, 30)
    assert (objective.weight, objective.contribution_weight) == (Decimal("62.5"), Decimal("25"))
    assert (kr.baseline, kr.target, kr.stretch) == (Decimal("1234.5"), Decimal("1250000"), Decimal("1500000"))
    page.goto(f"/goals/objectives/{objective.pk}/edit/")
    assert page.locator("#id_due_date").input_value() == "2026-11-30"


@pytest.mark.parametrize("language", LANGUAGES)
def test_action_plan_form_keeps_its_date_and_resources(page, log_in, transactional_db, language):
    rep = person(language)
    objective = ObjectiveFactory(owner_employee=rep, period=PeriodFactory(), status=Objective.Status.APPROVED)
    plan = ActionPlan.objects.create(
        objective=objective, what="拜访 40 家重点客户", owner=rep, due_date=date(2026, 9, 15),
        budget_amount=Decimal("12000.50"), budget_currency="CNY", people=3, hours=Decimal("1500.5"),
    )  # fmt: skip

    log_in(page, "rep", PASSWORD)
    page.goto(f"/goals/action-plans/{plan.pk}/edit/")
    check_page_language(page, language)
    assert values_of(page, ["#id_due_date", "#id_budget_amount", "#id_people", "#id_hours"]) == {
        "#id_due_date": "2026-09-15",
        "#id_budget_amount": "12000.5",
        "#id_people": "3",
        "#id_hours": "1500.5",
    }
    page.click("form.form button[type=submit]")
    page.wait_for_url(lambda url: "/edit/" not in url)

    plan.refresh_from_db()
    assert plan.due_date == date(2026, 9, 15)
    assert (plan.budget_amount, plan.people, plan.hours) == (Decimal("12000.50"), 3, Decimal("1500.5"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_correction_form_keeps_the_value_and_date(page, log_in, transactional_db, language):
    rep = person(language)
    objective = ObjectiveFactory(owner_employee=rep, period=PeriodFactory(), status=Objective.Status.APPROVED)
    kr = KeyResultFactory(objective=objective, target=Decimal("2000000"))
    original = MeasurementFactory(key_result=kr, value=Decimal("1234567.5"), as_of=date(2026, 3, 31))

    log_in(page, "rep", PASSWORD)
    page.goto(f"/goals/measurements/{original.pk}/correct/")
    check_page_language(page, language)
    assert values_of(page, ["#id_value", "#id_as_of"]) == {"#id_value": "1234567.5", "#id_as_of": "2026-03-31"}
    page.fill("#id_reason", "复核")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"**/goals/key-results/{kr.pk}/**")

    correction = Measurement.objects.get(corrects=original)
    assert (correction.value, correction.as_of) == (Decimal("1234567.5"), date(2026, 3, 31))


@pytest.mark.parametrize("language", LANGUAGES)
def test_reminder_settings_keep_their_date_and_number(page, log_in, transactional_db, language):
    hr = EmployeeFactory(user__username="hr", user__is_hr=True, preferred_language=language)
    PeriodFactory()
    reminder_rule_update(
        code="goal_setting_deadline", actor=hr.user, enabled=True,
        params={"deadline": date(2026, 1, 31), "days_before": 12, "period": ""},
    )  # fmt: skip
    before = ReminderRule.objects.get(code="goal_setting_deadline").params

    log_in(page, "hr", PASSWORD)
    page.goto("/notifications/reminders/goal_setting_deadline/")
    check_page_language(page, language)
    assert values_of(page, ["#id_deadline", "#id_days_before"]) == {
        "#id_deadline": "2026-01-31",
        "#id_days_before": "12",
    }
    page.click("form.form button[type=submit]")
    page.wait_for_url(lambda url: url.rstrip("/").endswith("/reminders"))

    assert ReminderRule.objects.get(code="goal_setting_deadline").params == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_calendar_day_form_shows_its_date(page, log_in, transactional_db, language):
    hr = EmployeeFactory(user__username="hr", user__is_hr=True, preferred_language=language)
    calendar_day_set(day=date(2026, 10, 1), kind=CalendarDay.Kind.HOLIDAY, name="国庆节", actor=hr.user)
    day = CalendarDay.objects.get(date=date(2026, 10, 1))

    log_in(page, "hr", PASSWORD)
    page.goto(f"/org/calendar/{day.pk}/edit/")
    check_page_language(page, language)
    assert page.locator("input[name=date]").input_value() == "2026-10-01"
    page.locator("form:has(input[name=date]) button[type=submit]").click()
    page.wait_for_load_state()

    day.refresh_from_db()
    assert (day.date, day.kind, day.name) == (date(2026, 10, 1), CalendarDay.Kind.HOLIDAY, "国庆节")
