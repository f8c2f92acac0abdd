"""Writing a checked progress import: every row or none, in one transaction, set-based.

This is `measurement_record` for many rows at once, with exactly its rules:
- the key results are locked (with their objectives) and each objective must be active
  (approved) — `ensure_key_result_active`, the same check;
- every row becomes a new Measurement (full_clean first); nothing is updated or deleted;
- each key result's cached current value / last update is refreshed from the effective latest
  update (the rule of `selectors.measurement_effective_latest`: latest as-of date, then latest
  row, ignoring corrected rows);
- `events.progress_recorded` is sent on commit (`announce_progress_on_commit`, the same helper) — once per key
  result, since the event carries only the key result's id.

Why not call `measurement_record` per row: it costs 8 queries a row (lock, two foreign-key
checks, insert, latest, cache update and a savepoint pair): 2,000 rows took ~13 s on PostgreSQL.
Set-based, the write takes a constant handful of queries whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery

from goals import errors
from goals.errors import GoalError, goal_error
from goals.models import KeyResult, Measurement
from goals.services.progress import announce_progress_on_commit, ensure_key_result_active
from org.models import User

# Checked in bulk before the write (the rows name locked key results and the acting user), so
# full_clean needn't query for each row's foreign keys.
_FOREIGN_KEYS = ["key_result", "entered_by", "source_client", "corrects"]
BATCH_SIZE = 500


@dataclass(frozen=True)
class ProgressEntry:
    """One checked row of an import. `row` is the spreadsheet row number, for error messages."""

    row: int
    key_result: KeyResult
    value: Decimal
    as_of: date
    confidence: str = Measurement.Confidence.ON_TRACK
    comment: str = ""
    evidence_url: str = ""


def _message(exc: Exception) -> str:
    if isinstance(exc, GoalError):
        return str(exc.message)
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


def _refused(problems: list[dict]) -> GoalError:
    error = goal_error(errors.IMPORT_INVALID)
    error.extra["problems"] = problems
    return error


def _refresh_caches(key_result_ids: set[int]) -> None:
    """Every touched key result's current value and last update, in one UPDATE (derived data)."""
    latest = Measurement.objects.filter(key_result_id=OuterRef("pk"), corrected_by__isnull=True).order_by(
        "-as_of", "-pk"
    )
    KeyResult.objects.filter(pk__in=key_result_ids).update(
        current_value=Subquery(latest.values("value")[:1]),
        last_measured_on=Subquery(latest.values("as_of")[:1]),
    )


@transaction.atomic
def measurement_import(*, actor: User, entries: Sequence[ProgressEntry]) -> list[Measurement]:
    """Record every entry as a progress update with source "import", or none of them.

    Raises GoalError IMPORT_INVALID with `extra["problems"]` (row, column, message) for rows the
    rules refuse now — say an objective was closed after the file was checked.
    """
    ids = {entry.key_result.pk for entry in entries}
    lock = KeyResult.objects.select_for_update().select_related("objective").filter(pk__in=ids).order_by("pk")
    locked = {key_result.pk: key_result for key_result in lock}  # in id order: two imports cannot deadlock
    problems: list[dict] = []
    measurements: list[Measurement] = []
    for entry in entries:
        key_result = locked.get(entry.key_result.pk)
        measurement = Measurement(
            key_result=key_result or entry.key_result,
            value=entry.value,
            as_of=entry.as_of,
            comment=entry.comment,
            source=KeyResult.Source.IMPORT,
            entered_by=actor,
            confidence=entry.confidence,
            evidence_url=entry.evidence_url,
        )
        try:
            if key_result is None:
                raise goal_error(errors.NOT_ACTIVE, http_status=409)  # deleted since the check
            ensure_key_result_active(key_result)
            measurement.full_clean(exclude=_FOREIGN_KEYS)
        except (GoalError, ValidationError) as exc:
            problems.append({"row": entry.row, "column": "", "message": _message(exc)})
            continue
        measurements.append(measurement)
    if problems:
        raise _refused(problems)
    Measurement.objects.bulk_create(measurements, batch_size=BATCH_SIZE)
    _refresh_caches(ids)
    for key_result_id in sorted(ids):
        announce_progress_on_commit(key_result_id)
    return measurements
