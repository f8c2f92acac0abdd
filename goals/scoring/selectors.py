"""The reads the scoring engine and the explanations need: key results and children to score,
the objectives feeding a person, unit or theme, score records and snapshots. The rest of the
project reads cached scores through goals.scoring as `Score` values, one query for many subjects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from goals.models import (
    KeyResult,
    Measurement,
    Milestone,
    Objective,
    ScoreKind,
    ScoreRecord,
    ScoreSnapshot,
)

LATEST_FIRST = ("-as_of", "-pk")  # the effective latest update: the latest by date, then the last recorded


def effective_updates(*, as_of: date | None = None) -> QuerySet[Measurement]:
    """The progress updates that count (goals.progress.selectors' rule): those no later row corrected
    (a correction replaces what it corrects), dated on or before `as_of` if given."""
    corrected = Measurement.objects.filter(corrects_id=OuterRef("pk"))
    qs = Measurement.objects.filter(~Exists(corrected))  # an anti-join: PostgreSQL estimates it well
    return qs if as_of is None else qs.filter(as_of__lte=as_of)


def _milestone_counts(as_of: date | None) -> dict:
    """`milestones_total` and `milestones_done` (by `as_of`) of each key result, as subqueries."""
    done = Milestone.objects.filter(key_result_id=OuterRef("pk"), done_on__isnull=False)
    if as_of is not None:
        done = done.filter(done_on__lte=as_of)

    def count(qs):
        counted = qs.order_by().values("key_result_id").annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    return {
        "milestones_total": count(Milestone.objects.filter(key_result_id=OuterRef("pk"))),
        "milestones_done": count(done),
    }


def key_results_for_scoring(
    *, objective_ids: list[int] | None = None, key_result_id: int | None = None, as_of: date | None = None
) -> QuerySet[KeyResult]:
    """Key results with what their achievement needs, in one query: `latest_value` (the latest
    progress update that no later row corrected — as kept on the key result, or read from the
    updates on or before `as_of` if given),
    `milestones_total` and `milestones_done` (done by `as_of`), and the objective's period (its cap).
    For a few key results (an explanation); the roll-ups read many with key_results_to_score."""
    if as_of is None:  # today: as the write path keeps it on the key result (the roll-ups read the same)
        latest_fields = dict(zip(("latest_id", "latest_value", "latest_as_of"), map(F, LATEST_FIELDS), strict=True))
    else:
        latest = effective_updates(as_of=as_of).filter(key_result_id=OuterRef("pk")).order_by(*LATEST_FIRST)
        latest_fields = {
            "latest_value": Subquery(latest.values("value")[:1]),
            "latest_as_of": Subquery(latest.values("as_of")[:1]),
            "latest_id": Subquery(latest.values("pk")[:1]),
        }
    qs = KeyResult.objects.select_related("objective__period").annotate(**latest_fields, **_milestone_counts(as_of))
    if key_result_id is not None:
        qs = qs.filter(pk=key_result_id)
    if objective_ids is not None:
        qs = qs.filter(objective_id__in=objective_ids)
    return qs.order_by("objective_id", "pk")


@dataclass(slots=True)
class KeyResultToScore:
    """A key result as the roll-ups read many of them: its figures, its stored achievement, its
    period's cap and the attributes key_results_for_scoring annotates (a plain row, not a model)."""

    pk: int
    objective_id: int
    direction: str
    baseline: Decimal | None
    target: Decimal | None
    stretch: Decimal | None
    range_low: Decimal | None
    range_high: Decimal | None
    weight: Decimal
    achievement: Decimal | None
    achievement_cap: Decimal
    latest_id: int | None = None
    latest_value: Decimal | None = None
    latest_as_of: date | None = None
    milestones_total: int = 0
    milestones_done: int = 0


SCORING_FIELDS = [
    "pk", "objective_id", "direction", "baseline", "target", "stretch", "range_low", "range_high", "weight",
    "achievement", "objective__period__achievement_cap",
]  # fmt: skip
# The effective latest update as goals.progress keeps it on the key result (refresh_current_values).
LATEST_FIELDS = ["latest_update_id", "current_value", "last_measured_on"]
COUNT_FIELDS = ["milestones_total", "milestones_done"]


def latest_updates(*, scope: Q, as_of: date | None = None) -> dict[int, tuple[int, Decimal, date]]:
    """{key result id: (id, value, as_of)} of the effective latest progress update of every key result
    in `scope` (a condition on Measurement), in one query: DISTINCT ON on PostgreSQL, a window elsewhere."""
    qs = effective_updates(as_of=as_of).filter(scope)
    if connection.vendor == "postgresql":
        rows = qs.order_by("key_result_id", *LATEST_FIRST).distinct("key_result_id")
    else:
        rank = Window(RowNumber(), partition_by=[F("key_result_id")], order_by=[F("as_of").desc(), F("pk").desc()])
        rows = qs.annotate(rank=rank).filter(rank=1).order_by()
    return {kr: (pk, value, day) for kr, pk, value, day in rows.values_list("key_result_id", "pk", "value", "as_of")}


def milestone_counts(*, scope: Q, as_of: date | None = None) -> dict[int, tuple[int, int]]:
    """{key result id: (milestones, done by `as_of`)} of the key results in `scope` (a condition on Milestone)."""
    done = Q(done_on__isnull=False) if as_of is None else Q(done_on__isnull=False, done_on__lte=as_of)
    rows = (
        Milestone.objects.filter(scope)
        .order_by()
        .values("key_result_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=done))
        .values_list("key_result_id", "total", "done")
    )
    return {kr: (total, n_done) for kr, total, n_done in rows}


def key_results_to_score(
    *, objective_ids: list[int] | None = None, period_ids: list[int] | None = None, as_of: date | None = None
) -> list[KeyResultToScore]:
    """The key results of these objectives (or of every objective in these periods) with what their
    achievement needs, the same attributes as key_results_for_scoring gives: the latest update as
    kept on the key result, or as of a past day the effective latest update up to it read from the
    updates (one more query). The key results of given objectives (a path: a few) come in one query
    with their milestone counts; those of whole periods in two (milestones counted apart, in one
    pass), whatever their number."""
    if objective_ids is not None:
        condition = {"objective_id__in": objective_ids}
    else:
        condition = {"objective__period_id__in": period_ids}
    rows = KeyResult.objects.filter(**condition).order_by("objective_id", "pk")
    if as_of is None and objective_ids is not None:  # a few (a path): one query, the counts as subqueries
        rows = rows.annotate(**_milestone_counts(None))
        return [KeyResultToScore(*row) for row in rows.values_list(*SCORING_FIELDS, *LATEST_FIELDS, *COUNT_FIELDS)]
    if as_of is None:  # today: the latest update as the write path keeps it on the key result
        krs = [KeyResultToScore(*row) for row in rows.values_list(*SCORING_FIELDS, *LATEST_FIELDS)]
    else:
        krs = [KeyResultToScore(*row) for row in rows.values_list(*SCORING_FIELDS)]
    if not krs:
        return krs
    through = Q(**{f"key_result__{name}": value for name, value in condition.items()})
    latest = latest_updates(scope=through, as_of=as_of) if as_of is not None else None
    milestones = milestone_counts(scope=through, as_of=as_of)
    for kr in krs:
        if latest is not None:
            kr.latest_id, kr.latest_value, kr.latest_as_of = latest.get(kr.pk, (None, None, None))
        kr.milestones_total, kr.milestones_done = milestones.get(kr.pk, (0, 0))
    return krs


def objective_children_for_scoring(*, objective_ids: list[int]) -> QuerySet[Objective]:
    """The objectives aligned directly under these ones, with their cached scores."""
    return Objective.objects.filter(parent_id__in=objective_ids).select_related("owner_employee__user", "owner_unit")


def objectives_feeding_person(*, employee_id: int, period_id: int) -> QuerySet[Objective]:
    """A person's personal objectives in a period, with their cached scores."""
    return Objective.objects.filter(
        level=Objective.Level.PERSON, owner_employee_id=employee_id, period_id=period_id
    ).order_by("-weight", "pk")


def objectives_feeding_unit(*, unit_id: int, period_id: int) -> QuerySet[Objective]:
    """A unit's own objectives (unit level, or company level for the top unit) in a period, with cached scores."""
    return Objective.objects.filter(
        level__in=[Objective.Level.UNIT, Objective.Level.COMPANY], owner_unit_id=unit_id, period_id=period_id
    ).order_by("-weight", "pk")


def objectives_feeding_theme(*, theme_id: int) -> QuerySet[Objective]:
    """The objectives aligned to a theme, with cached scores and owners."""
    return (
        Objective.objects.filter(theme_id=theme_id)
        .select_related("owner_employee__user", "owner_unit")
        .order_by("-weight", "pk")
    )


def score_snapshot_list(*, kind: str, subject_id: int, period_id: int) -> QuerySet:
    """A subject's daily scores in a period, oldest first."""
    return ScoreSnapshot.objects.filter(kind=kind, subject_id=subject_id, period_id=period_id).order_by("day")


@dataclass(frozen=True)
class Score:
    """A cached score as the rest of the project reads it (never the ScoreRecord row itself)."""

    kind: str  # a ScoreKind
    subject_id: int  # the objective's, employee's, unit's or theme's id
    period_id: int
    score: Decimal | None  # 0 … the period's cap
    progress: Decimal | None  # 0–100
    computed_at: datetime

    @property
    def url(self) -> str:
        """Its explanation page."""
        from goals.scoring.explain import explanation_url

        return explanation_url(self.kind, self.subject_id, self.period_id)


def _score(record) -> Score:
    return Score(record.kind, record.subject_id, record.period_id, record.score, record.progress, record.computed_at)


def _records(*, kind: str, subject_ids) -> QuerySet[ScoreRecord]:
    return ScoreRecord.objects.filter(kind=kind, subject_id__in=subject_ids)


def score_of(*, kind: str, subject_id: int, period_id: int) -> Score | None:
    """The score of one subject in a period, or None (one query)."""
    record = _records(kind=kind, subject_ids=[subject_id]).filter(period_id=period_id).first()
    return None if record is None else _score(record)


def person_score(*, employee_id: int, period_id: int) -> Score | None:
    """A person's results score in a period (counted objectives, approved or closed), or None (one query)."""
    return score_of(kind=ScoreKind.PERSON, subject_id=employee_id, period_id=period_id)


def person_scores(*, employee_ids, period_id: int) -> dict[int, Score]:
    """{employee id: Score} of these people in a period, in one query however many they are."""
    return score_record_map(kind=ScoreKind.PERSON, subject_ids=employee_ids, period_id=period_id)


def score_record_map(*, kind: str, subject_ids, period_id: int | None = None) -> dict[int, Score]:
    """{subject id: Score} of these subjects (one query), e.g. for a list of people or units."""
    qs = _records(kind=kind, subject_ids=subject_ids)
    if period_id is not None:
        qs = qs.filter(period_id=period_id)
    return {r.subject_id: _score(r) for r in qs}


def score_record_map_own_periods(*, kind: str, subject_ids, periods: dict[int, int]) -> dict[int, Score]:
    """{subject id: Score} with each subject in its own period (`periods`: subject id → period id), as
    for strategic themes (one query); a subject without an entry in `periods` gets nothing."""
    qs = _records(kind=kind, subject_ids=subject_ids).filter(period_id__in=set(periods.values()))
    return {r.subject_id: _score(r) for r in qs if periods.get(r.subject_id) == r.period_id}
