"""Lists in messages use “、” on Chinese pages and “, ” on English ones."""

from decimal import Decimal

import pytest
from django.urls import reverse

from goals.models import Objective
from tests.goals.factories import ObjectiveFactory, PeriodFactory


@pytest.fixture
def vague(org, db):
    return ObjectiveFactory(period=PeriodFactory(), owner_employee=org.rep, title="提高客户满意度", weight=Decimal(100))


def _submit_message(client, objective) -> str:
    response = client.post(reverse("goals:objective-submit", args=[objective.pk]), follow=True)
    return " ".join(str(m) for m in response.context["messages"])


def test_failed_smart_criteria_are_listed_with_the_chinese_comma_on_chinese_pages(org, client_for, vague):
    org.rep.preferred_language = "zh-hans"
    org.rep.save()

    message = _submit_message(client_for(org.rep), vague)

    vague.refresh_from_db()
    assert vague.status == Objective.Status.DRAFT
    assert "SMART 检查未通过：具体、可衡量、" in message
    assert "具体, " not in message


def test_failed_smart_criteria_are_listed_with_commas_on_english_pages(org, client_for, vague):
    org.rep.preferred_language = "en"
    org.rep.save()

    message = _submit_message(client_for(org.rep), vague)

    assert "The SMART check failed: Specific, Measurable, " in message
