"""Goals pages: spreadsheets — the progress import (with its template) and the objectives export.

Thin views: reading and checking live in goals.progress.importing, writing in goals.progress.services.imports,
the files to download in goals.progress.exporting.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from core.pickers import pick
from core.spreadsheets import SpreadsheetUploadForm, count_rows
from goals.errors import GoalError, GoalErrorCode
from goals.models import Period
from goals.progress.exporting import objectives_export, progress_template
from goals.progress.import_jobs import progress_import_job_start
from goals.progress.importing import ImportResult, progress_import
from goals.progress.sheet import COLUMNS, INPUT_COLUMNS, use_chinese_headers
from goals.strategy.selectors import period_default, period_list
from org.import_jobs import runs_in_background

MAX_PROBLEMS_SHOWN = 200


class ProgressUploadForm(SpreadsheetUploadForm):
    empty_message = gettext_lazy(
        "The file is empty. Download the template, fill in the values you want to record and upload it."
    )


def _period(request: HttpRequest) -> Period:
    """The period asked for (?period=<id>; 404 when it names none), else the default one."""
    wanted = request.GET.get("period")
    period = pick(wanted, period_list()) if wanted else period_default()
    if period is None:
        raise Http404
    return period


def _file_format(request: HttpRequest) -> str:
    return "csv" if request.GET.get("format") == "csv" else "xlsx"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )


def _success_message(result: ImportResult):
    text = ngettext(
        "%(count)s progress update was imported.",
        "%(count)s progress updates were imported.",
        result.recorded,
    ) % {"count": result.recorded}
    if result.skipped:
        text += " " + ngettext(
            "%(count)s row without a value was skipped.",
            "%(count)s rows without a value were skipped.",
            result.skipped,
        ) % {"count": result.skipped}
    try:
        url = reverse("goals:my-objectives")
    except NoReverseMatch:  # the page lives in another module of this app
        return text
    return format_html('{} <a href="{}">{}</a>', text, url, _("See them on My objectives."))


@login_required
@require_http_methods(["GET", "POST"])
def progress_import_view(request: HttpRequest) -> HttpResponse:
    form = ProgressUploadForm(request.POST, request.FILES) if request.method == "POST" else ProgressUploadForm()
    problems: list[dict] = []
    more = 0
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        rows = count_rows(filename=upload.name, data=data)  # without reading the cells: the request stays short
        if runs_in_background(rows):  # too long for a request: a job with a progress page
            job = progress_import_job_start(actor=request.user, filename=upload.name, data=data, total_rows=rows)
            return redirect("org_io:job", job_id=job.pk)
        try:
            result = progress_import(actor=request.user, filename=upload.name, data=data)
        except GoalError as exc:
            if exc.code != GoalErrorCode.IMPORT_INVALID:
                raise
            problems, more = exc.extra["problems"], exc.extra.get("problems_more", 0)
        else:
            messages.success(request, _success_message(result))
            return redirect("goals:progress-import")
    periods = list(period_list())
    current = period_default(periods=periods)
    chinese = use_chinese_headers()
    context = {
        "form": form,
        "problems": problems[:MAX_PROBLEMS_SHOWN],
        "problem_count": len(problems) + more,
        "problems_hidden": max(0, len(problems) - MAX_PROBLEMS_SHOWN) + more,
        "periods": periods,
        "current_period": current,
        "input_columns": [c.header(chinese=chinese) for c in COLUMNS if c.key in INPUT_COLUMNS],
        "max_size": filesizeformat(settings.STRIDE_MAX_UPLOAD_BYTES),
    }
    return render(request, "goals/progress_import.html", context)


@login_required
@require_GET
def progress_template_view(request: HttpRequest) -> HttpResponse:
    return _download(*progress_template(actor=request.user, period=_period(request), file_format=_file_format(request)))


@login_required
@require_GET
def objectives_export_view(request: HttpRequest) -> HttpResponse:
    return _download(*objectives_export(actor=request.user, period=_period(request), file_format=_file_format(request)))


urlpatterns = [
    path("progress/import/", progress_import_view, name="progress-import"),
    path("progress/template/", progress_template_view, name="progress-template"),
    path("export/", objectives_export_view, name="objectives-export"),
]
