"""Every period picker lists years, halves, quarters and months in calendar order:
2026, H1, Q1, Jan, Feb, Mar, Q2, Apr, …, H2, Q3, …, Dec, then the next year."""

import re

import pytest
from django.urls import reverse

from goals.strategy.services import period_ensure_fiscal_year

CALENDAR_2026 = [
    "2026", "2026 H1", "2026 Q1", "2026-01", "2026-02", "2026-03", "2026 Q2", "2026-04", "2026-05",
    "2026-06", "2026 H2", "2026 Q3", "2026-07", "2026-08", "2026-09", "2026 Q4", "2026-10", "2026-11",
    "2026-12",
]  # fmt: skip


@pytest.fixture
def periods(db):
    period_ensure_fiscal_year(year=2027)  # created first, listed last
    return period_ensure_fiscal_year(year=2026)


def options(html: str, name: str = "period") -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select name={name}>"
    return [label.strip("\u2002\u2003 \n") for label in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))]


def test_names_follow_the_fiscal_year_service(periods):
    assert sorted(p.name for p in periods) == sorted(CALENDAR_2026)


@pytest.mark.parametrize("url_name", ["goals:my-objectives", "goals:team-objectives"])
def test_progress_pickers_are_in_calendar_order(client_for, org, periods, url_name):
    html = client_for(org.lead).get(reverse(url_name)).content.decode()

    listed = [label for label in options(html) if label]
    assert listed[: len(CALENDAR_2026)] == CALENDAR_2026
    assert listed[len(CALENDAR_2026)] == "2027"


@pytest.mark.parametrize("url_name", ["goals:cascade", "goals:themes"])
def test_strategy_pickers_are_in_calendar_order_without_months(client_for, org, periods, url_name):
    html = client_for(org.ceo).get(reverse(url_name)).content.decode()

    listed = [label for label in options(html) if label]
    without_months = [name for name in CALENDAR_2026 if not name.startswith("2026-")]
    assert listed[: len(without_months)] == without_months
    assert listed[len(without_months)] == "2027"


def test_objective_form_picker_is_in_calendar_order(client_for, org, periods):
    html = client_for(org.rep).get(reverse("goals:objective-create")).content.decode()

    listed = [re.sub(r" \(\w+\)$", "", label) for label in options(html) if label and not label.startswith("-")]
    assert listed[: len(CALENDAR_2026)] == CALENDAR_2026  # labels read "2026 (Year)", "2026 Q1 (Quarter)" …
