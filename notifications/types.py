"""Kinds of notification. Each app registers its own kinds when it starts (AppConfig.ready).

A kind has a label people see in their preferences and the channels it uses by default;
a person's NotificationPreference rows override the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

GENERAL = "general"


@dataclass(frozen=True)
class NotificationType:
    code: str
    label: str | Promise
    email: bool = True  # sent by e-mail unless the person turns it off
    chat: bool = False  # posted to team-chat bots that take this kind


_registry: dict[str, NotificationType] = {}


def register(code: str, label: str | Promise, *, email: bool = True, chat: bool = False) -> NotificationType:
    kind = NotificationType(code=code, label=label, email=email, chat=chat)
    _registry[code] = kind
    return kind


def get(code: str) -> NotificationType:
    """The registered kind, or a plain in-app-and-e-mail kind for an unknown code."""
    return _registry.get(code) or NotificationType(code=code, label=code)


def all_types() -> list[NotificationType]:
    return sorted(_registry.values(), key=lambda t: t.code)


register(GENERAL, _("General"))
