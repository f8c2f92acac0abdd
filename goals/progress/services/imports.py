"""Writing many progress updates — an import or a push from another system: every row or none,
in one transaction, set-based.

This is `measurement_record` for many rows at once, with exactly its rules:
- the key results are locked (with their objectives) and every row passes the rules of a
  progress update (`goals.progress.rules.progress_problems` via `progress_check`, the same call), which
  also refuses two rows for one key result and date;
- every row becomes a new Measurement (full_clean first); nothing is updated or deleted;
- each key result's cached current value / last update is refreshed from the effective latest
  update (the rule of `selectors.measurement_effective_latest`: latest as-of date, then latest
  row, ignoring corrected rows);
- the roll-up is queued and `events.progress_recorded` sent on commit (`announce_progress_on_commit`,
  the same helper) — once per key result, since both carry only the key result's id.

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

from goals.errors import MESSAGES, GoalError, GoalErrorCode, goal_error
from goals.models import IntegrationClient, KeyResult, Measurement
from goals.progress import rules
from goals.progress.services.measurements import (
    announce_progress_on_commit,
    progress_check,
    progress_facts,
    refresh_current_values,
)
from org.models import User

# Checked in bulk before the write (the rows name locked key results and the acting user), so
# full_clean needn't query for each row's foreign keys.
_FOREIGN_KEYS = ["key_result", "entered_by", "source_client", "corrects"]
BATCH_SIZE = 500


@dataclass(frozen=True)
class ProgressEntry:
    """One checked row of an import or item of a push. `row` is the spreadsheet row number (or the
    item's index), for error messages; `label` names it among the others ("row 4")."""

    row: int
    key_result: KeyResult
    value: Decimal
    as_of: date
    confidence: str = Measurement.Confidence.ON_TRACK
    comment: str = ""
    evidence_url: str = ""
    label: str = ""


def _message(exc: Exception) -> str:
    if isinstance(exc, GoalError):
        return str(exc.message)
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


def _refused(problems: list[dict]) -> GoalError:
    error = goal_error(GoalErrorCode.IMPORT_INVALID)
    error.extra["problems"] = problems
    return error


def raise_batch_problems(problems: list[dict]) -> None:
    """GoalError PROGRESS_BATCH_INVALID with `extra["problems"]` by row, when there are any."""
    if problems:
        error = goal_error(GoalErrorCode.PROGRESS_BATCH_INVALID)
        error.extra["problems"] = sorted(problems, key=lambda p: p["row"])
        raise error


def measurement_batch_problems(
    *, entries: Sequence[ProgressEntry], source: str, key_results: dict[int, KeyResult] | None = None
) -> list[dict]:
    """The rules' problems of a batch, as `{"row", "field", "message"}` (one query for recorded values).

    `key_results`: the entries' key results, freshly locked, by id (default: as the entries carry them,
    with their objectives and periods loaded).
    """
    key_results = key_results or {entry.key_result.pk: entry.key_result for entry in entries}
    updates = [
        rules.ProgressUpdate(
            progress_facts(key_results[entry.key_result.pk]),
            value=entry.value,
            as_of=entry.as_of,
            source=source,
            label=entry.label,
        )
        for entry in entries
    ]
    return [
        {"row": entry.row, "field": problem.field, "message": problem.message}
        for entry, found in zip(entries, progress_check(updates), strict=True)
        for problem in found
    ]


@transaction.atomic
def measurement_record_many(
    *,
    actor: User | None,
    entries: Sequence[ProgressEntry],
    source: str,
    client: IntegrationClient | None = None,
) -> list[Measurement]:
    """Record every entry as a progress update from `source`, or none of them.

    Raises GoalError PROGRESS_BATCH_INVALID with `extra["problems"]` (row, field, message) for rows
    the rules refuse — say an objective was closed after the rows were checked.
    """
    ids = {entry.key_result.pk for entry in entries}
    lock = (
        KeyResult.objects.select_for_update(of=("self", "objective"))
        .select_related("objective__period")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    locked = {key_result.pk: key_result for key_result in lock}  # in id order: two writers cannot deadlock
    gone = str(MESSAGES[GoalErrorCode.NOT_ACTIVE])  # deleted since the check
    problems: list[dict] = [
        {"row": entry.row, "field": "key_result", "message": gone}
        for entry in entries
        if entry.key_result.pk not in locked
    ]
    present = [entry for entry in entries if entry.key_result.pk in locked]
    problems += measurement_batch_problems(entries=present, source=source, key_results=locked)
    measurements: list[Measurement] = []
    for entry in present:
        measurement = Measurement(
            key_result=locked[entry.key_result.pk],
            value=entry.value,
            as_of=entry.as_of,
            comment=entry.comment,
            source=source,
            source_client=client,
            entered_by=actor,
            confidence=entry.confidence,
            evidence_url=entry.evidence_url,
        )
        try:
            measurement.full_clean(exclude=_FOREIGN_KEYS)
        except ValidationError as exc:
            problems.append({"row": entry.row, "field": "", "message": _message(exc)})
            continue
        measurements.append(measurement)
    raise_batch_problems(problems)
    Measurement.objects.bulk_create(measurements, batch_size=BATCH_SIZE)
    refresh_current_values(ids)
    for key_result_id in sorted(ids):
        announce_progress_on_commit(key_result_id)  # one roll-up per key result, however many rows
    return measurements


def measurement_import(*, actor: User, entries: Sequence[ProgressEntry]) -> list[Measurement]:
    """Record every entry as a progress update with source "import", or none of them.

    Raises GoalError IMPORT_INVALID with `extra["problems"]` (row, column, message) for rows the
    rules refuse now — say an objective was closed after the file was checked.
    """
    try:
        return measurement_record_many(actor=actor, entries=entries, source=KeyResult.Source.IMPORT)
    except GoalError as exc:
        if exc.code != GoalErrorCode.PROGRESS_BATCH_INVALID:
            raise
        raise _refused(
            [{"row": p["row"], "column": "", "message": p["message"]} for p in exc.extra["problems"]]
        ) from exc
