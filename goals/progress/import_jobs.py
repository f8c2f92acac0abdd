"""Large progress imports in the background: the request keeps the file and returns at once.

org.import_jobs keeps the file and the ImportJob; this module runs a progress import as one:
the job row is locked and marked done inside the import's transaction, so a repeated or retried
task records the updates once, and a run cut short records nothing and can run again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from goals.errors import GoalError, GoalErrorCode
from goals.progress.importing import progress_import
from org.import_jobs import FILE_GONE_MESSAGE, import_job_create, import_job_finish, problem_list, upload_path
from org.models import ImportJob, User


def progress_import_job_start(*, actor: User, filename: str, data: bytes, total_rows: int) -> ImportJob:
    from goals.tasks import progress_import_job_task  # the task module imports this one

    return import_job_create(
        actor=actor,
        kind=ImportJob.Kind.PROGRESS,
        filename=filename,
        data=data,
        total_rows=total_rows,
        task=progress_import_job_task,
    )


def progress_import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued progress import: every row recorded (DONE, with the counts) or none (FAILED, with why)."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id, kind=ImportJob.Kind.PROGRESS)
    if job.finished:
        return job
    with translation.override(job.language or settings.LANGUAGE_CODE):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.WRITING, started_at=timezone.now())
        try:
            data = upload_path(job).read_bytes()
        except OSError:
            return import_job_finish(job, status=ImportJob.Status.FAILED, problems=problem_list(FILE_GONE_MESSAGE))
        try:
            with transaction.atomic():
                if ImportJob.objects.select_for_update().get(pk=job.pk).finished:  # a second run waits here
                    return ImportJob.objects.get(pk=job.pk)
                result = progress_import(actor=job.created_by, filename=job.filename, data=data)
                ImportJob.objects.filter(pk=job.pk).update(
                    status=ImportJob.Status.DONE,
                    processed_rows=job.total_rows,
                    result={"recorded": result.recorded, "key_results": result.key_results, "skipped": result.skipped},
                    finished_at=timezone.now(),
                )
        except GoalError as exc:
            if exc.code != GoalErrorCode.IMPORT_INVALID:
                raise
            return import_job_finish(
                job,
                status=ImportJob.Status.FAILED,
                problems=exc.extra["problems"],
                more=exc.extra.get("problems_more", 0),
            )
    upload_path(job).unlink(missing_ok=True)
    job.refresh_from_db()
    return job
