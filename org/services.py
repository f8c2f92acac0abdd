"""Every write to people and structure."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from org.errors import MANAGER_CYCLE, UNIT_CYCLE, org_error
from org.models import Employee, OrgUnit, User
from org.selectors import tree_ancestor_ids


def ensure_no_manager_cycle(employee_id: int | None, manager: Employee | None) -> None:
    if manager is None or employee_id is None:
        return
    if manager.pk == employee_id or employee_id in tree_ancestor_ids(Employee, "manager", manager.pk):
        raise org_error(MANAGER_CYCLE, errors={"manager": [str(org_error(MANAGER_CYCLE).message)]})


def ensure_no_unit_cycle(unit_id: int | None, parent: OrgUnit | None) -> None:
    if parent is None or unit_id is None:
        return
    if parent.pk == unit_id or unit_id in tree_ancestor_ids(OrgUnit, "parent", parent.pk):
        raise org_error(UNIT_CYCLE, errors={"parent": [str(org_error(UNIT_CYCLE).message)]})


@transaction.atomic
def unit_create(
    *, name: str, parent: OrgUnit | None = None, name_en: str = "", kind: str = OrgUnit.Kind.DEPARTMENT
) -> OrgUnit:
    unit = OrgUnit(name=name, name_en=name_en, parent=parent, kind=kind)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, unit: OrgUnit, **fields) -> OrgUnit:
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if "parent" in fields:
        ensure_no_unit_cycle(unit.pk, fields["parent"])
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save(update_fields=[*fields, "updated_at"])
    return unit


@transaction.atomic
def employee_create(
    *,
    employee_number: str,
    full_name: str,
    email: str,
    unit: OrgUnit,
    manager: Employee | None = None,
    job_title: str = "",
    grade_level: str = "",
    hire_date: date | None = None,
    english_name: str = "",
    username: str = "",
    password: str | None = None,
    preferred_language: str = "",
    is_hr: bool = False,
    is_executive: bool = False,
) -> Employee:
    """A new person: their login and their employee profile."""
    user = User(
        username=username or employee_number,
        email=email,
        full_name=full_name,
        english_name=english_name,
        is_hr=is_hr,
        is_executive=is_executive,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    employee = Employee(
        user=user,
        employee_number=employee_number,
        unit=unit,
        manager=manager,
        job_title=job_title,
        grade_level=grade_level,
        hire_date=hire_date,
        preferred_language=preferred_language,
    )
    employee.full_clean()
    employee.save()
    return employee


EMPLOYEE_FIELDS = {"unit", "manager", "job_title", "grade_level", "hire_date", "is_active", "preferred_language"}
USER_FIELDS = {"full_name", "english_name", "email", "is_hr", "is_executive"}


@transaction.atomic
def employee_update(*, employee: Employee, **fields) -> Employee:
    """Change a person's profile; a manager that would close a loop is refused."""
    unknown = set(fields) - EMPLOYEE_FIELDS - USER_FIELDS
    if unknown:
        raise TypeError(f"employee_update() got unknown fields: {sorted(unknown)}")
    employee = Employee.objects.select_for_update().select_related("user").get(pk=employee.pk)
    if "manager" in fields:
        ensure_no_manager_cycle(employee.pk, fields["manager"])
    employee_fields = [f for f in fields if f in EMPLOYEE_FIELDS]
    user_fields = [f for f in fields if f in USER_FIELDS]
    if user_fields:
        for name in user_fields:
            setattr(employee.user, name, fields[name])
        employee.user.full_clean()
        employee.user.save(update_fields=user_fields)
    if employee_fields:
        for name in employee_fields:
            setattr(employee, name, fields[name])
        employee.full_clean()
        employee.save(update_fields=[*employee_fields, "updated_at"])
    return employee


def employee_set_language(*, employee: Employee, language: str) -> Employee:
    return employee_update(employee=employee, preferred_language=language)


# --- working-day calendar (HR) ------------------------------------------------------------


def calendar_day_check(*, day: date, kind: str) -> None:
    """A make-up working day (调休) only means something on a Saturday or Sunday."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext_lazy as _

    from org.models import CalendarDay

    if kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
        raise ValidationError(
            {
                "kind": _(
                    "A make-up working day must fall on a Saturday or Sunday; "
                    "weekdays are working days already. Choose a weekend date or mark it a public holiday."
                )
            }
        )


@transaction.atomic
def calendar_day_set(*, day: date, kind: str, name: str = "", actor: User | None = None):
    """Mark a date a public holiday or a make-up working day (调休), or change how it is marked.

    Returns (calendar day, created).
    """
    from org.models import CalendarDay

    calendar_day_check(day=day, kind=kind)
    entry = CalendarDay.objects.select_for_update().filter(date=day).first()
    created = entry is None
    if created:
        entry = CalendarDay(date=day, kind=kind, name=name.strip())
        entry.full_clean()
        entry.save()
        return entry, True
    if (entry.kind, entry.name) != (kind, name.strip()):
        entry.kind, entry.name = kind, name.strip()
        entry.full_clean()
        entry.save(update_fields=["kind", "name", "updated_at"])
    return entry, False


@transaction.atomic
def calendar_day_delete(*, calendar_day, actor: User | None = None) -> None:
    """Take a date out of the calendar: it is an ordinary weekday or weekend day again."""
    calendar_day.delete()


@transaction.atomic
def calendar_days_set_many(*, days, actor: User | None = None):
    """Set many dates at once (China's official arrangement for a year): (created, updated, unchanged).

    `days` are objects with .date, .kind and .name. One query reads what is there already.
    """
    from org.holidays import LoadResult
    from org.models import CalendarDay

    days = list(days)
    existing = {
        entry.date: entry for entry in CalendarDay.objects.select_for_update().filter(date__in=[d.date for d in days])
    }
    created = updated = unchanged = 0
    for item in days:
        entry = existing.get(item.date)
        if entry is not None and (entry.kind, entry.name) == (item.kind, item.name):
            unchanged += 1
            continue
        _, was_created = calendar_day_set(day=item.date, kind=item.kind, name=item.name, actor=actor)
        created += was_created
        updated += not was_created
    return LoadResult(created=created, updated=updated, unchanged=unchanged)
