"""Score explanation pages and where scores and pace show: the numbers on the page add up, the
pages are as private as what they explain, and they read a fixed number of queries."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.models import Objective
from goals.scoring.rollup import recompute_all
from tests.goals.factories import KeyResultFactory, PeriodFactory
from tests.goals.score_fixtures import Cascade, approved, build_cascade, record, unit_objective

D = Decimal


@pytest.fixture
def cascade(org) -> Cascade:
    c = build_cascade(org)
    c.record_all(org)
    recompute_all(period=c.year)
    return c


class _Table(HTMLParser):
    """The explanation table's body rows and total row, as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.total: list[str] = []
        self._section = ""
        self._in_table = False
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "table" and "score-items" in classes:
            self._in_table = True
        if not self._in_table:
            return
        if tag in ("tbody", "tfoot"):
            self._section = tag
        elif tag == "tr" and self._section:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if not self._in_table:
            return
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            (self.rows if self._section == "tbody" else self.total).extend(
                [self._row] if self._section == "tbody" else self._row
            )
            self._row = None
        elif tag == "table":
            self._in_table = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def explanation_table(response) -> _Table:
    parser = _Table()
    parser.feed(response.content.decode())
    return parser


def big_score(response) -> str:
    match = re.search(r'class="score-big-number" data-score="([^"]+)"', response.content.decode())
    return match.group(1) if match else ""


# --- the four pages ---------------------------------------------------------------------


def test_an_objective_explanation_lists_its_items_and_adds_up(org, client_for, cascade):
    # when: the lead (above rep and rep2) opens the unit objective's score
    response = client_for(org.lead).get(reverse("goals:score-objective", args=[cascade.unit.pk]))
    # then: the score, the formula, each item with weight, value and contribution, a total that is the score
    assert response.status_code == 200
    assert big_score(response) == "55"
    body = response.content.decode()
    assert "50 % × (Σ weight × achievement ÷ Σ weight of the key results)" in body
    table = explanation_table(response)
    assert [row[:4] for row in table.rows] == [
        ["销售中心销售额", "100", "50", "25"],
        ["个人销售额 60 万元", "60", "75", "15"],
        ["个人销售额 60 万元(2)", "50", "50", "8.33"],
        ["试点新渠道", "40", "50", "6.67"],
    ]
    assert sum(D(row[3]) for row in table.rows) == D(55)
    assert table.total[0] == "Total"
    assert table.total[3] == "55"
    assert "= the score, 55" in table.total[4]
    assert f'href="{reverse("goals:key-result-history", args=[cascade.unit_kr.pk])}"' in body
    assert f'href="{reverse("goals:objective-detail", args=[cascade.rep_sales.pk])}"' in body
    assert "50 % of this score comes from the objectives aligned to it" in body


def test_a_person_explanation_counts_counted_objectives_only(org, client_for, cascade):
    response = client_for(org.rep).get(reverse("goals:score-person", args=[org.rep.pk]), {"period": cascade.year.pk})
    assert response.status_code == 200
    assert big_score(response) == "75"
    table = explanation_table(response)
    assert [row[:4] for row in table.rows] == [
        ["个人销售额 60 万元", "60", "75", "75"],
        ["试点新渠道", "0", "50", "left out"],
    ]
    assert table.total[3] == "75"
    body = response.content.decode()
    assert "Σ weight × score ÷ Σ weight (counted objectives, approved or closed)" in body
    assert "Stretch (OKR) objectives are shown but do not count in the score." in body


def test_a_person_explanation_defaults_to_the_current_year(org, client_for, cascade):
    response = client_for(org.rep).get(reverse("goals:score-person", args=[org.rep.pk]))
    assert response.status_code == 200
    assert response.context["period"] == cascade.year
    assert big_score(response) == "75"


def test_a_unit_and_a_theme_explanation(org, client_for, cascade):
    client = client_for(org.rep)
    unit = client.get(reverse("goals:score-unit", args=[org.sales.pk]), {"period": cascade.year.pk})
    theme = client.get(reverse("goals:score-theme", args=[cascade.theme.pk]))
    assert unit.status_code == theme.status_code == 200
    assert big_score(unit) == str(Objective.objects.get(pk=cascade.unit.pk).score.normalize())
    assert [row[0] for row in explanation_table(unit).rows] == ["销售中心销售额 800 万元"]
    company_score = Objective.objects.get(pk=cascade.company.pk).score
    assert big_score(theme) == format(company_score.normalize(), "f")
    assert explanation_table(theme).total[3] == format(company_score.normalize(), "f")


def test_the_objective_page_shows_the_score_and_its_explanation_inline(org, client_for, cascade):
    response = client_for(org.lead).get(reverse("goals:objective-detail", args=[cascade.unit.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    score_url = reverse("goals:score-objective", args=[cascade.unit.pk])
    assert f'href="{score_url}"' in body
    assert "How is this calculated?" in body
    assert explanation_table(response).total[3] == "55"


def test_aligned_objectives_the_reader_may_not_open_are_masked(org, client_for, cascade):
    # rep may open the unit objective (shared) but not rep2's personal objective aligned to it
    response = client_for(org.rep).get(reverse("goals:score-objective", args=[cascade.unit.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "个人销售额 60 万元(2)" not in body
    assert reverse("goals:objective-detail", args=[cascade.rep2_sales.pk]) not in body
    rows = explanation_table(response).rows
    assert rows[2][:4] == ["An objective you may not open", "50", "50", "8.33"]
    assert explanation_table(response).total[3] == "55"  # still adds up


def test_the_trend_chart_is_drawn_from_the_daily_snapshots(org, client_for, cascade):
    url = reverse("goals:score-objective", args=[cascade.rep_sales.pk])
    client = client_for(org.rep)
    response = client.get(url)
    assert [day for day, _score in response.context["history"]] == [timezone.localdate()]  # today's snapshot
    assert 'id="score-trend-chart-title"' in response.content.decode()
    # given: an earlier progress update and that day's snapshot (a backfill)
    earlier = timezone.localdate() - timedelta(days=3)
    if earlier < cascade.year.start:
        pytest.skip("the year has just begun")
    record(cascade.rep_kr, 30, actor=org.rep.user, as_of=earlier)
    recompute_all(period=cascade.year, as_of=earlier)
    # then: the line runs through both days, 50 then 75
    response = client.get(url)
    assert response.context["history"] == [(earlier, D(50)), (timezone.localdate(), D(75))]
    assert "<polyline" in response.content.decode()


def test_without_snapshots_the_page_says_the_trend_starts_later(org, client_for):
    objective = approved(owner_employee=org.rep, period=PeriodFactory())
    response = client_for(org.rep).get(reverse("goals:score-objective", args=[objective.pk]))
    assert response.status_code == 200
    assert "score-trend-chart" not in response.content.decode()
    assert "No score history yet" in response.content.decode()


# --- who may see what -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "whose", "status"),
    [
        ("rep", "rep", 200),  # their own
        ("lead", "rep", 200),  # their manager
        ("director", "rep", 200),  # skip-level
        ("hr", "rep", 200),
        ("ceo", "rep", 200),
        ("admin", "rep", 200),
        ("rep2", "rep", 404),  # a peer
        ("rep", "lead", 404),  # the manager's record is visible, their score is not
        ("other_rep", "rep", 404),
        ("peer_lead", "rep", 404),  # a manager elsewhere
    ],
)
def test_who_may_open_a_person_score(org, client_for, cascade, who, whose, status):
    response = client_for(getattr(org, who)).get(reverse("goals:score-person", args=[getattr(org, whose).pk]))
    assert response.status_code == status


def test_a_hidden_objective_score_is_not_found(org, client_for, cascade):
    response = client_for(org.rep).get(reverse("goals:score-objective", args=[cascade.rep2_sales.pk]))
    assert response.status_code == 404


def test_unknown_subjects_are_not_found(org, client_for, cascade):
    client = client_for(org.rep)
    assert client.get(reverse("goals:score-unit", args=[999999])).status_code == 404
    assert client.get(reverse("goals:score-theme", args=[999999])).status_code == 404
    assert client.get(reverse("goals:score-person", args=[999999])).status_code == 404
    assert client.get(reverse("goals:score-objective", args=[999999])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, org, cascade):
    urls = [
        reverse("goals:score-objective", args=[cascade.unit.pk]),
        reverse("goals:score-person", args=[org.rep.pk]),
        reverse("goals:score-unit", args=[org.sales.pk]),
        reverse("goals:score-theme", args=[cascade.theme.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_employee_record_shows_the_score_only_to_who_may_see_it(org, client_for, cascade):
    url = reverse("org:employee", args=[org.rep.pk])
    score_url = reverse("goals:score-person", args=[org.rep.pk])
    assert score_url in client_for(org.lead).get(url).content.decode()
    # the rep sees their manager's record, not their score
    assert (
        reverse("goals:score-person", args=[org.lead.pk])
        not in client_for(org.rep).get(reverse("org:employee", args=[org.lead.pk])).content.decode()
    )


# --- scores on the goals pages ------------------------------------------------------------


def test_my_objectives_show_my_results_score_and_each_objective_score(org, client_for, cascade):
    response = client_for(org.rep).get(reverse("goals:my-objectives"), {"period": cascade.year.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "My results score for" in body
    assert f'href="{reverse("goals:score-person", args=[org.rep.pk])}?period={cascade.year.pk}&amp;next=' in body
    assert f'href="{reverse("goals:score-objective", args=[cascade.rep_sales.pk])}?next=' in body


def test_my_results_score_without_a_score_yet_says_so(org, client_for, db):
    """A person without a score record (a new manager, nothing approved) reads "No score yet",
    not an empty number and "progress  %"."""
    year = PeriodFactory()

    body = client_for(org.lead).get(reverse("goals:my-objectives"), {"period": year.pk}).content.decode()

    card = body[body.index(f'id="my-score-{year.pk}"') :]
    card = card[: card.index("</section>")]
    assert "No score yet" in card
    assert "progress" not in card


def test_team_objectives_show_each_persons_score(org, client_for, cascade):
    response = client_for(org.lead).get(reverse("goals:team-objectives"), {"period": cascade.year.pk})
    body = response.content.decode()
    for person in (org.rep, org.rep2):
        assert f'href="{reverse("goals:score-person", args=[person.pk])}?period={cascade.year.pk}&amp;next=' in body


def test_the_cascade_shows_theme_objective_and_unit_scores(org, client_for, cascade):
    response = client_for(org.ceo).get(reverse("goals:cascade"), {"period": cascade.year.pk, "unit": org.sales.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("goals:score-theme", args=[cascade.theme.pk])}?next=' in body
    assert f'href="{reverse("goals:score-objective", args=[cascade.company.pk])}?next=' in body
    assert f'href="{reverse("goals:score-unit", args=[org.sales.pk])}?period={cascade.year.pk}&amp;next=' in body


# --- query counts ---------------------------------------------------------------------------


def _grow_objective(objective: Objective, count: int, actor) -> None:
    for n in range(count):
        kr = KeyResultFactory(objective=objective, title=f"KR {n}", weight=D(10))
        record(kr, n + 1, actor=actor)


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_explanation_pages_read_a_fixed_number_of_queries(org, client_for, cascade, django_assert_max_num_queries):
    # given: 5 key results, 5 objectives of the person, of the unit and of the theme
    year = cascade.year
    big = approved(owner_employee=org.rep, period=year, title="Many key results")
    _grow_objective(big, 5, org.rep.user)

    def grow_owners(count: int) -> None:
        for n in range(count):
            approved(owner_employee=org.rep, period=year, title=f"rep {n}", weight=D(1))
            unit_objective(unit=org.sales, author=org.director, period=year, title=f"sales {n}", weight=D(1))
            approved(owner_employee=org.rep, period=year, title=f"theme {n}", theme=cascade.theme, weight=D(1))

    grow_owners(5)
    recompute_all(period=year)
    client = client_for(org.lead)
    pages = [
        (reverse("goals:score-objective", args=[big.pk]), None),
        (reverse("goals:score-person", args=[org.rep.pk]), {"period": year.pk}),
        (reverse("goals:score-unit", args=[org.sales.pk]), {"period": year.pk}),
        (reverse("goals:score-theme", args=[cascade.theme.pk]), None),
        (reverse("goals:objective-detail", args=[big.pk]), None),
    ]
    small = [_queries(client, url, params) for url, params in pages]
    # when: six times as many
    _grow_objective(big, 25, org.rep.user)
    grow_owners(25)
    recompute_all(period=year)
    # then: the same number of queries
    for (url, params), bound in zip(pages, small, strict=True):
        with django_assert_max_num_queries(bound):
            assert client.get(url, params or {}).status_code == 200
    assert len(explanation_table(client.get(pages[0][0])).rows) == 30


# --- pace -----------------------------------------------------------------------------------


def test_pace_badges_show_the_state_and_the_figures_behind_it(org, client_for):
    # given: half of 2025 gone on 2 July; three key results updated that day
    year = PeriodFactory(name="2025", start=date(2025, 1, 1), end=date(2025, 12, 31))
    objective = approved(owner_employee=org.rep, period=year, due_date=None)
    ahead = KeyResultFactory(objective=objective, title="ahead", target=D(100), weight=D(40))
    slipping = KeyResultFactory(objective=objective, title="slipping", target=D(100), weight=D(30))
    behind = KeyResultFactory(objective=objective, title="behind", target=D(100), weight=D(30))
    mid = date(2025, 7, 2)
    for kr, value in ((ahead, 60), (slipping, 45), (behind, 20)):
        record(kr, value, actor=org.rep.user, as_of=mid)
    # when
    response = client_for(org.rep).get(reverse("goals:my-objectives"), {"period": year.pk})
    body = response.content.decode()

    # then: each row carries its own state, with an icon and a word, and the figures in the tooltip
    def row(kr) -> str:
        start = body.index(f'id="kr-{kr.pk}"')
        return body[start : body.index('class="kr-last', start)]

    assert 'data-pace="on_track"' in row(ahead)
    assert "On track" in row(ahead)
    assert "Expected 50 % by" in row(ahead)
    assert "actual 60 %" in row(ahead)
    assert 'data-pace="at_risk"' in row(slipping)
    assert 'data-pace="behind"' in row(behind)
    assert "Behind" in row(behind)
    assert "actual 20 %" in row(behind)
    assert 'class="kr-pace-icon" aria-hidden="true">↓' in row(behind)
    # the objective as a whole: 40×60 + 30×45 + 30×20 = 43.5 % against 50 % → at risk
    header = body[body.index(f'id="objective-{objective.pk}"') : body.index(f'id="kr-{ahead.pk}"')]
    assert 'data-pace="at_risk"' in header


def test_objectives_not_approved_have_no_pace(org, client_for):
    year = PeriodFactory(name="2025", start=date(2025, 1, 1), end=date(2025, 12, 31))
    objective = approved(owner_employee=org.rep, period=year)
    kr = KeyResultFactory(objective=objective, target=D(100))
    record(kr, 10, actor=org.rep.user, as_of=date(2025, 7, 2))
    Objective.objects.filter(pk=objective.pk).update(status=Objective.Status.RETURNED)
    response = client_for(org.rep).get(reverse("goals:my-objectives"), {"period": year.pk})
    assert "data-pace=" not in response.content.decode()
