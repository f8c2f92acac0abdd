from django.urls import path

from org.signin import views as signin_views
from org.views import calendar, grades, people, spreadsheets

app_name = "org"
urlpatterns = [
    path("people/", people.people, name="people"),
    path("people/<int:pk>/", people.employee_detail, name="employee"),
    path("my-team/", people.my_team, name="my-team"),
    path("units/", people.units, name="units"),
]

# HR's working-day calendar.
urlpatterns += calendar.urlpatterns

# HR's grade list.
urlpatterns += grades.urlpatterns

# API tokens (the person's own) and HR's sign-in lock-outs.
urlpatterns += signin_views.urlpatterns

# The org chart's spreadsheet import, export and template: mounted at /org/spreadsheet/ under
# their own namespace, `org_io` (pmsite/urls.py includes `spreadsheet_urls`).
spreadsheet_urls = (
    [
        path("", spreadsheets.org_chart_import_view, name="import"),
        path("preview/<str:token>/", spreadsheets.org_chart_preview_view, name="preview"),
        path("jobs/<int:job_id>/", spreadsheets.import_job_view, name="job"),
        path("jobs/<int:job_id>/confirm/", spreadsheets.import_check_confirm_view, name="job-confirm"),
        path("export/", spreadsheets.org_chart_export_view, name="export"),
        path("template/", spreadsheets.org_chart_template_view, name="template"),
    ],
    "org_io",
)
