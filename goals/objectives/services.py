"""Objectives: create, change, and the approval workflow; action plans under them."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.events import send_on_commit
from core.text import join_words
from goals.apps import (
    OBJECTIVE_APPROVED,
    OBJECTIVE_CANCELLED,
    OBJECTIVE_CLOSED,
    OBJECTIVE_RETURNED,
    OBJECTIVE_SUBMITTED,
)
from goals.errors import GoalErrorCode, goal_error
from goals.events import objective_changed
from goals.models import ActionPlan, Objective, Period, StrategicTheme
from goals.objectives.rules import ALIGN_TO, smart_blocks_submission, weights_total
from goals.objectives.selectors import objective_approver_users, objective_weight_total
from goals.objectives.smart import objective_smart_check
from goals.strategy.selectors import period_family
from goals.tasks import queue_roll_up_for_objective
from notifications.services import bilingual, notify
from org.models import Employee, OrgUnit, User
from org.selectors import tree_ancestor_ids

Status = Objective.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)
CONTENT_FIELDS = {
    "title", "description", "parent", "theme", "weight", "contribution_weight", "children_weight", "due_date", "track",
    "difficulty",
}  # fmt: skip


def objective_url(objective: Objective) -> str:
    return reverse("goals:objective-detail", args=[objective.pk])


def _check_alignment(*, period: Period, level: str, parent: Objective | None, theme: StrategicTheme | None,
                     objective_id: int | None = None, parent_changed: bool = True) -> None:  # fmt: skip
    if parent is not None:
        if parent_changed and (parent.level not in ALIGN_TO[level] or parent.status == Status.CANCELLED):
            raise goal_error(
                GoalErrorCode.PARENT_LEVEL,
                errors={
                    "parent": [_("Align to an objective one level up or more, in this period or the year around it.")]
                },
            )
        if parent.period_id not in period_family(period):
            raise goal_error(GoalErrorCode.PARENT_PERIOD, period=str(period), errors={"parent": [_("Choose another.")]})
        if objective_id is not None and (
            parent.pk == objective_id or objective_id in tree_ancestor_ids(Objective, "parent", parent.pk)
        ):
            raise goal_error(GoalErrorCode.PARENT_CYCLE)
    if theme is not None and theme.period_id not in period_family(period):
        raise goal_error(GoalErrorCode.PARENT_PERIOD, period=str(period), errors={"theme": [_("Choose another.")]})


@transaction.atomic
def objective_create(
    *,
    actor: User,
    period: Period,
    level: str,
    title: str,
    owner_employee: Employee | None = None,
    owner_unit: OrgUnit | None = None,
    description: str = "",
    parent: Objective | None = None,
    theme: StrategicTheme | None = None,
    weight: Decimal = Decimal("0"),
    contribution_weight: Decimal = Decimal("0"),
    children_weight: Decimal = Decimal("0"),
    due_date=None,
    track: str = Objective.Track.KPI,
    difficulty: int = Objective.Difficulty.MODERATE,
) -> Objective:
    """A new objective, in draft."""
    _check_alignment(period=period, level=level, parent=parent, theme=theme)
    objective = Objective(
        period=period,
        level=level,
        title=title,
        description=description,
        owner_employee=owner_employee if level == Objective.Level.PERSON else None,
        owner_unit=owner_unit if level != Objective.Level.PERSON else None,
        parent=parent,
        theme=theme,
        weight=weight,
        contribution_weight=contribution_weight,
        children_weight=children_weight,
        due_date=due_date,
        track=track,
        difficulty=difficulty,
        created_by=actor,
    )
    objective.full_clean()
    objective.save()
    return objective


def _lock(objective: Objective) -> Objective:
    return Objective.objects.select_for_update().select_related("period").get(pk=objective.pk)


@transaction.atomic
def objective_update(*, objective: Objective, actor: User, **fields) -> Objective:
    """Change a draft or returned objective's content."""
    unknown = set(fields) - CONTENT_FIELDS
    if unknown:
        raise TypeError(f"objective_update() got unknown fields: {sorted(unknown)}")
    objective = _lock(objective)
    if objective.status not in EDITABLE:
        raise goal_error(GoalErrorCode.NOT_EDITABLE)
    _check_alignment(
        period=objective.period,
        level=objective.level,
        parent=fields.get("parent", objective.parent),
        theme=fields.get("theme", objective.theme),
        objective_id=objective.pk,
        parent_changed="parent" in fields,
    )
    for name, value in fields.items():
        setattr(objective, name, value)
    objective.full_clean()
    objective.save(update_fields=[*fields, "updated_at"])
    return objective


def approvers_of(objective: Objective) -> list[User]:
    """Who is told that an objective waits for approval: the same person the queue and
    goals.access route it to (goals.objectives.selectors.objective_approver_users)."""
    return objective_approver_users(objective=objective)


def _owner_users(objective: Objective) -> list[User]:
    people = [objective.created_by]
    if objective.owner_employee_id:
        people.append(objective.owner_employee.user)
    return people


@transaction.atomic
def objective_submit(*, objective: Objective, actor: User) -> Objective:
    """Send for approval. Refused while a SMART criterion fails or the weights don't add up."""
    objective = _lock(objective)
    if objective.status not in EDITABLE:
        raise _bad(objective, _("submitted"))
    fresh = (
        Objective.objects.select_related("period", "owner_employee__user", "theme", "parent")
        .prefetch_related("key_results__milestones", "key_results__kpi")
        .get(pk=objective.pk)
    )
    results = objective_smart_check(objective=fresh)
    if smart_blocks_submission(results):
        failed = join_words(r.label for r in results if r.blocking)
        raise goal_error(
            GoalErrorCode.SMART_FAILED,
            criteria=failed,
            errors={r.criterion: [str(r.reason)] for r in results if r.blocking},
        )
    kr_weights = [kr.weight for kr in fresh.key_results.all()]
    if kr_weights and weights_total(kr_weights) != 100:
        raise goal_error(GoalErrorCode.WEIGHTS_KEY_RESULTS, total=_num(weights_total(kr_weights)))
    if objective.track == Objective.Track.KPI and objective.weight <= 0:
        raise goal_error(GoalErrorCode.WEIGHT_ZERO, errors={"weight": [_("Give the objective a weight above 0.")]})
    if objective.track == Objective.Track.KPI:
        total = weights_total([w for _pk, w in objective_weight_total(objective=objective)])
        if total != 100:
            raise goal_error(GoalErrorCode.WEIGHTS_OBJECTIVES, period=str(objective.period), total=_num(total))
    objective.status = Status.SUBMITTED
    objective.submitted_at = timezone.now()
    objective.review_comment = ""
    objective.save(update_fields=["status", "submitted_at", "review_comment", "updated_at"])
    notify(
        recipients=approvers_of(fresh),
        message=_("%(actor)s submitted the objective “%(title)s” for approval."),
        params={"title": objective.title},
        url=objective_url(objective),
        kind=OBJECTIVE_SUBMITTED,
        actor=actor,
    )
    return objective


def _announce_change(objective: Objective) -> None:
    """After commit: the objective's standing in the score roll-ups changed — roll its scores up,
    and tell higher apps (goals.events.objective_changed)."""
    queue_roll_up_for_objective(objective.pk)
    send_on_commit(objective_changed, sender=Objective, objective_id=objective.pk)


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _bad(objective: Objective, action) -> Exception:
    return goal_error(GoalErrorCode.BAD_TRANSITION, status=objective.get_status_display(), action=action)


@transaction.atomic
def objective_approve(*, objective: Objective, actor: User) -> Objective:
    objective = _lock(objective)
    if objective.status != Status.SUBMITTED:
        raise _bad(objective, _("approved"))
    objective.status = Status.APPROVED
    objective.approved_by = actor
    objective.approved_at = timezone.now()
    objective.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    notify(
        recipients=_owner_users(objective),
        message=_("Your objective “%(title)s” was approved by %(approver)s."),
        params={"title": objective.title, **bilingual("approver", actor.full_name, actor.english_name)},
        url=objective_url(objective),
        kind=OBJECTIVE_APPROVED,
        actor=actor,
    )
    _announce_change(objective)
    return objective


@transaction.atomic
def objective_return(*, objective: Objective, actor: User, comment: str) -> Objective:
    if not (comment or "").strip():
        raise goal_error(GoalErrorCode.COMMENT_REQUIRED, errors={"comment": [_("Write a comment.")]})
    objective = _lock(objective)
    if objective.status != Status.SUBMITTED:
        raise _bad(objective, _("returned"))
    objective.status = Status.RETURNED
    objective.review_comment = comment.strip()
    objective.save(update_fields=["status", "review_comment", "updated_at"])
    notify(
        recipients=_owner_users(objective),
        message=_("%(approver)s returned your objective “%(title)s” with a comment: %(comment)s"),
        params={
            "title": objective.title,
            "comment": objective.review_comment,
            **bilingual("approver", actor.full_name, actor.english_name),
        },
        url=objective_url(objective),
        kind=OBJECTIVE_RETURNED,
        actor=actor,
    )
    return objective


@transaction.atomic
def objective_close(*, objective: Objective, actor: User) -> Objective:
    objective = _lock(objective)
    if objective.status != Status.APPROVED:
        raise _bad(objective, _("closed"))
    objective.status = Status.CLOSED
    objective.save(update_fields=["status", "updated_at"])
    notify(
        recipients=_owner_users(objective),
        message=_("%(actor)s closed your objective “%(title)s”."),
        params={"title": objective.title},
        url=objective_url(objective),
        kind=OBJECTIVE_CLOSED,
        actor=actor,
    )
    _announce_change(objective)
    return objective


@transaction.atomic
def objective_cancel(*, objective: Objective, actor: User) -> Objective:
    objective = _lock(objective)
    if objective.status in (Status.CLOSED, Status.CANCELLED):
        raise _bad(objective, _("cancelled"))
    objective.status = Status.CANCELLED
    objective.save(update_fields=["status", "updated_at"])
    notify(
        recipients=_owner_users(objective),
        message=_("%(actor)s cancelled your objective “%(title)s”."),
        params={"title": objective.title},
        url=objective_url(objective),
        kind=OBJECTIVE_CANCELLED,
        actor=actor,
    )
    _announce_change(objective)
    return objective


# --- action plans --------------------------------------------------------------------

ACTION_PLAN_FIELDS = {
    "what", "owner", "due_date", "status", "budget_amount", "budget_currency", "people", "hours", "other_needs",
}  # fmt: skip


@transaction.atomic
def action_plan_create(*, objective: Objective, actor: User, what: str, owner: Employee, **fields) -> ActionPlan:
    unknown = set(fields) - ACTION_PLAN_FIELDS
    if unknown:
        raise TypeError(f"action_plan_create() got unknown fields: {sorted(unknown)}")
    plan = ActionPlan(objective=objective, what=what, owner=owner, **fields)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def action_plan_update(*, plan: ActionPlan, actor: User, **fields) -> ActionPlan:
    unknown = set(fields) - ACTION_PLAN_FIELDS
    if unknown:
        raise TypeError(f"action_plan_update() got unknown fields: {sorted(unknown)}")
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save(update_fields=[*fields, "updated_at"])
    return plan
