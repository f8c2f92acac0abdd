"""Large org chart imports run as a background job: the confirm returns at once, the job's page polls
a progress bar, then shows what was imported. Through the real pages; the task runs eagerly in-process."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from org.models import Employee, ImportJob
from org.tasks import import_job_run_task
from pmsite.celery import app
from tests.factories import EmployeeFactory

HEADER = ["Employee number", "Name", "E-mail", "Unit path", "Manager's employee number", "Job title", "Grade level"]


@pytest.fixture(autouse=True)
def _small_background_threshold(settings):
    settings.STRIDE_IMPORT_BACKGROUND_ROWS = 3  # so a five-person file is "large"


@pytest.fixture
def eager(monkeypatch):
    """Tasks run in-process when their message is sent (after commit)."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)


def five_people(prefix="J") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for index in range(5):
        email = f"{prefix.lower()}{index}@example.com"
        writer.writerow([f"{prefix}{index}", f"Person {index}", email, "星河科技/新部门", "", "", ""])
    return buffer.getvalue().encode()


def confirm(client, data: bytes, django_capture_on_commit_callbacks, *, run: bool):
    """Upload, open the preview and confirm it; `run` sends the job's message (which runs it, when eager)."""
    checked = client.post(reverse("org_io:import"), {"file": SimpleUploadedFile("org.csv", data)})
    assert checked.status_code == 302, checked.context and checked.context.get("problems")
    preview = client.get(checked.url)
    with django_capture_on_commit_callbacks(execute=run):
        return client.post(checked.url, {"fingerprint": preview.context["plan"].fingerprint})


def test_a_large_file_returns_at_once_and_the_job_page_shows_the_result(
    org, client_for, eager, django_capture_on_commit_callbacks
):
    client = client_for(org.hr)
    before = Employee.objects.count()

    response = confirm(client, five_people(), django_capture_on_commit_callbacks, run=True)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("org_io:job", args=[job.pk])
    assert job.status == ImportJob.Status.DONE
    assert (job.processed_rows, job.total_rows) == (5, 5)
    assert job.result == {"created": 5, "updated": 0, "unchanged": 0, "units": 1}
    assert Employee.objects.count() == before + 5
    page = client.get(response.url).content.decode()
    assert "5 people added, 0 updated, 0 unchanged and 1 units created" in page
    assert "hx-trigger" not in page  # finished: the page stops asking


def test_a_queued_job_shows_a_progress_bar_that_polls_and_nothing_is_written_yet(
    org, client_for, django_capture_on_commit_callbacks
):
    client = client_for(org.hr)
    before = Employee.objects.count()

    response = confirm(client, five_people(), django_capture_on_commit_callbacks, run=False)

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED
    assert Employee.objects.count() == before
    fragment = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert "<progress" in fragment
    assert "<html" not in fragment  # htmx gets the status alone


def test_running_the_task_twice_imports_once(org, client_for, django_capture_on_commit_callbacks):
    client = client_for(org.hr)
    confirm(client, five_people(), django_capture_on_commit_callbacks, run=False)
    job = ImportJob.objects.get()
    before = Employee.objects.count()

    first = import_job_run_task.apply(kwargs={"job_id": job.pk}).get()
    second = import_job_run_task.apply(kwargs={"job_id": job.pk}).get()

    assert (first, second) == ("done", "done")
    assert Employee.objects.count() == before + 5


def test_a_job_whose_org_chart_changed_meanwhile_fails_and_writes_nothing(
    org, client_for, django_capture_on_commit_callbacks
):
    client = client_for(org.hr)
    confirm(client, five_people(), django_capture_on_commit_callbacks, run=False)
    job = ImportJob.objects.get()
    EmployeeFactory(employee_number="J0", unit=org.east)  # someone else added J0 after the preview
    before = Employee.objects.count()

    status = import_job_run_task.apply(kwargs={"job_id": job.pk}).get()

    job.refresh_from_db()
    assert status == "failed"
    assert "changed after this file was checked" in job.problems[0]["message"]
    assert Employee.objects.count() == before
    page = client.get(reverse("org_io:job", args=[job.pk])).content.decode()
    assert "Nothing was imported" in page


def test_only_the_uploader_and_hr_see_the_job(org, client, client_for, django_capture_on_commit_callbacks):
    confirm(client_for(org.hr), five_people(), django_capture_on_commit_callbacks, run=False)
    url = reverse("org_io:job", args=[ImportJob.objects.get().pk])
    client.logout()

    assert client.get(url).status_code == 302  # to the login page
    assert client_for(org.rep).get(url).status_code == 404
    assert client_for(org.lead).get(url).status_code == 404
    assert client_for(org.admin).get(url).status_code == 200
    assert client_for(org.hr).get(url).status_code == 200


def test_a_file_at_the_threshold_is_still_imported_in_the_request(settings, org, client_for,
                                                                  django_capture_on_commit_callbacks):  # fmt: skip
    settings.STRIDE_IMPORT_BACKGROUND_ROWS = 5
    before = Employee.objects.count()

    response = confirm(client_for(org.hr), five_people(), django_capture_on_commit_callbacks, run=False)

    assert response.url == reverse("org_io:import")
    assert not ImportJob.objects.exists()
    assert Employee.objects.count() == before + 5
