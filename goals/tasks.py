"""Celery tasks of the goals app: score roll-ups. Arguments are ids; every task is idempotent."""

from celery import shared_task
from django.db import OperationalError

from goals.scoring import rollup

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(name="goals.recompute_path", **RETRY)
def recompute_path_task(key_result_id: int) -> bool:
    """After a progress update: the key result, its objective, the parent chain and what they feed."""
    return rollup.recompute_path(key_result_id=key_result_id)


@shared_task(name="goals.recompute_objective", **RETRY)
def recompute_objective_task(objective_id: int) -> bool:
    """After an objective is approved, closed or cancelled: the same from the objective."""
    return rollup.recompute_objective_path(objective_id=objective_id)


@shared_task(name="goals.recompute_all", **RETRY)
def recompute_all_task() -> int:
    """Nightly: every score of the open fiscal years, and today's snapshots."""
    return rollup.recompute_all()


@shared_task(name="goals.progress_import_job", **RETRY)
def progress_import_job_task(job_id: int) -> str:
    """A large progress import (goals.progress.import_jobs): records once, however often it is delivered."""
    from goals.progress.import_jobs import progress_import_job_run

    return progress_import_job_run(job_id=job_id).status
