"""The full roll-up's check (goals.scoring.rollup.check): the same day, with nothing changed in the
scores' inputs nor in the scores, a full roll-up computes nothing — and every kind of change, to an
input or to a cached score, makes it compute again."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from goals.models import (
    KeyResult,
    Milestone,
    Objective,
    Period,
    ScoreCheck,
    ScoreKind,
    ScoreRecord,
    ScoreSnapshot,
    StrategicTheme,
)
from goals.scoring.rollup import check, full, recompute_all
from tests.goals.factories import KeyResultFactory, MeasurementFactory, PeriodFactory
from tests.goals.score_fixtures import build_cascade

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the check is PostgreSQL's")

D = Decimal


@pytest.fixture
def cascade(org):
    c = build_cascade(org)
    c.record_all(org)
    assert recompute_all(period=c.year) == 5
    return c


@pytest.fixture
def computes(monkeypatch):
    """How many times the full roll-up computed."""
    calls = []
    real = full.compute_all

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(full, "compute_all", counting)
    return calls


def every_number() -> dict:
    return {
        "objectives": sorted(Objective.objects.values_list("pk", "score", "progress")),
        "key_results": sorted(KeyResult.objects.values_list("pk", "achievement")),
        "records": sorted(ScoreRecord.objects.values_list("kind", "subject_id", "period_id", "score", "progress")),
        "snapshots": sorted(ScoreSnapshot.objects.values_list("kind", "subject_id", "period_id", "day", "score")),
    }


def test_the_same_day_with_nothing_changed_a_full_roll_up_only_checks(cascade, computes):
    before = every_number()
    with CaptureQueriesContext(connection) as queries:
        assert recompute_all(period=cascade.year) == 5  # the objectives it vouches for
    assert computes == []
    assert all(q["sql"].lstrip().startswith(("SELECT", "SAVEPOINT", "RELEASE")) for q in queries.captured_queries)
    assert len(queries.captured_queries) <= 4  # periods; the digests; the check
    assert every_number() == before
    assert ScoreCheck.objects.get(period=cascade.year).objectives == 5


def _measurement(c):
    MeasurementFactory(key_result=c.rep_kr, value=D(12), as_of=timezone.localdate())


def _milestone_done(c):
    steps = KeyResultFactory(objective=c.rep_sales, direction="milestones", target=None, baseline=None, weight=D(10))
    Milestone.objects.create(key_result=steps, title="Step", due_date=c.year.end)
    recompute_all(period=c.year)  # verified with the step not done …
    Milestone.objects.filter(key_result=steps).update(done_on=timezone.localdate())  # … then done


def _theme_moved(c):
    quarter = PeriodFactory(kind="quarter", name="Q1", parent=c.year, start=c.year.start,
                            end=c.year.start + timedelta(days=89))  # fmt: skip
    recompute_all(period=c.year)  # verified with the quarter …
    StrategicTheme.objects.filter(pk=c.theme.pk).update(period=quarter)  # … then the theme moves to it


CHANGES = {
    "a progress update": _measurement,
    "a milestone done": _milestone_done,
    "an objective's weight": lambda c: Objective.objects.filter(pk=c.rep_sales.pk).update(weight=D(30)),
    "an objective's status": lambda c: Objective.objects.filter(pk=c.rep_okr.pk).update(status="cancelled"),
    "an objective aligned elsewhere": lambda c: Objective.objects.filter(pk=c.rep2_sales.pk).update(parent=None),
    "a contribution weight": lambda c: Objective.objects.filter(pk=c.rep2_sales.pk).update(contribution_weight=D(5)),
    "a key result's target": lambda c: KeyResult.objects.filter(pk=c.unit_kr.pk).update(target=D(900)),
    "a key result removed": lambda c: KeyResult.objects.filter(pk=c.okr_kr.pk).delete(),
    "the period's cap": lambda c: Period.objects.filter(pk=c.year.pk).update(achievement_cap=D(110)),
    "a theme moved": _theme_moved,
    "a cached score wiped": lambda c: Objective.objects.filter(pk=c.unit.pk).update(score=None, progress=None),
    "an achievement wiped": lambda c: KeyResult.objects.filter(pk=c.rep_kr.pk).update(achievement=None),
    "a record changed": lambda c: ScoreRecord.objects.filter(kind=ScoreKind.PERSON).update(score=D(1)),
    "a record removed": lambda c: ScoreRecord.objects.filter(kind=ScoreKind.THEME).delete(),
    "today's snapshot changed": lambda c: ScoreSnapshot.objects.filter(day=timezone.localdate()).update(score=D(2)),
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_any_change_of_an_input_or_a_score_makes_it_compute_again(cascade, computes, change):
    CHANGES[change](cascade)
    computes.clear()

    recompute_all(period=cascade.year)

    assert computes == [1]
    after = every_number()
    ScoreCheck.objects.all().delete()  # from scratch: the same numbers
    recompute_all(period=cascade.year)
    assert every_number() == after
    computes.clear()
    recompute_all(period=cascade.year)  # and then it is verified again
    assert computes == []


def test_a_new_day_computes_again_and_writes_its_snapshots(cascade, computes, monkeypatch):
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(full, "today", lambda: tomorrow)

    recompute_all(period=cascade.year)

    assert computes == [1]
    assert ScoreSnapshot.objects.filter(day=tomorrow).count() == ScoreRecord.objects.count()


def test_a_change_of_the_rules_makes_it_compute_again(cascade, computes, monkeypatch):
    monkeypatch.setattr(check, "RULES", "other rules")
    recompute_all(period=cascade.year)
    assert computes == [1]


def test_a_path_run_after_the_check_is_seen_by_the_next_one(cascade, computes):
    from goals.scoring.rollup import recompute_path

    _measurement(cascade)
    recompute_path(key_result_id=cascade.rep_kr.pk)  # the scores move on without the full run
    recompute_all(period=cascade.year)
    assert computes == [1]
