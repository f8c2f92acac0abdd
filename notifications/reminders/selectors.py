"""Reading reminder rules: each registered rule with HR's settings and what it has sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max

from notifications.models import ReminderLog, ReminderRule
from notifications.reminders.params import typed_params
from notifications.reminders.registry import ReminderSource, reminder_source_get, reminder_sources


@dataclass
class ReminderRuleState:
    """A rule as HR sees it: registration, saved settings and what it has sent."""

    source: ReminderSource
    enabled: bool
    stored_params: dict
    last_sent_at: datetime | None = None
    sent_count: int = 0

    @property
    def code(self) -> str:
        return self.source.code

    @property
    def params(self) -> dict:
        return typed_params(self.source, self.stored_params)

    @property
    def runnable(self) -> bool:
        return self.enabled and not self.source.waiting

    @property
    def param_rows(self) -> list[dict]:
        values = self.params
        return [{"label": p.label, "type": p.type, "value": values[p.name]} for p in self.source.params]


def rule_state_from(source: ReminderSource, rule: ReminderRule | None) -> ReminderRuleState:
    if rule is None:
        return ReminderRuleState(source=source, enabled=source.default_enabled, stored_params=source.default_params())
    return ReminderRuleState(
        source=source, enabled=rule.enabled and not source.waiting, stored_params=rule.params or {}
    )


def reminder_rule_states() -> list[ReminderRuleState]:
    """Every registered rule with its settings, when it last sent and how many it sent (2 queries)."""
    rules = {rule.code: rule for rule in ReminderRule.objects.all()}
    stats = {
        row["rule_code"]: row
        for row in ReminderLog.objects.values("rule_code").annotate(last=Max("created_at"), count=Count("id"))
    }
    states = []
    for source in reminder_sources():
        state = rule_state_from(source, rules.get(source.code))
        if source.code in stats:
            state.last_sent_at = stats[source.code]["last"]
            state.sent_count = stats[source.code]["count"]
        states.append(state)
    return states


def reminder_rule_state(*, code: str) -> ReminderRuleState | None:
    source = reminder_source_get(code)
    if source is None:
        return None
    return rule_state_from(source, ReminderRule.objects.filter(code=code).first())


def reminder_schedule_list():
    """The django-celery-beat entries that run reminders (shown to HR, edited in the admin)."""
    from django_celery_beat.models import PeriodicTask

    return PeriodicTask.objects.filter(task__startswith="notifications.run_reminder").select_related(
        "crontab", "interval"
    )
