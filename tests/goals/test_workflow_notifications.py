"""Workflow notifications name the person who acted, in the reader's language, and never go
to the person who acted."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from goals.models import KeyResult, Objective
from notifications.models import Notification
from tests.goals.factories import ObjectiveFactory, PeriodFactory


@pytest.fixture
def year(db):
    return PeriodFactory()


@pytest.fixture
def team_goal(org, year):
    return ObjectiveFactory(
        period=year, level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.sales,
        created_by=org.director.user, title="销售中心全年新签合同额 3000 万元", status=Objective.Status.APPROVED,
    )  # fmt: skip


def _objective(org, year, team_goal, *, owner, created_by, status=Objective.Status.DRAFT, **kwargs):
    objective = ObjectiveFactory(
        period=year, owner_employee=owner, created_by=created_by, parent=team_goal, status=status,
        title="全年新签客户 60 家", **kwargs,
    )  # fmt: skip
    KeyResult.objects.create(
        objective=objective, title="新签客户数", baseline=Decimal(30), target=Decimal(60), weight=Decimal(100)
    )
    return objective


def post(client_for, who, name, objective, **data):
    response = client_for(who).post(reverse(f"goals:{name}", args=[objective.pk]), data)
    assert response.status_code in (200, 302), response.status_code
    return response


def notes(kind):
    return list(Notification.objects.filter(kind=kind).select_related("recipient"))


def test_submitting_a_unit_objective_names_the_person_not_the_unit(org, year, team_goal, client_for):
    unit_goal = ObjectiveFactory(
        period=year, level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, created_by=org.lead.user,
        parent=team_goal, title="华东销售部回款率 95%",
    )  # fmt: skip
    KeyResult.objects.create(
        objective=unit_goal, title="回款率", baseline=Decimal(90), target=Decimal(95), weight=Decimal(100)
    )

    post(client_for, org.lead, "objective-submit", unit_goal)

    unit_goal.refresh_from_db()
    assert unit_goal.status == Objective.Status.SUBMITTED
    [note] = notes("objective_submitted")
    assert note.actor == org.lead.user
    with translation.override("en"):
        assert note.text.startswith(f"{org.lead.user.english_name} submitted")
        assert "East China sales" not in note.text
    with translation.override("zh-hans"):
        assert org.lead.user.full_name in note.text
        assert "华东销售部 " not in note.text


def test_submit_by_the_owner_names_them_in_each_language(org, year, team_goal, client_for):
    objective = _objective(org, year, team_goal, owner=org.rep, created_by=org.rep.user)

    post(client_for, org.rep, "objective-submit", objective)

    [note] = notes("objective_submitted")
    assert note.recipient == org.lead.user
    with translation.override("en"):
        assert note.text == f"{org.rep.user.english_name} submitted the objective “全年新签客户 60 家” for approval."
    with translation.override("zh-hans"):
        assert note.text.startswith(org.rep.user.full_name)


def test_approver_who_wrote_the_objective_is_not_told_of_their_own_approval(org, year, team_goal, client_for):
    objective = _objective(
        org, year, team_goal, owner=org.rep, created_by=org.lead.user, status=Objective.Status.SUBMITTED
    )

    post(client_for, org.lead, "objective-approve", objective)

    objective.refresh_from_db()
    assert objective.status == Objective.Status.APPROVED
    assert [n.recipient for n in notes("objective_approved")] == [org.rep.user]
    with translation.override("en"):
        assert org.lead.user.english_name in notes("objective_approved")[0].text


def test_return_tells_the_owner_not_the_approver(org, year, team_goal, client_for):
    objective = _objective(
        org, year, team_goal, owner=org.rep, created_by=org.lead.user, status=Objective.Status.SUBMITTED
    )

    post(client_for, org.lead, "objective-return", objective, comment="目标偏低")

    assert [n.recipient for n in notes("objective_returned")] == [org.rep.user]


def test_closing_tells_the_owner_who_closed_it(org, year, team_goal, client_for):
    objective = _objective(org, year, team_goal, owner=org.rep, created_by=org.rep.user, status="approved")

    post(client_for, org.hr, "objective-close", objective)

    objective.refresh_from_db()
    assert objective.status == Objective.Status.CLOSED
    [note] = notes("objective_closed")
    assert note.recipient == org.rep.user
    with translation.override("en"):
        assert note.text == f"{org.hr.user.english_name} closed your objective “全年新签客户 60 家”."
    with translation.override("zh-hans"):
        assert note.text.startswith(org.hr.user.full_name)


def test_cancelling_tells_the_owner_but_not_the_one_who_cancelled(org, year, team_goal, client_for):
    by_manager = _objective(org, year, team_goal, owner=org.rep, created_by=org.rep.user, status="approved")
    own_draft = _objective(org, year, team_goal, owner=org.rep2, created_by=org.rep2.user)

    post(client_for, org.lead, "objective-cancel", by_manager)
    post(client_for, org.rep2, "objective-cancel", own_draft)

    by_manager.refresh_from_db()
    own_draft.refresh_from_db()
    assert by_manager.status == own_draft.status == Objective.Status.CANCELLED
    [note] = notes("objective_cancelled")
    assert note.recipient == org.rep.user
    assert note.actor == org.lead.user
    with translation.override("en"):
        assert note.text.startswith(org.lead.user.english_name)
