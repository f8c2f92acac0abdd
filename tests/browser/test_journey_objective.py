"""Journey (issue 3): an employee drafts an objective with a vague title, sees the SMART hints,
fixes it and submits; the manager approves it from the approvals queue; the employee records
progress on its key result. Screenshots of every step go to test-artifacts/."""

from datetime import date
from decimal import Decimal

from goals.models import Measurement, Objective
from org.models import OrgUnit
from tests.factories import PASSWORD, EmployeeFactory, OrgUnitFactory
from tests.goals.factories import ObjectiveFactory, PeriodFactory

VAGUE = "提高客户满意度"
FIXED = "客户满意度从 82 分提升到 90 分"
SMART_URL = "**/goals/objectives/smart/**"


def make_company():
    company = OrgUnitFactory(name="星河科技", name_en="Xinghe Technology", kind=OrgUnit.Kind.COMPANY)
    east = OrgUnitFactory(name="华东销售部", name_en="East China sales", parent=company)
    manager = EmployeeFactory(
        user__username="zhaolei", user__full_name="赵磊", user__english_name="Zhao Lei", unit=east
    )
    employee = EmployeeFactory(
        user__username="wangfang",
        user__full_name="王芳",
        user__english_name="Wang Fang",
        unit=east,
        manager=manager,
        grade_level="P3",
        preferred_language="zh-hans",
    )
    year = PeriodFactory()  # 2026
    team_goal = ObjectiveFactory(
        title="华东销售部客户满意度达到 90 分", level=Objective.Level.UNIT, owner_employee=None, owner_unit=east,
        created_by=manager.user, period=year, status=Objective.Status.APPROVED, due_date=date(2026, 12, 31),
    )  # fmt: skip
    return employee, manager, year, team_goal


def smart_status(page, criterion: str) -> str:
    return page.locator(f'#smart-panel .smart-row[data-criterion="{criterion}"]').get_attribute("data-status")


def log_out(page) -> None:
    page.click(".logout-form button")
    page.wait_for_url("**/accounts/login/")


def test_draft_fix_submit_approve_and_record_progress(page, log_in, screenshot, transactional_db):
    employee, manager, year, team_goal = make_company()

    # 1. The employee starts a new objective and types a vague title: the SMART hints appear.
    log_in(page, "wangfang", PASSWORD)
    page.goto("/goals/objectives/new/")
    page.select_option("#id_period", str(year.pk))
    with page.expect_response(SMART_URL):
        page.fill("#id_title", VAGUE)
    page.wait_for_selector("#smart-panel .smart-reason:has-text('提高')")
    assert smart_status(page, "specific") == "fail"
    assert smart_status(page, "measurable") == "fail"
    assert smart_status(page, "relevant") == "fail"
    assert smart_status(page, "time_bound") == "pass"  # a new objective starts due at the period's end
    assert page.locator("#smart-panel .smart-summary").get_attribute("data-blocked") == "true"
    # each status is shown by an icon and a word, not by colour alone
    assert page.locator('#smart-panel .smart-row[data-criterion="specific"] .smart-badge').inner_text().strip() != ""
    screenshot(page, "vague")

    # 2. They fix it: a measurable title, aligned to the team's objective, a due date and a key result.
    page.fill("#id_title", FIXED)
    page.select_option("#id_parent", str(team_goal.pk))
    page.fill("#id_due_date", "2026-12-31")
    page.fill("#id_weight", "100")
    page.fill("#id_kr-0-title", "季度客户满意度调查得分")
    page.fill("#id_kr-0-baseline", "82")
    page.fill("#id_kr-0-unit", "分")
    with page.expect_response(SMART_URL):
        page.fill("#id_kr-0-target", "90")
    page.wait_for_selector('#smart-panel .smart-summary[data-blocked="false"]')
    for criterion in ("measurable", "achievable", "relevant", "time_bound"):
        assert smart_status(page, criterion) == "pass", criterion
    assert smart_status(page, "specific") in ("pass", "warn")  # "提升" is still flagged as a warning
    assert page.locator('#smart-panel .smart-row[data-status="fail"]').count() == 0
    screenshot(page, "fixed")

    # 3. Save and submit: the detail page shows it waiting for approval.
    page.click("button[name=submit]")
    page.wait_for_url("**/goals/objectives/*/")
    objective = Objective.objects.get(title=FIXED)
    assert objective.status == Objective.Status.SUBMITTED
    assert page.locator("h1 .objective-status").get_attribute("data-status") == "submitted"
    assert page.locator(".alert-success").count() == 1
    screenshot(page, "submitted")
    log_out(page)

    # 4. The manager opens the approvals queue and approves it in place.
    log_in(page, "zhaolei", PASSWORD)
    page.goto("/goals/approvals/")
    row = page.locator(f"#approval-{objective.pk}")
    assert FIXED in row.inner_text()
    assert row.locator(".smart-compact-item").count() == 5
    screenshot(page, "approvals")
    row.locator("form[action$='/approve/'] button[type=submit]").click()
    page.wait_for_selector(f"#approval-{objective.pk}.approval-done")
    objective.refresh_from_db()
    assert objective.status == Objective.Status.APPROVED
    assert objective.approved_by == manager.user
    screenshot(page, "approved")
    log_out(page)

    # 5. The employee records progress on the key result from the objective's page.
    log_in(page, "wangfang", PASSWORD)
    page.goto(f"/goals/objectives/{objective.pk}/")
    kr = objective.key_results.get()
    assert page.locator("h1 .objective-status").get_attribute("data-status") == "approved"
    page.fill(f"#kr{kr.pk}-value", "85")
    page.fill(f"#kr{kr.pk}-comment", "第三季度调查结果")
    page.click(f"#objkr-{kr.pk} .objkr-record-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    measurement = Measurement.objects.get(key_result=kr)
    assert measurement.value == Decimal("85")
    assert measurement.entered_by == employee.user
    progress = page.locator(f"#objkr-{kr.pk} .objkr-progress")
    assert progress.get_attribute("aria-valuenow") == "37.5"  # (85 − 82) / (90 − 82)
    screenshot(page, "progress")
