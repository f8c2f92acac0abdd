"""A large progress import runs as a background job: the upload returns at once to the job's page,
which shows what was recorded; only the uploader (and HR) see it. Through the real pages."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from goals.models import Measurement, Objective
from goals.tasks import progress_import_job_task
from org.models import ImportJob
from pmsite.celery import app
from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory


@pytest.fixture(autouse=True)
def _small_background_threshold(settings):
    settings.STRIDE_IMPORT_BACKGROUND_ROWS = 3  # so a five-row file is "large"


@pytest.fixture
def key_result(org):
    today = timezone.localdate()
    period = PeriodFactory(name="rolling", start=today - timedelta(days=300), end=today + timedelta(days=60))
    objective = ObjectiveFactory(owner_employee=org.rep, period=period, status=Objective.Status.APPROVED)
    return KeyResultFactory(objective=objective, unit="家", target=Decimal("60"))


def five_rows(key_result, *, same_day=False) -> bytes:
    today = timezone.localdate()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["Key result ID", "Value", "As-of date"])
    for back in range(5):
        day = today if same_day else today - timedelta(days=back)
        writer.writerow([key_result.pk, 10 + back, day.isoformat()])
    return buffer.getvalue().encode()


def post(client, data: bytes, django_capture_on_commit_callbacks, *, run: bool):
    with django_capture_on_commit_callbacks(execute=run):
        return client.post(reverse("goals:progress-import"), {"file": SimpleUploadedFile("progress.csv", data)})


def test_a_large_progress_file_returns_at_once_and_the_job_records_it(
    org, key_result, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    client = client_for(org.rep)

    response = post(client, five_rows(key_result), django_capture_on_commit_callbacks, run=True)

    job = ImportJob.objects.get()
    assert response.url == reverse("org_io:job", args=[job.pk])
    assert (job.kind, job.status) == (ImportJob.Kind.PROGRESS, ImportJob.Status.DONE)
    assert Measurement.objects.filter(key_result=key_result).count() == 5
    assert "5 progress updates were imported" in client.get(response.url).content.decode()


def test_a_queued_progress_job_writes_nothing_until_it_runs_and_runs_once(
    org, key_result, client_for, django_capture_on_commit_callbacks
):
    post(client_for(org.rep), five_rows(key_result), django_capture_on_commit_callbacks, run=False)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED
    assert Measurement.objects.count() == 0

    first = progress_import_job_task.apply(kwargs={"job_id": job.pk}).get()
    second = progress_import_job_task.apply(kwargs={"job_id": job.pk}).get()

    assert (first, second) == ("done", "done")
    assert Measurement.objects.count() == 5


def test_a_progress_job_with_bad_rows_fails_and_lists_them(org, key_result, client_for,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    client = client_for(org.rep)
    post(client, five_rows(key_result, same_day=True), django_capture_on_commit_callbacks, run=False)
    job = ImportJob.objects.get()

    status = progress_import_job_task.apply(kwargs={"job_id": job.pk}).get()

    job.refresh_from_db()
    assert status == "failed"
    assert [p["row"] for p in job.problems] == [2]  # one problem for the five rows of one date
    assert Measurement.objects.count() == 0
    assert "in the same batch" in client.get(reverse("org_io:job", args=[job.pk])).content.decode()


def test_only_the_uploader_and_hr_see_a_progress_job(org, key_result, client_for, django_capture_on_commit_callbacks):
    post(client_for(org.rep), five_rows(key_result), django_capture_on_commit_callbacks, run=False)
    url = reverse("org_io:job", args=[ImportJob.objects.get().pk])

    assert client_for(org.rep2).get(url).status_code == 404
    assert client_for(org.lead).get(url).status_code == 404
    assert client_for(org.hr).get(url).status_code == 200
    assert client_for(org.rep).get(url).status_code == 200
