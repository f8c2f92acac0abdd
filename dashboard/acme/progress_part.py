"""The progress part of Acme: monthly progress updates up to "today", some corrected, milestones,
and the figures the app caches — then the objectives, key results, milestones and updates written.

Each approved objective's key results get an update at every month end up to the generated today,
entered by the owner (a unit's head for unit and company objectives), on the owner's pace: counts
grow over the year, rates move from the baseline towards the target, ranges wander around their
band, done / not done turns 1 in the month the work is done. About 2 % of the updates were typed
wrong and corrected two days later (a new row that `corrects` the first, as measurement_correct
writes it). Milestone key results take no updates: their milestones are done by their due dates,
or not yet.

The cached figures are what the app's own functions make of these rows: a key result's current
value and last update (the latest update that no later row corrected), its achievement and each
objective's score and progress from goals.scoring.engine (the functions behind the roll-up), so
they hold even when the command skips the final score recompute.
"""

from __future__ import annotations

import calendar
import math
from datetime import date, timedelta
from decimal import Decimal

from dashboard.acme.bulk import copy_rows, reserve_ids, write_objects
from dashboard.acme.context import Acme
from dashboard.acme.goals_part import KeyResultPlan, ObjectivePlan
from goals.models import KeyResult, Measurement, Milestone, Objective
from goals.scoring.engine import ChildInput, KeyResultFigures, KeyResultInput, achievement, objective_rollup

D = Decimal
CORRECTED_SHARE = 0.02
MEASUREMENT_COLUMNS = ["id", "created_at", "updated_at", "key_result_id", "value", "as_of", "comment", "source",
                       "source_client_id", "entered_by_id", "evidence_file", "evidence_url", "confidence",
                       "corrects_id"]  # fmt: skip
QUARTER_COMMENT = "季度复盘后更新"
CORRECTION_COMMENT = "更正:上次录入有误"
ON_TRACK, AT_RISK, OFF_TRACK = (c.value for c in Measurement.Confidence)


def month_ends(start: date, today: date) -> list[date]:
    """The month ends of the fiscal year starting at `start`, up to `today`."""
    days = []
    for n in range(12):
        year, month = start.year + (start.month - 1 + n) // 12, (start.month - 1 + n) % 12 + 1
        end = date(year, month, calendar.monthrange(year, month)[1])
        if end <= today:
            days.append(end)
    return days


def _confidence(share: float, expected: float) -> str:
    ratio = share / expected if expected else 1.0
    return ON_TRACK if ratio >= 0.95 else AT_RISK if ratio >= 0.8 else OFF_TRACK


def _number(x: float, places: Decimal, percent: bool) -> Decimal:
    if percent:
        x = min(max(x, 0.0), 100.0)
    x = max(x, 0.0)
    return D(round(x)) if places == 1 else D(f"{x:.1f}")


def kr_values(kr: KeyResultPlan, pace: float, months: int, rng) -> list[tuple[Decimal, str]]:
    """(value, confidence) at each of the first `months` month ends."""
    metric, f = kr.metric, kr.figures
    out = []
    if kr.direction == "done":
        done_month = math.ceil(rng.uniform(5, 13) / max(pace, 0.3))
        for m in range(1, months + 1):
            done = m >= done_month
            late = not done and m >= 10
            out.append((D(1) if done else D(0), OFF_TRACK if late else ON_TRACK))
        return out
    places = D(1) if metric.cumulative or metric.low[0] >= 100 else D("0.1")
    percent = metric.unit == "%"
    if kr.direction == "range":
        low, high = float(f.range_low), float(f.range_high)
        centre, half = (low + high) / 2, (high - low) / 2
        for _m in range(months):
            value = _number(centre + half * rng.uniform(-1.5, 1.5) / max(pace, 0.5), places, percent)
            inside = f.range_low <= value <= f.range_high
            out.append((value, ON_TRACK if inside else AT_RISK))
        return out
    baseline, target = float(f.baseline), float(f.target)
    for m in range(1, months + 1):
        elapsed = m / 12
        expected = elapsed if metric.cumulative else elapsed + 0.2
        share = min(1.15 if metric.cumulative else 1.1, expected * pace) * rng.uniform(0.96, 1.04)
        value = _number(baseline + (target - baseline) * share, places, percent)
        out.append((value, _confidence(share, expected)))
    return out


def _wrong(value: Decimal, kr: KeyResultPlan) -> Decimal:
    """A typo: the done flag flipped, else a tenth too much (or a point, for small numbers)."""
    if kr.direction == "done":
        return D(1) - value
    wrong = (value * D("1.1") if value >= 10 else value + 1).quantize(D("0.1"))
    if kr.metric.unit == "%" and wrong > 100:
        wrong = value - 1  # a percentage stays within 0–100 (the progress rules' check)
    return wrong


class _Progress:
    """Draws the rows; keeps each key result's latest effective value for the cached figures."""

    def __init__(self, acme: Acme):
        self.acme = acme
        self.rng = acme.rng("progress")
        self.days = month_ends(acme.made["year_start"], acme.today)
        self.moments = {day: acme.moment(day, 18) for day in self.days}
        self.later = {day: acme.moment(min(day + timedelta(days=2), acme.today), 10) for day in self.days}
        self.rows: list[list] = []  # measurement rows, with local indexes in place of ids
        self.latest: dict[int, tuple[Decimal, date, int]] = {}  # key result index → (value, as of, local index)
        self.milestones: list[tuple[int, str, date, date | None]] = []  # kr index, title, due, done on

    def key_result(self, kr: KeyResultPlan, objective: ObjectivePlan, entered_by: int, kr_id: int) -> None:
        if objective.status != Objective.Status.APPROVED:
            self._milestones(kr, None)
            return
        if kr.direction == "milestones":
            self._milestones(kr, objective.pace)
            return
        rng = self.rng
        for day, (value, confidence) in zip(self.days, kr_values(kr, objective.pace, len(self.days), rng),
                                            strict=True):  # fmt: skip
            comment = QUARTER_COMMENT if day.month % 3 == 0 else ""
            if rng.random() < CORRECTED_SHARE:
                original = len(self.rows)
                self.rows.append([original, self.moments[day], kr_id, _wrong(value, kr), day, comment, entered_by,
                                  confidence, None])  # fmt: skip
                self.rows.append([len(self.rows), self.later[day], kr_id, value, day, CORRECTION_COMMENT,
                                  entered_by, confidence, original])  # fmt: skip
            else:
                self.rows.append([len(self.rows), self.moments[day], kr_id, value, day, comment, entered_by,
                                  confidence, None])  # fmt: skip
            self.latest[kr.index] = (value, day, len(self.rows) - 1)  # the correction, if any

    def _milestones(self, kr: KeyResultPlan, pace: float | None) -> None:
        start, today = self.acme.made["year_start"], self.acme.today
        ends = list(month_ends(start, date.max)[2::3])  # quarter ends
        going = pace is not None
        for step, due in zip(kr.milestones, ends, strict=False):
            done_on = None
            if going and self.rng.random() < min(0.95, 0.8 * pace):
                done_on = due + timedelta(days=self.rng.randint(-20, 25))
            if done_on is None or done_on > today:
                going, done_on = False, None
            self.milestones.append((kr.index, step, due, done_on))

    def measurement_rows(self, ids: list[int]):
        for local, moment, kr_id, value, day, comment, user, confidence, corrects in self.rows:
            yield (ids[local], moment, moment, kr_id, value, day, comment, "manual", None, user, "", "", confidence,
                   None if corrects is None else ids[corrects])  # fmt: skip


def _figures(kr: KeyResultPlan, milestones: tuple[int, int]) -> KeyResultFigures:
    f = kr.figures
    return KeyResultFigures(direction=kr.direction, baseline=f.baseline, target=f.target, stretch=f.stretch,
                            range_low=f.range_low, range_high=f.range_high, milestones_total=milestones[0],
                            milestones_done=milestones[1])  # fmt: skip


def cached_scores(acme: Acme, progress: _Progress) -> tuple[dict[int, Decimal | None], dict[int, tuple]]:
    """Each key result's achievement and each objective's (score, progress), children first, as the roll-up does."""
    objectives, key_results = acme.made["objectives"], acme.made["key_results"]
    cap = acme.made["year"].achievement_cap
    steps: dict[int, list[int]] = {}
    for kr_index, _title, _due, done_on in progress.milestones:
        total_done = steps.setdefault(kr_index, [0, 0])
        total_done[0] += 1
        total_done[1] += done_on is not None
    children: dict[int, list[ChildInput]] = {}
    achievements: dict[int, Decimal | None] = {}
    scores: dict[int, tuple] = {}
    for o in reversed(objectives):  # parents come before their children in the plan
        inputs = []
        for kr_index in o.key_results:
            kr = key_results[kr_index]
            figures = _figures(kr, tuple(steps.get(kr_index, (0, 0))))
            actual = progress.latest.get(kr_index, (None, None, None))[0]
            achievements[kr_index] = achievement(figures, actual, cap=cap)
            inputs.append(KeyResultInput(figures, kr.weight, actual))
        rollup = objective_rollup(inputs, children.get(o.index, []), children_weight=D(0), cap=cap)
        scores[o.index] = (rollup.score, rollup.progress)
        if o.parent is not None:
            child = ChildInput(weight=o.weight, status=o.status, score=rollup.score, progress=rollup.progress)
            children.setdefault(o.parent, []).append(child)
    return achievements, scores


def _objective_rows(acme: Acme, ids: list[int], scores: dict[int, tuple]) -> list[Objective]:
    m = acme.made
    year, users, employees, units = m["year"], m["user_ids"], m["employee_ids"], m["unit_ids"]
    written, submitted, approved = (acme.moment(year.start + timedelta(days=d)) for d in (3, 6, 10))
    scored_at = acme.moment(acme.today, 23)
    rows = []
    for o in m["objectives"]:
        live = o.status == Objective.Status.APPROVED
        score, prog = scores[o.index]
        row = Objective(
            id=ids[o.index], title=o.title, period_id=year.pk, level=o.level,
            owner_employee_id=None if o.person is None else employees[o.person],
            owner_unit_id=None if o.unit is None else units[o.unit],
            parent_id=None if o.parent is None else ids[o.parent],
            theme_id=None if o.theme is None else m["themes"][o.theme],
            weight=o.weight, contribution_weight=o.weight, children_weight=D(0), due_date=year.end,
            track=Objective.Track.KPI, difficulty=o.difficulty, status=o.status, created_by_id=users[o.author],
            submitted_at=None if o.status == Objective.Status.DRAFT else submitted,
            approved_by_id=users[o.approver] if live else None, approved_at=approved if live else None,
            score=score, progress=prog, score_updated_at=scored_at,
        )  # fmt: skip
        rows.append(acme.stamp(row, written.date(), 9))
        row.updated_at = approved if live else submitted if o.status == Objective.Status.SUBMITTED else written
    return rows


def _key_result_rows(acme: Acme, ids, objective_ids, achievements, progress: _Progress, update_ids) -> list[KeyResult]:
    written = acme.made["year"].start + timedelta(days=3)
    rows = []
    for kr in acme.made["key_results"]:
        f = kr.figures
        value, day, local = progress.latest.get(kr.index, (None, None, None))
        row = KeyResult(
            id=ids[kr.index], objective_id=objective_ids[kr.objective], title=kr.title, direction=kr.direction,
            baseline=f.baseline, target=f.target, stretch=f.stretch, range_low=f.range_low, range_high=f.range_high,
            unit=kr.metric.unit, unit_en=kr.metric.unit_en, weight=kr.weight, kpi_id=None,
            data_source=KeyResult.Source.MANUAL, current_value=value, last_measured_on=day,
            latest_update_id=None if local is None else update_ids[local],
            achievement=achievements[kr.index],
        )  # fmt: skip
        rows.append(acme.stamp(row, written))
    return rows


def make(acme: Acme) -> None:
    m = acme.made
    objectives, key_results, people = m["objectives"], m["key_results"], m["people"]
    units, users = m["units"], m["user_ids"]
    objective_ids = reserve_ids(Objective, len(objectives))
    kr_ids = reserve_ids(KeyResult, len(key_results))
    progress = _Progress(acme)
    for o in objectives:
        owner = o.person if o.person is not None else units[o.unit].head
        for kr_index in o.key_results:
            progress.key_result(key_results[kr_index], o, users[people[owner].index], kr_ids[kr_index])
    achievements, scores = cached_scores(acme, progress)
    update_ids = reserve_ids(Measurement, len(progress.rows))
    acme.count("objectives", write_objects(Objective, _objective_rows(acme, objective_ids, scores)))
    acme.count("key results", write_objects(KeyResult, _key_result_rows(acme, kr_ids, objective_ids, achievements,
                                                                        progress, update_ids)))  # fmt: skip
    milestone_ids = reserve_ids(Milestone, len(progress.milestones))
    milestones = [
        acme.stamp(Milestone(id=pk, key_result_id=kr_ids[kr], title=title, due_date=due, done_on=done_on),
                   m["year_start"] + timedelta(days=3))
        for pk, (kr, title, due, done_on) in zip(milestone_ids, progress.milestones, strict=True)
    ]  # fmt: skip
    acme.count("milestones", write_objects(Milestone, milestones))
    acme.count("progress updates", copy_rows(Measurement, MEASUREMENT_COLUMNS, progress.measurement_rows(update_ids)))
    acme.count("corrections", sum(1 for row in progress.rows if row[-1] is not None))
    m["objective_ids"], m["key_result_ids"] = objective_ids, kr_ids
