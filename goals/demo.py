"""Goals for the demo company: the article's cascade, a KPI library and ten months of progress.

Company sales ¥10 M → Sales centre ¥8 M → East / South China → each rep's target by grade
(a new rep 5 new customers a month, a senior rep 10); marketing, R&D and customer service
with the article's metrics; some people ahead, some behind; a vague draft for the SMART check.

Scores: at the end, goals.scoring.recompute_all(period=year, as_of=<month end>) writes the
snapshots of January to October from the progress updates dated up to each month end (with
today's statuses and weights), then recompute_all(period=year) the current scores and today's
snapshot — so the trend charts have a point per month end plus today.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from goals.models import Measurement, Objective, Period
from goals.objectives.services import action_plan_create, objective_approve, objective_create, objective_submit
from goals.progress.services.measurements import key_result_create, measurement_record
from goals.scoring import recompute_all
from goals.strategy.services import kpi_create, kpi_reference_set, period_ensure_fiscal_year, theme_create

YEAR = 2026
MONTHS_OF_HISTORY = 10  # January to October 2026
D = Decimal

KPIS = [
    # code, name, English name, definition, formula, unit, direction, category, perspective
    ("SALES_REV", "销售额", "Sales revenue", "签约并确认的收入。", "Σ 已确认合同金额", "万元", "higher", "financial",
     "financial"),
    ("CASH_COLL", "回款率", "Cash collection rate", "已回款金额占应收金额的比例。", "已回款 ÷ 应收 × 100%", "%",
     "higher", "financial", "financial"),
    ("NEW_CUST", "新客户数", "New customers", "本期首次签约的客户数。", "计数", "家", "higher", "non_financial",
     "customer"),
    ("CSAT", "客户满意度", "Customer satisfaction", "季度客户调查的平均得分(百分制)。", "调查得分平均值", "分",
     "higher", "non_financial", "customer"),
    ("COMPLAINT", "客户投诉率", "Complaint rate", "有效投诉数占服务单数的比例。", "投诉数 ÷ 服务单数 × 100%", "%",
     "lower", "non_financial", "customer"),
    ("RESP_TIME", "平均响应时间", "Average response time", "从客户提交到首次答复的平均时长。",
     "Σ 响应时长 ÷ 服务单数", "分钟", "lower", "non_financial", "internal_process"),
    ("NEW_USERS", "月新增用户", "New users a month", "当月新注册并激活的用户数。", "计数", "人", "higher",
     "non_financial", "customer"),
    ("CAMPAIGN_ROI", "市场活动投入产出比", "Campaign ROI", "活动带来的收入与投入之比。", "收入 ÷ 投入", "倍",
     "higher", "financial", "financial"),
    ("INCIDENT", "故障率", "Incident rate", "每月影响客户的线上故障次数。", "计数", "次/月", "lower",
     "non_financial", "internal_process"),
    ("ON_TIME", "交付准时率", "On-time delivery", "按期交付的需求占全部需求的比例。", "按期交付 ÷ 全部 × 100%",
     "%", "higher", "non_financial", "internal_process"),
    ("TRAINING", "培训完成率", "Training completion", "完成年度必修培训的员工比例。", "完成人数 ÷ 应完成人数 × 100%",
     "%", "higher", "non_financial", "learning_growth"),
]  # fmt: skip

# Units of measure in English, for people who use Stride in English.
UNITS_EN = {
    "万元": "10k yuan", "%": "%", "家": "customers", "分": "points", "分钟": "minutes", "人": "users", "倍": "×",
    "次/月": "incidents/month",
}  # fmt: skip

# Fair difficulty: new customers a month by grade (the article's 5 for a new rep, 10 for a senior one).
REFERENCES = [("NEW_CUST", "P3", 4, 6), ("NEW_CUST", "P4", 6, 8), ("NEW_CUST", "P5", 8, 12), ("NEW_CUST", "P6", 9, 13)]
NEW_CUSTOMERS_A_YEAR = {"P3": 60, "P4": 84, "P5": 120, "P6": 132}
SALES_A_YEAR = {"P3": 40, "P4": 55, "P5": 80, "P6": 90}  # 万元

# How each person or unit is doing, as a share of the expected pace: some ahead, some behind.
PACE = [D("1.12"), D("0.95"), D("0.78"), D("1.05"), D("0.66"), D("1.2"), D("0.9"), D("1.0"), D("0.85")]


def _month_end(month: int) -> date:
    return date(YEAR, month, calendar.monthrange(YEAR, month)[1])


def _approve(objective: Objective, *, author, approver) -> None:
    objective_submit(objective=objective, actor=author)
    objective_approve(objective=objective, actor=approver)


def _objective(actor, period, level, title, *, krs, parent=None, theme=None, weight=100, employee=None, unit=None,
               title_en_note="") -> Objective:  # fmt: skip
    objective = objective_create(
        actor=actor.user,
        period=period,
        level=level,
        title=title,
        owner_employee=employee,
        owner_unit=unit,
        parent=parent,
        theme=theme,
        weight=D(weight),
        contribution_weight=D(weight),
        due_date=period.end,
    )
    for kr in krs:
        key_result_create(objective=objective, actor=actor.user, **kr)
    return objective


def _kr(kpis, code, title, baseline, target, weight=100):
    kpi = kpis[code]
    return {
        "title": title,
        "kpi": kpi,
        "direction": kpi.direction,
        "baseline": D(baseline),
        "target": D(target),
        "weight": D(weight),
        "unit": kpi.unit,
        "unit_en": kpi.unit_en,
    }


def _history(objective: Objective, actor, pace: Decimal, *, cumulative: bool) -> None:
    """Monthly progress updates from January: cumulative counts or monthly rates."""
    for kr in objective.key_results.all():
        for month in range(1, MONTHS_OF_HISTORY + 1):
            elapsed = D(month) / 12
            share = min(D("1.15"), elapsed * pace) if cumulative else min(D("1.1"), (elapsed + D("0.2")) * pace)
            value = kr.baseline + (kr.target - kr.baseline) * share
            value = value.quantize(D("1")) if abs(kr.target) >= 100 else value.quantize(D("0.1"))
            expected = elapsed if cumulative else elapsed + D("0.2")
            ratio = share / expected if expected else D(1)
            confidence = (
                Measurement.Confidence.ON_TRACK
                if ratio >= D("0.95")
                else Measurement.Confidence.AT_RISK
                if ratio >= D("0.8")
                else Measurement.Confidence.OFF_TRACK
            )
            measurement_record(
                key_result=kr,
                value=value,
                as_of=_month_end(month),
                actor=actor.user,
                confidence=confidence,
                comment="" if month % 3 else "季度复盘后更新",
            )


def seed_goals(*, units: dict, people: dict) -> None:
    periods = period_ensure_fiscal_year(year=YEAR)
    year: Period = periods[0]
    ceo, cfo, hr = people["ceo"], people["cfo"], people["hr_mgr"]

    kpis = {}
    for code, name, name_en, definition, formula, unit, direction, category, perspective in KPIS:
        kpis[code] = kpi_create(
            actor=hr.user, code=code, name=name, name_en=name_en, definition=definition, formula=formula, unit=unit,
            unit_en=UNITS_EN.get(unit, ""), direction=direction, category=category, perspective=perspective,
        )  # fmt: skip
    for code, grade, low, high in REFERENCES:
        kpi_reference_set(actor=hr.user, kpi_code=code, grade_level=grade, low=D(low), high=D(high))

    themes = {
        key: theme_create(
            actor=ceo.user,
            title=title,
            title_en=title_en,
            perspective=perspective,
            owner=owner,
            period=year,
            description=description,
        )
        for key, title, title_en, perspective, owner, description in [
            (
                "sales",
                "年度销售额达到 1000 万元",
                "Reach ¥10 M annual sales",
                "financial",
                cfo,
                "公司全年销售额目标 1000 万元,由销售中心承担 800 万元。",
            ),
            (
                "satisfaction",
                "提升客户满意度与留存",
                "Raise customer satisfaction and retention",
                "customer",
                ceo,
                "用客观数据衡量服务:投诉率、响应时间、满意度得分。",
            ),
            (
                "users",
                "一年内获得 10 万活跃用户",
                "100,000 active users within the year",
                "customer",
                ceo,
                "市场部负责用户推广,研发保障产品体验。",
            ),
            (
                "stability",
                "提高产品稳定性",
                "Make the product more reliable",
                "internal_process",
                ceo,
                "降低故障率,提高交付准时率。",
            ),
            (
                "bench",
                "建设销售与技术人才梯队",
                "Grow the sales and engineering bench",
                "learning_growth",
                ceo,
                "培训与辅导,让新人更快成长。",
            ),
        ]
    }

    hq = units["hq"]
    company = {
        "sales": _objective(ceo, year, "company", "全年销售额达到 1000 万元", theme=themes["sales"], unit=hq, weight=40,
                            krs=[_kr(kpis, "SALES_REV", "全年销售额(万元)", 0, 1000)]),
        "users": _objective(ceo, year, "company", "活跃用户从 4.5 万增长到 10 万", theme=themes["users"], unit=hq,
                            weight=20, krs=[_kr(kpis, "NEW_USERS", "活跃用户数", 45000, 100000)]),
        "csat": _objective(ceo, year, "company", "客户满意度从 82 分提升到 90 分", theme=themes["satisfaction"],
                           unit=hq, weight=15, krs=[_kr(kpis, "CSAT", "客户满意度得分", 82, 90)]),
        "incidents": _objective(ceo, year, "company", "线上故障从每月 8 次降到 3 次", theme=themes["stability"],
                                unit=hq, weight=15, krs=[_kr(kpis, "INCIDENT", "每月线上故障次数", 8, 3)]),
        "bench": _objective(ceo, year, "company", "年度必修培训完成率达到 95%", theme=themes["bench"], unit=hq,
                            weight=10, krs=[_kr(kpis, "TRAINING", "培训完成率", 60, 95)]),
    }  # fmt: skip
    for objective in company.values():
        _approve(objective, author=ceo.user, approver=cfo.user)

    def unit_goal(author, unit_key, title, parent, weight, krs):
        return _objective(author, year, "unit", title, parent=parent, unit=units[unit_key], weight=weight, krs=krs)

    vp, east_mgr, south_mgr = people["sales_vp"], people["east_mgr"], people["south_mgr"]
    sales_total = unit_goal(vp, "sales", "销售中心全年销售额 800 万元", company["sales"], 70,
                            [_kr(kpis, "SALES_REV", "销售中心销售额(万元)", 0, 800)])  # fmt: skip
    collection = unit_goal(vp, "sales", "销售中心回款率达到 95%", company["sales"], 30,
                           [_kr(kpis, "CASH_COLL", "回款率", 88, 95)])  # fmt: skip
    east_sales = unit_goal(east_mgr, "east", "华东销售部全年销售额 450 万元", sales_total, 60,
                           [_kr(kpis, "SALES_REV", "华东销售额(万元)", 0, 450)])  # fmt: skip
    east_customers = unit_goal(east_mgr, "east", "华东销售部新签客户 150 家", sales_total, 40,
                               [_kr(kpis, "NEW_CUST", "华东新签客户数", 0, 150)])  # fmt: skip
    south_sales = unit_goal(south_mgr, "south", "华南销售部全年销售额 350 万元", sales_total, 100,
                            [_kr(kpis, "SALES_REV", "华南销售额(万元)", 0, 350)])  # fmt: skip
    mkt, cto, service = people["mkt_mgr"], people["cto"], people["service_mgr"]
    new_users = unit_goal(mkt, "marketing", "月新增用户从 3000 人提高到 6000 人", company["users"], 60,
                          [_kr(kpis, "NEW_USERS", "月新增用户", 3000, 6000)])  # fmt: skip
    roi = unit_goal(mkt, "marketing", "市场活动投入产出比从 2 倍提高到 3 倍", company["sales"], 40,
                    [_kr(kpis, "CAMPAIGN_ROI", "市场活动投入产出比", 2, 3)])  # fmt: skip
    incidents = unit_goal(cto, "rnd", "研发中心线上故障降到每月 3 次", company["incidents"], 60,
                          [_kr(kpis, "INCIDENT", "每月线上故障次数", 8, 3)])  # fmt: skip
    on_time = unit_goal(cto, "rnd", "需求交付准时率从 70% 提高到 90%", company["incidents"], 40,
                        [_kr(kpis, "ON_TIME", "交付准时率", 70, 90)])  # fmt: skip
    complaints = unit_goal(service, "service", "客户投诉率从 2.5% 降到 1%", company["csat"], 50,
                           [_kr(kpis, "COMPLAINT", "客户投诉率", D("2.5"), 1)])  # fmt: skip
    response = unit_goal(service, "service", "平均响应时间从 30 分钟缩短到 15 分钟", company["csat"], 50,
                         [_kr(kpis, "RESP_TIME", "平均响应时间(分钟)", 30, 15)])  # fmt: skip
    training = unit_goal(hr, "hr", "年度必修培训完成率达到 95%", company["bench"], 100,
                         [_kr(kpis, "TRAINING", "培训完成率", 60, 95)])  # fmt: skip
    unit_goals = [sales_total, collection, east_sales, east_customers, south_sales, new_users, roi, incidents,
                  on_time, complaints, response, training]  # fmt: skip
    for objective in unit_goals:
        author = objective.created_by.employee
        _approve(objective, author=author.user, approver=author.manager.user)

    # Progress on company and unit objectives, entered by their authors.
    pace_index = 0
    for objective in [*company.values(), *unit_goals]:
        cumulative = objective.key_results.first().kpi.code in ("SALES_REV", "NEW_CUST")
        _history(objective, objective.created_by.employee, PACE[pace_index % len(PACE)], cumulative=cumulative)
        pace_index += 1

    # Personal objectives: sales reps by grade, engineers, customer service.
    awaiting = {"east_3", "south_2", "south_5"}  # submitted, waiting for their manager
    for person in people.values():
        manager = person.manager
        if manager is None:
            continue
        unit_key = next(k for k, u in units.items() if u.pk == person.unit_id)
        grade = person.grade_level
        if unit_key in ("east", "east_key", "south") and grade.startswith("P"):
            customers_parent = east_customers if unit_key != "south" else south_sales
            sales_parent = east_sales if unit_key != "south" else south_sales
            goals = [
                _objective(person, year, "person", f"全年新签客户 {NEW_CUSTOMERS_A_YEAR[grade]} 家", employee=person,
                           parent=customers_parent, weight=60,
                           krs=[_kr(kpis, "NEW_CUST", "新签客户数", 0, NEW_CUSTOMERS_A_YEAR[grade])]),
                _objective(person, year, "person", f"个人销售额达到 {SALES_A_YEAR[grade]} 万元", employee=person,
                           parent=sales_parent, weight=40,
                           krs=[_kr(kpis, "SALES_REV", "个人销售额(万元)", 0, SALES_A_YEAR[grade])]),
            ]  # fmt: skip
            cumulative = True
        elif unit_key in ("platform", "mobile") and grade.startswith("P"):
            goals = [_objective(person, year, "person", "个人需求按时交付率从 70% 提高到 90%", employee=person,
                                parent=on_time, krs=[_kr(kpis, "ON_TIME", "按时交付率", 70, 90)])]  # fmt: skip
            cumulative = False
        elif unit_key == "service" and grade.startswith("P"):
            goals = [_objective(person, year, "person", "个人平均响应时间从 30 分钟缩短到 15 分钟", employee=person,
                                parent=response,
                                krs=[_kr(kpis, "RESP_TIME", "平均响应时间(分钟)", 30, 15)])]  # fmt: skip
            cumulative = False
        else:
            continue
        key = next(k for k, p in people.items() if p.pk == person.pk)
        for objective in goals:
            if key in awaiting:
                objective_submit(objective=objective, actor=person.user)
                continue
            _approve(objective, author=person.user, approver=manager.user)
            _history(objective, person, PACE[pace_index % len(PACE)], cumulative=cumulative)
        pace_index += 1

    # The article's vague objective, still in draft, so the SMART check has something to say.
    objective_create(
        actor=people["rep"].user, period=year, level="person", owner_employee=people["rep"], title="提高客户满意度",
        track=Objective.Track.OKR,
    )  # fmt: skip

    # Action plans with resources.
    action_plan_create(
        objective=east_customers,
        actor=east_mgr.user,
        what="每周拜访 5 家潜在客户",
        owner=people["rep"],
        due_date=date(YEAR, 12, 31),
        status="in_progress",
        hours=D(200),
    )
    action_plan_create(
        objective=east_customers,
        actor=east_mgr.user,
        what="举办两场华东行业客户沙龙",
        owner=people["senior_rep"],
        due_date=date(YEAR, 9, 30),
        status="done",
        budget_amount=D("50000"),
        budget_currency="CNY",
        people=4,
    )
    action_plan_create(
        objective=incidents,
        actor=cto.user,
        what="引入自动化回归测试,覆盖核心交易链路",
        owner=people["platform_lead"],
        due_date=date(YEAR, 12, 15),
        status="in_progress",
        people=3,
        hours=D(480),
        other_needs="测试环境两台服务器",
    )
    action_plan_create(objective=response, actor=service.user, what="上线客服知识库与快捷回复",
                       owner=service, due_date=date(YEAR, 8, 31), status="done", budget_amount=D("20000"),
                       budget_currency="CNY")  # fmt: skip

    # Scores: a snapshot at each month end from the progress history as of that day (for the
    # trend charts), then the current scores and today's snapshot.
    for month in range(1, MONTHS_OF_HISTORY + 1):
        recompute_all(period=year, as_of=_month_end(month))
    recompute_all(period=year)
