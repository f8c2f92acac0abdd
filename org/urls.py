from django.urls import path

from org import views, views_calendar, views_grades
from org.signin import views as signin_views

app_name = "org"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.employee_detail, name="employee"),
    path("my-team/", views.my_team, name="my-team"),
    path("units/", views.units, name="units"),
]

# HR's working-day calendar.
urlpatterns += views_calendar.urlpatterns

# HR's grade list.
urlpatterns += views_grades.urlpatterns

# API tokens (the person's own) and HR's sign-in lock-outs.
urlpatterns += signin_views.urlpatterns
