"""Rules that live in the service or the model, so the API cannot skip what the form checks:
action plans, KPIs, key results' direction, counted objectives' weight, and the API's 401."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from goals.models import ActionPlan, Kpi, Objective
from goals.objectives.rules import FAIL, KeyResultInput, ObjectiveInput, check_measurable
from tests.goals.factories import KeyResultFactory, KpiFactory, ObjectiveFactory, PeriodFactory


def url(name, *args):
    return reverse(f"api-goals-{name}", args=args)


@pytest.fixture
def year(db):
    return PeriodFactory()


@pytest.fixture
def team_goal(org, year):
    return ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, created_by=org.lead.user,
        title="华东销售部全年新签合同额 800 万元", status=Objective.Status.APPROVED,
    )  # fmt: skip


@pytest.fixture
def draft(org, team_goal):
    return ObjectiveFactory(owner_employee=org.rep, parent=team_goal, title="全年新签客户 60 家")


# --- action plans: the API takes nothing the form refuses -----------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        ({"budget_amount": "-500"}, "budget_amount", "cannot be negative"),
        ({"budget_currency": "XYZ"}, "budget_currency", "XYZ is not an ISO 4217 currency code"),
        ({"budget_currency": "rmb"}, "budget_currency", "RMB is not an ISO 4217 currency code"),
        ({"hours": "-3"}, "hours", "cannot be negative"),
    ],
)
def test_the_api_refuses_a_negative_budget_or_an_unknown_currency(api_for, org, draft, change, field, expected):
    rep = api_for(org.rep)
    body = {"objective": draft.pk, "what": "拜访 10 家重点客户", "owner": org.rep.pk, "budget_amount": "5000"}

    response = rep.post(url("action-plan-list"), body | change, format="json")

    assert response.status_code == 400, response.content
    assert expected in response.json()["errors"][field][0]
    assert not ActionPlan.objects.exists()
    plan = rep.post(url("action-plan-list"), body | {"budget_currency": "usd"}, format="json")
    assert plan.json()["budget_currency"] == "USD"  # written the way the form writes it
    patched = rep.patch(url("action-plan-detail", plan.json()["id"]), change, format="json")
    assert patched.status_code == 400, patched.content
    assert ActionPlan.objects.get().budget_currency == "USD"


# --- KPIs: the codes the form refuses ------------------------------------------------------------


def kpi_body(code: str) -> dict:
    return {
        "code": code, "name": "新客户数", "name_en": "New customers", "definition": "首次签约的客户。", "unit": "家",
        "direction": "higher", "category": "non_financial", "perspective": "customer",
    }  # fmt: skip


@pytest.mark.parametrize(("code", "expected"), [("new", "is reserved"), ("new_cust", "already exists")])
def test_the_api_refuses_kpi_codes_the_form_refuses(api_for, org, code, expected):
    KpiFactory(code="NEW_CUST")

    response = api_for(org.hr).post(url("kpi-list"), kpi_body(code), format="json")

    assert response.status_code == 400, response.content
    assert expected in response.json()["errors"]["code"][0]
    assert Kpi.objects.count() == 1


# --- key results: a direction that contradicts the target --------------------------------------


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "expected"),
    [("lower", "30", "45", "Lower is better, but the target 45 is above the baseline 30"),
     ("higher", "30", "15", "Higher is better, but the target 15 is below the baseline 30")],
)  # fmt: skip
def test_a_direction_that_contradicts_baseline_and_target_is_refused(
    api_for, org, draft, direction, baseline, target, expected
):
    body = {"objective": draft.pk, "title": "平均响应时间", "direction": direction, "baseline": baseline,
            "target": target, "unit": "分钟"}  # fmt: skip

    response = api_for(org.rep).post(url("key-result-list"), body, format="json")

    assert response.status_code == 400, response.content
    assert expected in response.json()["errors"]["target"][0]
    fine = body | {"target": "60" if direction == "higher" else "15"}
    assert api_for(org.rep).post(url("key-result-list"), fine, format="json").status_code == 201


def test_the_smart_check_names_the_contradiction():
    objective = ObjectiveInput(
        title="客户平均响应时间从 30 分钟降到 15 分钟",
        key_results=(KeyResultInput("平均响应时间", direction="lower", baseline=Decimal(30), target=Decimal(45)),),
    )

    result = check_measurable(objective)

    assert result.status == FAIL
    assert "“平均响应时间”: Lower is better, but the target 45 is above the baseline 30" in str(result.reason)


def test_submission_fails_measurable_for_a_contradicting_key_result(org, draft):
    """An existing key result from before the rule: the check on submission refuses it too."""
    KeyResultFactory(objective=draft, direction="lower", baseline=Decimal(30), target=Decimal(45))

    response = api_for_submit(org, draft)

    assert response.status_code == 400, response.content
    assert "measurable" in response.json()["errors"]


def api_for_submit(org, objective):
    api = APIClient()
    api.force_authenticate(org.rep.user)
    return api.post(url("objective-submit", objective.pk))


# --- a counted objective with weight 0 -----------------------------------------------------------


def test_a_counted_objective_with_weight_0_cannot_be_submitted(org, team_goal, draft):
    Objective.objects.filter(pk=draft.pk).update(weight=100, status=Objective.Status.APPROVED)
    zero = ObjectiveFactory(owner_employee=org.rep, parent=team_goal, title="全年回款 500 万元", weight=0)
    KeyResultFactory(objective=zero, title="回款额", unit="万元", baseline=Decimal(300), target=Decimal(500))

    response = api_for_submit(org, zero)

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "goals.weight_zero"
    assert body["errors"]["weight"]
    zero.refresh_from_db()
    assert zero.status == Objective.Status.DRAFT
    stretch = ObjectiveFactory(owner_employee=org.rep, parent=team_goal, title="试点 3 个新行业", weight=0, track="okr")
    KeyResultFactory(objective=stretch, title="新行业客户", baseline=Decimal(0), target=Decimal(3))
    assert api_for_submit(org, stretch).status_code == 200


# --- anonymous API calls: 401 that says how to authenticate ------------------------------------


@pytest.mark.parametrize("name", ["api-goals-objective-list", "api-goals-measurement-list", "api-me"])
def test_anonymous_api_calls_get_401_with_www_authenticate(db, name):
    response = APIClient().get(reverse(name))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="api"'
    assert response.json()["type"] == "not_authenticated"


def test_a_signed_in_person_without_the_right_still_gets_403(api_for, org):
    response = api_for(org.rep).post(url("kpi-list"), kpi_body("X1"), format="json")

    assert response.status_code == 403


# --- alignment: the service refuses the parents the pickers never offer ---------------------------


def test_the_service_refuses_a_parent_one_level_down_or_cancelled(org, year, team_goal):
    from goals.errors import GoalError
    from goals.objectives.services import objective_create, objective_update

    peer = ObjectiveFactory(owner_employee=org.rep2, title="全年回款率 95%")
    mine = {"actor": org.rep.user, "period": year, "level": "person", "title": "全年新签客户 60 家"}
    with pytest.raises(GoalError) as refused:
        objective_create(**mine, owner_employee=org.rep, parent=peer)
    assert refused.value.code == "goals.parent_level"
    assert refused.value.extra["errors"]["parent"]

    objective = objective_create(**mine, owner_employee=org.rep, parent=team_goal)
    Objective.objects.filter(pk=team_goal.pk).update(status=Objective.Status.CANCELLED)
    objective_update(objective=objective, actor=org.rep.user, title="全年新签客户 65 家")  # the parent stays
    team_goal.refresh_from_db()
    with pytest.raises(GoalError):
        objective_update(objective=objective, actor=org.rep.user, parent=team_goal)
