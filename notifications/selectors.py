"""Reads for notifications: the inbox, a person's delivery preferences, the chat bots and their deliveries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from notifications import types
from notifications.models import Channel, ChatWebhook, Delivery, Notification, NotificationPreference
from org.models import Employee, OrgUnit, User
from org.selectors import tree_ancestor_ids


def notification_list(*, recipient: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=recipient).select_related("actor")
    return qs.unread() if unread_only else qs


def notification_unread_count(*, recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient).unread().count()


def notification_unread_count_for_page(*, recipient: User) -> int:
    """notification_unread_count, counted once for the page being built: its badge and the home
    page's to-do share one count (remembered on the request's user object). For reading a page,
    not after marking notifications read in the same request."""
    remembered = getattr(recipient, "_stride_unread_count", None)
    if remembered is None:
        remembered = recipient._stride_unread_count = notification_unread_count(recipient=recipient)
    return remembered


SWITCHABLE = (Channel.EMAIL, Channel.CHAT)


def notification_preferences_of(*, user: User) -> dict[tuple[str, str], bool]:
    """Whether the person receives each (kind, channel): their choice, else the kind's default."""
    chosen = {
        (kind, channel): enabled
        for kind, channel, enabled in NotificationPreference.objects.filter(user=user).values_list(
            "kind", "channel", "enabled"
        )
    }
    result = {}
    for kind in types.all_types():
        result[(kind.code, Channel.EMAIL)] = chosen.get((kind.code, Channel.EMAIL), kind.email)
        result[(kind.code, Channel.CHAT)] = chosen.get((kind.code, Channel.CHAT), kind.chat)
    return result


@dataclass(frozen=True)
class PreferenceRow:
    kind: types.NotificationType
    email: bool
    chat: bool


def notification_preference_rows(*, user: User) -> list[PreferenceRow]:
    """One row per registered kind, in label order of the active language (one query)."""
    current = notification_preferences_of(user=user)
    rows = [
        PreferenceRow(kind=kind, email=current[(kind.code, Channel.EMAIL)], chat=current[(kind.code, Channel.CHAT)])
        for kind in types.all_types()
    ]
    return sorted(rows, key=lambda row: str(row.kind.label).casefold())


def chat_webhooks_covering(*, user: User) -> list[ChatWebhook]:
    """The active bots that post for this person: their unit or one above it, or everyone."""
    unit_id = Employee.objects.filter(user=user).values_list("unit_id", flat=True).first()
    units = [unit_id, *tree_ancestor_ids(OrgUnit, "parent", unit_id)] if unit_id else []
    return list(ChatWebhook.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=units), is_active=True))


def chat_webhook_list() -> QuerySet[ChatWebhook]:
    """Every bot (active first) with its unit and counts of sent and failed deliveries."""
    return (
        ChatWebhook.objects.select_related("unit", "created_by")
        .annotate(
            sent_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
            failed_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
            last_sent_at=Max("deliveries__sent_at"),
        )
        .order_by("-is_active", "name")
    )


def chat_webhook_recent_failures(*, webhook: ChatWebhook, limit: int = 5) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(webhook=webhook, status=Delivery.Status.FAILED)
        .select_related("notification")
        .order_by("-updated_at")[:limit]
    )
