"""Who and what the benchmark looks at in one company: a person of each role, a manager with about
ten reports, one of their reports' objectives, the manager's unit — and the pages built from them.

A company is a root unit and the units under it; the same rules pick the cast of the generated
company and of the demo company, so that their pages' query counts can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

try:  # the generator's names (dashboard/acme/context.py)
    from dashboard.acme.context import PASSWORD as ACME_PASSWORD
    from dashboard.acme.context import ROOT_NAME as ACME_ROOT
except ImportError:  # a tree without the generator: the names it will have
    ACME_ROOT, ACME_PASSWORD = "Acme 集团", "stride-acme"

BENCH_ADMIN = "stride-bench-admin"  # made only when the database has no admin account without a profile
TEAM_SIZE = 10


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    username: str  # who reads it
    tree: bool = False  # a tree page: a looser latency target
    baseline: bool = False


@dataclass(frozen=True)
class Cast:
    employee: str
    manager: str
    hr: str
    executive: str
    admin: str
    reports: int  # the manager's direct reports
    unit_id: int  # the manager's unit
    objective_id: int  # one of the employee's objectives

    def usernames(self) -> set[str]:
        return {self.employee, self.manager, self.hr, self.executive, self.admin}

    def describe(self) -> str:
        return (
            f"employee {self.employee}, manager {self.manager} ({self.reports} reports, unit {self.unit_id}), "
            f"HR {self.hr}, executive {self.executive}, admin {self.admin}; objective {self.objective_id}"
        )


def pages(cast: Cast) -> list[Page]:
    """The measured pages, the baseline (a trivial logged-in page) first."""
    return [
        Page("baseline: change-password form", "/accounts/password_change/", cast.employee, baseline=True),
        Page("home (employee)", "/", cast.employee),
        Page("home (manager)", "/", cast.manager),
        Page("home (HR)", "/", cast.hr),
        Page("home (executive)", "/", cast.executive),
        Page("home (admin)", "/", cast.admin),
        Page("my objectives", "/goals/", cast.employee),
        Page(f"team objectives ({cast.reports} reports)", "/goals/team/", cast.manager),
        Page("objective detail", f"/goals/objectives/{cast.objective_id}/", cast.employee),
        Page("cascade: manager's unit subtree", f"/goals/cascade/?unit={cast.unit_id}", cast.manager, tree=True),
        Page("cascade: company, first screen", "/goals/cascade/", cast.executive, tree=True),
        Page("themes", "/goals/themes/", cast.executive),
        Page("score explanation (unit)", f"/goals/scores/unit/{cast.unit_id}/", cast.manager),
        Page("employees list", "/org/people/", cast.hr),
        Page("API: 50 objectives", "/api/v1/goals/objectives/?page_size=50", cast.executive),
    ]


def subtree_ids(root_id: int) -> list[int]:
    """The root unit and every unit under it (one query)."""
    from org.selectors import unit_and_below_ids

    return unit_and_below_ids(unit_id=root_id)


def find_cast(*, root_id: int, today: date, admin: str | None = None) -> Cast:
    """The cast of the company under `root_id`. `admin`: the admin account to use (default: the first
    admin without an employee profile)."""
    from org.models import Employee

    units = subtree_ids(root_id)
    staff = list(
        Employee.objects.filter(unit_id__in=units, is_active=True)
        .select_related("user")
        .annotate(direct=Count("reports", filter=Q(reports__is_active=True)))
        .order_by("pk")
    )
    if not staff:
        raise LookupError(f"No active employees under unit {root_id}.")
    executive = min((e for e in staff if e.user.is_executive), key=lambda e: (e.manager_id is not None, e.pk))
    hr = min((e for e in staff if e.user.is_hr and not e.user.is_executive), key=lambda e: (e.direct > 0, e.pk))
    plain = [e for e in staff if not e.user.is_executive and not e.user.is_hr]
    manager = min((e for e in plain if e.direct), key=lambda e: (abs(e.direct - TEAM_SIZE), e.pk))
    reports = [e for e in plain if e.manager_id == manager.pk and not e.direct] or [e for e in plain if not e.direct]
    employee, objective_id = _employee_with_objective(reports, today)
    return Cast(
        employee=employee.user.username,
        manager=manager.user.username,
        hr=hr.user.username,
        executive=executive.user.username,
        admin=admin or first_admin(),
        reports=manager.direct,
        unit_id=manager.unit_id,
        objective_id=objective_id,
    )


def _employee_with_objective(candidates, today: date):
    """The first candidate with an approved objective of a period running today (the one with the
    most key results), else the first with any objective."""
    from goals.models import Objective

    owned = (
        Objective.objects.filter(owner_employee__in=candidates, level=Objective.Level.PERSON)
        .annotate(krs=Count("key_results"))
        .values_list("owner_employee_id", "pk", "status", "period__start", "period__end", "krs")
    )
    best: dict[int, tuple] = {}
    for owner_id, pk, status, start, end, krs in owned:
        rank = (status == Objective.Status.APPROVED and start <= today <= end, krs, -pk)
        if owner_id not in best or rank > best[owner_id][0]:
            best[owner_id] = (rank, pk)
    for employee in candidates:
        if employee.pk in best and best[employee.pk][0][0]:
            return employee, best[employee.pk][1]
    for employee in candidates:
        if employee.pk in best:
            return employee, best[employee.pk][1]
    raise LookupError("No employee of this company owns an objective.")


def first_admin() -> str:
    from org.models import User

    username = (
        User.objects.filter(is_superuser=True, is_active=True, employee__isnull=True)
        .order_by("pk")
        .values_list("username", flat=True)
        .first()
    )
    if username is None:
        raise LookupError("No admin account (superuser without an employee profile) in this database.")
    return username


def ensure_bench_admin(password: str) -> str:
    """An admin account the load test can sign in as: the benchmark's own, made (or its password
    reset) here. It has no employee profile, like a real admin account."""
    from org.models import User

    user = User.objects.filter(username=BENCH_ADMIN).first()
    if user is None:
        user = User(username=BENCH_ADMIN, email=f"{BENCH_ADMIN}@example.invalid", is_superuser=True, is_staff=True)
    if not user.check_password(password):
        user.set_password(password)
        user.save()
    return user.username


def company_root(name: str | None) -> int | None:
    """The root unit called `name`, or (name None) the first root unit with people that is not Acme's."""
    from org.models import OrgUnit

    roots = OrgUnit.objects.filter(parent__isnull=True).order_by("pk")
    if name is not None:
        return roots.filter(name=name).values_list("pk", flat=True).first()
    for pk in roots.exclude(name=ACME_ROOT).values_list("pk", flat=True):
        if len(subtree_ids(pk)) > 1:
            return pk
    return None
