"""The role navigation: every page it names exists, and each role sees its own sections."""

import pytest
from django.urls import reverse

from dashboard.context_processors import NAVIGATION, active_page, navigation_for


@pytest.mark.parametrize("name", sorted({name for *_rest, pages in NAVIGATION for name, _label in pages}))
def test_every_navigation_page_exists(name):
    assert reverse(name)


def keys(roles):
    return [s["key"] for s in navigation_for(frozenset(roles))]


def test_sections_by_role():
    assert keys({"employee"}) == ["my-work"]
    assert keys({"employee", "manager"}) == ["my-work", "my-team"]
    assert keys({"employee", "hr"}) == ["my-work", "hr"]
    assert keys({"employee", "manager", "executive"}) == ["my-work", "my-team", "strategy"]
    assert keys({"admin"}) == ["my-work", "hr", "strategy"]


def test_active_page_is_the_longest_match():
    sections = navigation_for(frozenset({"employee", "manager"}))
    section, url = active_page(sections, reverse("org:my-team") + "?page=2", None)
    assert section["key"] == "my-team"
    assert url == reverse("org:my-team")
    section, url = active_page(sections, "/", None)
    assert section["key"] == "my-work"


def test_sub_navigation_is_rendered(client_for, org):
    response = client_for(org.lead).get(reverse("org:my-team"))
    html = response.content.decode()
    assert 'class="subnav"' in html
    assert f'href="{reverse("org:my-team")}" class="active" aria-current="page"' in html


def test_employee_does_not_see_team_or_hr_links(client_for, org):
    html = client_for(org.rep).get(reverse("home")).content.decode()
    assert f'href="{reverse("org:my-team")}"' not in html
    assert f'href="{reverse("org:people")}"' not in html
