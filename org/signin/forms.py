from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from org.signin.sessions import REMEMBER_FIELD


class SignInForm(AuthenticationForm):
    remember = forms.BooleanField(
        label=_("Keep me signed in"),
        required=False,
        help_text=_("Leave unticked on a shared computer: you are signed out when the browser closes."),
    )

    field_order = ["username", "password", REMEMBER_FIELD]


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “weekly report script”."),
    )
