"""The cascade as a tree: strategic themes → company → unit → personal objectives, plus the
loose ends (not aligned; aligned to another period).

At ten thousand people a period holds tens of thousands of objectives, so the tree is read in
levels: the first screen reads the company objectives and the unit objectives two levels below
them (`build_cascade`); every node whose aligned objectives were not read carries how many there
are (`more`), and the page loads them when the reader opens the node (`cascade_children`). A unit
filter or a search reads the branches that involve it, with the path up to them, whole.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from goals.models import KeyResult, Objective, Period, Perspective, StrategicTheme
from goals.objectives.selectors import objective_list_visible_to
from goals.scoring.engine import weighted_mean
from goals.scoring.figures import current_progress
from goals.strategy.forms import plain_number
from goals.strategy.selectors import period_family, theme_list
from org.models import User
from org.selectors import tree_subtree_ids

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


def themes_in_view(period: Period) -> QuerySet[StrategicTheme]:
    """Themes that apply to a period: its own, those of the periods it sits in, and those inside it."""
    return theme_list().filter(
        Q(period_id__in=period_family(period)) | Q(period__start__gte=period.start, period__end__lte=period.end)
    )


def by_perspective(queryset: QuerySet[StrategicTheme]) -> QuerySet[StrategicTheme]:
    rank = Case(
        *(When(perspective=value, then=Value(i)) for i, value in enumerate(PERSPECTIVE_ORDER)),
        default=Value(len(PERSPECTIVE_ORDER)),
        output_field=IntegerField(),
    )
    return queryset.annotate(perspective_rank=rank).order_by("perspective_rank", "period__start", "title", "pk")


def key_result_progress(key_result: KeyResult) -> Decimal | None:
    """Progress of one key result (0–100), from its cached current value and prefetched milestones."""
    return current_progress(key_result)


def objective_progress(objective: Objective) -> Decimal | None:
    """The weighted mean of the objective's key results' progress (None before any data)."""
    return weighted_mean([(kr.weight, key_result_progress(kr)) for kr in objective.key_results.all()])


def percent_text(value: Decimal | None) -> str:
    return "" if value is None else str(value.quantize(Decimal("1")))


def unit_subtree_ids(nodes: list[dict], unit_id: int) -> set[int]:
    """A unit and every unit below it, read from the loaded unit tree."""
    return tree_subtree_ids(nodes, unit_id) or set()


# --- the cascade -------------------------------------------------------------------------


def _objective_node(objective: Objective) -> dict:
    value = objective_progress(objective)
    return {
        "kind": "objective",
        "item": objective,
        "children": [],
        "progress": value,
        "percent": percent_text(value),
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


def _place(objectives: list[Objective], theme_nodes: list[dict]) -> tuple[dict[int, dict], list[dict], list[dict]]:
    """Hang each objective under its parent or theme: (nodes by id, aligned to nothing, aligned elsewhere)."""
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
    return nodes, unaligned, elsewhere


def _keep(groups: tuple[list[dict], ...], test) -> tuple[list[dict], ...]:
    """Each group's branches that pass `test` somewhere (see _prune)."""
    return tuple([node for node in group if _prune(node, test, False)] for group in groups)


def build_cascade(*, actor: User, period: Period, unit_ids: set[int] | None = None, query: str = "") -> dict:
    """The tree for a period: themes → company → unit → personal objectives, plus the loose ends.

    - `themes`: theme nodes with their aligned objectives below them;
    - `unaligned`: objectives aligned to nothing (below company level, or company objectives
      without a theme), each with what is aligned to it;
    - `elsewhere`: objectives aligned to an objective or theme outside the period shown.
    With `unit_ids`, only branches involving those units are kept, with their ancestors for context;
    with `query`, only branches with a title, owner or unit containing it (then shown open).
    """
    visible = in_period(actor=actor, period=period)
    whole = unit_ids is not None or bool(query.strip())
    if unit_ids is not None:  # the unit's branches and the path up to them
        first = visible.filter(pk__in=with_ancestors(visible.filter(involving(unit_ids))))
    elif whole:
        first = visible
    else:
        first = visible.filter(first_screen(period))
    themes = list(by_perspective(themes_in_view(period)))
    theme_nodes = [{"kind": "theme", "item": theme, "children": [], "match": True} for theme in themes]
    nodes, unaligned, elsewhere = _place(list(with_more(first, actor=actor, period=period)), theme_nodes)

    if unit_ids is not None:

        def involves(node: dict) -> bool:
            if node["kind"] != "objective":
                return False
            objective = node["item"]
            if objective.owner_unit_id is not None:
                return objective.owner_unit_id in unit_ids
            return objective.owner_employee.unit_id in unit_ids

        theme_nodes, unaligned, elsewhere = _keep((theme_nodes, unaligned, elsewhere), involves)

    needle = query.strip().casefold()
    if needle:

        def found(node: dict) -> bool:
            return needle in _search_text(node).casefold()

        theme_nodes, unaligned, elsewhere = _keep((theme_nodes, unaligned, elsewhere), found)

    for node in nodes.values():  # what is aligned to it and was not read: loaded when opened
        node["more"] = 0 if node["children"] else node["item"].aligned_count
    shown = 0
    open_all = bool(needle)
    for node in theme_nodes:
        node["depth"] = 0
        node["open"] = True
        node["count"] = _finish(node["children"], 1, node["item"].perspective, open_all=open_all)
        shown += node["count"]
    shown += _finish(unaligned, 0, open_all=open_all) + _finish(elsewhere, 0, open_all=open_all)
    if not whole:  # the first screen: count what the tree holds, not only what was read
        shown = visible.count()
        totals = theme_totals(visible)
        for node in theme_nodes:
            node["count"] = totals.get(node["item"].pk, 0)
    return {
        "themes": theme_nodes,
        "unaligned": unaligned,
        "elsewhere": elsewhere,
        "objective_count": shown,
        "unaligned_count": len(unaligned),
    }


def in_period(*, actor: User, period: Period) -> QuerySet[Objective]:
    """The objectives of the period (and the periods inside it) the reader may see."""
    return objective_list_visible_to(actor=actor).filter(period__start__gte=period.start, period__end__lte=period.end)


def involving(unit_ids: set[int]) -> Q:
    """What a unit's page reads: the objectives of these units, and those of their people that are
    not aligned to one of them (the rest load under their unit's objective when it is opened)."""
    in_units = Q(owner_employee__unit_id__in=unit_ids) & ~Q(parent__owner_unit_id__in=unit_ids)
    return Q(owner_unit_id__in=unit_ids) | in_units


def with_ancestors(objectives: QuerySet[Objective]) -> RawSQL:
    """Ids of these objectives and of every objective they are aligned under, for `pk__in=`."""
    ids_sql, params = objectives.order_by().values("pk").query.sql_with_params()
    table = Objective._meta.db_table
    sql = (
        f"WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM {table} WHERE id IN ({ids_sql})"  # noqa: S608
        f" UNION SELECT t.id, t.parent_id FROM {table} t JOIN up ON t.id = up.parent_id) SELECT id FROM up"
    )
    return RawSQL(sql, params)  # noqa: S611 (table from model metadata, the rest a compiled subquery)


def first_screen(period: Period) -> Q:
    """What the first screen reads: company objectives, what is aligned to them, what is aligned to
    the unit objectives among those, and the loose ends (aligned to nothing, or to another period)."""
    company, unit = Objective.Level.COMPANY, Objective.Level.UNIT
    return (
        Q(level=company)
        | Q(parent__level=company)
        | Q(parent__level=unit, parent__parent__level=company)
        | Q(parent__isnull=True)
        | Q(parent__period__start__lt=period.start)
        | Q(parent__period__end__gt=period.end)
    )


def with_more(objectives: QuerySet[Objective], *, actor: User, period: Period) -> QuerySet[Objective]:
    """Each objective with `aligned_count`: how many objectives of the period the reader may see are
    aligned directly to it (one subquery, whatever the number of rows)."""
    aligned = (
        in_period(actor=actor, period=period)
        .filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return objectives.annotate(aligned_count=Coalesce(Subquery(aligned, output_field=IntegerField()), Value(0)))


def cascade_children(*, actor: User, period: Period, objective: Objective) -> list[dict]:
    """The objectives aligned directly to one objective, as tree nodes whose own aligned objectives
    are loaded when opened (the page asks for them node by node)."""
    children = with_more(in_period(actor=actor, period=period).filter(parent=objective), actor=actor, period=period)
    nodes = [_objective_node(child) for child in children]
    for node in nodes:
        node["more"] = node["item"].aligned_count
    _finish(nodes, 0)
    return nodes


def theme_totals(visible: QuerySet[Objective]) -> dict[int, int]:
    """{theme id: how many of `visible` sit in its branch}, counted in the database: the objectives
    aligned to the theme and everything aligned below them that is itself in `visible`."""
    ids_sql, params = visible.order_by().values("pk").query.sql_with_params()
    table = Objective._meta.db_table
    sql = (
        f"WITH RECURSIVE branch(id, theme_id) AS ("  # noqa: S608 (table from model metadata, ids a subquery)
        f" SELECT id, theme_id FROM {table} WHERE parent_id IS NULL AND theme_id IS NOT NULL AND id IN ({ids_sql})"
        f" UNION ALL SELECT o.id, branch.theme_id FROM {table} o JOIN branch ON o.parent_id = branch.id"
        f" WHERE o.id IN ({ids_sql})"
        f") SELECT theme_id, COUNT(*) FROM branch GROUP BY theme_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        return dict(cursor.fetchall())
