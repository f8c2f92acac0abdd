"""A path roll-up after a progress update does not wait for a full roll-up that is reading and
computing, and the full run does not overwrite the path's newer numbers with its older ones:
after both, the stored scores are what a fresh full recompute gives (issue 10; the protocol is
in goals/scoring/rollup/__init__.py)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from goals.models import KeyResult, Objective, ScoreRecord
from goals.scoring.rollup import LOCK_NAMESPACE, full, recompute_all, recompute_path
from tests.goals.factories import MeasurementFactory
from tests.goals.score_fixtures import build_cascade

HANG = 30  # seconds after which a thread counts as hung

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the advisory locks are PostgreSQL's"),
]


def every_score() -> dict:
    records = {(r.kind, r.subject_id, r.period_id): (r.score, r.progress) for r in ScoreRecord.objects.all()}
    rows = Objective.objects.values_list("pk", "score", "progress")
    objectives = {pk: (score, progress) for pk, score, progress in rows}
    krs = dict(KeyResult.objects.values_list("pk", "achievement"))
    return {"records": records, "objectives": objectives, "key_results": krs}


def fresh_scores(year) -> dict:
    """What a full recompute from scratch gives now."""
    ScoreRecord.objects.all().delete()
    Objective.objects.update(score=None, progress=None, score_updated_at=None)
    KeyResult.objects.update(achievement=None)
    recompute_all(period=year)
    return every_score()


def in_thread(job) -> tuple[threading.Thread, list]:
    errors: list = []

    def run():
        try:
            job()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors


def _full_run_held_between_read_and_write(monkeypatch, year):
    """A full run in a thread, stopped after it read and computed; returns (thread, errors, release)."""
    computed, release = threading.Event(), threading.Event()

    def hold():
        computed.set()
        assert release.wait(HANG), "never released"

    monkeypatch.setattr(full, "after_compute", hold)
    thread, errors = in_thread(lambda: recompute_all(period=year))
    assert computed.wait(HANG), errors
    return thread, errors, release


def _stale_caches(c) -> None:
    """Cached numbers that the full run will want to write (so that it would write old ones over new ones)."""
    Objective.objects.update(score=None, progress=None, score_updated_at=None)
    KeyResult.objects.update(achievement=None)
    ScoreRecord.objects.all().delete()


def test_a_path_run_completes_while_a_full_run_is_open(org, monkeypatch):
    # given: scores of a cascade; the caches are then forgotten, and a full run has read and computed them
    c = build_cascade(org)
    c.record_all(org)
    recompute_all(period=c.year)
    _stale_caches(c)
    full_run, full_errors, release = _full_run_held_between_read_and_write(monkeypatch, c.year)
    try:
        # when: the rep records 60 of 60 and the path roll-up runs while the full run is open
        MeasurementFactory(key_result=c.rep_kr, value=Decimal(60), as_of=timezone.localdate())
        path_run, path_errors = in_thread(lambda: recompute_path(key_result_id=c.rep_kr.pk))
        path_run.join(HANG)
        # then: the path run did not wait for the full run
        assert not path_run.is_alive(), "the path roll-up waited for the full roll-up"
        assert path_errors == []
        assert Objective.objects.get(pk=c.rep_sales.pk).score == 100
    finally:
        release.set()
        full_run.join(HANG)
    assert not full_run.is_alive()
    assert full_errors == []
    # and: the full run did not put its older numbers back; everything equals a fresh recompute
    after_both = every_score()
    assert after_both["objectives"][c.rep_sales.pk] == (Decimal(100), Decimal(100))
    assert after_both == fresh_scores(c.year)


def test_without_the_guard_the_full_run_would_write_older_numbers(org, monkeypatch):
    # given: the same race, with the full run blind to what the path run wrote
    c = build_cascade(org)
    c.record_all(org)
    recompute_all(period=c.year)
    _stale_caches(c)
    monkeypatch.setattr(full, "_written_since", lambda started, tree: [])
    full_run, full_errors, release = _full_run_held_between_read_and_write(monkeypatch, c.year)
    MeasurementFactory(key_result=c.rep_kr, value=Decimal(60), as_of=timezone.localdate())
    recompute_path(key_result_id=c.rep_kr.pk)
    release.set()
    full_run.join(HANG)
    assert full_errors == []
    # then: the older number (45 of 60) is back — which is what the guard prevents (test above)
    assert Objective.objects.get(pk=c.rep_sales.pk).score == 75


def test_a_path_run_waits_only_for_the_short_write(org):
    # given: another connection holds the year tree's lock, as the full run does while it writes
    c = build_cascade(org)
    c.record_all(org)
    holder = connections.create_connection("default")
    try:
        with holder.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, c.year.pk])
        path_run, errors = in_thread(lambda: recompute_path(key_result_id=c.rep_kr.pk))
        path_run.join(1)
        assert path_run.is_alive()  # it waits for the write to commit ...
        with holder.cursor() as cursor:
            cursor.execute("COMMIT")
        path_run.join(HANG)
        assert not path_run.is_alive()  # ... and then goes on
        assert errors == []
    finally:
        holder.close()
    assert connection.vendor == "postgresql"
    assert Objective.objects.get(pk=c.rep_sales.pk).score == 75
