"""Who an objective goes to for approval: the owner's own manager (the author's for a unit
objective), the next active manager up while that post is held by someone inactive, and HR
(personal) or executives (unit, company) when nobody is above — the same answer in the
queue, the objective page, the API and the notification. A skip-level manager no longer acts."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from goals.models import Objective
from goals.objectives.services import objective_create
from goals.progress.services.measurements import key_result_create
from notifications.models import Notification
from tests.goals.factories import ObjectiveFactory, PeriodFactory


@pytest.fixture
def year(db):
    return PeriodFactory()


@pytest.fixture
def team_goal(org, year):
    return ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, created_by=org.lead.user,
        title="华东销售部客户满意度达到 90 分", status=Objective.Status.APPROVED, period=year,
    )  # fmt: skip


def submitted(owner, year, parent=None, title="客户满意度从 82 分提升到 90 分") -> Objective:
    objective = objective_create(
        actor=owner.user, period=year, level="person", owner_employee=owner, title=title, parent=parent,
        weight=Decimal("100"), due_date=date(2026, 12, 31),
    )  # fmt: skip
    key_result_create(
        objective=objective, actor=owner.user, title="季度客户满意度调查得分", baseline=Decimal("82"),
        target=Decimal("90"), unit="分",
    )  # fmt: skip
    objective.status = Objective.Status.SUBMITTED
    objective.save()
    return objective


def queue(client) -> str:
    return client.get(reverse("goals:approvals")).content.decode()


def approve_url(objective) -> str:
    return reverse("goals:objective-approve", args=[objective.pk])


def test_the_queue_shows_the_owners_name_and_unit(client_for, org, year, team_goal):
    objective = submitted(org.rep, year, team_goal)

    body = queue(client_for(org.lead))

    assert f'id="approval-{objective.pk}"' in body
    assert org.rep.user.display_name in body
    assert "East China sales" in body


def test_a_skip_level_manager_neither_sees_nor_approves(client_for, api_for, org, year, team_goal):
    objective = submitted(org.rep, year, team_goal)

    for boss in (org.director, org.ceo):
        client = client_for(boss)
        assert f'id="approval-{objective.pk}"' not in queue(client)
        page = client.get(reverse("goals:objective-detail", args=[objective.pk])).content.decode()
        assert approve_url(objective) not in page  # still sees the objective, no approve button
        assert client.post(approve_url(objective)).status_code == 403
        assert client.post(reverse("goals:objective-return", args=[objective.pk]), {"comment": "x"}).status_code == 403
        api = api_for(boss)
        assert api.post(reverse("api-goals-objective-approve", args=[objective.pk])).status_code == 403
    objective.refresh_from_db()
    assert objective.status == Objective.Status.SUBMITTED


def test_the_direct_manager_approves_through_the_api(api_for, org, year, team_goal):
    objective = submitted(org.rep, year, team_goal)

    response = api_for(org.lead).post(reverse("api-goals-objective-approve", args=[objective.pk]))

    assert response.status_code == 200
    objective.refresh_from_db()
    assert objective.status == Objective.Status.APPROVED


def test_submitting_notifies_only_the_direct_manager(client_for, org, year, team_goal):
    objective = submitted(org.rep, year, team_goal)
    objective.status = Objective.Status.DRAFT
    objective.save()

    client_for(org.rep).post(reverse("goals:objective-submit", args=[objective.pk]))

    told = set(Notification.objects.filter(kind="objective_submitted").values_list("recipient__username", flat=True))
    assert told == {"lead"}


def test_while_the_manager_is_inactive_the_next_one_up_acts(client_for, org, year, team_goal):
    objective = submitted(org.rep, year, team_goal)
    objective.status = Objective.Status.DRAFT
    objective.save()
    org.lead.is_active = False
    org.lead.save()

    client_for(org.rep).post(reverse("goals:objective-submit", args=[objective.pk]))

    told = set(Notification.objects.filter(kind="objective_submitted").values_list("recipient__username", flat=True))
    assert told == {"director"}
    assert f'id="approval-{objective.pk}"' in queue(client_for(org.director))
    assert f'id="approval-{objective.pk}"' not in queue(client_for(org.ceo))
    assert client_for(org.ceo).post(approve_url(objective)).status_code == 403
    assert client_for(org.director).post(approve_url(objective)).status_code == 302
    objective.refresh_from_db()
    assert objective.status == Objective.Status.APPROVED


def test_with_nobody_above_hr_acts_but_not_on_their_own(client_for, org, year):
    ceo_goal = submitted(org.ceo, year, title="公司年度客户满意度达到 90 分")
    hr_goal = submitted(org.hr, year, title="人力资源部满意度达到 90 分")
    assert f'id="approval-{hr_goal.pk}"' in queue(client_for(org.ceo))  # HR's own goes to the CEO
    hr = client_for(org.hr)  # (one test client: each client_for logs it in again)

    body = queue(hr)
    assert f'id="approval-{ceo_goal.pk}"' in body  # the CEO has no manager: HR acts
    assert f'id="approval-{hr_goal.pk}"' not in body
    assert hr.post(approve_url(hr_goal)).status_code == 403
    assert hr.post(approve_url(ceo_goal)).status_code == 302
    assert client_for(org.ceo).post(approve_url(ceo_goal)).status_code == 403  # not their own


def test_hr_does_not_approve_what_has_a_manager(client_for, org, year, team_goal):
    objective = submitted(org.rep, year, team_goal)

    assert f'id="approval-{objective.pk}"' not in queue(client_for(org.hr))
    assert client_for(org.hr).post(approve_url(objective)).status_code == 403


def test_a_unit_objective_goes_to_its_authors_manager_only(client_for, org, year):
    unit_goal = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, created_by=org.lead.user,
        title="华东销售部回款率达到 95%", status=Objective.Status.SUBMITTED, period=year,
    )  # fmt: skip

    assert f'id="approval-{unit_goal.pk}"' in queue(client_for(org.director))
    assert f'id="approval-{unit_goal.pk}"' not in queue(client_for(org.ceo))
    assert client_for(org.ceo).post(approve_url(unit_goal)).status_code == 403
    assert client_for(org.director).post(approve_url(unit_goal)).status_code == 302


def test_a_unit_objective_by_someone_without_a_manager_goes_to_executives(client_for, org, year):
    unit_goal = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, created_by=org.admin,
        title="华东销售部回款率达到 95%", status=Objective.Status.SUBMITTED, period=year,
    )  # fmt: skip

    assert f'id="approval-{unit_goal.pk}"' in queue(client_for(org.ceo))
    assert f'id="approval-{unit_goal.pk}"' not in queue(client_for(org.director))
    assert client_for(org.ceo).post(approve_url(unit_goal)).status_code == 302


@pytest.mark.parametrize("inactive", [("lead", "director", "ceo"), ("lead", "ceo")])
def test_hr_acts_when_everyone_above_has_left_and_not_while_someone_above_is_active(
    client_for, org, year, team_goal, inactive
):
    objective = submitted(org.rep, year, team_goal)
    unit_goal = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, created_by=org.rep.user,
        title="华东销售部回款率达到 95%", status=Objective.Status.SUBMITTED, period=year,
    )  # fmt: skip
    for name in inactive:
        person = getattr(org, name)
        person.is_active = False
        person.save()
    nobody_above = "director" in inactive  # else the director, still active, approves

    hr_queue = queue(client_for(org.hr))
    assert (f'id="approval-{objective.pk}"' in hr_queue) is nobody_above
    org.ceo.user.is_executive, org.ceo.user.is_active = True, True
    executive = client_for(org.ceo)  # an executive (inactive as an employee) acts for unit objectives
    assert (f'id="approval-{unit_goal.pk}"' in queue(executive)) is nobody_above
    assert (f'id="approval-{objective.pk}"' in queue(client_for(org.director))) is not nobody_above
