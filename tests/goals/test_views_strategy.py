"""The cascade and strategic themes pages through real URLs: tree, flags, visibility, filters, denials, queries."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Objective, StrategicTheme
from tests.factories import EmployeeFactory, OrgUnitFactory
from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory, ThemeFactory

APPROVED = Objective.Status.APPROVED


def shown(response) -> list[int]:
    """Objective ids in the cascade, in page order."""
    return [int(pk) for pk in re.findall(r'data-objective="(\d+)"', response.content.decode())]


def opened(client, objective, period) -> list[int]:
    """The objectives a cascade row loads when the reader opens it."""
    return shown(client.get(reverse("goals:cascade-children", args=[objective.pk]), {"period": period.pk}))


def section(response, start: str, end: str | None = None) -> str:
    body = response.content.decode()
    part = body.split(start, 1)[1] if start in body else ""
    return part.split(end, 1)[0] if end and end in part else part


def unit_objective(unit, parent, author, **kwargs):
    return ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=unit, parent=parent, created_by=author.user,
        status=APPROVED, **kwargs,
    )  # fmt: skip


@pytest.fixture
def year(db):
    return PeriodFactory()


@pytest.fixture
def tree(org, year):
    """Theme → company → East / South unit objectives → personal ones; plus two loose ends."""
    theme = ThemeFactory(
        owner=org.ceo, period=year, perspective="customer", title="客户第一", title_en="Customers first"
    )
    company = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, theme=theme, status=APPROVED,
        created_by=org.ceo.user, title="全年新签客户 300 家", weight=Decimal("40"),
    )  # fmt: skip
    KeyResultFactory(objective=company, baseline=Decimal("0"), target=Decimal("300"), current_value=Decimal("150"))
    east = unit_objective(org.east, company, org.lead, title="华东新签客户 160 家")
    south = unit_objective(org.south, company, org.peer_lead, title="华南新签客户 140 家")
    rep = ObjectiveFactory(owner_employee=org.rep, parent=east, status=APPROVED, title="小王新签客户 60 家")
    KeyResultFactory(objective=rep, weight=Decimal("50"), target=Decimal("60"), current_value=Decimal("30"))
    KeyResultFactory(objective=rep, weight=Decimal("50"), target=Decimal("10"), current_value=Decimal("10"))
    other = ObjectiveFactory(owner_employee=org.other_rep, parent=south, status=APPROVED, title="华南个人目标 40 家")
    loose = ObjectiveFactory(owner_employee=org.rep2, title="提高客户满意度")  # aligned to nothing
    company_loose = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, created_by=org.ceo.user,
        title="公司没有主题的目标 10 项",
    )  # fmt: skip
    return {
        "theme": theme, "company": company, "east": east, "south": south, "rep": rep, "other": other,
        "loose": loose, "company_loose": company_loose,
    }  # fmt: skip


# --- the tree ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, db):
    for name in ("goals:cascade", "goals:themes", "goals:theme-create"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_cascade_shows_the_tree_from_theme_to_personal_objectives(client_for, org, tree):
    client = client_for(org.hr)
    response = client.get(reverse("goals:cascade"))
    assert response.status_code == 200
    tree_part = section(response, 'id="tree-heading"')
    body = response.content.decode()
    # theme first, then company, then the units (nested in that order)
    assert (
        tree_part.index("Customers first")
        < tree_part.index("全年新签客户 300 家")
        < tree_part.index("华东新签客户 160 家")
    )
    company_node = re.search(
        rf'<ul class="cascade-children" id="cascade-objective-{tree["company"].pk}"(.*?)</ul>\s*</li>\s*</ul>\s*</li>',
        tree_part,
        re.S,
    )
    assert company_node is not None
    assert "华东新签客户 160 家" in company_node.group(1)
    assert "华南新签客户 140 家" in company_node.group(1)
    # the people below the units start folded: not sent with the page, loaded when a unit's row is opened
    assert "小王新签客户 60 家" not in body
    assert "华南个人目标 40 家" not in body
    aligned_to_east = client.get(
        reverse("goals:cascade-children", args=[tree["east"].pk]), {"period": tree["east"].period_id}
    )
    assert shown(aligned_to_east) == [tree["rep"].pk]
    assert "小王新签客户 60 家" in aligned_to_east.content.decode()
    # progress = weighted mean of key results: company 150/300 = 50 %; rep (50 % × 50 + 100 % × 50) = 75 %
    assert 'aria-valuenow="50"' in body
    assert 'aria-valuenow="75"' in aligned_to_east.content.decode()
    # owner, weight, perspective; status and track words once, in the key above the tree
    assert "Xinghe Technology" in body or "星河科技" in body
    assert "Approved (active)" not in tree_part
    assert "Counted (KPI)" not in tree_part
    assert "Objectives are approved and counted (KPI) unless their row shows another status" in body
    assert "Weight 40%" in body
    assert "cascade-perspective-customer" in body
    assert f'aria-expanded="true" aria-controls="cascade-objective-{tree["company"].pk}"' in body
    assert 'data-tree="close"' in body


def test_unaligned_objectives_are_flagged_at_the_top(client_for, org, tree):
    response = client_for(org.hr).get(reverse("goals:cascade"))
    flagged = section(response, 'id="unaligned-heading"', 'id="tree-heading"')
    assert "2 objectives are not aligned" in flagged
    assert {int(pk) for pk in re.findall(r'data-objective="(\d+)"', flagged)} == {
        tree["loose"].pk,
        tree["company_loose"].pk,
    }
    assert "Not aligned" in flagged
    assert "badge-warning" in flagged
    # and they are not repeated in the tree
    assert str(tree["loose"].title) not in section(response, 'id="tree-heading"')


def test_a_rep_sees_shared_objectives_and_their_own_not_another_teams(client_for, org, tree):
    client = client_for(org.rep)
    response = client.get(reverse("goals:cascade"))
    ids = set(shown(response))
    assert {tree["company"].pk, tree["east"].pk, tree["south"].pk} <= ids
    assert tree["loose"].pk not in ids  # a teammate's personal objective
    assert opened(client, tree["east"], tree["east"].period) == [tree["rep"].pk]  # their own, below their unit's
    assert opened(client, tree["south"], tree["south"].period) == []  # another team's personal objective
    assert f'data-objective="{tree["south"].pk}"' in response.content.decode()
    south_row = section(response, f'data-objective="{tree["south"].pk}"', "</li>")
    assert "hx-get" not in south_row  # nothing the rep may see is aligned to it: no row to open


def test_a_manager_sees_their_reports_objectives(client_for, org, tree):
    client = client_for(org.lead)
    ids = set(shown(client.get(reverse("goals:cascade"))))
    assert tree["loose"].pk in ids
    assert opened(client, tree["east"], tree["east"].period) == [tree["rep"].pk]
    assert opened(client, tree["south"], tree["south"].period) == []


def test_unit_filter_keeps_the_units_branches_and_their_ancestors(client_for, org, tree):
    response = client_for(org.hr).get(reverse("goals:cascade"), {"unit": org.east.pk})
    ids = set(shown(response))
    # where East enters the tree (its objective, its loose end) with the path up to it and one level
    # below; nothing of South's, nor the company's loose end
    assert ids == {tree["company"].pk, tree["east"].pk, tree["rep"].pk, tree["loose"].pk}
    assert "Customers first" in response.content.decode()
    # the company objective is there for context only
    assert re.search(rf'cascade-context" data-objective="{tree["company"].pk}"', response.content.decode())


def test_unit_filter_includes_units_below(client_for, org, tree):
    client = client_for(org.hr)
    ids = set(shown(client.get(reverse("goals:cascade"), {"unit": org.sales.pk})))
    assert {tree["east"].pk, tree["south"].pk} <= ids
    assert opened(client, tree["east"], tree["east"].period) == [tree["rep"].pk]
    assert opened(client, tree["south"], tree["south"].period) == [tree["other"].pk]
    assert tree["company_loose"].pk not in ids  # owned by the company, not by Sales


def test_period_filter(client_for, org, tree):
    last_year = PeriodFactory(name="2025", start=date(2025, 1, 1), end=date(2025, 12, 31))
    old = ObjectiveFactory(owner_employee=org.rep, period=last_year, title="去年的目标 5 项")
    client = client_for(org.hr)
    assert old.pk not in shown(client.get(reverse("goals:cascade")))
    response = client.get(reverse("goals:cascade"), {"period": last_year.pk})
    assert shown(response) == [old.pk]
    assert tree["company"].pk not in shown(response)


def test_an_unknown_period_or_unit_falls_back_to_the_whole_current_year(client_for, org, tree):
    response = client_for(org.hr).get(reverse("goals:cascade"), {"period": 999, "unit": 999})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"period", "unit"}
    assert {tree["east"].pk, tree["south"].pk, tree["company_loose"].pk} <= set(shown(response))


def test_quarter_objective_aligned_to_a_yearly_one_is_listed_apart(client_for, org, tree, year):
    quarter = PeriodFactory(kind="quarter", name="2026 Q1", start=date(2026, 1, 1), end=date(2026, 3, 31), parent=year)
    q1 = ObjectiveFactory(owner_employee=org.rep, period=quarter, parent=tree["east"], title="一季度新签客户 15 家")
    response = client_for(org.rep).get(reverse("goals:cascade"), {"period": quarter.pk})
    assert shown(response) == [q1.pk]
    assert "Aligned to: 华东新签客户 160 家" in section(response, 'id="elsewhere-heading"')
    # in the year, the quarter's objective sits under its parent (loaded when the parent is opened)
    assert q1.pk not in shown(client_for(org.rep).get(reverse("goals:cascade")))
    assert opened(client_for(org.rep), tree["east"], year) == [tree["rep"].pk, q1.pk]


def _grow(org, year, theme, units: int):
    """A bigger tree: `units` unit objectives under a new company objective, each with people and key results."""
    company = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, theme=theme, status=APPROVED,
        created_by=org.ceo.user,
    )  # fmt: skip
    for _ in range(units):
        unit = OrgUnitFactory(parent=org.east)
        team = unit_objective(unit, company, org.lead)
        KeyResultFactory(objective=team, current_value=Decimal("5"))
        for _ in range(2):
            person = EmployeeFactory(unit=unit, manager=org.lead)
            mine = ObjectiveFactory(owner_employee=person, parent=team, status=APPROVED)
            KeyResultFactory(objective=mine, current_value=Decimal("7"))
            KeyResultFactory(objective=mine, direction="milestones", target=None)


@pytest.mark.parametrize("who", ["hr", "lead", "rep"])
def test_cascade_query_count_does_not_grow(client_for, org, tree, year, django_assert_max_num_queries, who):
    client = client_for(getattr(org, who))
    client.get(reverse("goals:cascade"))  # warm the session
    _grow(org, year, tree["theme"], 1)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("goals:cascade"), {"unit": org.east.pk})
    # nav (session, user, employee, reports, unread) + units + periods + themes + the ids the page
    # reads + objectives + key results + milestones + theme and unit scores
    assert len(small) <= 14
    _grow(org, year, tree["theme"], 12)
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("goals:cascade"), {"unit": org.east.pk})
    assert response.status_code == 200
    assert len(shown(response)) >= 13


def _grow_deep(org, year, theme, units: int):
    """A company objective with `units` unit objectives, each with a unit objective below it and
    people's objectives (with key results) beside and below that: every level the first screen reads
    and every one it leaves to be opened."""
    company = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, theme=theme, status=APPROVED,
        created_by=org.ceo.user, title="增长的公司目标",
    )  # fmt: skip
    for n in range(units):
        division = OrgUnitFactory(parent=org.sales)
        team = OrgUnitFactory(parent=division)
        above = unit_objective(division, company, org.director, title=f"事业部目标 {n}")
        below = unit_objective(team, above, org.lead, title=f"团队目标 {n}")
        for parent, unit in ((above, division), (below, team)):
            mine = ObjectiveFactory(owner_employee=EmployeeFactory(unit=unit, manager=org.lead), parent=parent)
            KeyResultFactory(objective=mine, current_value=Decimal("7"))
        KeyResultFactory(objective=below, current_value=Decimal("5"))
    return company


@pytest.mark.parametrize("who", ["hr", "lead", "rep"])
def test_every_cascade_read_counts_the_same_queries_however_big_the_tree(
    client_for, org, tree, year, django_assert_max_num_queries, who
):
    client = client_for(getattr(org, who))
    client.get(reverse("goals:cascade"))  # warm the session
    company = _grow_deep(org, year, tree["theme"], 1)
    reads = {
        "first screen": (reverse("goals:cascade"), {}),
        "a unit": (reverse("goals:cascade"), {"unit": org.sales.pk}),
        "a search": (reverse("goals:cascade"), {"q": "目标"}),
        "opened": (reverse("goals:cascade-children", args=[company.pk]), {"period": year.pk}),
        "personal": (
            reverse("goals:cascade-children", args=[tree["east"].pk]),
            {"period": year.pk, "level": Objective.Level.PERSON},
        ),
    }
    small = {}
    for name, (url, params) in reads.items():
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        small[name] = len(queries)
    assert max(small.values()) <= 15
    _grow_deep(org, year, tree["theme"], 12)
    for name, (url, params) in reads.items():
        with django_assert_max_num_queries(small[name]):
            response = client.get(url, params)
        assert response.status_code == 200, name
    assert len(shown(client.get(reverse("goals:cascade"), {"unit": org.sales.pk}))) >= 13


# --- themes -------------------------------------------------------------------------------


def test_themes_are_listed_by_perspective_with_their_company_objectives(client_for, org, tree, year):
    ThemeFactory(owner=org.ceo, period=year, perspective="financial", title="利润", title_en="Profit")
    response = client_for(org.rep).get(reverse("goals:themes"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Profit") < body.index("Customers first")  # financial before customer
    assert "全年新签客户 300 家" in body
    assert 'aria-valuenow="50"' in body
    assert reverse("goals:theme-create") not in body  # reading, not managing


@pytest.mark.parametrize("who", ["rep", "lead", "hr"])
def test_theme_create_and_edit_are_403_for_non_executives(client_for, org, tree, who):
    client = client_for(getattr(org, who))
    assert client.get(reverse("goals:theme-create")).status_code == 403
    assert client.post(reverse("goals:theme-create"), {"title": "x"}).status_code == 403
    edit = reverse("goals:theme-edit", args=[tree["theme"].pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"title": "x"}).status_code == 403
    assert StrategicTheme.objects.count() == 1


def test_an_executive_creates_a_theme(client_for, org, year):
    client = client_for(org.ceo)
    form = client.get(reverse("goals:theme-create"))
    assert form.status_code == 200
    assert form.context["form"].initial["owner"] == org.ceo.pk
    response = client.post(
        reverse("goals:theme-create"),
        {
            "title": "人才梯队建设", "title_en": "Build the talent bench", "description": "",
            "perspective": "learning_growth", "owner": org.ceo.pk, "period": year.pk,
        },
    )  # fmt: skip
    assert response.status_code == 302
    theme = StrategicTheme.objects.get()
    assert (theme.title_en, theme.perspective, theme.owner, theme.period) == (
        "Build the talent bench",
        "learning_growth",
        org.ceo,
        year,
    )
    page = client.get(response["Location"])
    assert "Build the talent bench" in page.content.decode()
    assert "is saved" in page.content.decode()


def test_theme_form_errors_keep_what_was_typed(client_for, org, year):
    response = client_for(org.ceo).post(
        reverse("goals:theme-create"),
        {"title": "", "title_en": "Typed title", "perspective": "customer", "owner": org.rep.pk, "period": year.pk},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"title", "owner"}  # the owner must be an executive
    assert 'value="Typed title"' in response.content.decode()
    assert not StrategicTheme.objects.exists()


def test_an_executive_edits_a_theme_and_it_is_in_history(client_for, org, tree, year):
    theme = tree["theme"]
    response = client_for(org.ceo).post(
        reverse("goals:theme-edit", args=[theme.pk]),
        {"title": theme.title, "title_en": "Customers come first", "description": "Why", "perspective": "customer",
         "owner": org.ceo.pk, "period": year.pk},
    )  # fmt: skip
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.title_en == "Customers come first"
    assert theme.history.count() == 2


def test_theme_edit_of_an_unknown_theme_is_404(client_for, org, db):
    assert client_for(org.ceo).get(reverse("goals:theme-edit", args=[999])).status_code == 404


@pytest.mark.parametrize("extra", [1, 30])
def test_themes_query_count_does_not_grow(client_for, org, tree, year, django_assert_max_num_queries, extra):
    for i in range(extra):
        theme = ThemeFactory(owner=org.ceo, period=year, perspective=["financial", "customer"][i % 2])
        company = ObjectiveFactory(
            level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, theme=theme,
            created_by=org.ceo.user,
        )  # fmt: skip
        KeyResultFactory(objective=company, current_value=Decimal("3"))
    client = client_for(org.rep)
    client.get(reverse("goals:themes"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("goals:themes"))
    assert response.status_code == 200
