"""Changing reminder rules: on or off, and their parameters (checked against the rule's schema)."""

from __future__ import annotations

from django.db import transaction

from notifications.errors import NotificationErrorCode, reminder_error
from notifications.models import ReminderRule
from notifications.reminders.params import reminder_params_clean
from notifications.reminders.registry import reminder_source_get
from notifications.reminders.selectors import reminder_rule_state
from org.models import User


@transaction.atomic
def reminder_rule_update(*, code: str, actor: User | None, enabled: bool, params: dict) -> ReminderRule:
    """Turn a rule on or off and set its parameters (values checked against its schema)."""
    source = reminder_source_get(code)
    if source is None:
        raise reminder_error(NotificationErrorCode.REMINDER_UNKNOWN)
    stored = reminder_params_clean(source=source, enabled=enabled, params=params)
    rule, created = ReminderRule.objects.select_for_update().get_or_create(
        code=code, defaults={"enabled": enabled, "params": stored}
    )
    if not created and (rule.enabled, rule.params) != (enabled, stored):
        rule.enabled, rule.params = enabled, stored
        rule.full_clean()
        rule.save(update_fields=["enabled", "params", "updated_at"])
    return rule


def reminder_rule_set_enabled(*, code: str, actor: User | None, enabled: bool) -> ReminderRule:
    """Switch a rule on or off, keeping its parameters."""
    state = reminder_rule_state(code=code)
    if state is None:
        raise reminder_error(NotificationErrorCode.REMINDER_UNKNOWN)
    if enabled and state.source.waiting:
        raise reminder_error(NotificationErrorCode.REMINDER_WAITING)
    return reminder_rule_update(code=code, actor=actor, enabled=enabled, params=state.params)
