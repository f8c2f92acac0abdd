"""Objective pages through real URLs: the form with its key results and the live SMART check,
the detail page with the workflow buttons, the approvals queue, and who may do what."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import KeyResult, Objective
from goals.objectives.selectors import objective_list_visible_to
from goals.objectives.services import objective_create, objective_update
from goals.objectives.smart import objective_smart_check
from goals.objectives.views import smart_for_objectives
from goals.progress.services.measurements import key_result_create
from goals.strategy.services import kpi_reference_set
from notifications.models import Notification
from tests.goals.factories import KeyResultFactory, KpiFactory, MeasurementFactory, ObjectiveFactory, PeriodFactory

VAGUE = "提高客户满意度"
FIXED = "客户满意度从 82 分提升到 90 分"


@pytest.fixture
def year(db):
    return PeriodFactory()


@pytest.fixture
def team_goal(org, year):
    return ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, created_by=org.lead.user,
        title="华东销售部客户满意度达到 90 分", status=Objective.Status.APPROVED, period=year,
    )  # fmt: skip


def management(total: int, initial: int = 0) -> dict:
    return {
        "kr-TOTAL_FORMS": str(total),
        "kr-INITIAL_FORMS": str(initial),
        "kr-MIN_NUM_FORMS": "0",
        "kr-MAX_NUM_FORMS": "20",
    }


def form_data(org, year, team_goal, **overrides) -> dict:
    data = {
        "title": FIXED,
        "description": "",
        "period": str(year.pk),
        "level": "person",
        "owner_employee": str(org.rep.pk),
        "owner_unit": "",
        "parent": str(team_goal.pk),
        "theme": "",
        "weight": "100",
        "track": "kpi",
        "difficulty": "2",
        "due_date": "2026-12-31",
        **management(2),
        "kr-0-id": "",
        "kr-0-title": "季度客户满意度调查得分",
        "kr-0-direction": "higher",
        "kr-0-baseline": "82",
        "kr-0-target": "90",
        "kr-0-stretch": "",
        "kr-0-range_low": "",
        "kr-0-range_high": "",
        "kr-0-unit": "分",
        "kr-0-weight": "100",
        "kr-0-kpi": "",
        "kr-0-milestones": "",
        # the second, empty key-result form is left as the page sends it
        "kr-1-id": "",
        "kr-1-title": "",
        "kr-1-direction": "higher",
        "kr-1-weight": "100",
        "kr-1-kpi": "",
    }
    data.update(overrides)
    return data


def draft(org, year, team_goal=None, *, title=FIXED, with_kr=True, owner=None, **fields) -> Objective:
    owner = owner or org.rep
    objective = objective_create(
        actor=owner.user, period=year, level="person", owner_employee=owner, title=title, parent=team_goal,
        weight=fields.pop("weight", Decimal("100")), due_date=fields.pop("due_date", date(2026, 12, 31)), **fields,
    )  # fmt: skip
    if with_kr:
        key_result_create(
            objective=objective, actor=owner.user, title="季度客户满意度调查得分", baseline=Decimal("82"),
            target=Decimal("90"), unit="分",
        )  # fmt: skip
    return objective


def smart_rows(html: str) -> dict[str, str]:
    """criterion → status, read from the panel's data attributes."""
    return dict(re.findall(r'class="smart-row [^"]*" data-criterion="(\w+)" data-status="(\w+)"', html))


# --- the form ------------------------------------------------------------------------


def test_new_objective_form_shows_the_smart_panel_and_defaults(client_for, org, year, team_goal):
    response = client_for(org.rep).get(reverse("goals:objective-create"))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="smart-panel"' in body
    assert f'hx-post="{reverse("goals:objective-smart")}"' in body
    # nothing typed yet: not checked yet rather than failed
    assert set(smart_rows(body).values()) <= {"pending", "pass"}
    assert smart_rows(body)["specific"] == "pending"
    assert smart_rows(body)["achievable"] == "pending"
    assert "Not checked yet" in body
    assert "Fill in the objective: each criterion is checked as you type." in body
    assert f'<option value="{year.pk}" selected>' in body  # the current year
    assert team_goal.title in body  # a parent to align to
    assert 'name="kr-TOTAL_FORMS"' in body


def weight_rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-weights="(\w+)" data-status="(\w+)"', html))


def input_value(html: str, name: str) -> str | None:
    found = re.search(rf'<input [^>]*name="{name}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', found.group(0)) if found else None
    return value.group(1) if value else None


def test_a_new_objective_starts_with_the_remaining_weight_and_the_periods_end(client_for, org, year, team_goal):
    draft(org, year, team_goal, title="华东区新签客户 60 家", weight=Decimal("70"))

    body = client_for(org.rep).get(reverse("goals:objective-create")).content.decode()

    assert input_value(body, "weight") == "30"
    assert input_value(body, "due_date") == year.end.isoformat()
    assert weight_rows(body) == {"objectives": "pass"}  # 70 + 30
    assert "Your counted objectives in 2026 add up to 100, this one included." in body


def test_another_period_brings_its_own_starting_due_date_and_weight(client_for, org, year, team_goal):
    """Choosing Q1 on a new objective reloads the set-up with the due date and weight as they were
    (htmx sends them with start_*): left untouched, they follow Q1; changed by the reader, they stay."""
    draft(org, year, team_goal, title="华东区新签客户 60 家", weight=Decimal("70"))
    q1 = PeriodFactory(kind="quarter", name="2026 Q1", start=date(2026, 1, 1), end=date(2026, 3, 31), parent=year)
    client = client_for(org.rep)
    shown = {"weight": "30", "due_date": year.end.isoformat()}
    started = {"start_weight": "30", "start_due_date": year.end.isoformat()}

    untouched = client.get(reverse("goals:objective-create"), {"period": q1.pk, **shown, **started}).content.decode()
    changed = client.get(
        reverse("goals:objective-create"), {"period": q1.pk, "weight": "40", "due_date": "2026-02-15", **started}
    ).content.decode()

    assert input_value(untouched, "due_date") == "2026-03-31"
    assert input_value(untouched, "weight") == "100"  # nothing counted in Q1 yet
    assert input_value(changed, "due_date") == "2026-02-15"
    assert input_value(changed, "weight") == "40"


def test_the_live_panel_shows_the_weight_total_and_how_to_reach_100(client_for, org, year, team_goal):
    draft(org, year, team_goal, title="华东区新签客户 60 家", weight=Decimal("70"))
    client = client_for(org.rep)

    over = client.post(reverse("goals:objective-smart"), form_data(org, year, team_goal)).content.decode()
    under = client.post(reverse("goals:objective-smart"), form_data(org, year, team_goal, weight="20")).content.decode()
    right = client.post(reverse("goals:objective-smart"), form_data(org, year, team_goal, weight="30")).content.decode()

    # the SMART criteria pass, but the server would refuse 170: the panel says so, and how to fix it
    assert set(smart_rows(over).values()) == {"pass"}
    assert weight_rows(over) == {"objectives": "fail", "key_results": "pass"}
    assert "add up to 170, this one included: 70 more than 100." in over
    assert "Lower this objective's weight to 30" in over
    assert 'data-blocked="true"' in over
    assert "Ready to submit." not in over
    assert "add up to 90 of 100, this one included: 10 left." in under
    assert "Set this objective's weight to 30" in under
    assert weight_rows(right)["objectives"] == "pass"
    assert "Ready to submit." in right


def test_the_live_panel_checks_the_key_results_weights(client_for, org, year, team_goal):
    data = form_data(org, year, team_goal, **{"kr-0-weight": "80"})

    body = client_for(org.rep).post(reverse("goals:objective-smart"), data).content.decode()

    assert weight_rows(body)["key_results"] == "fail"
    assert "The key results' weights add up to 80; they must add up to 100." in body
    assert 'data-blocked="true"' in body


def test_stretch_objectives_do_not_count_in_the_weights(client_for, org, year, team_goal):
    draft(org, year, team_goal, title="华东区新签客户 60 家", weight=Decimal("100"))

    body = (
        client_for(org.rep)
        .post(reverse("goals:objective-smart"), form_data(org, year, team_goal, track="okr"))
        .content.decode()
    )

    assert "Stretch (OKR) objectives do not count in the weights." in body
    assert "Ready to submit." in body


def test_the_detail_page_of_a_draft_shows_the_weights_it_will_be_judged_on(client_for, org, year, team_goal):
    draft(org, year, team_goal, title="华东区新签客户 60 家", weight=Decimal("50"))
    objective = draft(org, year, team_goal)  # weight 100

    body = client_for(org.rep).get(reverse("goals:objective-detail", args=[objective.pk])).content.decode()

    assert weight_rows(body)["objectives"] == "fail"
    assert "add up to 150, this one included: 50 more than 100." in body


def test_the_aligned_to_picker_lists_the_managers_and_own_units_objectives_first(client_for, org, year, team_goal):
    def unit_goal(title, unit, author, level=Objective.Level.UNIT):
        return ObjectiveFactory(
            title=title, level=level, owner_employee=None, owner_unit=unit, created_by=author,
            status=Objective.Status.APPROVED, period=year,
        )  # fmt: skip

    unit_goal("A 华南销售部回款率 95%", org.south, org.peer_lead.user)
    unit_goal("B 公司营收 5 亿元", org.root, org.ceo.user, level=Objective.Level.COMPANY)
    unit_goal("C 销售中心新签合同 3 亿元", org.sales, org.director.user)
    unit_goal("D 华东销售部客户投诉下降 30%", org.east, org.hr.user)  # the own unit's, not by the manager

    body = client_for(org.rep).get(reverse("goals:objective-create")).content.decode()
    picker = body[body.find('name="parent"') : body.find("</select>", body.find('name="parent"'))]

    groups = re.findall(r'<optgroup label="([^"]+)">', picker)
    assert groups == [
        "Your manager&#x27;s objectives", "Your unit&#x27;s objectives", "Objectives of the units above yours",
        "Company objectives", "Other units&#x27; objectives",
    ]  # fmt: skip
    order = [picker.find(title) for title in (team_goal.title, "D 华东", "C 销售中心", "B 公司", "A 华南")]
    assert -1 not in order
    assert order == sorted(order)
    assert 'data-select-filter="id_parent"' in body  # a search box over the picker


def test_create_a_draft_with_key_results(client_for, org, year, team_goal):
    client = client_for(org.rep)

    response = client.post(reverse("goals:objective-create"), form_data(org, year, team_goal, save="draft"))

    objective = Objective.objects.get(title=FIXED)
    assert response.status_code == 302
    assert response["Location"] == reverse("goals:objective-detail", args=[objective.pk])
    assert objective.status == Objective.Status.DRAFT
    assert objective.owner_employee == org.rep
    assert objective.created_by == org.rep.user
    assert objective.parent == team_goal
    assert objective.due_date == date(2026, 12, 31)
    kr = objective.key_results.get()
    assert (kr.title, kr.baseline, kr.target, kr.unit, kr.weight) == (
        "季度客户满意度调查得分", Decimal("82"), Decimal("90"), "分", Decimal("100"),
    )  # fmt: skip
    page = client.get(response["Location"]).content.decode()
    assert "The draft is saved." in page
    assert "季度客户满意度调查得分" in page


def test_milestone_key_result_from_the_textarea(client_for, org, year, team_goal):
    data = form_data(
        org, year, team_goal, **{"kr-0-direction": "milestones", "kr-0-target": "", "kr-0-baseline": "",
                                 "kr-0-milestones": "问卷上线\n\n完成 200 份回访\n发布改进报告"},
    )  # fmt: skip

    client_for(org.rep).post(reverse("goals:objective-create"), data)

    kr = KeyResult.objects.get(objective__title=FIXED)
    assert [m.title for m in kr.milestones.all()] == ["问卷上线", "完成 200 份回访", "发布改进报告"]


def test_form_errors_keep_what_was_typed(client_for, org, year, team_goal):
    data = form_data(org, year, team_goal, title="", **{"kr-0-target": "not a number"})

    response = client_for(org.rep).post(reverse("goals:objective-create"), data)

    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body
    assert "Enter a number." in body
    assert "季度客户满意度调查得分" in body  # kept
    assert not Objective.objects.filter(owner_employee=org.rep).exists()


def test_a_refused_key_result_rolls_back_the_whole_save(client_for, org, year, team_goal):
    # A range without its ends is refused by the model's rules: nothing at all is saved.
    data = form_data(org, year, team_goal, **{"kr-0-direction": "range", "kr-0-target": ""})

    response = client_for(org.rep).post(reverse("goals:objective-create"), data)

    assert response.status_code == 400
    assert "Enter both ends of the range." in response.content.decode()
    assert not Objective.objects.filter(title=FIXED).exists()


def test_a_rep_cannot_draft_for_a_colleague(client_for, org, year, team_goal):
    data = form_data(org, year, team_goal, owner_employee=str(org.rep2.pk))

    response = client_for(org.rep).post(reverse("goals:objective-create"), data)

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Objective.objects.filter(title=FIXED).exists()


def test_a_manager_drafts_for_a_report(client_for, org, year, team_goal):
    client = client_for(org.lead)
    page = client.get(reverse("goals:objective-create")).content.decode()
    assert f'<option value="{org.rep.pk}"' in page  # reports are offered as owners

    client.post(reverse("goals:objective-create"), form_data(org, year, team_goal))

    objective = Objective.objects.get(title=FIXED)
    assert objective.owner_employee == org.rep
    assert objective.created_by == org.lead.user


def test_unit_level_is_offered_to_managers_only(client_for, org, year):
    rep_page = client_for(org.rep).get(reverse("goals:objective-create") + "?level=unit").content.decode()
    assert 'name="level" value="person"' in rep_page  # a rep drafts personal objectives only

    lead_page = client_for(org.lead).get(reverse("goals:objective-create") + "?level=unit").content.decode()
    assert '<option value="unit" selected>' in lead_page
    assert org.east.display_name in lead_page
    assert org.south.display_name not in lead_page  # not the lead's unit


def test_edit_a_draft_updates_and_records_history(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal, title=VAGUE)
    kr = objective.key_results.get()
    client = client_for(org.rep)
    page = client.get(reverse("goals:objective-edit", args=[objective.pk])).content.decode()
    assert VAGUE in page
    assert f'name="kr-0-id" value="{kr.pk}"' in page

    kpi = KpiFactory(code="CSAT", name_en="Customer satisfaction")
    changes = {"kr-0-id": str(kr.pk), "kr-0-target": "92", "kr-0-kpi": str(kpi.pk)}
    data = form_data(org, year, team_goal, **management(1, initial=1), **changes)
    for name in ("period", "level", "owner_employee", "owner_unit"):
        data.pop(name)
    response = client.post(reverse("goals:objective-edit", args=[objective.pk]), data)

    assert response.status_code == 302
    objective.refresh_from_db()
    kr.refresh_from_db()
    assert objective.title == FIXED
    assert kr.target == Decimal("92")
    detail = client.get(reverse("goals:objective-detail", args=[objective.pk])).content.decode()
    assert 'data-field="title"' in detail
    assert f"<del>{VAGUE}</del>" in detail
    assert f"<ins>{FIXED}</ins>" in detail
    assert "<del>90</del>" in detail
    assert "<ins>92</ins>" in detail
    assert "<ins>CSAT · Customer satisfaction (v1)</ins>" in detail


def test_removing_a_key_result_through_the_formset(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)
    kr = objective.key_results.get()
    data = form_data(org, year, team_goal, **management(1, initial=1), **{"kr-0-id": str(kr.pk), "kr-0-DELETE": "on"})

    client_for(org.rep).post(reverse("goals:objective-edit", args=[objective.pk]), data)

    assert not objective.key_results.exists()


def test_a_submitted_objective_cannot_be_edited(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)
    objective.status = Objective.Status.SUBMITTED
    objective.save()

    response = client_for(org.rep).get(reverse("goals:objective-edit", args=[objective.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("goals:objective-detail", args=[objective.pk])
    assert "Only a draft or a returned objective can be changed." in response.content.decode()


# --- the live SMART check --------------------------------------------------------------


def test_vague_title_fails_in_the_live_panel(client_for, org, year):
    data = {"title": VAGUE, "period": str(year.pk), "level": "person", **management(0)}

    response = client_for(org.rep).post(reverse("goals:objective-smart"), data)

    assert response.status_code == 200
    body = response.content.decode()
    rows = smart_rows(body)
    assert rows == {
        "specific": "fail", "measurable": "fail", "achievable": "warn", "relevant": "fail", "time_bound": "fail",
    }  # fmt: skip
    assert "The title uses vague wording (“提高”) without a measurable object." in body
    assert "客户满意度从 82 分提升到 90 分" in body  # the suggestion shows how to fix it
    assert "Submitting is blocked until the failing criteria are fixed." in body
    assert "smart-badge-fail" in body
    assert "✕" in body
    assert "<html" not in body  # a fragment for htmx


def test_fixed_objective_passes_in_the_live_panel(client_for, org, year, team_goal):
    response = client_for(org.rep).post(reverse("goals:objective-smart"), form_data(org, year, team_goal))

    body = response.content.decode()
    rows = smart_rows(body)
    assert "fail" not in rows.values()
    assert set(rows.values()) == {"pass"}  # the numbers in the title make "提升" specific
    assert "Ready to submit." in body
    assert "Submitting is blocked" not in body


def test_the_panel_renders_in_chinese_for_a_chinese_speaker(client_for, org, year):
    org.rep.preferred_language = "zh-hans"
    org.rep.save()
    client = client_for(org.rep)

    page = client.get(reverse("goals:objective-create"))
    fragment = client.post(
        reverse("goals:objective-smart"), {"title": VAGUE, "period": str(year.pk), **management(0)}
    ).content.decode()

    assert '<html lang="zh-hans">' in page.content.decode()
    assert 'id="smart-panel"' in page.content.decode()
    rows = smart_rows(fragment)
    assert rows["specific"] == "fail"
    assert len(rows) == 5
    assert 'class="smart-panel card smart-blocked"' in fragment
    assert fragment.count("smart-badge-fail") == 4


def test_the_panel_uses_the_owners_grade_for_the_kpi_reference(client_for, org, year, team_goal):
    kpi = KpiFactory(code="NEW_CUST")
    org.rep.grade_level = "P3"
    org.rep.save()
    kpi_reference_set(actor=org.hr.user, kpi_code="NEW_CUST", grade_level="P3", low=Decimal(4), high=Decimal(6))
    data = form_data(
        org, year, team_goal, title="全年新签客户 150 家",
        **{"kr-0-kpi": str(kpi.pk), "kr-0-baseline": "", "kr-0-target": "150"},
    )  # fmt: skip

    body = client_for(org.rep).post(reverse("goals:objective-smart"), data).content.decode()

    assert smart_rows(body)["achievable"] == "fail"  # 150 a year is far beyond 4–6 a month for P3
    assert "48–72" in body


def test_smart_endpoint_is_for_signed_in_people_only(client, year):
    response = client.post(reverse("goals:objective-smart"), {"title": VAGUE})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_smart_endpoint_for_a_hidden_objective_is_404(client_for, org, year):
    objective = draft(org, year)

    response = client_for(org.rep2).post(
        reverse("goals:objective-smart") + f"?objective={objective.pk}", {"title": VAGUE}
    )

    assert response.status_code == 404


# --- submit, approve, return ------------------------------------------------------------


def test_submit_is_refused_with_the_reason_shown(client_for, org, year):
    objective = draft(org, year, title=VAGUE, with_kr=False, due_date=None)
    client = client_for(org.rep)

    response = client.post(reverse("goals:objective-submit", args=[objective.pk]), follow=True)

    assert response.status_code == 200
    body = response.content.decode()
    assert "The SMART check failed: Specific, Measurable, Relevant, Time-bound." in body
    assert 'class="alert alert-error' in body
    assert 'id="smart-panel"' in body  # the detail page explains each criterion
    objective.refresh_from_db()
    assert objective.status == Objective.Status.DRAFT


def test_save_and_submit_keeps_the_draft_when_refused(client_for, org, year, team_goal):
    data = form_data(org, year, team_goal, title=VAGUE, parent="", submit="submit")

    response = client_for(org.rep).post(reverse("goals:objective-create"), data, follow=True)

    objective = Objective.objects.get(title=VAGUE)
    assert objective.status == Objective.Status.DRAFT
    assert response.redirect_chain[-1][0] == reverse("goals:objective-edit", args=[objective.pk])
    body = response.content.decode()
    assert "The draft is saved, but it was not submitted: The SMART check failed: Relevant." in body
    assert smart_rows(body)["relevant"] == "fail"
    assert smart_rows(body)["specific"] == "warn"  # vague wording, but the key result carries the numbers


def test_save_and_submit_a_good_objective(client_for, org, year, team_goal):
    response = client_for(org.rep).post(
        reverse("goals:objective-create"), form_data(org, year, team_goal, submit="submit"), follow=True
    )

    objective = Objective.objects.get(title=FIXED)
    assert objective.status == Objective.Status.SUBMITTED
    assert "The objective is saved and submitted for approval." in response.content.decode()
    assert Notification.objects.filter(recipient=org.lead.user, kind="objective_submitted").exists()


def test_fixed_objective_submits_and_the_manager_approves(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)
    client_for(org.rep).post(reverse("goals:objective-submit", args=[objective.pk]))
    objective.refresh_from_db()
    assert objective.status == Objective.Status.SUBMITTED

    manager = client_for(org.lead)
    page = manager.get(reverse("goals:objective-detail", args=[objective.pk])).content.decode()
    assert reverse("goals:objective-approve", args=[objective.pk]) in page
    response = manager.post(reverse("goals:objective-approve", args=[objective.pk]), follow=True)

    objective.refresh_from_db()
    assert objective.status == Objective.Status.APPROVED
    assert objective.approved_by == org.lead.user
    body = response.content.decode()
    assert "The objective is approved." in body
    assert 'data-status="approved"' in body
    assert 'data-field="status"' in body  # the history shows the status change


def test_return_requires_a_comment(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)
    objective.status = Objective.Status.SUBMITTED
    objective.save()
    manager = client_for(org.lead)

    refused = manager.post(reverse("goals:objective-return", args=[objective.pk]), {"comment": "  "}, follow=True)

    assert "a returned objective needs a comment" in refused.content.decode()
    objective.refresh_from_db()
    assert objective.status == Objective.Status.SUBMITTED

    manager.post(reverse("goals:objective-return", args=[objective.pk]), {"comment": "目标偏低,请提高到 92 分"})

    objective.refresh_from_db()
    assert objective.status == Objective.Status.RETURNED
    owner_page = client_for(org.rep).get(reverse("goals:objective-detail", args=[objective.pk])).content.decode()
    assert "目标偏低,请提高到 92 分" in owner_page
    assert reverse("goals:objective-edit", args=[objective.pk]) in owner_page


def test_the_close_button_says_what_it_closes(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)
    Objective.objects.filter(pk=objective.pk).update(status=Objective.Status.APPROVED)

    body = client_for(org.lead).get(reverse("goals:objective-detail", args=[objective.pk])).content.decode()

    assert ">Close the objective</button>" in body
    assert ">Close</button>" not in body


def test_close_and_cancel(client_for, org, year, team_goal):
    active = draft(org, year, team_goal)
    active.status = Objective.Status.APPROVED
    active.save()
    other = draft(org, year, team_goal, title="全年回款率达到 95%")

    assert client_for(org.rep).post(reverse("goals:objective-close", args=[active.pk])).status_code == 403
    client_for(org.lead).post(reverse("goals:objective-close", args=[active.pk]))
    client_for(org.rep).post(reverse("goals:objective-cancel", args=[other.pk]))

    active.refresh_from_db()
    other.refresh_from_db()
    assert active.status == Objective.Status.CLOSED
    assert other.status == Objective.Status.CANCELLED


def test_workflow_buttons_follow_permissions(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)
    owner_page = client_for(org.rep).get(reverse("goals:objective-detail", args=[objective.pk])).content.decode()
    assert reverse("goals:objective-submit", args=[objective.pk]) in owner_page
    assert reverse("goals:objective-approve", args=[objective.pk]) not in owner_page

    objective.status = Objective.Status.SUBMITTED
    objective.save()
    owner_page = client_for(org.rep).get(reverse("goals:objective-detail", args=[objective.pk])).content.decode()
    assert reverse("goals:objective-approve", args=[objective.pk]) not in owner_page
    assert reverse("goals:objective-edit", args=[objective.pk]) not in owner_page


# --- denials -------------------------------------------------------------------------


def test_a_rep_cannot_approve_their_own_objective(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)
    objective.status = Objective.Status.SUBMITTED
    objective.save()

    client = client_for(org.rep)
    assert client.post(reverse("goals:objective-approve", args=[objective.pk])).status_code == 403
    assert client.post(reverse("goals:objective-return", args=[objective.pk]), {"comment": "x"}).status_code == 403
    objective.refresh_from_db()
    assert objective.status == Objective.Status.SUBMITTED


def test_a_peer_cannot_see_or_touch_another_persons_objective(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)
    peer = client_for(org.rep2)

    assert peer.get(reverse("goals:objective-detail", args=[objective.pk])).status_code == 404
    assert peer.get(reverse("goals:objective-edit", args=[objective.pk])).status_code == 404
    assert peer.post(reverse("goals:objective-submit", args=[objective.pk])).status_code == 404
    assert peer.post(reverse("goals:objective-cancel", args=[objective.pk])).status_code == 404
    other_team = client_for(org.peer_lead)
    assert other_team.post(reverse("goals:objective-approve", args=[objective.pk])).status_code == 404


def test_a_skip_level_manager_sees_but_hr_cannot_approve(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)

    assert client_for(org.director).get(reverse("goals:objective-detail", args=[objective.pk])).status_code == 200
    assert client_for(org.hr).get(reverse("goals:objective-detail", args=[objective.pk])).status_code == 200
    objective.status = Objective.Status.SUBMITTED
    objective.save()
    assert client_for(org.hr).post(reverse("goals:objective-approve", args=[objective.pk])).status_code == 403


def test_workflow_posts_only(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)

    assert client_for(org.rep).get(reverse("goals:objective-submit", args=[objective.pk])).status_code == 405


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("goals:objective-create", []),
        ("goals:objective-detail", [1]),
        ("goals:objective-edit", [1]),
        ("goals:approvals", []),
    ],
)
def test_anonymous_is_sent_to_login(client, db, name, args):
    response = client.get(reverse(name, args=args))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_admin_without_employee_profile_is_not_offered_personal_objectives(client_for, org, year):
    page = client_for(org.admin).get(reverse("goals:objective-create"))

    assert page.status_code == 200
    assert '<option value="person"' not in page.content.decode()


# --- approvals -------------------------------------------------------------------------


def submitted_for(org, year, count: int) -> list[Objective]:
    kpi = KpiFactory()
    objectives = []
    for i in range(count):
        owner = org.rep if i % 2 else org.rep2
        objective = ObjectiveFactory(
            owner_employee=owner, period=year, status=Objective.Status.SUBMITTED, title=f"客户满意度 {80 + i} 分"
        )
        KeyResultFactory(objective=objective, kpi=kpi, baseline=Decimal("80"), target=Decimal(80 + i))
        KeyResultFactory(objective=objective, direction="milestones", target=None, weight=Decimal("0"))
        objectives.append(objective)
    return objectives


def test_approvals_lists_what_waits_with_the_smart_summary(client_for, org, year, team_goal):
    waiting = draft(org, year, team_goal)
    waiting.status = Objective.Status.SUBMITTED
    waiting.save()
    draft(org, year, team_goal, title="还在草稿里的目标 10 个")

    body = client_for(org.lead).get(reverse("goals:approvals")).content.decode()

    assert FIXED in body
    assert "还在草稿里的目标" not in body
    assert 'class="smart-compact"' in body
    assert reverse("goals:objective-approve", args=[waiting.pk]) in body
    assert "季度客户满意度调查得分" in body


def test_approvals_empty_state(client_for, org):
    body = client_for(org.rep).get(reverse("goals:approvals")).content.decode()

    assert "Nothing is waiting for your approval." in body


def test_approve_inline_with_htmx_replaces_the_row(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)
    objective.status = Objective.Status.SUBMITTED
    objective.save()
    manager = client_for(org.lead)

    response = manager.post(
        reverse("goals:objective-approve", args=[objective.pk]),
        {"row": "1", "next": reverse("goals:approvals")},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="approval-{objective.pk}"' in body
    assert "The objective is approved." in body
    assert "<html" not in body
    objective.refresh_from_db()
    assert objective.status == Objective.Status.APPROVED


def test_return_inline_without_a_comment_shows_the_error_in_the_row(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)
    objective.status = Objective.Status.SUBMITTED
    objective.save()

    response = client_for(org.lead).post(
        reverse("goals:objective-return", args=[objective.pk]),
        {"row": "1", "comment": "", "next": reverse("goals:approvals")},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert "a returned objective needs a comment" in body
    assert '<details class="approval-return" open>' in body
    assert f'value="{reverse("goals:approvals")}"' in body


def test_approve_without_javascript_goes_back_to_the_queue(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)
    objective.status = Objective.Status.SUBMITTED
    objective.save()

    response = client_for(org.lead).post(
        reverse("goals:objective-approve", args=[objective.pk]), {"row": "1", "next": reverse("goals:approvals")}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("goals:approvals")


def test_approvals_query_count_does_not_grow(client_for, org, year, django_assert_max_num_queries):
    submitted_for(org, year, 5)
    client = client_for(org.lead)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("goals:approvals")).status_code == 200

    submitted_for(org, year, 15)
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("goals:approvals"))

    assert response.content.decode().count('class="card approval-row') == 20


def test_detail_query_count_does_not_grow_with_history(client_for, org, year, team_goal):
    objective = draft(org, year, team_goal)
    client = client_for(org.rep)
    url = reverse("goals:objective-detail", args=[objective.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    for i in range(8):
        objective_update(objective=objective, actor=org.rep.user, title=f"客户满意度从 82 分提升到 {91 + i} 分")
        key_result_create(objective=objective, actor=org.rep.user, title=f"回访 {i}", target=Decimal(10), weight=0)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()

    assert len(many) <= len(few)
    assert body.count('class="history-entry') >= 17


def test_the_queue_judges_like_the_detail_page(client_for, org, year, team_goal):
    """The approvals queue checks many objectives at once; it must agree with the one-by-one check."""
    kpi = KpiFactory(code="NEW_CUST")
    org.rep.grade_level = "P3"
    org.rep.save()
    kpi_reference_set(actor=org.hr.user, kpi_code="NEW_CUST", grade_level="P3", low=Decimal(4), high=Decimal(6))
    earlier = PeriodFactory(name="2025", start=date(2025, 1, 1), end=date(2025, 12, 31))
    old = ObjectiveFactory(owner_employee=org.rep, period=earlier, status=Objective.Status.APPROVED)
    MeasurementFactory(key_result=KeyResultFactory(objective=old, kpi=kpi), value=Decimal("20"))
    objectives = [
        draft(org, year, team_goal, title="全年新签客户 150 家"),
        draft(org, year, team_goal, title="全年新签客户 45 家"),
        draft(org, year, None, title=VAGUE, with_kr=False, due_date=None),
    ]
    key_result_create(objective=objectives[0], actor=org.rep.user, title="新签客户", target=Decimal(150), kpi=kpi)
    key_result_create(objective=objectives[1], actor=org.rep.user, title="新签客户", target=Decimal(45), kpi=kpi)
    loaded = list(objective_list_visible_to(actor=org.rep.user).filter(pk__in=[o.pk for o in objectives]))

    together = smart_for_objectives(loaded)

    for objective in loaded:
        one_by_one = objective_smart_check(objective=objective)
        assert [(r.criterion, r.status, str(r.reason)) for r in together[objective.pk].results] == [
            (r.criterion, r.status, str(r.reason)) for r in one_by_one
        ]
    assert {r.criterion: r.status for r in together[objectives[0].pk].results}["achievable"] == "fail"


@pytest.mark.parametrize("extra", [1, 6])
def test_objective_detail_query_count_does_not_grow(client_for, org, year, extra):
    # given a unit objective aligned under a company one, with aligned objectives, key results and versions
    company = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, created_by=org.ceo.user, period=year
    )
    team_goal = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, created_by=org.lead.user,
        status=Objective.Status.APPROVED, period=year, parent=company,
    )  # fmt: skip
    for i in range(extra):
        child = ObjectiveFactory(
            parent=team_goal, owner_employee=org.rep, status=Objective.Status.APPROVED, title=f"子目标 {i}"
        )
        KeyResultFactory(objective=child)
        KeyResultFactory(objective=team_goal, title=f"关键结果 {i}", weight=Decimal(10))
        team_goal.title = f"华东销售部客户满意度达到 9{i} 分"
        team_goal.save()  # a recorded version

    client = client_for(org.lead)
    client.get(reverse("goals:objective-detail", args=[team_goal.pk]))  # warm caches (translations, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("goals:objective-detail", args=[team_goal.pk]))

    assert response.status_code == 200
    # nav (5); the objective, its key results, their milestones; the objectives above it; those
    # aligned to it; action plans; the two histories; the explanation's key results and aligned
    # objectives (15). None for the approver: its manager comes with the objective's author.
    assert len(queries) == 15
