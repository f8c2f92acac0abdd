"""The period a page shows when none is asked for — the current fiscal year, else the latest year,
else the latest period — is one function (period_default), and a bad ?period= never errors: the
download answers 404, the API 400, the score page falls back to the default."""

from datetime import date

import pytest
from django.urls import reverse

from core.pickers import MAX_ID
from goals.models import Period
from goals.strategy.selectors import period_default, period_list
from tests.goals.factories import PeriodFactory

TODAY = date(2026, 5, 20)
BAD_IDS = ["-1", "0", "1.5", "abc", str(MAX_ID + 1), "9" * 40]


def year(y: int) -> Period:
    return PeriodFactory(kind=Period.Kind.YEAR, name=str(y), start=date(y, 1, 1), end=date(y, 12, 31))


def quarter(y: int, q: int) -> Period:
    start = date(y, 3 * q - 2, 1)
    end = date(y, 3 * q + 1, 1) if q < 4 else date(y + 1, 1, 1)
    return PeriodFactory(
        kind=Period.Kind.QUARTER, name=f"{y} Q{q}", start=start, end=end.fromordinal(end.toordinal() - 1)
    )


def both_ways(django_assert_num_queries) -> Period | None:
    """period_default from the database (one query) and among loaded periods (none), which agree."""
    periods = list(period_list())
    with django_assert_num_queries(1):
        from_db = period_default(today=TODAY)
    with django_assert_num_queries(0):
        loaded = period_default(periods=reversed(periods), today=TODAY)
    assert from_db == loaded
    return from_db


@pytest.mark.django_db
def test_the_current_fiscal_year_first(django_assert_num_queries):
    year(2025), quarter(2026, 2), year(2027)
    current = year(2026)
    assert both_ways(django_assert_num_queries) == current


@pytest.mark.django_db
def test_else_the_latest_year(django_assert_num_queries):
    year(2024)
    latest = year(2025)
    quarter(2026, 2)  # current, but not a year
    assert both_ways(django_assert_num_queries) == latest


@pytest.mark.django_db
def test_else_the_latest_period_and_none_without_periods(django_assert_num_queries):
    assert both_ways(django_assert_num_queries) is None
    quarter(2026, 1)
    latest = quarter(2026, 3)
    assert both_ways(django_assert_num_queries) == latest


@pytest.mark.django_db
def test_without_today_it_is_the_servers_date():
    current = year(date.today().year)  # noqa: DTZ011
    year(date.today().year + 1)  # noqa: DTZ011
    assert period_default() == current
    assert period_default(periods=period_list()) == current


# --- what the views do with a bad ?period= ------------------------------------------------


@pytest.mark.parametrize("bad", BAD_IDS)
def test_the_progress_template_answers_404_for_a_bad_period(org, client_for, bad):
    year(2026)
    assert client_for(org.rep).get(reverse("goals:progress-template"), {"period": bad}).status_code == 404


def test_the_progress_template_without_a_period_is_the_default_one(org, client_for):
    year(2026)
    assert client_for(org.rep).get(reverse("goals:progress-template")).status_code == 200


@pytest.mark.parametrize("bad", BAD_IDS)
def test_the_score_api_answers_400_for_a_bad_period(org, api_for, bad):
    year(2026)
    response = api_for(org.rep).get(f"/api/v1/goals/scores/person/{org.rep.pk}/", {"period": bad})
    assert response.status_code == 400
    assert "period" in response.json()["errors"]


def test_the_score_api_without_a_period_uses_the_default_and_404_without_any(org, api_for):
    url = f"/api/v1/goals/scores/person/{org.rep.pk}/"
    assert api_for(org.rep).get(url).status_code == 404
    latest = year(date.today().year - 1)  # noqa: DTZ011 (no current year: the latest one)
    assert api_for(org.rep).get(url).json()["period"] == latest.pk


@pytest.mark.parametrize("bad", BAD_IDS)
def test_the_score_page_falls_back_to_the_default_for_a_bad_period(org, client_for, bad):
    current = year(date.today().year)  # noqa: DTZ011
    response = client_for(org.rep).get(reverse("goals:score-person", args=[org.rep.pk]), {"period": bad})
    assert response.status_code == 200
    assert response.context["period"] == current
