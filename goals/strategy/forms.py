"""Forms for the strategy pages (cascade filter, themes) and HR's library pages (KPIs, reference
ranges, SMART settings, integration tokens). Forms validate input; services do every write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.widgets import NumberInput
from goals.models import Direction, Kpi, Period, Perspective, SmartCriterionSetting
from goals.objectives.rules import CRITERIA
from goals.progress.forms import calendar_order, period_label
from goals.progress.selectors import integration_client_list
from goals.strategy.selectors import kpi_list, period_list, theme_owner_choices
from org.forms import unit_choices

KPI_CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9_.-]+$",
    _("Use letters, digits, “_”, “-” or “.” only (no spaces), e.g. NEW_CUST."),
)


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Period) -> str:
        return obj.name


# --- cascade and themes ------------------------------------------------------------------


class PeriodFilterForm(forms.Form):
    """Choose a period among those already loaded (`periods`), so no query runs per field."""

    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args, periods: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {str(period.pk): period for period in calendar_order(periods)}
        self.fields["period"].choices = [(key, period_label(period)) for key, period in self.periods.items()]

    def clean_period(self) -> Period | None:
        return self.periods.get(self.cleaned_data["period"])


class CascadeFilterForm(PeriodFilterForm):
    unit = forms.ChoiceField(label=_("Unit (and the units below it)"), required=False)
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title, person or unit")}),
    )

    def __init__(self, *args, tree: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All units")), *unit_choices(tree)]


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} · {obj.job_title_display}" if obj.job_title else obj.name


class ThemeForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("In the language most people read, e.g. “年度销售额达到 1000 万元”."),
    )
    title_en = forms.CharField(
        label=_("English title"),
        max_length=200,
        required=False,
        help_text=_("Shown to people who use Stride in English. Leave empty to show the title above."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    perspective = forms.ChoiceField(
        label=_("Perspective"),
        choices=Perspective.choices,
        help_text=_("The balanced-scorecard perspective this strand of strategy belongs to."),
    )
    owner = OwnerChoiceField(
        label=_("Owning executive"), queryset=None, empty_label=_("Choose an executive"), required=True
    )
    period = PeriodChoiceField(label=_("Period"), queryset=None, empty_label=_("Choose a period"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = theme_owner_choices().order_by("user__full_name")
        self.fields["period"].queryset = period_list().exclude(kind=Period.Kind.MONTH)


# --- KPI library -------------------------------------------------------------------------


class KpiFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code or name")}),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Kpi.Category.choices]
    )
    perspective = forms.ChoiceField(
        label=_("Perspective"), required=False, choices=[("", _("All perspectives")), *Perspective.choices]
    )


class KpiForm(forms.Form):
    """A KPI's fields. On edit the code is fixed (`editing=True`)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        validators=[KPI_CODE_VALIDATOR],
        help_text=_("A short, stable code other systems and spreadsheets use, e.g. NEW_CUST."),
    )
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("e.g. 新客户数"))
    name_en = forms.CharField(
        label=_("English name"),
        max_length=200,
        required=False,
        help_text=_("Shown to people who use Stride in English, e.g. New customers."),
    )
    definition = forms.CharField(
        label=_("Definition"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What exactly is counted, so that two people measure it the same way."),
    )
    formula = forms.CharField(
        label=_("Formula in words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. “Cash received ÷ amount invoiced in the period × 100%”."),
    )
    unit = forms.CharField(
        label=_("Unit of measure"), max_length=30, required=False, help_text=_("e.g. %, 家, 万元, hours")
    )
    unit_en = forms.CharField(
        label=_("Unit of measure in English"),
        max_length=30,
        required=False,
        help_text=_("Shown to people who use Stride in English, e.g. customers for 家."),
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, initial=Direction.HIGHER)
    category = forms.ChoiceField(label=_("Category"), choices=Kpi.Category.choices)
    perspective = forms.ChoiceField(label=_("Perspective"), choices=Perspective.choices)
    frequency = forms.ChoiceField(
        label=_("Default update frequency"), choices=Kpi.Frequency.choices, initial=Kpi.Frequency.MONTHLY
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            del self.fields["code"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if code.lower() == "new":
            raise ValidationError(_("“new” is reserved; choose another code."))
        if kpi_list(current_only=False).filter(code__iexact=code).exists():
            raise ValidationError(
                _("A KPI with the code %(code)s already exists. Choose another code."), params={"code": code}
            )
        return code


class KpiReferenceForm(forms.Form):
    grade_level = forms.CharField(
        label=_("Grade level"),
        max_length=20,
        widget=forms.TextInput(attrs={"list": "grade-levels", "autocomplete": "off"}),
    )
    low = forms.DecimalField(label=_("Low end"), max_digits=18, decimal_places=4, widget=NumberInput())
    high = forms.DecimalField(label=_("High end"), max_digits=18, decimal_places=4, widget=NumberInput())
    per = forms.ChoiceField(label=_("Per"), choices=Period.Kind.choices, initial=Period.Kind.MONTH)

    def clean_grade_level(self) -> str:
        return self.cleaned_data["grade_level"].strip()

    def clean(self):
        data = super().clean()
        low, high = data.get("low"), data.get("high")
        if low is not None and high is not None and high < low:
            self.add_error(
                "high",
                _("The high end (%(high)s) must not be below the low end (%(low)s).")
                % {"high": plain_number(high), "low": plain_number(low)},
            )
        return data


def plain_number(value: Decimal | None) -> str:
    """A number without trailing zeros: 60, not 60.0000 (empty for no value)."""
    return "" if value is None else format(value.normalize(), "f")


# --- SMART settings ----------------------------------------------------------------------


class SmartSettingsForm(forms.Form):
    """One "warn only" switch per SMART criterion."""

    def __init__(self, *args, warn_only: frozenset[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(SmartCriterionSetting.Criterion.choices)
        for criterion in CRITERIA:
            self.fields[criterion] = forms.BooleanField(
                label=labels[criterion], required=False, initial=criterion in warn_only
            )


# --- integration tokens ------------------------------------------------------------------


class IntegrationClientForm(forms.Form):
    name = forms.CharField(
        label=_("System name"), max_length=100, help_text=_("One token per system, e.g. “CRM” or “Attendance”.")
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        help_text=_("What the system sends, and who looks after it."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if integration_client_list().filter(name__iexact=name).exists():
            raise ValidationError(
                _("A system named %(name)s is already listed (perhaps with a revoked token). Choose another "
                  "name, e.g. “%(name)s 2”."),
                params={"name": name},
            )  # fmt: skip
        return name
