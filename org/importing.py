"""Org-chart import: read the file, check every row, then write everything in one transaction.

Nothing is written unless the whole file is valid. People are matched by employee number;
new people get a login named after their employee number and no usable password (they set
one through "Forgot password"). Writes are set-based — a constant number of bulk statements
whatever the number of rows — and keep history through simple_history's bulk helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.spreadsheets import Problem, SpreadsheetError, count_rows
from notifications.services import notify
from org.apps import IMPORT_FINISHED
from org.errors import OrgErrorCode, org_error
from org.import_checks import ExistingPeople, ParsedOrgChart, check_org_chart, parse_org_chart
from org.import_plan import ImportPlan, plan_org_chart
from org.models import Employee, OrgUnit, User
from org.rules import join_unit_path
from org.spreadsheets import read_table

HISTORY_REASON = "Org chart import"
BATCH_SIZE = 1_000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: list[str] = field(default_factory=list)


# --- the service -----------------------------------------------------------------------


def org_chart_check(*, filename: str, data: bytes, progress: Callable[[int], None] | None = None) -> ImportPlan:
    """Check an org chart (.xlsx or .csv) and say what importing it would do, writing nothing.

    Raises OrgError IMPORT_INVALID with `problems` (every error in the file) when it cannot be imported.
    `progress(rows)` hears how many rows were read (a background check shows it).
    """
    parsed = _parse(filename=filename, data=data, progress=progress)
    existing = check_org_chart(parsed)
    if parsed.problems:
        raise _invalid(parsed.problems)
    return plan_org_chart(parsed, existing)


def org_chart_import(
    *,
    actor: User,
    filename: str,
    data: bytes,
    expected_fingerprint: str | None = None,
    progress: Callable[[int], None] | None = None,
    before_write: Callable[[], None] | None = None,
    after_write: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Import an org chart (.xlsx or .csv). Raises OrgError IMPORT_INVALID with `problems` on any error.

    With `expected_fingerprint` (the preview's), it writes only if the import would still do exactly
    what the preview showed; otherwise it raises OrgError IMPORT_CHANGED with the new `plan`.
    A background job (org.import_jobs) hears how many rows were read (`progress`, before the
    transaction) and runs `before_write` / `after_write` inside the import's transaction.
    """
    parsed = _parse(filename=filename, data=data, progress=progress)
    try:
        with transaction.atomic():
            if before_write is not None:
                before_write()
            result = _validate_and_apply(parsed, actor=actor, expected_fingerprint=expected_fingerprint)
            if after_write is not None:
                after_write(result)
            notify(  # HR's other people; the one who imported sees the result on the page
                recipients=User.objects.filter(is_hr=True, is_active=True),
                actor=actor,
                kind=IMPORT_FINISHED,
                message=gettext_lazy(
                    "%(actor)s imported the org chart: %(created)s people added, %(updated)s updated, "
                    "%(unchanged)s unchanged and %(units)s units created."
                ),
                params={
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "units": len(result.units_created),
                },
                url=reverse("org:people"),
            )
    except IntegrityError as exc:  # someone changed the same people while we were writing
        message = _(
            "Someone changed the org chart while this file was being imported. Nothing was imported; "
            "upload the file again."
        )
        raise _invalid([Problem(row=None, column="", message=message)]) from exc
    return result


def org_chart_row_count(*, filename: str, data: bytes) -> int:
    """About how many people a file holds, without reading it: what decides a background check."""
    return count_rows(filename=filename, data=data)


def _parse(*, filename: str, data: bytes, progress: Callable[[int], None] | None = None) -> ParsedOrgChart:
    try:
        return parse_org_chart(read_table(filename=filename, data=data, progress=progress))
    except SpreadsheetError as exc:
        raise _invalid([exc.problem]) from exc


def _invalid(problems: list[Problem]):
    """`problems`: the first MAX_PROBLEMS in row order; `problems_more`: how many more there are."""
    ordered = sorted(problems, key=lambda p: (p.row or 0, p.position))  # stable: same cell, in the order found
    more = getattr(problems, "more", 0)
    return org_error(OrgErrorCode.IMPORT_INVALID, problems=[p.as_dict() for p in ordered], problems_more=more)


# --- applying ------------------------------------------------------------------------------


def _validate_and_apply(parsed: ParsedOrgChart, *, actor: User, expected_fingerprint: str | None) -> ImportResult:
    existing = check_org_chart(parsed)
    if parsed.problems:
        raise _invalid(parsed.problems)
    if expected_fingerprint is not None:
        plan = plan_org_chart(parsed, existing)
        if plan.fingerprint != expected_fingerprint:
            raise org_error(OrgErrorCode.IMPORT_CHANGED, plan=plan)
    return _apply(parsed, existing, actor=actor)


def _resolve_units(paths: set[tuple[str, ...]], *, actor: User) -> tuple[dict[tuple[str, ...], OrgUnit], list[str]]:
    """Each path's unit, creating the missing ones one tree level at a time."""
    known = {(u.parent_id, u.name): u for u in OrgUnit.objects.all()}
    resolved: dict[tuple[str, ...], OrgUnit] = {}
    created: list[str] = []
    for depth in range(1, max((len(p) for p in paths), default=0) + 1):
        new_units = []
        for prefix in sorted({p[:depth] for p in paths if len(p) >= depth}):
            parent = resolved.get(prefix[:-1])
            unit = known.get((parent.pk if parent else None, prefix[-1]))
            if unit is None:
                kind = OrgUnit.Kind.COMPANY if parent is None else OrgUnit.Kind.DEPARTMENT
                unit = OrgUnit(name=prefix[-1], parent=parent, kind=kind)
                new_units.append(unit)
                created.append(join_unit_path(list(prefix)))
            resolved[prefix] = unit
        if new_units:
            bulk_create_with_history(new_units, OrgUnit, default_user=actor, default_change_reason=HISTORY_REASON)
    return resolved, created


def _apply(parsed: ParsedOrgChart, existing: ExistingPeople, *, actor: User) -> ImportResult:
    now = timezone.now()
    present = set(parsed.labels)
    units, units_created = _resolve_units({r.unit_path for r in parsed.rows}, actor=actor)
    # In batches: one UPDATE … CASE over 50,000 rows costs minutes (each row scans the CASE), 1,000 at a time seconds.
    history = {"default_user": actor, "default_change_reason": HISTORY_REASON, "batch_size": BATCH_SIZE}
    result = ImportResult(units_created=units_created)
    changed_rows: set[int] = set()

    # 1. Existing people's logins. An address moving from one person in the file to another is first
    #    parked on a placeholder inside this transaction, so the unique constraint never sees it twice.
    claimed = {r.email.casefold() for r in parsed.rows}
    user_fields = ["full_name", "email", *(["english_name"] if "english_name" in present else [])]
    changed_users, parked = [], []
    for row in parsed.rows:
        employee = existing.by_number.get(row.employee_number)
        if employee is None:
            continue
        user = employee.user
        if user.email.casefold() != row.email.casefold() and user.email.casefold() in claimed:
            parked.append(user)
        if any(getattr(user, name) != getattr(row, name) for name in user_fields):
            for name in user_fields:
                setattr(user, name, getattr(row, name))
            user.updated_at = now
            changed_users.append(user)
            changed_rows.add(row.row)
    if parked:
        final_emails = {u.pk: u.email for u in parked}
        for user in parked:
            user.email = f"import-{user.pk}@parked.invalid"
        User.objects.bulk_update(parked, ["email"], batch_size=BATCH_SIZE)  # transient; overwritten below
        for user in parked:
            user.email = final_emails[user.pk]
    if changed_users:
        bulk_update_with_history(changed_users, User, [*user_fields, "updated_at"], **history)

    # 2. New people: a login each (no usable password), then their employee profile.
    new_rows = [r for r in parsed.rows if r.employee_number not in existing.by_number]
    new_users = []
    for row in new_rows:
        user = User(
            username=row.employee_number,
            email=row.email,
            full_name=row.full_name,
            english_name=row.english_name,
        )
        user.set_unusable_password()
        new_users.append(user)
    if new_users:
        bulk_create_with_history(new_users, User, **history)
    new_employees = []
    for row, user in zip(new_rows, new_users, strict=True):
        new_employees.append(
            Employee(
                user=user,
                employee_number=row.employee_number,
                unit=units[row.unit_path],
                manager_id=existing.pk_of.get(row.manager_number),  # set now if the manager exists already
                job_title=row.job_title,
                job_title_en=row.job_title_en,
                grade_level=row.grade_level,
                hire_date=row.hire_date,
            )
        )
    if new_employees:
        bulk_create_with_history(new_employees, Employee, **history)
    new_by_number = {e.employee_number: e for e in new_employees}
    pk_of = {**existing.pk_of, **{number: e.pk for number, e in new_by_number.items()}}

    # 3. Profiles that changed, and managers who did not exist until step 2.
    employee_fields = ["unit", "manager", "job_title", "grade_level"]
    if "hire_date" in present:
        employee_fields.append("hire_date")
    if "job_title_en" in present:
        employee_fields.append("job_title_en")
    changed_employees = []
    for row in parsed.rows:
        employee = existing.by_number.get(row.employee_number)
        manager_id = pk_of.get(row.manager_number) if row.manager_number else None
        if employee is None:
            employee = new_by_number[row.employee_number]
            if employee.manager_id != manager_id:
                employee.manager_id = manager_id
                employee.updated_at = now
                changed_employees.append(employee)
            continue
        wanted = {
            "unit_id": units[row.unit_path].pk,
            "manager_id": manager_id,
            "job_title": row.job_title,
            "grade_level": row.grade_level,
        }
        if "hire_date" in present:
            wanted["hire_date"] = row.hire_date
        if "job_title_en" in present:
            wanted["job_title_en"] = row.job_title_en
        if any(getattr(employee, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(employee, name, value)
            employee.updated_at = now
            changed_employees.append(employee)
            changed_rows.add(row.row)
    if changed_employees:
        bulk_update_with_history(changed_employees, Employee, [*employee_fields, "updated_at"], **history)

    result.created = len(new_rows)
    result.updated = len(changed_rows)
    result.unchanged = len(parsed.rows) - result.created - result.updated
    return result
