"""Export of objectives and key results (.xlsx and CSV) through the real URL, with visibility applied."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from goals.models import Milestone, Objective, Period
from tests.goals.factories import KeyResultFactory, KpiFactory, ObjectiveFactory, PeriodFactory, ThemeFactory

APPROVED = Objective.Status.APPROVED
HEADER = [
    "Objective ID", "Period", "Level", "Owner", "Unit", "Objective", "Status", "Track", "Objective weight",
    "Due date", "Aligned to", "Key result ID", "Key result", "Direction", "Baseline", "Target", "Stretch",
    "Unit of measure", "Key result weight", "KPI", "Current value", "Last update", "Progress %",
]  # fmt: skip


@pytest.fixture
def year(db):
    return PeriodFactory()


@pytest.fixture
def cascade(org, year):
    class Cascade:
        pass

    c = Cascade()
    c.theme = ThemeFactory(owner=org.ceo, period=year)
    c.company = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, created_by=org.ceo.user,
        period=year, status=APPROVED, title="全年销售额 1 亿元", theme=c.theme,
    )  # fmt: skip
    c.company_kr = KeyResultFactory(objective=c.company, title="销售额", unit="万元", target=Decimal("10000"))
    c.unit = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, created_by=org.lead.user,
        period=year, status=APPROVED, title="华东销售部合同额 800 万元", parent=c.company,
    )  # fmt: skip
    c.mine = ObjectiveFactory(
        owner_employee=org.rep, period=year, status=APPROVED, title="全年新签客户 60 家", parent=c.unit,
        weight=Decimal("70"),
    )  # fmt: skip
    c.kpi = KpiFactory(code="SALES-NEW", version=2)
    c.customers = KeyResultFactory(
        objective=c.mine, title="新签客户数", unit="家", baseline=Decimal("30"), target=Decimal("60"),
        stretch=Decimal("70"), weight=Decimal("60"), kpi=c.kpi, current_value=Decimal("45.0000"),
        last_measured_on=date(2026, 6, 30),
    )  # fmt: skip
    c.range = KeyResultFactory(
        objective=c.mine, title="毛利率", direction="range", unit="%", baseline=None, target=None,
        range_low=Decimal("80"), range_high=Decimal("95"), weight=Decimal("20"), current_value=Decimal("85"),
    )  # fmt: skip
    c.steps = KeyResultFactory(
        objective=c.mine, title="上线客户门户", direction="milestones", baseline=None, target=None, weight=Decimal("20")
    )
    Milestone.objects.create(key_result=c.steps, title="需求", done_on=date(2026, 3, 1))
    Milestone.objects.create(key_result=c.steps, title="上线")
    c.draft = ObjectiveFactory(owner_employee=org.rep, period=year, title="提高客户满意度", weight=Decimal("30"))
    c.hidden = ObjectiveFactory(owner_employee=org.other_rep, period=year, status=APPROVED, title="华南目标")
    KeyResultFactory(objective=c.hidden)
    c.last_year = ObjectiveFactory(
        owner_employee=org.rep, status=APPROVED, title="去年的目标",
        period=PeriodFactory(name="2025", start=date(2025, 1, 1), end=date(2025, 12, 31)),
    )  # fmt: skip
    return c


def export(client, period, file_format="xlsx"):
    response = client.get(reverse("goals:objectives-export"), {"period": period.pk, "format": file_format})
    assert response.status_code == 200, response.status_code
    return response


def xlsx_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_an_employee_exports_what_they_may_see_one_row_per_key_result(org, cascade, year, client_for):
    rows = xlsx_rows(export(client_for(org.rep), year))

    assert rows[0] == HEADER
    titles = [(r[5], r[12]) for r in rows[1:]]
    assert titles == [
        ("全年销售额 1 亿元", "销售额"),
        ("华东销售部合同额 800 万元", None),  # an objective without key results: one row
        ("全年新签客户 60 家", "新签客户数"),
        ("全年新签客户 60 家", "毛利率"),
        ("全年新签客户 60 家", "上线客户门户"),
        ("提高客户满意度", None),
    ]  # not other_rep's objective, not last year's
    customers = rows[3]
    assert customers[:12] == [
        cascade.mine.pk, "2026", "Person", org.rep.name, "East China sales", "全年新签客户 60 家",
        "Approved (active)", "Counted (KPI)", 70, customers[9], "华东销售部合同额 800 万元", cascade.customers.pk,
    ]  # fmt: skip
    assert customers[9].date() == date(2026, 12, 31)
    assert customers[12:] == [
        "新签客户数", "Higher is better", 30, 60, 70, "家", 60, "SALES-NEW v2", 45, customers[21], 50,
    ]  # fmt: skip
    assert customers[21].date() == date(2026, 6, 30)
    assert rows[4][15] == "80–95"  # a range
    assert rows[4][22] == 100  # 85 is inside it
    assert rows[5][22] == 50  # one of two milestones done
    assert rows[1][10] == cascade.theme.title_en  # aligned to a theme
    assert rows[2][4] == "East China sales"


def test_hr_exports_everyone_and_csv_is_utf8_with_bom_and_plain_numbers(org, cascade, year, client_for):
    response = export(client_for(org.hr), year, "csv")

    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert "华南目标" in {r[5] for r in rows[1:]}
    customers = next(r for r in rows if r[12] == "新签客户数")
    assert customers[14:17] == ["30", "60", "70"]
    assert customers[20:23] == ["45", "2026-06-30", "50"]


def test_headers_and_labels_follow_the_language(org, cascade, year, client_for):
    org.rep.preferred_language = "zh-hans"
    org.rep.save()

    rows = csv_rows(export(client_for(org.rep), year, "csv"))

    assert rows[0][:6] == ["目标编号", "周期", "层级", "负责人", "部门", "目标"]
    assert rows[3][4] == "华东销售部"  # the unit's Chinese name


def test_a_years_export_includes_its_quarters(org, cascade, year, client_for):
    quarter = PeriodFactory(kind=Period.Kind.QUARTER, name="2026 Q2", start=date(2026, 4, 1), end=date(2026, 6, 30))
    ObjectiveFactory(owner_employee=org.rep, period=quarter, status=APPROVED, title="二季度目标")

    year_titles = {r[5] for r in xlsx_rows(export(client_for(org.rep), year))[1:]}
    quarter_titles = {r[5] for r in xlsx_rows(export(client_for(org.rep), quarter))[1:]}

    assert "二季度目标" in year_titles
    assert quarter_titles == {"二季度目标"}


def test_unknown_period_is_not_found(org, cascade, client_for):
    response = client_for(org.rep).get(reverse("goals:objectives-export"), {"period": 987654})

    assert response.status_code == 404


def test_export_query_count_does_not_grow_with_objectives(
    org, cascade, year, client_for, django_assert_max_num_queries
):
    client = client_for(org.lead)
    with django_assert_max_num_queries(20) as small:
        export(client, year)

    for i in range(30):
        objective = ObjectiveFactory(owner_employee=org.rep2, period=year, status=APPROVED, title=f"目标 {i}")
        KeyResultFactory(objective=objective, kpi=cascade.kpi)
        KeyResultFactory(objective=objective, direction="milestones", target=None)
    with django_assert_max_num_queries(len(small)):
        response = export(client, year)

    assert len(xlsx_rows(response)) > 60
