"""Kinds of notification. Each app registers its own kinds when it starts (AppConfig.ready).

A kind has a label people see in their preferences (worded for the person told: "My objective
was approved"), a label for HR's team-chat bots (worded for the group that reads it: "Objectives
approved"), and the channels it uses by default; a person's NotificationPreference rows
override the defaults.
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
    group_label: str | Promise = ""  # what a group chat is told, when it differs from `label`

    @property
    def label_for_group(self) -> str | Promise:
        return self.group_label or self.label


_registry: dict[str, NotificationType] = {}


def register(
    code: str,
    label: str | Promise,
    *,
    email: bool = True,
    chat: bool = False,
    group_label: str | Promise = "",
) -> NotificationType:
    kind = NotificationType(code=code, label=label, email=email, chat=chat, group_label=group_label)
    _registry[code] = kind
    return kind


def get(code: str) -> NotificationType:
    """The registered kind, or a plain in-app-and-e-mail kind for an unknown code."""
    return _registry.get(code) or NotificationType(code=code, label=code)


def all_types() -> list[NotificationType]:
    return sorted(_registry.values(), key=lambda t: t.code)


register(GENERAL, _("General"), group_label=_("General notices"))
