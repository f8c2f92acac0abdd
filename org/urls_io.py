"""Org-chart spreadsheet import, export and template (mounted at /org/spreadsheet/)."""

from django.urls import path

from org import views_io

app_name = "org_io"
urlpatterns = [
    path("", views_io.org_chart_import_view, name="import"),
    path("preview/<str:token>/", views_io.org_chart_preview_view, name="preview"),
    path("jobs/<int:job_id>/", views_io.import_job_view, name="job"),
    path("jobs/<int:job_id>/confirm/", views_io.import_check_confirm_view, name="job-confirm"),
    path("export/", views_io.org_chart_export_view, name="export"),
    path("template/", views_io.org_chart_template_view, name="template"),
]
