"""Celery tasks of the goals app: score roll-ups. Arguments are ids; every task is idempotent.

Goals' own reaction to a change is a task queued after commit (`queue_roll_up_*`), not a signal
to itself; the events in goals.events are for higher apps.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from celery import shared_task
from django.db import OperationalError, transaction

from goals import scoring

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(name="goals.recompute_path", **RETRY)
def recompute_path_task(key_result_id: int) -> bool:
    """After a progress update: the key result, its objective, the parent chain and what they feed."""
    return scoring.recompute_path(key_result_id=key_result_id)


@shared_task(name="goals.recompute_objective", **RETRY)
def recompute_objective_task(objective_id: int) -> bool:
    """After an objective is approved, closed or cancelled: the same from the objective."""
    return scoring.recompute_objective_path(objective_id=objective_id)


@shared_task(name="goals.recompute_all", **RETRY)
def recompute_all_task() -> int:
    """Nightly: every score of the open fiscal years, and today's snapshots."""
    return scoring.recompute_all()


@shared_task(name="goals.progress_import_job", **RETRY)
def progress_import_job_task(job_id: int) -> str:
    """A large progress import (goals.progress.import_jobs): records once, however often it is delivered."""
    from goals.progress.import_jobs import progress_import_job_run

    return progress_import_job_run(job_id=job_id).status


# --- queuing after commit -------------------------------------------------------------------

_roll_ups_paused: ContextVar[bool] = ContextVar("goals_roll_ups_paused", default=False)


def queue_after_commit(task, **kwargs) -> None:
    """Queue `task(**kwargs)` once the transaction commits, so the worker reads committed data.

    If the broker cannot be reached the request still succeeds: the failure is logged, and the
    nightly full recompute (goals.recompute_all) brings the scores up to date.
    """
    transaction.on_commit(lambda: _enqueue(task, kwargs))


def _enqueue(task, kwargs: dict) -> None:
    try:
        task.delay(**kwargs)
    except Exception:  # the broker is down: the nightly recompute catches up
        logger.exception("Could not queue %s(%s); the nightly recompute will catch up.", task.name, kwargs)


def queue_roll_up_for_key_result(key_result_id: int) -> None:
    """After a progress update commits: roll the scores up from this key result."""
    if not _roll_ups_paused.get():
        queue_after_commit(recompute_path_task, key_result_id=key_result_id)


def queue_roll_up_for_objective(objective_id: int) -> None:
    """After an objective is approved, closed or cancelled (committed): roll up from it."""
    if not _roll_ups_paused.get():
        queue_after_commit(recompute_objective_task, objective_id=objective_id)


@contextmanager
def roll_ups_deferred() -> Iterator[None]:
    """Queue no roll-ups for changes made inside this block — for bulk loads that end with a full
    recompute (the demo loader). Events for other apps are still sent."""
    token = _roll_ups_paused.set(True)
    try:
        yield
    finally:
        _roll_ups_paused.reset(token)
