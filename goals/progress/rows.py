"""The view model of key-result rows and objective cards on the progress pages.

`objective_cards(objectives, actor=…, today=…)` turns objectives read with their key results
and milestones prefetched into cards whose rows carry progress (goals.scoring.engine.progress),
pace (goals.progress.pace), the sparkline points and the last update (the key result's latest
update, read with it) — reading every key result's sparkline points in ONE query and checking
permissions once per owner, not per objective.
`key_result_row(...)` builds one row (used by the htmx partial and the history page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.urls import reverse

from goals import scoring
from goals.access import can_edit_action_plans, can_record_progress
from goals.models import ActionPlan, Direction, KeyResult, Measurement, Milestone, Objective
from goals.progress import pace as pace_rules
from goals.progress.forms import ProgressForm
from goals.progress.selectors import sparkline_points
from goals.scoring.engine import ChildInput, KeyResultFigures, KeyResultInput, Rollup, objective_rollup, progress
from goals.scoring.figures import figures_of

PACED_DIRECTIONS = (Direction.HIGHER, Direction.LOWER, Direction.MILESTONES)
CLOSED_STATUSES = (Objective.Status.CLOSED, Objective.Status.CANCELLED)


@dataclass
class KeyResultRow:
    kr: KeyResult
    objective: Objective
    progress: Decimal | None
    pace: str | None
    points: list[tuple[date, Decimal]]
    last: Measurement | None
    milestones: list[Milestone]
    milestones_done: int
    can_record: bool
    form: ProgressForm | None = None
    saved: bool = False
    error: str = ""
    pace_detail: pace_rules.Pace | None = None

    @property
    def pace_label(self) -> str:
        return str(pace_rules.LABELS.get(self.pace, ""))

    @property
    def is_active(self) -> bool:
        return self.objective.status == Objective.Status.APPROVED

    @property
    def is_done(self) -> bool:
        return self.kr.current_value is not None and self.kr.current_value >= 1

    @property
    def show_form(self) -> bool:
        return (
            self.can_record
            and self.is_active
            and self.kr.direction not in (Direction.DONE, Direction.MILESTONES)
            and not self.fed_by_api
        )

    @property
    def fed_by_api(self) -> bool:
        """Values come from another system (goals.rules: people correct them, they don't add new ones)."""
        return self.kr.data_source == KeyResult.Source.API

    @property
    def show_toggles(self) -> bool:
        return self.can_record and self.is_active


@dataclass
class ObjectiveCard:
    objective: Objective
    rows: list[KeyResultRow]
    progress: Decimal | None
    last: Measurement | None
    can_edit_plans: bool
    action_plans: list[ActionPlan] = field(default_factory=list)
    pace_detail: pace_rules.Pace | None = None
    score: Decimal | None = None  # the objective's score as the roll-up computes it, from the data shown
    detail_url: str = ""  # the objective's page
    score_url: str = ""  # its score's explanation

    @property
    def cap(self) -> Decimal:
        return self.objective.period.achievement_cap

    @property
    def shows_score(self) -> bool:
        return self.score is not None or self.objective.is_live

    @property
    def pace(self) -> str | None:
        return self.pace_detail.state if self.pace_detail else None


def _figures(kr: KeyResult, milestones: list[Milestone]) -> KeyResultFigures:
    return figures_of(kr, milestones)


def _pace_end(objective: Objective) -> date:
    period = objective.period
    due = objective.due_date
    return due if due and period.start <= due <= period.end else period.end


def key_result_pace(
    kr: KeyResult, objective: Objective, *, progress: Decimal | None, last_day: date | None, today: date
) -> pace_rules.Pace | None:
    """Pace of one key result of an approved objective, judged on the day of its latest progress
    update (today for milestones: not ticking one off is news too). None where pace means nothing."""
    if objective.status != Objective.Status.APPROVED or kr.direction not in PACED_DIRECTIONS:
        return None
    day = today if kr.direction == Direction.MILESTONES else last_day
    return pace_rules.pace_of(progress=progress, start=objective.period.start, end=_pace_end(objective), day=day)


def objective_pace(objective: Objective, *, progress: Decimal | None, today: date) -> pace_rules.Pace | None:
    """Pace of a whole objective, judged on the day of its latest progress update (today with milestones).

    Reads the objective's prefetched key results (their cached last update day); no query.
    Only approved objectives have a pace: drafts have nothing to keep up with yet.
    """
    if objective.status != Objective.Status.APPROVED:
        return None
    days = [
        today if kr.direction == Direction.MILESTONES else kr.last_measured_on
        for kr in objective.key_results.all()
        if kr.direction in PACED_DIRECTIONS
    ]
    days = [day for day in days if day is not None]
    if not days:
        return None
    return pace_rules.pace_of(progress=progress, start=objective.period.start, end=_pace_end(objective), day=max(days))


def key_result_row(
    kr: KeyResult,
    objective: Objective,
    *,
    points: list[tuple[date, Decimal]],
    last: Measurement | None,
    can_record: bool,
    today: date,
    form: ProgressForm | None = None,
    saved: bool = False,
    error: str = "",
) -> KeyResultRow:
    milestones = list(kr.milestones.all())
    figures = _figures(kr, milestones)
    value = progress(figures, kr.current_value)
    row_pace = key_result_pace(kr, objective, progress=value, last_day=last.as_of if last else None, today=today)
    if form is None and can_record and objective.status == Objective.Status.APPROVED:
        form = ProgressForm(today=today, key_result_id=kr.pk)
    if form is not None and form.is_bound and not error and objective.status != Objective.Status.APPROVED:
        error = " ".join(str(problem) for problem in form.non_field_errors())  # the form is not shown
    return KeyResultRow(
        kr=kr,
        objective=objective,
        progress=value,
        pace=row_pace.state if row_pace else None,
        pace_detail=row_pace,
        points=points,
        last=last,
        milestones=milestones,
        milestones_done=figures.milestones_done,
        can_record=can_record,
        form=form,
        saved=saved,
        error=error,
    )


class _Permissions:
    """Per-page memo of the permission checks: the same owner answers the same, so the
    number of checks grows with the owners shown, not with their objectives."""

    def __init__(self, actor):
        self.actor = actor
        self.cache: dict[tuple, bool] = {}

    def _key(self, name: str, objective: Objective) -> tuple:
        return (
            name,
            objective.level,
            objective.owner_unit_id,
            objective.owner_employee_id,
            objective.created_by_id == self.actor.pk,
            objective.status in CLOSED_STATUSES,
        )

    def record(self, objective: Objective) -> bool:
        key = self._key("record", objective)
        if key not in self.cache:
            self.cache[key] = can_record_progress(actor=self.actor, objective=objective)
        return self.cache[key]

    def plans(self, objective: Objective) -> bool:
        key = self._key("plans", objective)
        if key not in self.cache:
            self.cache[key] = can_edit_action_plans(actor=self.actor, objective=objective)
        return self.cache[key]


SPARKLINE_POINTS = 24  # a card's sparkline shows a key result's last 24 updates (two years monthly)


def row_series(series: list[Measurement]) -> dict:
    """key_result_row's `points` and `last` from a key result's effective updates, oldest first."""
    return {"points": [(m.as_of, m.value) for m in series], "last": series[-1] if series else None}


def _points_for(objectives: list[Objective]) -> dict[int, list[tuple[date, Decimal]]]:
    """Every key result's sparkline points on the page, in ONE query."""
    ids = [kr.pk for objective in objectives for kr in objective.key_results.all()]
    return sparkline_points(key_result_ids=ids, latest=SPARKLINE_POINTS) if ids else {}


def _children_for(objectives: list[Objective]) -> dict[int, list[Objective]]:
    """The objectives aligned under the cards' objectives, with their cached scores, in ONE query."""
    children: dict[int, list[Objective]] = defaultdict(list)
    ids = [objective.pk for objective in objectives]
    if ids:
        for child in scoring.objective_children_for_scoring(objective_ids=ids).order_by("pk"):
            children[child.parent_id].append(child)
    return children


def card_rollup(objective: Objective, rows: list[KeyResultRow], children: list[Objective]) -> Rollup:
    """The objective's score and progress by the function the cache uses (engine.objective_rollup) — its
    key results by weight (achievement up to the period's cap) blended with its aligned objectives
    (their cached scores) — but from the rows just read, so a card is right before the roll-up runs."""
    return objective_rollup(
        [KeyResultInput(_figures(row.kr, row.milestones), row.kr.weight, row.kr.current_value) for row in rows],
        [ChildInput(child.contribution_weight, child.status, child.score, child.progress) for child in children],
        children_weight=objective.children_weight,
        cap=objective.period.achievement_cap,
    )


def _link(name: str) -> Callable[[int], str]:
    """An objective's URL by its id, reversed once for a page of cards (not once per card)."""
    marker = "987654321"
    head, tail = reverse(name, args=[int(marker)]).split(marker, 1)
    return lambda pk: f"{head}{pk}{tail}"


def objective_cards(
    objectives: list[Objective],
    *,
    actor,
    today: date,
    with_forms: bool = True,
    with_plans: bool = False,
    with_points: bool = True,
) -> list[ObjectiveCard]:
    """`with_points=False`: no sparkline points (a page that draws no sparklines: one query less)."""
    points = _points_for(objectives) if with_points else {}
    children = _children_for(objectives)
    permissions = _Permissions(actor)
    detail_url, score_url = _link("goals:objective-detail"), _link("goals:score-objective")
    cards = []
    for objective in objectives:
        can_record = with_forms and permissions.record(objective)
        rows = [
            key_result_row(
                kr, objective, points=points.get(kr.pk, []), last=kr.latest_update, can_record=can_record, today=today
            )
            for kr in objective.key_results.all()
        ]
        lasts = [row.last for row in rows if row.last is not None]
        rollup = card_rollup(objective, rows, children.get(objective.pk, []))
        card_progress = rollup.progress
        paced_days = [row.pace_detail.day for row in rows if row.pace_detail is not None]
        card_pace = None
        if paced_days:
            card_pace = pace_rules.pace_of(
                progress=card_progress, start=objective.period.start, end=_pace_end(objective), day=max(paced_days)
            )
        cards.append(
            ObjectiveCard(
                objective=objective,
                rows=rows,
                progress=card_progress,
                score=rollup.score,
                pace_detail=card_pace,
                last=max(lasts, key=lambda m: (m.as_of, m.pk)) if lasts else None,
                can_edit_plans=with_plans and permissions.plans(objective),
                action_plans=list(objective.action_plans.all()) if with_plans else [],
                detail_url=detail_url(objective.pk),
                score_url=score_url(objective.pk),
            )
        )
    return cards
