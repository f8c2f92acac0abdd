"""Notify people, and deliver what they chose to receive by e-mail and in team chat.

`notify` writes the in-app notifications, decides per recipient which other channels get
them (their preferences, else the kind's defaults in notifications.types) and queues one
delivery job per e-mail or chat post once the transaction commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from notifications import delivery as sending
from notifications import types
from notifications.errors import NotificationErrorCode, notification_error
from notifications.models import EN_SUFFIX, Channel, ChatWebhook, Delivery, Notification, NotificationPreference
from notifications.types import GENERAL
from org.models import Employee, OrgUnit, User

logger = logging.getLogger(__name__)


def _msgid(message: str | Promise) -> str:
    """Keep the untranslated source text, so each reader sees their own language."""
    with translation.override(None):  # no catalog active: a lazy string gives its msgid
        return str(message)


def bilingual(key: str, name: str, english_name: str = "") -> dict[str, str]:
    """A name parameter for notify(): shown as `english_name` to readers using English."""
    return {key: name, f"{key}{EN_SUFFIX}": english_name}


def notify(
    *,
    recipients: Iterable[User],
    message: str | Promise,
    params: dict | None = None,
    url: str = "",
    kind: str = GENERAL,
    actor: User | None = None,
) -> list[Notification]:
    """Tell each recipient something, with a link to it, in the app and on the channels they chose.

    `message` should be marked for translation (``gettext_lazy("… %(name)s …")``); it is
    stored as its source text and translated when read (an e-mail or chat message is
    rendered in its recipient's language). `actor` is the person who acted: the message
    names them as ``%(actor)s`` (their name in the reader's language), and they are never
    told of their own action — they are left out of the recipients. A constant number of
    queries, however many recipients: one INSERT of notifications, preferences, bots, and
    one INSERT of deliveries.
    """
    text = _msgid(message)
    params = dict(params or {})
    if actor is not None:
        params = {**bilingual("actor", actor.full_name or actor.username, actor.english_name), **params}
    rows = [
        Notification(recipient=r, actor=actor, kind=kind, message=text, params=params, url=url)
        for r in {r.pk: r for r in recipients}.values()
        if actor is None or r.pk != actor.pk
    ]
    notifications = Notification.objects.bulk_create(rows)
    deliveries = _plan_deliveries(notifications=notifications, kind=kind)
    if deliveries:
        transaction.on_commit(partial(_enqueue_deliveries, [d.pk for d in deliveries]), robust=True)
    return notifications


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
    deleted, _by_model = Notification.objects.filter(read_at__lt=cutoff).delete()
    return deleted


# --- deliveries: which channels each notification goes to ------------------------------------


def _plan_deliveries(*, notifications: list[Notification], kind: str) -> list[Delivery]:
    """One pending Delivery per e-mail and per chat bot each recipient should get."""
    if not notifications:
        return []
    kind_type = types.get(kind)
    user_ids = [n.recipient_id for n in notifications]
    chosen = {
        (user_id, channel): enabled
        for user_id, channel, enabled in NotificationPreference.objects.filter(
            user_id__in=user_ids, kind=kind
        ).values_list("user_id", "channel", "enabled")
    }
    webhooks = [w for w in ChatWebhook.objects.filter(is_active=True) if kind in (w.kinds or [])]
    bots = _webhooks_by_recipient(webhooks=webhooks, user_ids=user_ids) if webhooks else {}
    rows = []
    for notification in notifications:
        user = notification.recipient
        if not user.is_active:
            continue
        if user.email and chosen.get((user.pk, Channel.EMAIL), kind_type.email):
            rows.append(Delivery(notification=notification, channel=Channel.EMAIL))
        if chosen.get((user.pk, Channel.CHAT), kind_type.chat):
            rows.extend(
                Delivery(notification=notification, channel=Channel.CHAT, webhook=webhook)
                for webhook in bots.get(user.pk, ())
            )
    return Delivery.objects.bulk_create(rows)


def _webhooks_by_recipient(*, webhooks: list[ChatWebhook], user_ids: list[int]) -> dict[int, list[ChatWebhook]]:
    """The bots whose unit holds each person (their unit or one above it; no unit: everyone)."""
    for_everyone = [w for w in webhooks if w.unit_id is None]
    for_units = [w for w in webhooks if w.unit_id is not None]
    result = {user_id: list(for_everyone) for user_id in user_ids}
    if for_units:
        unit_of = dict(Employee.objects.filter(user_id__in=user_ids).values_list("user_id", "unit_id"))
        parent_of = dict(OrgUnit.objects.values_list("id", "parent_id"))
        for user_id in user_ids:
            units = unit_chain(unit_of.get(user_id), parent_of)
            result[user_id].extend(w for w in for_units if w.unit_id in units)
    return result


def unit_chain(unit_id: int | None, parent_of: Mapping[int, int | None]) -> set[int]:
    """A unit and every unit above it (pure; stops on a loop in bad data)."""
    chain: set[int] = set()
    while unit_id is not None and unit_id not in chain:
        chain.add(unit_id)
        unit_id = parent_of.get(unit_id)
    return chain


def _enqueue_deliveries(delivery_ids: list[int]) -> None:
    """Queue one job per delivery. If the broker is down, the periodic sweep sends them later."""
    from notifications.tasks import deliver_task

    for delivery_id in delivery_ids:
        try:
            deliver_task.delay(delivery_id=delivery_id)
        except Exception:
            logger.exception("Could not queue delivery %s; pending deliveries are queued again later.", delivery_id)
            return


@dataclass(frozen=True)
class DeliveryOutcome:
    status: str
    attempts: int
    error: str = ""
    retry_in: int | None = None  # seconds until the next try, when one should follow


def delivery_attempt(*, delivery_id: int) -> DeliveryOutcome | None:
    """Send one delivery now and record the attempt. Idempotent: a sent delivery is not sent again.

    The row stays locked while it is sent, so two workers never send the same delivery;
    a worker that finds it locked returns None and leaves it to the other. A failure keeps
    it pending with a retry delay until the last attempt, which marks it failed.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification__recipient__employee", "notification__actor", "webhook")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        if delivery.status != Delivery.Status.PENDING:
            return DeliveryOutcome(status=delivery.status, attempts=delivery.attempts, error=delivery.last_error)
        skip_reason = _reason_to_skip(delivery)
        if skip_reason:
            delivery.status = Delivery.Status.SKIPPED
            delivery.last_error = skip_reason
            delivery.save(update_fields=["status", "last_error", "updated_at"])
            return DeliveryOutcome(status=delivery.status, attempts=delivery.attempts, error=skip_reason)
        delivery.attempts += 1
        try:
            _send(delivery)
        except sending.DeliveryError as exc:
            delivery.last_error = str(exc)[:2000]
            give_up = delivery.attempts >= sending.MAX_ATTEMPTS
            delivery.status = Delivery.Status.FAILED if give_up else Delivery.Status.PENDING
            retry_in = None if give_up else sending.retry_delay_seconds(delivery.attempts)
            logger.warning("Delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, exc)
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
            retry_in = None
        delivery.save(update_fields=["status", "attempts", "last_error", "sent_at", "updated_at"])
        return DeliveryOutcome(
            status=delivery.status, attempts=delivery.attempts, error=delivery.last_error, retry_in=retry_in
        )


def _reason_to_skip(delivery: Delivery) -> str:
    recipient = delivery.notification.recipient
    if not recipient.is_active:
        return _("The recipient's account is disabled.")
    if delivery.channel == Channel.EMAIL and not recipient.email:
        return _("The recipient has no e-mail address.")
    if delivery.channel == Channel.CHAT and (delivery.webhook is None or not delivery.webhook.is_active):
        return _("The chat bot was deactivated.")
    return ""


def _send(delivery: Delivery) -> None:
    if delivery.channel == Channel.EMAIL:
        sending.send_email(notification=delivery.notification)
    else:
        sending.send_chat(webhook=delivery.webhook, message=sending.chat_message(notification=delivery.notification))


def delivery_requeue_pending(*, older_than_minutes: int = 15) -> int:
    """Queue again the deliveries still pending after a while (broker down, worker lost). Idempotent."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, updated_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    _enqueue_deliveries(ids)
    return len(ids)


@transaction.atomic
def delivery_retry(*, delivery: Delivery) -> Delivery:
    """Try a failed delivery again from the start (admin action), after the commit."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status == Delivery.Status.FAILED:
        delivery.status = Delivery.Status.PENDING
        delivery.attempts = 0
        delivery.save(update_fields=["status", "attempts", "updated_at"])
        transaction.on_commit(partial(_enqueue_deliveries, [delivery.pk]), robust=True)
    return delivery


# --- preferences --------------------------------------------------------------------------------


def _check_kind_and_channel(*, kind: str, channel: str) -> None:
    if channel not in (Channel.EMAIL, Channel.CHAT):
        raise notification_error(NotificationErrorCode.CHANNEL_FIXED)
    if kind not in {t.code for t in types.all_types()}:
        raise notification_error(NotificationErrorCode.UNKNOWN_KIND, kind=kind)


@transaction.atomic
def notification_preference_set(*, user: User, kind: str, channel: str, enabled: bool) -> NotificationPreference:
    """Receive (or not) one kind of notification on one channel. In-app is always on."""
    _check_kind_and_channel(kind=kind, channel=channel)
    preference = (
        NotificationPreference.objects.select_for_update().filter(user=user, kind=kind, channel=channel).first()
    )
    if preference is None:
        preference = NotificationPreference(user=user, kind=kind, channel=channel, enabled=enabled)
        preference.full_clean()
        preference.save()
    elif preference.enabled != enabled:
        preference.enabled = enabled
        preference.full_clean()
        preference.save(update_fields=["enabled", "updated_at"])
    return preference


@transaction.atomic
def notification_preferences_update(*, user: User, choices: Mapping[tuple[str, str], bool]) -> int:
    """Save a person's choices {(kind, channel): enabled}; only the ones that change are written."""
    from notifications.selectors import notification_preferences_of

    current = notification_preferences_of(user=user)
    changed = 0
    for (kind, channel), enabled in choices.items():
        _check_kind_and_channel(kind=kind, channel=channel)
        if current.get((kind, channel)) != enabled:
            notification_preference_set(user=user, kind=kind, channel=channel, enabled=enabled)
            changed += 1
    return changed


# --- chat bots (HR) -------------------------------------------------------------------------------

WEBHOOK_FIELDS = {"name", "provider", "url", "unit", "kinds", "is_active"}


def _clean_webhook(webhook: ChatWebhook) -> None:
    """Known kinds; full_clean() checks the address fits the provider (ChatWebhook.clean)."""
    known = {t.code for t in types.all_types()}
    for kind in webhook.kinds:
        if kind not in known:
            raise notification_error(NotificationErrorCode.UNKNOWN_KIND, field="kinds", kind=kind)
    webhook.kinds = sorted(set(webhook.kinds))
    webhook.full_clean()


@transaction.atomic
def chat_webhook_create(
    *,
    actor: User,
    name: str,
    provider: str,
    url: str,
    secret: str = "",
    unit: OrgUnit | None = None,
    kinds: Iterable[str] = (),
    is_active: bool = True,
) -> ChatWebhook:
    webhook = ChatWebhook(
        name=name.strip(),
        provider=provider,
        url=url.strip(),
        secret=secret.strip(),
        unit=unit,
        kinds=list(kinds),
        is_active=is_active,
        created_by=actor,
    )
    _clean_webhook(webhook)
    webhook.save()
    return webhook


@transaction.atomic
def chat_webhook_update(*, webhook: ChatWebhook, actor: User, secret: str | None = None, **fields) -> ChatWebhook:
    """Change a bot. `secret=None` keeps the stored secret, "" removes it, text replaces it."""
    unknown = set(fields) - WEBHOOK_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    webhook = ChatWebhook.objects.select_for_update().get(pk=webhook.pk)
    changed = [name for name, value in fields.items() if getattr(webhook, name) != value]
    for name in changed:
        setattr(webhook, name, value.strip() if isinstance(value := fields[name], str) else value)
    if secret is not None and secret.strip() != webhook.secret:
        webhook.secret = secret.strip()
        changed.append("secret")
    if changed:
        _clean_webhook(webhook)
        webhook.save(update_fields=[*changed, "updated_at"])
    return webhook


@transaction.atomic
def chat_webhook_deactivate(*, webhook: ChatWebhook, actor: User) -> ChatWebhook:
    """Stop posting to a bot. Its pending deliveries are skipped when their turn comes.

    Always possible, even for a bot whose stored address no longer passes the checks."""
    webhook = ChatWebhook.objects.select_for_update().get(pk=webhook.pk)
    if webhook.is_active:
        webhook.is_active = False
        webhook.save(update_fields=["is_active", "updated_at"])
    return webhook


def chat_webhook_send_test(*, webhook: ChatWebhook) -> sending.ProviderAnswer:
    """Post a test message now (not queued). Raises DeliveryError with the reason on failure."""
    return sending.send_chat(webhook=webhook, message=sending.webhook_test_message())
