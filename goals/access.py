"""Object permissions for goals — the one place that decides (STYLE.md).

Hidden objects answer 404; visible objects the actor may not change answer 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from goals.models import ActionPlan, KeyResult, Measurement, Milestone, Objective
from goals.objectives.selectors import (
    objective_approver,
    objective_approver_fallback_roles,
    objective_list_visible_to,
    unit_manager_covers,
    user_reads_all_goals,
)
from org.access import employee_access_for_view
from org.models import Employee, OrgUnit, Role, User
from org.selectors import employee_of, tree_ancestor_ids, user_roles


def _manages(actor_employee: Employee | None, employee_id: int | None) -> bool:
    """Is the actor above this person in the management chain (direct or skip-level)? Remembered
    on the actor's employee record (one per request), so a page asking several permissions about
    one person walks the chain once."""
    if actor_employee is None or employee_id is None:
        return False
    remembered = actor_employee.__dict__.setdefault("_manages_memo", {})
    if employee_id not in remembered:
        remembered[employee_id] = actor_employee.pk in tree_ancestor_ids(Employee, "manager", employee_id)
    return remembered[employee_id]


def objective_access_for_view(*, actor: User, objective_id: int) -> Objective:
    objective = objective_list_visible_to(actor=actor).select_related("approved_by").filter(pk=objective_id).first()
    if objective is None:
        raise Http404
    return objective


def can_edit_objective(*, actor: User, objective: Objective) -> bool:
    """Who may change an objective's content (title, key results, weights, action plans)."""
    roles = user_roles(actor)
    me = employee_of(actor)
    if Role.HR in roles or Role.ADMIN in roles:
        return True
    if objective.level == Objective.Level.COMPANY:
        return Role.EXECUTIVE in roles
    if objective.level == Objective.Level.UNIT:
        if objective.created_by_id == actor.pk:
            return True
        return me is not None and unit_manager_covers(manager=me, unit=objective.owner_unit)
    if me is not None and objective.owner_employee_id == me.pk:
        return True
    return _manages(me, objective.owner_employee_id)


def objective_access_for_edit(*, actor: User, objective_id: int) -> Objective:
    objective = objective_access_for_view(actor=actor, objective_id=objective_id)
    if not can_edit_objective(actor=actor, objective=objective):
        raise PermissionDenied
    return objective


def can_approve_objective(*, actor: User, objective: Objective) -> bool:
    """Only the objective's approver (goals.objectives.selectors.objective_approver: the owner's own
    manager, the author's for a unit objective, the next active one up while that post is
    vacant) approves it — not every manager above. Executives approve company objectives;
    with nobody above, executives act for unit objectives and HR and admins for personal ones.
    Nobody approves their own personal objective."""
    roles = user_roles(actor)
    me = employee_of(actor)
    if objective.level == Objective.Level.COMPANY:
        return Role.EXECUTIVE in roles
    if me is not None and objective.owner_employee_id == me.pk:
        return False
    approver = objective_approver(objective=objective)
    if approver is None:
        return bool(roles & objective_approver_fallback_roles(objective=objective))
    return me is not None and me.pk == approver.pk


def objective_access_for_approve(*, actor: User, objective_id: int) -> Objective:
    objective = objective_access_for_view(actor=actor, objective_id=objective_id)
    if not can_approve_objective(actor=actor, objective=objective):
        raise PermissionDenied
    return objective


def can_record_progress(*, actor: User, objective: Objective) -> bool:
    """The people who may edit the objective may also record its progress."""
    return can_edit_objective(actor=actor, objective=objective)


def key_result_access_for_progress(*, actor: User, key_result_id: int) -> KeyResult:
    key_result = KeyResult.objects.select_related("objective").filter(pk=key_result_id).first()
    if key_result is None:
        raise Http404
    objective_access_for_view(actor=actor, objective_id=key_result.objective_id)
    if not can_record_progress(actor=actor, objective=key_result.objective):
        raise PermissionDenied
    return key_result


def key_result_access_for_view(*, actor: User, key_result_id: int) -> KeyResult:
    key_result = KeyResult.objects.select_related("objective").filter(pk=key_result_id).first()
    if key_result is None:
        raise Http404
    objective_access_for_view(actor=actor, objective_id=key_result.objective_id)
    return key_result


def measurement_access_for_correct(*, actor: User, measurement_id: int) -> Measurement:
    measurement = Measurement.objects.select_related("key_result__objective").filter(pk=measurement_id).first()
    if measurement is None:
        raise Http404
    key_result_access_for_progress(actor=actor, key_result_id=measurement.key_result_id)
    return measurement


def strategy_access_for_manage(*, actor: User) -> None:
    """Strategic themes and company objectives: executives (and admins)."""
    if not (user_roles(actor) & {Role.EXECUTIVE, Role.ADMIN}):
        raise PermissionDenied


def library_access_for_manage(*, actor: User) -> None:
    """The KPI library, reference ranges, SMART settings and integration tokens: HR (and admins)."""
    if not (user_roles(actor) & {Role.HR, Role.ADMIN}):
        raise PermissionDenied


# --- creation, key-result edits, closing and cancelling (API and objective pages) ------


def can_create_objective(
    *, actor: User, level: str, owner_employee: Employee | None, owner_unit: OrgUnit | None
) -> bool:
    """Who may start an objective (the same people the objective form offers as owners):
    anyone for themselves and managers for the people below them; for a unit below the top,
    HR, admins and the managers who lead it; for the company, executives and admins."""
    roles = user_roles(actor)
    me = employee_of(actor)
    if level == Objective.Level.COMPANY:
        return bool(roles & {Role.EXECUTIVE, Role.ADMIN})
    if level == Objective.Level.UNIT:
        if owner_unit is None or owner_unit.parent_id is None:
            return False
        if roles & {Role.HR, Role.ADMIN}:
            return True
        return me is not None and unit_manager_covers(manager=me, unit=owner_unit)
    if owner_employee is None or me is None:
        return False
    if owner_employee.pk == me.pk:
        return True
    return _manages(me, owner_employee.pk)


def objective_access_for_create(
    *, actor: User, level: str, owner_employee: Employee | None, owner_unit: OrgUnit | None
) -> None:
    if not can_create_objective(actor=actor, level=level, owner_employee=owner_employee, owner_unit=owner_unit):
        raise PermissionDenied


def key_result_access_for_edit(*, actor: User, key_result_id: int) -> KeyResult:
    key_result = key_result_access_for_view(actor=actor, key_result_id=key_result_id)
    if not can_edit_objective(actor=actor, objective=key_result.objective):
        raise PermissionDenied
    return key_result


def can_close_objective(*, actor: User, objective: Objective) -> bool:
    """Closing an approved objective at the end of its period: its approvers, HR and admins."""
    if user_roles(actor) & {Role.HR, Role.ADMIN}:
        return True
    return can_approve_objective(actor=actor, objective=objective)


def objective_access_for_close(*, actor: User, objective_id: int) -> Objective:
    objective = objective_access_for_view(actor=actor, objective_id=objective_id)
    if not can_close_objective(actor=actor, objective=objective):
        raise PermissionDenied
    return objective


def can_cancel_objective(*, actor: User, objective: Objective) -> bool:
    """Approvers, HR and admins cancel any objective; its editors only one not approved yet."""
    if can_close_objective(actor=actor, objective=objective):
        return True
    if objective.is_live:  # approved (or since closed): it counts in scores now
        return False
    return can_edit_objective(actor=actor, objective=objective)


def objective_access_for_cancel(*, actor: User, objective_id: int) -> Objective:
    objective = objective_access_for_view(actor=actor, objective_id=objective_id)
    if not can_cancel_objective(actor=actor, objective=objective):
        raise PermissionDenied
    return objective


# --- progress pages: milestones and action plans ------------------------------------


def milestone_access_for_progress(*, actor: User, milestone_id: int) -> Milestone:
    milestone = Milestone.objects.select_related("key_result__objective").filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404
    key_result_access_for_progress(actor=actor, key_result_id=milestone.key_result_id)
    return milestone


def can_edit_action_plans(*, actor: User, objective: Objective) -> bool:
    """An objective's editors change its action plans in any status but closed or cancelled."""
    if objective.status in (Objective.Status.CLOSED, Objective.Status.CANCELLED):
        return False
    return can_edit_objective(actor=actor, objective=objective)


def objective_access_for_action_plans(*, actor: User, objective_id: int) -> Objective:
    objective = objective_access_for_view(actor=actor, objective_id=objective_id)
    if not can_edit_action_plans(actor=actor, objective=objective):
        raise PermissionDenied
    return objective


def action_plan_access_for_change(*, actor: User, plan_id: int) -> ActionPlan:
    """An action plan for its objective's editors, unless the objective is closed or cancelled."""
    plan = ActionPlan.objects.select_related("objective", "owner__user").filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    objective_access_for_action_plans(actor=actor, objective_id=plan.objective_id)
    return plan


def measurement_access_for_view(*, actor: User, measurement_id: int) -> Measurement:
    """A progress update (and its evidence) for whoever may see its key result."""
    measurement = Measurement.objects.select_related("key_result").filter(pk=measurement_id).first()
    if measurement is None:
        raise Http404
    key_result_access_for_view(actor=actor, key_result_id=measurement.key_result_id)
    return measurement


def can_see_person_score(*, actor: User, employee: Employee) -> bool:
    """A person's results score is as private as their personal objectives: the person, the
    managers above them, HR, executives and admins — not colleagues who merely see the record."""
    if user_reads_all_goals(actor):
        return True
    me = employee_of(actor)
    if me is None:
        return False
    if me.pk == employee.pk:
        return True
    return _manages(me, employee.pk)


def person_score_access_for_view(*, actor: User, employee_id: int) -> Employee:
    """The employee whose results score the actor may read; 404 otherwise (the score's existence doesn't leak)."""
    employee = employee_access_for_view(actor=actor, employee_id=employee_id)
    if not can_see_person_score(actor=actor, employee=employee):
        raise Http404
    return employee
