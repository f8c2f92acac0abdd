"""The goals part of Acme: the fiscal year, five strategic themes and the objective cascade.

≈ 5 company objectives (one per theme, weights 30/25/20/15/10), 3 per unit and 4 per person, each
aligned one level up: a unit's objectives to its parent unit's (the company's under the root), a
person's to their own unit's. Weights of an owner's objectives, and of each objective's three key
results, sum to 100 (the rule objective_submit enforces); every direction occurs. Most objectives
are approved (by the owner's manager, at the start of the year); some people's still wait for
approval or are drafts — those get no progress.

Plans only (no database but the periods): progress_part draws the progress, computes the cached
figures and writes everything.

Made for later parts: "year" (Period), "year_start", "themes" (ids), "objectives" (ObjectivePlan,
parents before children), "key_results" (KeyResultPlan).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from dashboard.acme import metrics
from dashboard.acme.bulk import reserve_ids, write_objects
from dashboard.acme.context import Acme, default_today
from goals.models import StrategicTheme
from goals.strategy.services import period_ensure_fiscal_year

PERSON_STATUSES = [("approved", 94), ("submitted", 4), ("draft", 2)]  # by person: all four objectives alike

THEMES = [
    ("financial", "年度收入与利润双增长", "Grow revenue and profit", "收入、毛利与回款,由各事业部分解承担。"),
    ("customer", "提升客户满意度与留存", "Raise customer satisfaction and retention", "投诉率、响应时间、满意度。"),
    ("internal_process", "提高交付质量与效率", "Deliver better, faster", "交付准时率、故障率、周转天数。"),
    ("learning_growth", "建设人才梯队", "Grow the bench", "培训、辅导与关键岗位继任。"),
    ("customer", "拓展新市场与新用户", "Open new markets and users", "新客户、新用户、区域服务中心。"),
]


@dataclass(slots=True)
class KeyResultPlan:
    index: int
    objective: int
    title: str
    metric: metrics.Metric
    figures: metrics.Figures
    weight: Decimal
    milestones: list[str] = field(default_factory=list)

    @property
    def direction(self) -> str:
        return self.metric.direction


@dataclass(slots=True)
class ObjectivePlan:
    index: int
    level: str  # company, unit, person
    unit: int | None  # owning unit (company, unit)
    person: int | None  # owning person (person)
    parent: int | None
    theme: int | None
    weight: Decimal
    status: str
    title: str
    author: int  # person index: who wrote it
    approver: int | None  # person index: who approved it (approved objectives)
    pace: float  # how the owner is doing: 1 = on the expected pace
    key_results: list[int] = field(default_factory=list)
    difficulty: int = 2


def make_periods(acme: Acme) -> None:
    """The fiscal year with its halves, quarters and months (kept when they exist, e.g. the demo's)."""
    periods = period_ensure_fiscal_year(year=acme.year)
    year = periods[0]
    acme.made.update(year=year, year_start=year.start, periods=periods)
    if acme.today is None:  # eleven months of progress, or up to the real today in a year still young
        acme.today = min(default_today(year.start), timezone.localdate())


def _themes(acme: Acme) -> None:
    year = acme.made["year"]
    ceo = acme.made["employee_ids"][0]
    ids = reserve_ids(StrategicTheme, len(THEMES))
    rows = [
        acme.stamp(
            StrategicTheme(id=pk, title=title, title_en=title_en, description=description, perspective=perspective,
                           owner_id=ceo, period_id=year.pk),
            year.start - timedelta(days=20),
        )
        for pk, (perspective, title, title_en, description) in zip(ids, THEMES, strict=True)
    ]  # fmt: skip
    acme.count("themes", write_objects(StrategicTheme, rows))
    acme.made["themes"] = ids


def _pick(rng, table):
    total = sum(w for _v, w in table)
    pick = rng.randrange(total)
    for value, weight in table:
        if pick < weight:
            return value
        pick -= weight
    raise AssertionError("unreachable")


class _Planner:
    def __init__(self, acme: Acme):
        self.acme = acme
        self.rng = acme.rng("goals")
        self.objectives: list[ObjectivePlan] = []
        self.key_results: list[KeyResultPlan] = []

    def objective(self, *, level, weight, parent=None, theme=None, unit=None, person=None, author, approver,
                  status="approved", pace=1.0) -> ObjectivePlan:  # fmt: skip
        rng = self.rng
        index = len(self.objectives)
        kr_weights = rng.choice(metrics.KR_WEIGHTS)
        title = ""
        approved_by = approver if status == "approved" else None
        approved_by = approver if status == "approved" else None
        plan = ObjectivePlan(index, level, unit, person, parent, theme, weight, status, "", author, approved_by, pace,
                             difficulty=rng.randint(1, 4))  # fmt: skip
        for n, kr_weight in enumerate(kr_weights):
            direction = metrics.draw_direction(rng)
            metric = rng.choice(metrics.METRICS[direction])
            figures = metrics.draw_figures(metric, rng)
            if n == 0:
                title = metrics.objective_title(metric, figures)
            steps = metrics.MILESTONE_STEPS if direction == "milestones" else []
            kr = KeyResultPlan(len(self.key_results), index, metric.name, metric, figures, kr_weight, list(steps))
            self.key_results.append(kr)
            plan.key_results.append(kr.index)
        plan.title = title
        self.objectives.append(plan)
        return plan


def plan_objectives(acme: Acme) -> None:
    """The cascade, parents before children: company, units (breadth first), people."""
    units, people = acme.made["units"], acme.made["people"]
    planner = _Planner(acme)
    rng = planner.rng
    ceo = people[0].index
    themes = list(range(len(THEMES)))
    by_unit: dict[int, list[int]] = {}
    root = units[0]
    by_unit[root.index] = [
        planner.objective(level="company", weight=weight, theme=theme, unit=root.index, author=ceo, approver=ceo,
                          pace=rng.uniform(0.75, 1.15)).index
        for theme, weight in zip(themes, metrics.COMPANY_WEIGHTS, strict=True)
    ]  # fmt: skip
    for unit in units[1:]:
        head = unit.head
        boss = people[head].manager
        parents = by_unit[unit.parent]
        weights = rng.choice(metrics.UNIT_WEIGHTS)
        pace = rng.uniform(0.7, 1.2)
        by_unit[unit.index] = [
            planner.objective(level="unit", weight=w, parent=rng.choice(parents), unit=unit.index, author=head,
                              approver=boss, pace=pace + rng.uniform(-0.1, 0.1)).index
            for w in weights
        ]  # fmt: skip
    for person in people:
        status = _pick(rng, PERSON_STATUSES)
        approver = person.manager if person.manager is not None else person.index
        parents = by_unit[person.unit]
        pace = rng.uniform(0.6, 1.25)
        for w in rng.choice(metrics.OBJECTIVE_WEIGHTS):
            planner.objective(level="person", weight=w, parent=rng.choice(parents), person=person.index,
                              author=person.index, approver=approver, status=status,
                              pace=pace + rng.uniform(-0.1, 0.1))  # fmt: skip
    acme.made.update(objectives=planner.objectives, key_results=planner.key_results)


def make(acme: Acme) -> None:
    """Themes (written), then the objective and key-result plans (written by progress_part)."""
    _themes(acme)
    plan_objectives(acme)
