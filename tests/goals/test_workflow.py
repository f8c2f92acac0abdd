"""Objective workflow through the services: draft → submitted → approved / returned, with rules."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from goals.errors import GoalError, GoalErrorCode
from goals.models import Kpi, Measurement, Objective
from goals.objectives.services import (
    objective_approve,
    objective_create,
    objective_return,
    objective_submit,
    objective_update,
)
from goals.progress.services.measurements import key_result_create, measurement_correct, measurement_record
from goals.strategy.services import kpi_create, kpi_update, period_ensure_fiscal_year
from notifications.models import Notification
from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory


@pytest.fixture
def year(db):
    return PeriodFactory()


@pytest.fixture
def team_goal(org, year):
    return ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, created_by=org.lead.user,
        title="华东销售部全年新签合同额 800 万元", status=Objective.Status.APPROVED,
    )  # fmt: skip


def draft_for(org, year, team_goal, **kwargs):
    objective = objective_create(
        actor=org.rep.user,
        period=year,
        level=Objective.Level.PERSON,
        owner_employee=org.rep,
        title=kwargs.pop("title", "全年新签客户 60 家"),
        parent=team_goal,
        weight=kwargs.pop("weight", Decimal("100")),
        due_date=date(2026, 12, 31),
    )
    key_result_create(
        objective=objective, actor=org.rep.user, title="新签客户数", baseline=Decimal("30"), target=Decimal("60")
    )
    return objective


def test_submit_approve_notifies_the_right_people(org, year, team_goal):
    objective = draft_for(org, year, team_goal)
    objective_submit(objective=objective, actor=org.rep.user)
    assert Notification.objects.filter(recipient=org.lead.user, kind="objective_submitted").exists()
    objective_approve(objective=objective, actor=org.lead.user)
    objective.refresh_from_db()
    assert objective.status == Objective.Status.APPROVED
    assert objective.approved_by == org.lead.user
    assert Notification.objects.filter(recipient=org.rep.user, kind="objective_approved").exists()
    # every change is in the history
    assert [h.status for h in objective.history.order_by("history_date")] == ["draft", "submitted", "approved"]


def test_submit_refused_while_smart_fails(org, year):
    vague = objective_create(
        actor=org.rep.user, period=year, level="person", owner_employee=org.rep, title="提高客户满意度",
        weight=Decimal("100"),
    )  # fmt: skip
    with pytest.raises(GoalError) as err:
        objective_submit(objective=vague, actor=org.rep.user)
    assert err.value.code == "goals.smart_failed"
    assert set(err.value.extra["errors"]) >= {"specific", "measurable", "relevant", "time_bound"}
    vague.refresh_from_db()
    assert vague.status == Objective.Status.DRAFT


def test_hr_can_make_a_criterion_warn_only(org, year):
    from goals.strategy.services import smart_setting_set

    objective = objective_create(
        actor=org.rep.user, period=year, level="person", owner_employee=org.rep, title="全年新签客户 60 家",
        weight=Decimal("100"), due_date=date(2026, 12, 31),
    )  # fmt: skip
    key_result_create(
        objective=objective, actor=org.rep.user, title="新签客户数", baseline=Decimal(30), target=Decimal(60)
    )
    with pytest.raises(GoalError):
        objective_submit(objective=objective, actor=org.rep.user)  # not aligned
    smart_setting_set(actor=org.hr.user, criterion="relevant", warn_only=True)
    assert objective_submit(objective=objective, actor=org.rep.user).status == Objective.Status.SUBMITTED


def test_objective_weights_must_add_up_to_100(org, year, team_goal):
    first = draft_for(org, year, team_goal, weight=Decimal("60"))
    with pytest.raises(GoalError) as err:
        objective_submit(objective=first, actor=org.rep.user)
    assert err.value.code == "goals.weights_objectives"
    assert "60" in err.value.message
    draft_for(org, year, team_goal, title="回款率达到 95%", weight=Decimal("40"))
    assert objective_submit(objective=first, actor=org.rep.user).status == Objective.Status.SUBMITTED


def test_stretch_okr_objectives_do_not_count_in_weights(org, year, team_goal):
    counted = draft_for(org, year, team_goal)
    stretch = draft_for(org, year, team_goal, title="拓展 3 个新行业客户", weight=Decimal("50"))
    objective_update(objective=stretch, actor=org.rep.user, track=Objective.Track.OKR)
    assert objective_submit(objective=counted, actor=org.rep.user).status == Objective.Status.SUBMITTED


def test_key_result_weights_must_add_up_to_100(org, year, team_goal):
    objective = draft_for(org, year, team_goal)
    key_result_create(
        objective=objective, actor=org.rep.user, title="回款率", baseline=Decimal(90), target=Decimal(95),
        weight=Decimal("50"),
    )  # fmt: skip
    with pytest.raises(GoalError) as err:
        objective_submit(objective=objective, actor=org.rep.user)
    assert err.value.code == "goals.weights_key_results"


def test_return_needs_a_comment_and_reopens_for_editing(org, year, team_goal):
    objective = draft_for(org, year, team_goal)
    objective_submit(objective=objective, actor=org.rep.user)
    with pytest.raises(GoalError):
        objective_return(objective=objective, actor=org.lead.user, comment="  ")
    objective_return(objective=objective, actor=org.lead.user, comment="目标偏低,请提高到 70 家")
    objective.refresh_from_db()
    assert objective.status == Objective.Status.RETURNED
    assert Notification.objects.filter(recipient=org.rep.user, kind="objective_returned").exists()
    objective_update(objective=objective, actor=org.rep.user, title="全年新签客户 70 家")
    assert objective_submit(objective=objective, actor=org.rep.user).review_comment == ""


def test_submitted_objective_cannot_be_edited_or_approved_twice(org, year, team_goal):
    objective = draft_for(org, year, team_goal)
    objective_submit(objective=objective, actor=org.rep.user)
    with pytest.raises(GoalError) as err:
        objective_update(objective=objective, actor=org.rep.user, title="changed")
    assert err.value.code == GoalErrorCode.NOT_EDITABLE  # the API answers it with 409
    objective_approve(objective=objective, actor=org.lead.user)
    with pytest.raises(GoalError):
        objective_approve(objective=objective, actor=org.lead.user)


def test_personal_objective_needs_a_person(org, year):
    with pytest.raises(ValidationError):
        objective_create(actor=org.rep.user, period=year, level="person", title="x")


def test_alignment_cannot_loop(org, year, team_goal):
    child = ObjectiveFactory(
        level="unit", owner_employee=None, owner_unit=org.east, parent=team_goal, created_by=org.lead.user
    )
    Objective.objects.filter(pk=team_goal.pk).update(status="draft")
    team_goal.refresh_from_db()
    with pytest.raises(GoalError) as err:
        objective_update(objective=team_goal, actor=org.lead.user, parent=child)
    assert err.value.code == "goals.parent_cycle"


def test_measurements_are_never_overwritten(org, year, team_goal):
    objective = draft_for(org, year, team_goal)
    kr = objective.key_results.get()
    with pytest.raises(GoalError) as err:
        measurement_record(key_result=kr, value=Decimal(35), as_of=date(2026, 2, 28), actor=org.rep.user)
    assert err.value.code == "goals.not_active"
    objective_submit(objective=objective, actor=org.rep.user)
    objective_approve(objective=objective, actor=org.lead.user)
    first = measurement_record(key_result=kr, value=Decimal(35), as_of=date(2026, 2, 28), actor=org.rep.user)
    kr.refresh_from_db()
    assert kr.current_value == Decimal(35)
    fixed = measurement_correct(measurement=first, value=Decimal(38), actor=org.rep.user, comment="漏记 3 家")
    kr.refresh_from_db()
    assert kr.current_value == Decimal(38)
    assert Measurement.objects.filter(key_result=kr).count() == 2
    first.refresh_from_db()
    assert first.value == Decimal(35)
    assert fixed.corrects == first
    with pytest.raises(GoalError):
        measurement_correct(measurement=first, value=Decimal(40), actor=org.rep.user, comment="again")


def test_kpi_definition_change_makes_a_new_version(org):
    kpi = kpi_create(
        actor=org.hr.user, code="NEW_CUST", name="新客户数", definition="首次签约的客户", category="non_financial",
        perspective="customer", unit="家",
    )  # fmt: skip
    kr = KeyResultFactory(kpi=kpi)
    renamed = kpi_update(kpi=kpi, actor=org.hr.user, name_en="New customers")
    assert renamed.pk == kpi.pk
    assert renamed.version == 1
    v2 = kpi_update(kpi=kpi, actor=org.hr.user, definition="首次签约且回款的客户")
    assert v2.version == 2
    assert v2.pk != kpi.pk
    assert list(Kpi.objects.current().values_list("version", flat=True)) == [2]
    kr.refresh_from_db()
    assert kr.kpi.version == 1
    assert kr.kpi.definition == "首次签约的客户"


def test_fiscal_year_periods(db, settings):
    periods = period_ensure_fiscal_year(year=2026, first_month=4)
    assert len(periods) == 1 + 2 + 4 + 12
    year = periods[0]
    assert (year.start, year.end) == (date(2026, 4, 1), date(2027, 3, 31))
    q4 = next(p for p in periods if p.name == "FY2026 Q4")
    assert (q4.start, q4.end, q4.parent) == (date(2027, 1, 1), date(2027, 3, 31), year)
    assert len(period_ensure_fiscal_year(year=2026, first_month=4)) == 19  # idempotent
