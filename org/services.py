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
