"""Creating and editing an objective with its key results, and the SMART panel's live check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.htmx import is_htmx
from goals.access import (
    objective_access_for_edit,
    objective_access_for_view,
)
from goals.errors import MESSAGES as ERROR_MESSAGES
from goals.errors import GoalError, GoalErrorCode
from goals.models import Objective
from goals.objectives import services
from goals.objectives.forms import (
    ObjectiveForm,
    key_result_formset,
    objective_save_from_forms,
    plain,
    smart_for_forms,
    weights_for_form,
)
from goals.objectives.views.links import EDITABLE, _detail_url

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
