"""Notify people. Every app uses `notify`; later channels (e-mail, chat bots) hang off it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from notifications.models import Notification
from notifications.types import GENERAL
from org.models import User


def _msgid(message: str | Promise) -> str:
    """Keep the untranslated source text, so each reader sees their own language."""
    with translation.override(None):  # no catalog active: a lazy string gives its msgid
        return str(message)


def notify(
    *,
    recipients: Iterable[User],
    message: str | Promise,
    params: dict | None = None,
    url: str = "",
    kind: str = GENERAL,
    actor: User | None = None,
) -> list[Notification]:
    """Tell each recipient something, with a link to it. One INSERT for all recipients.

    `message` should be marked for translation (``gettext_lazy("… %(name)s …")``); it is
    stored as its source text and translated when read.
    """
    text = _msgid(message)
    rows = [
        Notification(recipient=r, actor=actor, kind=kind, message=text, params=params or {}, url=url)
        for r in {r.pk: r for r in recipients}.values()
    ]
    return Notification.objects.bulk_create(rows)


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notification_mark_all_read(*, recipient: User) -> int:
    now = timezone.now()
    return Notification.objects.filter(recipient=recipient).unread().update(read_at=now, updated_at=now)


def notification_purge_read(*, older_than_days: int | None = None) -> int:
    """Remove notifications read more than N days ago (the nightly housekeeping job)."""
    days = settings.STRIDE_NOTIFICATION_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = Notification.objects.filter(read_at__lt=cutoff).delete()
    return deleted
