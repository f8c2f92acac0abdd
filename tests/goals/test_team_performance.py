"""Team pages carry performance: each person's results score, pace and last progress update, and a
prompt to draft objectives for people who have none — on goals' "My team's objectives" and on
org's "My team" list — in a fixed number of queries whatever the team's size."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.scoring.rollup import recompute_all
from tests.factories import EmployeeFactory
from tests.goals.factories import KeyResultFactory
from tests.goals.score_fixtures import approved, record, this_year

MID_YEAR = date(timezone.localdate().year, 7, 2)  # about half the year gone


@pytest.fixture
def year(db):
    return this_year()


def with_progress(owner, year, value, *, as_of=MID_YEAR, title="华东区新签客户 60 家"):
    objective = approved(owner_employee=owner, period=year, title=title)
    kr = KeyResultFactory(objective=objective, baseline=Decimal(0), target=Decimal(100))
    record(kr, value, actor=owner.user, as_of=as_of)
    return objective


def section(body: str, person) -> str:
    """goals' team page: one person's card."""
    start = body.index(f'aria-labelledby="person-{person.pk}"')
    return body[start : body.find('<section class="card team-person"', start + 1)]


def row(body: str, person) -> str:
    """org's my-team list: one person's row."""
    start = body.index(f'href="{reverse("org:employee", args=[person.pk])}"')
    return body[start : body.index("</tr>", start)]


def test_team_objectives_show_score_pace_and_last_update_per_person(client_for, org, year):
    with_progress(org.rep, year, 50)
    recompute_all(period=year)

    body = client_for(org.lead).get(reverse("goals:team-objectives"), {"period": year.pk}).content.decode()

    rep = section(body, org.rep)
    assert 'class="team-person-performance' in rep
    assert 'class="score-chip-value">50<' in rep
    assert 'data-pace="on_track"' in rep
    assert f"Last update {MID_YEAR.isoformat()}" in rep


def test_team_objectives_prompt_for_people_without_objectives(client_for, org, year):
    with_progress(org.rep, year, 50)

    body = client_for(org.lead).get(reverse("goals:team-objectives"), {"period": year.pk}).content.decode()

    rep2 = section(body, org.rep2)
    assert "has no objectives in this period yet" in rep2
    draft = f"{reverse('goals:objective-create')}?level=person&amp;owner_employee={org.rep2.pk}&amp;period={year.pk}"
    assert draft in rep2
    assert "has no objectives in this period yet" not in section(body, org.rep)


def test_the_draft_prompt_opens_the_form_for_that_person(client_for, org, year):
    url = f"{reverse('goals:objective-create')}?level=person&owner_employee={org.rep2.pk}&period={year.pk}"

    body = client_for(org.lead).get(url).content.decode()

    assert f'<option value="{org.rep2.pk}" selected>' in body


def test_my_team_lists_score_pace_and_last_update(client_for, org, year):
    with_progress(org.rep, year, 10)  # far behind at mid-year
    recompute_all(period=year)

    body = client_for(org.lead).get(reverse("org:my-team")).content.decode()

    assert f"Results score {year.name}" in body
    rep = row(body, org.rep)
    assert 'class="score-chip-value">10<' in rep
    assert 'data-pace="behind"' in rep
    assert MID_YEAR.isoformat() in rep
    rep2 = row(body, org.rep2)
    assert "No objectives yet" in rep2
    assert f"owner_employee={org.rep2.pk}" in rep2
    assert "css/goals.css" in body


def test_my_team_shows_no_scores_the_reader_may_not_see(client_for, org, year):
    """The director's list holds people below them only; a peer's page never lists them at all."""
    with_progress(org.rep, year, 50)
    recompute_all(period=year)

    body = client_for(org.peer_lead).get(reverse("org:my-team")).content.decode()

    assert f'href="{reverse("org:employee", args=[org.rep.pk])}"' not in body
    assert 'class="score-chip-value">50<' not in body


def grow_team(org, year, size: int) -> None:
    for i in range(size):
        person = EmployeeFactory(unit=org.east, manager=org.lead)
        if i % 3:
            with_progress(person, year, 20 + i, title=f"目标 {i}")


@pytest.mark.parametrize("url_name", ["goals:team-objectives", "org:my-team"])
def test_team_pages_read_a_fixed_number_of_queries(client_for, org, year, url_name):
    client = client_for(org.lead)
    with_progress(org.rep, year, 50)
    grow_team(org, year, 1)  # with rep and rep2: 3 people
    recompute_all(period=year)
    with CaptureQueriesContext(connection) as three:
        assert client.get(reverse(url_name)).status_code == 200

    grow_team(org, year, 17)  # 20 people
    recompute_all(period=year)
    with CaptureQueriesContext(connection) as twenty:
        body = client.get(reverse(url_name)).content.decode()

    assert body.count("data-pace=") >= 11
    assert len(twenty) == len(three)
