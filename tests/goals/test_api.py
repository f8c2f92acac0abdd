"""The goals API through real URLs: visibility per role, filters, writes and their denials,
the approval workflow, KPI versions, query counts on every list and a clean schema."""

import itertools
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from goals.models import ActionPlan, KpiReference, Measurement, Objective
from goals.strategy.services import period_ensure_fiscal_year
from tests.goals.factories import (
    KeyResultFactory,
    KpiFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PeriodFactory,
    ThemeFactory,
)

Level, Status = Objective.Level, Objective.Status


def url(name, *args):
    return reverse(f"api-goals-{name}", args=args)


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def assert_error(response, status, type_=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"type", "title", "detail", "errors"}
    if type_:
        assert body["type"] == type_
    return body


@pytest.fixture
def year(db):
    return PeriodFactory()


@pytest.fixture
def company_goal(org, year):
    return ObjectiveFactory(
        level=Level.COMPANY, owner_employee=None, owner_unit=org.root, created_by=org.ceo.user,
        title="全年销售额达到 1000 万元", status=Status.APPROVED,
    )  # fmt: skip


@pytest.fixture
def team_goal(org, company_goal):
    return ObjectiveFactory(
        level=Level.UNIT, owner_employee=None, owner_unit=org.east, created_by=org.lead.user, parent=company_goal,
        title="华东销售部全年新签合同额 800 万元", status=Status.APPROVED,
    )  # fmt: skip


@pytest.fixture
def goals(org, team_goal, company_goal):
    """One personal objective each for rep, rep2 and other_rep, aligned to the team's."""
    return SimpleNamespace(
        company=company_goal,
        team=team_goal,
        rep=ObjectiveFactory(owner_employee=org.rep, parent=team_goal, title="全年新签客户 60 家"),
        rep2=ObjectiveFactory(owner_employee=org.rep2, parent=team_goal, title="回款率达到 95%"),
        other=ObjectiveFactory(owner_employee=org.other_rep, title="华南新签客户 40 家"),
    )


# --- visibility ----------------------------------------------------------------------


def test_a_rep_sees_own_and_shared_objectives_only(api_for, org, goals):
    assert ids(api_for(org.rep).get(url("objective-list"))) == {goals.company.pk, goals.team.pk, goals.rep.pk}


def test_a_manager_sees_the_subtree(api_for, org, goals):
    shared = {goals.company.pk, goals.team.pk}
    assert ids(api_for(org.lead).get(url("objective-list"))) == shared | {goals.rep.pk, goals.rep2.pk}
    assert ids(api_for(org.peer_lead).get(url("objective-list"))) == shared | {goals.other.pk}
    assert ids(api_for(org.director).get(url("objective-list"))) == shared | {
        goals.rep.pk, goals.rep2.pk, goals.other.pk
    }  # fmt: skip


@pytest.mark.parametrize("who", ["hr", "ceo", "admin"])
def test_hr_executives_and_admins_see_all(api_for, org, goals, who):
    assert len(ids(api_for(getattr(org, who)).get(url("objective-list")))) == 5


def test_hidden_objective_is_404_and_visible_detail_has_key_results_smart_and_children(api_for, org, goals):
    KeyResultFactory(objective=goals.rep, baseline=Decimal(30), target=Decimal(60))
    assert_error(api_for(org.rep2).get(url("objective-detail", goals.rep.pk)), 404, "not_found")
    assert_error(api_for(org.peer_lead).get(url("objective-smart", goals.rep.pk)), 404, "not_found")
    body = api_for(org.lead).get(url("objective-detail", goals.rep.pk)).json()
    assert body["owner_employee"]["id"] == org.rep.pk
    assert body["key_results"][0]["target"] == "60"
    assert [r["criterion"] for r in body["smart"]] == ["specific", "measurable", "achievable", "relevant", "time_bound"]
    team = api_for(org.rep).get(url("objective-detail", goals.team.pk)).json()
    assert team["children"] == [goals.rep.pk]  # rep2's objective is hidden from rep
    assert set(api_for(org.lead).get(url("objective-detail", goals.team.pk)).json()["children"]) == {
        goals.rep.pk, goals.rep2.pk
    }  # fmt: skip


def test_lists_of_key_results_measurements_and_action_plans_follow_objective_visibility(api_for, org, goals):
    mine = KeyResultFactory(objective=goals.rep)
    hidden = KeyResultFactory(objective=goals.rep2)
    MeasurementFactory(key_result=mine)
    MeasurementFactory(key_result=hidden)
    ActionPlan.objects.create(objective=goals.rep2, what="拜访 10 家客户", owner=org.rep2)
    rep = api_for(org.rep)
    assert ids(rep.get(url("key-result-list"))) == {mine.pk}
    assert {m["key_result"] for m in rep.get(url("measurement-list")).json()["results"]} == {mine.pk}
    assert ids(rep.get(url("action-plan-list"))) == set()
    assert len(ids(api_for(org.lead).get(url("action-plan-list")))) == 1
    assert_error(rep.get(url("key-result-detail", hidden.pk)), 404)


# --- filters -------------------------------------------------------------------------


def test_objective_filters(api_for, org, goals, year):
    api = api_for(org.hr)
    get = lambda **params: ids(api.get(url("objective-list"), params))  # noqa: E731
    assert get(owner_unit=org.sales.pk) == {goals.team.pk}
    assert get(owner_unit=org.root.pk) == {goals.company.pk, goals.team.pk}
    assert get(unit=org.east.pk) == {goals.team.pk, goals.rep.pk, goals.rep2.pk}
    assert get(aligned="false") == {goals.company.pk, goals.other.pk}
    assert get(aligned="true") == {goals.team.pk, goals.rep.pk, goals.rep2.pk}
    assert get(level="person", status="draft") == {goals.rep.pk, goals.rep2.pk, goals.other.pk}
    assert get(owner_employee=org.rep.pk) == {goals.rep.pk}
    assert get(parent=goals.team.pk) == {goals.rep.pk, goals.rep2.pk}
    assert get(search="回款") == {goals.rep2.pk}
    assert get(period=year.pk, track="okr") == set()
    assert_error(api.get(url("objective-list"), {"status": "nonsense"}), 400, "validation_error")


def test_period_filters(api_for, org):
    period_ensure_fiscal_year(year=2026, first_month=1)
    api = api_for(org.rep)
    assert api.get(url("period-list"), {"kind": "quarter"}).json()["count"] == 4
    containing = api.get(url("period-list"), {"contains": "2026-05-10"}).json()["results"]
    assert sorted(p["kind"] for p in containing) == ["half", "month", "quarter", "year"]
    year = next(p for p in containing if p["kind"] == "year")
    assert api.get(url("period-detail", year["id"])).json()["name"] == year["name"]


def test_theme_list_and_filters(api_for, org, year):
    financial = ThemeFactory(owner=org.ceo, period=year)
    customer = ThemeFactory(owner=org.ceo, period=year, perspective="customer", title="客户满意度 90 分")
    api = api_for(org.rep)
    assert ids(api.get(url("theme-list"), {"perspective": "customer"})) == {customer.pk}
    assert ids(api.get(url("theme-list"), {"period": year.pk})) == {financial.pk, customer.pk}
    detail = api.get(url("theme-detail", financial.pk), HTTP_ACCEPT_LANGUAGE="en").json()
    assert detail["display_title"] == "Reach ¥10 M annual sales"
    assert detail["owner"] == {"id": org.ceo.pk, "name": org.ceo.name}


# --- creating and changing objectives ------------------------------------------------


def new_objective(api, year, **fields):
    body = {"period": year.pk, "title": "全年新签客户 60 家", "weight": "100", "due_date": "2026-12-31"} | fields
    return api.post(url("objective-list"), body, format="json")


def test_anyone_drafts_their_own_objective(api_for, org, year, team_goal):
    response = new_objective(api_for(org.rep), year, parent=team_goal.pk)
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"].endswith(url("objective-detail", body["id"]))
    assert (body["status"], body["level"], body["owner_employee"]["id"]) == ("draft", "person", org.rep.pk)
    assert body["parent"] == team_goal.pk
    assert {r["criterion"] for r in body["smart"] if r["status"] == "fail"} == {"measurable"}  # no key result yet
    objective = Objective.objects.get(pk=body["id"])
    assert objective.created_by == org.rep.user


def test_managers_draft_for_their_reports_and_units_others_may_not(api_for, org, year, company_goal):
    assert new_objective(api_for(org.lead), year, owner_employee=org.rep.pk).status_code == 201
    assert_error(new_objective(api_for(org.rep), year, owner_employee=org.rep2.pk), 403, "permission_denied")
    assert_error(new_objective(api_for(org.peer_lead), year, owner_employee=org.rep.pk), 403)
    unit = {"level": "unit", "owner_unit": org.east.pk, "parent": company_goal.pk}
    assert new_objective(api_for(org.lead), year, **unit).status_code == 201
    assert_error(new_objective(api_for(org.rep), year, **unit), 403)
    assert_error(new_objective(api_for(org.peer_lead), year, **unit), 403)
    assert new_objective(api_for(org.hr), year, **unit).status_code == 201
    assert_error(new_objective(api_for(org.hr), year, owner_employee=org.rep.pk), 403)  # HR drafts no one's own
    company = {"level": "company", "owner_unit": org.root.pk}
    assert_error(new_objective(api_for(org.director), year, **company), 403)
    assert_error(new_objective(api_for(org.hr), year, **company), 403)
    assert new_objective(api_for(org.ceo), year, **company).status_code == 201
    assert (
        "owner_unit"
        in assert_error(new_objective(api_for(org.ceo), year, **unit | {"level": "company"}), 400)["errors"]
    )
    assert (
        "owner_unit"
        in assert_error(new_objective(api_for(org.ceo), year, **company | {"level": "unit"}), 400)["errors"]
    )


def test_create_validates_owner_and_alignment(api_for, org, year, team_goal):
    api = api_for(org.lead)
    mine = ObjectiveFactory(owner_employee=org.lead)
    before = Objective.objects.count()
    body = assert_error(new_objective(api, year, level="unit"), 400, "validation_error")
    assert "owner_unit" in body["errors"]
    body = assert_error(new_objective(api, year, parent=mine.pk), 400)  # a personal objective is no parent
    assert "parent" in body["errors"]
    assert_error(new_objective(api_for(org.admin), year), 400)  # an admin without employee record names the owner
    assert Objective.objects.count() == before


def test_patch_changes_a_draft_within_the_rules(api_for, org, goals):
    patch = lambda who, pk, body: api_for(who).patch(url("objective-detail", pk), body, format="json")  # noqa: E731
    response = patch(org.rep, goals.rep.pk, {"title": "全年新签客户 70 家", "weight": "80"})
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["weight"]) == ("全年新签客户 70 家", "80")
    assert patch(org.lead, goals.rep.pk, {"description": "含续签"}).status_code == 200
    assert_error(patch(org.rep2, goals.rep.pk, {"title": "x"}), 404)
    assert_error(patch(org.rep, goals.team.pk, {"title": "x"}), 403)  # visible, not the rep's to change
    assert_error(patch(org.lead, goals.team.pk, {"title": "x"}), 409, "goals.not_editable")  # approved
    goals.rep.refresh_from_db()
    assert goals.rep.title == "全年新签客户 70 家"


# --- the workflow --------------------------------------------------------------------


def test_submit_is_refused_with_smart_errors_per_criterion(api_for, org, year):
    api = api_for(org.rep)
    vague = new_objective(api, year, title="提高客户满意度", due_date=None).json()
    body = assert_error(api.post(url("objective-submit", vague["id"])), 400, "goals.smart_failed")
    assert set(body["errors"]) >= {"specific", "measurable", "relevant", "time_bound"}
    assert all(body["errors"][c] for c in body["errors"])
    smart = api.get(url("objective-smart", vague["id"])).json()
    specific = next(r for r in smart if r["criterion"] == "specific")
    assert (specific["status"], specific["blocking"]) == ("fail", True)
    assert specific["reason"]
    assert specific["suggestion"]
    assert Objective.objects.get(pk=vague["id"]).status == Status.DRAFT


def test_workflow_draft_submit_return_approve_record_correct_close(api_for, org, year, team_goal):
    rep, lead = api_for(org.rep), api_for(org.lead)
    objective = new_objective(rep, year, parent=team_goal.pk).json()
    pk = objective["id"]
    kr = rep.post(
        url("key-result-list"),
        {"objective": pk, "title": "新签客户数", "baseline": "30", "target": "60", "unit": "家"},
        format="json",
    )
    assert kr.status_code == 201, kr.content
    kr_id = kr.json()["id"]
    assert rep.post(url("objective-submit", pk)).json()["status"] == "submitted"
    assert_error(rep.post(url("objective-approve", pk)), 403)  # one's own objective
    assert_error(api_for(org.rep2).post(url("objective-approve", pk)), 404)
    assert_error(api_for(org.peer_lead).post(url("objective-approve", pk)), 404)
    body = assert_error(lead.post(url("objective-return", pk), {"comment": " "}, format="json"), 400)
    assert body["type"] == "goals.comment_required"
    assert body["errors"]["comment"]
    returned = lead.post(url("objective-return", pk), {"comment": "目标偏低,请提高到 70 家"}, format="json")
    assert (returned.json()["status"], returned.json()["review_comment"]) == ("returned", "目标偏低,请提高到 70 家")
    assert rep.patch(url("key-result-detail", kr_id), {"target": "70"}, format="json").json()["target"] == "70"
    assert rep.post(url("objective-submit", pk)).status_code == 200
    assert_error(rep.patch(url("key-result-detail", kr_id), {"target": "80"}, format="json"), 409)
    assert lead.post(url("objective-approve", pk)).json()["status"] == "approved"
    assert_error(lead.post(url("objective-approve", pk)), 409, "goals.bad_transition")

    recorded = rep.post(
        url("measurement-list"),
        {"key_result": kr_id, "value": "35", "as_of": "2026-02-28", "comment": "2 月", "confidence": "at_risk"},
        format="json",
    )
    assert recorded.status_code == 201, recorded.content
    first = recorded.json()
    assert (first["source"], first["entered_by"]["id"], first["source_client"]) == ("manual", org.rep.user.pk, None)
    assert recorded["Location"].endswith(url("measurement-detail", first["id"]))
    body = assert_error(rep.post(url("measurement-correct", first["id"]), {"value": "38"}, format="json"), 400)
    assert body["errors"]["comment"]
    fixed = rep.post(url("measurement-correct", first["id"]), {"value": "38", "comment": "漏记 3 家"}, format="json")
    assert fixed.status_code == 201, fixed.content
    assert (fixed.json()["corrects"], fixed.json()["as_of"]) == (first["id"], "2026-02-28")
    assert rep.get(url("key-result-detail", kr_id)).json()["current_value"] == "38"
    assert_error(rep.post(url("measurement-correct", first["id"]), {"value": "1", "comment": "x"}), 409)

    assert_error(rep.post(url("objective-close", pk)), 403)
    assert lead.post(url("objective-close", pk)).json()["status"] == "closed"
    assert_error(lead.post(url("objective-cancel", pk)), 409)
    statuses = [h.status for h in Objective.objects.get(pk=pk).history.order_by("history_date")]
    assert statuses == ["draft", "submitted", "returned", "submitted", "approved", "closed"]


def test_cancel_by_owner_before_approval_only(api_for, org, goals):
    assert_error(api_for(org.rep).post(url("objective-cancel", goals.team.pk)), 403)
    assert api_for(org.rep).post(url("objective-cancel", goals.rep.pk)).json()["status"] == "cancelled"
    assert_error(api_for(org.rep2).post(url("objective-cancel", goals.rep.pk)), 404)


# --- key results ---------------------------------------------------------------------


def test_key_result_writes_and_denials(api_for, org, goals):
    rep = api_for(org.rep)
    body = {"objective": goals.rep.pk, "title": "里程碑", "direction": "milestones", "milestones": ["签约", "交付"]}
    created = rep.post(url("key-result-list"), body, format="json")
    assert created.status_code == 201, created.content
    assert [m["title"] for m in created.json()["milestones"]] == ["签约", "交付"]
    kr_id = created.json()["id"]
    hidden = body | {"objective": goals.rep2.pk}
    assert_error(rep.post(url("key-result-list"), hidden, format="json"), 404)
    assert_error(rep.post(url("key-result-list"), body | {"objective": goals.team.pk}, format="json"), 403)
    invalid = rep.post(url("key-result-list"), {"objective": goals.rep.pk, "title": "x"}, format="json")
    assert "target" in assert_error(invalid, 400, "validation_error")["errors"]
    assert_error(api_for(org.rep2).delete(url("key-result-detail", kr_id)), 404)
    assert_error(api_for(org.rep2).patch(url("key-result-detail", kr_id), {"title": "x"}, format="json"), 404)
    assert ids(rep.get(url("key-result-list"), {"objective": goals.rep.pk, "direction": "milestones"})) == {kr_id}
    assert rep.delete(url("key-result-detail", kr_id)).status_code == 204
    assert not goals.rep.key_results.exists()
    approved_kr = KeyResultFactory(objective=goals.team)
    assert_error(api_for(org.lead).delete(url("key-result-detail", approved_kr.pk)), 409, "goals.not_editable")


# --- progress updates ----------------------------------------------------------------


def test_progress_update_denials(api_for, org, goals):
    Objective.objects.filter(pk__in=[goals.rep.pk, goals.team.pk]).update(status=Status.APPROVED)
    mine = KeyResultFactory(objective=goals.rep)
    team = KeyResultFactory(objective=goals.team)
    draft = KeyResultFactory(objective=goals.rep2)
    post = lambda who, kr: api_for(who).post(  # noqa: E731
        url("measurement-list"), {"key_result": kr.pk, "value": "5", "as_of": "2026-03-31"}, format="json"
    )
    assert_error(post(org.rep2, mine), 404)
    assert_error(post(org.rep, team), 403)
    assert_error(post(org.rep2, draft), 409, "goals.not_active")
    assert post(org.lead, mine).status_code == 201
    first = Measurement.objects.get(key_result=mine)
    correct = {"value": "6", "comment": "typo"}
    assert_error(api_for(org.rep2).post(url("measurement-correct", first.pk), correct, format="json"), 404)
    assert_error(api_for(org.peer_lead).get(url("measurement-detail", first.pk)), 404)
    assert Measurement.objects.count() == 1


def test_measurement_filters(api_for, org, goals):
    kr = KeyResultFactory(objective=goals.rep)
    other = KeyResultFactory(objective=goals.rep)
    jan = MeasurementFactory(key_result=kr, as_of=date(2026, 1, 31), value=Decimal(5))
    mar = MeasurementFactory(key_result=kr, as_of=date(2026, 3, 31), value=Decimal(15))
    fix = MeasurementFactory(key_result=kr, as_of=date(2026, 3, 31), value=Decimal(16), corrects=mar)
    crm = MeasurementFactory(key_result=other, as_of=date(2026, 3, 31), source="api")
    api = api_for(org.rep)
    get = lambda **params: ids(api.get(url("measurement-list"), params))  # noqa: E731
    assert get(key_result=kr.pk) == {jan.pk, mar.pk, fix.pk}
    assert get(key_result=kr.pk, include_corrected="false") == {jan.pk, fix.pk}
    assert get(as_of_after="2026-02-01", as_of_before="2026-03-31") == {mar.pk, fix.pk, crm.pk}
    assert get(source="api") == {crm.pk}
    row = api.get(url("measurement-detail", mar.pk)).json()
    assert (row["value"], row["corrected_by"]) == ("15", fix.pk)


# --- action plans --------------------------------------------------------------------


def test_action_plans(api_for, org, goals):
    rep = api_for(org.rep)
    body = {"objective": goals.rep.pk, "what": "拜访 10 家重点客户", "owner": org.rep.pk, "budget_amount": "5000"}
    created = rep.post(url("action-plan-list"), body, format="json")
    assert created.status_code == 201, created.content
    plan = created.json()
    assert (plan["budget_amount"], plan["budget_currency"], plan["status"]) == ("5000", "CNY", "todo")
    assert_error(rep.post(url("action-plan-list"), body | {"objective": goals.rep2.pk}, format="json"), 404)
    assert_error(rep.post(url("action-plan-list"), body | {"objective": goals.team.pk}, format="json"), 403)
    not_below = rep.post(url("action-plan-list"), body | {"owner": org.rep2.pk}, format="json")
    assert "owner" in assert_error(not_below, 400, "validation_error")["errors"]
    changed = api_for(org.lead).patch(url("action-plan-detail", plan["id"]), {"status": "done"}, format="json")
    assert changed.json()["status"] == "done"
    assert_error(api_for(org.rep2).patch(url("action-plan-detail", plan["id"]), {"status": "todo"}), 404)
    assert ids(rep.get(url("action-plan-list"), {"status": "done", "objective": goals.rep.pk})) == {plan["id"]}
    assert ids(rep.get(url("action-plan-list"), {"owner": org.rep2.pk})) == set()


# --- strategy and library ------------------------------------------------------------


def test_executives_create_and_change_themes_others_may_not(api_for, org, year):
    body = {"title": "客户满意度达到 90 分", "perspective": "customer", "owner": org.ceo.pk, "period": year.pk}
    assert_error(api_for(org.hr).post(url("theme-list"), body, format="json"), 403, "permission_denied")
    assert_error(api_for(org.lead).post(url("theme-list"), body, format="json"), 403)
    created = api_for(org.ceo).post(url("theme-list"), body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert_error(api_for(org.ceo).post(url("theme-list"), body | {"owner": org.lead.pk}, format="json"), 400)
    assert_error(api_for(org.rep).patch(url("theme-detail", pk), {"title": "x"}, format="json"), 403)
    changed = api_for(org.ceo).patch(url("theme-detail", pk), {"title_en": "Customer satisfaction 90"}, format="json")
    assert changed.json()["title_en"] == "Customer satisfaction 90"


def kpi_body(**fields):
    return {
        "code": "NEW_CUST", "name": "新客户数", "definition": "首次签约的客户", "category": "non_financial",
        "perspective": "customer", "unit": "家",
    } | fields  # fmt: skip


def test_hr_keeps_the_kpi_library_and_a_changed_definition_is_a_new_version(api_for, org):
    assert_error(api_for(org.ceo).post(url("kpi-list"), kpi_body(), format="json"), 403)
    hr = api_for(org.hr)
    created = hr.post(url("kpi-list"), kpi_body(), format="json")
    assert created.status_code == 201, created.content
    v1 = created.json()["id"]
    assert "code" in assert_error(hr.post(url("kpi-list"), kpi_body(), format="json"), 400)["errors"]
    kr = KeyResultFactory(kpi_id=v1)
    renamed = hr.patch(url("kpi-detail", v1), {"name_en": "New customers"}, format="json")
    assert (renamed.status_code, renamed.json()["id"], renamed.json()["version"]) == (200, v1, 1)
    assert_error(api_for(org.rep).patch(url("kpi-detail", v1), {"definition": "x"}, format="json"), 403)
    changed = hr.patch(url("kpi-detail", v1), {"definition": "首次签约且回款的客户"}, format="json")
    assert changed.status_code == 201, changed.content
    v2 = changed.json()
    assert (v2["version"], v2["is_current"], v2["name_en"]) == (2, True, "New customers")
    assert changed["Location"].endswith(url("kpi-detail", v2["id"]))
    body = assert_error(hr.patch(url("kpi-detail", v1), {"name": "旧"}, format="json"), 409, "goals.kpi_not_current")
    assert body["title"]
    kr.refresh_from_db()
    assert kr.kpi.definition == "首次签约的客户"
    rep = api_for(org.rep)
    assert ids(rep.get(url("kpi-list"))) == {v2["id"]}
    assert ids(rep.get(url("kpi-list"), {"all_versions": "true"})) == {v1, v2["id"]}
    assert ids(rep.get(url("kpi-list"), {"code": "new_cust", "all_versions": "true"})) == {v1, v2["id"]}
    assert rep.get(url("kpi-detail", v1)).json()["is_current"] is False


def test_kpi_list_filters(api_for, org):
    revenue = KpiFactory(
        code="REVENUE", name="销售额", name_en="Revenue", category="financial", perspective="financial"
    )
    churn = KpiFactory(code="CHURN", name="客户流失率", name_en="Churn", direction="lower")
    api = api_for(org.rep)
    assert ids(api.get(url("kpi-list"), {"category": "financial"})) == {revenue.pk}
    assert ids(api.get(url("kpi-list"), {"perspective": "customer"})) == {churn.pk}
    assert ids(api.get(url("kpi-list"), {"search": "流失"})) == {churn.pk}
    assert ids(api.get(url("kpi-list"), {"search": "revenue"})) == {revenue.pk}


def test_hr_sets_reference_ranges(api_for, org):
    KpiFactory(code="NEW_CUST")
    body = {"kpi_code": "NEW_CUST", "grade_level": "P3", "low": "4", "high": "6"}
    assert_error(api_for(org.lead).post(url("kpi-reference-list"), body, format="json"), 403)
    hr = api_for(org.hr)
    first = hr.post(url("kpi-reference-list"), body, format="json")
    assert (first.status_code, first.json()["high"], first.json()["per"]) == (201, "6", "month")
    again = hr.post(url("kpi-reference-list"), body | {"high": "8"}, format="json")
    assert (again.status_code, again.json()["id"], again.json()["high"]) == (200, first.json()["id"], "8")
    assert KpiReference.objects.count() == 1
    errors = assert_error(hr.post(url("kpi-reference-list"), body | {"kpi_code": "NOPE", "low": "9"}), 400)["errors"]
    assert set(errors) == {"kpi_code"}
    assert "high" in assert_error(hr.post(url("kpi-reference-list"), body | {"low": "9"}), 400)["errors"]
    hr.post(url("kpi-reference-list"), body | {"grade_level": "P5"}, format="json")
    assert len(ids(api_for(org.rep).get(url("kpi-reference-list"), {"grade_level": "P5"}))) == 1


# --- query counts --------------------------------------------------------------------


_serial = itertools.count()


def _grow_objectives(org, year, team_goal, n):
    for i in range(n):
        objective = ObjectiveFactory(owner_employee=org.rep, parent=team_goal, title=f"目标 {i}")
        kr = KeyResultFactory(objective=objective, kpi=KpiFactory(), direction="milestones")
        kr.milestones.create(title="一")
        MeasurementFactory(key_result=kr)
        ActionPlan.objects.create(objective=objective, what=f"步骤 {i}", owner=org.rep)


def _grow(name, org, year, team_goal, n):
    if name in {"objective-list", "key-result-list", "measurement-list", "action-plan-list"}:
        _grow_objectives(org, year, team_goal, n)
    elif name == "theme-list":
        ThemeFactory.create_batch(n, owner=org.ceo, period=year)
    elif name == "kpi-list":
        KpiFactory.create_batch(n)
    elif name == "kpi-reference-list":
        for _ in range(n):
            KpiReference.objects.create(kpi_code=f"K{next(_serial)}", grade_level="P3", low=1, high=2)
    elif name == "period-list":
        for _ in range(n):
            i = next(_serial)
            PeriodFactory(kind="month", name=f"M{i}", start=date(2000 + i // 12, i % 12 + 1, 1),
                          end=date(2000 + i // 12, i % 12 + 1, 28))  # fmt: skip


@pytest.mark.parametrize(
    "name",
    ["objective-list", "key-result-list", "measurement-list", "action-plan-list", "theme-list", "kpi-list",
     "kpi-reference-list", "period-list"],
)  # fmt: skip
@pytest.mark.parametrize("who", ["lead", "hr"])
def test_list_query_count_does_not_grow_with_rows(api_for, org, year, team_goal, django_assert_max_num_queries,
                                                  name, who):  # fmt: skip
    api = api_for(getattr(org, who))
    _grow(name, org, year, team_goal, 2)
    api.get(url(name))  # warm up per-request caches (roles)
    with django_assert_max_num_queries(20) as few:
        small = api.get(url(name))
    _grow(name, org, year, team_goal, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = api.get(url(name))
    assert large.json()["count"] > small.json()["count"]


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/goals/measurements/push/" in schema
    assert "integrationToken" in schema
