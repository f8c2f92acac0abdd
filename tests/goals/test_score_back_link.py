"""The score page's back link returns where the reader came from (a same-site path in ?next=,
carried by every score link), never to another site; and the page says how score and progress
differ when it shows both."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from goals.scoring.rollup import recompute_all
from tests.goals.score_fixtures import Cascade, build_cascade


@pytest.fixture
def cascade(org) -> Cascade:
    c = build_cascade(org)
    c.record_all(org)
    recompute_all(period=c.year)
    return c


def back_link(body: str) -> str:
    start = body.index('class="score-back')
    return body[start : body.index("</p>", start)]


def test_a_score_link_carries_the_page_it_is_on(org, client_for, cascade):
    client = client_for(org.lead)
    team_url = f"{reverse('goals:team-objectives')}?period={cascade.year.pk}"

    body = client.get(team_url).content.decode()

    person_url = reverse("goals:score-person", args=[org.rep.pk])
    assert f'href="{person_url}?period={cascade.year.pk}&amp;next={quote(team_url, safe="/")}"' in body


def test_the_back_link_returns_to_the_team_page(org, client_for, cascade):
    team_url = f"{reverse('goals:team-objectives')}?period={cascade.year.pk}"
    score_url = reverse("goals:score-person", args=[org.rep.pk])

    body = client_for(org.lead).get(score_url, {"period": cascade.year.pk, "next": team_url}).content.decode()

    link = back_link(body)
    assert f'href="{team_url}"' in link.replace("&amp;", "&")
    assert "Back to the previous page" in link
    assert f'name="next" value="{team_url}"'.replace("&", "&amp;") in body  # kept when the period changes


def test_without_next_the_back_link_goes_to_the_default(org, client_for, cascade):
    score_url = reverse("goals:score-person", args=[org.rep.pk])

    body = client_for(org.lead).get(score_url, {"period": cascade.year.pk}).content.decode()

    assert f'href="{reverse("org:employee", args=[org.rep.pk])}"' in back_link(body)


@pytest.mark.parametrize(
    "evil",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "evil.example/x", " /x"],
)
def test_the_back_link_never_leaves_the_site(org, client_for, cascade, evil):
    score_url = reverse("goals:score-objective", args=[cascade.unit.pk])

    body = client_for(org.lead).get(score_url, {"next": evil}).content.decode()

    link = back_link(body)
    assert f'href="{reverse("goals:objective-detail", args=[cascade.unit.pk])}"' in link
    assert "evil" not in link
    assert "javascript" not in link


def test_score_and_progress_are_told_apart_when_both_show(org, client_for, cascade):
    body = client_for(org.lead).get(reverse("goals:score-objective", args=[cascade.unit.pk])).content.decode()

    assert 'class="score-vs-progress' in body
    assert "Progress is the same calculation with each key result stopped at its target" in body
