"""Goals pages: my objectives, my team's objectives, recording progress (htmx), a key result's
history with corrections, milestones, and action plans.

Thin views: reads through goals.selectors, permissions through goals.access, writes through
goals.services. Every list page reads a fixed number of queries whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import apply_error_to_form
from core.htmx import is_htmx
from goals.access import (
    action_plan_access_for_change,
    can_edit_action_plans,
    can_record_progress,
    key_result_access_for_progress,
    key_result_access_for_view,
    measurement_access_for_correct,
    measurement_access_for_view,
    milestone_access_for_progress,
    objective_access_for_action_plans,
)
from goals.errors import GoalError
from goals.models import ActionPlan, KeyResult, Measurement, Objective, Period
from goals.objectives.selectors import (
    action_plan_list,
    action_plan_owner_choices,
    key_result_with_details,
    objective_list_for_owner,
    objective_list_for_units_led_by,
    objective_list_visible_to,
    objective_summaries_visible_to,
)
from goals.objectives.services import action_plan_create as action_plan_create_service
from goals.objectives.services import action_plan_update
from goals.progress.forms import ActionPlanForm, CorrectionForm, PeriodForm, ProgressForm, TeamFilterForm
from goals.progress.rows import ObjectiveCard, key_result_row, objective_cards, row_series
from goals.progress.selectors import measurement_effective_list, measurement_list
from goals.progress.services.measurements import (
    key_result_mark_done,
    measurement_correct,
    measurement_record,
    milestone_set_done,
)
from goals.progress.team import PersonPerformance, team_performance
from goals.scoring import Rollup, person_score_with_fresh
from goals.strategy.selectors import period_list
from goals.templatetags.goals_charts import plain_number as _plain
from org.models import Role
from org.selectors import employee_of, employee_reports, user_roles

PAGE_SIZE = 25


# --- helpers ---------------------------------------------------------------------------


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _url_or_none(name: str, *args) -> str | None:
    """Pages built by other parts of the app may not be there yet: link only when they are."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _objective_url(objective: Objective) -> str:
    return _url_or_none("goals:objective-detail", objective.pk) or reverse("goals:my-objectives")


# a correction's "comment" (the services' name) is its form's "reason"
FORM_FIELDS = {"comment": "reason"}


def _sorted_periods() -> list[Period]:
    """Years, newest first, each followed by its halves, quarters and months."""
    rank = {Period.Kind.YEAR: 0, Period.Kind.HALF: 1, Period.Kind.QUARTER: 2, Period.Kind.MONTH: 3}
    periods = list(period_list())

    def year_of(period: Period) -> Period:
        return period.parent if period.parent_id and period.parent.kind == Period.Kind.YEAR else period

    return sorted(periods, key=lambda p: (-year_of(p).start.toordinal(), rank.get(p.kind, 9), p.start))


def _chosen_period(form: PeriodForm, periods: list[Period], today: date) -> Period | None:
    by_id = {p.pk: p for p in periods}
    if form.is_bound and form.is_valid() and form.cleaned_data.get("period") in by_id:
        return by_id[form.cleaned_data["period"]]
    years = [p for p in periods if p.kind == Period.Kind.YEAR]
    current = next((p for p in years if p.contains(today)), None)
    if current is not None:
        return current
    started = [p for p in years if p.start <= today]
    return started[0] if started else (years[-1] if years else (periods[0] if periods else None))


def _within(period: Period) -> Q:
    """Objectives of this period and of the shorter periods inside it (a year shows its quarters)."""
    return Q(period=period) | Q(period__start__gte=period.start, period__end__lte=period.end)


def _input_number(value: Decimal) -> str:
    """A Decimal for an <input type=number>: 10, not 10.0000 (no grouping, no exponent)."""
    return format(value.normalize(), "f")


def _row_response(request: HttpRequest, key_result_id: int, *, next_url: str, **row_options) -> HttpResponse:
    """The key result's row, and out of band what it changes: its objective card's head (score,
    progress, pace) and, for the owner, the page's results score — computed from the data just
    written with the roll-up's own arithmetic, so nothing waits for the background roll-up."""
    today = timezone.localdate()
    kr = key_result_with_details(key_result_id=key_result_id)
    series = list(measurement_effective_list(key_result_ids=[kr.pk]))
    row = key_result_row(kr, kr.objective, **row_series(series), can_record=True, today=today, **row_options)
    html = render_to_string("goals/_key_result_row.html", {"row": row, "next_url": next_url}, request=request)
    objective = objective_list_visible_to(actor=request.user).filter(pk=kr.objective_id).first()
    if objective is not None:
        card = objective_cards([objective], actor=request.user, today=today, with_forms=False)[0]
        for part in ("goals/_objective_card_score.html", "goals/_objective_card_progress.html"):
            html += render_to_string(part, {"card": card, "oob": True}, request=request)
        me = employee_of(request.user)
        if me is not None and objective.owner_employee_id == me.pk:
            total = person_score_with_fresh(
                employee=me, period=objective.period, fresh={objective.pk: Rollup(card.score, card.progress)}
            )
            context = {
                "period": objective.period,
                "score": total.score if total else None,
                "progress": total.progress if total else None,
                "url": f"{reverse('goals:score-person', args=[me.pk])}?period={objective.period_id}",
                "oob": True,
            }
            html += render_to_string("goals/_my_score.html", context, request=request)
    return HttpResponse(html)


# --- my objectives -----------------------------------------------------------------------


@login_required
def my_objectives(request: HttpRequest) -> HttpResponse:
    actor = request.user
    me = employee_of(actor)
    roles = user_roles(actor)
    today = timezone.localdate()
    periods = _sorted_periods()
    form = PeriodForm(request.GET or None, periods=periods)
    period = _chosen_period(form, periods, today)

    tabs = []
    if me is not None:
        tabs.append(("mine", _("My objectives")))
        if Role.MANAGER in roles:
            tabs.append(("units", _("My units")))
    if Role.EXECUTIVE in roles:
        tabs.append(("company", _("Company")))
    tab_keys = [key for key, _label in tabs]
    tab = request.GET.get("tab") if request.GET.get("tab") in tab_keys else (tab_keys[0] if tab_keys else None)
    show_cancelled = request.GET.get("cancelled") == "1"

    queryset = Objective.objects.none()
    if period is not None and tab == "mine":
        queryset = objective_list_for_owner(employee=me)
    elif period is not None and tab == "units":
        queryset = objective_list_for_units_led_by(manager=me)
    elif period is not None and tab == "company":
        queryset = objective_list_visible_to(actor=actor).filter(level=Objective.Level.COMPANY)
    if period is not None:
        queryset = queryset.filter(_within(period))
    if not show_cancelled:
        queryset = queryset.exclude(status=Objective.Status.CANCELLED)
    queryset = queryset.prefetch_related(
        Prefetch(
            "action_plans",
            queryset=ActionPlan.objects.select_related("owner__user").order_by("objective_id", "due_date", "pk"),
        )
    ).order_by("period__start", "-weight", "pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    cards = objective_cards(list(page.object_list), actor=actor, today=today, with_plans=True)

    return render(
        request,
        "goals/my_objectives.html",
        {
            "form": form,
            "period": period,
            "tabs": tabs,
            "tab": tab,
            "show_cancelled": show_cancelled,
            "page_obj": page,
            "cards": cards,
            "next_url": request.get_full_path(),
            "create_url": _url_or_none("goals:objective-create"),
            "today": today,
        },
    )


# --- my team's objectives ----------------------------------------------------------------


@dataclass
class PersonGroup:
    person: object
    cards: list[ObjectiveCard]
    performance: PersonPerformance | None = None  # score, pace, last update (goals.progress.team)


def _page_of_ids(request: HttpRequest, people):
    """A page of people read ids first: the ordered ids of everyone listed (one query, which
    counts them too), then the page's people with their accounts, units and managers (a second).
    Someone's whole team is a recursive query PostgreSQL cannot size: joined in one query, it
    guesses everyone and joins all 10,000 accounts at a large company (~50 ms, not ~5)."""
    page = Paginator(list(people.values_list("pk", flat=True)), PAGE_SIZE).get_page(request.GET.get("page"))
    by_id = people.filter(pk__in=page.object_list).in_bulk()
    page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]
    return page


@login_required
def team_objectives(request: HttpRequest) -> HttpResponse:
    actor = request.user
    me = employee_of(actor)
    if me is None or Role.MANAGER not in user_roles(actor):
        raise PermissionDenied
    today = timezone.localdate()
    periods = _sorted_periods()
    form = TeamFilterForm(request.GET or None, periods=periods)
    period = _chosen_period(form, periods, today)
    status = form.cleaned_data.get("status", "") if form.is_bound and form.is_valid() else ""

    objectives = objective_summaries_visible_to(actor=actor).filter(level=Objective.Level.PERSON)
    if period is not None:
        objectives = objectives.filter(_within(period))
    if status:
        objectives = objectives.filter(status=status)
    people = employee_reports(manager=me).filter(is_active=True).order_by("user__full_name", "pk")
    if status:
        people = people.filter(pk__in=objectives.values("owner_employee_id"))
    page = _page_of_ids(request, people)
    persons = list(page.object_list)

    listed = list(objectives.filter(owner_employee__in=persons).order_by("period__start", "-weight", "pk"))
    cards = objective_cards(listed, actor=actor, today=today, with_forms=False, with_points=False)
    by_person: dict[int, list[ObjectiveCard]] = defaultdict(list)
    for card in cards:
        by_person[card.objective.owner_employee_id].append(card)
    performance = team_performance(people=persons, period=period)
    groups = [PersonGroup(person=p, cards=by_person.get(p.pk, []), performance=performance.get(p.pk)) for p in persons]

    return render(
        request,
        "goals/team_objectives.html",
        {"form": form, "period": period, "status": status, "page_obj": page, "groups": groups, "me": me},
    )


# --- recording progress ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def record_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """POST a progress update. htmx gets the key result's row back; a plain form post is
    redirected back to where it came from (or shown again with its errors)."""
    kr = key_result_access_for_progress(actor=request.user, key_result_id=pk)
    today = timezone.localdate()
    next_url = _next_url(request, reverse("goals:my-objectives"))
    form = ProgressForm(today=today, key_result_id=kr.pk)
    if request.method == "POST":
        form = ProgressForm(request.POST, request.FILES, today=today, key_result_id=kr.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                measurement = measurement_record(
                    key_result=kr,
                    value=data["value"],
                    as_of=data["as_of"],
                    actor=request.user,
                    source=KeyResult.Source.MANUAL,
                    comment=data["comment"],
                    confidence=data["confidence"],
                    evidence_file=data["evidence_file"],
                    evidence_url=data["evidence_url"],
                )
            except (GoalError, ValidationError) as error:
                apply_error_to_form(form, error, field_names=FORM_FIELDS)
            else:
                if is_htmx(request):
                    return _row_response(request, kr.pk, next_url=next_url, saved=True)
                messages.success(
                    request,
                    _("Progress recorded for “%(title)s”: %(value)s as of %(day)s.")
                    % {"title": kr.title, "value": _plain(measurement.value), "day": measurement.as_of.isoformat()},
                )
                return redirect(next_url)
    if is_htmx(request):
        return _row_response(request, kr.pk, next_url=next_url, form=form)
    kr = key_result_with_details(key_result_id=kr.pk)
    series = list(measurement_effective_list(key_result_ids=[kr.pk]))
    row = key_result_row(kr, kr.objective, **row_series(series), can_record=True, today=today, form=form)
    return render(
        request,
        "goals/record_progress.html",
        {"row": row, "next_url": next_url},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def milestone_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick a milestone done (today) or not done again."""
    milestone = milestone_access_for_progress(actor=request.user, milestone_id=pk)
    next_url = _next_url(request, reverse("goals:my-objectives"))
    done = request.POST.get("done") in ("1", "on", "true")
    error = ""
    try:
        milestone_set_done(milestone=milestone, actor=request.user, done_on=timezone.localdate() if done else None)
    except (GoalError, ValidationError) as problem:
        error = str(problem.message) if isinstance(problem, GoalError) else " ".join(problem.messages)
    if is_htmx(request):
        return _row_response(request, milestone.key_result_id, next_url=next_url, saved=not error, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Milestone updated: %(title)s.") % {"title": milestone.title})
    return redirect(next_url)


@login_required
@require_POST
def key_result_done_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """The done / not-done switch of a key result: today's update, corrected if today already has one."""
    kr = key_result_access_for_progress(actor=request.user, key_result_id=pk)
    next_url = _next_url(request, reverse("goals:my-objectives"))
    done = request.POST.get("done") in ("1", "on", "true")
    error = ""
    try:
        key_result_mark_done(key_result=kr, done=done, actor=request.user, today=timezone.localdate())
    except (GoalError, ValidationError) as problem:
        error = str(problem.message) if isinstance(problem, GoalError) else " ".join(problem.messages)
    if is_htmx(request):
        return _row_response(request, kr.pk, next_url=next_url, saved=not error, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Progress recorded for “%(title)s”.") % {"title": kr.title})
    return redirect(next_url)


# --- history and corrections --------------------------------------------------------------


@dataclass
class UpdateRow:
    measurement: Measurement
    correction: Measurement | None
    can_correct: bool


@login_required
def key_result_history(request: HttpRequest, pk: int) -> HttpResponse:
    key_result_access_for_view(actor=request.user, key_result_id=pk)
    kr = key_result_with_details(key_result_id=pk)
    objective = kr.objective
    may_correct = objective.status == Objective.Status.APPROVED and can_record_progress(
        actor=request.user, objective=objective
    )
    effective = list(measurement_effective_list(key_result_ids=[kr.pk]))
    row = key_result_row(kr, objective, **row_series(effective), can_record=False, today=timezone.localdate())

    updates = (
        measurement_list(key_result=kr)
        .select_related("corrected_by__entered_by", "corrects__entered_by")
        .order_by("-as_of", "-pk")
    )
    page = Paginator(updates, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for measurement in page.object_list:
        try:
            correction = measurement.corrected_by
        except Measurement.DoesNotExist:
            correction = None
        rows.append(UpdateRow(measurement, correction, may_correct and correction is None))

    chart_title = _("Progress of “%(title)s”") % {"title": kr.title}
    chart_desc = _history_description(kr, effective)
    return render(
        request,
        "goals/key_result_history.html",
        {
            "kr": kr,
            "objective": objective,
            "row": row,
            "effective": effective,
            "page_obj": page,
            "updates": rows,
            "chart_title": chart_title,
            "chart_desc": chart_desc,
            "objective_url": _objective_url(objective),
        },
    )


def _history_description(kr: KeyResult, effective: list[Measurement]) -> str:
    unit = f" {kr.unit_display}" if kr.unit_display else ""
    parts = []
    if kr.baseline is not None:
        parts.append(_("Baseline %(value)s%(unit)s.") % {"value": _plain(kr.baseline), "unit": unit})
    if kr.target is not None:
        parts.append(_("Target %(value)s%(unit)s.") % {"value": _plain(kr.target), "unit": unit})
    if kr.stretch is not None:
        parts.append(_("Stretch %(value)s%(unit)s.") % {"value": _plain(kr.stretch), "unit": unit})
    if effective:
        first, last = effective[0], effective[-1]
        parts.append(
            _("%(count)s progress updates from %(first_day)s (%(first)s%(unit)s) to %(last_day)s (%(last)s%(unit)s).")
            % {
                "count": len(effective),
                "first_day": first.as_of.isoformat(),
                "first": _plain(first.value),
                "last_day": last.as_of.isoformat(),
                "last": _plain(last.value),
                "unit": unit,
            }
        )
    else:
        parts.append(_("No progress updates yet."))
    return " ".join(parts)


@login_required
@require_http_methods(["GET", "POST"])
def measurement_correct_view(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = measurement_access_for_correct(actor=request.user, measurement_id=pk)
    kr = measurement.key_result
    today = timezone.localdate()
    history_url = reverse("goals:key-result-history", args=[kr.pk])
    try:
        already = measurement.corrected_by
    except Measurement.DoesNotExist:
        already = None
    initial = {"value": _input_number(measurement.value), "as_of": measurement.as_of}
    form = CorrectionForm(request.POST or None, initial=initial, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            measurement_correct(
                measurement=measurement,
                value=data["value"],
                actor=request.user,
                comment=data["reason"],
                as_of=data["as_of"],
            )
        except (GoalError, ValidationError) as error:
            apply_error_to_form(form, error, field_names=FORM_FIELDS)
        else:
            messages.success(request, _("The progress update was corrected; the original stays in the history."))
            return redirect(history_url)
    return render(
        request,
        "goals/measurement_correct.html",
        {"form": form, "measurement": measurement, "kr": kr, "already": already, "history_url": history_url},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def measurement_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file of a progress update, for whoever may see the key result."""
    measurement = measurement_access_for_view(actor=request.user, measurement_id=pk)
    if not measurement.evidence_file:
        raise Http404
    name = measurement.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(measurement.evidence_file.open("rb"), as_attachment=True, filename=name)


# --- action plans -----------------------------------------------------------------------------


def action_plans_context(*, actor, objective: Objective) -> dict:
    """The context templates/goals/_action_plans.html expects (for pages that include it)."""
    return {
        "objective": objective,
        "action_plans": list(action_plan_list(objective=objective)),
        "can_edit": can_edit_action_plans(actor=actor, objective=objective),
    }


def _action_plan_form_page(request, *, objective: Objective, form: ActionPlanForm, plan=None, status=200):
    return render(
        request,
        "goals/action_plan_form.html",
        {
            "objective": objective,
            "form": form,
            "plan": plan,
            "objective_url": _objective_url(objective),
            "next_url": _next_url(request, ""),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    objective = objective_access_for_action_plans(actor=request.user, objective_id=pk)
    owners = action_plan_owner_choices(objective=objective)
    me = employee_of(request.user)
    default_owner = objective.owner_employee_id or (me.pk if me and owners.filter(pk=me.pk).exists() else None)
    form = ActionPlanForm(
        request.POST or None, owners=owners, initial={"owner": default_owner, "budget_currency": "CNY"}
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            action_plan_create_service(
                objective=objective, actor=request.user, what=fields.pop("what"), owner=fields.pop("owner"), **fields
            )
        except (GoalError, ValidationError) as error:
            apply_error_to_form(form, error, field_names=FORM_FIELDS)
        else:
            messages.success(request, _("The action plan was added."))
            return redirect(_next_url(request, _objective_url(objective)))
    return _action_plan_form_page(
        request, objective=objective, form=form, status=400 if form.is_bound and form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = action_plan_access_for_change(actor=request.user, plan_id=pk)
    objective = plan.objective
    owners = action_plan_owner_choices(objective=objective, include_id=plan.owner_id)
    form = ActionPlanForm(request.POST or None, owners=owners, initial=ActionPlanForm.initial_from(plan))
    if request.method == "POST" and form.is_valid():
        try:
            action_plan_update(plan=plan, actor=request.user, **form.service_fields())
        except (GoalError, ValidationError) as error:
            apply_error_to_form(form, error, field_names=FORM_FIELDS)
        else:
            messages.success(request, _("The action plan was saved."))
            return redirect(_next_url(request, _objective_url(objective)))
    return _action_plan_form_page(
        request, objective=objective, form=form, plan=plan, status=400 if form.is_bound and form.errors else 200
    )


urlpatterns = [
    path("", my_objectives, name="my-objectives"),
    path("team/", team_objectives, name="team-objectives"),
    path("key-results/<int:pk>/progress/", record_progress, name="record-progress"),
    path("key-results/<int:pk>/history/", key_result_history, name="key-result-history"),
    path("key-results/<int:pk>/done/", key_result_done_toggle, name="key-result-done"),
    path("milestones/<int:pk>/toggle/", milestone_toggle, name="milestone-toggle"),
    path("measurements/<int:pk>/correct/", measurement_correct_view, name="measurement-correct"),
    path("measurements/<int:pk>/evidence/", measurement_evidence, name="measurement-evidence"),
    path("objectives/<int:pk>/action-plans/new/", action_plan_create, name="action-plan-create"),
    path("action-plans/<int:pk>/edit/", action_plan_edit, name="action-plan-edit"),
]
