"""Goals pages: objectives — the form with the live SMART check, the detail page with its
workflow buttons, and the approvals queue. Thin views: reads through selectors, permissions
through goals.access, writes through the services (goals.objectives.forms.objective_save_from_forms)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.htmx import is_htmx
from goals.access import (
    can_approve_objective,
    can_cancel_objective,
    can_close_objective,
    can_edit_objective,
    can_record_progress,
    objective_access_for_approve,
    objective_access_for_cancel,
    objective_access_for_close,
    objective_access_for_edit,
    objective_access_for_view,
)
from goals.errors import MESSAGES as ERROR_MESSAGES
from goals.errors import GoalError, GoalErrorCode
from goals.models import Direction, KeyResult, Measurement, Objective
from goals.objectives import services
from goals.objectives.forms import (
    ObjectiveForm,
    SmartSummary,
    key_result_formset,
    objective_save_from_forms,
    plain,
    smart_for_forms,
    weights_for_form,
)
from goals.objectives.rules import smart_check
from goals.objectives.selectors import (
    action_plan_list,
    alignment_targets,
    key_result_history,
    objective_ancestors,
    objective_children_visible_to,
    objective_history,
    objective_list_awaiting,
)
from goals.objectives.smart import drafts_of, objective_smart_check, objective_weight_check, smart_input
from goals.scoring.engine import KeyResultFigures, progress
from goals.strategy.rules import months_in, scale_reference
from goals.strategy.selectors import kpi_best_by_owner_and_period_end, kpi_list, kpi_reference_map, smart_warn_only
from goals.templatetags.goals_charts import plain_number

PAGE_SIZE = 25
Status = Objective.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)


def _next_or(request, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _detail_url(objective: Objective) -> str:
    return reverse("goals:objective-detail", args=[objective.pk])


# --- create and edit -----------------------------------------------------------------


def _starting_values(form: ObjectiveForm) -> dict:
    """A new objective starts with what makes it submittable: the weight left of 100 after the
    owner's other counted objectives in the period, and the period's last day as its due date."""
    values = {}
    if form.period is not None:
        values["due_date"] = form.period.end
        weights = weights_for_form(form, data={"track": form["track"].value()})
        if weights is not None:
            values["weight"] = plain(weights.suggested)
    return values


def _render_form(request, *, form, formset, objective=None, status=200):
    smart = smart_for_forms(form=form, formset=formset) if form.has_levels else None
    return render(
        request,
        "goals/objective_form.html",
        {
            "form": form,
            "formset": formset,
            "objective": objective,
            "smart": smart,
            "smart_url": reverse("goals:objective-smart")
            + (f"?objective={objective.pk}" if objective is not None else ""),
            "nav_active": "my-work",
        },
        status=status,
    )


def _submit_after_save(request, objective: Objective):
    """Save and submit: the draft is kept whatever the submission says."""
    try:
        services.objective_submit(objective=objective, actor=request.user)
    except GoalError as error:
        reason = {"reason": error.message}
        messages.error(request, _("The draft is saved, but it was not submitted: %(reason)s") % reason)
        return redirect("goals:objective-edit", pk=objective.pk)
    messages.success(request, _("The objective is saved and submitted for approval."))
    return redirect(_detail_url(objective))


def _save(request, *, form, formset, objective=None):
    if form.is_valid() and formset.is_valid():
        saved = objective_save_from_forms(actor=request.user, form=form, formset=formset, objective=objective)
        if saved is not None:
            if "submit" in request.POST:
                return _submit_after_save(request, saved)
            messages.success(request, _("The draft is saved."))
            return redirect(_detail_url(saved))
    return _render_form(request, form=form, formset=formset, objective=objective, status=400)


SETUP_PARAMS = ("level", "period", "parent", "theme", "owner_employee", "owner_unit")


@login_required
def objective_create(request):
    """A new objective: ?level=person|unit|company&period=<id>&parent=<id> preselect the set-up."""
    if request.method == "POST":
        form = ObjectiveForm(request.POST, actor=request.user)
        if not form.has_levels:
            raise PermissionDenied
        return _save(request, form=form, formset=key_result_formset(request.POST))
    initial = {name: request.GET[name] for name in SETUP_PARAMS if request.GET.get(name)}
    for name in ("title", "due_date", "weight"):
        # a starting value the reader left as it was (start_<name>) gives way to the new period's
        if request.GET.get(name) and request.GET[name] != request.GET.get(f"start_{name}"):
            initial[name] = request.GET[name]
    form = ObjectiveForm(actor=request.user, initial=initial)
    if not form.has_levels:
        raise PermissionDenied
    for name, value in _starting_values(form).items():
        form.initial.setdefault(name, value)
    response = _render_form(request, form=form, formset=key_result_formset())
    if is_htmx(request):
        # the set-up was reloaded (another period or level) with its own due date and weight:
        # the SMART panel checks again once they are in place, not with the values before
        response["HX-Trigger-After-Settle"] = "objective-setup-changed"
    return response


@login_required
def objective_edit(request, pk: int):
    objective = objective_access_for_edit(actor=request.user, objective_id=pk)
    if objective.status not in EDITABLE:
        messages.error(request, ERROR_MESSAGES[GoalErrorCode.NOT_EDITABLE])
        return redirect(_detail_url(objective))
    if request.method == "POST":
        form = ObjectiveForm(request.POST, actor=request.user, objective=objective)
        return _save(request, form=form, formset=key_result_formset(request.POST), objective=objective)
    initial = {
        "title": objective.title,
        "description": objective.description,
        "parent": objective.parent_id,
        "theme": objective.theme_id,
        "weight": plain(objective.weight),
        "contribution_weight": plain(objective.contribution_weight),
        "children_weight": plain(objective.children_weight),
        "track": objective.track,
        "difficulty": objective.difficulty,
        "due_date": objective.due_date,
    }
    form = ObjectiveForm(actor=request.user, objective=objective, initial=initial)
    return _render_form(request, form=form, formset=key_result_formset(objective=objective), objective=objective)


@login_required
@require_POST
def objective_smart(request):
    """The SMART panel for the form as typed so far (htmx)."""
    objective = None
    if request.GET.get("objective", "").isdigit():
        objective = objective_access_for_view(actor=request.user, objective_id=int(request.GET["objective"]))
    form = ObjectiveForm(request.POST, actor=request.user, objective=objective)
    if not form.has_levels:
        raise PermissionDenied
    smart = smart_for_forms(form=form, formset=key_result_formset(request.POST))
    return render(request, "goals/_smart_panel.html", {"smart": smart, "live": True})


# --- detail --------------------------------------------------------------------------


def figures_of(kr: KeyResult) -> KeyResultFigures:
    milestones = list(kr.milestones.all())
    return KeyResultFigures(
        direction=kr.direction,
        baseline=kr.baseline,
        target=kr.target,
        stretch=kr.stretch,
        range_low=kr.range_low,
        range_high=kr.range_high,
        milestones_total=len(milestones),
        milestones_done=sum(1 for m in milestones if m.done_on),
    )


def key_result_rows(objective: Objective) -> list[dict]:
    rows = []
    for kr in objective.key_results.all():
        value = kr.current_value
        rows.append({"kr": kr, "progress": progress(figures_of(kr), value), "milestones": list(kr.milestones.all())})
    return rows


OBJECTIVE_TRACKED = (
    "status", "title", "description", "parent", "theme", "weight", "contribution_weight", "due_date", "track",
    "difficulty", "review_comment",
)  # fmt: skip
KEY_RESULT_TRACKED = (
    "title", "direction", "baseline", "target", "stretch", "range_low", "range_high", "unit", "weight", "kpi",
    "data_source",
)  # fmt: skip
CHOICES = {
    "status": Objective.Status,
    "track": Objective.Track,
    "difficulty": Objective.Difficulty,
    "direction": Direction,
    "data_source": KeyResult.Source,
}


def _shown(model, name: str, value, targets: tuple[dict, dict, dict]) -> str:
    if value is None or value == "":
        return "—"
    if name in CHOICES:
        try:
            return str(CHOICES[name](value).label)
        except ValueError:
            return str(value)
    if name == "parent":
        found = targets[0].get(value)
        return found.title if found else f"#{value}"
    if name == "theme":
        found = targets[1].get(value)
        return found.display_title if found else f"#{value}"
    if name == "kpi":
        found = targets[2].get(value)
        return f"{found.code} · {found.display_name} (v{found.version})" if found else f"#{value}"
    if isinstance(value, Decimal):
        return plain_number(value)
    return str(value)


def _attname(model, name: str) -> str:
    return model._meta.get_field(name).attname


def _diff(model, old, new, names, targets) -> list[dict]:
    changes = []
    for name in names:
        attname = _attname(model, name)
        before, after = getattr(old, attname), getattr(new, attname)
        if before != after:
            changes.append(
                {
                    "field": str(model._meta.get_field(name).verbose_name),
                    "name": name,
                    "old": _shown(model, name, before, targets),
                    "new": _shown(model, name, after, targets),
                }
            )
    return changes


def history_entries(objective: Objective) -> list[dict]:
    """Who changed what when, newest first: the objective's recorded versions and its key results',
    each compared with the version before it (five queries at most, whatever the length)."""
    rows = list(objective_history(objective=objective))
    kr_rows = list(key_result_history(objective=objective))
    objectives, themes = alignment_targets(
        objective_ids={r.parent_id for r in rows if r.parent_id}, theme_ids={r.theme_id for r in rows if r.theme_id}
    )
    kpi_ids = {r.kpi_id for r in kr_rows if r.kpi_id}
    kpis = kpi_list(current_only=False).in_bulk(kpi_ids) if kpi_ids else {}
    targets = (objectives, themes, kpis)
    entries = []
    previous = None
    for row in rows:
        if previous is None or row.history_type == "+":
            entries.append({"row": row, "kind": "created", "subject": row.title, "changes": []})
        else:
            changes = _diff(Objective, previous, row, OBJECTIVE_TRACKED, targets)
            if changes:
                kind = "status" if any(c["name"] == "status" for c in changes) else "changed"
                entries.append({"row": row, "kind": kind, "subject": "", "changes": changes})
        previous = row
    previous = None
    for row in kr_rows:
        if row.history_type == "+" or previous is None or previous.id != row.id:
            entries.append({"row": row, "kind": "kr_added", "subject": row.title, "changes": []})
        elif row.history_type == "-":
            entries.append({"row": row, "kind": "kr_removed", "subject": row.title, "changes": []})
        else:
            changes = _diff(KeyResult, previous, row, KEY_RESULT_TRACKED, targets)
            if changes:
                entries.append({"row": row, "kind": "kr_changed", "subject": row.title, "changes": changes})
        previous = row
    entries.sort(key=lambda e: (e["row"].history_date, e["row"].history_id), reverse=True)
    for entry in entries:
        entry["when"] = entry["row"].history_date
        entry["who"] = entry["row"].history_user
    return entries


@login_required
def objective_detail(request, pk: int):
    objective = objective_access_for_view(actor=request.user, objective_id=pk)
    actor = request.user
    ancestors = objective_ancestors(objective=objective)
    top = ancestors[0] if ancestors else objective
    editable = objective.status in EDITABLE
    may_edit = can_edit_objective(actor=actor, objective=objective)
    may_approve = objective.status == Status.SUBMITTED and can_approve_objective(actor=actor, objective=objective)
    context = {
        "objective": objective,
        "ancestors": ancestors,
        "theme": top.theme,
        "key_results": key_result_rows(objective),
        "children": list(objective_children_visible_to(actor=actor, objective=objective)),
        "action_plans": list(action_plan_list(objective=objective)),
        "history": history_entries(objective),
        "smart": SmartSummary(
            objective_smart_check(objective=objective), weights=objective_weight_check(objective=objective)
        )
        if editable
        else None,
        "can": {
            "edit": editable and may_edit,
            "submit": editable and may_edit,
            "approve": may_approve,
            "return": may_approve,
            "close": objective.status == Status.APPROVED and can_close_objective(actor=actor, objective=objective),
            "cancel": objective.status not in (Status.CLOSED, Status.CANCELLED)
            and can_cancel_objective(actor=actor, objective=objective),
            "record_progress": objective.status == Status.APPROVED
            and can_record_progress(actor=actor, objective=objective),
            "plan": may_edit and objective.status not in (Status.CLOSED, Status.CANCELLED),
        },
        "today": timezone.localdate(),
        "confidence_choices": Measurement.Confidence.choices,
        "nav_active": "my-work",
    }
    return render(request, "goals/objective_detail.html", context)


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


urlpatterns = [
    path("objectives/new/", objective_create, name="objective-create"),
    path("objectives/smart/", objective_smart, name="objective-smart"),
    path("objectives/<int:pk>/", objective_detail, name="objective-detail"),
    path("objectives/<int:pk>/edit/", objective_edit, name="objective-edit"),
    path("objectives/<int:pk>/submit/", objective_submit, name="objective-submit"),
    path("objectives/<int:pk>/approve/", objective_approve, name="objective-approve"),
    path("objectives/<int:pk>/return/", objective_return, name="objective-return"),
    path("objectives/<int:pk>/close/", objective_close, name="objective-close"),
    path("objectives/<int:pk>/cancel/", objective_cancel, name="objective-cancel"),
    path("approvals/", approvals, name="approvals"),
]
