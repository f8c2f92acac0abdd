"""The cascade as a reader meets it: collapsed below unit level, a search box, the same columns on
every row, status words once, and no links inside the toggles (axe: nested-interactive)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from goals.models import Objective
from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory, ThemeFactory

APPROVED = Objective.Status.APPROVED


@pytest.fixture
def year(db):
    return PeriodFactory()


@pytest.fixture
def tree(org, year):
    theme = ThemeFactory(
        owner=org.ceo, period=year, perspective="customer", title="客户第一", title_en="Customers first"
    )
    company = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, theme=theme, status=APPROVED,
        created_by=org.ceo.user, title="全年新签客户 300 家",
    )  # fmt: skip
    sales = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.sales, parent=company, status=APPROVED,
        created_by=org.director.user, title="销售中心新签客户 300 家",
    )  # fmt: skip
    east = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, parent=sales, status=APPROVED,
        created_by=org.lead.user, title="华东新签客户 160 家",
    )  # fmt: skip
    rep = ObjectiveFactory(owner_employee=org.rep, parent=east, status=APPROVED, title="小王新签客户 60 家")
    KeyResultFactory(objective=rep, target=Decimal("60"), current_value=Decimal("30"))
    rep2 = ObjectiveFactory(
        owner_employee=org.rep2, parent=east, status=Objective.Status.SUBMITTED, title="小李新签客户 40 家",
        track=Objective.Track.OKR,
    )  # fmt: skip
    return {"theme": theme, "company": company, "sales": sales, "east": east, "rep": rep, "rep2": rep2}


def cascade(client, **params) -> str:
    response = client.get(reverse("goals:cascade"), params)
    assert response.status_code == 200
    body = response.content.decode()
    return body.split('id="tree-heading"', 1)[1]


def aligned(client, objective, period) -> str:
    """What the page loads when the reader opens a row whose aligned objectives were not sent."""
    response = client.get(reverse("goals:cascade-children", args=[objective.pk]), {"period": period.pk})
    assert response.status_code == 200
    return response.content.decode()


def children_list(body: str, objective) -> str:
    """The opening tag of the list of what is aligned to this objective."""
    match = re.search(rf'<ul class="cascade-children" id="cascade-objective-{objective.pk}"[^>]*>', body)
    assert match, f"no children list for {objective}"
    return match.group(0)


def test_the_tree_starts_collapsed_below_unit_level(client_for, org, tree, year):
    body = cascade(client_for(org.hr))

    assert "hidden" not in children_list(body, tree["company"])  # company → units: open
    assert "hidden" not in children_list(body, tree["sales"])  # a unit with unit objectives below: open
    assert "hidden" in children_list(body, tree["east"])  # a unit's personal objectives: folded
    assert f'aria-expanded="false" aria-controls="cascade-objective-{tree["east"].pk}"' in body
    # folded and not sent with the page: opening the row loads them (without JavaScript, a link
    # to the objective, whose page lists them)
    assert "小王新签客户 60 家" not in body
    url = reverse("goals:cascade-children", args=[tree["east"].pk])
    assert f'hx-get="{url}?period={year.pk}"' in children_list(body, tree["east"])
    assert reverse("goals:objective-detail", args=[tree["east"].pk]) in body
    assert '<span class="muted small">5 objectives shown</span>' in body  # all of them, not only those sent
    loaded = aligned(client_for(org.hr), tree["east"], year)
    assert "小王新签客户 60 家" in loaded
    assert "小李新签客户 40 家" in loaded


def test_no_link_sits_inside_a_toggle(client_for, org, tree):
    body = cascade(client_for(org.hr))

    assert "<summary" not in body
    for button in re.findall(r'<button type="button" class="cascade-toggle".*?</button>', body, re.S):
        assert "<a " not in button
        controlled = re.search(r'aria-controls="([^"]+)"', button).group(1)
        assert f'id="{controlled}"' in body
        assert re.search(r'<span class="visually-hidden">\d+ items? aligned to “', button)


def test_search_keeps_matching_branches_open_with_their_context(client_for, org, tree):
    body = cascade(client_for(org.hr), q=org.rep.user.full_name)

    assert "小王新签客户 60 家" in body
    assert "华东新签客户 160 家" in body  # the path down to it, for context
    assert "小李新签客户 40 家" not in body
    assert "hidden" not in children_list(body, tree["east"])
    assert "Showing what matches" in body


def test_search_finds_titles_units_and_themes_in_either_language(client_for, org, tree):
    client = client_for(org.hr)

    assert "小李新签客户 40 家" in cascade(client, q="小李")
    assert "华东新签客户 160 家" in cascade(client, q="east china")  # the unit's English name
    # the theme's English title: the theme with what is aligned to it, the rest loads when opened
    by_theme = cascade(client, q="customers FIRST")
    assert "全年新签客户 300 家" in by_theme
    assert "销售中心新签客户 300 家" not in by_theme
    assert f'hx-get="{reverse("goals:cascade-children", args=[tree["company"].pk])}' in by_theme


def test_search_without_a_match_says_so(client_for, org, tree):
    body = cascade(client_for(org.hr), q="没有这个词")

    assert "Nothing matches" in body
    assert "data-objective=" not in body


def test_status_and_track_words_appear_once(client_for, org, tree, year):
    body = cascade(client_for(org.hr)) + aligned(client_for(org.hr), tree["east"], year)

    assert "Approved (active)" not in body  # the usual status is said once, in the key
    assert "Counted (KPI)" not in body.split('class="cascade-key', 1)[1].split("</p>", 1)[1]
    rep2_row = body.split(f'data-objective="{tree["rep2"].pk}"', 1)[1].split("</li>", 1)[0]
    assert "Submitted" in rep2_row
    assert "Stretch (OKR)" in rep2_row


def test_every_objective_row_has_the_same_columns(client_for, org, tree, year):
    body = cascade(client_for(org.hr)) + aligned(client_for(org.hr), tree["east"], year)

    columns = ["owner", "status", "track", "score", "weight", "progress"]
    rows = [m for m in re.findall(r'<div class="cascade-row(.*?)</div>', body, re.S) if "cascade-weight" in m]
    assert len(rows) == 5
    for row in rows:
        assert [c for c in columns if f"cascade-col cascade-{c}" in row] == columns


def test_opening_a_row_loads_only_what_the_reader_may_see(client_for, org, tree, year):
    peer = aligned(client_for(org.rep2), tree["east"], year)  # a colleague: their own, not rep's
    assert "小李新签客户 40 家" in peer
    assert "小王新签客户 60 家" not in peer
    assert aligned(client_for(org.lead), tree["east"], year).count("data-objective=") == 2  # their manager: both

    hidden = client_for(org.rep2).get(reverse("goals:cascade-children", args=[tree["rep"].pk]), {"period": year.pk})
    assert hidden.status_code == 404  # rep's own objective is not the colleague's to open


def test_a_deeper_row_loads_with_its_own_count_and_a_toggle_of_its_own(client_for, org, tree, year):
    below_rep = ObjectiveFactory(owner_employee=org.rep, parent=tree["rep"], status=APPROVED, title="拜访 200 家客户")
    client = client_for(org.hr)

    loaded = aligned(client, tree["east"], year)

    assert below_rep.title not in loaded
    assert f'hx-get="{reverse("goals:cascade-children", args=[tree["rep"].pk])}?period={year.pk}"' in loaded
    assert below_rep.title in aligned(client, tree["rep"], year)


@pytest.mark.parametrize("people", [2, 12])
def test_the_first_screen_reads_the_same_queries_however_deep_the_tree(
    client_for, org, tree, year, people, django_assert_num_queries
):
    for i in range(people):
        person = ObjectiveFactory(owner_employee=org.rep, parent=tree["east"], status=APPROVED, title=f"目标 {i}")
        KeyResultFactory(objective=person)
    client = client_for(org.hr)
    client.get(reverse("goals:cascade"))

    with django_assert_num_queries(13):  # the same at 2 and 12: nothing is read per objective
        body = cascade(client)

    assert "目标 1" not in body  # personal objectives below a second-level unit: loaded when opened
