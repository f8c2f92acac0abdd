"""Accessibility: the key pages have no serious or critical axe-core findings, for an employee, a
manager and HR, in English and in Chinese (issue 7: link contrast in key-result rows and links
nested in the cascade's toggles were the two serious ones).

axe-core is vendored in tests/browser/vendor/ (axe.min.js with its licence header, MPL-2.0; the
licence text is axe-LICENSE.txt) and injected into each page, so the test needs no network.
"""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from goals.models import Objective
from goals.progress.services.measurements import measurement_record
from goals.scoring.rollup import recompute_all
from org.models import OrgUnit
from tests.browser.conftest import DESKTOP
from tests.factories import PASSWORD, EmployeeFactory, OrgUnitFactory
from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory, ThemeFactory

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
LANGUAGES = ["en", "zh-hans"]
APPROVED = Objective.Status.APPROVED

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ") + " :: " + n.html.slice(0, 160))}));
}"""


def make_company(language: str) -> dict:
    today = timezone.localdate()
    company = OrgUnitFactory(name="星河科技", name_en="Xinghe Technology", kind=OrgUnit.Kind.COMPANY)
    east = OrgUnitFactory(name="华东销售部", name_en="East China sales", parent=company)
    hr_unit = OrgUnitFactory(name="人力资源部", name_en="HR", parent=company)
    ceo = EmployeeFactory(
        user__username="chenjing", user__full_name="陈静", user__english_name="Chen Jing", user__is_executive=True,
        unit=company, preferred_language=language,
    )  # fmt: skip
    manager = EmployeeFactory(
        user__username="zhaolei", user__full_name="赵磊", user__english_name="Zhao Lei", unit=east, manager=ceo,
        preferred_language=language,
    )  # fmt: skip
    employee = EmployeeFactory(
        user__username="wangfang", user__full_name="王芳", user__english_name="Wang Fang", unit=east,
        manager=manager, preferred_language=language, grade_level="P3",
    )  # fmt: skip
    EmployeeFactory(
        user__username="lina", user__full_name="李娜", unit=east, manager=manager, preferred_language=language
    )
    EmployeeFactory(
        user__username="liuyang", user__full_name="刘洋", user__english_name="Liu Yang", user__is_hr=True,
        unit=hr_unit, manager=ceo, preferred_language=language,
    )  # fmt: skip
    year = PeriodFactory(name=str(today.year), start=date(today.year, 1, 1), end=date(today.year, 12, 31))
    theme = ThemeFactory(owner=ceo, period=year, title="客户第一", title_en="Customers first")
    top = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=company, theme=theme, status=APPROVED,
        created_by=ceo.user, period=year, title="全年新签客户 300 家",
    )  # fmt: skip
    unit_goal = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=east, parent=top, status=APPROVED,
        created_by=manager.user, period=year, title="华东新签客户 160 家",
    )  # fmt: skip
    mine = ObjectiveFactory(
        owner_employee=employee, parent=unit_goal, status=APPROVED, period=year, title="新签客户 60 家",
        due_date=year.end,
    )  # fmt: skip
    kr = KeyResultFactory(objective=mine, title="新签客户数", target=Decimal("60"), unit="家")
    measurement_record(
        key_result=kr, value=Decimal("25"), as_of=max(year.start, today - timedelta(days=3)), actor=employee.user
    )
    waiting = ObjectiveFactory(
        owner_employee=employee, parent=unit_goal, status=Objective.Status.SUBMITTED, period=year,
        title="客户满意度从 82 分提升到 90 分", track=Objective.Track.OKR, weight=Decimal("0"),
    )  # fmt: skip
    KeyResultFactory(objective=waiting, title="满意度得分", baseline=Decimal("82"), target=Decimal("90"), unit="分")
    recompute_all(period=year)
    return {"employee": employee, "manager": manager, "year": year, "mine": mine}


def pages_for(data: dict) -> dict[str, list[str]]:
    mine, year = data["mine"].pk, data["year"].pk
    employee, manager = data["employee"].pk, data["manager"].pk
    return {
        "wangfang": [
            "/",
            "/goals/",
            f"/goals/objectives/{mine}/",
            "/goals/objectives/new/",
            "/goals/cascade/",
            f"/goals/scores/person/{employee}/?period={year}",
            f"/goals/scores/objective/{mine}/",
        ],
        "zhaolei": [
            "/",
            "/goals/team/",
            "/goals/approvals/",
            f"/goals/objectives/{mine}/",
            "/goals/cascade/",
            "/org/my-team/",
            f"/goals/scores/person/{manager}/?period={year}",
        ],
        "liuyang": [
            "/",
            "/org/people/",
            "/goals/cascade/",
            f"/goals/objectives/{mine}/",
            f"/goals/objectives/{mine}/edit/",
            "/goals/approvals/",
        ],
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_key_pages_have_no_serious_axe_findings(browser, live_server, log_in, transactional_db, language):
    data = make_company(language)
    findings = []
    for username, urls in pages_for(data).items():
        # bypass_csp: the site's Content-Security-Policy (script-src 'self') would refuse the injected axe script
        context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, bypass_csp=True)
        context.set_default_timeout(10_000)
        page = context.new_page()
        log_in(page, username, PASSWORD)
        for url in urls:
            response = page.goto(url)
            assert response is not None
            assert response.status == 200, f"{username} {url}: {response.status}"
            assert page.locator("html").get_attribute("lang") == language
            page.add_script_tag(path=str(AXE))
            for violation in page.evaluate(RUN_AXE):
                findings.append(f"{username} {url} [{violation['impact']}] {violation['id']}: {violation['help']}")
                findings.extend(f"    {node}" for node in violation["nodes"])
        context.close()

    assert not findings, "\n".join(findings)
