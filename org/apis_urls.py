from django.urls import path

from org import apis

urlpatterns = [
    path("auth/token/", apis.TokenApi.as_view(), name="api-token"),
    path("me/", apis.MeApi.as_view(), name="api-me"),
    path("org/units/", apis.UnitListApi.as_view(), name="api-unit-list"),
    path("org/units/tree/", apis.UnitTreeApi.as_view(), name="api-unit-tree"),
    path("org/units/<int:pk>/", apis.UnitDetailApi.as_view(), name="api-unit-detail"),
    path("org/employees/", apis.EmployeeListApi.as_view(), name="api-employee-list"),
    path("org/employees/<int:employee_id>/", apis.EmployeeDetailApi.as_view(), name="api-employee-detail"),
]
