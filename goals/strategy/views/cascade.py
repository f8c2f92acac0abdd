"""Goals pages: strategy — the cascade from strategic themes down to personal objectives (built by
goals.strategy.cascade, level by level: the page, then each opened row's aligned objectives), and
the themes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.forms import apply_error_to_form
from core.pickers import pick
from goals.access import objective_access_for_view, strategy_access_for_manage
from goals.models import Objective, Period, Perspective
from goals.objectives.selectors import objective_summaries_visible_to
from goals.strategy.cascade import (
    STATUS_BADGES,
    build_cascade,
    by_perspective,
    cascade_children,
    objective_progress,
    percent_text,
    themes_in_view,
    tree_rows,
    unit_subtree_ids,
)
from goals.strategy.forms import CascadeFilterForm, PeriodFilterForm, ThemeForm, plain_number
from goals.strategy.selectors import period_default, period_list, theme_list, theme_owner_choices
from goals.strategy.services import theme_create, theme_update
from org.forms import ManyOptionsSelect
from org.models import User
from org.selectors import employee_of, unit_choice_tree

PAGE_SIZE = 25


# --- shared helpers ----------------------------------------------------------------------


def filter_periods() -> list[Period]:
    """The periods one may filter by (years, halves, quarters), in order."""
    return list(period_list().exclude(kind=Period.Kind.MONTH))


def _cascade_periods() -> tuple[list[Period], list[Period]]:
    """(every period, those one may filter by) in one query: the cascade reads objectives by the ids
    of the periods inside the one shown, months included."""
    every = list(period_list())
    return every, [period for period in every if period.kind != Period.Kind.MONTH]


def _with_default_period(data, periods: list[Period]) -> dict:
    """The query string, with the default period when none is chosen."""
    data = data.copy()
    if not data.get("period"):
        current = period_default(periods=periods)
        if current is not None:
            data["period"] = str(current.pk)
    return data


def _chosen_period(form: PeriodFilterForm, periods: list[Period]) -> Period | None:
    """The period chosen on a filter form; the default one if the choice is not valid."""
    form.is_valid()
    return form.cleaned_data.get("period") or period_default(periods=periods)


def _can_manage_strategy(user: User) -> bool:
    try:
        strategy_access_for_manage(actor=user)
    except PermissionDenied:
        return False
    return True


def _unit_in(tree: list[dict], unit_id: int):
    """The unit with this id in the unit tree (None if it is not there)."""
    stack = list(tree)
    while stack:
        node = stack.pop()
        if node["unit"].pk == unit_id:
            return node["unit"]
        stack.extend(node["children"])
    return None


@login_required
def cascade(request):
    """The cascade, for everyone signed in; what each person sees follows the objectives' visibility."""
    tree = unit_choice_tree()  # plain rows: the filter's thousand units are no model instances
    every, periods = _cascade_periods()
    form = CascadeFilterForm(_with_default_period(request.GET, periods), periods=periods, tree=tree)
    form.fields["unit"].widget = ManyOptionsSelect(choices=form.fields["unit"].choices)  # one pass, not a template each
    period, unit_ids, unit = _chosen_period(form, periods), None, None
    if form.cleaned_data.get("unit"):
        unit_id = int(form.cleaned_data["unit"])
        unit_ids = unit_subtree_ids(tree, unit_id)
        unit = _unit_in(tree, unit_id)
    query = form.cleaned_data.get("q", "")
    data = None
    if period is not None:
        data = build_cascade(actor=request.user, period=period, periods=every, unit_ids=unit_ids, query=query)
    return render(
        request,
        "goals/cascade.html",
        {
            "form": form,
            "period": period,
            "unit": unit,
            "query": query,
            "cascade": data,
            "perspectives": Perspective.choices,
            "nav_active": "strategy",
        },
    )


# --- themes ------------------------------------------------------------------------------


@login_required
def themes(request):
    """Strategic themes of a period by perspective, each with its company objectives."""
    periods = filter_periods()
    form = PeriodFilterForm(_with_default_period(request.GET, periods), periods=periods)
    period = _chosen_period(form, periods)
    page_obj = None
    if period is not None:
        company_objectives = (
            objective_summaries_visible_to(actor=request.user)  # period, key results, milestones: no owners
            .filter(level=Objective.Level.COMPANY)
            .exclude(status=Objective.Status.CANCELLED)
            .order_by("-weight", "pk")
        )
        queryset = by_perspective(themes_in_view(period)).prefetch_related(
            Prefetch("objectives", queryset=company_objectives, to_attr="company_objectives")
        )
        page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        for theme in page_obj:
            for objective in theme.company_objectives:
                objective.progress_percent = percent_text(objective_progress(objective))
                objective.weight_text = plain_number(objective.weight)
                objective.status_badge = STATUS_BADGES.get(objective.status, "")
    return render(
        request,
        "goals/themes.html",
        {
            "form": form,
            "period": period,
            "page_obj": page_obj,
            "can_manage": _can_manage_strategy(request.user),
            "nav_active": "strategy",
        },
    )


def _themes_url(period: Period) -> str:
    return f"{reverse('goals:themes')}?period={period.pk}"


@login_required
def theme_create_view(request):
    strategy_access_for_manage(actor=request.user)
    if request.method == "POST":
        form = ThemeForm(request.POST)
        if form.is_valid():
            try:
                theme = theme_create(actor=request.user, **form.cleaned_data)
            except (ValidationError, ApplicationError) as error:
                apply_error_to_form(form, error)
            else:
                messages.success(
                    request, _("The strategic theme “%(title)s” is saved.") % {"title": theme.display_title}
                )
                return redirect(_themes_url(theme.period))
    else:
        me = employee_of(request.user)
        period = period_default()
        initial = {"period": period.pk if period else None}
        if me is not None and theme_owner_choices().filter(pk=me.pk).exists():
            initial["owner"] = me.pk
        form = ThemeForm(initial=initial)
    return render(request, "goals/theme_form.html", {"form": form, "theme": None, "nav_active": "strategy"})


@login_required
def theme_update_view(request, pk: int):
    strategy_access_for_manage(actor=request.user)
    theme = theme_list().filter(pk=pk).first()
    if theme is None:
        raise Http404
    if request.method == "POST":
        form = ThemeForm(request.POST)
        if form.is_valid():
            changed = {name: value for name, value in form.cleaned_data.items() if getattr(theme, name) != value}
            try:
                if changed:
                    theme = theme_update(theme=theme, actor=request.user, **changed)
            except (ValidationError, ApplicationError) as error:
                apply_error_to_form(form, error)
            else:
                if changed:
                    messages.success(
                        request, _("The strategic theme “%(title)s” is saved.") % {"title": theme.display_title}
                    )
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect(_themes_url(theme.period))
    else:
        form = ThemeForm(
            initial={
                "title": theme.title,
                "title_en": theme.title_en,
                "description": theme.description,
                "perspective": theme.perspective,
                "owner": theme.owner_id,
                "period": theme.period_id,
            }
        )
    return render(request, "goals/theme_form.html", {"form": form, "theme": theme, "nav_active": "strategy"})


@login_required
def cascade_children_view(request, pk: int):
    """The objectives aligned to one objective of the cascade (htmx loads them when the reader
    opens its row); each of them loads its own the same way. A hidden objective answers 404."""
    objective = objective_access_for_view(actor=request.user, objective_id=pk)
    every, periods = _cascade_periods()
    period = pick(request.GET.get("period"), periods) or period_default(periods=periods)
    if period is None:
        raise Http404
    level = request.GET.get("level", "")  # the personal ones only, below an open unit objective
    if level not in Objective.Level.values:
        level = ""
    nodes = cascade_children(actor=request.user, period=period, objective=objective, level=level, periods=every)
    return render(
        request, "goals/_cascade_children.html", {"rows": tree_rows(nodes), "period": period, "parent": objective}
    )


urlpatterns = [
    path("cascade/", cascade, name="cascade"),
    path("cascade/objectives/<int:pk>/aligned/", cascade_children_view, name="cascade-children"),
    path("themes/", themes, name="themes"),
    path("themes/new/", theme_create_view, name="theme-create"),
    path("themes/<int:pk>/edit/", theme_update_view, name="theme-edit"),
]
