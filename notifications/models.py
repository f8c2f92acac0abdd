"""The in-app inbox."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import BaseModel

EN_SUFFIX = "__en"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(BaseModel):
    """Something a person should know about, with a link to it.

    `message` holds the English source text (a translation msgid) and `params` the values
    to put into it, so each reader sees it in their own current language.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A code from notifications.types (each app registers its own); no choices, so a new
    # kind needs no migration.
    kind = models.CharField(_("kind"), max_length=40, default="general", db_index=True)
    message = models.CharField(_("message"), max_length=500)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notif_unread_by_recipient",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "-created_at"], name="notif_by_recipient"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The message in the active language, with its parameters filled in.

        A parameter `x` with a companion `x__en` (see notifications.services.bilingual) reads
        the English one when the reader's language is English: names of people and units.
        """
        template = gettext(self.message)
        params = dict(self.params or {})
        english = (get_language() or "").startswith("en")
        for key in [k for k in params if k.endswith(EN_SUFFIX)]:
            english_value = params.pop(key)
            if english and english_value:
                params[key.removesuffix(EN_SUFFIX)] = english_value
        try:
            return template % params if params else template
        except (KeyError, TypeError, ValueError):
            return template

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Team chat")


class NotificationPreference(BaseModel):
    """A person's choice to receive (or not) one kind of notification on one channel.

    No row means the kind's default (see notifications.types).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=40)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="notifications_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} / {self.channel} = {self.enabled}"


class ChatWebhook(BaseModel):
    """An incoming-webhook bot of a team chat (Feishu/Lark, DingTalk, WeCom or generic JSON).

    It receives the notifications of the kinds listed for people in its unit and the units
    below it (no unit: everyone).
    """

    class Provider(models.TextChoices):
        FEISHU = "feishu", _("Feishu / Lark")
        DINGTALK = "dingtalk", _("DingTalk")
        WECOM = "wecom", _("WeCom")
        GENERIC = "generic", _("Generic JSON webhook")

    name = models.CharField(_("name"), max_length=100, unique=True)
    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("For bots with signature checks (Feishu, DingTalk)."),
    )
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kinds = models.JSONField(_("notification kinds"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("chat webhook")
        verbose_name_plural = _("chat webhooks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The address must be a bot address of the chosen chat service (any https:// for generic)."""
        from notifications.rules import webhook_address_problem

        super().clean()
        if self.url and self.provider:
            problem = webhook_address_problem(provider=self.provider, url=self.url)
            if problem:
                raise ValidationError({"url": ValidationError(problem, code="webhook_url")})


class Delivery(BaseModel):
    """One attempt-tracked delivery of a notification on a channel (unique, so never sent twice)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    webhook = models.ForeignKey(
        ChatWebhook,
        verbose_name=_("chat webhook"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"],
                condition=Q(webhook__isnull=True),
                name="notifications_delivery_once_per_channel",
            ),
            models.UniqueConstraint(
                fields=["notification", "webhook"],
                condition=Q(webhook__isnull=False),
                name="notifications_delivery_once_per_webhook",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.status}"


class ReminderRule(BaseModel):
    """A reminder HR can switch on or off and tune (its parameters), by code.

    The code names a reminder source registered by an app (notifications.reminders); the
    schedule that runs the rules is a django-celery-beat entry.
    """

    code = models.CharField(_("code"), max_length=50, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ReminderLog(BaseModel):
    """That a reminder went to a person for an occasion. The unique key makes it go once."""

    rule_code = models.CharField(_("rule"), max_length=50)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    occasion = models.CharField(_("occasion"), max_length=200)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_code", "recipient", "occasion"], name="notifications_reminderlog_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_code} → {self.recipient_id} ({self.occasion})"
