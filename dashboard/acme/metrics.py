"""What Acme's key results measure: a small catalogue per direction, and the figures each one draws.

Pure: no database. A metric turns a random stream into a key result's figures (baseline, target,
range …) the way people set them in the app — a target beyond the baseline in the key result's
direction, percentages within 0–100, a range's start below its end.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

D = Decimal
ONE_PLACE = D("0.1")

# Directions and how often each one is drawn (every direction occurs at any size of company).
DIRECTION_WEIGHTS = [("higher", 50), ("lower", 20), ("range", 12), ("done", 10), ("milestones", 8)]
KR_WEIGHTS = [(D(50), D(30), D(20)), (D(40), D(30), D(30)), (D(34), D(33), D(33)), (D(60), D(20), D(20))]
OBJECTIVE_WEIGHTS = [(D(40), D(30), D(20), D(10)), (D(30), D(30), D(20), D(20)), (D(25), D(25), D(25), D(25))]
UNIT_WEIGHTS = [(D(50), D(30), D(20)), (D(40), D(35), D(25)), (D(34), D(33), D(33))]
COMPANY_WEIGHTS = (D(30), D(25), D(20), D(15), D(10))
MILESTONE_STEPS = ["方案评审", "试点上线", "全面推广", "复盘验收"]


@dataclass(frozen=True)
class Metric:
    name: str  # Chinese, as people at Acme write it
    unit: str
    unit_en: str
    direction: str
    cumulative: bool = False  # a count that grows over the year (else a rate measured each month)
    low: tuple[int, int] = (0, 0)  # where the baseline (or a range's start) is drawn from
    span: tuple[int, int] = (0, 0)  # how far the target (or a range's end) lies, in percent of the baseline


METRICS = {
    "higher": [
        Metric("新签客户数", "家", "customers", "higher", cumulative=True, span=(30, 160)),
        Metric("销售额(万元)", "万元", "10k yuan", "higher", cumulative=True, span=(50, 900)),
        Metric("交付准时率", "%", "%", "higher", low=(60, 80), span=(8, 20)),
        Metric("培训完成率", "%", "%", "higher", low=(55, 75), span=(20, 40)),
        Metric("客户满意度得分", "分", "points", "higher", low=(74, 84), span=(4, 10)),
        Metric("月活跃用户(人)", "人", "users", "higher", low=(2000, 9000), span=(20, 60)),
    ],
    "lower": [
        Metric("客户投诉率", "%", "%", "lower", low=(2, 5), span=(30, 60)),
        Metric("平均响应时间(分钟)", "分钟", "minutes", "lower", low=(20, 45), span=(30, 50)),
        Metric("每月线上故障次数", "次/月", "incidents/month", "lower", low=(6, 14), span=(40, 70)),
        Metric("单位获客成本(元)", "元", "yuan", "lower", low=(300, 900), span=(10, 30)),
    ],
    "range": [
        Metric("库存周转天数", "天", "days", "range", low=(20, 35), span=(20, 40)),
        Metric("毛利率", "%", "%", "range", low=(25, 35), span=(10, 25)),
        Metric("人均月加班小时", "小时", "hours", "range", low=(8, 16), span=(40, 80)),
    ],
    "done": [
        Metric("完成年度客户回访计划", "", "", "done"),
        Metric("通过年度信息安全审计", "", "", "done"),
        Metric("上线新版客户门户", "", "", "done"),
    ],
    "milestones": [
        Metric("完成数据平台迁移", "", "", "milestones"),
        Metric("建成区域服务中心", "", "", "milestones"),
    ],
}


@dataclass(frozen=True)
class Figures:
    """A key result's figures: what KeyResult stores beside its title."""

    baseline: Decimal | None = None
    target: Decimal | None = None
    stretch: Decimal | None = None
    range_low: Decimal | None = None
    range_high: Decimal | None = None


def places(metric: Metric) -> Decimal:
    """How precisely values are written: whole numbers for large ones, else one decimal."""
    big = metric.cumulative or metric.low[0] >= 100
    return D(1) if big else ONE_PLACE


def draw_direction(rng) -> str:
    total = sum(w for _d, w in DIRECTION_WEIGHTS)
    pick = rng.randrange(total)
    for direction, weight in DIRECTION_WEIGHTS:
        if pick < weight:
            return direction
        pick -= weight
    raise AssertionError("unreachable")


def draw_figures(metric: Metric, rng) -> Figures:
    q = places(metric)
    if metric.direction in ("done", "milestones"):
        return Figures()
    if metric.cumulative:
        target = D(rng.randint(*metric.span))
        return Figures(baseline=D(0), target=target, stretch=(target * D("1.2")).quantize(q))
    baseline = D(rng.randint(*metric.low))
    change = baseline * D(rng.randint(*metric.span)) / 100
    if metric.direction == "range":
        return Figures(range_low=baseline, range_high=(baseline + change).quantize(q))
    if metric.direction == "lower":
        return Figures(baseline=baseline, target=(baseline - change).quantize(q))
    target = (baseline + change).quantize(q)
    if metric.unit == "%":
        target = min(target, D(100))
    return Figures(baseline=baseline, target=target)


def objective_title(metric: Metric, figures: Figures) -> str:
    """A title that says what will change and by how much (the SMART check's “specific”)."""
    if metric.direction == "higher" and metric.cumulative:
        return f"全年{metric.name}达到 {_plain(figures.target)}"
    if metric.direction == "higher":
        return f"{metric.name}从 {_plain(figures.baseline)} 提升到 {_plain(figures.target)}"
    if metric.direction == "lower":
        return f"{metric.name}从 {_plain(figures.baseline)} 降到 {_plain(figures.target)}"
    if metric.direction == "range":
        return f"{metric.name}保持在 {_plain(figures.range_low)}–{_plain(figures.range_high)}"
    return f"年内{metric.name}"


def _plain(value: Decimal | None) -> str:
    return format(value.normalize(), "f") if value is not None else ""
