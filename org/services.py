"""Every write to people and structure."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from org.errors import MESSAGES, OrgErrorCode, org_error
from org.models import Employee, OrgUnit, User
from org.selectors import tree_ancestor_ids


def ensure_no_manager_cycle(employee_id: int | None, manager: Employee | None) -> None:
    if manager is None or employee_id is None:
        return
    if manager.pk == employee_id or employee_id in tree_ancestor_ids(Employee, "manager", manager.pk):
        raise org_error(OrgErrorCode.MANAGER_CYCLE, errors={"manager": [str(MESSAGES[OrgErrorCode.MANAGER_CYCLE])]})


def ensure_no_unit_cycle(unit_id: int | None, parent: OrgUnit | None) -> None:
    if parent is None or unit_id is None:
        return
    if parent.pk == unit_id or unit_id in tree_ancestor_ids(OrgUnit, "parent", parent.pk):
        raise org_error(OrgErrorCode.UNIT_CYCLE, errors={"parent": [str(MESSAGES[OrgErrorCode.UNIT_CYCLE])]})


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
    job_title_en: str = "",
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
        job_title_en=job_title_en,
        grade_level=grade_level,
        hire_date=hire_date,
        preferred_language=preferred_language,
    )
    employee.full_clean()
    employee.save()
    return employee


EMPLOYEE_FIELDS = {
    "unit",
    "manager",
    "job_title",
    "job_title_en",
    "grade_level",
    "hire_date",
    "is_active",
    "preferred_language",
}
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
    """A make-up working day (调休) only means something on a Saturday or Sunday, and a company
    day off only on a Monday to Friday (a weekend day is off already)."""
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
    if kind == CalendarDay.Kind.COMPANY and day.weekday() >= 5:
        raise ValidationError(
            {
                "kind": _(
                    "A company day off must fall on a Monday to Friday; "
                    "Saturdays and Sundays are days off already. Choose a weekday."
                )
            }
        )


@transaction.atomic
def calendar_day_set(
    *,
    day: date,
    kind: str,
    name: str = "",
    name_en: str = "",
    replace: bool = False,
    actor: User | None = None,
):
    """Mark a date a public holiday, a company day off or a make-up working day (调休), or
    change how it is marked.

    A date already in the calendar with another kind or name is changed only with
    `replace=True` (HR confirmed it, or is editing that very entry); otherwise it raises
    OrgError CALENDAR_DAY_EXISTS (its extra names the entry there: existing_id, existing_kind).
    Returns (calendar day, created).
    """
    from org.models import CalendarDay

    calendar_day_check(day=day, kind=kind)
    values = {"kind": kind, "name": name.strip(), "name_en": name_en.strip()}
    entry = CalendarDay.objects.select_for_update().filter(date=day).first()
    if entry is None:
        entry = CalendarDay(date=day, **values)
        entry.full_clean()
        entry.save()
        return entry, True
    changed = [field for field, value in values.items() if getattr(entry, field) != value]
    if changed and not replace:
        raise org_error(
            OrgErrorCode.CALENDAR_DAY_EXISTS, date=day.isoformat(), existing_id=entry.pk, existing_kind=entry.kind
        )
    if changed:
        for field in changed:
            setattr(entry, field, values[field])
        entry.full_clean()
        entry.save(update_fields=[*changed, "updated_at"])
    return entry, False


@transaction.atomic
def calendar_day_delete(*, calendar_day, actor: User | None = None) -> None:
    """Take a date out of the calendar: it is an ordinary weekday or weekend day again."""
    calendar_day.delete()


@transaction.atomic
def calendar_days_set_many(*, days, actor: User | None = None):
    """Set many dates at once (China's official arrangement for a year): (created, updated, unchanged).

    `days` are objects with .date, .kind, .name and .name_en; they replace what those dates
    held. One query reads what is there already.
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
        if entry is not None and (entry.kind, entry.name, entry.name_en) == (item.kind, item.name, item.name_en):
            unchanged += 1
            continue
        _, was_created = calendar_day_set(
            day=item.date, kind=item.kind, name=item.name, name_en=item.name_en, replace=True, actor=actor
        )
        created += was_created
        updated += not was_created
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


# --- grade levels (HR) ------------------------------------------------------------------------


@transaction.atomic
def grade_level_create(*, code: str, description: str = "", rank: int = 0, actor: User | None = None):
    """Add a grade level to HR's list; the same code in another case is refused (ValidationError)."""
    from org.models import GradeLevel

    grade = GradeLevel(code=code.strip(), description=description.strip(), rank=rank)
    grade.full_clean()
    grade.save()
    return grade


@transaction.atomic
def grade_level_delete(*, grade_level, actor: User | None = None) -> None:
    """Take a grade level off the list; refused (GRADE_LEVEL_IN_USE) while anyone holds it."""
    from org.models import GradeLevel

    grade = GradeLevel.objects.select_for_update().get(pk=grade_level.pk)
    holders = Employee.objects.filter(grade_level__iexact=grade.code).count()
    if holders:
        raise org_error(OrgErrorCode.GRADE_LEVEL_IN_USE, grade_level=grade.code, people=holders)
    grade.delete()
