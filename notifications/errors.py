"""Error codes of the notifications app; messages say what to do next."""

from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError


class NotificationError(ApplicationError):
    pass


CHANNEL_FIXED = "notifications.channel_fixed"
UNKNOWN_KIND = "notifications.unknown_kind"

MESSAGES = {
    CHANNEL_FIXED: _("Notifications in the app are always on; only e-mail and team chat can be switched off."),
    UNKNOWN_KIND: _("“%(kind)s” is not a kind of notification Stride sends. Choose one from the list."),
}


def notification_error(code: str, *, field: str | None = None, **extra) -> NotificationError:
    message = MESSAGES[code] % extra if extra else MESSAGES[code]
    if field:
        extra["errors"] = {field: [message]}
    return NotificationError(code, message, extra)
