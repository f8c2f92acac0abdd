"""An objective's workflow steps (submit, approve, return, close, cancel) and the approvals list."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.htmx import is_htmx
from goals.access import (
    objective_access_for_approve,
    objective_access_for_cancel,
    objective_access_for_close,
    objective_access_for_edit,
)
from goals.errors import GoalError
from goals.models import Objective
from goals.objectives import services
from goals.objectives.forms import (
    SmartSummary,
)
from goals.objectives.rules import smart_check
from goals.objectives.selectors import (
    objective_list_awaiting,
)
from goals.objectives.smart import drafts_of, smart_input
from goals.objectives.views.links import PAGE_SIZE, _detail_url, _next_or
from goals.strategy.rules import months_in, scale_reference
from goals.strategy.selectors import kpi_best_by_owner_and_period_end, kpi_reference_map, smart_warn_only

# --- workflow ------------------------------------------------------------------------


def _workflow(request, pk: int, *, access, action, done: str):
    """One workflow step: access check (403/404), the service, a message, back to where the button was."""
    objective = access(actor=request.user, objective_id=pk)
    try:
        objective = action(objective)
    except GoalError as error:
        if is_htmx(request) and request.POST.get("row"):
            return _approval_row_response(request, objective, error=error.message)
        messages.error(request, error.message)
        return redirect(_next_or(request, _detail_url(objective)))
    if is_htmx(request) and request.POST.get("row"):
        return _approval_row_response(request, objective, done=done)
    messages.success(request, done)
    return redirect(_next_or(request, _detail_url(objective)))


@login_required
@require_POST
def objective_submit(request, pk: int):
    return _workflow(
        request,
        pk,
        access=objective_access_for_edit,
        action=lambda o: services.objective_submit(objective=o, actor=request.user),
        done=_("The objective is submitted for approval."),
    )


@login_required
@require_POST
def objective_approve(request, pk: int):
    return _workflow(
        request,
        pk,
        access=objective_access_for_approve,
        action=lambda o: services.objective_approve(objective=o, actor=request.user),
        done=_("The objective is approved."),
    )


@login_required
@require_POST
def objective_return(request, pk: int):
    return _workflow(
        request,
        pk,
        access=objective_access_for_approve,
        action=lambda o: services.objective_return(
            objective=o, actor=request.user, comment=request.POST.get("comment", "")
        ),
        done=_("The objective is returned with your comment."),
    )


@login_required
@require_POST
def objective_close(request, pk: int):
    return _workflow(
        request,
        pk,
        access=objective_access_for_close,
        action=lambda o: services.objective_close(objective=o, actor=request.user),
        done=_("The objective is closed."),
    )


@login_required
@require_POST
def objective_cancel(request, pk: int):
    return _workflow(
        request,
        pk,
        access=objective_access_for_cancel,
        action=lambda o: services.objective_cancel(objective=o, actor=request.user),
        done=_("The objective is cancelled."),
    )


# --- approvals -----------------------------------------------------------------------


def smart_for_objectives(objectives: list[Objective]) -> dict[int, SmartSummary]:
    """The SMART check of many saved objectives in a constant number of queries (three), with
    the same inputs as goals.objectives.smart.objective_smart_check: key results (prefetched), HR's
    reference ranges for the owner's grade and the owner's best earlier KPI values."""
    warn_only = smart_warn_only()
    drafts = {o.pk: drafts_of(list(o.key_results.all())) for o in objectives}
    codes = {d.kpi_code for ds in drafts.values() for d in ds if d.kpi_code}
    owners = {o.owner_employee for o in objectives if o.owner_employee_id}
    references = kpi_reference_map(codes=codes, grades={e.grade_level for e in owners if e.grade_level})
    best_rows = kpi_best_by_owner_and_period_end(codes=codes, owner_ids={e.pk for e in owners})
    summaries = {}
    for o in objectives:
        owner = o.owner_employee if o.owner_employee_id else None
        plain = [dataclasses.replace(d, kpi_code="") for d in drafts[o.pk]]  # no per-objective queries
        data = smart_input(
            title=o.title,
            description=o.description,
            level=o.level,
            aligned=o.is_aligned,
            due_date=o.due_date,
            period=o.period,
            key_results=plain,
        )
        months = months_in(o.period.start, o.period.end)
        key_results = []
        for draft, kr_input in zip(drafts[o.pk], data.key_results, strict=True):
            reference, best = None, None
            if draft.kpi_code and owner is not None:
                ref = references.get((draft.kpi_code, owner.grade_level))
                if ref is not None:
                    reference = scale_reference(ref.low, ref.high, per=ref.per, period_months=months)
                earlier = [
                    value
                    for owner_id, code, end, value in best_rows
                    if owner_id == owner.pk and code == draft.kpi_code and end < o.period.start
                ]
                best = max(earlier) if earlier else None
            key_results.append(dataclasses.replace(kr_input, reference=reference, history_best=best))
        data = dataclasses.replace(data, key_results=tuple(key_results))
        summaries[o.pk] = SmartSummary(smart_check(data, warn_only=warn_only))
    return summaries


def _approval_row_response(request, objective: Objective, *, done: str = "", error: str = ""):
    if not error:
        html = render_to_string(
            "goals/_objective_approval_row.html", {"objective": objective, "done": done}, request=request
        )
        return HttpResponse(html)
    fresh = objective_list_awaiting(actor=request.user).filter(pk=objective.pk).first()
    if fresh is None:  # no longer waiting (someone else acted): show the refusal on a plain row
        html = render_to_string(
            "goals/_objective_approval_row.html", {"objective": objective, "error": error}, request=request
        )
        return HttpResponse(html)
    smart = smart_for_objectives([fresh])[fresh.pk]
    html = render_to_string(
        "goals/_objective_approval_row.html",
        {
            "objective": fresh,
            "smart": smart,
            "error": error,
            "comment": request.POST.get("comment", ""),
            "return_open": "comment" in request.POST,
            "next_url": _next_or(request, reverse("goals:approvals")),
        },
        request=request,
    )
    return HttpResponse(html)


@login_required
def approvals(request):
    """Objectives waiting for this person's approval, oldest first."""
    queryset = objective_list_awaiting(actor=request.user).order_by("submitted_at", "pk")
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    objectives = list(page_obj.object_list)
    smart = smart_for_objectives(objectives)
    rows = [{"objective": o, "smart": smart[o.pk]} for o in objectives]
    return render(request, "goals/approvals.html", {"page_obj": page_obj, "rows": rows, "nav_active": "my-team"})
