"""A score above 100 in a row of columns (the cascade, the themes' rows, team pages) gives its reason
in the chip's tooltip and spoken text: a sentence beside the chip spilled over the next columns."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import Objective, ScoreKind, ScoreRecord
from tests.goals.factories import ObjectiveFactory, PeriodFactory, ThemeFactory

OVER = "Above 100: results beyond their targets count"


@pytest.fixture
def year(db):
    return PeriodFactory()


@pytest.fixture
def over_100(org, year):
    theme = ThemeFactory(
        owner=org.ceo, period=year, perspective="customer", title="客户第一", title_en="Customers first"
    )
    company = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, theme=theme,
        status=Objective.Status.APPROVED, created_by=org.ceo.user, title="全年新签客户 300 家",
    )  # fmt: skip
    Objective.objects.filter(pk=company.pk).update(score=Decimal("108"))
    rep = ObjectiveFactory(owner_employee=org.rep, status=Objective.Status.APPROVED, title="小王新签客户 60 家")
    Objective.objects.filter(pk=rep.pk).update(score=Decimal("112"))
    return company


def chip_and_after(body: str, pk: int) -> tuple[str, str]:
    start = body.index(f'href="{reverse("goals:score-objective", args=[pk])}')
    end = body.index("</a>", start)
    return body[body.rindex("<a ", 0, start) : end], body[end : end + 200]


@pytest.mark.parametrize("page", ["goals:cascade", "goals:themes"])
def test_a_row_says_why_in_the_tooltip_not_beside_the_chip(client_for, org, year, over_100, page):
    body = client_for(org.ceo).get(reverse(page), {"period": year.pk}).content.decode()

    chip, after = chip_and_after(body, over_100.pk)
    assert ">108</strong>" in chip
    assert OVER in chip  # title and spoken text
    assert "up to the achievement cap of 120." in chip
    assert "score-over" not in after


def test_team_cards_say_why_in_the_tooltip(client_for, org, year, over_100):
    rep = Objective.objects.get(owner_employee=org.rep)
    ScoreRecord.objects.create(
        kind=ScoreKind.PERSON, subject_id=org.rep.pk, period=year, score=Decimal("112"), computed_at=timezone.now()
    )
    body = client_for(org.lead).get(reverse("goals:team-objectives"), {"period": year.pk}).content.decode()

    chip, after = chip_and_after(body, rep.pk)
    assert OVER in chip
    assert "score-over" not in after
    assert "score-over" not in body  # the person's results score too
