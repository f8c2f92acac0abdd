"""Units of measure have a Chinese and an English name, like people and units, and each reader
sees the one in their language: on the objective page, the KPI library, imports and the forms."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import KeyResult, Kpi, Measurement, Objective
from goals.progress.services.measurements import key_result_create
from tests.goals.factories import KeyResultFactory, KpiFactory, ObjectiveFactory, PeriodFactory


@pytest.fixture
def objective(org, db):
    today = timezone.localdate()
    year = PeriodFactory(name=str(today.year), start=today.replace(month=1, day=1), end=today.replace(month=12, day=31))
    return ObjectiveFactory(
        owner_employee=org.rep, period=year, status=Objective.Status.APPROVED, title="拓展华东新客户"
    )


def _speaks(employee, language):
    employee.preferred_language = language
    employee.save()


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("en", "60 customers", "60 家"), ("zh-hans", "60 家", "customers")]
)
def test_the_objective_page_shows_the_unit_in_the_readers_language(org, client_for, objective, language, shown, hidden):
    KeyResultFactory(objective=objective, title="新签客户数", unit="家", unit_en="customers", target=Decimal(60))
    _speaks(org.rep, language)

    body = client_for(org.rep).get(reverse("goals:objective-detail", args=[objective.pk])).content.decode()

    assert shown in body
    assert hidden not in body


def test_a_unit_without_an_english_name_shows_as_it_is(org, client_for, objective):
    KeyResultFactory(objective=objective, title="合同额", unit="万元", unit_en="", target=Decimal(800))
    _speaks(org.rep, "en")

    body = client_for(org.rep).get(reverse("goals:objective-detail", args=[objective.pk])).content.decode()

    assert "800 万元" in body


def test_hr_gives_a_kpi_both_units_and_the_library_shows_the_readers_one(org, client_for):
    _speaks(org.hr, "en")
    client = client_for(org.hr)
    data = {
        "code": "NEW_CUST", "name": "新客户数", "name_en": "New customers", "definition": "首次签约的客户",
        "formula": "", "unit": "家", "unit_en": "customers", "direction": "higher", "category": "non_financial",
        "perspective": "customer", "frequency": "monthly",
    }  # fmt: skip

    response = client.post(reverse("goals:kpi-create"), data)

    assert response.status_code == 302
    kpi = Kpi.objects.get(code="NEW_CUST")
    assert (kpi.unit, kpi.unit_en) == ("家", "customers")
    assert "customers" in client.get(reverse("goals:kpi-detail", args=["NEW_CUST"])).content.decode()
    _speaks(org.hr, "zh-hans")
    page = client.get(reverse("goals:kpis")).content.decode()
    assert ">家</td>" in page
    assert "customers" not in page


def test_a_key_result_set_with_a_kpi_takes_both_units(org):
    kpi = KpiFactory(unit="家", unit_en="customers")
    draft = ObjectiveFactory(owner_employee=org.rep, period=PeriodFactory())

    kr = key_result_create(objective=draft, actor=org.rep.user, title="新签客户数", kpi=kpi, target=Decimal(60))

    assert (kr.unit, kr.unit_en) == ("家", "customers")


def test_the_progress_import_reads_a_value_written_with_the_english_unit(org, client_for, objective):
    from tests.goals.test_import import to_csv, upload

    kr = KeyResultFactory(objective=objective, title="新签客户数", unit="家", unit_en="customers", target=Decimal(60))
    as_of = timezone.localdate().isoformat()

    response = upload(client_for(org.rep), to_csv([[kr.pk, "12 customers", as_of, "", "", ""]]))

    assert response.status_code == 302
    assert Measurement.objects.get(key_result=kr).value == Decimal(12)


def test_the_objective_form_saves_the_english_unit(org, client_for, objective):
    from tests.goals.test_views_objectives import form_data, management

    team_goal = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, created_by=org.lead.user,
        title="华东销售部客户满意度达到 90 分", status=Objective.Status.APPROVED, period=objective.period,
    )  # fmt: skip
    data = {
        **form_data(org, objective.period, team_goal),
        **management(1),
        "kr-0-title": "客户满意度得分", "kr-0-direction": "higher", "kr-0-baseline": "82", "kr-0-target": "90",
        "kr-0-unit": "分", "kr-0-unit_en": "points", "kr-0-weight": "100",
    }  # fmt: skip

    response = client_for(org.rep).post(reverse("goals:objective-create"), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    kr = KeyResult.objects.get(title="客户满意度得分")
    assert (kr.unit, kr.unit_en) == ("分", "points")


def test_an_import_problem_names_the_unit_in_the_readers_language(org, client_for, objective):
    from tests.goals.test_import import messages_of, to_csv, upload

    kr = KeyResultFactory(objective=objective, title="新签客户数", unit="家", unit_en="customers", target=Decimal(60))
    _speaks(org.rep, "en")

    response = upload(client_for(org.rep), to_csv([[kr.pk, "12%", timezone.localdate().isoformat(), "", "", ""]]))

    assert "measured in “customers”, not in percent" in messages_of(response)
