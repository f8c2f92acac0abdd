"""The org part of Acme: a unit tree up to six levels deep and its people (users and employees).

Every unit has a head; the head leads the unit's own members and the heads of its child units,
5–12 reports each (a unit at the bottom of a small company may have fewer). The shape scales with
the number of people: each unit splits its people among about (people ÷ 12.5)^(1 / levels left)
child units, so 10,000 people make six levels and ≈ 800 units, 200 people five levels.

Made for later parts (`acme.made`): "units" (UnitPlan, root first), "people" (PersonPlan, the CEO
first), "unit_ids", "employee_ids", "user_ids" (by plan index).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password

from dashboard.acme.bulk import reserve_ids, write_objects
from dashboard.acme.context import EMAIL_DOMAIN, PASSWORD, ROOT_NAME, ROOT_NAME_EN, USERNAME_PREFIX, Acme
from org.demo import GIVEN, SURNAMES
from org.models import Employee, GradeLevel, OrgUnit, User

DEPTH = 6
MIN_REPORTS, MAX_REPORTS = 5, 12
LEAF_SIZE = 13  # people in a unit at the bottom, head included (at most MAX_REPORTS + 1)

KINDS = ["company", "division", "department", "department", "team", "team"]
KIND_NAMES = {"company": ("公司", "Company"), "division": ("事业部", "Division"), "department": ("部", "Department"),
              "team": ("组", "Team")}  # fmt: skip
HEAD_TITLES = [("首席执行官", "CEO"), ("事业部总经理", "Division general manager"), ("部门总监", "Director"),
               ("部门经理", "Department manager"), ("组长", "Team lead"), ("小组长", "Squad lead")]  # fmt: skip
MEMBER_TITLES = [("工程师", "Engineer"), ("销售代表", "Sales representative"), ("产品经理", "Product manager"),
                 ("客服专员", "Customer service specialist"), ("财务专员", "Finance specialist"),
                 ("市场专员", "Marketing specialist"), ("数据分析师", "Data analyst")]  # fmt: skip
HEAD_GRADES = ["M6", "M5", "M4", "M3", "M2", "M1"]
MEMBER_GRADES = ["P3", "P4", "P5", "P6"]


@dataclass
class UnitPlan:
    index: int
    parent: int | None
    level: int
    code: str  # "", "2", "2.3", … (its place in the tree)
    head: int = -1
    members: list[int] = field(default_factory=list)
    children: list[int] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return KINDS[min(self.level, len(KINDS) - 1)]

    def names(self) -> tuple[str, str]:
        if self.parent is None:
            return ROOT_NAME, ROOT_NAME_EN
        zh, en = KIND_NAMES[self.kind]
        return f"{self.code} {zh}", f"{en} {self.code}"


@dataclass
class PersonPlan:
    index: int
    unit: int
    manager: int | None
    is_head: bool
    level: int

    @property
    def username(self) -> str:
        return f"{USERNAME_PREFIX}{self.index + 1:05d}"


def _room(below: int) -> int:
    """The most people a unit's subtree holds with `below` levels of units under it (12 reports a head)."""
    return MAX_REPORTS + 1 if below == 0 else 1 + MAX_REPORTS * _room(below - 1)


def _feasible(rest: int, count: int, below: int) -> tuple[int, int] | None:
    """The range of own members a head may keep beside `count` child units for `rest` people, or None."""
    low = max(0, MIN_REPORTS - count, rest - _room(below - 1) * count)
    high = min(MAX_REPORTS - count, rest - (MIN_REPORTS + 1) * count)
    return (low, high) if low <= high else None


def _divide(rest: int, below: int, rng) -> tuple[int, int]:
    """(own members, child units) for a head with `rest` people under them and `below` levels left.

    Each unit splits its people among about (people ÷ 13)^(1 / levels left) child units, within what
    the rules allow: 5–12 reports, child units of at least 6 people and at most what their levels hold."""
    if below == 0 or rest <= MAX_REPORTS:
        return rest, 0
    wish = rng.randint(5, 9) if below == 1 else rng.randint(3, 8)
    desired = max(1, round(((rest - wish) / LEAF_SIZE) ** (1 / below)))
    options = [c for c in range(1, MAX_REPORTS + 1) if _feasible(rest, c, below)]
    count = min(options, key=lambda c: (abs(c - desired), -c))
    low, high = _feasible(rest, count, below)
    return min(max(wish, low), high), count


def _split(total: int, parts: int, rng, *, cap: int | None) -> list[int]:
    """`total` people in `parts` shares of at least MIN_REPORTS + 1 (at most `cap`), a little uneven."""
    weights = [rng.uniform(0.75, 1.25) for _ in range(parts)]
    floor = MIN_REPORTS + 1
    shares = [floor + int((total - floor * parts) * w / sum(weights)) for w in weights]
    if cap is not None:
        shares = [min(s, cap) for s in shares]
    i = 0
    while sum(shares) < total:  # hand out what rounding (or the cap) left over
        if cap is None or shares[i % parts] < cap:
            shares[i % parts] += 1
        i += 1
    return shares


def plan_tree(people: int, rng) -> tuple[list[UnitPlan], list[PersonPlan]]:
    """The units and people, breadth first (the root and its head first). Pure: no database."""
    units: list[UnitPlan] = []
    persons: list[PersonPlan] = []
    queue = deque([(None, people, None, "")])  # parent unit, people in the subtree, boss, code
    while queue:
        parent, budget, boss, code = queue.popleft()
        level = 0 if parent is None else units[parent].level + 1
        unit = UnitPlan(index=len(units), parent=parent, level=level, code=code)
        units.append(unit)
        if parent is not None:
            units[parent].children.append(unit.index)
        unit.head = len(persons)
        persons.append(PersonPlan(unit.head, unit.index, boss, True, level))
        rest, below = budget - 1, DEPTH - 1 - level
        members, count = _divide(rest, below, rng)
        shares = _split(rest - members, count, rng, cap=_room(below - 1)) if count else []
        for _ in range(members):
            unit.members.append(len(persons))
            persons.append(PersonPlan(len(persons), unit.index, unit.head, False, level))
        for n, share in enumerate(shares, start=1):
            queue.append((unit.index, share, unit.head, f"{code}.{n}" if code else str(n)))
    return units, persons


def _person_objects(acme: Acme, persons: list[PersonPlan], rng, ids) -> tuple[list, list]:
    user_ids, employee_ids, unit_ids = ids
    year_start = acme.made["year_start"]
    password = make_password(PASSWORD)  # once: hashing per person would take an hour at 10,000
    users, employees = [], []
    for p in persons:
        surname, surname_en = rng.choice(SURNAMES)
        given, given_en = rng.choice(GIVEN)
        hired = year_start - timedelta(days=rng.randint(30, 12 * 365))
        zh_title, en_title = HEAD_TITLES[min(p.level, 5)] if p.is_head else rng.choice(MEMBER_TITLES)
        grade = HEAD_GRADES[min(p.level, 5)] if p.is_head else rng.choice(MEMBER_GRADES)
        user = User(
            id=user_ids[p.index], username=p.username, email=f"{p.username}@{EMAIL_DOMAIN}", password=password,
            full_name=surname + given, english_name=f"{given_en} {surname_en}", is_active=True,
            is_executive=p.is_head and p.level <= 1, is_hr=not p.is_head and p.level == 0,
            date_joined=acme.moment(hired), last_login=None,
        )  # fmt: skip
        users.append(acme.stamp(user, hired))
        employee = Employee(
            id=employee_ids[p.index], user_id=user.id, employee_number=f"AC{p.index + 1:05d}",
            unit_id=unit_ids[p.unit], manager_id=None if p.manager is None else employee_ids[p.manager],
            job_title=zh_title, job_title_en=en_title, grade_level=grade, hire_date=hired, is_active=True,
            preferred_language="en" if rng.random() < 0.3 else "zh-hans",
        )  # fmt: skip
        employees.append(acme.stamp(employee, hired))
    return users, employees


def make(acme: Acme) -> None:
    """Plan the tree, then write the units, users and employees (three bulk writes)."""
    rng = acme.rng("org")
    units, persons = plan_tree(acme.people, rng)
    unit_ids = reserve_ids(OrgUnit, len(units))
    user_ids = reserve_ids(User, len(persons))
    employee_ids = reserve_ids(Employee, len(persons))
    opened = acme.made["year_start"] - timedelta(days=5 * 365)
    rows = []
    for u in units:
        name, name_en = u.names()
        unit = OrgUnit(id=unit_ids[u.index], name=name, name_en=name_en, kind=u.kind, is_active=True,
                       parent_id=None if u.parent is None else unit_ids[u.parent])  # fmt: skip
        rows.append(acme.stamp(unit, opened))
    acme.count("units", write_objects(OrgUnit, rows))
    users, employees = _person_objects(acme, persons, rng, (user_ids, employee_ids, unit_ids))
    acme.count("users", write_objects(User, users))
    acme.count("employees", write_objects(Employee, employees))
    _ensure_grades()
    acme.made.update(units=units, people=persons, unit_ids=unit_ids, user_ids=user_ids, employee_ids=employee_ids)


def _ensure_grades() -> None:
    """When HR keeps a grade list, the grades given to Acme's people are on it."""
    allowed = GradeLevel.objects.allowed()
    if not allowed:
        return
    missing = [g for g in [*HEAD_GRADES, *MEMBER_GRADES] if g.casefold() not in allowed]
    for code in missing:
        rank = int(code[1:]) + (10 if code.startswith("M") else 0)
        GradeLevel.objects.create(code=code, description="Acme", rank=rank)


def depth_of(units: list[UnitPlan]) -> int:
    return 1 + max(u.level for u in units)
