"""My objectives, team objectives, recording progress (htmx and plain), history, corrections,
milestones and action plans — through the real URLs, with the denials and query counts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.models import ActionPlan, KeyResult, Measurement, Milestone, Objective
from goals.objectives.services import action_plan_create
from goals.progress.services.measurements import measurement_record
from tests.factories import EmployeeFactory
from tests.goals.factories import KeyResultFactory, MeasurementFactory, ObjectiveFactory, PeriodFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
PAST = date(2026, 3, 31)


@pytest.fixture
def year(db):
    return PeriodFactory()


def active_objective(owner, period, *, key_results: int = 1, updates: int = 1, **fields) -> Objective:
    """An approved personal objective with key results and progress updates (set up directly)."""
    objective = ObjectiveFactory(
        owner_employee=owner, period=period, status=Objective.Status.APPROVED, created_by=owner.user, **fields
    )
    for k in range(key_results):
        kr = KeyResultFactory(
            objective=objective, title=f"新签客户数 {k}", unit="家", weight=Decimal(100) / key_results
        )
        for month in range(1, updates + 1):
            MeasurementFactory(
                key_result=kr, value=Decimal(month * 5), as_of=date(2026, month, 28), entered_by=owner.user
            )
        if updates:
            kr.current_value = Decimal(updates * 5)
            kr.last_measured_on = date(2026, updates, 28)
            kr.save()
    return objective


def progress_url(kr) -> str:
    return reverse("goals:record-progress", args=[kr.pk])


def my_url(period, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"period": period.pk, **params}.items())
    return f"{reverse('goals:my-objectives')}?{query}"


# --- my objectives ------------------------------------------------------------------------


def test_my_objectives_shows_key_results_with_progress_last_update_and_sparkline(org, year, client_for):
    objective = active_objective(org.rep, year, updates=3)
    kr = objective.key_results.get()
    other = active_objective(org.other_rep, year, title="别人的目标")

    response = client_for(org.rep).get(my_url(year))

    assert response.status_code == 200
    html = response.content.decode()
    assert objective.title in html
    assert other.title not in html
    assert kr.title in html
    assert "0 → 60 家" in html  # baseline → target with the unit
    assert ">15</strong>" in html  # current value, no trailing zeros
    assert 'value="25"' in html  # 15 of 60 = 25 %
    assert f"Last update {date(2026, 3, 28).isoformat()} by {org.rep.user.display_name}" in html
    assert 'class="kr-spark"' in html
    assert progress_url(kr) in html  # the inline form


def test_my_objectives_default_period_is_the_current_year(org, client_for):
    today = timezone.localdate()
    period = PeriodFactory(name=str(today.year), start=date(today.year, 1, 1), end=date(today.year, 12, 31))
    objective = active_objective(org.rep, period)
    response = client_for(org.rep).get(reverse("goals:my-objectives"))
    assert objective.title in response.content.decode()


def test_managers_see_their_units_tab(org, year, client_for):
    unit_goal = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, period=year, created_by=org.lead.user,
        title="华东销售部新签客户 150 家", status=Objective.Status.APPROVED,
    )  # fmt: skip
    KeyResultFactory(objective=unit_goal)
    lead = client_for(org.lead)
    assert unit_goal.title in lead.get(my_url(year, tab="units")).content.decode()
    assert unit_goal.title not in lead.get(my_url(year)).content.decode()
    # a rep has no units tab: the parameter is ignored
    rep_page = client_for(org.rep).get(my_url(year, tab="units")).content.decode()
    assert unit_goal.title not in rep_page
    assert "My units" not in rep_page


def test_executives_see_company_objectives_and_accounts_without_a_profile_get_a_hint(org, year, client_for):
    company = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, period=year,
        created_by=org.ceo.user, title="全年销售额达到 1000 万元", status=Objective.Status.APPROVED,
    )  # fmt: skip
    assert company.title in client_for(org.ceo).get(my_url(year, tab="company")).content.decode()
    admin_page = client_for(org.admin).get(my_url(year))
    assert admin_page.status_code == 200
    assert "You have no employee profile" in admin_page.content.decode()


def test_my_objectives_needs_a_login(client, year):
    response = client.get(reverse("goals:my-objectives"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_my_objectives_query_count_does_not_grow(org, year, client_for, django_assert_max_num_queries):
    client = client_for(org.rep)
    active_objective(org.rep, year, key_results=1, updates=1)
    small = _count_queries(client, my_url(year))

    for _ in range(4):
        objective = active_objective(org.rep, year, key_results=3, updates=5)
        kr = objective.key_results.first()
        Milestone.objects.create(key_result=kr, title="签约")
        action_plan_create(objective=objective, actor=org.rep.user, what="拜访客户", owner=org.rep)
    with django_assert_max_num_queries(small):
        response = client.get(my_url(year))
    assert response.content.decode().count('class="kr-row"') == 13


# --- recording progress -------------------------------------------------------------------


def test_record_progress_with_htmx_returns_the_updated_row(org, year, client_for):
    kr = active_objective(org.rep, year).key_results.get()

    response = client_for(org.rep).post(
        progress_url(kr),
        {"value": "42.5", "as_of": PAST.isoformat(), "confidence": "at_risk", "comment": "季度复盘后更新",
         "evidence_url": "https://crm.example.com/report/7", "next": "/goals/"},
        **HTMX,
    )  # fmt: skip

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div class="kr-row" id="kr-{kr.pk}">')
    assert "<html" not in html
    assert ">42.5</strong>" in html
    assert "Saved." in html
    measurement = Measurement.objects.get(key_result=kr, value=Decimal("42.5"))
    assert measurement.source == "manual"
    assert measurement.entered_by == org.rep.user
    assert measurement.confidence == "at_risk"
    assert measurement.evidence_url == "https://crm.example.com/report/7"
    kr.refresh_from_db()
    assert kr.current_value == Decimal("42.5")


def test_record_progress_without_javascript_redirects_back(org, year, client_for):
    kr = active_objective(org.rep, year).key_results.get()
    back = my_url(year)

    response = client_for(org.rep).post(
        progress_url(kr), {"value": "20", "as_of": PAST.isoformat(), "confidence": "on_track", "next": back}
    )

    assert response.status_code == 302
    assert response["Location"] == back
    assert Measurement.objects.filter(key_result=kr, value=20).exists()


def test_record_progress_refuses_a_next_url_on_another_site(org, year, client_for):
    kr = active_objective(org.rep, year).key_results.get()
    response = client_for(org.rep).post(
        progress_url(kr), {"value": "20", "as_of": PAST.isoformat(), "confidence": "on_track",
                           "next": "https://evil.example.com/"}
    )  # fmt: skip
    assert response["Location"] == reverse("goals:my-objectives")


def test_record_progress_with_an_evidence_file(org, year, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kr = active_objective(org.rep, year).key_results.get()
    upload = SimpleUploadedFile("合同.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")

    client = client_for(org.rep)
    response = client.post(
        progress_url(kr), {"value": "30", "as_of": PAST.isoformat(), "confidence": "on_track", "evidence_file": upload}
    )

    assert response.status_code == 302
    measurement = Measurement.objects.get(key_result=kr, value=30)
    download = client.get(reverse("goals:measurement-evidence", args=[measurement.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 evidence"
    # someone who cannot see the key result cannot fetch its evidence
    assert (
        client_for(org.other_rep).get(reverse("goals:measurement-evidence", args=[measurement.pk])).status_code == 404
    )


@pytest.mark.parametrize(
    ("value", "as_of", "message"),
    [
        ("abc", PAST.isoformat(), "Enter a number."),
        ("", PAST.isoformat(), "This field is required."),
        ("12", "tomorrow", "is in the future. Progress can be recorded up to today"),
    ],
)
def test_record_progress_shows_errors_and_keeps_the_input(org, year, client_for, value, as_of, message):
    kr = active_objective(org.rep, year, updates=0).key_results.get()
    if as_of == "tomorrow":
        as_of = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client_for(org.rep).post(
        progress_url(kr), {"value": value, "as_of": as_of, "confidence": "on_track", "comment": "我写的说明"}, **HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "我写的说明" in html  # nothing typed is lost
    assert '<details class="kr-record" open>' in html
    assert not Measurement.objects.filter(key_result=kr).exists()


def test_record_progress_errors_without_javascript_render_the_form_page(org, year, client_for):
    kr = active_objective(org.rep, year, updates=0).key_results.get()
    response = client_for(org.rep).post(progress_url(kr), {"value": "abc", "as_of": PAST.isoformat()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a number." in html
    assert "<html" in html
    assert not Measurement.objects.filter(key_result=kr).exists()


def test_record_progress_on_a_draft_objective_is_refused_with_the_reason(org, year, client_for):
    draft = ObjectiveFactory(owner_employee=org.rep, period=year, status=Objective.Status.DRAFT)
    kr = KeyResultFactory(objective=draft)

    response = client_for(org.rep).post(
        progress_url(kr), {"value": "5", "as_of": PAST.isoformat(), "confidence": "on_track"}, **HTMX
    )

    assert response.status_code == 200
    assert "Progress can only be recorded on an approved objective." in response.content.decode()
    assert not Measurement.objects.filter(key_result=kr).exists()


def test_someone_elses_key_result_is_hidden(org, year, client_for):
    kr = active_objective(org.other_rep, year).key_results.get()
    client = client_for(org.rep)
    assert client.post(progress_url(kr), {"value": "5", "as_of": PAST.isoformat()}).status_code == 404
    assert client.get(reverse("goals:key-result-history", args=[kr.pk])).status_code == 404
    assert Measurement.objects.filter(key_result=kr).count() == 1


def test_an_executive_may_look_but_not_record(org, year, client_for):
    executive = EmployeeFactory(user__username="cfo", user__is_executive=True, unit=org.root, manager=org.ceo)
    kr = active_objective(org.rep, year).key_results.get()
    client = client_for(executive)

    assert client.get(reverse("goals:key-result-history", args=[kr.pk])).status_code == 200
    assert client.post(progress_url(kr), {"value": "5", "as_of": PAST.isoformat()}).status_code == 403
    measurement = kr.measurements.get()
    assert client.get(reverse("goals:measurement-correct", args=[measurement.pk])).status_code == 403
    assert Measurement.objects.filter(key_result=kr).count() == 1


def test_the_manager_records_progress_for_a_report(org, year, client_for):
    kr = active_objective(org.rep, year).key_results.get()
    response = client_for(org.lead).post(progress_url(kr), {"value": "7", "as_of": PAST.isoformat(),
                                                            "confidence": "on_track"})  # fmt: skip
    assert response.status_code == 302
    assert Measurement.objects.get(key_result=kr, value=7).entered_by == org.lead.user


def test_anonymous_progress_post_goes_to_the_login(client, org, year):
    kr = active_objective(org.rep, year).key_results.get()
    response = client.post(progress_url(kr), {"value": "5", "as_of": PAST.isoformat()})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_done_switch_can_go_back_and_forth_on_one_day(org, year, client_for):
    # given: a done / not-done key result with no update yet
    objective = active_objective(org.rep, year, updates=0)
    kr = KeyResultFactory(objective=objective, direction="done", baseline=None, target=None, title="上线新系统")
    client = client_for(org.rep)
    switch = reverse("goals:key-result-done", args=[kr.pk])
    # when: marked done, then not done, then done again, all today
    first = client.post(switch, {"done": "1"}, **HTMX)
    assert "Mark not done" in first.content.decode()
    second = client.post(switch, {"done": "0"}, **HTMX)
    assert "Mark done" in second.content.decode()
    assert "already has a value" not in second.content.decode()
    kr.refresh_from_db()
    assert kr.current_value == 0
    client.post(switch, {"done": "1"}, **HTMX)
    kr.refresh_from_db()
    # then: each change after the first corrects today's update, with the reason; nothing is overwritten
    assert kr.current_value == 1
    updates = list(kr.measurements.order_by("pk"))
    assert [m.value for m in updates] == [1, 0, 1]
    assert updates[1].corrects_id == updates[0].pk
    assert updates[2].corrects_id == updates[1].pk
    assert updates[1].comment == "Marked not done again the same day."
    # and: the switch is the owner's, hidden from others
    assert client_for(org.other_rep).post(switch, {"done": "1"}).status_code == 404


def test_mark_a_done_key_result_done_and_undone(org, year, client_for):
    objective = active_objective(org.rep, year, updates=0)
    kr = KeyResultFactory(objective=objective, direction="done", baseline=None, target=None, title="上线新系统")
    client = client_for(org.rep)
    page = client.get(my_url(year)).content.decode()
    assert "Mark done" in page

    today = timezone.localdate()
    yesterday = (today - timedelta(days=1)).isoformat()
    response = client.post(progress_url(kr), {"value": "1", "as_of": yesterday, "confidence": "on_track"}, **HTMX)
    assert "Mark not done" in response.content.decode()
    kr.refresh_from_db()
    assert kr.current_value == 1

    client.post(progress_url(kr), {"value": "0", "as_of": today.isoformat(), "confidence": "on_track"}, **HTMX)
    kr.refresh_from_db()
    assert kr.current_value == 0
    assert kr.measurements.count() == 2

    # a second update for the same date is refused: the existing one is corrected instead
    again = client.post(progress_url(kr), {"value": "1", "as_of": today.isoformat(), "confidence": "on_track"}, **HTMX)
    assert "already has a value as of" in again.content.decode()
    assert kr.measurements.count() == 2


def test_milestones_are_ticked_with_htmx_and_without(org, year, client_for):
    objective = active_objective(org.rep, year, updates=0)
    kr = KeyResultFactory(objective=objective, direction="milestones", baseline=None, target=None, title="新系统上线")
    first = Milestone.objects.create(key_result=kr, title="需求评审")
    Milestone.objects.create(key_result=kr, title="上线")
    client = client_for(org.rep)
    toggle = reverse("goals:milestone-toggle", args=[first.pk])

    response = client.post(toggle, {"done": "1"}, **HTMX)
    assert response.status_code == 200
    assert "1 of 2 milestones done" in response.content.decode()
    first.refresh_from_db()
    assert first.done_on == timezone.localdate()

    response = client.post(toggle, {"next": my_url(year)})  # unchecked: no "done" sent
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.done_on is None
    # others cannot tick it
    assert client_for(org.other_rep).post(toggle, {"done": "1"}).status_code == 404


def test_milestone_toggle_on_a_draft_shows_the_reason(org, year, client_for):
    draft = ObjectiveFactory(owner_employee=org.rep, period=year)
    kr = KeyResultFactory(objective=draft, direction="milestones", baseline=None, target=None)
    milestone = Milestone.objects.create(key_result=kr, title="需求评审")
    response = client_for(org.rep).post(reverse("goals:milestone-toggle", args=[milestone.pk]), {"done": "1"}, **HTMX)
    assert "Progress can only be recorded on an approved objective." in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.done_on is None


# --- history and corrections ----------------------------------------------------------------


def test_history_shows_a_chart_a_data_table_and_every_update(org, year, client_for):
    kr = active_objective(org.rep, year, updates=4).key_results.get()
    response = client_for(org.rep).get(reverse("goals:key-result-history", args=[kr.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="kr-chart"')
    svg = ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])  # noqa: S314 (our own page)
    assert svg.find("{http://www.w3.org/2000/svg}title").text == f"Progress of “{kr.title}”"
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}circle")) == 4
    assert html.count('id="update-') == 4
    assert "The values as a table" in html
    assert html.count(reverse("goals:measurement-correct", args=[kr.measurements.first().pk])) == 1


def test_correction_keeps_the_original(org, year, client_for):
    kr = active_objective(org.rep, year, updates=2).key_results.get()
    original = kr.measurements.order_by("as_of").last()
    client = client_for(org.rep)
    url = reverse("goals:measurement-correct", args=[original.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert 'value="10"' in page.content.decode()  # the recorded value, to change

    response = client.post(url, {"value": "12", "as_of": original.as_of.isoformat(), "reason": "CRM 数据补录"})

    assert response.status_code == 302
    original.refresh_from_db()
    assert original.value == Decimal("10")
    correction = Measurement.objects.get(corrects=original)
    assert correction.value == Decimal("12")
    assert correction.comment == "CRM 数据补录"
    kr.refresh_from_db()
    assert kr.current_value == Decimal("12")
    history = client.get(reverse("goals:key-result-history", args=[kr.pk])).content.decode()
    assert "<del>10</del>" in history
    assert f"Corrected by {org.rep.user.display_name}" in history
    assert f'href="#update-{correction.pk}"' in history
    # the corrected row can no longer be corrected
    assert url not in history
    again = client.post(url, {"value": "13", "as_of": original.as_of.isoformat(), "reason": "再改"})
    assert again.status_code == 400
    assert "already corrected" in again.content.decode()


def test_correction_needs_a_reason(org, year, client_for):
    measurement = active_objective(org.rep, year).key_results.get().measurements.get()
    response = client_for(org.rep).post(
        reverse("goals:measurement-correct", args=[measurement.pk]),
        {"value": "12", "as_of": measurement.as_of.isoformat(), "reason": "  "},
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Measurement.objects.filter(corrects=measurement).exists()


def test_updates_from_another_system_name_it(org, year, client_for):
    from goals.progress.services.integrations import integration_client_issue

    kr = active_objective(org.rep, year, updates=0).key_results.get()
    KeyResult.objects.filter(pk=kr.pk).update(data_source=KeyResult.Source.API)
    client_record, _token = integration_client_issue(actor=org.hr.user, name="销售 CRM")
    measurement_record(key_result=kr, value=Decimal(8), as_of=PAST, actor=None, source=KeyResult.Source.API,
                       client=client_record)  # fmt: skip
    html = client_for(org.rep).get(reverse("goals:key-result-history", args=[kr.pk])).content.decode()
    assert "API (销售 CRM)" in html


def test_a_key_result_fed_by_another_system_offers_no_entry_form_but_says_why(org, year, client_for):
    # given: one key result fed by the API, one typed in by people
    objective = active_objective(org.rep, year, key_results=2, updates=0)
    fed, typed = objective.key_results.order_by("pk")
    KeyResult.objects.filter(pk=fed.pk).update(data_source=KeyResult.Source.API)
    # when: the owner opens My objectives
    html = client_for(org.rep).get(my_url(year)).content.decode()
    # then: only the typed one has the progress form; the fed one says where its values come from
    assert f'action="{progress_url(typed)}"' in html
    assert f'action="{progress_url(fed)}"' not in html
    assert "Its values come from another system through the API." in html


# --- action plans ----------------------------------------------------------------------------


def plan_data(owner, **overrides) -> dict:
    return {
        "what": "每周拜访 5 家潜在客户", "owner": owner.pk, "due_date": "2026-12-31", "status": "in_progress",
        "budget_amount": "50000", "budget_currency": "cny", "people": "2", "hours": "200", "other_needs": "",
        **overrides,
    }  # fmt: skip


def test_create_an_action_plan_with_resources(org, year, client_for):
    objective = active_objective(org.rep, year)
    client = client_for(org.rep)
    url = reverse("goals:action-plan-create", args=[objective.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert org.other_rep.user.display_name not in form.content.decode()  # not a choosable owner

    response = client.post(url, plan_data(org.rep, next=my_url(year)))

    assert response.status_code == 302
    plan = ActionPlan.objects.get(objective=objective)
    assert (plan.budget_amount, plan.budget_currency, plan.people, plan.hours) == (Decimal(50000), "CNY", 2, 200)
    page = client.get(my_url(year)).content.decode()
    assert "Budget 50,000.00 CNY" in page
    assert reverse("goals:action-plan-edit", args=[plan.pk]) in page


def test_each_card_lists_its_own_action_plans_by_due_date(org, year, client_for):
    first, second = active_objective(org.rep, year, weight=60), active_objective(org.rep, year, weight=40)
    for objective, what, due in [
        (second, "乙-晚", date(2026, 11, 30)), (first, "甲-晚", date(2026, 12, 31)),
        (second, "乙-早", date(2026, 2, 1)), (first, "甲-早", date(2026, 3, 1)), (first, "甲-中", date(2026, 6, 1)),
    ]:  # fmt: skip
        action_plan_create(objective=objective, actor=org.rep.user, what=what, owner=org.rep, due_date=due)

    page = client_for(org.rep).get(my_url(year)).content.decode()

    shown = re.findall(r"(甲|乙)-(早|中|晚)", page)
    assert [f"{a}-{b}" for a, b in shown] == ["甲-早", "甲-中", "甲-晚", "乙-早", "乙-晚"]


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"budget_currency": "RMB"}, "RMB is not an ISO 4217 currency code"),
        ({"what": ""}, "This field is required."),
        ({"budget_amount": "-5"}, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_action_plan_form_errors(org, year, client_for, overrides, field_error):
    objective = active_objective(org.rep, year)
    response = client_for(org.rep).post(
        reverse("goals:action-plan-create", args=[objective.pk]), plan_data(org.rep, **overrides)
    )
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_action_plan_owner_must_be_the_owner_or_below(org, year, client_for):
    objective = active_objective(org.lead, year)
    client = client_for(org.lead)
    url = reverse("goals:action-plan-create", args=[objective.pk])
    assert client.post(url, plan_data(org.rep)).status_code == 302  # a report of the owner
    response = client.post(url, plan_data(org.other_rep))
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_unit_objective_action_plans_go_to_the_units_people(org, year, client_for):
    unit_goal = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, period=year, created_by=org.lead.user,
    )  # fmt: skip
    response = client_for(org.lead).post(
        reverse("goals:action-plan-create", args=[unit_goal.pk]), plan_data(org.rep2, budget_amount="")
    )
    assert response.status_code == 302
    assert ActionPlan.objects.get(objective=unit_goal).owner == org.rep2


def test_edit_an_action_plan(org, year, client_for):
    objective = active_objective(org.rep, year)
    plan = action_plan_create(objective=objective, actor=org.rep.user, what="举办客户沙龙", owner=org.rep)
    url = reverse("goals:action-plan-edit", args=[plan.pk])
    client = client_for(org.rep)
    assert "举办客户沙龙" in client.get(url).content.decode()
    response = client.post(url, plan_data(org.rep, what="举办两场客户沙龙", status="done", budget_currency="USD"))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.what, plan.status, plan.budget_currency) == ("举办两场客户沙龙", "done", "USD")
    assert plan.history.count() == 2


def test_action_plan_denials(org, year, client_for):
    objective = active_objective(org.rep, year)
    plan = action_plan_create(objective=objective, actor=org.rep.user, what="举办客户沙龙", owner=org.rep)
    create = reverse("goals:action-plan-create", args=[objective.pk])
    edit = reverse("goals:action-plan-edit", args=[plan.pk])
    # hidden from someone outside the chain
    assert client_for(org.other_rep).get(create).status_code == 404
    assert client_for(org.other_rep).post(edit, plan_data(org.rep)).status_code == 404
    # visible but not editable for an executive outside the chain
    executive = EmployeeFactory(user__username="cfo", user__is_executive=True, unit=org.root, manager=org.ceo)
    assert client_for(executive).get(create).status_code == 403
    # not on a closed objective, even for its owner
    Objective.objects.filter(pk=objective.pk).update(status=Objective.Status.CLOSED)
    assert client_for(org.rep).get(create).status_code == 403
    assert client_for(org.rep).post(edit, plan_data(org.rep)).status_code == 403
    plan.refresh_from_db()
    assert plan.status == "todo"


# --- team objectives ------------------------------------------------------------------------


def test_team_objectives_grouped_by_person_with_a_status_filter(org, year, client_for):
    active_objective(org.rep, year, title="全年新签客户 60 家")
    ObjectiveFactory(owner_employee=org.rep2, period=year, status=Objective.Status.SUBMITTED, title="回款率 95%")
    active_objective(org.other_rep, year, title="华南的目标")
    client = client_for(org.lead)

    html = client.get(reverse("goals:team-objectives") + f"?period={year.pk}").content.decode()
    assert "全年新签客户 60 家" in html
    assert "回款率 95%" in html
    assert "华南的目标" not in html  # not below the lead
    assert org.rep.user.display_name in html
    assert org.rep2.user.display_name in html

    submitted = client.get(reverse("goals:team-objectives") + f"?period={year.pk}&status=submitted").content.decode()
    assert "回款率 95%" in submitted
    assert "全年新签客户 60 家" not in submitted
    assert org.rep.user.display_name not in submitted


def test_team_objectives_include_indirect_reports(org, year, client_for):
    active_objective(org.rep, year, title="全年新签客户 60 家")
    html = client_for(org.director).get(reverse("goals:team-objectives") + f"?period={year.pk}").content.decode()
    assert "全年新签客户 60 家" in html


def test_team_objectives_are_for_managers(org, year, client_for, client):
    assert client_for(org.rep).get(reverse("goals:team-objectives")).status_code == 403
    assert client_for(org.hr).get(reverse("goals:team-objectives")).status_code == 403
    client.logout()
    response = client.get(reverse("goals:team-objectives"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_team_objectives_query_count_does_not_grow(org, year, client_for, django_assert_max_num_queries):
    client = client_for(org.lead)
    url = reverse("goals:team-objectives") + f"?period={year.pk}"
    active_objective(org.rep, year)
    small = _count_queries(client, url)

    for n in range(6):
        person = EmployeeFactory(unit=org.east, manager=org.lead, user__username=f"newrep{n}")
        active_objective(person, year, key_results=2, updates=4)
        active_objective(person, year, key_results=1, updates=2, title="回款率 95%")
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.content.decode().count('class="team-objective"') == 13


def test_team_objectives_page_the_whole_team_by_name_in_a_fixed_number_of_queries(
    org, year, client_for, django_assert_num_queries
):
    team = [org.rep, org.rep2]
    for n in range(27):  # the lead's team: rep, rep2 and 27 more, two of them below rep
        manager = org.rep if n < 2 else org.lead
        team.append(EmployeeFactory(unit=org.east, manager=manager, user__full_name=f"成员 {n:02d}"))
        active_objective(team[-1], year)
    names = [person.user.display_name for person in sorted(team, key=lambda p: (p.user.full_name, p.pk))]
    client = client_for(org.lead)
    url = reverse("goals:team-objectives") + f"?period={year.pk}"
    client.get(url)  # per-process caches warm

    # nav (session, user, employee, has reports, unread) + periods + the team's ids in order + the
    # page's people + objectives, key results, milestones, aligned children + facts + scores
    with django_assert_num_queries(14):
        first = client.get(url).content.decode()
    second = client.get(url + "&page=2").content.decode()

    shown = [re.findall(r'<h2 id="person-\d+"><a href="[^"]+">([^<]+)</a>', page) for page in (first, second)]
    assert shown == [names[:25], names[25:]]
    assert "29 people" in first
    assert first.count('class="team-objective"') == 25


# --- the card after an inline progress update (issue 7) -----------------------------------


def oob(html: str, element_id: str) -> str:
    """The out-of-band element with this id in an htmx response ('' when absent)."""
    start = html.find(f'id="{element_id}"')
    if start < 0 or 'hx-swap-oob="true"' not in html[start : html.find(">", start)]:
        return ""
    end = html.find('hx-swap-oob="true"', html.find(">", start))
    return html[html.rfind("<", 0, start) : end if end > 0 else len(html)]


def test_inline_progress_updates_the_cards_score_progress_and_the_page_total(org, year, client_for):
    objective = active_objective(org.rep, year, key_results=2, updates=1)  # each 5 of 60, weight 50
    first, _second = objective.key_results.order_by("pk")

    response = client_for(org.rep).post(
        progress_url(first), {"value": "30", "as_of": PAST.isoformat(), "confidence": "on_track"}, **HTMX
    )

    html = response.content.decode()
    # (30/60 × 50 + 5/60 × 50) / 100 = 29.17 %
    assert 'value="29.2"' in oob(html, f"objective-progress-{objective.pk}")
    assert ">29.17</strong>" in oob(html, f"objective-score-{objective.pk}")
    assert ">29.17</span>" in oob(html, f"my-score-{year.pk}")  # the page's results score, before the roll-up ran


def test_a_card_shows_the_progress_the_cached_score_uses(org, year, client_for):
    from goals.scoring.rollup import recompute_all

    parent = active_objective(org.rep, year, key_results=1, updates=1, children_weight=Decimal("50"))  # KR: 5 of 60
    child = active_objective(org.rep2, year, key_results=1, updates=6, parent=parent)  # 30 of 60
    child.contribution_weight = Decimal("100")
    child.save()
    recompute_all(year)
    parent.refresh_from_db()

    html = client_for(org.rep).get(my_url(year)).content.decode()

    assert parent.progress == Decimal("29.17")  # half its key result (8.33), half its aligned child (50)
    card = html[html.find(f'id="objective-progress-{parent.pk}"') :]
    assert 'value="29.2"' in card[: card.find("</div>")]


def test_a_score_above_100_says_why(org, year, client_for):
    objective = active_objective(org.rep, year, key_results=1, updates=0)
    kr = objective.key_results.get()
    kr.stretch = Decimal("90")
    kr.save()

    response = client_for(org.rep).post(
        progress_url(kr), {"value": "75", "as_of": PAST.isoformat(), "confidence": "on_track"}, **HTMX
    )

    chip = oob(response.content.decode(), f"objective-score-{objective.pk}")
    assert ">110</strong>" in chip  # half way from the target (60) to the stretch (90): 100 + 10
    assert (
        "Above 100: results beyond their targets count, up to the achievement cap of 120." in response.content.decode()
    )
