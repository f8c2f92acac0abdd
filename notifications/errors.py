"""Error codes of the notifications app (its reminder rules included); messages say what to do next.

A code's value is the API's ``type`` (never change one); all of them answer 400 (see ``core.errors``).
"""

from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError, ErrorCode


class NotificationError(ApplicationError):
    pass


class ReminderError(ApplicationError):
    pass


class NotificationErrorCode(ErrorCode):
    CHANNEL_FIXED = "notifications.channel_fixed"
    UNKNOWN_KIND = "notifications.unknown_kind"
    REMINDER_UNKNOWN = "notifications.reminder_unknown"
    REMINDER_WAITING = "notifications.reminder_waiting"
    REMINDER_DISABLED = "notifications.reminder_disabled"
    REMINDER_INVALID = "notifications.reminder_invalid"


MESSAGES = {
    NotificationErrorCode.CHANNEL_FIXED: _(
        "Notifications in the app are always on; only e-mail and team chat can be switched off."
    ),
    NotificationErrorCode.UNKNOWN_KIND: _(
        "“%(kind)s” is not a kind of notification Stride sends. Choose one from the list."
    ),
    NotificationErrorCode.REMINDER_UNKNOWN: _("There is no reminder with this code."),
    NotificationErrorCode.REMINDER_WAITING: _(
        "This reminder waits for a feature Stride does not have yet. "
        "You can set its values now and turn it on once the feature is installed."
    ),
    NotificationErrorCode.REMINDER_DISABLED: _("This reminder is turned off. Turn it on before you run it."),
    NotificationErrorCode.REMINDER_INVALID: _("Some values are not valid. Correct the fields marked and save again."),
}


def notification_error(code: NotificationErrorCode, *, field: str | None = None, **extra) -> NotificationError:
    message = MESSAGES[code] % extra if extra else MESSAGES[code]
    if field:
        extra["errors"] = {field: [message]}
    return NotificationError(code, message, extra)


def reminder_error(code: NotificationErrorCode, **extra) -> ReminderError:
    return ReminderError(code, MESSAGES[code], extra)
