"""What the objective pages share: the statuses that can be edited, and where to go back to."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from goals.models import Objective

PAGE_SIZE = 25
Status = Objective.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)


def _next_or(request, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _detail_url(objective: Objective) -> str:
    return reverse("goals:objective-detail", args=[objective.pk])
