"""Rows of columns keep their words inside their boxes: the strategic themes' objective rows (badges,
score, progress and pace) and the cascade's rows with a score above 100."""

from decimal import Decimal

import pytest

from goals.models import Objective
from tests.factories import PASSWORD
from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory, ThemeFactory

SPILLS = """(selector) => [...document.querySelectorAll(selector)]
    .filter((el) => el.scrollWidth > el.clientWidth)
    .map((el) => el.className + ': ' + el.textContent.trim())"""

OVERLAPS = """(meta) => {
    const boxes = [...meta.children].map((el) => el.getBoundingClientRect()).filter((box) => box.width);
    return boxes.slice(1).filter((box, i) => box.top < boxes[i].bottom - 1 && box.left < boxes[i].right - 1).length;
}"""


@pytest.fixture
def strategy(org, transactional_db):
    year = PeriodFactory()
    theme = ThemeFactory(
        owner=org.ceo, period=year, perspective="customer", title="客户第一", title_en="Customers first"
    )
    company = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, theme=theme,
        status=Objective.Status.APPROVED, created_by=org.ceo.user, title="全年新签客户 300 家",
    )  # fmt: skip
    KeyResultFactory(objective=company, target=Decimal("300"), current_value=Decimal("280"))
    Objective.objects.filter(pk=company.pk).update(score=Decimal("108"), progress=Decimal("93.33"))
    return year


def test_theme_rows_keep_badges_and_progress_in_their_boxes(page, log_in, screenshot, org, strategy):
    log_in(page, "ceo", PASSWORD)
    page.goto(f"/goals/themes/?period={strategy.pk}")

    assert (
        page.evaluate(
            SPILLS, ".theme-objectives .badge, .theme-objectives .score-chip, .theme-objectives .cascade-meta > *"
        )
        == []
    )
    assert page.locator(".theme-objectives .cascade-meta").evaluate(OVERLAPS) == 0
    screenshot(page, "themes")


def test_cascade_row_with_a_score_above_100_does_not_spill(page, log_in, screenshot, org, strategy):
    log_in(page, "ceo", PASSWORD)
    page.goto(f"/goals/cascade/?period={strategy.pk}")

    assert page.evaluate(SPILLS, ".cascade-meta > .cascade-col:not(.cascade-owner)") == []
    row = page.locator(".cascade-meta", has=page.locator(".score-chip-over")).first
    assert row.evaluate(OVERLAPS) == 0
    assert "Above 100" in row.locator(".score-chip").get_attribute("title")
    screenshot(page, "cascade")
