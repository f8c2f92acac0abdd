"""Forms for the people pages."""

from __future__ import annotations

from django import forms
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


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, employee number or e-mail")}),
    )
    unit = forms.ChoiceField(label=_("Unit (and the units below it)"), required=False)
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
