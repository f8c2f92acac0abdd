"""Forms for the people pages."""

from __future__ import annotations

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from org.models import OrgUnit


def unit_choices(tree: list[dict]) -> list[tuple[str, str]]:
    """The unit tree flattened for a <select>, each name indented by its depth."""
    choices: list[tuple[str, str]] = []

    def walk(nodes: list[dict], depth: int) -> None:
        for node in nodes:
            unit: OrgUnit = node["unit"]
            choices.append((str(unit.pk), "\u00a0\u00a0\u00a0" * depth + unit.display_name))
            walk(node["children"], depth + 1)

    walk(tree, 0)
    return choices


class ManyOptionsSelect(forms.Select):
    """A <select> of flat choices written in one pass: the same HTML as Django's Select, which
    renders a template per option (a company's thousand units: ~60 ms of the people list)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            selected = " selected" if key in chosen else ""
            chosen.discard(key)  # as Django's: one option selected per value
            label = label.__html__() if hasattr(label, "__html__") else html.escape(str(label))  # conditional_escape
            options.append(f'<option value="{html.escape(key)}"{selected}>{label}</option>')
        return format_html(
            '<select name="{}"{}>\n  {}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("\n  ".join(options)),  # noqa: S308 (each value and label escaped above)
        )


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, employee number or e-mail")}),
    )
    unit = forms.ChoiceField(label=_("Unit (and the units below it)"), required=False, widget=ManyOptionsSelect)
    include_inactive = forms.BooleanField(label=_("Include people who have left"), required=False)

    def __init__(self, *args, tree: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All units")), *unit_choices(tree)]


class TeamFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, employee number or e-mail")}),
    )
    direct_only = forms.BooleanField(label=_("Direct reports only"), required=False)
