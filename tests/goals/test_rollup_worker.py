"""The roll-up really runs in the background: a progress update recorded through the service
(committed) queues the path recompute through a real Redis broker, and a real Celery worker
process updates the cached scores in the test database. No eager mode, no mocks."""

import os
import signal
import subprocess
import sys
import time
import uuid
from decimal import Decimal

import pytest
import redis
from django.conf import settings

from goals.models import Objective, ScoreKind, ScoreRecord
from goals.progress.services.measurements import measurement_record
from pmsite.celery import app
from tests.goals.score_fixtures import build_cascade
from tests.pmsite.processes import database_url

TIMEOUT_SECONDS = 60


def _start_worker(tmp_path, queue: str) -> tuple[subprocess.Popen, object]:
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pmsite.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "STRIDE_VAR_DIR": str(tmp_path / "var"),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "pmsite", "worker", "--pool", "solo", "--loglevel", "INFO",
        "--hostname", f"scores-{uuid.uuid4().hex[:8]}@%h", "--without-mingle", "--without-gossip",
        "--without-heartbeat", "--queues", queue,
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return process, log


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for(condition, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while not condition():
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        if process.poll() is not None:
            pytest.fail(f"the Celery worker stopped (exit {process.returncode}):\n{tail}")
        if time.monotonic() > deadline:
            pytest.fail(f"the scores did not change within {TIMEOUT_SECONDS} s; worker log:\n{tail}")
        time.sleep(0.3)


def test_a_progress_update_rolls_up_in_a_real_worker(transactional_db, tmp_path, org):
    # given: Redis as the broker, the cascade (committed, no scores yet) and a worker on our own queue
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is empty: no Redis broker in this run")
    c = build_cascade(org)
    assert Objective.objects.get(pk=c.rep_sales.pk).score is None
    queue = f"test-scores-{uuid.uuid4().hex}"  # no other worker on this Redis takes our jobs
    worker, log = _start_worker(tmp_path, queue)
    default_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue  # what this process queues goes to our worker
    try:
        # when: the rep records progress the way the pages do (the service commits, then the event fires)
        measurement_record(key_result=c.rep_kr, value=Decimal("45"), as_of=c.year.start, actor=org.rep.user)

        # then: the worker recomputes the path: the objective, its parents, the rep and the unit
        _wait_for(lambda: Objective.objects.get(pk=c.rep_sales.pk).score is not None, worker, log)
        assert Objective.objects.get(pk=c.rep_sales.pk).score == 75
        # unit: key result without data, children (60 × 75) ÷ 60 → 75; company: the unit's 75
        assert Objective.objects.get(pk=c.unit.pk).score == 75
        assert Objective.objects.get(pk=c.company.pk).score == 75
        person = ScoreRecord.objects.get(kind=ScoreKind.PERSON, subject_id=org.rep.pk, period=c.year)
        assert person.score == 75
        assert "goals.recompute_path" in log.read_text(encoding="utf-8")
    finally:
        app.conf.task_default_queue = default_queue
        _stop(worker)
        redis.Redis.from_url(settings.REDIS_URL).delete(queue, f"_kombu.binding.{queue}")
