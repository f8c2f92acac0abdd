"""The objective pages, by topic: form (create, edit, the SMART panel), detail (an objective's
page and its history), workflow (submit, approve, return, close, cancel, and the approvals
list); links holds what they share. Their routes are here."""

from django.urls import path

from goals.objectives.views.detail import objective_detail
from goals.objectives.views.form import objective_create, objective_edit, objective_smart
from goals.objectives.views.workflow import (
    approvals,
    objective_approve,
    objective_cancel,
    objective_close,
    objective_return,
    objective_submit,
    smart_for_objectives,
)

__all__ = ["smart_for_objectives", "urlpatterns"]

urlpatterns = [
    path("objectives/new/", objective_create, name="objective-create"),
    path("objectives/smart/", objective_smart, name="objective-smart"),
    path("objectives/<int:pk>/", objective_detail, name="objective-detail"),
    path("objectives/<int:pk>/edit/", objective_edit, name="objective-edit"),
    path("objectives/<int:pk>/submit/", objective_submit, name="objective-submit"),
    path("objectives/<int:pk>/approve/", objective_approve, name="objective-approve"),
    path("objectives/<int:pk>/return/", objective_return, name="objective-return"),
    path("objectives/<int:pk>/close/", objective_close, name="objective-close"),
    path("objectives/<int:pk>/cancel/", objective_cancel, name="objective-cancel"),
    path("approvals/", approvals, name="approvals"),
]
