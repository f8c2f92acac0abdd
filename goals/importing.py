"""Progress import from Excel/CSV: read the file, check every row, then write all rows or none.

Reading uses org.spreadsheets (.xlsx, UTF-8/GBK CSV, size limit). Checking loads every key result
named in the file, with the actor's permission applied, in a constant number of queries; only
when no row has a problem does `goals.services.imports.measurement_import` write, in one
transaction. A key result that does not exist and one the actor may not record progress on get
the same message, so a file cannot be used to probe for other people's key results.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from goals import errors
from goals.errors import GoalError, goal_error
from goals.models import Direction, KeyResult, Measurement, Objective
from goals.progress_sheet import (
    DATE_GRACE,
    Problems,
    RowInput,
    header_for,
    header_positions,
    is_percent_unit,
    parse_done,
    parse_number,
    plain_number,
    read_rows,
    text_of,
)
from goals.selectors import key_result_list_for_progress
from goals.services.imports import ProgressEntry, measurement_import
from org.models import User
from org.spreadsheets import Problem, SpreadsheetError, Table, read_upload

_MAX_WHOLE_DIGITS = 18 - 4  # Measurement.value: max_digits 18, decimal_places 4
_FOUR_PLACES = Decimal("0.0001")


# --- the check -------------------------------------------------------------------------------


@dataclass
class CheckedImport:
    entries: list[ProgressEntry]
    skipped: int
    problems: list[Problem]


@dataclass
class ImportResult:
    recorded: int
    key_results: int
    skipped: int


def _value_for(item: RowInput, key_result: KeyResult, problems: Problems) -> Decimal | None:
    """The row's value for this key result, or None after adding the problem."""
    unit = key_result.unit or ""
    if key_result.direction == Direction.DONE:
        if item.number is not None and not item.number.percent and item.number.value in (0, 1):
            return item.number.value
        done = parse_done(item.raw_value)
        if done is not None:
            return done
        problems.add(
            item.row,
            "value",
            _("This key result is either done or not done: write 1 if it is done and 0 if it is not."),
        )
        return None
    number = item.number
    if number is None:
        try:
            number = parse_number(item.raw_value, unit=unit)
        except (ValueError, InvalidOperation):
            problems.add(
                item.row,
                "value",
                _("“%(value)s” is not a number. Write the value as a plain number, such as 1234.5 or 1,234.5.")
                % {"value": text_of(item.raw_value)},
            )
            return None
    if number.percent and not is_percent_unit(unit):
        problems.add(
            item.row,
            "value",
            _("This key result is measured in “%(unit)s”, not in percent. Write the value without “%%”.")
            % {"unit": unit or _("plain numbers")},
        )
        return None
    value = number.value.quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)
    if value.adjusted() >= _MAX_WHOLE_DIGITS:
        problems.add(
            item.row,
            "value",
            _("%(value)s is too large; values may have at most %(digits)s digits before the decimal point.")
            % {"value": text_of(item.raw_value), "digits": _MAX_WHOLE_DIGITS},
        )
        return None
    return value


def _check_against_key_results(
    rows: list[RowInput], key_results: dict[int, KeyResult], problems: Problems, *, today: date
) -> dict[int, Decimal]:
    """The checks that need the key result: permission, status, kind of value, the date's period."""
    values: dict[int, Decimal] = {}
    for item in rows:
        if item.key_result_id is None:
            continue
        key_result = key_results.get(item.key_result_id)
        if key_result is None:
            item.bad.add("key_result_id")
            problems.add(
                item.row,
                "key_result_id",
                _(
                    "Key result %(id)s was not found or is not yours to update. Check the ID against a freshly "
                    "downloaded template."
                )
                % {"id": item.key_result_id},
            )
            continue
        objective = key_result.objective
        if objective.status != Objective.Status.APPROVED:
            item.bad.add("key_result_id")
            problems.add(
                item.row,
                "key_result_id",
                _(
                    "The objective “%(objective)s” is %(status)s. Progress can only be recorded on an approved "
                    "objective: clear the value in this row."
                )
                % {"objective": objective.title, "status": objective.get_status_display().lower()},
            )
        elif key_result.direction == Direction.MILESTONES:
            item.bad.add("key_result_id")
            problems.add(
                item.row,
                "value",
                _(
                    "Key result “%(title)s” is tracked by milestones. Mark its milestones done on My objectives "
                    "and clear the value in this row."
                )
                % {"title": key_result.title},
            )
        else:
            value = _value_for(item, key_result, problems)
            if value is None:
                item.bad.add("value")
            else:
                values[item.row] = value
        if item.as_of is not None and "as_of" not in item.bad:
            period = objective.period
            if item.as_of > today:
                item.bad.add("as_of")
                problems.add(
                    item.row,
                    "as_of",
                    _("%(date)s is in the future. Progress can be recorded up to today, %(today)s.")
                    % {"date": item.as_of.isoformat(), "today": today.isoformat()},
                )
            elif not (period.start - DATE_GRACE <= item.as_of <= period.end + DATE_GRACE):
                item.bad.add("as_of")
                problems.add(
                    item.row,
                    "as_of",
                    _(
                        "%(date)s is outside the objective's period %(period)s (%(start)s to %(end)s). "
                        "Use a date within the period."
                    )
                    % {
                        "date": item.as_of.isoformat(),
                        "period": period.name,
                        "start": period.start.isoformat(),
                        "end": period.end.isoformat(),
                    },
                )
    return values


def _check_duplicates(rows: list[RowInput], problems: Problems) -> None:
    groups: dict[tuple[int, date], list[RowInput]] = defaultdict(list)
    for item in rows:
        if item.key_result_id is not None and item.as_of is not None and not item.bad & {"key_result_id", "as_of"}:
            groups[(item.key_result_id, item.as_of)].append(item)
    for (key_result_id, as_of), group in groups.items():
        if len(group) < 2:
            continue
        for item in group:
            item.bad.add("as_of")
            problems.add(
                item.row,
                "key_result_id",
                _(
                    "Key result %(id)s has a value as of %(date)s on rows %(rows)s too. Keep one row per key "
                    "result and date: delete the others or clear their value."
                )
                % {
                    "id": key_result_id,
                    "date": as_of.isoformat(),
                    "rows": ", ".join(str(other.row) for other in group if other is not item),
                },
            )


def _check_already_recorded(rows: list[RowInput], values: dict[int, Decimal], problems: Problems) -> None:
    """A value already recorded for the same key result and date: importing the same file twice, or a
    change that should be a correction (which keeps the original and says why). One query."""
    candidates = [r for r in rows if r.row in values and not r.bad]
    if not candidates:
        return
    recorded = defaultdict(list)
    for key_result_id, as_of, value in Measurement.objects.filter(
        key_result_id__in={r.key_result_id for r in candidates},
        as_of__in={r.as_of for r in candidates},
        corrected_by__isnull=True,
    ).values_list("key_result_id", "as_of", "value"):
        recorded[(key_result_id, as_of)].append(value)
    for item in candidates:
        existing = recorded.get((item.key_result_id, item.as_of))
        if not existing:
            continue
        item.bad.add("value")
        if values[item.row] in existing:
            message = _(
                "This value is already recorded for key result %(id)s as of %(date)s — was the file imported "
                "before? Clear the value in this row."
            )
        else:
            message = _(
                "Key result %(id)s already has a value as of %(date)s (%(recorded)s). To change it, correct that "
                "progress update on My objectives; to add a new one, use another date."
            )
        problems.add(
            item.row,
            "value",
            message
            % {"id": item.key_result_id, "date": item.as_of.isoformat(), "recorded": plain_number(existing[-1])},
        )


def progress_import_check(*, actor: User, table: Table, today: date | None = None) -> CheckedImport:
    """Every problem in the file, and the entries to write when there is none. Constant queries."""
    positions, labels = header_positions(table)
    problems = Problems(labels)
    rows, skipped = read_rows(table, positions, problems)
    if not rows:
        raise SpreadsheetError(
            _(
                "No row has a value, so there is nothing to import. Fill in the “%(column)s” column for the key "
                "results you want to update and upload the file again."
            )
            % {"column": labels.get("value") or header_for("value")}
        )
    today = today or timezone.localdate()
    ids = {r.key_result_id for r in rows if r.key_result_id is not None}
    key_results = key_result_list_for_progress(actor=actor).in_bulk(ids) if ids else {}
    values = _check_against_key_results(rows, key_results, problems, today=today)
    _check_duplicates(rows, problems)
    _check_already_recorded(rows, values, problems)
    entries = [
        ProgressEntry(
            row=r.row,
            key_result=key_results[r.key_result_id],
            value=values[r.row],
            as_of=r.as_of,
            confidence=r.confidence,
            comment=r.comment,
            evidence_url=r.evidence_url,
        )
        for r in rows
        if not r.bad and r.row in values
    ]
    ordered = sorted(problems, key=lambda p: (p.row or 0, p.position))
    return CheckedImport(entries=entries, skipped=skipped, problems=ordered)


# --- the whole import ------------------------------------------------------------------------


def _invalid(problems: list[Problem]) -> GoalError:
    error = goal_error(errors.IMPORT_INVALID)
    error.extra["problems"] = [p.as_dict() for p in problems]
    return error


def read_progress_file(*, filename: str, data: bytes) -> Table:
    return read_upload(
        filename=filename,
        data=data,
        empty_message=_(
            "The file is empty. Download the template, fill in the values you want to record and upload it."
        ),
        no_rows_message=_(
            "The file has a header row but no key results. Download the template: it lists every key result "
            "you may update."
        ),
    )


def progress_import(*, actor: User, filename: str, data: bytes) -> ImportResult:
    """Check the whole file, then record every row with a value — or nothing.

    Raises GoalError IMPORT_INVALID with `extra["problems"]` (row, column, message) on any error.
    """
    try:
        checked = progress_import_check(actor=actor, table=read_progress_file(filename=filename, data=data))
    except SpreadsheetError as exc:
        raise _invalid([exc.problem]) from exc
    if checked.problems:
        raise _invalid(checked.problems)
    measurement_import(actor=actor, entries=checked.entries)
    return ImportResult(
        recorded=len(checked.entries),
        key_results=len({e.key_result.pk for e in checked.entries}),
        skipped=checked.skipped,
    )
