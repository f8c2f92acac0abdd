"""The in-app inbox."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmsite.models import BaseModel


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(BaseModel):
    """Something a person should know about, with a link to it.

    `message` holds the English source text (a translation msgid) and `params` the values
    to put into it, so each reader sees it in their own current language.
    """

    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        ORG_CHANGE = "org_change", _("Organisation change")
        IMPORT_FINISHED = "import_finished", _("Import finished")

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
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices, default=Kind.GENERAL)
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
        """The message in the active language, with its parameters filled in."""
        template = gettext(self.message)
        try:
            return template % self.params if self.params else template
        except (KeyError, TypeError, ValueError):
            return template

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
