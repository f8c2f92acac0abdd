"""The largest org chart import allowed (50,000 people): how long the check and the write take.

    DATABASE_URL=postgres://…/stride_x .venv/bin/python bench/org_import_large.py [rows]
    DATABASE_URL=postgres://…/stride_x .venv/bin/python bench/org_import_large.py --upload [rows]

Writes into that database (each run adds new people with a fresh prefix): use a scratch database.
`--upload` times the upload request through the real page (signed in as HR) instead, writing no
people: checked in the request (every file, as before the background check) against counted and
queued (STRIDE_IMPORT_BACKGROUND_ROWS as set), then the background check itself and the job's
page showing its preview; for a .csv and an .xlsx of `rows` people. No task message is sent.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmsite.settings.local")


def org_chart_csv(rows: int, prefix: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["Employee number", "Name", "E-mail", "Unit path", "Manager's employee number", "Job title",
                     "Grade level"])  # fmt: skip
    for index in range(rows):
        manager = f"{prefix}{(index - 1) // 10}" if index else ""
        unit = f"Bench {prefix}/Unit {index // 500}"
        writer.writerow([f"{prefix}{index}", f"Person {index}", f"{prefix}{index}@bench.example.com".lower(), unit,
                         manager, "Engineer", ""])  # fmt: skip
    return buffer.getvalue().encode()


def main(rows: int) -> None:
    import django

    django.setup()
    from org.importing import org_chart_check, org_chart_import
    from org.models import User

    actor = User.objects.filter(is_hr=True).first() or User.objects.first()
    prefix = "B" + secrets.token_hex(3).upper()
    data = org_chart_csv(rows, prefix)
    started = time.perf_counter()
    plan = org_chart_check(filename="org.csv", data=data)
    checked = time.perf_counter()
    result = org_chart_import(actor=actor, filename="org.csv", data=data, expected_fingerprint=plan.fingerprint)
    written = time.perf_counter()
    print(f"{rows} rows ({len(data) / 1024:,.0f} KB): check and preview {checked - started:.1f} s, "
          f"confirm (check again and write) {written - checked:.1f} s; {result.created} people added")  # fmt: skip


def _timed(call):
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def upload_main(rows: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from core.spreadsheets import Sheet, write_xlsx
    from org.import_jobs import import_check_run
    from org.models import ImportJob, User
    from org.tasks import import_check_run_task

    import_check_run_task.delay = lambda **kwargs: None  # the bench runs the check itself, timed
    actor = User.objects.filter(is_hr=True, is_active=True).first()
    client = Client()
    client.force_login(actor)
    prefix = "B" + secrets.token_hex(3).upper()
    csv_data = org_chart_csv(rows, prefix)
    table = [line.split(",") for line in csv_data.decode().splitlines()]
    files = {"csv": csv_data, "xlsx": write_xlsx(sheets=[Sheet(title="Org", header=table[0], rows=table[1:])])}
    with override_settings(ALLOWED_HOSTS=["*"]):
        for kind, data in files.items():
            name = f"org.{kind}"

            def post(name=name, data=data):
                return client.post(reverse("org_io:import"), {"file": SimpleUploadedFile(name, data)})

            with override_settings(STRIDE_IMPORT_BACKGROUND_ROWS=10**9):  # every file checked in the request
                response, in_request = _timed(post)
                assert response.status_code == 302, response.status_code
                _preview, preview_view = _timed(lambda url=response.url: client.get(url))
            response, queued = _timed(post)
            job = ImportJob.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))
            job, checking = _timed(lambda job=job: import_check_run(job_id=job.pk))
            page, job_view = _timed(lambda url=response.url: client.get(url))
            assert job.status == ImportJob.Status.CHECKED, (job.status, job.problems[:1])
            assert page.status_code == 200, page.status_code
            print(f"{rows} rows .{kind} ({len(data) / 1024:,.0f} KB): checked in the request {in_request:.2f} s "
                  f"(and each view of its preview {preview_view:.2f} s); over {settings.STRIDE_IMPORT_BACKGROUND_ROWS} "
                  f"rows now: upload {queued:.2f} s, background check {checking:.2f} s, "
                  f"job page with the preview {job_view:.2f} s ({len(page.content) / 1024:,.0f} KB)")  # fmt: skip


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--upload"]
    (upload_main if "--upload" in sys.argv else main)(int(arguments[0]) if arguments else 50_000)
