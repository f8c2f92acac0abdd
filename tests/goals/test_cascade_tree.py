"""The cascade as a reader meets it: collapsed below unit level, a search box, the same columns on
every row, status words once, and no links inside the toggles (axe: nested-interactive); what each
page reads (the first screen, a unit's page, a search) and how the rest loads when opened; the
theme totals."""

import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from goals.models import Objective
from goals.progress.rows import objective_pace
from goals.strategy.cascade import in_period, objective_progress, tree_counts
from goals.strategy.cascade import tree as cascade_tree
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


def aligned(client, objective, period, **params) -> str:
    """What the page loads when the reader opens a row whose aligned objectives were not sent."""
    url = reverse("goals:cascade-children", args=[objective.pk])
    response = client.get(url, {"period": period.pk, **params})
    assert response.status_code == 200
    return response.content.decode()


def ids(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-objective="(\d+)"', html)}


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


# --- what each page reads, and the rest on opening --------------------------------------


@pytest.fixture
def people_below(org, tree):
    """A personal objective beside the unit objectives aligned to Sales', and one aligned to the company's."""
    return {
        "director": ObjectiveFactory(
            owner_employee=org.director, parent=tree["sales"], status=APPROVED, title="销售总监个人目标"
        ),
        "ceo": ObjectiveFactory(owner_employee=org.ceo, parent=tree["company"], status=APPROVED, title="CEO 个人目标"),
    }


def test_the_first_screen_reads_units_two_levels_down_and_no_personal_objectives_below_them(
    client_for, org, tree, year, people_below
):
    client = client_for(org.hr)

    body = cascade(client)

    # company objectives, what is aligned to them, and the unit objectives aligned to the units among those
    assert ids(body) == {tree["company"].pk, tree["sales"].pk, tree["east"].pk, people_below["ceo"].pk}
    assert "销售总监个人目标" not in body
    assert "小王新签客户 60 家" not in body
    # Sales opens on its unit objectives; its personal objective waits, folded, in a row of its own
    assert "hidden" not in children_list(body, tree["sales"])
    rest = re.search(rf'<ul class="cascade-children" id="cascade-rest-{tree["sales"].pk}"[^>]*>', body).group(0)
    assert "hidden" in rest
    url = reverse("goals:cascade-children", args=[tree["sales"].pk])
    assert f'hx-get="{url}?period={year.pk}&amp;level=person"' in rest
    assert "1 personal objective aligned to “销售中心新签客户 300 家”" in body
    assert ids(aligned(client, tree["sales"], year, level="person")) == {people_below["director"].pk}
    assert ids(aligned(client, tree["sales"], year)) == {tree["east"].pk, people_below["director"].pk}
    # East's people: folded, counted, loaded when opened
    assert "Open the objective to see the 2 objectives aligned to it" in body
    assert ids(aligned(client, tree["east"], year)) == {tree["rep"].pk, tree["rep2"].pk}


def test_the_personal_row_counts_only_what_the_reader_may_see(client_for, org, tree, year, people_below):
    body = cascade(client_for(org.rep))  # the director's own objective is not the rep's to see

    assert f'id="cascade-rest-{tree["sales"].pk}"' not in body
    assert ids(body) >= {tree["sales"].pk, tree["east"].pk}


def test_an_unknown_level_loads_everything_aligned(client_for, org, tree, year, people_below):
    loaded = aligned(client_for(org.hr), tree["sales"], year, level="everything")

    assert ids(loaded) == {tree["east"].pk, people_below["director"].pk}


def test_a_units_page_starts_where_the_unit_enters_the_tree(client_for, org, tree, year, people_below):
    loose = ObjectiveFactory(owner_employee=org.rep, title="小王没有对齐的目标")  # aligned to nothing
    client = client_for(org.hr)

    response = client.get(reverse("goals:cascade"), {"unit": org.sales.pk})
    body = response.content.decode()

    # where Sales enters the tree (its objective, a loose end) with the path up and one level below
    assert ids(body) == {tree["company"].pk, tree["sales"].pk, tree["east"].pk, people_below["director"].pk, loose.pk}
    assert f'cascade-context" data-objective="{tree["company"].pk}"' in body  # the path up: context only
    assert "CEO 个人目标" not in body  # the company's, not Sales'
    assert "cascade-rest" not in body
    # deeper levels load when opened, each with its count
    assert "Open the objective to see the 2 objectives aligned to it" in body
    assert ids(aligned(client, tree["east"], year)) == {tree["rep"].pk, tree["rep2"].pk}
    assert '<span class="muted small">5 objectives shown</span>' in body


def test_a_search_shows_its_first_matches_and_says_there_are_more(client_for, org, tree, year, monkeypatch):
    monkeypatch.setattr(cascade_tree, "SEARCH_LIMIT", 2)

    body = cascade(client_for(org.hr), q="新签客户")  # five titles match

    assert "More objectives match than the page shows: these are the first 2." in body
    assert {tree["company"].pk, tree["sales"].pk} <= ids(body)  # company first, then units
    assert tree["rep2"].pk not in ids(body)


def test_a_search_shows_what_is_aligned_to_its_matches_only_when_that_is_little(
    client_for, org, tree, year, monkeypatch
):
    client = client_for(org.hr)
    assert "小王新签客户 60 家" in cascade(client, q="east china")  # East's objective, and its people's below it

    monkeypatch.setattr(cascade_tree, "SEARCH_BELOW", 1)  # East's two are too many
    body = cascade(client, q="east china")

    assert "华东新签客户 160 家" in body
    assert "小王新签客户 60 家" not in body
    assert f'hx-get="{reverse("goals:cascade-children", args=[tree["east"].pk])}?period={year.pk}"' in body


# --- the counts -----------------------------------------------------------------------------


def straightforward_counts(actor, period) -> tuple[int, dict[int, int]]:
    """Every objective the reader may see in the period, and per theme those whose way up (through
    objectives the reader may see in the period) ends at an objective aligned to that theme."""
    visible = {objective.pk: objective for objective in in_period(actor=actor, period=period)}
    totals: Counter[int] = Counter()
    for objective in visible.values():
        top = objective
        while top.parent_id in visible:
            top = visible[top.parent_id]
        if top.parent_id is None and top.theme_id:
            totals[top.theme_id] += 1
    return len(visible), dict(totals)


@pytest.fixture
def two_themes(org, tree, year, people_below):
    """A second theme with a branch of its own, a quarter's objective below a year's, one aligned to
    last year's objective, loose ends and a company objective without a theme."""
    growth = ThemeFactory(owner=org.ceo, period=year, perspective="learning_growth", title="人才成长")
    company = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, theme=growth, status=APPROVED,
        created_by=org.ceo.user, title="关键岗位继任率 80%",
    )  # fmt: skip
    hr_unit = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.hr_unit, parent=company, status=APPROVED,
        created_by=org.hr.user, title="完成继任计划",
    )  # fmt: skip
    ObjectiveFactory(owner_employee=org.hr, parent=hr_unit, status=APPROVED, title="培训 40 人")
    quarter = PeriodFactory(kind="quarter", name="2026 Q1", start=date(2026, 1, 1), end=date(2026, 3, 31), parent=year)
    ObjectiveFactory(owner_employee=org.rep, period=quarter, parent=tree["east"], title="一季度新签客户 15 家")
    last_year = PeriodFactory(name="2025", start=date(2025, 1, 1), end=date(2025, 12, 31))
    old = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, period=last_year, status=APPROVED,
        created_by=org.lead.user, title="去年的部门目标",
    )  # fmt: skip
    ObjectiveFactory(owner_employee=org.rep2, parent=old, title="对齐到去年的目标")
    ObjectiveFactory(owner_employee=org.rep2, title="没有对齐的目标")
    ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, created_by=org.ceo.user,
        title="没有主题的公司目标",
    )  # fmt: skip
    return growth


@pytest.mark.parametrize("who", ["hr", "lead", "rep"])
def test_theme_totals_are_a_straightforward_count(org, tree, year, two_themes, who):
    actor = getattr(org, who).user

    counts = tree_counts(in_period(actor=actor, period=year), year)

    total, by_theme = straightforward_counts(actor, year)
    assert counts.total == total
    assert counts.by_theme == by_theme
    assert by_theme[tree["theme"].pk] >= 4  # (not a count of nothing)


def test_the_first_screen_shows_the_whole_periods_counts(client_for, org, tree, year, two_themes):
    body = cascade(client_for(org.hr))

    total, by_theme = straightforward_counts(org.hr.user, year)
    assert f'<span class="muted small">{total} objectives shown</span>' in body
    for theme, count in ((tree["theme"], by_theme[tree["theme"].pk]), (two_themes, by_theme[two_themes.pk])):
        row = body.split(f'data-theme="{theme.pk}"', 1)[1].split("</div>", 1)[0]
        assert f"{count} objectives" in row


# --- rows written out as the shared partials write them ---------------------------------------


def test_a_rows_score_chip_and_pace_are_the_shared_partials(client_for, org, tree, year):
    Objective.objects.filter(pk=tree["company"].pk).update(score=Decimal("108"))
    KeyResultFactory(
        objective=tree["company"], target=Decimal("300"), current_value=Decimal("90"), last_measured_on=date(2026, 3, 1)
    )
    body = client_for(org.hr).get(reverse("goals:cascade")).content.decode()

    company = Objective.objects.get(pk=tree["company"].pk)
    request = RequestFactory().get(reverse("goals:cascade"))
    chip = render_to_string(
        "goals/score_chip.html",
        {"score": company.score, "url": reverse("goals:score-objective", args=[company.pk]), "period": None,
         "label": "", "compact": True, "cap": year.achievement_cap},
        request=request,
    ).strip()  # fmt: skip
    pace = objective_pace(company, progress=objective_progress(company), today=timezone.localdate())
    badge = render_to_string("goals/_pace.html", {"pace": pace}).strip()
    row = body.split(f'data-objective="{company.pk}"', 1)[1].split("</div>", 1)[0]
    assert "score-chip-over" in chip
    assert chip in row
    assert pace is not None
    assert badge in row
