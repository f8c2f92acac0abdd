"""A rule's parameters: stored as JSON, typed for its source, validated by one form (HR's page,
the admin and the services all use it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput, NumberInput
from notifications.errors import MESSAGES as ERROR_MESSAGES
from notifications.errors import NotificationErrorCode, reminder_error
from notifications.reminders.registry import DATE, INT, STR, ReminderParam, ReminderSource, stored_value


def _typed(param: ReminderParam, value: Any) -> Any:
    """A stored value as the type the source expects; the default when missing or unreadable."""
    if value in (None, ""):
        return param.default if param.type != STR else (param.default or "")
    try:
        if param.type == INT:
            return int(value)
        if param.type == DATE:
            return value if isinstance(value, date) else date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return param.default
    return str(value)


def typed_params(source: ReminderSource, stored: dict | None) -> dict:
    stored = stored or {}
    return {p.name: _typed(p, stored.get(p.name, stored_value(p, p.default))) for p in source.params}


class ReminderRuleForm(forms.Form):
    """On/off and the parameters of one rule, with fields made from the rule's schema."""

    source: ReminderSource

    enabled = forms.BooleanField(label=_("On"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("enabled"):
            return data
        if self.source.waiting:
            self.add_error("enabled", str(ERROR_MESSAGES[NotificationErrorCode.REMINDER_WAITING]))
            return data
        for param in self.source.params:
            if param.required and data.get(param.name) in (None, "") and param.name not in self.errors:
                self.add_error(param.name, _("Enter a value to turn this reminder on."))
        return data


def _form_field(param: ReminderParam) -> forms.Field:
    validators = [param.validate] if param.validate else []
    options = {"label": param.label, "help_text": param.help_text, "required": False, "validators": validators}
    if param.type == INT:
        return forms.IntegerField(
            min_value=param.min_value,
            max_value=param.max_value,
            widget=NumberInput(attrs={"inputmode": "numeric"}),
            **options,
        )
    if param.type == DATE:
        return forms.DateField(widget=DateInput(), **options)
    return forms.CharField(max_length=200, **options)


def reminder_rule_form_class(source: ReminderSource) -> type[ReminderRuleForm]:
    fields = {p.name: _form_field(p) for p in source.params}
    return type(ReminderRuleForm)("ReminderRuleForm", (ReminderRuleForm,), {"source": source, **fields})


def reminder_params_clean(*, source: ReminderSource, enabled: bool, params: dict) -> dict:
    """Validate values for a rule by its schema; the stored (JSON) form, or ReminderError."""
    data = {"enabled": "on" if enabled else ""}
    for param in source.params:
        value = params.get(param.name)
        data[param.name] = "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
    form = reminder_rule_form_class(source)(data=data)
    if not form.is_valid():
        problems = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        raise reminder_error(NotificationErrorCode.REMINDER_INVALID, errors=problems)
    return {p.name: stored_value(p, form.cleaned_data[p.name]) for p in source.params}
