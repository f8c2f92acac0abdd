"""Who may manage reminder rules."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from org.models import User
from org.selectors import user_manages_org


def reminder_access_for_manage(*, actor: User) -> None:
    """Reminder rules are HR's (and admins')."""
    if not actor.is_authenticated:
        raise PermissionDenied
    if not user_manages_org(actor):
        raise PermissionDenied
