"""Data for the score tests: a year around today and a small cascade with known numbers.

theme "Reach ¥10 M"                                   (period: this year)
└ company objective (Xinghe)     KR 0→1000, children share 50 %
  └ unit objective (Sales)       KR 0→800,  children share 50 %, contribution 100
    ├ rep: counted               KR 0→60,   weight 60, contribution 60
    ├ rep: stretch (OKR)         KR 0→10,   weight 0,  contribution 40
    └ rep2: counted              KR 0→60,   weight 100, contribution 50
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from goals.models import KeyResult, Objective, Period, StrategicTheme
from goals.progress.services.measurements import measurement_record
from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory, ThemeFactory

D = Decimal


def this_year() -> Period:
    today = timezone.localdate()
    return PeriodFactory(name=str(today.year), start=date(today.year, 1, 1), end=date(today.year, 12, 31))


def approved(**kwargs) -> Objective:
    kwargs.setdefault("status", Objective.Status.APPROVED)
    return ObjectiveFactory(**kwargs)


def unit_objective(*, unit, author, level=Objective.Level.UNIT, **kwargs) -> Objective:
    return approved(level=level, owner_employee=None, owner_unit=unit, created_by=author.user, **kwargs)


def record(kr: KeyResult, value, *, actor, as_of: date | None = None):
    return measurement_record(key_result=kr, value=D(str(value)), as_of=as_of or timezone.localdate(), actor=actor)


@dataclass
class Cascade:
    year: Period
    theme: StrategicTheme
    company: Objective
    unit: Objective
    rep_sales: Objective
    rep_okr: Objective
    rep2_sales: Objective
    company_kr: KeyResult
    unit_kr: KeyResult
    rep_kr: KeyResult
    okr_kr: KeyResult
    rep2_kr: KeyResult

    def record_all(self, org) -> None:
        """company 50 %, unit 50 %, rep 75 %, rep's OKR 50 %, rep2 50 %.

        As of yesterday, so that a test can record today's value (one update per key result and date)."""
        day = max(timezone.localdate() - timedelta(days=1), self.year.start)
        record(self.company_kr, 500, actor=org.ceo.user, as_of=day)
        record(self.unit_kr, 400, actor=org.director.user, as_of=day)
        record(self.rep_kr, 45, actor=org.rep.user, as_of=day)
        record(self.okr_kr, 5, actor=org.rep.user, as_of=day)
        record(self.rep2_kr, 30, actor=org.rep2.user, as_of=day)


def build_cascade(org) -> Cascade:
    year = this_year()
    theme = ThemeFactory(owner=org.ceo, period=year)
    company = unit_objective(
        unit=org.root, author=org.ceo, level=Objective.Level.COMPANY, period=year, theme=theme,
        title="全年销售额达到 1000 万元", weight=D(100), children_weight=D(50),
    )  # fmt: skip
    unit = unit_objective(
        unit=org.sales, author=org.director, period=year, parent=company, title="销售中心销售额 800 万元",
        weight=D(100), contribution_weight=D(100), children_weight=D(50),
    )  # fmt: skip
    rep_sales = approved(
        owner_employee=org.rep, period=year, parent=unit, title="个人销售额 60 万元", weight=D(60),
        contribution_weight=D(60),
    )  # fmt: skip
    rep_okr = approved(
        owner_employee=org.rep, period=year, parent=unit, title="试点新渠道", track=Objective.Track.OKR,
        weight=D(0), contribution_weight=D(40),
    )  # fmt: skip
    rep2_sales = approved(
        owner_employee=org.rep2, period=year, parent=unit, title="个人销售额 60 万元(2)", weight=D(100),
        contribution_weight=D(50),
    )  # fmt: skip
    return Cascade(
        year=year,
        theme=theme,
        company=company,
        unit=unit,
        rep_sales=rep_sales,
        rep_okr=rep_okr,
        rep2_sales=rep2_sales,
        company_kr=KeyResultFactory(objective=company, title="销售额", target=D(1000)),
        unit_kr=KeyResultFactory(objective=unit, title="销售中心销售额", target=D(800)),
        rep_kr=KeyResultFactory(objective=rep_sales, title="个人销售额", target=D(60)),
        okr_kr=KeyResultFactory(objective=rep_okr, title="新渠道客户", target=D(10)),
        rep2_kr=KeyResultFactory(objective=rep2_sales, title="个人销售额", target=D(60)),
    )
