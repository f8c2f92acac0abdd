"""Key results, milestones and progress updates (measurements)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from goals import errors
from goals.errors import goal_error
from goals.models import IntegrationClient, KeyResult, Measurement, Milestone, Objective
from goals.selectors import measurement_effective_latest
from org.models import User

KEY_RESULT_FIELDS = {
    "title", "direction", "baseline", "target", "stretch", "range_low", "range_high", "unit", "weight", "kpi",
    "data_source",
}  # fmt: skip


def _ensure_editable(objective: Objective) -> None:
    if objective.status not in (Objective.Status.DRAFT, Objective.Status.RETURNED):
        raise goal_error(errors.NOT_EDITABLE, http_status=409)


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
        raise goal_error(errors.NOT_EDITABLE, http_status=409)
    key_result.delete()


def ensure_key_result_active(key_result: KeyResult) -> None:
    if key_result.objective.status != Objective.Status.APPROVED:
        raise goal_error(errors.NOT_ACTIVE, http_status=409)


def _refresh_cache(key_result_id: int) -> None:
    """Keep the key result's current value (derived data) in step with its updates."""
    latest = measurement_effective_latest(key_result_id=key_result_id)
    KeyResult.objects.filter(pk=key_result_id).update(
        current_value=latest.value if latest else None,
        last_measured_on=latest.as_of if latest else None,
    )


def announce_progress_on_commit(key_result_id: int) -> None:
    """After commit: let later work (score roll-ups) react to new progress."""
    from goals.events import progress_recorded

    transaction.on_commit(lambda: progress_recorded.send(sender=KeyResult, key_result_id=key_result_id))


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
    key_result = KeyResult.objects.select_for_update().select_related("objective").get(pk=key_result.pk)
    ensure_key_result_active(key_result)
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
    """Correct a recorded value with a new row that points at it; the original stays."""
    original = Measurement.objects.select_for_update().select_related("key_result__objective").get(pk=measurement.pk)
    if Measurement.objects.filter(corrects=original).exists():
        raise goal_error(errors.ALREADY_CORRECTED, http_status=409)
    if not (comment or "").strip():
        raise goal_error(errors.COMMENT_REQUIRED, errors={"comment": [_("Say why the value is corrected.")]})
    ensure_key_result_active(original.key_result)
    correction = Measurement(
        key_result=original.key_result,
        value=value,
        as_of=as_of or original.as_of,
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
def milestone_set_done(*, milestone: Milestone, actor: User, done_on: date | None) -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("key_result__objective").get(pk=milestone.pk)
    ensure_key_result_active(milestone.key_result)
    milestone.done_on = done_on
    milestone.full_clean()
    milestone.save(update_fields=["done_on", "updated_at"])
    announce_progress_on_commit(milestone.key_result_id)
    return milestone
