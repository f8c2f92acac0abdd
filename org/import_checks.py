"""Reading and checking an org-chart upload: every row, before a single write.

`parse_org_chart` turns the sheet into rows (a header problem stops it with SpreadsheetError);
`check_org_chart` adds every problem it finds — required values, formats, lengths, duplicates,
e-mails and login names already taken, unknown managers and reporting loops across the file
and the people already in Stride — and returns what it read about the existing people.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from core.spreadsheets import (
    Problem,
    ProblemList,
    Table,
    formula_message,
    header_positions,
    use_chinese_headers,
)
from core.text import join_some
from org.models import Employee, GradeLevel, OrgUnit, User
from org.rules import canonical_grade_level, find_cycles, grade_level_error, split_unit_path
from org.spreadsheets import COLUMNS, column_for_header

_MAX_LENGTH = {
    "employee_number": Employee._meta.get_field("employee_number").max_length,
    "full_name": User._meta.get_field("full_name").max_length,
    "english_name": User._meta.get_field("english_name").max_length,
    "email": User._meta.get_field("email").max_length,
    "manager_number": Employee._meta.get_field("employee_number").max_length,
    "job_title": Employee._meta.get_field("job_title").max_length,
    "job_title_en": Employee._meta.get_field("job_title_en").max_length,
    "grade_level": Employee._meta.get_field("grade_level").max_length,
}
_POSITION = {column.key: index for index, column in enumerate(COLUMNS)}
_UNIT_NAME_MAX = OrgUnit._meta.get_field("name").max_length
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00)?)?$")


@dataclass
class OrgChartRow:
    """One person as the file describes them. `row` is the spreadsheet row number."""

    row: int
    employee_number: str
    full_name: str
    english_name: str
    email: str
    unit_path: tuple[str, ...]
    manager_number: str
    job_title: str
    grade_level: str
    hire_date: date | None
    job_title_en: str = ""


class Problems(ProblemList):
    def __init__(self, labels: dict[str, str]):
        super().__init__()
        self.labels = labels

    def add(self, row: int | None, key: str, message: str) -> None:
        self.keep(Problem(row=row, column=self.labels.get(key, ""), message=message, position=_POSITION[key]))


@dataclass
class ParsedOrgChart:
    rows: list[OrgChartRow]
    labels: dict[str, str]  # column key → the header as written in the file
    bad: dict[int, set[str]]  # row number → columns whose value failed its own check
    problems: Problems


# --- reading rows ----------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 1001 as 1001.0
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _date(value: object) -> date | None:
    """A hire date from a cell; raises ValueError when it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_excel(value).date()  # an Excel date serial in a cell formatted as a number
    match = _DATE.match(str(value).strip())
    if not match:
        raise ValueError(value)
    year, month, day = (int(part) for part in match.groups())
    return date(year, month, day)


def _header_positions(table: Table) -> tuple[dict[str, int], dict[str, str]]:
    return header_positions(
        table, columns=COLUMNS, key_for_header=column_for_header, text=_text, chinese=use_chinese_headers()
    )


def parse_org_chart(table: Table) -> ParsedOrgChart:
    positions, labels = _header_positions(table)
    rows: list[OrgChartRow] = []
    bad: dict[int, set[str]] = defaultdict(set)
    problems = Problems(labels)
    for number, cells in table.body:

        def cell(key: str, cells=cells) -> object:
            index = positions.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        for key, index in positions.items():
            if index in table.formulas.get(number, ()):
                bad[number].add(key)
                problems.add(number, key, formula_message(number, index))
        try:
            hire_date = None if "hire_date" in bad[number] else _date(cell("hire_date"))
        except (ValueError, OverflowError):
            hire_date = None
            bad[number].add("hire_date")
            problems.add(
                number,
                "hire_date",
                _("“%(value)s” is not a date. Write the hire date as YYYY-MM-DD, for example 2023-07-15.")
                % {"value": _text(cell("hire_date"))},
            )
        unit_text = _text(cell("unit_path"))
        rows.append(
            OrgChartRow(
                row=number,
                employee_number=_text(cell("employee_number")),
                full_name=_text(cell("full_name")),
                english_name=_text(cell("english_name")),
                email=_text(cell("email")),
                unit_path=tuple(split_unit_path(unit_text)),
                manager_number=_text(cell("manager_number")),
                job_title=_text(cell("job_title")),
                grade_level=_text(cell("grade_level")),
                hire_date=hire_date,
                job_title_en=_text(cell("job_title_en")),
            )
        )
    return ParsedOrgChart(rows=rows, labels=labels, bad=bad, problems=problems)


# --- checks --------------------------------------------------------------------------


def _check_values(parsed: ParsedOrgChart, problems: Problems) -> None:
    """Each row on its own: required values, lengths, formats."""
    for row in parsed.rows:
        bad = parsed.bad[row.row]
        for column in COLUMNS:
            if column.key not in parsed.labels or column.key == "hire_date" or column.key in bad:
                continue
            value = "/".join(row.unit_path) if column.key == "unit_path" else getattr(row, column.key)
            if column.value_required and not value:
                bad.add(column.key)
                problems.add(
                    row.row,
                    column.key,
                    _("This value is required. Fill in the %(column)s for this person.")
                    % {"column": parsed.labels[column.key]},
                )
                continue
            limit = _MAX_LENGTH.get(column.key)
            if limit and len(value) > limit:
                bad.add(column.key)
                problems.add(
                    row.row,
                    column.key,
                    _("This value has %(length)s characters; at most %(max)s are allowed. Shorten it.")
                    % {"length": len(value), "max": limit},
                )
        for name in row.unit_path:
            if len(name) > _UNIT_NAME_MAX:
                bad.add("unit_path")
                problems.add(
                    row.row,
                    "unit_path",
                    _("The unit name “%(name)s” has %(length)s characters; at most %(max)s are allowed. Shorten it.")
                    % {"name": name, "length": len(name), "max": _UNIT_NAME_MAX},
                )
        if row.employee_number and "employee_number" not in bad:
            try:
                User.username_validator(row.employee_number)
            except ValidationError:
                bad.add("employee_number")
                problems.add(
                    row.row,
                    "employee_number",
                    _(
                        "“%(value)s” cannot be an employee number: use only letters, digits and the characters "
                        "@ . + - _ (no spaces)."
                    )
                    % {"value": row.employee_number},
                )
        if row.email and "email" not in bad:
            try:
                validate_email(row.email)
            except ValidationError:
                bad.add("email")
                problems.add(
                    row.row,
                    "email",
                    _("“%(value)s” is not a valid e-mail address. Write it like name@example.com.")
                    % {"value": row.email},
                )


def _check_duplicates(parsed: ParsedOrgChart, problems: Problems) -> None:
    for key, message in (
        (
            "employee_number",
            _(
                "Employee number %(value)s is also on row %(rows)s. Each person may appear only once; "
                "correct or delete one of these rows."
            ),
        ),
        (
            "email",
            _("The e-mail %(value)s is also on row %(rows)s. Each person needs their own e-mail address."),
        ),
    ):
        groups: dict[str, list[OrgChartRow]] = defaultdict(list)
        for row in parsed.rows:
            value = getattr(row, key)
            if value and key not in parsed.bad[row.row]:
                groups[value.casefold()].append(row)
        for group in groups.values():
            if len(group) < 2:
                continue
            for row in group:
                parsed.bad[row.row].add(key)
            first, others = group[0], [str(other.row) for other in group[1:]]
            problems.add(first.row, key, message % {"value": getattr(first, key), "rows": join_some(others)})


def _holder_name(user: User) -> str:
    employee = getattr(user, "employee", None)  # RelatedObjectDoesNotExist is an AttributeError
    if employee is not None:
        return _("%(name)s (employee number %(number)s)") % {
            "name": user.full_name or user.username,
            "number": employee.employee_number,
        }
    return _("the account “%(username)s”") % {"username": user.username}


@dataclass
class ExistingPeople:
    by_number: dict[str, Employee]  # the people in the file who already exist, with their user
    pk_of: dict[str, int]  # every employee's number → id
    manager_of: dict[str, str | None]  # every employee's number → their manager's number


def _load_existing(parsed: ParsedOrgChart) -> ExistingPeople:
    numbers = [r.employee_number for r in parsed.rows if r.employee_number]
    graph = list(Employee.objects.values_list("pk", "employee_number", "manager__employee_number"))
    in_file = Employee.objects.select_related("user").filter(employee_number__in=numbers)
    return ExistingPeople(
        by_number={e.employee_number: e for e in in_file},
        pk_of={number: pk for pk, number, _manager in graph},
        manager_of={number: manager for _pk, number, manager in graph},
    )


def _valid_number(number: str) -> bool:
    """An employee number that could be stored (it may still be a duplicate in the file)."""
    if not number or len(number) > _MAX_LENGTH["employee_number"]:
        return False
    try:
        User.username_validator(number)
    except ValidationError:
        return False
    return True


def _valid_email(email: str) -> bool:
    if not email or len(email) > _MAX_LENGTH["email"]:
        return False
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def _check_accounts(parsed: ParsedOrgChart, existing: ExistingPeople, problems: Problems) -> None:
    """E-mails and login names already used by someone else in Stride.

    Checked on every row whose value can be read, even when the row has other errors (a repeated
    employee number, a bad one), so every problem shows in one pass."""
    rows = parsed.rows
    file_email = {r.employee_number: r.email.casefold() for r in rows if _valid_number(r.employee_number)}
    emails = {r.email.casefold() for r in rows if _valid_email(r.email)}
    holders = {
        u.email_key: u
        for u in User.objects.annotate(email_key=Lower("email")).filter(email_key__in=emails).select_related("employee")
    }
    new_numbers = {
        r.employee_number.casefold()
        for r in rows
        if _valid_number(r.employee_number) and r.employee_number not in existing.by_number
    }
    logins = {
        u.username_key: u
        for u in User.objects.annotate(username_key=Lower("username"))
        .filter(username_key__in=new_numbers)
        .select_related("employee")
    }
    for row in rows:
        current = existing.by_number.get(row.employee_number)
        holder = holders.get(row.email.casefold()) if _valid_email(row.email) else None
        if holder is not None and (current is None or holder.pk != current.user_id):
            holder_employee = getattr(holder, "employee", None)
            holder_number = holder_employee.employee_number if holder_employee else None
            freed = holder_number in file_email and file_email[holder_number] != row.email.casefold()
            if not freed:
                parsed.bad[row.row].add("email")
                problems.add(
                    row.row,
                    "email",
                    _(
                        "The e-mail %(email)s already belongs to %(holder)s. Use this person's own address, "
                        "or change the other person's e-mail first."
                    )
                    % {"email": row.email, "holder": _holder_name(holder)},
                )
        login = logins.get(row.employee_number.casefold()) if current is None and row.employee_number else None
        if login is not None:
            parsed.bad[row.row].add("employee_number")
            problems.add(
                row.row,
                "employee_number",
                _(
                    "New people log in with their employee number, but %(number)s is already the login name of "
                    "%(holder)s. Use a different employee number, or rename that account in the admin."
                )
                % {"number": row.employee_number, "holder": _holder_name(login)},
            )


def _check_managers(parsed: ParsedOrgChart, existing: ExistingPeople, problems: Problems) -> None:
    """Own manager and unknown managers on every row, even one with other errors; loops among the
    rows whose employee number is sound (a loop needs to know who is who)."""
    in_file = {r.employee_number for r in parsed.rows if r.employee_number}
    manager_of: dict[str, str | None] = dict(existing.manager_of)
    for row in parsed.rows:
        manager = row.manager_number
        if "manager_number" in parsed.bad[row.row]:
            manager = ""
        elif manager and manager == row.employee_number:
            problems.add(
                row.row,
                "manager_number",
                _(
                    "A person cannot be their own manager. Enter their manager's employee number, or leave it "
                    "empty for the top of the organisation."
                ),
            )
            manager = ""
        elif manager and manager not in in_file and manager not in existing.pk_of:
            problems.add(
                row.row,
                "manager_number",
                _(
                    "No one with employee number %(number)s is in this file or in Stride. Correct the manager's "
                    "employee number, or add the manager as a row."
                )
                % {"number": manager},
            )
            manager = ""
        if row.employee_number and "employee_number" not in parsed.bad[row.row]:
            manager_of[row.employee_number] = manager or None
    rows_by_number = {r.employee_number: r for r in parsed.rows if r.employee_number}
    for cycle in find_cycles(manager_of):
        loop = " → ".join(str(n) for n in cycle)
        for number in cycle[:-1]:
            row = rows_by_number.get(number)
            if row is not None:
                problems.add(
                    row.row,
                    "manager_number",
                    _(
                        "The reporting line goes round in a loop: %(loop)s. Change one of these managers so the "
                        "line ends at the top of the organisation."
                    )
                    % {"loop": loop},
                )


def _check_grade_levels(parsed: ParsedOrgChart, problems: Problems) -> None:
    """Grade levels must be in HR's grade list (when HR keeps one); "p4" is read as the list's "P4"."""
    allowed = GradeLevel.objects.allowed()
    if not allowed:
        return
    for row in parsed.rows:
        if "grade_level" in parsed.bad[row.row]:
            continue
        grade = canonical_grade_level(row.grade_level, allowed)
        if grade is None:
            parsed.bad[row.row].add("grade_level")
            problems.add(row.row, "grade_level", grade_level_error(row.grade_level, allowed))
        else:
            row.grade_level = grade


def check_org_chart(parsed: ParsedOrgChart) -> ExistingPeople:
    """Check every row; problems are added to `parsed.problems`. Six queries whatever the size."""
    problems = parsed.problems
    _check_values(parsed, problems)
    _check_grade_levels(parsed, problems)
    _check_duplicates(parsed, problems)
    existing = _load_existing(parsed)
    _check_accounts(parsed, existing, problems)
    _check_managers(parsed, existing, problems)
    return existing
