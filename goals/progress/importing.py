"""Progress import from Excel/CSV: read the file, check every row, then write all rows or none.

Reading uses core.spreadsheets (.xlsx, UTF-8/GBK CSV, size limit). Checking loads every key result
named in the file, with the actor's permission applied, in a constant number of queries; only
when no row has a problem does `goals.progress.services.imports.measurement_import` write, in one
transaction. A key result that does not exist and one the actor may not record progress on get
the same message, so a file cannot be used to probe for other people's key results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import Problem, SpreadsheetError, Table, read_upload
from goals.errors import GoalError, GoalErrorCode, goal_error
from goals.models import Direction, KeyResult
from goals.progress import rules
from goals.progress.rules import DONE_MESSAGE, PROGRESS_MAX_WHOLE_DIGITS
from goals.progress.selectors import key_result_list_for_progress
from goals.progress.services.imports import ProgressEntry, measurement_import
from goals.progress.services.measurements import progress_check, progress_facts
from goals.progress.sheet import (
    Problems,
    RowInput,
    header_for,
    header_positions,
    is_percent_unit,
    parse_done,
    parse_number,
    read_rows,
    text_of,
)
from org.models import User

_FOUR_PLACES = Decimal("0.0001")


# --- the check -------------------------------------------------------------------------------


@dataclass
class CheckedImport:
    entries: list[ProgressEntry]
    skipped: int
    problems: list[Problem]
    more_problems: int = 0  # found but not listed (core.spreadsheets.MAX_PROBLEMS)


@dataclass
class ImportResult:
    recorded: int
    key_results: int
    skipped: int


def _value_for(item: RowInput, key_result: KeyResult, problems: Problems) -> Decimal | None:
    """The row's value read for this key result (its unit, done words), or None after adding the problem.

    Only reading: what values the key result takes is the rules' business (goals.progress.rules.progress_problems).
    """
    unit = key_result.unit or ""
    if key_result.direction == Direction.DONE:
        if item.number is not None and not item.number.percent:
            return item.number.value
        done = parse_done(item.raw_value)
        if done is not None:
            return done
        problems.add(item.row, "value", str(DONE_MESSAGE))
        return None
    number = item.number
    if number is None:
        try:
            number = parse_number(item.raw_value, unit=unit, unit_en=key_result.unit_en)
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
            % {"unit": key_result.unit_display or _("plain numbers")},
        )
        return None
    if number.value.adjusted() >= PROGRESS_MAX_WHOLE_DIGITS:
        return number.value  # the rules say it is too large
    return number.value.quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)


def _read_values(rows: list[RowInput], key_results: dict[int, KeyResult], problems: Problems) -> dict[int, Decimal]:
    """Each row's value for its key result, by row number; a problem for an unknown key result or an unreadable
    value."""
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
        if key_result.direction == Direction.MILESTONES or "value" in item.bad:
            continue  # takes no value (the rules say so), or the value is a formula (already said)
        value = _value_for(item, key_result, problems)
        if value is None:
            item.bad.add("value")
        else:
            values[item.row] = value
    return values


_COLUMN_OF = {"key_result": "key_result_id", "value": "value", "as_of": "as_of"}


def _check_rules(
    rows: list[RowInput], key_results: dict[int, KeyResult], values: dict[int, Decimal], problems: Problems, *,
    today: date,
) -> None:  # fmt: skip
    """The rules of every progress update (goals.progress.rules.progress_problems), for the whole file at once."""
    checked = [item for item in rows if item.key_result_id in key_results]
    updates = [
        rules.ProgressUpdate(
            progress_facts(key_results[item.key_result_id]),
            value=values.get(item.row),
            as_of=None if "as_of" in item.bad else item.as_of,
            source=KeyResult.Source.IMPORT,
            label=_("row %(row)s") % {"row": item.row},
        )
        for item in checked
    ]
    for item, found in zip(checked, progress_check(updates, today=today), strict=True):
        for problem in found:
            column = _COLUMN_OF[problem.field]
            item.bad.add(column)
            problems.add(item.row, column, problem.message)


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
    values = _read_values(rows, key_results, problems)
    _check_rules(rows, key_results, values, problems, today=today)
    entries = [
        ProgressEntry(
            row=r.row,
            key_result=key_results[r.key_result_id],
            value=values[r.row],
            as_of=r.as_of,
            confidence=r.confidence,
            comment=r.comment,
            evidence_url=r.evidence_url,
            label=_("row %(row)s") % {"row": r.row},
        )
        for r in rows
        if not r.bad and r.row in values
    ]
    ordered = sorted(problems, key=lambda p: (p.row or 0, p.position))
    return CheckedImport(entries=entries, skipped=skipped, problems=ordered, more_problems=problems.more)


# --- the whole import ------------------------------------------------------------------------


def _invalid(problems: list[Problem], *, more: int = 0) -> GoalError:
    """`problems`: the first MAX_PROBLEMS; `problems_more`: how many more the check counted."""
    error = goal_error(GoalErrorCode.IMPORT_INVALID)
    error.extra["problems"] = [p.as_dict() for p in problems]
    error.extra["problems_more"] = more
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
        raise _invalid(checked.problems, more=checked.more_problems)
    measurement_import(actor=actor, entries=checked.entries)
    return ImportResult(
        recorded=len(checked.entries),
        key_results=len({e.key_result.pk for e in checked.entries}),
        skipped=checked.skipped,
    )
