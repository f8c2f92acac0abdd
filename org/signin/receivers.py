"""Sign-in receivers: every successful sign-in (login page, admin login) gets its session length."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from org.signin.sessions import REMEMBER_FIELD, session_start


@receiver(user_logged_in, dispatch_uid="org.signin.session_length")
def set_session_length(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    remember = request.method == "POST" and request.POST.get(REMEMBER_FIELD) in {"on", "true", "1"}
    session_start(request=request, user=user, remember=remember)
