"""Goals pages: strategy — the cascade from strategic themes down to personal objectives, and the themes.

The cascade is built in Python from one query of objectives (with their key results prefetched)
and one of themes, so the number of queries does not grow with the tree.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.forms import apply_error_to_form
from goals.access import strategy_access_for_manage
from goals.models import KeyResult, Objective, Period, Perspective, StrategicTheme
from goals.objectives.selectors import objective_list_visible_to
from goals.scoring.engine import KeyResultFigures, progress, weighted_mean
from goals.strategy.forms import CascadeFilterForm, PeriodFilterForm, ThemeForm, plain_number
from goals.strategy.selectors import period_default, period_family, period_list, theme_list, theme_owner_choices
from goals.strategy.services import theme_create, theme_update
from org.models import User
from org.selectors import employee_of, unit_list, unit_tree

PAGE_SIZE = 25
PERSPECTIVE_ORDER = [choice.value for choice in Perspective]
LEVEL_ORDER = {Objective.Level.COMPANY: 0, Objective.Level.UNIT: 1, Objective.Level.PERSON: 2}
STATUS_BADGES = {
    Objective.Status.DRAFT: "badge-muted",
    Objective.Status.SUBMITTED: "badge-primary",
    Objective.Status.RETURNED: "badge-warning",
    Objective.Status.APPROVED: "badge-success",
    Objective.Status.CLOSED: "",
    Objective.Status.CANCELLED: "badge-muted",
}


# --- shared helpers ----------------------------------------------------------------------


def filter_periods() -> list[Period]:
    """The periods one may filter by (years, halves, quarters), in order."""
    return list(period_list().exclude(kind=Period.Kind.MONTH))


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


def themes_in_view(period: Period) -> QuerySet[StrategicTheme]:
    """Themes that apply to a period: its own, those of the periods it sits in, and those inside it."""
    return theme_list().filter(
        Q(period_id__in=period_family(period)) | Q(period__start__gte=period.start, period__end__lte=period.end)
    )


def _by_perspective(queryset: QuerySet[StrategicTheme]) -> QuerySet[StrategicTheme]:
    rank = Case(
        *(When(perspective=value, then=Value(i)) for i, value in enumerate(PERSPECTIVE_ORDER)),
        default=Value(len(PERSPECTIVE_ORDER)),
        output_field=IntegerField(),
    )
    return queryset.annotate(perspective_rank=rank).order_by("perspective_rank", "period__start", "title", "pk")


def key_result_progress(key_result: KeyResult) -> Decimal | None:
    """Progress of one key result (0–100), from its cached current value and prefetched milestones."""
    milestones = list(key_result.milestones.all())
    figures = KeyResultFigures(
        direction=key_result.direction,
        baseline=key_result.baseline,
        target=key_result.target,
        stretch=key_result.stretch,
        range_low=key_result.range_low,
        range_high=key_result.range_high,
        milestones_total=len(milestones),
        milestones_done=sum(1 for milestone in milestones if milestone.done_on),
    )
    return progress(figures, key_result.current_value)


def objective_progress(objective: Objective) -> Decimal | None:
    """The weighted mean of the objective's key results' progress (None before any data)."""
    return weighted_mean([(kr.weight, key_result_progress(kr)) for kr in objective.key_results.all()])


def _percent(value: Decimal | None) -> str:
    return "" if value is None else str(value.quantize(Decimal("1")))


def _can_manage_strategy(user: User) -> bool:
    try:
        strategy_access_for_manage(actor=user)
    except PermissionDenied:
        return False
    return True


def _subtree_ids(nodes: list[dict], unit_id: int) -> set[int]:
    """A unit and every unit below it, read from the loaded unit tree."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node["unit"].pk == unit_id:
            found, below = set(), [node]
            while below:
                current = below.pop()
                found.add(current["unit"].pk)
                below.extend(current["children"])
            return found
        stack.extend(node["children"])
    return set()


# --- the cascade -------------------------------------------------------------------------


def _objective_node(objective: Objective) -> dict:
    value = objective_progress(objective)
    return {
        "kind": "objective",
        "item": objective,
        "children": [],
        "progress": value,
        "percent": _percent(value),
        "weight": plain_number(objective.weight),
        "status_badge": STATUS_BADGES.get(objective.status, ""),
        "unaligned": not objective.is_aligned,
        "match": True,
    }


def _sort_key(node: dict):
    objective: Objective = node["item"]
    return (LEVEL_ORDER.get(objective.level, 9), objective.owner_name, -objective.weight, objective.pk)


def _finish(nodes: list[dict], depth: int, perspective: str = "", *, open_all: bool = False) -> int:
    """Sort children, set depth, the perspective inherited from the theme and whether the node
    starts open; return the objective count."""
    count = 0
    nodes.sort(key=_sort_key)
    for node in nodes:
        node["depth"] = depth
        node["perspective"] = perspective
        node["open"] = open_all or _starts_open(node)
        count += 1 + _finish(node["children"], depth + 1, perspective, open_all=open_all)
    return count


def _starts_open(node: dict) -> bool:
    """The tree starts collapsed below unit level: themes and company objectives are open, a
    unit objective only to show the unit objectives below it, never the personal ones."""
    if node["kind"] == "theme":
        return True
    level = node["item"].level
    if level == Objective.Level.COMPANY:
        return True
    if level == Objective.Level.UNIT:
        return any(child["item"].level == Objective.Level.UNIT for child in node["children"])
    return False


def _prune(node: dict, involves, inherited: bool) -> bool:
    """Keep a node if it involves the unit (or the search), lies below one that does, or leads to one that does."""
    own = involves(node)
    node["children"] = [child for child in node["children"] if _prune(child, involves, inherited or own)]
    node["match"] = own or inherited
    return own or inherited or bool(node["children"])


def _search_text(node: dict) -> str:
    """What the cascade's search box looks in: titles (both languages), owners and units."""
    item = node["item"]
    if node["kind"] == "theme":
        return " ".join([item.title, item.title_en or "", item.owner.user.full_name, item.owner.user.english_name])
    words = [item.title]
    if item.owner_employee_id:
        user = item.owner_employee.user
        words += [user.full_name, user.english_name, user.username]
    if item.owner_unit_id:
        words += [item.owner_unit.name, item.owner_unit.name_en]
    return " ".join(word for word in words if word)


def build_cascade(*, actor: User, period: Period, unit_ids: set[int] | None = None, query: str = "") -> dict:
    """The tree for a period: themes → company → unit → personal objectives, plus the loose ends.

    - `themes`: theme nodes with their aligned objectives below them;
    - `unaligned`: objectives aligned to nothing (below company level, or company objectives
      without a theme), each with what is aligned to it;
    - `elsewhere`: objectives aligned to an objective or theme outside the period shown.
    With `unit_ids`, only branches involving those units are kept, with their ancestors for context;
    with `query`, only branches with a title, owner or unit containing it (then shown open).
    """
    objectives = list(
        objective_list_visible_to(actor=actor).filter(period__start__gte=period.start, period__end__lte=period.end)
    )
    themes = list(_by_perspective(themes_in_view(period)))
    theme_nodes = [{"kind": "theme", "item": theme, "children": [], "match": True} for theme in themes]
    theme_by_id = {node["item"].pk: node for node in theme_nodes}
    nodes = {objective.pk: _objective_node(objective) for objective in objectives}
    unaligned: list[dict] = []
    elsewhere: list[dict] = []
    for objective in objectives:
        node = nodes[objective.pk]
        if objective.parent_id:
            parent = nodes.get(objective.parent_id)
            (parent["children"] if parent else elsewhere).append(node)
        elif objective.theme_id:
            theme = theme_by_id.get(objective.theme_id)
            (theme["children"] if theme else elsewhere).append(node)
        else:
            unaligned.append(node)

    if unit_ids is not None:

        def involves(node: dict) -> bool:
            if node["kind"] != "objective":
                return False
            objective = node["item"]
            if objective.owner_unit_id is not None:
                return objective.owner_unit_id in unit_ids
            return objective.owner_employee.unit_id in unit_ids

        theme_nodes = [node for node in theme_nodes if _prune(node, involves, False)]
        unaligned = [node for node in unaligned if _prune(node, involves, False)]
        elsewhere = [node for node in elsewhere if _prune(node, involves, False)]

    needle = query.strip().casefold()
    if needle:

        def found(node: dict) -> bool:
            return needle in _search_text(node).casefold()

        theme_nodes = [node for node in theme_nodes if _prune(node, found, False)]
        unaligned = [node for node in unaligned if _prune(node, found, False)]
        elsewhere = [node for node in elsewhere if _prune(node, found, False)]

    shown = 0
    open_all = bool(needle)
    for node in theme_nodes:
        node["depth"] = 0
        node["open"] = True
        node["count"] = _finish(node["children"], 1, node["item"].perspective, open_all=open_all)
        shown += node["count"]
    shown += _finish(unaligned, 0, open_all=open_all) + _finish(elsewhere, 0, open_all=open_all)
    return {
        "themes": theme_nodes,
        "unaligned": unaligned,
        "elsewhere": elsewhere,
        "objective_count": shown,
        "unaligned_count": len(unaligned),
    }


@login_required
def cascade(request):
    """The cascade, for everyone signed in; what each person sees follows the objectives' visibility."""
    units = list(unit_list())
    tree = unit_tree(units=units)
    periods = filter_periods()
    form = CascadeFilterForm(_with_default_period(request.GET, periods), periods=periods, tree=tree)
    period, unit_ids, unit = _chosen_period(form, periods), None, None
    if form.cleaned_data.get("unit"):
        unit_id = int(form.cleaned_data["unit"])
        unit_ids = _subtree_ids(tree, unit_id)
        unit = next((u for u in units if u.pk == unit_id), None)
    query = form.cleaned_data.get("q", "")
    data = build_cascade(actor=request.user, period=period, unit_ids=unit_ids, query=query) if period else None
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
            objective_list_visible_to(actor=request.user)
            .filter(level=Objective.Level.COMPANY)
            .exclude(status=Objective.Status.CANCELLED)
            .order_by("-weight", "pk")
        )
        queryset = _by_perspective(themes_in_view(period)).prefetch_related(
            Prefetch("objectives", queryset=company_objectives, to_attr="company_objectives")
        )
        page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        for theme in page_obj:
            for objective in theme.company_objectives:
                objective.progress_percent = _percent(objective_progress(objective))
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


urlpatterns = [
    path("cascade/", cascade, name="cascade"),
    path("themes/", themes, name="themes"),
    path("themes/new/", theme_create_view, name="theme-create"),
    path("themes/<int:pk>/edit/", theme_update_view, name="theme-edit"),
]
