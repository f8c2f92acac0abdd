"""Notifications' part of the home page (core.home): the unread notifications, newest first."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.home import HomeContext, HomePage, Link, add_listed_todo, register_home_section
from notifications.selectors import notification_list, notification_unread_count_for_page


class _Unread:
    """The unread notifications as add_listed_todo reads them: the first few, and how many there
    are when there are more — the count the page's badge shows, counted once for both: the page
    reads the same number of queries however many notifications wait."""

    def __init__(self, recipient):
        self.recipient = recipient

    def __getitem__(self, window: slice) -> list:
        return list(notification_list(recipient=self.recipient, unread_only=True)[window])

    def count(self) -> int:
        return notification_unread_count_for_page(recipient=self.recipient)


def add_unread_notifications(page: HomePage, context: HomeContext) -> None:
    add_listed_todo(
        page,
        key="notifications",
        items=_Unread(context.user),
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
