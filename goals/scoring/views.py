"""Score explanation pages: how an objective's, a person's, a unit's or a strategic theme's score
comes about — the score, the formula in words, every contributing item with its weight, value
and contribution, a total row that adds up to the score, notes, and the trend from the daily
snapshots.

Thin views: access through goals.access / org.access, the numbers from goals.scoring.explain (the one
scoring engine), the trend from goals.scoring.explain.score_history.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from goals.access import objective_access_for_view, person_score_access_for_view
from goals.models import Period, ScoreKind
from goals.progress.pace import Pace
from goals.progress.rows import objective_pace
from goals.scoring.engine import Explanation
from goals.scoring.explain import (
    explain_objective,
    explain_person,
    explain_theme,
    explain_unit,
    explanation_totals,
    hide_unseen,
    score_history,
)
from goals.strategy.forms import PeriodFilterForm
from goals.strategy.selectors import period_default, period_list, theme_list
from org.models import OrgUnit


def came_from_path(request: HttpRequest) -> str:
    """The page the reader came from (?next=), when it is a path on this site; else "".

    Only a plain path counts: "/…", never "//host", "/\\host", a scheme or another host."""
    candidate = request.GET.get("next", "")
    if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
        return ""
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts=set()):
        return ""
    return candidate


def _periods() -> list[Period]:
    """The periods a person's or a unit's score can be asked for: years, halves and quarters."""
    return list(period_list().exclude(kind=Period.Kind.MONTH))


def _chosen_period(request: HttpRequest, periods: list[Period]) -> tuple[PeriodFilterForm, Period]:
    """The period in ?period=, else the current fiscal year, else the latest year (404 without any)."""
    form = PeriodFilterForm(request.GET or None, periods=periods)
    chosen = form.cleaned_data.get("period") if form.is_bound and form.is_valid() else None
    if chosen is None:
        chosen = period_default(periods=periods)
    if chosen is None:
        raise Http404(_("There is no period yet."))
    form = PeriodFilterForm({"period": str(chosen.pk)}, periods=periods)
    form.is_valid()
    return form, chosen


def _render(
    request: HttpRequest,
    *,
    kind: str,
    subject_id: int,
    period: Period,
    explanation: Explanation,
    heading: str,
    subtitle: str,
    back_url: str = "",
    back_label: str = "",
    form: PeriodFilterForm | None = None,
    pace: Pace | None = None,
) -> HttpResponse:
    explanation = hide_unseen(explanation, actor=request.user)
    history = score_history(kind, subject_id, period)
    came_from = came_from_path(request)
    if came_from:
        back_url, back_label = came_from, _("Back to the previous page")
    return render(
        request,
        "goals/score_page.html",
        {
            "kind": kind,
            "period": period,
            "form": form,
            "explanation": explanation,
            "totals": explanation_totals(explanation),
            "pace": pace,
            "history": history,
            "heading": heading,
            "subtitle": subtitle,
            "back_url": back_url,
            "back_label": back_label,
            "came_from": came_from,
            "chart_title": _("Score over time: %(subject)s") % {"subject": heading},
            "chart_desc": _("The score of %(subject)s on each day of %(period)s, from the daily snapshots.")
            % {"subject": heading, "period": period.name},
            "nav_active": "my-work",
        },
    )


@login_required
def objective_score(request: HttpRequest, pk: int) -> HttpResponse:
    objective = objective_access_for_view(actor=request.user, objective_id=pk)
    explanation = explain_objective(objective)
    pace = objective_pace(objective, progress=explanation.progress, today=timezone.localdate())
    return _render(
        request,
        kind=ScoreKind.OBJECTIVE,
        subject_id=objective.pk,
        period=objective.period,
        explanation=explanation,
        heading=objective.title,
        subtitle=_("Objective · %(owner)s · %(period)s")
        % {"owner": objective.owner_name, "period": objective.period.name},
        back_url=reverse("goals:objective-detail", args=[objective.pk]),
        back_label=_("Back to the objective"),
        pace=pace,
    )


@login_required
def person_score(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = person_score_access_for_view(actor=request.user, employee_id=employee_id)
    form, period = _chosen_period(request, _periods())
    explanation = explain_person(employee, period)
    return _render(
        request,
        kind=ScoreKind.PERSON,
        subject_id=employee.pk,
        period=period,
        explanation=explanation,
        heading=employee.user.display_name,
        subtitle=_("Results score for %(period)s: counted (KPI) objectives only") % {"period": period.name},
        back_url=reverse("org:employee", args=[employee.pk]),
        back_label=_("Back to the employee record"),
        form=form,
    )


@login_required
def unit_score(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Unit objectives are open to everyone (the cascade is shared), and so is a unit's score."""
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    form, period = _chosen_period(request, _periods())
    explanation = explain_unit(unit, period)
    return _render(
        request,
        kind=ScoreKind.UNIT,
        subject_id=unit.pk,
        period=period,
        explanation=explanation,
        heading=unit.display_name,
        subtitle=_("Unit score for %(period)s") % {"period": period.name},
        back_url=f"{reverse('goals:cascade')}?period={period.pk}&unit={unit.pk}",
        back_label=_("Back to the cascade"),
        form=form,
    )


@login_required
def theme_score(request: HttpRequest, pk: int) -> HttpResponse:
    """Strategic themes and company objectives are open to everyone, and so is a theme's score."""
    theme = theme_list().filter(pk=pk).first()
    if theme is None:
        raise Http404
    explanation = explain_theme(theme)
    return _render(
        request,
        kind=ScoreKind.THEME,
        subject_id=theme.pk,
        period=theme.period,
        explanation=explanation,
        heading=theme.display_title,
        subtitle=_("Strategic theme · %(perspective)s · %(period)s")
        % {"perspective": theme.get_perspective_display(), "period": theme.period.name},
        back_url=f"{reverse('goals:cascade')}?period={theme.period_id}",
        back_label=_("Back to the cascade"),
    )


urlpatterns = [
    path("scores/objective/<int:pk>/", objective_score, name="score-objective"),
    path("scores/person/<int:employee_id>/", person_score, name="score-person"),
    path("scores/unit/<int:unit_id>/", unit_score, name="score-unit"),
    path("scores/theme/<int:pk>/", theme_score, name="score-theme"),
]
