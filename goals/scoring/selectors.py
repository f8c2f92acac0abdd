"""The reads the scoring engine and the explanations need: key results and children to score,
the objectives feeding a person, unit or theme, score records and snapshots."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet

from goals.models import (
    KeyResult,
    Measurement,
    Objective,
)


def key_results_for_scoring(
    *, objective_ids: list[int] | None = None, key_result_id: int | None = None, as_of: date | None = None
) -> QuerySet[KeyResult]:
    """Key results with what their achievement needs, in one query: `latest_value` (the latest
    progress update that no later row corrected, on or before `as_of` if given),
    `milestones_total` and `milestones_done` (done by `as_of`), and the objective's period (its cap)."""
    from django.db.models import IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from goals.models import Milestone

    latest = Measurement.objects.filter(key_result_id=OuterRef("pk"), corrected_by__isnull=True)
    done = Milestone.objects.filter(key_result_id=OuterRef("pk"), done_on__isnull=False)
    if as_of is not None:
        latest = latest.filter(as_of__lte=as_of)
        done = done.filter(done_on__lte=as_of)
    total = Milestone.objects.filter(key_result_id=OuterRef("pk"))

    def count(qs):
        counted = qs.order_by().values("key_result_id").annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    qs = KeyResult.objects.select_related("objective__period").annotate(
        latest_value=Subquery(latest.order_by("-as_of", "-pk").values("value")[:1]),
        latest_as_of=Subquery(latest.order_by("-as_of", "-pk").values("as_of")[:1]),
        latest_id=Subquery(latest.order_by("-as_of", "-pk").values("pk")[:1]),
        milestones_total=count(total),
        milestones_done=count(done),
    )
    if key_result_id is not None:
        qs = qs.filter(pk=key_result_id)
    if objective_ids is not None:
        qs = qs.filter(objective_id__in=objective_ids)
    return qs.order_by("objective_id", "pk")


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
    from goals.models import ScoreSnapshot

    return ScoreSnapshot.objects.filter(kind=kind, subject_id=subject_id, period_id=period_id).order_by("day")


def score_record_map(*, kind: str, subject_ids: list[int], period_id: int | None = None) -> dict:
    """Current scores by subject id (one query), e.g. for a list of people or units."""
    from goals.models import ScoreRecord

    qs = ScoreRecord.objects.filter(kind=kind, subject_id__in=subject_ids)
    if period_id is not None:
        qs = qs.filter(period_id=period_id)
    return {r.subject_id: r for r in qs}
