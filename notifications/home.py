"""Notifications' part of the home page (core.home): the unread notifications, newest first."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.home import HomeContext, HomePage, Link, add_listed_todo, register_home_section
from notifications.selectors import notification_list


def add_unread_notifications(page: HomePage, context: HomeContext) -> None:
    add_listed_todo(
        page,
        key="notifications",
        items=notification_list(recipient=context.user, unread_only=True),
        title=lambda count: ngettext(
            "You have %(count)s unread notification.",
            "You have %(count)s unread notifications.",
            count,
        ),
        link=lambda note: Link(label=note.text, url=reverse("notifications:open", args=[note.pk])),
        url=reverse("notifications:inbox"),
        action=_("Open the inbox"),
    )


def register() -> None:
    register_home_section("notifications", add_unread_notifications, order=100)
