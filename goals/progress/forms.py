"""Forms of the progress pages: a progress update, a correction, an action plan, the filters.

Forms only read input; the views call the services (goals.services), whose rules decide what may be
recorded (goals.progress.rules.progress_problems: dates, values, duplicates).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput, NumberInput
from goals.currencies import DEFAULT_CURRENCY, is_currency_code
from goals.models import ActionPlan, Measurement, Objective
from org.models import Employee

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class ProgressForm(forms.Form):
    """One progress update of a key result: value, as-of date, confidence, comment, evidence."""

    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=4, widget=NumberInput())
    as_of = forms.DateField(label=_("As of"), widget=DateInput())
    confidence = forms.ChoiceField(
        label=_("Confidence"), choices=Measurement.Confidence.choices, initial=Measurement.Confidence.ON_TRACK
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, assume_scheme="https", widget=forms.URLInput()
    )

    def __init__(self, *args, today=None, key_result_id: int | None = None, **kwargs):
        self.today = today or timezone.localdate()
        if key_result_id is not None:
            kwargs.setdefault("auto_id", f"kr{key_result_id}-%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("as_of", self.today)
        self.fields["as_of"].widget.attrs["max"] = self.today.isoformat()
        self.fields["value"].widget.attrs["step"] = "any"

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload and upload.size > EVIDENCE_MAX_BYTES:
            raise ValidationError(_("The evidence file is too large: at most 10 MB."), code="too_large")
        return upload


class CorrectionForm(forms.Form):
    """A corrected value for a recorded progress update, with the reason."""

    value = forms.DecimalField(label=_("Corrected value"), max_digits=18, decimal_places=4, widget=NumberInput())
    as_of = forms.DateField(label=_("As of"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say why the value is corrected; the original update stays in the history."),
    )

    def __init__(self, *args, today=None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(*args, **kwargs)
        self.fields["as_of"].widget.attrs["max"] = self.today.isoformat()
        self.fields["value"].widget.attrs["step"] = "any"

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the value is corrected."), code="required")
        return reason


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employee) -> str:
        return f"{obj.user.display_name} · {obj.unit.display_name}"


class ActionPlanForm(forms.Form):
    what = forms.CharField(label=_("What will be done"), max_length=300)
    owner = OwnerChoiceField(label=_("Owner"), queryset=Employee.objects.none())
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=ActionPlan.Status.choices, initial=ActionPlan.Status.TODO)
    budget_amount = forms.DecimalField(
        label=_("Budget"),
        required=False,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        widget=NumberInput(attrs={"inputmode": "decimal"}),
    )
    budget_currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        initial=DEFAULT_CURRENCY,
        help_text=_("A three-letter ISO 4217 code, such as CNY, USD or EUR."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "size": 4}),
    )
    people = forms.IntegerField(
        label=_("People"), required=False, min_value=0, widget=NumberInput(attrs={"inputmode": "numeric"})
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        required=False,
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        widget=NumberInput(attrs={"inputmode": "decimal"}),
    )
    other_needs = forms.CharField(label=_("Other needs"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    FIELDS = ("what", "owner", "due_date", "status", "budget_amount", "budget_currency", "people", "hours",
              "other_needs")  # fmt: skip

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def clean_budget_currency(self):
        code = (self.cleaned_data.get("budget_currency") or "").strip().upper()
        if not code:
            return DEFAULT_CURRENCY
        if not is_currency_code(code):
            raise ValidationError(
                _("%(code)s is not an ISO 4217 currency code. Use a code such as CNY, USD or EUR."),
                code="currency",
                params={"code": code},
            )
        return code

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.FIELDS}
        fields["other_needs"] = fields["other_needs"] or ""
        return fields

    @staticmethod
    def initial_from(plan: ActionPlan) -> dict:
        """The plan's values for the form; numbers without trailing zeros (200, not 200.0)."""
        initial = {name: getattr(plan, name) for name in ActionPlanForm.FIELDS}
        for name in ("budget_amount", "hours"):
            if initial[name] is not None:
                initial[name] = format(initial[name].normalize(), "f")
        return initial


STATUS_ALL = ""


class PeriodForm(forms.Form):
    """The period picker: years and the halves, quarters and months inside them, in calendar
    order (FY, H1, Q1, Jan, Feb, Mar, Q2, …) whatever order `periods` came in."""

    period = forms.TypedChoiceField(label=_("Period"), coerce=int, required=False)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.pk, period_label(p)) for p in calendar_order(periods)]


def calendar_order(periods) -> list:
    """Periods by start date, the longest first: a year, its first half, first quarter, that
    quarter's months, the second quarter, …"""
    return sorted(periods, key=lambda p: (p.start, -p.end.toordinal(), p.pk))


def period_label(period) -> str:
    """A period's name indented by its kind, so the picker reads as a calendar outline."""
    indent = {"year": "", "half": "\u2002", "quarter": "\u2003", "month": "\u2003\u2002"}.get(period.kind, "")
    return f"{indent}{period.name}"


class TeamFilterForm(PeriodForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[(STATUS_ALL, _("Any status")), *Objective.Status.choices]
    )
