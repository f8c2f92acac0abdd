"""Large org chart imports in the background: start a job from a checked upload, run it, say how far it got.

A file with more than `background_rows()` people is not imported in the request: Confirm starts an
ImportJob and returns at once; `org.tasks.import_job_run_task` runs `import_job_run`, and the job's
page polls it. Running a job twice imports once: the import's own transaction locks the job row
and marks it done, so a second run (a retried or duplicated message) finds it finished, and a run
cut short leaves nothing written and the job ready to run again.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import MAX_ROWS
from org.errors import OrgError, OrgErrorCode
from org.import_plan import ImportPlan, PlannedPerson
from org.importing import ImportResult, org_chart_check, org_chart_import
from org.models import ImportJob, User

logger = logging.getLogger(__name__)
FILE_GONE_MESSAGE = gettext_lazy("The uploaded file is no longer kept. Nothing was imported; upload the file again.")


def background_rows() -> int:
    """Files with more people than this are imported in the background."""
    return settings.STRIDE_IMPORT_BACKGROUND_ROWS


def runs_in_background(rows: int) -> bool:
    """Whether a file of `rows` rows (counted without reading, `core.spreadsheets.count_rows`) goes to a job.

    A file over the row cap stays in the request: the reader refuses it there at once, having read
    no more than the cap, so the person sees why straight away instead of on a job page."""
    return background_rows() < rows <= MAX_ROWS


def upload_path(job: ImportJob) -> Path:
    """Where a job's file waits until the job finishes."""
    return Path(settings.MEDIA_ROOT) / "imports" / "jobs" / f"{job.pk}.upload"


@transaction.atomic
def import_job_create(
    *, actor: User, kind: str, filename: str, data: bytes, total_rows: int, fingerprint: str = "", task
) -> ImportJob:
    """A queued job keeping the file; `task` (a Celery task taking job_id) is sent once this transaction commits.

    Any app's import can run this way (goals.progress.import_jobs for progress); org chart imports use
    `import_job_start`.
    """
    job = ImportJob(
        created_by=actor,
        kind=kind,
        filename=filename,
        fingerprint=fingerprint,
        total_rows=total_rows,
        language=translation.get_language() or "",
    )
    job.full_clean()
    job.save()
    path = upload_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    transaction.on_commit(lambda: task.delay(job_id=job.pk))
    return job


def import_job_start(*, actor: User, filename: str, data: bytes, fingerprint: str, total_rows: int) -> ImportJob:
    """Keep the checked org chart for the job and queue it once this transaction commits."""
    from org.tasks import import_job_run_task  # the task module imports this one

    return import_job_create(
        actor=actor,
        kind=ImportJob.Kind.ORG_CHART,
        filename=filename,
        data=data,
        total_rows=total_rows,
        fingerprint=fingerprint,
        task=import_job_run_task,
    )


class _AlreadyFinishedError(Exception):
    pass


def problem_list(message: str) -> list[dict]:
    """One problem about the whole file, as an import's `problems` hold it."""
    return [{"row": None, "column": "", "message": str(message)}]


def import_job_finish(job: ImportJob, *, status: str, problems: list[dict] | None = None, more: int = 0) -> ImportJob:
    """Mark a job that did not import (or whose file is gone) as finished; never overwrites a done job."""
    ImportJob.objects.filter(pk=job.pk).exclude(status=ImportJob.Status.DONE).update(
        status=status, problems=problems or [], problems_more=more, finished_at=timezone.now()
    )
    upload_path(job).unlink(missing_ok=True)
    job.refresh_from_db()
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued job to its end: the people imported (DONE, with the counts) or nothing (FAILED, with why).

    The problems are worded in the language the uploader was reading when they confirmed.
    """
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return job
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _run(job)


def _run(job: ImportJob) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.READING, started_at=timezone.now(), processed_rows=0
    )
    try:
        data = upload_path(job).read_bytes()
    except OSError:
        return import_job_finish(
            job,
            status=ImportJob.Status.FAILED,
            problems=problem_list(FILE_GONE_MESSAGE),
        )

    def progress(rows: int) -> None:  # outside the import's transaction, so the job's page sees it
        done = rows >= job.total_rows
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=min(rows, job.total_rows),
            status=ImportJob.Status.WRITING if done else ImportJob.Status.READING,
        )

    def before_write() -> None:
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)  # a second run waits here
        if locked.finished:
            raise _AlreadyFinishedError

    def after_write(result: ImportResult) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE,
            processed_rows=job.total_rows,
            result={
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "units": len(result.units_created),
            },
            finished_at=timezone.now(),
        )

    try:
        org_chart_import(
            actor=job.created_by,
            filename=job.filename,
            data=data,
            expected_fingerprint=job.fingerprint,
            progress=progress,
            before_write=before_write,
            after_write=after_write,
        )
    except _AlreadyFinishedError:
        pass
    except OrgError as exc:
        if exc.code == OrgErrorCode.IMPORT_CHANGED:
            return import_job_finish(
                job,
                status=ImportJob.Status.FAILED,
                problems=problem_list(
                    _(
                        "The org chart in Stride changed after this file was checked, so importing it would now do "
                        "something else. Nothing was imported; upload the file again to see the new preview."
                    )
                ),
            )
        if exc.code != OrgErrorCode.IMPORT_INVALID:
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


# --- checking a large file in the background ----------------------------------------------------
# A file over background_rows() is not even checked in the request: the upload keeps it for an
# ORG_CHART_CHECK job, whose task checks it and keeps the preview (exact counts, the first
# PREVIEW_ROWS_KEPT people of each kind) with the job. "Confirm import" on the job's page starts
# the import job above with the preview's fingerprint, so the import still refuses to write when
# Stride changed after the check.

PREVIEW_ROWS_KEPT = 500


def preview_as_json(plan: ImportPlan, *, rows: int | None = None) -> dict:
    """A preview as plain JSON: every count exact, the first `rows` (PREVIEW_ROWS_KEPT) people of each kind listed."""
    rows = PREVIEW_ROWS_KEPT if rows is None else rows

    def person(p: PlannedPerson) -> dict:
        changes = [{"column": c.column, "old": c.old, "new": c.new} for c in p.changes]
        return {"row": p.row, "employee_number": p.employee_number, "name": p.name, "unit": p.unit, "changes": changes}

    kinds = {"added": plan.added, "changed": plan.changed, "unchanged": plan.unchanged, "left": plan.left}
    return {
        "fingerprint": plan.fingerprint,
        "writes_nothing": plan.writes_nothing,
        "units_created": plan.units_created[:rows],
        "units_count": len(plan.units_created),
        "sections": {
            key: {"count": len(people), "people": [person(p) for p in people[:rows]]} for key, people in kinds.items()
        },
    }


def import_check_start(*, actor: User, filename: str, data: bytes, total_rows: int) -> ImportJob:
    """Keep an uploaded org chart and queue its check once this transaction commits."""
    from org.tasks import import_check_run_task  # the task module imports this one

    return import_job_create(
        actor=actor,
        kind=ImportJob.Kind.ORG_CHART_CHECK,
        filename=filename,
        data=data,
        total_rows=total_rows,
        task=import_check_run_task,
    )


def import_check_run(*, job_id: int) -> ImportJob:
    """Check a queued file: the preview (CHECKED) or the problems (FAILED). Writes no people; runs once."""
    job = ImportJob.objects.get(pk=job_id, kind=ImportJob.Kind.ORG_CHART_CHECK)
    if job.finished:
        return job
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _check(job)


def _check(job: ImportJob) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.READING, started_at=timezone.now(), processed_rows=0
    )
    try:
        data = upload_path(job).read_bytes()
    except OSError:
        return import_job_finish(job, status=ImportJob.Status.FAILED, problems=problem_list(FILE_GONE_MESSAGE))

    def progress(rows: int) -> None:
        done = rows >= job.total_rows
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=min(rows, job.total_rows),
            status=ImportJob.Status.CHECKING if done else ImportJob.Status.READING,
        )

    try:
        plan = org_chart_check(filename=job.filename, data=data, progress=progress)
    except OrgError as exc:
        if exc.code != OrgErrorCode.IMPORT_INVALID:
            raise
        return import_job_finish(
            job, status=ImportJob.Status.FAILED, problems=exc.extra["problems"], more=exc.extra.get("problems_more", 0)
        )
    rows = len(plan.added) + len(plan.changed) + len(plan.unchanged)
    ImportJob.objects.filter(pk=job.pk).exclude(status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED]).update(
        status=ImportJob.Status.CHECKED,
        total_rows=rows,
        processed_rows=rows,
        result={"preview": preview_as_json(plan)},
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def import_check_confirm(*, job_id: int, actor: User, fingerprint: str) -> ImportJob | None:
    """The import job for a checked file, started once however often Confirm is sent; None when the file is gone."""
    with transaction.atomic():
        check = ImportJob.objects.select_for_update().get(pk=job_id, kind=ImportJob.Kind.ORG_CHART_CHECK)
        if check.status != ImportJob.Status.CHECKED:
            return None
        started = check.result.get("import_job")
        if started is not None:
            return ImportJob.objects.get(pk=started)
        try:
            data = upload_path(check).read_bytes()
        except OSError:
            return None
        job = import_job_start(
            actor=actor, filename=check.filename, data=data, fingerprint=fingerprint, total_rows=check.total_rows
        )
        check.result = {**check.result, "import_job": job.pk}
        check.save(update_fields=["result", "updated_at"])
        transaction.on_commit(lambda: upload_path(check).unlink(missing_ok=True))  # the import keeps its own copy
    return job
