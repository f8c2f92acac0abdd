"""Roll-ups: a progress update flows up the path (key result → objective → parents → person, unit,
theme); the nightly full recompute agrees with the path, is idempotent, set-based, and safe
with two workers at once. Tasks are called directly here (the real worker: test_rollup_worker.py)."""

import importlib
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from goals.models import KeyResult, Milestone, Objective, ScoreCheck, ScoreKind, ScoreRecord, ScoreSnapshot
from goals.objectives.services import objective_cancel
from goals.progress.services.measurements import measurement_correct, milestone_set_done
from goals.scoring.rollup import recompute_all, recompute_objective_path, recompute_path
from goals.tasks import recompute_all_task, recompute_objective_task, recompute_path_task
from pmsite.celery import app
from tests.factories import EmployeeFactory
from tests.goals.factories import KeyResultFactory, MeasurementFactory, ObjectiveFactory, PeriodFactory
from tests.goals.score_fixtures import Cascade, approved, build_cascade, record, this_year

D = Decimal


@pytest.fixture
def cascade(org) -> Cascade:
    return build_cascade(org)


def score(kind, subject_id, period) -> Decimal | None:
    return ScoreRecord.objects.get(kind=kind, subject_id=subject_id, period=period).score


def refreshed(*objects):
    for o in objects:
        o.refresh_from_db()
    return objects


def every_score() -> dict:
    records = {(r.kind, r.subject_id, r.period_id): (r.score, r.progress) for r in ScoreRecord.objects.all()}
    objectives = dict(Objective.objects.values_list("pk", "score"))
    krs = dict(KeyResult.objects.values_list("pk", "achievement"))
    return {"records": records, "objectives": objectives, "key_results": krs}


def path_for_all(c: Cascade) -> None:
    for kr in (c.company_kr, c.unit_kr, c.rep_kr, c.okr_kr, c.rep2_kr):
        recompute_path_task(key_result_id=kr.pk)


# --- the path after a progress update ---------------------------------------------------


def test_a_progress_update_flows_up_to_people_units_and_the_theme(org, cascade):
    # given: every key result has a value, and the paths were recomputed
    c = cascade
    c.record_all(org)
    path_for_all(c)
    # then: objectives, parents, person, units and theme carry the expected scores
    refreshed(c.rep_sales, c.unit, c.company)
    assert KeyResult.objects.get(pk=c.rep_kr.pk).achievement == 75
    assert (c.rep_sales.score, c.unit.score, c.company.score) == (D(75), D(55), D("52.5"))
    assert c.company.score_updated_at is not None
    assert score(ScoreKind.PERSON, org.rep.pk, c.year) == 75  # the OKR objective doesn't count
    assert score(ScoreKind.PERSON, org.rep2.pk, c.year) == 50
    assert score(ScoreKind.UNIT, org.sales.pk, c.year) == 55
    assert score(ScoreKind.UNIT, org.root.pk, c.year) == D("52.5")
    assert score(ScoreKind.THEME, c.theme.pk, c.year) == D("52.5")
    assert score(ScoreKind.OBJECTIVE, c.unit.pk, c.year) == 55

    # when: the rep records a new value (60 of 60) and only that path is recomputed
    record(c.rep_kr, 60, actor=org.rep.user)
    assert recompute_path_task(key_result_id=c.rep_kr.pk) is True

    # then: the rep's objective, the unit, the company, the rep, the units and the theme move
    refreshed(c.rep_sales, c.unit, c.company)
    assert (c.rep_sales.score, c.unit.score, c.company.score) == (D(100), D(60), D(55))
    assert score(ScoreKind.PERSON, org.rep.pk, c.year) == 100
    assert score(ScoreKind.UNIT, org.sales.pk, c.year) == 60
    assert score(ScoreKind.THEME, c.theme.pk, c.year) == 55
    # and today's snapshots hold the new numbers
    today = timezone.localdate()
    snap = ScoreSnapshot.objects.get(kind=ScoreKind.PERSON, subject_id=org.rep.pk, period=c.year, day=today)
    assert snap.score == 100


def test_the_path_reads_progress_updates_not_stale_caches(org, cascade):
    # given: a key result whose cached achievement is wrong
    c = cascade
    record(c.rep_kr, 30, actor=org.rep.user)
    KeyResult.objects.filter(pk=c.rep_kr.pk).update(achievement=D(99))
    # when
    recompute_path(key_result_id=c.rep_kr.pk)
    # then: it is recomputed from the progress update
    assert KeyResult.objects.get(pk=c.rep_kr.pk).achievement == 50


def test_a_correction_replaces_the_value_it_corrects(org, cascade):
    c = cascade
    wrong = record(c.rep_kr, 6, actor=org.rep.user)
    measurement_correct(measurement=wrong, value=D(30), actor=org.rep.user, comment="录入错误,应为 30")
    recompute_path(key_result_id=c.rep_kr.pk)
    assert Objective.objects.get(pk=c.rep_sales.pk).score == 50


def test_milestones_done_count(org):
    year = this_year()
    objective = approved(owner_employee=org.rep, period=year)
    kr = KeyResultFactory(objective=objective, direction="milestones", target=None, baseline=None)
    first, _second = (
        Milestone.objects.create(key_result=kr, title="立项"),
        Milestone.objects.create(key_result=kr, title="上线"),
    )
    milestone_set_done(milestone=first, actor=org.rep.user, done_on=timezone.localdate())
    recompute_path(key_result_id=kr.pk)
    assert Objective.objects.get(pk=objective.pk).score == 50
    assert score(ScoreKind.PERSON, org.rep.pk, year) == 50


def test_the_cap_comes_from_the_objectives_period(org):
    year = this_year()
    year.achievement_cap = D(150)
    year.save()
    objective = approved(owner_employee=org.rep, period=year)
    kr = KeyResultFactory(objective=objective, target=D(60))
    record(kr, 600, actor=org.rep.user)
    recompute_path(key_result_id=kr.pk)
    objective.refresh_from_db()
    assert (objective.score, objective.progress) == (D(150), D(100))


def test_cancelling_the_last_counted_objective_removes_the_persons_score(org, cascade):
    # given: rep2 has one counted objective with a score
    c = cascade
    c.record_all(org)
    path_for_all(c)
    assert score(ScoreKind.PERSON, org.rep2.pk, c.year) == 50
    # when: it is cancelled and its path recomputed (the task objective_cancel queues after commit)
    objective_cancel(objective=c.rep2_sales, actor=org.lead.user)
    assert recompute_objective_task(objective_id=c.rep2_sales.pk) is True
    # then: rep2 has no score any more, and the unit no longer counts it: (60×75 + 40×50) / 100 = 65
    assert not ScoreRecord.objects.filter(kind=ScoreKind.PERSON, subject_id=org.rep2.pk).exists()
    assert not ScoreRecord.objects.filter(kind=ScoreKind.OBJECTIVE, subject_id=c.rep2_sales.pk).exists()
    assert Objective.objects.get(pk=c.unit.pk).score == D("57.5")


def test_a_missing_key_result_or_objective_is_no_error(db):
    assert recompute_path(key_result_id=987654) is False
    assert recompute_objective_path(objective_id=987654) is False


# --- the full recompute --------------------------------------------------------------------


def test_the_full_recompute_gives_the_same_numbers_as_the_paths(org, cascade):
    # given: scores computed path by path
    c = cascade
    c.record_all(org)
    record(c.rep_kr, 52, actor=org.rep.user)
    path_for_all(c)
    by_path = every_score()
    # when: every derived number is wiped and the full recompute runs
    ScoreRecord.objects.all().delete()
    Objective.objects.update(score=None, progress=None)
    KeyResult.objects.update(achievement=None)
    assert recompute_all_task() == 5
    # then: the same numbers
    assert every_score() == by_path


def test_the_full_recompute_is_idempotent(org, cascade):
    c = cascade
    c.record_all(org)
    recompute_all(period=c.year)
    first = every_score()
    snapshots = list(ScoreSnapshot.objects.values_list("kind", "subject_id", "period_id", "day", "score", "progress"))
    computed_at = ScoreRecord.objects.order_by("pk").values_list("computed_at", flat=True).first()
    recompute_all(period=c.year)
    assert every_score() == first
    again = list(ScoreSnapshot.objects.values_list("kind", "subject_id", "period_id", "day", "score", "progress"))
    assert sorted(again) == sorted(snapshots)
    assert ScoreRecord.objects.order_by("pk").values_list("computed_at", flat=True).first() >= computed_at


def test_the_full_recompute_drops_records_of_subjects_that_no_longer_count(org, cascade):
    c = cascade
    c.record_all(org)
    recompute_all(period=c.year)
    Objective.objects.filter(pk=c.rep2_sales.pk).update(status=Objective.Status.CANCELLED)
    recompute_all(period=c.year)
    assert not ScoreRecord.objects.filter(kind=ScoreKind.PERSON, subject_id=org.rep2.pk).exists()
    assert ScoreRecord.objects.filter(kind=ScoreKind.PERSON, subject_id=org.rep.pk).exists()


def test_the_nightly_run_covers_open_years_only(org):
    # given: this year and a year that ended long ago, each with a scored objective
    current = this_year()
    old_start = date(current.start.year - 3, 1, 1)
    old = PeriodFactory(name=str(old_start.year), start=old_start, end=date(old_start.year, 12, 31))
    for period in (current, old):
        kr = KeyResultFactory(objective=approved(owner_employee=org.rep, period=period), target=D(10))
        MeasurementFactory(key_result=kr, value=D(5), as_of=period.start)
    # when
    recompute_all()
    # then: only the open year has scores
    assert ScoreRecord.objects.filter(period=current).exists()
    assert not ScoreRecord.objects.filter(period=old).exists()
    # and the old year can be recomputed on purpose
    recompute_all(period=old)
    assert score(ScoreKind.PERSON, org.rep.pk, old) == 50


def test_a_backfill_writes_that_days_snapshots_from_the_history_and_nothing_else(org, cascade):
    # given: the rep reached 15 by the end of January and 45 later
    c = cascade
    january = date(c.year.start.year, 1, 31)
    record(c.rep_kr, 15, actor=org.rep.user, as_of=january)
    record(c.rep_kr, 45, actor=org.rep.user, as_of=january + timedelta(days=30))
    # when: the scores as of January 31 are backfilled
    recompute_all(period=c.year, as_of=january)
    # then: January's snapshot holds 25 %, and no cached score or record was written
    snap = ScoreSnapshot.objects.get(kind=ScoreKind.OBJECTIVE, subject_id=c.rep_sales.pk, day=january)
    assert snap.score == 25
    assert ScoreSnapshot.objects.get(kind=ScoreKind.PERSON, subject_id=org.rep.pk, day=january).score == 25
    assert not ScoreRecord.objects.exists()
    assert Objective.objects.get(pk=c.rep_sales.pk).score is None


def _company_of(size: int, period) -> None:
    """`size` people, each with two approved objectives (a key result and an update each) under one unit objective."""
    unit_head = EmployeeFactory()
    parent = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=unit_head.unit, period=period,
        status=Objective.Status.APPROVED, created_by=unit_head.user, children_weight=D(50),
    )  # fmt: skip
    KeyResultFactory(objective=parent)
    for _ in range(size):
        person = EmployeeFactory(unit=unit_head.unit)
        for weight in (60, 40):
            objective = approved(owner_employee=person, period=period, weight=D(weight), parent=parent,
                                 contribution_weight=D(1))  # fmt: skip
            kr = KeyResultFactory(objective=objective)
            MeasurementFactory(key_result=kr, value=D(weight), as_of=period.start)


def _queries(captured) -> int:
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")  # the transactions', not queries
    return len([q for q in captured.captured_queries if not q["sql"].startswith(control)])


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite splits bulk writes by its variable limit")
def test_the_full_recompute_does_not_query_per_employee(db):
    period = this_year()
    _company_of(5, period)
    recompute_all(period=period)  # the first run inserts; compare the steady state of a run that computes
    ScoreCheck.objects.all().delete()  # (else it only checks that nothing changed: test_rollup_check.py)
    with CaptureQueriesContext(connection) as small:
        recompute_all(period=period)
    _company_of(45, period)
    recompute_all(period=period)
    ScoreCheck.objects.all().delete()
    with CaptureQueriesContext(connection) as large:
        recompute_all(period=period)
    assert ScoreRecord.objects.filter(kind=ScoreKind.PERSON).count() == 50
    assert _queries(large) == _queries(small) <= 14


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite splits bulk writes by its variable limit")
def test_the_first_full_recompute_does_not_query_per_employee_either(db):
    period = this_year()
    _company_of(5, period)
    with CaptureQueriesContext(connection) as small:
        recompute_all(period=period)
    ScoreRecord.objects.all().delete()
    ScoreCheck.objects.all().delete()  # a first run: nothing verified before it either
    _company_of(45, period)
    with CaptureQueriesContext(connection) as large:
        recompute_all(period=period)
    assert len(large.captured_queries) == len(small.captured_queries)


def _chain(name: str, depth: int, period, owner) -> KeyResult:
    """A chain of `depth` approved objectives, each aligned under the one before, with a key result
    and a progress update on each; returns the bottom one's key result."""
    parent, kr = None, None
    for i in range(depth):
        level = Objective.Level.PERSON if i == depth - 1 else Objective.Level.UNIT
        objective = approved(owner_employee=owner if level == Objective.Level.PERSON else None,
                             owner_unit=None if level == Objective.Level.PERSON else owner.unit, level=level,
                             period=period, parent=parent, title=f"{name} {i}")  # fmt: skip
        kr = KeyResultFactory(objective=objective, target=D(10))
        MeasurementFactory(key_result=kr, value=D(i), as_of=period.start)
        parent = objective
    return kr


def _path_queries(kr: KeyResult) -> int:
    MeasurementFactory(key_result=kr, value=D(7), as_of=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        assert recompute_path(key_result_id=kr.pk)
    return _queries(queries)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite splits bulk writes by its variable limit")
def test_the_path_after_a_progress_update_takes_the_same_few_queries_whatever_its_depth(db, org):
    period = this_year()
    shallow = _path_queries(_chain("Shallow", 2, period, org.rep))
    deep = _path_queries(_chain("Deep", 9, period, org.rep2))
    # the key result and its objective's period; the lock; the path; its key results (milestones
    # counted along); what is aligned under it and feeds its owners and themes; then the writes:
    # achievements, objectives, records, today's snapshots
    assert deep == shallow <= 9
    assert Objective.objects.get(title="Deep 0").score is not None  # the top of the deep chain was reached


# --- two workers at once ---------------------------------------------------------------


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="advisory locks are PostgreSQL's")
def test_two_workers_at_once_end_with_the_right_numbers(transactional_db, org):
    # given: committed progress on every key result
    c = build_cascade(org)
    c.record_all(org)
    errors = []
    start = threading.Barrier(4)

    def worker(job):
        try:
            start.wait()
            for _ in range(3):
                job()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    jobs = [
        lambda: recompute_all(period=c.year),
        lambda: recompute_all(period=c.year),
        lambda: recompute_path(key_result_id=c.rep_kr.pk),
        lambda: recompute_path(key_result_id=c.rep2_kr.pk),
    ]
    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    # when: two full runs and two path runs overlap
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # then: no error, no duplicate, and the numbers are the ones a single run gives
    assert errors == []
    assert ScoreRecord.objects.filter(kind=ScoreKind.PERSON, subject_id=org.rep.pk).count() == 1
    assert score(ScoreKind.UNIT, org.sales.pk, c.year) == 55
    assert Objective.objects.get(pk=c.company.pk).score == D("52.5")
    today = timezone.localdate()
    assert ScoreSnapshot.objects.filter(kind=ScoreKind.THEME, subject_id=c.theme.pk, day=today).count() == 1


# --- schedule -----------------------------------------------------------------------------


def test_the_nightly_recompute_is_scheduled_as_data(db):
    # given: the data migration that seeds the schedule (run again: transactional tests empty the tables)
    migration = importlib.import_module("goals.migrations.0004_schedule_recompute")
    assert MigrationRecorder.Migration.objects.filter(app="goals", name="0004_schedule_recompute").exists()
    PeriodicTask.objects.filter(name=migration.NAME).delete()
    migration.create_schedule(django_apps, None)
    # then: a beat entry HR and admins see and edit, for a task the worker knows
    entry = PeriodicTask.objects.get(name="Nightly: recompute all scores")
    assert entry.task == "goals.recompute_all"
    assert entry.enabled
    assert (entry.crontab.hour, entry.crontab.minute) == ("1", "30")
    assert {"goals.recompute_all", "goals.recompute_path", "goals.recompute_objective"} <= set(app.tasks)
