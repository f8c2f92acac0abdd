"""Pure rules for progress updates — no ORM. One set of rules for every writer of progress: the
form, the import, the API and pushes from other systems (the progress services call them; forms
and serializers only parse)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.text import join_some
from goals.objectives.rules import NUMERIC_DIRECTIONS

PROGRESS_GRACE_AFTER_END = timedelta(days=31)  # year-end figures often arrive in January


PROGRESS_MAX_WHOLE_DIGITS = 18 - 4  # Measurement.value: max_digits 18, decimal_places 4


PERCENT_UNITS = frozenset({"%", "percent", "百分比"})


SOURCE_API = "api"  # KeyResult.Source.API: values pushed by another system


DONE_MESSAGE = _("This key result is either done or not done: write 1 if it is done and 0 if it is not.")


@dataclass(frozen=True)
class ProgressKeyResult:
    """What the progress rules need to know about a key result, as plain values."""

    id: int
    title: str
    direction: str
    data_source: str
    unit: str
    period_name: str
    period_start: date
    period_end: date
    active: bool = True  # its objective is approved
    objective_title: str = ""
    objective_status: str = ""  # the status as people read it, for the message
    # baseline, target, stretch and the range's ends: what a sane percentage is for this key result
    figures: tuple[Decimal | None, ...] = ()


@dataclass(frozen=True)
class ProgressUpdate:
    """One progress update to check. `value` None: the value could not be read (already reported)."""

    key_result: ProgressKeyResult
    value: Decimal | None
    as_of: date | None
    source: str = "manual"
    correction: bool = False  # a person correcting a recorded value (of any source)
    label: str = ""  # "row 4", "item 2": names it among the others of a batch


@dataclass(frozen=True)
class ProgressProblem:
    field: str  # "key_result", "value" or "as_of"
    message: str


def percent_unit(unit: str) -> bool:
    squashed = re.sub(r"[\s_\-]", "", unicodedata.normalize("NFKC", unit or "").casefold())
    return squashed in PERCENT_UNITS


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _value_problem(kr: ProgressKeyResult, value: Decimal) -> str | None:
    if kr.direction == "done" and value not in (0, 1):
        return str(DONE_MESSAGE)
    if value.copy_abs() >= Decimal(10) ** PROGRESS_MAX_WHOLE_DIGITS:
        return str(
            _("%(value)s is too large; values may have at most %(digits)s digits before the decimal point.")
            % {"value": _plain(value), "digits": PROGRESS_MAX_WHOLE_DIGITS}
        )
    figures = [f for f in kr.figures if f is not None]
    if (
        kr.direction in NUMERIC_DIRECTIONS
        and percent_unit(kr.unit)
        and all(0 <= f <= 100 for f in figures)
        and not 0 <= value <= 100
    ):
        return str(
            _("“%(title)s” is a percentage between 0 and 100; %(value)s is outside that. Check the value.")
            % {"title": kr.title, "value": _plain(value)}
        )
    return None


def _date_problem(kr: ProgressKeyResult, as_of: date, today: date) -> str | None:
    if as_of > today:
        return str(
            _("%(date)s is in the future. Progress can be recorded up to today, %(today)s.")
            % {"date": as_of.isoformat(), "today": today.isoformat()}
        )
    last = kr.period_end + PROGRESS_GRACE_AFTER_END
    if not kr.period_start <= as_of <= last:
        return str(
            _(
                "%(date)s is outside the objective's period %(period)s (%(start)s to %(end)s). Use a date from "
                "%(start)s to %(last)s."
            )
            % {
                "date": as_of.isoformat(),
                "period": kr.period_name,
                "start": kr.period_start.isoformat(),
                "end": kr.period_end.isoformat(),
                "last": last.isoformat(),
            }
        )
    return None


def _source_problem(kr: ProgressKeyResult, update: ProgressUpdate) -> str | None:
    if update.source == SOURCE_API and kr.data_source != SOURCE_API:
        return str(_("This key result does not take values from other systems; set its data source to API."))
    if update.source != SOURCE_API and kr.data_source == SOURCE_API and not update.correction:
        return str(
            _(
                "“%(title)s” takes its values from another system (its data source is API). If a value it sent "
                "is wrong, correct that progress update instead."
            )
            % {"title": kr.title}
        )
    return None


def progress_problems(
    updates: Sequence[ProgressUpdate], *, today: date, recorded: Mapping[tuple[int, date], Decimal]
) -> list[list[ProgressProblem]]:
    """Every rule of a progress update, for one update or a whole batch (a file, a push): the problems
    of each update, in order; an empty list for an update that may be recorded.

    - the objective is approved;
    - the key result's data source: only a key result fed by the API takes pushed values, and one fed
      by the API takes no new values from people (they correct the pushed ones);
    - a milestone key result takes no value (its milestones are marked done);
    - done / not done takes 0 or 1; a percentage whose figures lie within 0–100 stays there; at most
      14 digits before the decimal point;
    - the as-of date is not in the future and lies in the objective's period (or up to
      PROGRESS_GRACE_AFTER_END after it);
    - one value per key result and as-of date: `recorded` holds the values that count now (not
      corrected) by (key result id, as-of date) — a second one is refused, and so are two in one batch.
    """
    problems: list[list[ProgressProblem]] = []
    for update in updates:
        kr, found = update.key_result, []
        if not kr.active:
            found.append(ProgressProblem("key_result", str(
                _("The objective “%(objective)s” is %(status)s. Progress can only be recorded on an approved "
                  "objective.") % {"objective": kr.objective_title, "status": kr.objective_status}
            )))  # fmt: skip
        source = _source_problem(kr, update)
        if source:
            found.append(ProgressProblem("key_result", source))
        if kr.direction == "milestones":
            found.append(ProgressProblem("value", str(
                _("Key result “%(title)s” is tracked by milestones: mark its milestones done on My objectives "
                  "instead of recording a value.") % {"title": kr.title}
            )))  # fmt: skip
        elif update.value is not None:
            value = _value_problem(kr, update.value)
            if value:
                found.append(ProgressProblem("value", value))
        if update.as_of is not None:
            when = _date_problem(kr, update.as_of, today)
            if when:
                found.append(ProgressProblem("as_of", when))
            existing = recorded.get((kr.id, update.as_of))
            if existing is not None and not when:
                values = {"id": kr.id, "date": update.as_of.isoformat(), "recorded": _plain(existing)}
                message = (
                    _("This value is already recorded for key result %(id)s as of %(date)s — was it sent before? "
                      "Leave it out.")
                    if update.value is not None and update.value == existing
                    else _("Key result %(id)s already has a value as of %(date)s (%(recorded)s). To change it, "
                           "correct that progress update in the key result's history; to add a new one, use "
                           "another date.")
                )  # fmt: skip
                found.append(ProgressProblem("as_of", str(message % values)))
        problems.append(found)
    _batch_duplicates(updates, problems)
    return problems


def _batch_duplicates(updates: Sequence[ProgressUpdate], problems: list[list[ProgressProblem]]) -> None:
    groups: dict[tuple[int, date], list[int]] = {}
    for index, update in enumerate(updates):
        if update.as_of is not None:
            groups.setdefault((update.key_result.id, update.as_of), []).append(index)
    for (key_result_id, as_of), indexes in groups.items():
        if len(indexes) < 2:
            continue
        # One problem per group, on its first update, naming at most ten of the others.
        index, others = indexes[0], join_some([updates[i].label or str(i) for i in indexes[1:]])
        problems[index].append(ProgressProblem("as_of", str(
            _("Key result %(id)s has another value as of %(date)s in the same batch (%(others)s). Keep one "
              "value per key result and date.") % {"id": key_result_id, "date": as_of.isoformat(),
                                                     "others": others}
        )))  # fmt: skip
