"""Failed sign-ins, counted by django-axes in the database, per account and per address.

Every way in that checks a password calls `django.contrib.auth.authenticate(request, …)`: the
login page, the admin's login and the API token endpoint. `ThrottledSignInBackend` refuses
while the account or the address is locked out, and axes records each failure. Too many
failures for one account (from anywhere) lock that account; too many from one address (for
any accounts) lock that address, with a higher limit because a whole office may share one.
"""

from __future__ import annotations

import ipaddress
import math

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.api import error_body

API_PREFIX = "/api/"


class ThrottledSignInBackend(AxesStandaloneBackend):
    """Refuses a sign-in while its account or address is locked out; checks no password itself.

    Only requests are throttled: code that calls `authenticate()` without one (a management
    command, the test client's `login()`) is not a sign-in from the web and passes through.
    """

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes's database handler with a limit per account and a separate, higher one per address.

    Axes compares one number with one limit (`AXES_FAILURE_LIMIT`, the account's), so an
    address's failures are expressed on the account's scale: the address reaches the limit
    exactly when its own count reaches `STRIDE_LOGIN_ADDRESS_FAILURE_LIMIT`.
    """

    def get_failures(self, request, credentials=None) -> int:
        per_account, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        account_limit = settings.AXES_FAILURE_LIMIT
        address_limit = max(settings.STRIDE_LOGIN_ADDRESS_FAILURE_LIMIT, 1)
        return max(per_account, per_address * account_limit // address_limit)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful sign-in, forget that account's failures from this address only: a
        person's own typos. Failures from elsewhere, and this address's failures on other
        accounts, still count (signing in to one's own account must not clear an attack's trail)."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count


def attempted_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """One name per account, however it was typed: the user name or the e-mail, any case."""
    typed = (credentials or {}).get("username")
    if typed is None:
        data = getattr(request, "data", None) or request.POST
        typed = data.get("username")
    if not typed:
        return None
    typed = str(typed).strip()[:254]  # the longest e-mail address; a user name is shorter
    # The account the password is checked against (the backend's own lookup), so the failures
    # count for that account: a user name wins over someone else's e-mail address.
    try:
        user = get_user_model()._default_manager.get_by_natural_key(typed)
    except get_user_model().DoesNotExist:
        return typed.lower()
    return user.username.lower()


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the connection's, or behind `STRIDE_TRUSTED_PROXY_COUNT` proxies the
    entry those proxies added to X-Forwarded-For (entries further left are the client's to invent).

    The header is read only when the connection comes from `STRIDE_TRUSTED_PROXY_NETWORKS`: a
    client that reaches the web server directly, past the proxy, is counted by its own address."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.STRIDE_TRUSTED_PROXY_COUNT
    if proxies > 0 and _from_trusted_network(remote):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return remote


def _from_trusted_network(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in settings.STRIDE_TRUSTED_PROXY_NETWORKS)


def lockout_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_message(request: HttpRequest | None = None) -> str:
    minutes = lockout_minutes(request)
    return ngettext(
        "Too many failed sign-ins for this account or from this address. Try again in %(minutes)s minute, "
        "or ask HR to unlock the account.",
        "Too many failed sign-ins for this account or from this address. Try again in %(minutes)s minutes, "
        "or ask HR to unlock the account.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """429 in the API's error shape for the API, the login page with the message for people."""
    message = lockout_message(request)
    retry_after = str(lockout_minutes(request) * 60)
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            error_body(type_="signin_locked_out", title=_("Too many failed sign-ins."), detail=message),
            status=429,
        )
    else:
        from org.signin.forms import SignInForm

        form = SignInForm(request)
        response = render(
            request,
            "registration/login.html",
            {"form": form, "lockout_message": message, "next": request.POST.get("next", "")},
            status=429,
        )
    response["Retry-After"] = retry_after
    return response
