"""Forms for an objective and its key results, the SMART check of what is being typed, and
the one function that saves both through the services (views never save models)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.forms import apply_error_to_form
from core.pickers import pick
from core.widgets import DateInput, NumberInput
from goals.access import objective_access_for_create
from goals.errors import GoalError
from goals.models import Direction, KeyResult, Kpi, Objective, Period
from goals.objectives.rules import CriterionResult, smart_blocks_submission, smart_check
from goals.objectives.selectors import objective_owner_employees, objective_owner_units, objective_parent_choices
from goals.objectives.services import objective_create, objective_update
from goals.objectives.smart import (
    PENDING,
    KeyResultDraft,
    WeightCheck,
    counted_weight_of_others,
    objective_smart_check,
    objective_weight_check,
    smart_input,
)
from goals.progress.services.measurements import key_result_create, key_result_delete, key_result_update
from goals.strategy.selectors import kpi_list, period_default, period_list, smart_warn_only, theme_list
from org.models import OrgUnit, User
from org.selectors import employee_of, tree_ancestor_ids

Level = Objective.Level
PARENT_GROUPS = (
    ("manager", _("Your manager's objectives")),
    ("own", _("Your unit's objectives")),
    ("above", _("Objectives of the units above yours")),
    ("company", _("Company objectives")),
    ("other", _("Other units' objectives")),
)
WEIGHT = {"min_value": Decimal("0"), "max_value": Decimal("100"), "max_digits": 5, "decimal_places": 2}
FIGURE = {"required": False, "max_digits": 18, "decimal_places": 4}


def _number_input(**attrs) -> NumberInput:
    return NumberInput(attrs={"inputmode": "decimal", **attrs})


def _decimal(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, widget=_number_input(), **kwargs)


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} · {obj.unit.display_name}"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_level_display()} · {obj.owner_name} · {obj.title}"


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_perspective_display()} · {obj.display_title}"


class ObjectiveForm(forms.Form):
    """The objective's own fields. On an existing objective the period, level and owner are fixed."""

    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "placeholder": _("What will be achieved, by how much, e.g. “Win 60 new customers”"),
            }
        ),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    period = PeriodChoiceField(label=_("Period"), queryset=Period.objects.none())
    level = forms.ChoiceField(label=_("Level"))
    owner_employee = EmployeeChoiceField(label=_("Owner"), queryset=None, required=False)
    owner_unit = UnitChoiceField(label=_("Owning unit"), queryset=None, required=False)
    parent = ParentChoiceField(
        label=_("Align to objective"),
        queryset=Objective.objects.none(),
        required=False,
        help_text=_("The team or company objective this one contributes to."),
    )
    theme = ThemeChoiceField(
        label=_("Or align to a strategic theme"), queryset=None, required=False, empty_label=_("No theme")
    )
    weight = forms.DecimalField(
        label=_("Weight"),
        widget=_number_input(min="0", max="100"),
        help_text=_("The weights of your counted objectives in a period add up to 100."),
        **WEIGHT,
    )
    contribution_weight = forms.DecimalField(
        label=_("Counts in the parent's score"),
        required=False,
        initial=Decimal("0"),
        widget=_number_input(min="0", max="100"),
        help_text=_("This objective's weight among the aligned objectives that make up its parent's score (0: not)."),
        **WEIGHT,
    )
    children_weight = forms.DecimalField(
        label=_("Share from aligned objectives (%)"),
        required=False,
        initial=Decimal("0"),
        widget=_number_input(min="0", max="100"),
        help_text=_(
            "How much of this objective's score comes from the objectives aligned to it; the rest from its key results."
        ),
        **WEIGHT,
    )
    track = forms.ChoiceField(label=_("Track"), choices=Objective.Track.choices, initial=Objective.Track.KPI)
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"), choices=Objective.Difficulty.choices, coerce=int, initial=Objective.Difficulty.MODERATE
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    def __init__(self, data=None, *, actor: User, objective: Objective | None = None, initial=None, **kwargs):
        super().__init__(data, initial=initial, **kwargs)
        self.actor = actor
        self.objective = objective
        self.fields["parent"].empty_label = _("Not aligned to an objective")
        if objective is not None:
            for name in ("period", "level", "owner_employee", "owner_unit"):
                del self.fields[name]
            self.period, self.level = objective.period, objective.level
        else:
            self._set_up_create()
        self.fields["parent"].queryset = (
            objective_parent_choices(period=self.period, level=self.level) if self.period else Objective.objects.none()
        )
        if objective is not None:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=objective.pk)
        self.fields["theme"].queryset = theme_list(period=self.period).order_by("perspective", "title")
        if self.level == Level.COMPANY:
            del self.fields["parent"]
        else:
            self._group_parents()

    # -- the aligned-to picker: the manager's and the own unit's objectives first --------

    def _alignment_home(self) -> tuple[int | None, int | None, int | None]:
        """(own unit, the manager's unit, the manager's user) of the objective's owner."""
        employee, unit_id = None, None
        if self.objective is not None:
            employee = self.objective.owner_employee if self.objective.owner_employee_id else None
            unit_id = self.objective.owner_unit_id
        elif self.level == Level.PERSON:
            wanted = self._value("owner_employee")
            if wanted and str(wanted).isdigit():
                employee = self.owner_employees.filter(pk=wanted).first()
            employee = employee or employee_of(self.actor)
        else:
            wanted = self._value("owner_unit") or self.fields["owner_unit"].initial
            unit_id = int(wanted) if wanted and str(wanted).isdigit() else None
            if unit_id is None and (me := employee_of(self.actor)) is not None:
                unit_id = me.unit_id
        if employee is not None:
            manager = employee.manager
            return employee.unit_id, (manager.unit_id if manager else None), (manager.user_id if manager else None)
        return unit_id, None, None  # a unit objective: its own unit's first, then the units above

    def _group_parents(self) -> None:
        """Offer the objectives to align to in groups, nearest first: the manager's, the own unit's,
        the units above, the company's, the rest (the page adds a search box over them)."""
        field = self.fields["parent"]
        own_unit, manager_unit, manager_user = self._alignment_home()
        above = set(tree_ancestor_ids(OrgUnit, "parent", own_unit)) if own_unit else set()
        groups: dict[str, list] = {key: [] for key, _label in PARENT_GROUPS}
        for objective in field.queryset:
            if objective.level == Level.COMPANY:
                key = "company"
            elif objective.created_by_id == manager_user or (
                manager_unit not in (None, own_unit) and objective.owner_unit_id == manager_unit
            ):
                key = "manager"
            elif objective.owner_unit_id == own_unit:
                key = "own"
            elif objective.owner_unit_id in above:
                key = "above"
            else:
                key = "other"
            groups[key].append((objective.pk, field.label_from_instance(objective)))
        field.widget.choices = [("", field.empty_label)] + [
            (label, groups[key]) for key, label in PARENT_GROUPS if groups[key]
        ]

    # -- set-up of a new objective: which levels, owners and period ---------------------

    def _value(self, name: str):
        if self.is_bound:
            return self.data.get(self.add_prefix(name)) or None
        return (self.initial or {}).get(name)

    def _set_up_create(self) -> None:
        self.owner_employees = objective_owner_employees(actor=self.actor)
        self.owner_units = {
            level: objective_owner_units(actor=self.actor, level=level) for level in (Level.UNIT, Level.COMPANY)
        }
        levels = []
        if self.owner_employees.exists():
            levels.append(Level.PERSON)
        levels += [level for level in (Level.UNIT, Level.COMPANY) if self.owner_units[level].exists()]
        self.levels = levels
        self.fields["level"].choices = [(level, label) for level, label in Level.choices if level in levels]
        wanted = self._value("level")
        self.level = wanted if wanted in levels else (levels[0] if levels else None)
        self.fields["level"].initial = self.level
        self.initial = {**self.initial, "level": self.level}
        # Changing the period or level reloads the set-up part of the form, so the owner and
        # alignment choices fit (htmx; without JavaScript the server checks the choice on save).
        reload_setup = {
            "hx-get": reverse("goals:objective-create"),
            "hx-trigger": "change",
            "hx-target": "#objective-setup",
            "hx-select": "#objective-setup",
            "hx-swap": "outerHTML",
            "hx-include": "#objective-setup, #id_weight, #id_due_date",
            # the weight and due date follow the new period too, unless the reader changed them
            "hx-select-oob": "#id_weight, #id_due_date",
        }
        self.fields["level"].widget.attrs.update(reload_setup)
        self.fields["period"].widget.attrs.update(reload_setup)
        if len(levels) == 1:
            self.fields["level"].widget = forms.HiddenInput()

        periods = period_list()  # calendar order: FY, H1, Q1, Jan, Feb, Mar, Q2, …
        self.fields["period"].queryset = periods
        self.period = pick(self._value("period"), periods) or period_default()
        if self.period is not None:
            self.fields["period"].initial = self.period.pk
            self.initial["period"] = self.period.pk

        self.fields["owner_employee"].queryset = self.owner_employees
        me = employee_of(self.actor)
        if me is not None:
            self.fields["owner_employee"].initial = me.pk
        units = self.owner_units.get(self.level)
        self.fields["owner_unit"].queryset = (
            units if units is not None else objective_owner_units(actor=self.actor, level="")
        )
        if units is not None and len(units) == 1:
            self.fields["owner_unit"].initial = units[0].pk
        elif units is not None and me is not None and any(unit.pk == me.unit_id for unit in units):
            self.fields["owner_unit"].initial = me.unit_id  # a manager's own unit first
        if self.level != Level.PERSON or self.owner_is_only_me:
            self.fields["owner_employee"].widget = forms.HiddenInput()
        only_one_unit = units is not None and len(units) == 1
        if self.level == Level.PERSON or (self.level == Level.COMPANY and only_one_unit):
            self.fields["owner_unit"].widget = forms.HiddenInput()

    @property
    def has_levels(self) -> bool:
        return self.objective is not None or bool(self.levels)

    @property
    def owner_is_only_me(self) -> bool:
        """A person drafting for themselves only: the owner need not be asked."""
        return self.objective is None and len(self.owner_employees) == 1

    def clean(self):
        data = super().clean()
        if data.get("parent") and data.get("theme"):
            self.add_error("theme", _("Align the objective to a parent objective or to a theme, not both."))
        if self.objective is None:
            level = data.get("level")
            if level == Level.PERSON and not data.get("owner_employee"):
                me = employee_of(self.actor)
                if me is not None and self.owner_is_only_me:
                    data["owner_employee"] = me
                else:
                    self.add_error("owner_employee", _("Choose whose objective this is."))
            if level in (Level.UNIT, Level.COMPANY) and not data.get("owner_unit"):
                self.add_error("owner_unit", _("Choose the unit that owns this objective."))
        return data

    def owner_for_smart(self):
        """The person whose grade sets the KPI reference ranges (None for unit objectives)."""
        if self.objective is not None:
            return self.objective.owner_employee
        if self.level != Level.PERSON:
            return None
        chosen = getattr(self, "cleaned_data", {}).get("owner_employee")
        return chosen or employee_of(self.actor)


# --- key results ---------------------------------------------------------------------


class KpiSelect(forms.Select):
    """A KPI picker whose options carry the KPI's units and direction, so picking one can pre-fill them."""

    def __init__(self, *args, kpi_info: dict[str, tuple[str, str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi_info = kpi_info or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        info = self.kpi_info.get(str(value))
        if info:
            option["attrs"]["data-unit"], option["attrs"]["data-unit-en"], option["attrs"]["data-direction"] = info
        return option


class KeyResultForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Key result"), max_length=300)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, initial=Direction.HIGHER)
    baseline = _decimal(_("Baseline"), **FIGURE)
    target = _decimal(_("Target"), **FIGURE)
    stretch = _decimal(_("Stretch"), **FIGURE)
    range_low = _decimal(_("Range from"), **FIGURE)
    range_high = _decimal(_("Range to"), **FIGURE)
    unit = forms.CharField(label=_("Unit of measure"), max_length=30, required=False)
    unit_en = forms.CharField(
        label=_("Unit of measure in English"),
        max_length=30,
        required=False,
        help_text=_("Shown when the interface is in English, e.g. customers for 家."),
    )
    weight = forms.DecimalField(
        label=_("Weight"), initial=Decimal("100"), widget=_number_input(min="0", max="100"), **WEIGHT
    )
    kpi = forms.ChoiceField(label=_("KPI from the library"), required=False)
    milestones = forms.CharField(
        label=_("Milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a milestone key result: one milestone a line."),
    )

    def __init__(self, *args, kpis: dict[str, Kpi], **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = kpis
        field = self.fields["kpi"]
        field.choices = [("", _("No KPI")), *((pk, f"{kpi.code} · {kpi.display_name}") for pk, kpi in kpis.items())]
        field.widget = KpiSelect(
            choices=field.choices, kpi_info={pk: (k.unit, k.unit_en, k.direction) for pk, k in kpis.items()}
        )

    def clean_kpi(self) -> Kpi | None:
        value = self.cleaned_data.get("kpi")
        return self.kpis.get(value) if value else None

    def clean_milestones(self) -> list[str]:
        text = self.cleaned_data.get("milestones") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class BaseKeyResultFormSet(forms.BaseFormSet):
    def __init__(self, *args, kpis: dict[str, Kpi] | None = None, **kwargs):
        self.kpis = kpis if kpis is not None else {str(k.pk): k for k in kpi_list().order_by("code")}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "kpis": self.kpis}

    def live_forms(self) -> list[KeyResultForm]:
        """The filled-in forms not marked for removal (after validation)."""
        return [
            form for form in self.forms if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]


KeyResultFormSet = forms.formset_factory(
    KeyResultForm, formset=BaseKeyResultFormSet, extra=1, can_delete=True, max_num=20, validate_max=True
)
KEY_RESULT_PREFIX = "kr"
FIGURE_FIELDS = ("baseline", "target", "stretch", "range_low", "range_high")
KEY_RESULT_FIELDS = ("title", "direction", *FIGURE_FIELDS, "unit", "unit_en", "weight", "kpi")


def plain(value):
    """A Decimal as a form shows it: 82, not 82.0000 (no grouping: number inputs can't read it)."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    return value


def key_result_initial(key_results) -> list[dict]:
    return [
        {
            "id": kr.pk,
            **{name: plain(getattr(kr, name)) for name in KEY_RESULT_FIELDS if name != "kpi"},
            "kpi": str(kr.kpi_id) if kr.kpi_id else "",
            "milestones": "\n".join(m.title for m in kr.milestones.all()),
        }
        for kr in key_results
    ]


def key_result_formset(data=None, *, objective: Objective | None = None) -> BaseKeyResultFormSet:
    if data is not None:
        return KeyResultFormSet(data, prefix=KEY_RESULT_PREFIX)
    initial = key_result_initial(objective.key_results.all()) if objective is not None else None
    return KeyResultFormSet(initial=initial, prefix=KEY_RESULT_PREFIX)


# --- the SMART check of what is being typed ------------------------------------------


@dataclass(frozen=True)
class SmartSummary:
    """The SMART check and, where known, the weight rules: together what submitting will be judged on."""

    results: list[CriterionResult]
    weights: WeightCheck | None = None

    @property
    def blocked(self) -> bool:
        return smart_blocks_submission(self.results) or (self.weights is not None and self.weights.blocks)

    @property
    def pending(self) -> bool:
        """Nothing typed yet: criteria that would fail or warn show as not checked yet."""
        return any(r.status == PENDING for r in self.results)

    @property
    def failing(self) -> list[CriterionResult]:
        return [r for r in self.results if r.status == "fail"]

    @property
    def warnings(self) -> list[CriterionResult]:
        return [r for r in self.results if r.status == "warn"]


def _initial_values(form: forms.Form) -> dict:
    """An unbound form's starting values, cleaned; those that don't clean count as empty."""
    values = {}
    for name, field in form.fields.items():
        try:
            values[name] = field.clean(form[name].value())
        except ValidationError:
            values[name] = None
    return values


def smart_for_forms(*, form: ObjectiveForm, formset: BaseKeyResultFormSet) -> SmartSummary:
    """The SMART check of the forms as typed so far: fields that don't validate yet count as empty.

    Before anything is typed: the saved objective's own check, or a new form's starting values.
    """
    if not form.is_bound and form.objective is not None:
        objective = form.objective
        return SmartSummary(
            objective_smart_check(objective=objective), weights=objective_weight_check(objective=objective)
        )
    if form.is_bound:
        form.is_valid()
        formset.is_valid()
        data = getattr(form, "cleaned_data", {})
    else:
        data = _initial_values(form)
    drafts = []
    kr_weights = []
    for kr_form in formset.forms if formset.is_bound else []:
        kr = getattr(kr_form, "cleaned_data", None) or {}
        if kr.get("DELETE") or not (kr.get("title") or any(kr.get(name) is not None for name in FIGURE_FIELDS)):
            continue
        kr_weights.append(kr.get("weight") or Decimal("0"))
        kpi = kr.get("kpi")
        drafts.append(
            KeyResultDraft(
                title=kr.get("title") or "",
                direction=kr.get("direction") or Direction.HIGHER,
                milestones=len(kr.get("milestones") or []),
                kpi_code=kpi.code if kpi else "",
                **{name: kr.get(name) for name in FIGURE_FIELDS},
            )
        )
    owner = form.owner_for_smart()
    checked = smart_input(
        title=data.get("title") or "",
        description=data.get("description") or "",
        level=form.level or Level.PERSON,
        aligned=bool(data.get("parent") or data.get("theme")),
        due_date=data.get("due_date"),
        period=form.period,
        key_results=drafts,
        owner_grade=owner.grade_level if owner else "",
        owner_id=owner.pk if owner else None,
    )
    results = smart_check(checked, warn_only=smart_warn_only())
    if not (data.get("title") or data.get("description") or drafts):
        # Nothing typed yet: what would fail or warn is not checked yet rather than judged.
        results = [dataclasses.replace(r, status=PENDING) if r.status in ("fail", "warn") else r for r in results]
    weights = weights_for_form(form, data=data, kr_weights=kr_weights)
    return SmartSummary(results, weights=weights)


def weights_for_form(form: ObjectiveForm, *, data: dict, kr_weights: list[Decimal] | None = None) -> WeightCheck | None:
    """The weight rules for the objective as typed (None while its owner or period is not chosen)."""
    if form.period is None:
        return None
    if form.objective is not None:
        level = form.objective.level
        employee_id, unit_id = form.objective.owner_employee_id, form.objective.owner_unit_id
    else:
        level = form.level
        owner = form.owner_for_smart() if level == Level.PERSON else None
        unit = data.get("owner_unit") if level != Level.PERSON else None
        if unit is None and level != Level.PERSON:
            unit = form.fields["owner_unit"].queryset.filter(pk=form["owner_unit"].value() or 0).first()
        employee_id, unit_id = (owner.pk if owner else None), (unit.pk if unit else None)
        if employee_id is None and unit_id is None:
            return None
    others = counted_weight_of_others(
        period=form.period,
        level=level,
        owner_employee_id=employee_id,
        owner_unit_id=unit_id,
        exclude_id=form.objective.pk if form.objective is not None else None,
    )
    return WeightCheck(
        period_name=str(form.period),
        counted=(data.get("track") or Objective.Track.KPI) == Objective.Track.KPI,
        others=others,
        weight=data.get("weight"),
        key_results=sum(kr_weights, Decimal("0")) if kr_weights else None,
    )


# --- saving through the services -----------------------------------------------------


class _RefusedError(Exception):
    """Raised inside the transaction when any part was refused, so nothing is kept."""


FOREIGN_KEYS = {"parent", "theme", "kpi"}


def _changed(instance, values: dict) -> dict:
    """Only the values that differ, so the history records real changes."""
    changed = {}
    for name, value in values.items():
        if name in FOREIGN_KEYS:
            if getattr(instance, f"{name}_id") != (value.pk if value is not None else None):
                changed[name] = value
            continue
        current = getattr(instance, name)
        if isinstance(current, Decimal) and isinstance(value, Decimal):
            if current.compare(value) == 0:
                continue
        elif current == value:
            continue
        changed[name] = value
    return changed


def objective_save_from_forms(
    *, actor: User, form: ObjectiveForm, formset: BaseKeyResultFormSet, objective: Objective | None = None
) -> Objective | None:
    """Create or update the objective and its key results in one transaction, through the services.

    Both forms must be valid. When a service refuses anything, its reasons are put on the
    forms, nothing is saved and None is returned.
    """
    try:
        with transaction.atomic():
            saved = _save(actor=actor, form=form, formset=formset, objective=objective)
            if not form.is_valid() or not formset.is_valid():
                raise _RefusedError
    except _RefusedError:
        return None
    return saved


OBJECTIVE_CONTENT = (
    "title", "description", "parent", "theme", "weight", "contribution_weight", "children_weight", "track",
    "difficulty", "due_date",
)  # fmt: skip


def _save(*, actor: User, form: ObjectiveForm, formset: BaseKeyResultFormSet, objective: Objective | None):
    data = form.cleaned_data
    content = {name: data.get(name) for name in OBJECTIVE_CONTENT if name in form.fields}
    for name in ("contribution_weight", "children_weight"):
        if content.get(name) is None:
            content[name] = Decimal("0")
    if "parent" not in form.fields:
        content["parent"] = None
    try:
        if objective is None:
            level = data["level"]
            owner_employee = data.get("owner_employee") if level == Level.PERSON else None
            owner_unit = data.get("owner_unit") if level != Level.PERSON else None
            objective_access_for_create(actor=actor, level=level, owner_employee=owner_employee, owner_unit=owner_unit)
            objective = objective_create(
                actor=actor,
                period=data["period"],
                level=level,
                owner_employee=owner_employee,
                owner_unit=owner_unit,
                **content,
            )
        else:
            changes = _changed(objective, content)
            if changes:
                objective = objective_update(objective=objective, actor=actor, **changes)
    except (GoalError, ValidationError) as error:
        apply_error_to_form(form, error, summary=True)
        raise _RefusedError from error

    existing = {kr.pk: kr for kr in KeyResult.objects.filter(objective=objective).prefetch_related("milestones")}
    for kr_form in formset.forms:
        kr = getattr(kr_form, "cleaned_data", None)
        if not kr:
            continue
        try:
            _save_key_result(actor=actor, objective=objective, kr=kr, existing=existing)
        except (GoalError, ValidationError) as error:
            apply_error_to_form(kr_form, error, summary=True)
        except KeyError:
            kr_form.add_error(None, _("This key result was removed meanwhile. Reload the page."))
    return objective


def _save_key_result(*, actor: User, objective: Objective, kr: dict, existing: dict[int, KeyResult]) -> None:
    pk = kr.get("id")
    current = existing[pk] if pk else None
    if kr.get("DELETE"):
        if current is not None:
            key_result_delete(key_result=current, actor=actor)
        return
    values = {name: kr.get(name) for name in KEY_RESULT_FIELDS}
    values["unit"] = values["unit"] or ""
    values["unit_en"] = values["unit_en"] or ""
    milestones = kr.get("milestones") or []
    if current is None:
        key_result_create(objective=objective, actor=actor, milestones=milestones, **values)
        return
    if milestones != [m.title for m in current.milestones.all()]:
        # Milestones are part of the key result's definition: while in draft, replace it whole.
        key_result_delete(key_result=current, actor=actor)
        key_result_create(objective=objective, actor=actor, milestones=milestones, **values)
        return
    changes = _changed(current, values)
    if changes:
        key_result_update(key_result=current, actor=actor, **changes)
