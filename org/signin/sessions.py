"""How long a sign-in lasts (STRIDE_SESSION_HOURS, shorter for HR and admin accounts)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest

DEADLINE_KEY = "stride_signed_in_until"
REMEMBER_FIELD = "remember"


def user_is_privileged(user) -> bool:
    """HR and admin accounts (staff, superusers) see everyone's records: their sessions are shorter."""
    return bool(user.is_hr or user.is_staff or user.is_superuser)


def session_hours_for(user) -> int:
    if user_is_privileged(user):
        return min(settings.STRIDE_PRIVILEGED_SESSION_HOURS, settings.STRIDE_SESSION_HOURS)
    return settings.STRIDE_SESSION_HOURS


def session_start(*, request: HttpRequest, user, remember: bool) -> None:
    """Kept: the cookie outlives the browser for the user's hours. Not kept: it ends with the
    browser, and the server ends it after those hours at the latest either way."""
    seconds = session_hours_for(user) * 60 * 60
    request.session[DEADLINE_KEY] = int(time.time()) + seconds
    request.session.set_expiry(seconds if remember else 0)


def session_expired(request: HttpRequest) -> bool:
    deadline = request.session.get(DEADLINE_KEY)
    return deadline is not None and time.time() >= deadline


class SessionDeadlineMiddleware:
    """Signs out a session past its deadline, even one whose cookie lives until the browser closes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and session_expired(request):
            logout(request)
        return self.get_response(request)
