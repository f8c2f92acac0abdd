"""Reminder rules parked here until their apps arrive: check-ins (feedback), review phases
(appraisals) and appeals.

Each is registered with its label and parameters but no source, so HR sees it as waiting for
its feature and can set its parameters already. When feedback, appraisals or appeals is built,
its rule moves to that app (its own `reminders.py`, registered from its AppConfig.ready with the
same `register_reminder` call goals uses, now with a source) and leaves this module. The codes
and parameter names stay, so HR's saved settings (ReminderRule rows, seeded by migration 0005)
carry over.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.reminders.registry import INT, ReminderParam, register_reminder

_DAYS_BEFORE = _("Working days before")


def register() -> None:
    """Called from NotificationsConfig.ready, before the apps above notifications register theirs."""
    register_reminder(
        "check_in_due",
        label=_("Check-in due"),
        description=_("Reminds a manager and a team member that their monthly check-in is due."),
        params=[ReminderParam("days_before", INT, _DAYS_BEFORE, default=2, min_value=0, max_value=60)],
        default_enabled=False,
        source=None,
    )
    register_reminder(
        "review_phase_opening",
        label=_("Review phase opening"),
        description=_("Tells the people taking part that a phase of the appraisal cycle opens, e.g. the self review."),
        params=[ReminderParam("days_before", INT, _DAYS_BEFORE, default=1, min_value=0, max_value=60)],
        default_enabled=False,
        source=None,
    )
    register_reminder(
        "review_phase_closing",
        label=_("Review phase closing"),
        description=_("Reminds the people who have not finished a phase of the appraisal cycle that it closes soon."),
        params=[ReminderParam("days_before", INT, _DAYS_BEFORE, default=3, min_value=0, max_value=60)],
        default_enabled=False,
        source=None,
    )
    register_reminder(
        "review_overdue",
        label=_("Review overdue"),
        description=_("Reminds raters whose review is still open after its phase closed, and their manager."),
        params=[
            ReminderParam(
                "days_after", INT, _("Working days after the phase closed"), default=1, min_value=0, max_value=60
            )
        ],
        default_enabled=False,
        source=None,
    )
    register_reminder(
        "appeal_deadline",
        label=_("Appeal deadline approaching"),
        description=_("Reminds the reviewer of an appeal that its deadline is near."),
        params=[ReminderParam("days_before", INT, _DAYS_BEFORE, default=2, min_value=0, max_value=60)],
        default_enabled=False,
        source=None,
    )
