"""Org-chart spreadsheet pages for HR: import, export and the template (thin; the work is in org.importing)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from org.access import org_access_for_manage
from org.errors import IMPORT_INVALID, OrgError
from org.importing import org_chart_import
from org.spreadsheets import (
    COLUMNS,
    EMPTY_FILE_MESSAGE,
    SpreadsheetError,
    check_upload_size,
    org_chart_export,
    org_chart_template,
)

MAX_PROBLEMS_SHOWN = 200


class OrgChartUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
        error_messages={
            "required": gettext_lazy("Choose the spreadsheet to upload."),
            "empty": EMPTY_FILE_MESSAGE,
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload_size(upload.size)  # before reading a byte of it
        except SpreadsheetError as exc:
            raise forms.ValidationError(exc.problem.message) from exc
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def org_chart_import_view(request: HttpRequest) -> HttpResponse:
    org_access_for_manage(actor=request.user)
    form = OrgChartUploadForm(request.POST, request.FILES) if request.method == "POST" else OrgChartUploadForm()
    problems: list[dict] = []
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = org_chart_import(actor=request.user, filename=upload.name, data=upload.read())
        except OrgError as exc:
            if exc.code != IMPORT_INVALID:
                raise
            problems = exc.extra["problems"]
        else:
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
    context = {
        "form": form,
        "problems": problems[:MAX_PROBLEMS_SHOWN],
        "problem_count": len(problems),
        "problems_hidden": max(0, len(problems) - MAX_PROBLEMS_SHOWN),
        "columns": COLUMNS,
        "max_size": filesizeformat(settings.STRIDE_MAX_UPLOAD_BYTES),
    }
    return render(request, "org/import.html", context)


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
