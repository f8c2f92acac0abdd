"""Key results, milestones and progress updates (measurements)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.events import send_on_commit
from goals.errors import GoalErrorCode, goal_error
from goals.events import progress_recorded
from goals.models import IntegrationClient, KeyResult, Measurement, Milestone, Objective
from goals.progress import rules
from goals.tasks import queue_roll_up_for_key_result
from org.models import User

KEY_RESULT_FIELDS = {
    "title", "direction", "baseline", "target", "stretch", "range_low", "range_high", "unit", "unit_en", "weight",
    "kpi", "data_source",
}  # fmt: skip


def _ensure_editable(objective: Objective) -> None:
    if objective.status not in (Objective.Status.DRAFT, Objective.Status.RETURNED):
        raise goal_error(GoalErrorCode.NOT_EDITABLE)


@transaction.atomic
def key_result_create(
    *, objective: Objective, actor: User, title: str, milestones: list[str] | None = None, **fields
) -> KeyResult:
    unknown = set(fields) - KEY_RESULT_FIELDS
    if unknown:
        raise TypeError(f"key_result_create() got unknown fields: {sorted(unknown)}")
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    _ensure_editable(objective)
    key_result = KeyResult(objective=objective, title=title, **fields)
    if key_result.kpi_id and not fields.get("unit"):
        key_result.unit = key_result.kpi.unit
        key_result.unit_en = key_result.unit_en or key_result.kpi.unit_en
    key_result.full_clean()
    key_result.save()
    for step in milestones or []:
        milestone = Milestone(key_result=key_result, title=step)
        milestone.full_clean()
        milestone.save()
    return key_result


@transaction.atomic
def key_result_update(*, key_result: KeyResult, actor: User, **fields) -> KeyResult:
    unknown = set(fields) - KEY_RESULT_FIELDS
    if unknown:
        raise TypeError(f"key_result_update() got unknown fields: {sorted(unknown)}")
    key_result = KeyResult.objects.select_for_update().select_related("objective").get(pk=key_result.pk)
    _ensure_editable(key_result.objective)
    for name, value in fields.items():
        setattr(key_result, name, value)
    key_result.full_clean()
    key_result.save(update_fields=[*fields, "updated_at"])
    return key_result


@transaction.atomic
def key_result_delete(*, key_result: KeyResult, actor: User) -> None:
    key_result = KeyResult.objects.select_for_update().select_related("objective").get(pk=key_result.pk)
    _ensure_editable(key_result.objective)
    if key_result.measurements.exists():
        raise goal_error(GoalErrorCode.NOT_EDITABLE)
    key_result.delete()


def ensure_key_result_active(key_result: KeyResult) -> None:
    if key_result.objective.status != Objective.Status.APPROVED:
        raise goal_error(GoalErrorCode.NOT_ACTIVE)


# --- the rules of a progress update (goals.progress.rules.progress_problems), for every writer ---------------


def progress_facts(key_result: KeyResult) -> rules.ProgressKeyResult:
    """The key result as the progress rules see it (its objective and period already loaded)."""
    objective = key_result.objective
    period = objective.period
    return rules.ProgressKeyResult(
        id=key_result.pk,
        title=key_result.title,
        direction=key_result.direction,
        data_source=key_result.data_source,
        unit=key_result.unit,
        period_name=period.name,
        period_start=period.start,
        period_end=period.end,
        active=objective.status == Objective.Status.APPROVED,
        objective_title=objective.title,
        objective_status=str(objective.get_status_display()).lower(),
        figures=(key_result.baseline, key_result.target, key_result.stretch, key_result.range_low,
                 key_result.range_high),
    )  # fmt: skip


def progress_check(
    updates: Sequence[rules.ProgressUpdate], *, today: date | None = None, excluding: int | None = None
) -> list[list[rules.ProgressProblem]]:
    """The rules' problems for each update, with the values recorded already (one query).

    `excluding`: the update being corrected, whose date its correction may take over.
    """
    pairs = {(u.key_result.id, u.as_of) for u in updates if u.as_of is not None}
    recorded: dict[tuple[int, date], Decimal] = {}
    if pairs:
        rows = Measurement.objects.filter(
            key_result_id__in={kr for kr, _day in pairs},
            as_of__in={day for _kr, day in pairs},
            corrected_by__isnull=True,
        )
        if excluding is not None:
            rows = rows.exclude(pk=excluding)
        for key_result_id, as_of, value in rows.order_by("pk").values_list("key_result_id", "as_of", "value"):
            recorded[(key_result_id, as_of)] = value
    return rules.progress_problems(updates, today=today or timezone.localdate(), recorded=recorded)


def _refuse_problems(problems: list[rules.ProgressProblem]) -> None:
    if not problems:
        return
    by_field: dict[str, list[str]] = {}
    for problem in problems:
        by_field.setdefault(problem.field, []).append(problem.message)
    raise goal_error(GoalErrorCode.PROGRESS_INVALID, problems=" ".join(p.message for p in problems), errors=by_field)


def _locked_key_result(pk: int) -> KeyResult:
    """The key result, locked with its objective (not the period, which many key results share)."""
    return KeyResult.objects.select_for_update(of=("self", "objective")).select_related("objective__period").get(pk=pk)


def refresh_current_values(key_result_ids: set[int]) -> None:
    """Keep the key results' current value, last update date and latest update (derived data) in step
    with their updates, in one UPDATE for any number: the effective latest update (latest as-of date, then latest row,
    corrected rows left out — the rule of `selectors.measurement_effective_latest`)."""
    latest = Measurement.objects.filter(key_result_id=OuterRef("pk"), corrected_by__isnull=True).order_by(
        "-as_of", "-pk"
    )
    KeyResult.objects.filter(pk__in=key_result_ids).update(
        current_value=Subquery(latest.values("value")[:1]),
        last_measured_on=Subquery(latest.values("as_of")[:1]),
        latest_update_id=Subquery(latest.values("pk")[:1]),
    )


def _refresh_cache(key_result_id: int) -> None:
    refresh_current_values({key_result_id})


def announce_progress_on_commit(key_result_id: int) -> None:
    """After commit: roll the scores up from the key result, and tell higher apps
    (goals.events.progress_recorded)."""
    queue_roll_up_for_key_result(key_result_id)
    send_on_commit(progress_recorded, sender=KeyResult, key_result_id=key_result_id)


@transaction.atomic
def measurement_record(
    *,
    key_result: KeyResult,
    value: Decimal,
    as_of: date,
    actor: User | None,
    source: str = KeyResult.Source.MANUAL,
    client: IntegrationClient | None = None,
    comment: str = "",
    confidence: str = Measurement.Confidence.ON_TRACK,
    evidence_file=None,
    evidence_url: str = "",
) -> Measurement:
    """Record a value of an active key result. Nothing is overwritten."""
    key_result = _locked_key_result(key_result.pk)
    ensure_key_result_active(key_result)
    [problems] = progress_check(
        [rules.ProgressUpdate(progress_facts(key_result), value=value, as_of=as_of, source=source)]
    )
    _refuse_problems(problems)
    measurement = Measurement(
        key_result=key_result,
        value=value,
        as_of=as_of,
        comment=comment,
        source=source,
        source_client=client,
        entered_by=actor,
        confidence=confidence,
        evidence_url=evidence_url,
    )
    if evidence_file:
        measurement.evidence_file = evidence_file
    measurement.full_clean()
    measurement.save()
    _refresh_cache(key_result.pk)
    announce_progress_on_commit(key_result.pk)
    return measurement


@transaction.atomic
def measurement_correct(
    *, measurement: Measurement, value: Decimal, actor: User, comment: str, as_of: date | None = None
) -> Measurement:
    """Correct a recorded value with a new row that points at it; the original stays.

    The correction obeys the rules of a new progress update, except that a person may correct a value
    another system sent, and it may keep (or take) the date of the update it corrects.
    """
    original = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if Measurement.objects.filter(corrects=original).exists():
        raise goal_error(GoalErrorCode.ALREADY_CORRECTED)
    if not (comment or "").strip():
        raise goal_error(GoalErrorCode.REASON_REQUIRED, errors={"comment": [_("Say why the value is corrected.")]})
    key_result = _locked_key_result(original.key_result_id)
    ensure_key_result_active(key_result)
    as_of = as_of or original.as_of
    update = rules.ProgressUpdate(progress_facts(key_result), value=value, as_of=as_of, correction=True)
    [problems] = progress_check([update], excluding=original.pk)
    _refuse_problems(problems)
    correction = Measurement(
        key_result=key_result,
        value=value,
        as_of=as_of,
        comment=comment.strip(),
        source=KeyResult.Source.MANUAL,
        entered_by=actor,
        confidence=original.confidence,
        corrects=original,
    )
    correction.full_clean()
    correction.save()
    _refresh_cache(original.key_result_id)
    announce_progress_on_commit(original.key_result_id)
    return correction


@transaction.atomic
def key_result_mark_done(*, key_result: KeyResult, done: bool, actor: User, today: date) -> Measurement:
    """The done / not-done switch: today's update of a done / not-done key result.

    A second change on the same day corrects today's update (one value per key result and date),
    with the reason said for the person; otherwise it is a new update as of today.
    """
    value = Decimal(1) if done else Decimal(0)
    todays = (
        Measurement.objects.filter(key_result_id=key_result.pk, as_of=today, corrected_by__isnull=True)
        .order_by("-pk")
        .first()
    )
    if todays is None:
        return measurement_record(key_result=key_result, value=value, as_of=today, actor=actor)
    if todays.value == value:
        return todays  # already so: nothing to record
    reason = _("Marked done again the same day.") if done else _("Marked not done again the same day.")
    return measurement_correct(measurement=todays, value=value, actor=actor, comment=str(reason))


@transaction.atomic
def milestone_set_done(*, milestone: Milestone, actor: User, done_on: date | None) -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("key_result__objective").get(pk=milestone.pk)
    ensure_key_result_active(milestone.key_result)
    milestone.done_on = done_on
    milestone.full_clean()
    milestone.save(update_fields=["done_on", "updated_at"])
    announce_progress_on_commit(milestone.key_result_id)
    return milestone
