"""On a phone the progress chart (wider than the screen) opens at its latest points, not its oldest."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from goals.models import Objective
from tests.factories import PASSWORD
from tests.goals.factories import KeyResultFactory, MeasurementFactory, ObjectiveFactory, PeriodFactory


def test_the_history_chart_opens_at_its_latest_points_on_a_phone(page, log_in, screenshot, org, transactional_db):
    # given: a key result with a year of progress updates
    year = PeriodFactory()
    objective = ObjectiveFactory(owner_employee=org.rep, period=year, status=Objective.Status.APPROVED)
    kr = KeyResultFactory(objective=objective, target=Decimal("60"))
    for month in range(1, 11):
        MeasurementFactory(
            key_result=kr, value=Decimal(month * 5), as_of=date(2026, month, 28), entered_by=org.rep.user
        )
    # when: its owner opens the history on a 390-pixel screen
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, "rep", PASSWORD)
    page.goto(reverse("goals:key-result-history", args=[kr.pk]))
    wrap = page.locator(".kr-chart-wrap").first
    # then: the chart is wider than the screen and scrolled to its right end
    assert wrap.evaluate("(el) => el.scrollWidth > el.clientWidth")
    assert wrap.evaluate("(el) => Math.abs(el.scrollLeft - (el.scrollWidth - el.clientWidth)) <= 1")
    screenshot(page, "history-phone")
