"""The home page ("My work"): what each role has to do, from real data only."""

import re

import pytest
from django.urls import reverse

from org.models import Employee
from tests.factories import EmployeeFactory, NotificationFactory, OrgUnitFactory, UserFactory
from tests.goals.factories import KeyResultFactory, ObjectiveFactory


def todo_keys(response) -> list[str]:
    return re.findall(r'data-todo="([^"]+)"', response.content.decode())


def panel_keys(response) -> list[str]:
    return re.findall(r'data-panel="([^"]+)"', response.content.decode())


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_employee_with_nothing_to_do_sees_the_empty_state(client_for, org):
    response = client_for(org.rep).get(reverse("home"))
    assert response.status_code == 200
    assert todo_keys(response) == []
    assert panel_keys(response) == []
    assert "Nothing to do right now" in response.content.decode()


def test_unread_notifications_are_listed_with_links_that_open_them(client_for, org):
    notes = [NotificationFactory(recipient=org.rep.user, message=f"Message number {i}.") for i in range(7)]
    NotificationFactory(recipient=org.rep2.user, message="Not for you.")
    NotificationFactory(recipient=org.rep.user, message="Already read.", read_at="2024-01-01T00:00:00Z")

    response = client_for(org.rep).get(reverse("home"))

    body = response.content.decode()
    assert todo_keys(response) == ["notifications"]
    assert "You have 7 unread notifications." in body
    for note in notes[-5:]:  # the newest five
        assert reverse("notifications:open", args=[note.pk]) in body
    assert reverse("notifications:open", args=[notes[0].pk]) not in body
    assert "and 2 more" in body
    assert "Not for you." not in body
    assert "Already read." not in body
    assert "Nothing to do right now" not in body


def test_manager_sees_team_summary_and_reports_missing_title_or_grade(client_for, org):
    org.rep.job_title = ""
    org.rep.save()

    response = client_for(org.lead).get(reverse("home"))

    body = response.content.decode()
    assert panel_keys(response) == ["my-team"]
    assert reverse("org:my-team") in body
    assert todo_keys(response) == ["reports-incomplete"]
    assert "1 of your direct reports has no job title or grade level." in body
    assert reverse("org:employee", args=[org.rep.pk]) in body
    assert reverse("org:employee", args=[org.rep2.pk]) not in body


def test_manager_with_complete_profiles_has_nothing_to_do(client_for, org):
    response = client_for(org.director).get(reverse("home"))
    assert todo_keys(response) == []
    assert panel_keys(response) == ["my-team"]
    assert "Nothing to do right now" in response.content.decode()


def test_hr_sees_people_without_manager_outside_the_top_and_people_in_inactive_units(client_for, org):
    closed = OrgUnitFactory(name="旧部门", name_en="Old unit", parent=org.root, is_active=False)
    orphan = EmployeeFactory(unit=org.east, manager=None)  # not in a top-level unit: needs a manager
    stranded = EmployeeFactory(unit=closed, manager=org.ceo)
    EmployeeFactory(unit=org.east, manager=None, is_active=False)  # left the company: not a to-do

    response = client_for(org.hr).get(reverse("home"))

    body = response.content.decode()
    assert todo_keys(response) == ["no-manager", "inactive-unit"]
    assert "1 person has no manager but is not at the top of the organisation." in body
    assert reverse("org:employee", args=[orphan.pk]) in body
    assert reverse("org:employee", args=[org.ceo.pk]) not in body  # the CEO is at the top
    assert "1 person is in a unit that is no longer active." in body
    assert reverse("org:employee", args=[stranded.pk]) in body


def test_hr_with_a_tidy_org_has_nothing_to_do(client_for, org):
    response = client_for(org.hr).get(reverse("home"))
    assert todo_keys(response) == []


def test_hr_with_no_employees_is_asked_to_import_the_org_chart(client_for, db):
    hr = UserFactory(is_hr=True)
    assert not Employee.objects.exists()

    response = client_for(hr).get(reverse("home"))

    assert todo_keys(response) == ["import-org-chart"]
    assert reverse("org_io:import") in response.content.decode()


def test_employee_never_sees_hr_items(client_for, org):
    EmployeeFactory(unit=org.east, manager=None)
    response = client_for(org.rep).get(reverse("home"))
    assert todo_keys(response) == []


def test_executive_sees_an_org_overview_with_a_link_to_strategy(client_for, org):
    EmployeeFactory(unit=org.east, manager=org.lead, is_active=False)  # not counted

    response = client_for(org.ceo).get(reverse("home"))

    body = response.content.decode()
    assert panel_keys(response) == ["my-team", "org-overview"]
    overview = body[body.index('data-panel="org-overview"') :]
    assert '<span class="value">5</span><span class="label">Active units</span>' in overview
    assert '<span class="value">8</span><span class="label">People</span>' in overview
    assert reverse("org:units") in overview


def test_admin_without_profile_gets_hr_and_executive_items(client_for, org):
    response = client_for(org.admin).get(reverse("home"))
    assert response.status_code == 200
    assert panel_keys(response) == ["org-overview"]


@pytest.mark.parametrize("extra", [6, 30])
def test_home_query_count_does_not_grow(client_for, org, django_assert_num_queries, extra):
    for _ in range(extra):
        report = EmployeeFactory(unit=org.east, manager=org.lead, job_title="")
        EmployeeFactory(unit=org.south, manager=None)
        NotificationFactory(recipient=org.lead.user)
        ObjectiveFactory(owner_employee=report, status="submitted")
        ObjectiveFactory(owner_employee=org.lead, status="draft")
        ObjectiveFactory(owner_employee=org.lead, status="returned")
        KeyResultFactory(objective=ObjectiveFactory(owner_employee=org.lead, status="approved"))
    client = client_for(org.lead)
    org.lead.user.is_hr = True
    org.lead.user.is_executive = True
    org.lead.user.save()
    # nav: session, user, employee, has reports, unread count (5); notifications: list (1, its count
    # is the badge's); team: both counts in one query, incomplete list and count (3); HR: any employee,
    # no-manager list and count, inactive-unit list (4); overview: units, people (2); goals: returned,
    # drafts, stale progress and awaiting approval, each a list and a count (8).
    with django_assert_num_queries(23):
        client.get(reverse("home"))


@pytest.mark.parametrize("unread", [0, 2, 9])
def test_the_unread_notifications_cost_the_same_queries_however_many_and_count_once(
    client_for, org, django_assert_num_queries, unread
):
    NotificationFactory.create_batch(unread, recipient=org.rep.user)
    client = client_for(org.rep)
    client.get(reverse("home"))

    # nav: session, user, employee, has reports, unread count (5); notifications: list (1);
    # goals: returned, drafts, stale progress, awaiting approval lists (4)
    with django_assert_num_queries(10):
        body = client.get(reverse("home")).content.decode()

    if unread:
        assert f'<span class="badge" title="{unread} unread notification' in body
        assert f"You have {unread} unread notification" in body
    else:
        assert "unread notification" not in body


def test_goal_todos_for_an_employee_and_their_manager(client_for, org):
    returned = ObjectiveFactory(owner_employee=org.rep, status="returned", title="全年新签客户 60 家")
    ObjectiveFactory(owner_employee=org.rep, status="draft", title="回款率达到 95%")
    stale = ObjectiveFactory(owner_employee=org.rep, status="approved", title="个人销售额达到 40 万元")
    KeyResultFactory(objective=stale)
    waiting = ObjectiveFactory(owner_employee=org.rep2, status="submitted", title="拓展 3 个新行业客户")

    rep_home = client_for(org.rep).get(reverse("home"))
    assert {"objectives-returned", "objectives-draft", "progress-stale"} <= set(todo_keys(rep_home))
    assert reverse("goals:objective-detail", args=[returned.pk]) in rep_home.content.decode()
    assert "objectives-to-approve" not in todo_keys(rep_home)

    lead_home = client_for(org.lead).get(reverse("home"))
    assert "objectives-to-approve" in todo_keys(lead_home)
    assert reverse("goals:objective-detail", args=[waiting.pk]) in lead_home.content.decode()


def test_my_team_panel_counts_direct_reports_and_everyone_below(client_for, org):
    below = EmployeeFactory(unit=org.east, manager=org.rep)  # two levels below the lead
    EmployeeFactory(unit=org.east, manager=org.lead, is_active=False)  # a direct report who left
    direct = Employee.objects.filter(manager=org.lead, is_active=True).count()

    body = client_for(org.lead).get(reverse("home")).content.decode()

    stats = {
        label: int(value)
        for value, label in re.findall(r'<span class="value">(\d+)</span><span class="label">([^<]+)</span>', body)
    }
    assert stats["Direct reports"] == direct
    assert stats["People in my team"] == direct + 1
    assert below.manager_id == org.rep.pk
