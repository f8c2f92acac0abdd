"""People pages through real URLs: who may open them, what they list, and query counts."""

import re

import pytest
from django.urls import reverse

from tests.factories import EmployeeFactory, OrgUnitFactory


def listed(response) -> set[int]:
    """Employee ids linked from the page's table rows (first column links)."""
    return {
        int(pk) for pk in re.findall(r'<td class="primary"><a href="/org/people/(\d+)/">', response.content.decode())
    }


# --- denials --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["org:people", "org:my-team", "org:units", "org:employee"], ids=lambda n: n.split(":")[1]
)
def test_anonymous_is_sent_to_login(client, org, url_name):
    url = reverse(url_name, args=[org.rep.pk]) if url_name == "org:employee" else reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["rep", "lead", "director"])
def test_people_and_units_are_403_for_employees_and_managers(client_for, org, who):
    client = client_for(getattr(org, who))
    assert client.get(reverse("org:people")).status_code == 403
    assert client.get(reverse("org:units")).status_code == 403


@pytest.mark.parametrize("who", ["rep", "hr", "admin"])
def test_my_team_is_403_for_non_managers(client_for, org, who):
    response = client_for(getattr(org, who)).get(reverse("org:my-team"))
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()


# --- people ---------------------------------------------------------------------------


def test_hr_sees_everyone_and_the_spreadsheet_links(client_for, org):
    response = client_for(org.hr).get(reverse("org:people"))
    body = response.content.decode()
    assert response.status_code == 200
    assert len(listed(response)) == 8
    for name in ("org_io:import", "org_io:export", "org_io:template"):
        assert f'href="{reverse(name)}"' in body


@pytest.mark.parametrize("who", ["ceo", "admin"])
def test_executives_and_admins_see_everyone(client_for, org, who):
    response = client_for(getattr(org, who)).get(reverse("org:people"))
    assert len(listed(response)) == 8
    body = response.content.decode()
    if who == "ceo":
        assert reverse("org_io:import") not in body  # reading, not managing
    else:
        assert reverse("org_io:import") in body


def test_filter_by_unit_includes_units_below(client_for, org):
    response = client_for(org.hr).get(reverse("org:people"), {"unit": org.sales.pk})
    assert listed(response) == {
        org.director.pk,
        org.lead.pk,
        org.rep.pk,
        org.rep2.pk,
        org.peer_lead.pk,
        org.other_rep.pk,
    }
    assert listed(client_for(org.hr).get(reverse("org:people"), {"unit": org.south.pk})) == {
        org.peer_lead.pk,
        org.other_rep.pk,
    }


def test_search_by_name_number_or_email(client_for, org):
    client = client_for(org.hr)
    assert listed(client.get(reverse("org:people"), {"q": org.rep.user.full_name})) == {org.rep.pk}
    assert listed(client.get(reverse("org:people"), {"q": org.rep2.employee_number})) == {org.rep2.pk}
    assert listed(client.get(reverse("org:people"), {"q": "OTHERREP@example"})) == {org.other_rep.pk}
    empty = client.get(reverse("org:people"), {"q": "no such person"})
    assert "No one matches" in empty.content.decode()


def test_people_who_left_are_hidden_unless_asked_for(client_for, org):
    gone = EmployeeFactory(unit=org.east, manager=org.lead, is_active=False)
    client = client_for(org.hr)
    assert gone.pk not in listed(client.get(reverse("org:people")))
    assert gone.pk in listed(client.get(reverse("org:people"), {"include_inactive": "on"}))


def test_the_unit_filter_offers_every_unit_under_its_parent_with_the_chosen_one_selected(client_for, org):
    lab = OrgUnitFactory(name="研发 <中心>", name_en="R&D <labs>", parent=org.root)
    response = client_for(org.hr).get(reverse("org:people"), {"unit": org.south.pk})
    select = re.search(r'<select name="unit"[^>]*>(.*?)</select>', response.content.decode(), re.S)
    options = re.findall(r'<option value="(\d*)"( selected)?>([^<]*)</option>', select.group(1))

    indent = "\u00a0" * 3
    assert [(value, label) for value, _selected, label in options] == [  # each unit under its parent
        ("", "All units"),
        (str(org.root.pk), "Xinghe Technology"),
        (str(org.hr_unit.pk), indent + "HR"),
        (str(lab.pk), indent + "R&amp;D &lt;labs&gt;"),
        (str(org.sales.pk), indent + "Sales"),
        (str(org.east.pk), indent * 2 + "East China sales"),
        (str(org.south.pk), indent * 2 + "South China sales"),
    ]
    assert [value for value, selected, _label in options if selected] == [str(org.south.pk)]


def test_unknown_unit_is_a_form_error_not_a_crash(client_for, org):
    response = client_for(org.hr).get(reverse("org:people"), {"unit": "999999"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_people_are_paginated_25_a_page(client_for, org):
    for _ in range(30):
        EmployeeFactory(unit=org.east, manager=org.lead)
    client = client_for(org.hr)
    first = client.get(reverse("org:people"))
    second = client.get(reverse("org:people"), {"page": 2})
    assert len(listed(first)) == 25
    assert len(listed(second)) == 13
    assert not listed(first) & listed(second)
    assert "Page 1 of 2" in first.content.decode()
    # Filters survive paging.
    filtered = client.get(reverse("org:people"), {"unit": org.east.pk})
    assert f"unit={org.east.pk}&amp;page=2" in filtered.content.decode()


@pytest.mark.parametrize("extra", [3, 40])
def test_people_query_count_does_not_grow(client_for, org, django_assert_num_queries, extra):
    for _ in range(extra):
        EmployeeFactory(unit=org.east, manager=org.lead)
    client = client_for(org.hr)
    # nav (session, user, employee, has reports, unread) + unit tree + count + page
    with django_assert_num_queries(8):
        client.get(reverse("org:people"), {"unit": org.sales.pk})


# --- my team --------------------------------------------------------------------------


def test_lead_sees_direct_reports_only_below_them(client_for, org):
    response = client_for(org.lead).get(reverse("org:my-team"))
    assert listed(response) == {org.rep.pk, org.rep2.pk}


def test_director_sees_direct_and_indirect_reports_with_who_they_report_to(client_for, org):
    response = client_for(org.director).get(reverse("org:my-team"))
    body = response.content.decode()
    assert listed(response) == {org.lead.pk, org.rep.pk, org.rep2.pk, org.peer_lead.pk, org.other_rep.pk}
    assert org.ceo.pk not in listed(response)
    rep_row = re.search(rf'<tr>\s*<td class="primary"><a href="/org/people/{org.rep.pk}/">.*?</tr>', body, re.S).group(
        0
    )
    assert org.lead.user.display_name in rep_row
    lead_row = re.search(
        rf'<tr>\s*<td class="primary"><a href="/org/people/{org.lead.pk}/">.*?</tr>', body, re.S
    ).group(0)
    assert "Direct" in lead_row
    # Direct reports come first.
    assert body.index(f"/org/people/{org.lead.pk}/") < body.index(f"/org/people/{org.rep.pk}/")

    direct = client_for(org.director).get(reverse("org:my-team"), {"direct_only": "on"})
    assert listed(direct) == {org.lead.pk, org.peer_lead.pk}


@pytest.mark.parametrize("extra", [3, 40])
def test_my_team_query_count_does_not_grow(client_for, org, django_assert_num_queries, extra):
    for _ in range(extra):
        EmployeeFactory(unit=org.east, manager=org.rep)
    client = client_for(org.director)
    # nav (5) + page count + page + direct count + goals' columns (no period: 1 to find none)
    with django_assert_num_queries(9):
        client.get(reverse("org:my-team"))


# --- units ----------------------------------------------------------------------------


def test_unit_tree_with_head_counts_in_the_active_language(client_for, org):
    team = OrgUnitFactory(name="华东一组", name_en="East team one", parent=org.east, is_active=False)
    EmployeeFactory(unit=team, manager=org.lead)
    client = client_for(org.ceo)

    body = client.get(reverse("org:units")).content.decode()

    assert "<details" in body
    assert "East China sales" in body
    assert "华东销售部" not in body
    sales = re.search(rf'<li data-unit="{org.sales.pk}".*?</summary>', body, re.S).group(0)
    assert "7 people" in sales  # director + east (lead, rep, rep2, one in the team) + south (2)
    east = re.search(rf'<li data-unit="{org.east.pk}".*?</summary>', body, re.S).group(0)
    assert "3 directly in this unit" in east
    assert "Inactive" in body

    org.ceo.preferred_language = "zh-hans"
    org.ceo.save()
    assert "华东销售部" in client.get(reverse("org:units")).content.decode()


def test_hr_sees_the_unit_tree(client_for, org):
    assert client_for(org.hr).get(reverse("org:units")).status_code == 200


@pytest.mark.parametrize("extra", [2, 30])
def test_units_query_count_does_not_grow(client_for, org, django_assert_num_queries, extra):
    parent = org.east
    for i in range(extra):
        parent = OrgUnitFactory(parent=parent if i % 3 else org.sales)
        EmployeeFactory(unit=parent)
    client = client_for(org.hr)
    with django_assert_num_queries(6):  # nav (5) + units with head counts
        client.get(reverse("org:units"))


# --- employee detail --------------------------------------------------------------------


def test_employee_sees_self_and_management_chain_but_not_others(client_for, org):
    client = client_for(org.rep)
    for visible in (org.rep, org.lead, org.director, org.ceo):
        assert client.get(reverse("org:employee", args=[visible.pk])).status_code == 200
    for hidden in (org.rep2, org.other_rep, org.peer_lead, org.hr):
        assert client.get(reverse("org:employee", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("org:employee", args=[999999])).status_code == 404


def test_manager_sees_their_subtree_only(client_for, org):
    client = client_for(org.lead)
    assert client.get(reverse("org:employee", args=[org.rep2.pk])).status_code == 200
    assert client.get(reverse("org:employee", args=[org.other_rep.pk])).status_code == 404


def test_hr_sees_anyone(client_for, org):
    assert client_for(org.hr).get(reverse("org:employee", args=[org.other_rep.pk])).status_code == 200


def test_detail_shows_unit_path_manager_chain_and_reports(client_for, org):
    org.lead.hire_date = "2021-03-15"
    org.lead.grade_level = "M2"
    org.lead.job_title = "Team lead"
    org.lead.save()

    body = client_for(org.lead).get(reverse("org:employee", args=[org.lead.pk])).content.decode()

    assert re.search(r"Xinghe Technology</li>\s*<li>Sales</li>\s*<li>East China sales</li>", body)
    assert f'href="/org/people/{org.director.pk}/"' in body  # manager
    assert f'href="/org/people/{org.ceo.pk}/"' in body  # top of the chain
    assert f'href="/org/people/{org.rep.pk}/"' in body  # direct report
    assert "Team lead" in body
    assert "M2" in body
    assert "2021-03-15" in body  # one date format per language (pmsite/formats)


def test_people_the_viewer_may_not_open_are_not_links(client_for, org):
    # The rep may read the director's record, but not the director's other report, peer_lead.
    body = client_for(org.rep).get(reverse("org:employee", args=[org.director.pk])).content.decode()
    assert f'href="/org/people/{org.lead.pk}/"' in body
    assert f'href="/org/people/{org.peer_lead.pk}/"' not in body
    assert org.peer_lead.user.display_name in body


def test_the_people_list_does_not_count_everyone_per_unit_for_its_unit_filter(client_for, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(org.hr)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("org:people"))

    assert response.status_code == 200
    assert f'<option value="{org.sales.pk}"' in response.content.decode()  # the filter still lists the units
    unit_reads = [q["sql"] for q in queries.captured_queries if 'FROM "org_orgunit"' in q["sql"]]
    assert unit_reads
    assert not [sql for sql in unit_reads if "COUNT(" in sql or "GROUP BY" in sql]
