"""Org-chart spreadsheet pages for HR: import, export and the template (thin; the work is in org.importing)."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta
from pathlib import Path, PurePath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.htmx import is_htmx
from core.spreadsheets import SpreadsheetUploadForm
from core.text import join_words
from org import import_jobs
from org.access import import_job_access_for_view, org_access_for_manage
from org.errors import OrgError, OrgErrorCode
from org.import_jobs import (
    FILE_GONE_MESSAGE,
    import_check_confirm,
    import_check_start,
    import_job_start,
    preview_as_json,
    runs_in_background,
)
from org.import_plan import ImportPlan
from org.importing import org_chart_check, org_chart_import, org_chart_row_count
from org.models import GradeLevel, ImportJob
from org.spreadsheets import COLUMNS, org_chart_export, org_chart_template

MAX_PROBLEMS_SHOWN = 200


# --- checked uploads, kept until the preview is confirmed -----------------------------------
# The bytes go to a file under MEDIA_ROOT named by a random token; the session holds the token
# with the file's name and digest, so only the person who uploaded it can confirm it, and a file
# that changed on disk is refused. Files older than PREVIEW_MAX_AGE are removed.

PREVIEW_MAX_AGE = timedelta(hours=1)
_SESSION_KEY = "org_chart_imports"


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "org-chart"


def _remove_expired_uploads() -> None:
    folder = _upload_dir()
    if not folder.is_dir():
        return
    cutoff = time.time() - PREVIEW_MAX_AGE.total_seconds()
    for path in folder.glob("*.upload"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _keep_upload(request: HttpRequest, *, filename: str, data: bytes, rows: int = 0) -> str:
    _remove_expired_uploads()
    token = secrets.token_urlsafe(18)
    folder = _upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{token}.upload").write_bytes(data)
    kept = {
        key: value
        for key, value in request.session.get(_SESSION_KEY, {}).items()
        if time.time() - value["at"] < PREVIEW_MAX_AGE.total_seconds()
    }
    kept[token] = {"name": filename, "sha256": hashlib.sha256(data).hexdigest(), "at": time.time(), "rows": rows}
    request.session[_SESSION_KEY] = kept
    return token


def _kept_upload(request: HttpRequest, token: str) -> tuple[str, bytes] | None:
    """(file name, bytes) of this person's checked upload, or None when it expired or changed."""
    entry = request.session.get(_SESSION_KEY, {}).get(token)
    if entry is None or time.time() - entry["at"] >= PREVIEW_MAX_AGE.total_seconds():
        return None
    try:
        data = (_upload_dir() / f"{token}.upload").read_bytes()
    except (OSError, ValueError):
        return None
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        return None
    return entry["name"], data


def _forget_upload(request: HttpRequest, token: str) -> None:
    kept = dict(request.session.get(_SESSION_KEY, {}))
    if kept.pop(token, None) is not None:  # only a token this session was given names a file
        (_upload_dir() / f"{token}.upload").unlink(missing_ok=True)
    request.session[_SESSION_KEY] = kept


# --- pages --------------------------------------------------------------------------------------


def _import_page(
    request: HttpRequest, form: SpreadsheetUploadForm, problems: list[dict], *, more: int = 0, status: int = 200
):
    """`more`: problems the check counted but stopped listing (core.spreadsheets.MAX_PROBLEMS)."""
    grades = GradeLevel.objects.allowed()
    context = {
        "form": form,
        "problems": problems[:MAX_PROBLEMS_SHOWN],
        "problem_count": len(problems) + more,
        "problems_hidden": max(0, len(problems) - MAX_PROBLEMS_SHOWN) + more,
        "columns": COLUMNS,
        "max_size": filesizeformat(settings.STRIDE_MAX_UPLOAD_BYTES),
        "grade_levels": join_words(grades.values()),
    }
    return render(request, "org/import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def org_chart_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a file: it is checked and, when nothing is wrong, kept for the preview. Nothing is written.

    A file over background_rows() people is kept for a background check instead (the rows are
    counted, not read): the request returns at once to the job's page, which shows the preview.
    """
    org_access_for_manage(actor=request.user)
    form = SpreadsheetUploadForm(request.POST, request.FILES) if request.method == "POST" else SpreadsheetUploadForm()
    problems: list[dict] = []
    more = 0
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        rows = org_chart_row_count(filename=upload.name, data=data)
        if runs_in_background(rows):
            job = import_check_start(actor=request.user, filename=upload.name, data=data, total_rows=rows)
            return redirect("org_io:job", job_id=job.pk)
        try:
            plan = org_chart_check(filename=upload.name, data=data)
        except OrgError as exc:
            if exc.code != OrgErrorCode.IMPORT_INVALID:
                raise
            problems, more = exc.extra["problems"], exc.extra.get("problems_more", 0)
        else:
            rows = len(plan.added) + len(plan.changed) + len(plan.unchanged)
            token = _keep_upload(request, filename=upload.name, data=data, rows=rows)
            return redirect("org_io:preview", token=token)
    return _import_page(request, form, problems, more=more)


PREVIEW_ROWS_SHOWN = 200


def _preview_context(preview: dict, *, rows_shown: int) -> dict:
    """What templates/org/_import_preview.html shows of a preview (org.import_jobs.preview_as_json)."""
    titles = {
        "added": _("People to add"),
        "changed": _("People to change"),
        "unchanged": _("People unchanged"),
        "left": _("People in Stride who are not in the file (kept as they are)"),
    }
    return {
        "preview": preview,
        "sections": [{"key": key, "title": title, **preview["sections"][key]} for key, title in titles.items()],
        "units_hidden": preview["units_count"] - len(preview["units_created"]),
        "rows_shown": rows_shown,
    }


def _preview_page(request: HttpRequest, *, token: str, filename: str, plan: ImportPlan, status: int = 200):
    context = {
        "token": token,
        "filename": PurePath(filename).name,
        "plan": plan,
        "plan_changed": status == 409,
        **_preview_context(preview_as_json(plan, rows=PREVIEW_ROWS_SHOWN), rows_shown=PREVIEW_ROWS_SHOWN),
    }
    return render(request, "org/import_preview.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def org_chart_preview_view(request: HttpRequest, token: str) -> HttpResponse:
    """What the checked file would add, change and leave; "Confirm import" writes exactly that."""
    org_access_for_manage(actor=request.user)
    kept = _kept_upload(request, token)
    if kept is None:
        messages.error(
            request,
            _(
                "This preview has expired or was already used: checked files are kept for %(minutes)s minutes. "
                "Nothing was imported; upload the file again."
            )
            % {"minutes": int(PREVIEW_MAX_AGE.total_seconds() // 60)},
        )
        return redirect("org_io:import")
    filename, data = kept
    if request.method == "GET":
        try:
            plan = org_chart_check(filename=filename, data=data)
        except OrgError as exc:  # Stride changed since the upload: the file no longer passes
            _forget_upload(request, token)
            return _import_page(
                request, SpreadsheetUploadForm(), exc.extra["problems"], more=exc.extra.get("problems_more", 0)
            )
        return _preview_page(request, token=token, filename=filename, plan=plan)
    rows = request.session.get(_SESSION_KEY, {}).get(token, {}).get("rows", 0)
    if runs_in_background(rows):  # too long for a request: a job with a progress bar
        job = import_job_start(
            actor=request.user,
            filename=filename,
            data=data,
            fingerprint=request.POST.get("fingerprint", ""),
            total_rows=rows,
        )
        _forget_upload(request, token)
        return redirect("org_io:job", job_id=job.pk)
    try:
        result = org_chart_import(
            actor=request.user,
            filename=filename,
            data=data,
            expected_fingerprint=request.POST.get("fingerprint", ""),
        )
    except OrgError as exc:
        if exc.code == OrgErrorCode.IMPORT_CHANGED:
            return _preview_page(request, token=token, filename=filename, plan=exc.extra["plan"], status=409)
        if exc.code != OrgErrorCode.IMPORT_INVALID:
            raise
        _forget_upload(request, token)
        return _import_page(
            request, SpreadsheetUploadForm(), exc.extra["problems"], more=exc.extra.get("problems_more", 0)
        )
    _forget_upload(request, token)
    messages.success(
        request,
        _(
            "The org chart was imported: %(created)s people added, %(updated)s updated, "
            "%(unchanged)s unchanged and %(units)s units created."
        )
        % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "units": len(result.units_created),
        },
    )
    return redirect("org_io:import")


@login_required
@require_GET
def import_job_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """A background import: a progress bar while it runs (htmx asks again every second), then what it did.

    Only the person who started it, HR and admins see it; anyone else gets 404.
    """
    job = import_job_access_for_view(actor=request.user, job_id=job_id)
    started = job.result.get("import_job") if job.kind == ImportJob.Kind.ORG_CHART_CHECK else None
    if started is not None:  # confirmed: its import is the job to watch
        return redirect("org_io:job", job_id=started)
    context = {
        "job": job,
        "problems": job.problems[:MAX_PROBLEMS_SHOWN],
        "problem_count": len(job.problems) + job.problems_more,
        "problems_hidden": max(0, len(job.problems) - MAX_PROBLEMS_SHOWN) + job.problems_more,
        "filename": PurePath(job.filename).name,
        # the progress import is on My work; only an org chart job belongs to HR's "Import org chart"
        "nav_active": "my-work" if job.kind == ImportJob.Kind.PROGRESS else "hr",
    }
    if job.status == ImportJob.Status.CHECKED:
        context.update(_preview_context(job.result["preview"], rows_shown=import_jobs.PREVIEW_ROWS_KEPT))
    if is_htmx(request):
        return render(request, "org/_import_job_status.html", context)
    return render(request, "org/import_job.html", context)


@login_required
@require_http_methods(["POST"])
def import_check_confirm_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """Confirm a file checked in the background: its import starts as a job (once), and its page follows."""
    job = import_job_access_for_view(actor=request.user, job_id=job_id)
    org_access_for_manage(actor=request.user)
    if job.kind != ImportJob.Kind.ORG_CHART_CHECK:
        raise Http404
    if job.status != ImportJob.Status.CHECKED:  # still checking, or not importable: its page says which
        return redirect("org_io:job", job_id=job.pk)
    started = import_check_confirm(job_id=job.pk, actor=request.user, fingerprint=request.POST.get("fingerprint", ""))
    if started is None:
        messages.error(request, FILE_GONE_MESSAGE)
        return redirect("org_io:import")
    return redirect("org_io:job", job_id=started.pk)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    return HttpResponse(
        content, content_type=content_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _file_format(request: HttpRequest) -> str:
    return "csv" if request.GET.get("format") == "csv" else "xlsx"


@login_required
@require_GET
def org_chart_export_view(request: HttpRequest) -> HttpResponse:
    org_access_for_manage(actor=request.user)
    return _download(*org_chart_export(file_format=_file_format(request)))


@login_required
@require_GET
def org_chart_template_view(request: HttpRequest) -> HttpResponse:
    org_access_for_manage(actor=request.user)
    return _download(*org_chart_template(file_format=_file_format(request)))
