"""Large org chart files are checked and imported as background jobs: the upload returns at once to a
check job whose page polls a progress bar, then shows the preview; its confirm starts the import job,
whose page shows what was imported. Through the real pages; the tasks run in-process."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.spreadsheets import Sheet, write_xlsx
from org import import_jobs
from org.models import Employee, ImportJob
from org.tasks import import_check_run_task, import_job_run_task
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


def people_rows(count=5, prefix="J") -> list[list[str]]:
    return [
        [f"{prefix}{index}", f"Person {index}", f"{prefix.lower()}{index}@example.com", "星河科技/新部门", "", "", ""]
        for index in range(count)
    ]


def five_people(prefix="J", count=5) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(people_rows(count, prefix))
    return buffer.getvalue().encode()


def upload(client, data: bytes, *, filename="org.csv"):
    """The upload alone; its check job's message is not sent (nothing commits in a test)."""
    return client.post(reverse("org_io:import"), {"file": SimpleUploadedFile(filename, data)})


def checked(client, data: bytes) -> ImportJob:
    """Upload a large file and run its check job."""
    response = upload(client, data)
    assert response.status_code == 302, response.context and response.context.get("problems")
    job = ImportJob.objects.filter(kind=ImportJob.Kind.ORG_CHART_CHECK).latest("pk")
    import_check_run_task.apply(kwargs={"job_id": job.pk}).get()
    job.refresh_from_db()
    return job


def confirm(client, data: bytes, django_capture_on_commit_callbacks, *, run: bool):
    """Upload, let the check run and confirm its preview; `run` sends the import's message (runs it, when eager)."""
    check = checked(client, data)
    with django_capture_on_commit_callbacks(execute=run):
        return client.post(
            reverse("org_io:job-confirm", args=[check.pk]), {"fingerprint": check.result["preview"]["fingerprint"]}
        )


def test_a_large_file_returns_at_once_and_the_job_page_shows_the_result(
    org, client_for, eager, django_capture_on_commit_callbacks
):
    client = client_for(org.hr)
    before = Employee.objects.count()

    response = confirm(client, five_people(), django_capture_on_commit_callbacks, run=True)

    job = ImportJob.objects.get(kind=ImportJob.Kind.ORG_CHART)
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

    job = ImportJob.objects.get(kind=ImportJob.Kind.ORG_CHART)
    assert job.status == ImportJob.Status.QUEUED
    assert Employee.objects.count() == before
    fragment = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert "<progress" in fragment
    assert "<html" not in fragment  # htmx gets the status alone


def test_running_the_task_twice_imports_once(org, client_for, django_capture_on_commit_callbacks):
    client = client_for(org.hr)
    confirm(client, five_people(), django_capture_on_commit_callbacks, run=False)
    job = ImportJob.objects.get(kind=ImportJob.Kind.ORG_CHART)
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
    job = ImportJob.objects.get(kind=ImportJob.Kind.ORG_CHART)
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
    url = reverse("org_io:job", args=[ImportJob.objects.get(kind=ImportJob.Kind.ORG_CHART).pk])
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
    client = client_for(org.hr)

    preview = client.get(upload(client, five_people()).url)
    response = client.post(preview.request["PATH_INFO"], {"fingerprint": preview.context["plan"].fingerprint})

    assert response.url == reverse("org_io:import")
    assert not ImportJob.objects.exists()
    assert Employee.objects.count() == before + 5


# --- the check in the background ---------------------------------------------------------------


def test_a_large_upload_returns_at_once_to_a_queued_check_that_has_not_read_the_file(org, client_for):
    client = client_for(org.hr)
    data = five_people().replace(b"j1@example.com", b"not an address")  # the check would refuse it

    with CaptureQueriesContext(connection) as queries:
        response = upload(client, data)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("org_io:job", args=[job.pk])
    assert (job.kind, job.status, job.total_rows) == (ImportJob.Kind.ORG_CHART_CHECK, ImportJob.Status.QUEUED, 5)
    assert not any("'J4'" in q["sql"] for q in queries.captured_queries)  # no one in the file looked up yet
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "Nothing is written until you confirm the import" in page
    assert 'id="import-confirm"' not in page

    status = import_check_run_task.apply(kwargs={"job_id": job.pk}).get()

    assert status == "failed"
    page = client.get(response.url).content.decode()
    assert "not an address" in page or "E-mail" in page
    assert 'id="import-confirm"' not in page


def test_a_large_xlsx_is_counted_without_reading_it_and_checked_in_the_background(org, client_for):
    data = write_xlsx(sheets=[Sheet(title="Org", header=HEADER, rows=people_rows(5))])

    response = upload(client_for(org.hr), data, filename="org.xlsx")

    job = ImportJob.objects.get()
    assert response.url == reverse("org_io:job", args=[job.pk])
    assert job.total_rows == 5


def test_the_check_keeps_the_preview_and_the_job_page_shows_it_with_confirm(org, client_for):
    client = client_for(org.hr)
    before = Employee.objects.count()

    job = checked(client, five_people())

    assert job.status == ImportJob.Status.CHECKED
    preview = job.result["preview"]
    assert preview["sections"]["added"]["count"] == 5
    assert [p["employee_number"] for p in preview["sections"]["added"]["people"]] == [f"J{i}" for i in range(5)]
    assert preview["units_created"] == ["星河科技/新部门"]
    assert Employee.objects.count() == before  # a check writes no one
    page = client.get(reverse("org_io:job", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page  # checked: the page stops asking
    assert 'action="{}"'.format(reverse("org_io:job-confirm", args=[job.pk])) in page
    assert preview["fingerprint"] in page
    assert "Person 4" in page
    assert import_check_run_task.apply(kwargs={"job_id": job.pk}).get() == "checked"  # a second run: the same


def test_the_preview_lists_the_first_rows_of_each_kind_and_counts_them_all(org, client_for, monkeypatch):
    monkeypatch.setattr(import_jobs, "PREVIEW_ROWS_KEPT", 2)
    client = client_for(org.hr)

    job = checked(client, five_people())

    added = job.result["preview"]["sections"]["added"]
    assert (added["count"], len(added["people"])) == (5, 2)
    page = client.get(reverse("org_io:job", args=[job.pk])).content.decode()
    assert "The first 2 of 5 people are listed." in page
    assert "Person 1" in page
    assert "Person 2" not in page


def test_the_checked_job_page_costs_the_same_queries_however_many_people(org, client_for):
    client = client_for(org.hr)
    small = checked(client, five_people("S", 5))
    large = checked(client, five_people("L", 40))

    counts = []
    for job in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("org_io:job", args=[job.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_confirm_starts_the_import_once_and_the_check_page_then_follows_it(
    org, client_for, django_capture_on_commit_callbacks
):
    client = client_for(org.hr)
    check = checked(client, five_people())
    url = reverse("org_io:job-confirm", args=[check.pk])
    fingerprint = check.result["preview"]["fingerprint"]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = client.post(url, {"fingerprint": fingerprint})
        second = client.post(url, {"fingerprint": fingerprint})

    job = ImportJob.objects.get(kind=ImportJob.Kind.ORG_CHART)
    assert first.url == second.url == reverse("org_io:job", args=[job.pk])
    assert (job.status, job.fingerprint, job.total_rows) == (ImportJob.Status.QUEUED, fingerprint, 5)
    assert len(callbacks) >= 1
    assert client.get(reverse("org_io:job", args=[check.pk])).url == reverse("org_io:job", args=[job.pk])
    assert import_job_run_task.apply(kwargs={"job_id": job.pk}).get() == "done"
    assert Employee.objects.filter(employee_number__startswith="J").count() == 5


def test_confirming_a_check_that_is_still_running_imports_nothing(org, client_for):
    client = client_for(org.hr)
    upload(client, five_people())
    check = ImportJob.objects.get()

    response = client.post(reverse("org_io:job-confirm", args=[check.pk]), {"fingerprint": "x"})

    assert response.url == reverse("org_io:job", args=[check.pk])
    assert not ImportJob.objects.filter(kind=ImportJob.Kind.ORG_CHART).exists()


def test_only_the_uploader_hr_and_admins_see_or_confirm_a_check(org, client, client_for):
    check = checked(client_for(org.hr), five_people())
    page, confirm_url = reverse("org_io:job", args=[check.pk]), reverse("org_io:job-confirm", args=[check.pk])
    client.logout()

    assert client.get(page).status_code == 302  # to the login page
    for who in (org.rep, org.lead):
        assert client_for(who).get(page).status_code == 404
        assert client_for(who).post(confirm_url, {"fingerprint": "x"}).status_code == 404
    assert client_for(org.admin).get(page).status_code == 200
    assert not ImportJob.objects.filter(kind=ImportJob.Kind.ORG_CHART).exists()


def test_an_import_job_cannot_be_confirmed_again(org, client_for, django_capture_on_commit_callbacks):
    client = client_for(org.hr)
    confirm(client, five_people(), django_capture_on_commit_callbacks, run=False)
    job = ImportJob.objects.get(kind=ImportJob.Kind.ORG_CHART)

    assert client.post(reverse("org_io:job-confirm", args=[job.pk])).status_code == 404


def test_a_progress_job_page_does_not_highlight_import_org_chart(org, client_for):
    job = ImportJob.objects.create(created_by=org.hr.user, kind=ImportJob.Kind.PROGRESS, filename="p.csv")
    import_url = reverse("org_io:import")

    progress_page = client_for(org.hr).get(reverse("org_io:job", args=[job.pk])).content.decode()
    job.kind = ImportJob.Kind.ORG_CHART
    job.save()
    org_page = client_for(org.hr).get(reverse("org_io:job", args=[job.pk])).content.decode()

    assert f'href="{import_url}" class="active" aria-current="page"' not in progress_page
    assert f'href="{import_url}" class="active" aria-current="page"' in org_page
