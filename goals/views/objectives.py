"""Goals pages: objectives — form with the live SMART check, detail, workflow, approvals."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from goals.access import objective_access_for_view


@login_required
def objective_detail(request, pk: int):
    objective = objective_access_for_view(actor=request.user, objective_id=pk)
    return render(request, "goals/objective_detail.html", {"objective": objective})


urlpatterns = [
    path("objectives/<int:pk>/", objective_detail, name="objective-detail"),
]
