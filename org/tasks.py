"""Celery tasks of the org app. Arguments are ids; every task is idempotent."""

from celery import shared_task
from django.db import OperationalError

from org.import_jobs import import_check_run, import_job_run

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(name="org.import_job_run", **RETRY)
def import_job_run_task(job_id: int) -> str:
    """A large org chart import (org.import_jobs): runs once, however often it is delivered."""
    return import_job_run(job_id=job_id).status


@shared_task(name="org.import_check_run", **RETRY)
def import_check_run_task(job_id: int) -> str:
    """The check of a large org chart file (org.import_jobs): keeps its preview; writes no people."""
    return import_check_run(job_id=job_id).status
