"""Object permissions for people records: the one place that decides (STYLE.md).

A record the actor may not see answers 404 (Http404), so its existence does not leak;
a record they may see but not change answers 403 (PermissionDenied).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from org.models import Employee, ImportJob, User
from org.selectors import employee_list_visible_to, user_manages_org


def employee_access_for_view(*, actor: User, employee_id: int) -> Employee:
    """The employee record if the actor may read it: self, chain, subtree, HR, exec, admin."""
    employee = employee_list_visible_to(actor=actor).filter(pk=employee_id).first()
    if employee is None:
        raise Http404
    return employee


def employee_access_for_edit(*, actor: User, employee_id: int) -> Employee:
    """The employee record if the actor may change it: HR and admins only."""
    employee = employee_access_for_view(actor=actor, employee_id=employee_id)
    if not user_manages_org(actor):
        raise PermissionDenied
    return employee


def org_access_for_manage(*, actor: User) -> None:
    """Import, export and edit the org chart: HR and admins only."""
    if not actor.is_authenticated:
        raise PermissionDenied
    if not user_manages_org(actor):
        raise PermissionDenied


def import_job_access_for_view(*, actor: User, job_id: int) -> ImportJob:
    """A background import: the person who started it, and HR and admins. Anyone else gets 404."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or not actor.is_authenticated:
        raise Http404
    if job.created_by_id == actor.pk:
        return job
    if user_manages_org(actor):
        return job
    raise Http404
