"""The Content-Security-Policy in Chromium (issue 8): key pages of every role load with no
policy violation and no console error, and the htmx and script-driven parts still work under
it — the live SMART panel, inline progress, the phone menu, the copy button, the Swagger page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from goals.models import Objective
from org.models import OrgUnit
from tests.factories import PASSWORD, EmployeeFactory, OrgUnitFactory, UserFactory
from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory, ThemeFactory

APPROVED = Objective.Status.APPROVED

# Playwright's init scripts run outside the page's policy, so this listener sees every violation.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture
def company(transactional_db):
    today = timezone.localdate()
    root = OrgUnitFactory(name="星河科技", name_en="Xinghe Technology", kind=OrgUnit.Kind.COMPANY)
    east = OrgUnitFactory(name="华东销售部", name_en="East China sales", parent=root)
    hr_unit = OrgUnitFactory(name="人力资源部", name_en="HR", parent=root)
    ceo = EmployeeFactory(user__username="chenjing", user__is_executive=True, unit=root)
    manager = EmployeeFactory(user__username="zhaolei", unit=east, manager=ceo)
    employee = EmployeeFactory(user__username="wangfang", unit=east, manager=manager, preferred_language="zh-hans")
    EmployeeFactory(user__username="liuyang", user__is_hr=True, unit=hr_unit, manager=ceo)
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    year = PeriodFactory(name=str(today.year), start=date(today.year, 1, 1), end=date(today.year, 12, 31))
    theme = ThemeFactory(owner=ceo, period=year, title="客户第一", title_en="Customers first")
    top = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=root, theme=theme, status=APPROVED,
        created_by=ceo.user, period=year, title="全年新签客户 300 家",
    )  # fmt: skip
    mine = ObjectiveFactory(
        owner_employee=employee, parent=top, status=APPROVED, period=year, title="新签客户 60 家", due_date=year.end
    )
    kr = KeyResultFactory(objective=mine, title="新签客户数", baseline=Decimal(0), target=Decimal("60"), unit="家")
    ObjectiveFactory(owner_employee=employee, parent=top, status=Objective.Status.SUBMITTED, period=year,
                     title="客户满意度从 82 分提升到 90 分")  # fmt: skip
    as_of = max(year.start, today - timedelta(days=1))
    return {"year": year, "mine": mine, "kr": kr, "employee": employee, "manager": manager, "as_of": as_of}


def pages_for(data) -> dict[str, list[str]]:
    mine, year, employee = data["mine"].pk, data["year"].pk, data["employee"].pk
    return {
        "wangfang": ["/", "/goals/", f"/goals/objectives/{mine}/", "/goals/objectives/new/", "/goals/cascade/",
                     f"/goals/scores/person/{employee}/?period={year}", "/notifications/", "/api/docs/"],
        "zhaolei": ["/", "/goals/team/", "/goals/approvals/", "/org/my-team/", f"/goals/objectives/{mine}/"],
        "liuyang": ["/", "/org/people/", "/goals/kpis/", "/goals/smart-settings/", "/goals/integrations/",
                    "/org/spreadsheet/"],
        "chenjing": ["/", "/goals/themes/", "/goals/cascade/", "/goals/approvals/"],
        "admin": ["/admin/", "/admin/org/user/", "/admin/org/user/add/"],
    }  # fmt: skip


def watch(page) -> list[str]:
    """Console errors and warnings, page errors and policy violations, as they happen."""
    problems: list[str] = []
    page.add_init_script(WATCH)

    def on_console(message) -> None:
        # Django's admin pages link no icon, so Chromium asks for /favicon.ico (404): not a policy matter
        if message.type in ("error", "warning") and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"console {message.type} on {page.url}: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems


def violations(page) -> list[str]:
    return page.evaluate("window.__violations || []")


def test_key_pages_of_every_role_break_no_policy(new_page, log_in, company):
    found = []
    for username, urls in pages_for(company).items():
        page = new_page()
        problems = watch(page)
        log_in(page, username, PASSWORD)
        for url in urls:
            response = page.goto(url)
            assert response is not None
            assert response.status == 200, f"{username} {url}: {response.status}"
            assert "script-src 'self'" in response.headers["content-security-policy"]
            page.wait_for_load_state("networkidle")
            found += [f"{username} {url}: {v}" for v in violations(page)]
        found += [f"{username}: {p}" for p in problems]
        page.context.close()
    assert found == []


def test_swagger_ui_renders_the_operations(page, log_in, company):
    problems = watch(page)
    log_in(page, "wangfang", PASSWORD)
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)  # drawn by the init script from its file
    assert page.locator(".opblock").count() > 10
    assert violations(page) == []
    assert problems == []


def test_htmx_smart_panel_and_inline_progress_work_under_the_policy(page, log_in, screenshot, company):
    problems = watch(page)
    log_in(page, "wangfang", PASSWORD)
    # the live SMART panel answers what is typed (htmx POST, swap)
    page.goto("/goals/objectives/new/")
    with page.expect_response(lambda r: "/goals/objectives/smart/" in r.url and r.status == 200):
        page.fill("#id_title", "努力提高客户满意度")
    page.wait_for_selector('#smart-panel .smart-row[data-status="fail"]')
    # inline progress updates the card in place
    kr = company["kr"]
    page.goto(f"/goals/?period={company['year'].pk}")
    row = page.locator(f"#kr-{kr.pk}")
    row.locator("summary").click()
    row.locator("input[name=value]").fill("30")
    row.locator("input[name=as_of]").fill(company["as_of"].isoformat())
    row.locator("button[type=submit]").click()
    page.wait_for_selector(f"#kr-{kr.pk} .alert-success")
    assert page.locator(f"#objective-progress-{company['mine'].pk} .kr-percent").inner_text().strip() == "50%"
    screenshot(page, "inline-progress")
    assert violations(page) == []
    assert problems == []


def test_phone_menu_and_copy_button_work_under_the_policy(new_page, log_in, company):
    page = new_page({"width": 390, "height": 844})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    problems = watch(page)
    log_in(page, "liuyang", PASSWORD)
    page.click(".menu-toggle")
    assert page.locator(".menu-toggle").get_attribute("aria-expanded") == "true"
    # the token page's copy button (its script moved from the page into stride.js)
    page.goto("/goals/integrations/")
    page.fill("input[name=name]", "CRM")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_selector("#raw-token")
    page.click("[data-copy]")
    expect(page.locator("[data-copy]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == page.input_value("#raw-token")
    assert violations(page) == []
    assert problems == []
