"""Sign-in page, the person's API tokens, and HR's sign-in lock-outs."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from org.access import org_access_for_manage
from org.models import ApiToken
from org.signin.forms import ApiTokenCreateForm, SignInForm
from org.signin.lockouts import signin_failure_list, signin_lock_list, signin_unlock
from org.signin.tokens import api_token_issue, api_token_list_of, api_token_revoke


class SignInView(LoginView):
    authentication_form = SignInForm


def _tokens_page(request, form, *, new_token: str = "", status: int = 200):
    context = {
        "tokens": api_token_list_of(user=request.user),
        "form": form,
        "new_token": new_token,
        "token_days": settings.STRIDE_API_TOKEN_DAYS,
    }
    return render(request, "org/api_tokens.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The signed-in person's API tokens and a form for a new one (shown once, on this answer)."""
    if request.method != "POST":
        return _tokens_page(request, ApiTokenCreateForm())
    form = ApiTokenCreateForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form, status=400)
    _token, raw = api_token_issue(user=request.user, name=form.cleaned_data["name"])
    return _tokens_page(request, ApiTokenCreateForm(), new_token=raw, status=201)


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # someone else's: 404
    api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer opens the API.") % {"name": token.name})
    return redirect("org:api-tokens")


@login_required
def signin_lockouts(request):
    """HR and admins: accounts and addresses with recent failed sign-ins, who is locked out, unlock."""
    org_access_for_manage(actor=request.user)
    context = {
        "locks": signin_lock_list(),
        "failures": signin_failure_list(),
        "account_limit": settings.AXES_FAILURE_LIMIT,
        "address_limit": settings.STRIDE_LOGIN_ADDRESS_FAILURE_LIMIT,
        "minutes": settings.STRIDE_LOGIN_LOCKOUT_MINUTES,
        "nav_active": "hr",
    }
    return render(request, "org/signin_lockouts.html", context)


@login_required
@require_POST
def signin_unlock_view(request):
    org_access_for_manage(actor=request.user)
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "")
    if kind not in {"account", "address"} or not value:
        raise Http404
    signin_unlock(kind=kind, value=value)
    if kind == "account":
        text = _("The account %(value)s can sign in again.")
    else:
        text = _("Sign-ins from the address %(value)s are allowed again.")
    messages.success(request, text % {"value": value})
    return redirect("org:signin-lockouts")


urlpatterns = [
    path("me/api-tokens/", api_tokens, name="api-tokens"),
    path("me/api-tokens/<int:pk>/revoke/", api_token_revoke_view, name="api-token-revoke"),
    path("sign-in-lockouts/", signin_lockouts, name="signin-lockouts"),
    path("sign-in-lockouts/unlock/", signin_unlock_view, name="signin-unlock"),
]
