"""Every read of people and structure, with what the actor may see already applied."""

from __future__ import annotations

from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL

from org.models import Employee, OrgUnit, Role, User

# Recursive CTEs: one query per tree walk whatever the depth. UNION (not UNION ALL)
# stops at a row already seen, so even bad data with a loop cannot recurse forever.
# Going down, each level looks its rows' children up by the parent column's index: on PostgreSQL
# as LATERAL … OFFSET 0, which keeps it from turning that into a scan of the whole table per level
# (10,000 people, a 500-person subtree read in ~1 ms instead of ~6); SQLite, which has no LATERAL,
# plans the plain join by the index itself.


def _step_down(cte: str, columns: str = "c.id") -> str:
    """The FROM clause of a walk's next level: the rows whose {parent} is a row of `cte`, as `t`
    with `columns` (of the child row `c`). Table and column names stay placeholders for format()."""
    if connection.vendor == "postgresql":
        return (
            f"FROM {cte} CROSS JOIN LATERAL"  # noqa: S608 (names from this module and model metadata)
            f" (SELECT {columns} FROM {{table}} c WHERE c.{{parent}} = {cte}.id OFFSET 0) t"
        )
    return f"FROM {cte} JOIN (SELECT {columns}, c.{{parent}} AS up_id FROM {{table}} c) t ON t.up_id = {cte}.id"  # noqa: S608


def _down() -> str:
    return (
        "WITH RECURSIVE sub(id) AS ("  # noqa: S608 (names only: model metadata; values parameters)
        " SELECT id FROM {table} WHERE {parent} = %s"
        f" UNION SELECT t.id {_step_down('sub')}"
        ") SELECT id FROM sub"
    )


_UP = (
    "WITH RECURSIVE up(id, parent_id, depth) AS ("
    " SELECT id, {parent}, 0 FROM {table} WHERE id = %s"
    " UNION SELECT t.id, t.{parent}, up.depth + 1 FROM {table} t JOIN up ON t.id = up.parent_id"
    " WHERE up.depth < 200"
    ") SELECT id, depth FROM up WHERE depth > 0"
)


def ancestors_sql(model, parent_field: str, node_id: int, *, include_self: bool = False) -> RawSQL:
    """Ids of the rows above `node_id` (its parent, theirs, … to the top; with `include_self`, and
    `node_id`), for `pk__in=`: read the rows in the same query and put them in order by following
    their parents."""
    table = model._meta.db_table
    column = model._meta.get_field(parent_field).column
    select = "SELECT id FROM up" if include_self else "SELECT id FROM up WHERE depth > 0"
    up = _UP.format(table=table, parent=column).replace("SELECT id, depth FROM up WHERE depth > 0", select)
    return RawSQL(up, [node_id])  # noqa: S611 (names from model metadata, the id a parameter)


def descendants_sql(model, parent_field: str, root_id: int) -> RawSQL:
    table = model._meta.db_table
    column = model._meta.get_field(parent_field).column
    # Table and column names come from model metadata, never from input; the id is a parameter.
    return RawSQL(_down().format(table=table, parent=column), [root_id])  # noqa: S611


def tree_ancestor_ids(model, parent_field: str, node_id: int) -> list[int]:
    table = model._meta.db_table
    column = model._meta.get_field(parent_field).column
    with connection.cursor() as cursor:
        cursor.execute(_UP.format(table=table, parent=column), [node_id])
        rows = cursor.fetchall()
    return [row_id for row_id, _depth in sorted(rows, key=lambda r: r[1])]


# --- roles -------------------------------------------------------------------------


def user_roles(user: User) -> frozenset[str]:
    """The roles a user holds. Cached on the user object for the request."""
    cached = getattr(user, "_stride_roles", None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    if user.is_authenticated:
        employee = employee_of(user)
        if employee is not None:
            roles.add(Role.EMPLOYEE)
            if employee.is_active and Employee.objects.filter(manager=employee, is_active=True).exists():
                roles.add(Role.MANAGER)
        if user.is_hr:
            roles.add(Role.HR)
        if user.is_executive:
            roles.add(Role.EXECUTIVE)
        if user.is_superuser:
            roles.add(Role.ADMIN)
    result = frozenset(roles)
    user._stride_roles = result
    return result


def employee_of(user: User) -> Employee | None:
    """The user's employee profile, or None (an admin account may have none)."""
    try:
        return user.employee
    except Employee.DoesNotExist:
        return None


def user_sees_all_people(user: User) -> bool:
    """HR, executives and admins read every employee record."""
    return bool(user_roles(user) & {Role.HR, Role.EXECUTIVE, Role.ADMIN})


def user_manages_org(user: User) -> bool:
    """HR and admins change people and structure (import, export, edit)."""
    return bool(user_roles(user) & {Role.HR, Role.ADMIN})


# --- employees -----------------------------------------------------------------------


def _employee_base() -> QuerySet[Employee]:
    return Employee.objects.select_related("user", "unit", "manager__user")


def employee_reports(*, manager: Employee, direct_only: bool = False) -> QuerySet[Employee]:
    """My reports: direct only, or the whole subtree below me (direct and indirect)."""
    if direct_only:
        return _employee_base().filter(manager=manager)
    return _employee_base().filter(pk__in=descendants_sql(Employee, "manager", manager.pk))


def employee_management_chain(*, employee: Employee) -> list[Employee]:
    """My manager, their manager, … up to the top, nearest first (one query: the chain's rows,
    put in order by following each one's manager)."""
    if employee.manager_id is None:
        return []
    by_id = _employee_base().filter(pk__in=ancestors_sql(Employee, "manager", employee.pk)).in_bulk()
    chain, seen, current = [], {employee.pk}, employee.manager_id
    while current in by_id and current not in seen:
        seen.add(current)
        chain.append(by_id[current])
        current = by_id[current].manager_id
    return chain


def employee_nearest_active_manager(*, employee: Employee) -> Employee | None:
    """The person who acts as this employee's manager: the direct manager, or — while that
    post is held by someone inactive — the next active manager up. None at the top.

    No query when the direct manager was read with the employee (select_related) and is active."""
    if employee.manager_id is None:
        return None
    if Employee.manager.is_cached(employee) and employee.manager is not None and employee.manager.is_active:
        return employee.manager
    return next((m for m in employee_management_chain(employee=employee) if m.is_active), None)


# People whose nearest active manager is this one: the direct reports, and the reports of
# any inactive person among them, and so on down (the set-based twin of the function above).
def _routed_to() -> str:
    return (
        "WITH RECURSIVE routed(id, active) AS ("  # noqa: S608 (names only: model metadata; values parameters)
        " SELECT id, is_active FROM {table} WHERE {parent} = %s"
        f" UNION SELECT t.id, t.active {_step_down('routed', 'c.id, c.is_active AS active')}"
        " WHERE NOT routed.active"
        ") SELECT id FROM routed"
    )


# People without an active manager anywhere above them: the people at the top, and the reports
# of any inactive person among them, and so on down (the same walk from the top). A handful of
# rows, where "everyone with an active manager above" is the whole company. Everyone else has an
# active manager above them (manager loops are refused by the writes: org.rules.find_cycle).
def _uncovered() -> str:
    return (
        "WITH RECURSIVE uncovered(id, active) AS ("  # noqa: S608 (names only: model metadata; values parameters)
        " SELECT id, is_active FROM {table} WHERE {parent} IS NULL"
        f" UNION SELECT t.id, t.active {_step_down('uncovered', 'c.id, c.is_active AS active')}"
        " WHERE NOT uncovered.active"
        ") SELECT id FROM uncovered"
    )


def employees_managed_by_sql(manager_id: int) -> RawSQL:
    """Ids of the people whose nearest active manager is this one (see employee_nearest_active_manager)."""
    column = Employee._meta.get_field("manager").column
    # Table and column names come from model metadata, never from input; the id is a parameter.
    return RawSQL(_routed_to().format(table=Employee._meta.db_table, parent=column), [manager_id])  # noqa: S611


def employees_without_active_manager_sql() -> RawSQL:
    """Ids of the people who have no active manager anywhere above them (everyone else has one)."""
    column = Employee._meta.get_field("manager").column
    return RawSQL(_uncovered().format(table=Employee._meta.db_table, parent=column), [])  # noqa: S611


def employee_list_in_unit(*, unit: OrgUnit, include_subunits: bool = True) -> QuerySet[Employee]:
    """People in this unit and, by default, every unit below it."""
    if not include_subunits:
        return _employee_base().filter(unit=unit)
    return _employee_base().filter(Q(unit=unit) | Q(unit_id__in=descendants_sql(OrgUnit, "parent", unit.pk)))


def employee_list_visible_to(*, actor: User) -> QuerySet[Employee]:
    """The employee records the actor may read.

    HR, executives and admins: everyone. Anyone else: themselves, their management chain
    and, for managers, every person below them.
    """
    if user_sees_all_people(actor):
        return _employee_base().all()
    me = employee_of(actor)
    if me is None:
        return Employee.objects.none()
    chain_ids = tree_ancestor_ids(Employee, "manager", me.pk)
    return _employee_base().filter(
        Q(pk=me.pk) | Q(pk__in=chain_ids) | Q(pk__in=descendants_sql(Employee, "manager", me.pk))
    )


# --- units ---------------------------------------------------------------------------


def unit_descendants(*, unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(pk__in=descendants_sql(OrgUnit, "parent", unit.pk))


def unit_and_below_ids(*, unit_id: int) -> list[int]:
    """The unit's id and those of every unit below it, the unit first (one query)."""
    below = OrgUnit.objects.filter(pk__in=descendants_sql(OrgUnit, "parent", unit_id)).values_list("pk", flat=True)
    return [unit_id, *below]


def tree_subtree_ids(nodes: list[dict], unit_id: int) -> set[int] | None:
    """A unit's id and those of every unit below it, read from a tree `unit_tree` built (no query);
    None when the unit is not in it."""
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
    return None


def unit_ancestors(*, unit: OrgUnit) -> list[OrgUnit]:
    """Parent, grandparent, … nearest first."""
    ids = tree_ancestor_ids(OrgUnit, "parent", unit.pk)
    by_id = OrgUnit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def unit_list(*, with_counts: bool = True) -> QuerySet[OrgUnit]:
    """All units, by name, with their head count (`employee_count`, active people directly in
    the unit) unless `with_counts=False` — a unit picker needs no count, and counting groups
    every employee (10,000 at a large company) on each request."""
    units = OrgUnit.objects.order_by("name")
    if with_counts:
        units = units.annotate(employee_count=Count("employees", filter=Q(employees__is_active=True)))
    return units


def unit_paths() -> dict[int, list[str]]:
    """Every unit's path of names from the root, e.g. {7: ['星河科技', '销售中心']} (one query)."""
    rows = {u["id"]: (u["name"], u["parent_id"]) for u in OrgUnit.objects.values("id", "name", "parent_id")}
    paths: dict[int, list[str]] = {}

    def path_of(unit_id: int, guard: int = 0) -> list[str]:
        if unit_id in paths:
            return paths[unit_id]
        name, parent_id = rows[unit_id]
        result = [name] if parent_id is None or guard > 200 else [*path_of(parent_id, guard + 1), name]
        paths[unit_id] = result
        return result

    for unit_id in rows:
        path_of(unit_id)
    return paths


class UnitChoice(NamedTuple):
    """A unit as a unit picker lists it: its id, parent and names, not a model instance."""

    pk: int
    parent_id: int | None
    name: str
    name_en: str

    display_name = OrgUnit.display_name  # the same rule: the English name in English, when there is one


def unit_choice_tree() -> list[dict]:
    """The unit tree a unit picker offers (unit_tree's shape, units as UnitChoice rows, no head
    counts): one query, a thousand plain rows instead of a thousand model instances."""
    rows = OrgUnit.objects.order_by("name").values_list("pk", "parent_id", "name", "name_en")
    return unit_tree(units=[UnitChoice._make(row) for row in rows])


def unit_tree(*, units: list[OrgUnit] | None = None, with_counts: bool = True) -> list[dict]:
    """The unit tree as nested dicts: {'unit': OrgUnit, 'children': [...]}, roots first (one
    query, or none given `units`); head counts as `unit_list` has them."""
    units = list(unit_list(with_counts=with_counts)) if units is None else units
    nodes = {u.pk: {"unit": u, "children": []} for u in units}
    roots = []
    for unit in units:
        node = nodes[unit.pk]
        parent = nodes.get(unit.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots


# --- working-day calendar ------------------------------------------------------------


def calendar_exceptions(*, start, end) -> tuple[set, set]:
    """(days off: public holidays and company days off, make-up working days) between two dates,
    in one query."""
    from org.models import CalendarDay

    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"):
        (holidays if kind in CalendarDay.DAYS_OFF else workdays).add(day)
    return holidays, workdays


# --- grade levels ----------------------------------------------------------------------


def grade_level_list() -> list:
    """HR's grade list in its order, each with `people`: how many active people hold it (two queries)."""
    from org.models import GradeLevel

    held = dict(
        Employee.objects.active()
        .exclude(grade_level="")
        .values_list("grade_level")
        .annotate(count=Count("pk"))
        .values_list("grade_level", "count")
    )
    grades = list(GradeLevel.objects.all())
    for grade in grades:
        grade.people = held.get(grade.code, 0)
    return grades


def grade_levels_not_in_list() -> list[tuple[str, int]]:
    """Grade levels active people hold that HR's list lacks, with how many hold each (two queries)."""
    from org.models import GradeLevel

    allowed = GradeLevel.objects.allowed()
    if not allowed:
        return []
    held = (
        Employee.objects.active()
        .exclude(grade_level="")
        .values_list("grade_level")
        .annotate(count=Count("pk"))
        .order_by("grade_level")
        .values_list("grade_level", "count")
    )
    return [(grade, count) for grade, count in held if grade.casefold() not in allowed]
