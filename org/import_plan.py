"""What an org-chart import would do, worked out before anything is written: the preview.

`plan_org_chart` compares a checked file with the people in Stride and lists who would be added,
who changed (each field's old → new value), who stays as they are, the units that would be
created and the people in Stride who are not in the file (the import leaves them as they are).
Its `fingerprint` covers exactly what would be written, so a confirm can refuse to write when
Stride changed in between. Four queries whatever the size of the file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from org.import_checks import ExistingPeople, OrgChartRow, ParsedOrgChart
from org.models import Employee
from org.rules import join_unit_path
from org.selectors import unit_paths
from org.spreadsheets import COLUMNS

# Columns whose value lives on the person's login rather than on the employee profile.
_USER_COLUMNS = {"full_name", "english_name", "email"}


@dataclass
class FieldChange:
    key: str
    column: str  # the header as written in the file
    old: str
    new: str


@dataclass
class PlannedPerson:
    row: int | None  # the spreadsheet row; None for people who are not in the file
    employee_number: str
    name: str
    unit: str = ""
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class ImportPlan:
    added: list[PlannedPerson] = field(default_factory=list)
    changed: list[PlannedPerson] = field(default_factory=list)
    unchanged: list[PlannedPerson] = field(default_factory=list)
    left: list[PlannedPerson] = field(default_factory=list)  # active people in Stride, not in the file
    units_created: list[str] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def writes_nothing(self) -> bool:
        return not (self.added or self.changed or self.units_created)


def _text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _new_value(row: OrgChartRow, key: str) -> str:
    if key == "unit_path":
        return join_unit_path(list(row.unit_path))
    return _text(getattr(row, key))


def _old_value(employee: Employee, key: str, *, paths: dict, existing: ExistingPeople) -> str:
    if key in _USER_COLUMNS:
        return _text(getattr(employee.user, key))
    if key == "unit_path":
        return join_unit_path(paths.get(employee.unit_id, []))
    if key == "manager_number":
        return existing.manager_of.get(employee.employee_number) or ""
    return _text(getattr(employee, key))


def _known_unit_paths(paths: dict[int, list[str]]) -> set[tuple[str, ...]]:
    return {tuple(names) for names in paths.values()}


def plan_org_chart(parsed: ParsedOrgChart, existing: ExistingPeople) -> ImportPlan:
    """The preview of a file that passed every check (`parsed.problems` is empty)."""
    paths = unit_paths()
    known_units = _known_unit_paths(paths)
    compared = [c.key for c in COLUMNS if c.key in parsed.labels and c.key != "employee_number"]
    plan = ImportPlan()
    for row in parsed.rows:
        employee = existing.by_number.get(row.employee_number)
        if employee is None:
            plan.added.append(
                PlannedPerson(row.row, row.employee_number, row.full_name, join_unit_path(list(row.unit_path)))
            )
            continue
        person = PlannedPerson(row.row, row.employee_number, row.full_name, join_unit_path(list(row.unit_path)))
        for key in compared:
            old, new = _old_value(employee, key, paths=paths, existing=existing), _new_value(row, key)
            if old != new:
                person.changes.append(FieldChange(key, parsed.labels[key], old, new))
        (plan.changed if person.changes else plan.unchanged).append(person)

    for unit_path in sorted({r.unit_path for r in parsed.rows}):
        for depth in range(1, len(unit_path) + 1):
            prefix = unit_path[:depth]
            name = join_unit_path(list(prefix))
            if prefix not in known_units and name not in plan.units_created:
                plan.units_created.append(name)

    in_file = [r.employee_number for r in parsed.rows]
    others = (
        Employee.objects.active()
        .exclude(employee_number__in=in_file)
        .select_related("user")
        .order_by("employee_number")
    )
    plan.left = [
        PlannedPerson(None, e.employee_number, e.user.full_name, join_unit_path(paths.get(e.unit_id, [])))
        for e in others
    ]
    plan.fingerprint = _fingerprint(parsed, plan)
    return plan


def _fingerprint(parsed: ParsedOrgChart, plan: ImportPlan) -> str:
    """A digest of everything the import would write: the new people with their values, each change
    with its old and new value, and the units to create."""
    compared = [c.key for c in COLUMNS if c.key in parsed.labels]
    rows_by_number = {r.employee_number: r for r in parsed.rows}
    content = {
        "added": [[_new_value(rows_by_number[p.employee_number], k) for k in compared] for p in plan.added],
        "changed": [[p.employee_number, [[c.key, c.old, c.new] for c in p.changes]] for p in plan.changed],
        "unchanged": [p.employee_number for p in plan.unchanged],
        "units": plan.units_created,
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
