"""Password reset requests, throttled: each one sends an e-mail, so an anonymous visitor could
otherwise flood a person's mailbox (or the mail server's quota) with resets.

At most RESET_LIMIT_PER_EMAIL requests for one address and RESET_LIMIT_PER_CLIENT from one
client in RESET_WINDOW_SECONDS; past that the form answers 429 with a translated message and
nothing is sent. Counted whether or not the e-mail belongs to an account, so the answer tells
nothing about who has one. Counters live in the cache (Redis in production: every web worker
sees the same counts).
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from org.signin.throttle import client_address

RESET_WINDOW_SECONDS = 60 * 60
RESET_LIMIT_PER_EMAIL = 3
RESET_LIMIT_PER_CLIENT = 10
RESET_REFUSED = _(
    "Too many password reset requests. Check your mailbox (and spam folder) for the link already sent, "
    "or try again in an hour."
)


def _count(key: str) -> int:
    """One more request under `key` in this window; the number so far."""
    cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=RESET_WINDOW_SECONDS)
        return 1


def reset_allowed(*, email: str, client: str | None) -> bool:
    email_key = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    for_email = _count(f"stride:password-reset:email:{email_key}")
    for_client = _count(f"stride:password-reset:client:{client or 'unknown'}")
    return for_email <= RESET_LIMIT_PER_EMAIL and for_client <= RESET_LIMIT_PER_CLIENT


class ThrottledPasswordResetView(PasswordResetView):
    def form_valid(self, form):
        if reset_allowed(email=form.cleaned_data["email"], client=client_address(self.request)):
            return super().form_valid(form)
        form.add_error(None, RESET_REFUSED)
        response = self.form_invalid(form)
        response.status_code = 429
        response["Retry-After"] = str(RESET_WINDOW_SECONDS)
        return response
