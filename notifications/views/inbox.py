"""The inbox pages: list, open (marks read and follows the link), mark as read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.htmx import is_htmx
from notifications.access import notification_access_for_recipient
from notifications.selectors import notification_list
from notifications.services import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 25


def _is_safe(request, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@login_required
@require_GET
def inbox(request):
    """Newest first, unread ones highlighted; `?show=unread` lists only the unread."""
    unread_only = request.GET.get("show") == "unread"
    notifications = notification_list(recipient=request.user, unread_only=unread_only)
    page_obj = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page_obj, "unread_only": unread_only})


@login_required
@require_GET
def notification_open(request, pk: int):
    """Follow a notification's link; opening it marks it read. Only its recipient may."""
    notification = notification_access_for_recipient(actor=request.user, notification_id=pk)
    notification_mark_read(notification=notification)
    if _is_safe(request, notification.url):
        return redirect(notification.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk: int):
    """Mark one notification read. htmx gets the updated row (and the new unread count)."""
    notification = notification_access_for_recipient(actor=request.user, notification_id=pk)
    notification_mark_read(notification=notification)
    if is_htmx(request):
        return render(request, "notifications/_notification.html", {"notification": notification, "oob": True})
    next_url = request.POST.get("next", "")
    return redirect(next_url if _is_safe(request, next_url) else reverse("notifications:inbox"))


@login_required
@require_POST
def mark_all_read(request):
    count = notification_mark_all_read(recipient=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s notification marked as read.",
                "%(count)s notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    return redirect("notifications:inbox")
