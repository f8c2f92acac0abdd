"""Forms for notification preferences and HR's chat bots. Forms validate input; services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications import types
from notifications.models import Channel, ChatWebhook
from org.forms import unit_choices
from org.models import OrgUnit


def preference_field_name(kind: str, channel: str) -> str:
    return f"{channel}-{kind}"


class PreferencesForm(forms.Form):
    """One checkbox per registered kind and switchable channel (e-mail, team chat)."""

    def __init__(self, *args, current: dict[tuple[str, str], bool], **kwargs):
        super().__init__(*args, **kwargs)
        self.keys: dict[str, tuple[str, str]] = {}
        for (kind, channel), enabled in current.items():
            name = preference_field_name(kind, channel)
            label = _("%(kind)s by e-mail") if channel == Channel.EMAIL else _("%(kind)s in team chat")
            self.fields[name] = forms.BooleanField(
                label=label % {"kind": types.get(kind).label}, required=False, initial=enabled
            )
            self.keys[name] = (kind, channel)

    def choices(self) -> dict[tuple[str, str], bool]:
        return {key: bool(self.cleaned_data.get(name)) for name, key in self.keys.items()}


class ChatWebhookForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("For example: East China sales group (Feishu).")
    )
    provider = forms.ChoiceField(label=_("Chat service"), choices=ChatWebhook.Provider.choices)
    url = forms.URLField(
        label=_("Webhook address"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Copy it from the bot's settings in the group. It must match the chat service: "
            "Feishu/Lark “https://open.feishu.cn/open-apis/bot/v2/hook/…” (or open.larksuite.com), "
            "DingTalk “https://oapi.dingtalk.com/robot/send?access_token=…”, "
            "WeCom “https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…”; "
            "a generic webhook takes any https:// address that accepts JSON."
        ),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Only if the bot checks signatures (Feishu/Lark “signature verification”, DingTalk “加签”). "
            "Stride never shows it again."
        ),
    )
    clear_secret = forms.BooleanField(label=_("Remove the stored signing secret"), required=False)
    unit = forms.ChoiceField(
        label=_("Whose notifications"),
        required=False,
        help_text=_("People in this unit and every unit below it. Leave empty for everyone."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of notification to post"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The group is told of these for everyone the bot covers, naming the person. "
            "Nothing is posted until at least one kind is ticked. People can still switch team chat off."
        ),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, tree: list[dict], has_secret: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(node.pk): node for node in _flatten(tree)}
        self.fields["unit"].choices = [("", _("Everyone")), *unit_choices(tree)]
        # Worded for the group that reads them, not for the person told.
        self.fields["kinds"].choices = [(t.code, t.label_for_group) for t in types.all_types()]
        self.has_secret = has_secret
        if not has_secret:
            del self.fields["clear_secret"]

    def clean_unit(self) -> OrgUnit | None:
        return self.units.get(self.cleaned_data.get("unit") or "")

    def secret_change(self) -> str | None:
        """None keeps the stored secret; "" removes it; text replaces it."""
        if self.cleaned_data.get("secret"):
            return self.cleaned_data["secret"]
        if self.cleaned_data.get("clear_secret"):
            return ""
        return None

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "provider": data["provider"],
            "url": data["url"],
            "unit": data["unit"],
            "kinds": list(data["kinds"]),
            "is_active": data["is_active"],
        }

    @classmethod
    def initial_for(cls, webhook: ChatWebhook) -> dict:
        return {
            "name": webhook.name,
            "provider": webhook.provider,
            "url": webhook.url,
            "unit": str(webhook.unit_id or ""),
            "kinds": list(webhook.kinds),
            "is_active": webhook.is_active,
        }


def _flatten(tree: list[dict]) -> list[OrgUnit]:
    units: list[OrgUnit] = []
    for node in tree:
        units.append(node["unit"])
        units.extend(_flatten(node["children"]))
    return units
