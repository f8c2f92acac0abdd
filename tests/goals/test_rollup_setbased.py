"""The set-based roll-up (issue 10) gives exactly the numbers the row-by-row one gave.

tests/goals/fixtures/rollup_demo_scores.json was written by the roll-up as it stood before the
rewrite (`STRIDE_WRITE_ROLLUP_FIXTURE=1 pytest tests/goals/test_rollup_setbased.py` on that
code): every score record, snapshot, objective score and progress and key-result achievement of
the demo company, by natural keys (usernames, unit names, titles, period names), once as seeded
and once after corrections, milestones, a cancelled objective and a children share were added.
A second run on unchanged data writes nothing, in a number of queries that does not grow with
the number of objectives."""

import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from goals.models import (
    KeyResult,
    Measurement,
    Milestone,
    Objective,
    Period,
    ScoreKind,
    ScoreRecord,
    ScoreSnapshot,
    StrategicTheme,
)
from goals.progress.services.measurements import refresh_current_values
from goals.scoring.rollup import recompute_all
from org.models import Employee, OrgUnit
from tests.goals.factories import MeasurementFactory

FIXTURE = Path(__file__).parent / "fixtures" / "rollup_demo_scores.json"
WRITE = os.environ.get("STRIDE_WRITE_ROLLUP_FIXTURE") == "1"
D = Decimal
BACKFILL_DAY = date(2026, 3, 31)
WRITES = ("UPDATE", "INSERT", "DELETE")


def _text(value) -> str | None:
    return None if value is None else str(value)


def _unique(keys: dict[int, str]) -> dict[int, str]:
    """Natural keys made unique by a counter (in id order, which the seed makes deterministic)."""
    seen: dict[str, int] = {}
    result = {}
    for pk in sorted(keys):
        n = seen[keys[pk]] = seen.get(keys[pk], 0) + 1
        result[pk] = keys[pk] if n == 1 else f"{keys[pk]}#{n}"
    return result


def _names() -> dict:
    periods = dict(Period.objects.values_list("pk", "name"))
    people = dict(Employee.objects.values_list("pk", "user__username"))
    units = dict(OrgUnit.objects.values_list("pk", "name"))
    themes = _unique(dict(StrategicTheme.objects.values_list("pk", "title")))
    fields = ("level", "owner_employee_id", "owner_unit_id", "period_id", "title")
    objectives = _unique({
        o.pk: f"{o.level}|{people.get(o.owner_employee_id) or units.get(o.owner_unit_id)}|{periods[o.period_id]}|"
              f"{o.title}"
        for o in Objective.objects.only(*fields)
    })  # fmt: skip
    key_results = _unique({
        pk: f"{objectives[objective_id]}|{title}"
        for pk, objective_id, title in KeyResult.objects.values_list("pk", "objective_id", "title")
    })  # fmt: skip
    subjects = {ScoreKind.OBJECTIVE: objectives, ScoreKind.PERSON: people, ScoreKind.UNIT: units,
                ScoreKind.THEME: themes}  # fmt: skip
    return {"periods": periods, "subjects": subjects, "objectives": objectives, "key_results": key_results}


def every_number() -> dict:
    """Every derived number, by natural keys, as JSON-ready text (today's snapshots left out: the day moves)."""
    n = _names()

    def subject(kind, subject_id, period_id) -> str:
        return f"{kind}|{n['subjects'][kind][subject_id]}|{n['periods'][period_id]}"

    records = {
        subject(r.kind, r.subject_id, r.period_id): [_text(r.score), _text(r.progress)]
        for r in ScoreRecord.objects.all()
    }
    snapshots = {
        f"{subject(s.kind, s.subject_id, s.period_id)}|{s.day}": [_text(s.score), _text(s.progress)]
        for s in ScoreSnapshot.objects.exclude(day=timezone.localdate())
    }
    objectives = {
        n["objectives"][pk]: [_text(score), _text(progress)]
        for pk, score, progress in Objective.objects.values_list("pk", "score", "progress")
    }
    key_results = {n["key_results"][pk]: _text(a) for pk, a in KeyResult.objects.values_list("pk", "achievement")}
    return {"records": records, "snapshots": snapshots, "objectives": objectives, "key_results": key_results}


def _wipe() -> None:
    """Forget every derived number, so that the next full run computes all of them."""
    ScoreRecord.objects.all().delete()
    ScoreSnapshot.objects.all().delete()
    Objective.objects.update(score=None, progress=None, score_updated_at=None)
    KeyResult.objects.update(achievement=None)


def _year() -> Period:
    return Period.objects.get(kind=Period.Kind.YEAR, name="2026")


def _perturb() -> None:
    """Corrections (of a latest and of an earlier update), milestones, a cancelled objective and a
    children share: the rules the demo does not exercise by itself. Deterministic (id order)."""
    krs = list(KeyResult.objects.filter(measurements__isnull=False).distinct().order_by("pk"))
    for kr in krs[:3]:  # the latest update corrected to half its value, dated the same day
        latest = Measurement.objects.filter(key_result=kr).order_by("-as_of", "-pk").first()
        Measurement.objects.create(key_result=kr, value=latest.value / 2, as_of=latest.as_of, source="manual",
                                   corrects=latest)  # fmt: skip
    kr = krs[3]  # an earlier update corrected: the latest still counts
    first = Measurement.objects.filter(key_result=kr).order_by("as_of", "pk").first()
    Measurement.objects.create(key_result=kr, value=first.value * 3, as_of=first.as_of, source="manual", corrects=first)
    refresh_current_values({kr.pk for kr in krs[:4]})  # as the progress services do after writing updates
    objective = Objective.objects.filter(status=Objective.Status.APPROVED).order_by("pk")[5]
    milestones = KeyResult.objects.create(objective=objective, title="Milestones", direction="milestones",
                                          weight=D(50))  # fmt: skip
    for i, done_on in enumerate([date(2026, 2, 15), date(2026, 6, 1), None]):
        Milestone.objects.create(key_result=milestones, title=f"M{i}", done_on=done_on)
    person_objectives = Objective.objects.filter(status=Objective.Status.APPROVED, level=Objective.Level.PERSON)
    Objective.objects.filter(pk=person_objectives.order_by("pk")[2].pk).update(status=Objective.Status.CANCELLED)
    parent = Objective.objects.filter(children__isnull=False).distinct().order_by("pk")[1]
    Objective.objects.filter(pk=parent.pk).update(children_weight=D(40))


@pytest.fixture
def demo(db):
    call_command("seed_demo")
    return _year()


def _state_after_recompute(year: Period) -> tuple[dict, dict]:
    _wipe()
    for month_end in (date(2026, 1, 31), BACKFILL_DAY):
        recompute_all(period=year, as_of=month_end)
    recompute_all(period=year)
    seeded = every_number()
    _perturb()
    recompute_all(period=year, as_of=BACKFILL_DAY)
    recompute_all(period=year)
    return seeded, every_number()


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_the_demo_company_scores_as_before_the_rewrite(demo):
    seeded, perturbed = _state_after_recompute(demo)
    if WRITE:
        FIXTURE.parent.mkdir(exist_ok=True)
        FIXTURE.write_text(json.dumps({"seeded": seeded, "perturbed": perturbed}, indent=1, sort_keys=True,
                                      ensure_ascii=False) + "\n", encoding="utf-8")  # fmt: skip
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for part in ("records", "snapshots", "objectives", "key_results"):
        assert seeded[part] == expected["seeded"][part], part
        assert perturbed[part] == expected["perturbed"][part], part
    assert len(expected["perturbed"]["records"]) > 50  # the comparison is not vacuous


def test_todays_snapshots_are_the_records_of_the_periods_due(demo):
    _state_after_recompute(demo)
    today = timezone.localdate()
    snapshots = {
        (s.kind, s.subject_id, s.period_id): (s.score, s.progress) for s in ScoreSnapshot.objects.filter(day=today)
    }
    records = {(r.kind, r.subject_id, r.period_id): (r.score, r.progress) for r in ScoreRecord.objects.all()}
    # (a subject that stopped counting keeps the snapshot of the day it still counted)
    kept = {key: value for key, value in snapshots.items() if key in records}
    assert len(kept) > 50
    assert all(records[key] == value for key, value in kept.items())


def test_a_second_run_writes_nothing(demo):
    _state_after_recompute(demo)
    before = every_number()
    with CaptureQueriesContext(connection) as queries:
        recompute_all(period=demo)
    assert _writes(queries) == []
    assert every_number() == before


def test_a_changed_input_writes_only_what_it_changes(demo):
    recompute_all(period=demo)
    kr = KeyResult.objects.filter(objective__level=Objective.Level.PERSON, objective__status="approved",
                                  measurements__isnull=False).order_by("pk").first()  # fmt: skip
    MeasurementFactory(key_result=kr, value=D("0"), as_of=date(2026, 11, 30))
    with CaptureQueriesContext(connection) as queries:
        recompute_all(period=demo)
    writes = _writes(queries)
    assert writes
    assert all("CASE WHEN" not in sql for sql in writes)
    assert len(writes) <= 5  # key results, objectives, records, today's snapshots (one statement each)
    fresh = every_number()
    _wipe()  # (and the backfilled snapshots with it)
    recompute_all(period=demo)
    again = every_number()
    assert {k: v for k, v in again.items() if k != "snapshots"} == {k: v for k, v in fresh.items() if k != "snapshots"}


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite writes in small batches")
def test_the_number_of_queries_does_not_grow_with_the_objectives(demo):
    recompute_all(period=demo)
    with CaptureQueriesContext(connection) as small:
        recompute_all(period=demo)
    objective = Objective.objects.filter(status=Objective.Status.APPROVED, level=Objective.Level.PERSON).first()
    for i in range(30):  # thirty more objectives, each with a key result and an update
        copy = Objective.objects.create(title=f"Copy {i}", period=objective.period, level=objective.level,
                                        owner_employee=objective.owner_employee, weight=D(10), status="approved",
                                        created_by=objective.created_by, parent=objective.parent)  # fmt: skip
        kr = KeyResult.objects.create(objective=copy, title="KR", target=D(10), weight=D(1))
        MeasurementFactory(key_result=kr, value=D(i % 12), as_of=date(2026, 6, 30))
    recompute_all(period=demo)  # writes the new scores
    with CaptureQueriesContext(connection) as large:
        recompute_all(period=demo)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert _writes(large) == []
