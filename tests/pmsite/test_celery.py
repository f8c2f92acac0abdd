"""Background jobs really run: a real Celery worker (and beat) process against the test database.

No eager mode and no mocks: each test starts `celery -A pmsite worker` as a subprocess on the
database pytest-django created, then watches that database until the job has done its work.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from notifications.models import Notification
from notifications.tasks import purge_read_notifications_task
from tests.factories import NotificationFactory
from tests.pmsite.processes import database_url

TIMEOUT_SECONDS = 60


def _start_worker(tmp_path: Path, *extra_args: str, redis_url: str) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pmsite.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,  # "" means the embedded folder queue under STRIDE_VAR_DIR
        "STRIDE_VAR_DIR": str(tmp_path / "var"),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "pmsite", "worker",
        "--pool", "solo", "--loglevel", "INFO", "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h",
        "--without-mingle", "--without-gossip", "--without-heartbeat",
        *extra_args,
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
    with contextlib.suppress(ProcessLookupError):  # an embedded beat may outlive the worker by a moment
        os.killpg(process.pid, signal.SIGKILL)


def _tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-4000:]


def _wait_until_gone(notification: Notification, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while Notification.objects.filter(pk=notification.pk).exists():
        if process.poll() is not None:
            pytest.fail(f"the Celery worker stopped (exit {process.returncode}):\n{_tail(log)}")
        if time.monotonic() > deadline:
            pytest.fail(f"the job did not run within {TIMEOUT_SECONDS} s; worker log:\n{_tail(log)}")
        time.sleep(0.3)


def _old_and_unread() -> tuple[Notification, Notification]:
    old = NotificationFactory(read_at=timezone.now() - timedelta(days=400))
    unread = NotificationFactory()
    return old, unread


def test_a_queued_job_runs_in_a_real_worker_through_redis(transactional_db, tmp_path):
    # given: Redis as the broker, a notification read 400 days ago and an unread one
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is empty: this run uses the embedded broker (see the smoke test below)")
    old, unread = _old_and_unread()
    queue = f"test-{uuid.uuid4().hex}"  # our own queue, so no other worker on this Redis takes the job
    worker, log = _start_worker(tmp_path, "--queues", queue, redis_url=settings.REDIS_URL)
    try:
        # when: the job is queued the way the application queues it (routed to our queue)
        purge_read_notifications_task.apply_async(queue=queue)
        # then: the worker removes the old notification and keeps the unread one
        _wait_until_gone(old, worker, log)
        assert Notification.objects.filter(pk=unread.pk).exists()
        assert "notifications.purge_read" in log.read_text(encoding="utf-8")
    finally:
        _stop(worker)
        redis.Redis.from_url(settings.REDIS_URL).delete(queue, f"_kombu.binding.{queue}")


@pytest.mark.smoke
def test_the_embedded_default_runs_scheduled_jobs_without_any_service(transactional_db, tmp_path):
    # given: no broker configured (the folder queue), a schedule stored in the database that
    # runs the purge every second, a notification read 400 days ago and an unread one
    old, unread = _old_and_unread()
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    schedule = PeriodicTask.objects.create(
        name="Test: purge every second", task="notifications.purge_read", interval=every_second
    )
    # when: a worker with beat runs, and nobody queues anything by hand
    worker, log = _start_worker(tmp_path, "--beat", "--schedule", str(tmp_path / "beat-schedule"), redis_url="")
    try:
        # then: the schedule alone has the old notification removed, the unread one stays
        _wait_until_gone(old, worker, log)
        assert Notification.objects.filter(pk=unread.pk).exists()
    finally:
        _stop(worker)
    output = log.read_text(encoding="utf-8")
    assert "filesystem://" in output
    assert "Sending due task Test: purge every second (notifications.purge_read)" in output
    schedule.refresh_from_db()
    assert schedule.total_run_count >= 1
