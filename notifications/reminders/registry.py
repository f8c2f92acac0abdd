"""What apps register: a reminder source with its parameters (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.functional import Promise

from notifications import types
from org.models import User
from org.working_days import WorkingCalendar

INT, DATE, STR = "int", "date", "str"
KIND_PREFIX = "reminder_"


@dataclass(frozen=True)
class ReminderParam:
    """One parameter HR can set on a rule."""

    name: str
    type: str  # INT, DATE or STR
    label: str | Promise
    default: Any = None
    help_text: str | Promise = ""
    required: bool = False  # a value is needed before the rule can be turned on
    min_value: int | None = None
    max_value: int | None = None
    validate: Callable[[Any], None] | None = None  # raises ValidationError for a bad value


@dataclass(frozen=True)
class Occasion:
    """One reminder to send: to whom, for what (the key that makes it once), saying what."""

    recipient: User
    key: str
    message: str | Promise
    params: dict = field(default_factory=dict)
    url: str = ""


Source = Callable[[dict, date, WorkingCalendar], Iterable[Occasion]]


@dataclass(frozen=True)
class ReminderSource:
    code: str
    label: str | Promise
    description: str | Promise
    params: tuple[ReminderParam, ...]
    default_enabled: bool
    source: Source | None
    order: int

    @property
    def kind(self) -> str:
        return KIND_PREFIX + self.code

    @property
    def waiting(self) -> bool:
        """Registered for a feature that has not registered its source yet."""
        return self.source is None

    def default_params(self) -> dict:
        return {p.name: stored_value(p, p.default) for p in self.params}


_registry: dict[str, ReminderSource] = {}
_UNSET: Any = object()


def register_reminder(
    code: str,
    *,
    label: str | Promise = _UNSET,
    description: str | Promise = _UNSET,
    params: Iterable[ReminderParam] = _UNSET,
    default_enabled: bool = _UNSET,
    source: Source | None = _UNSET,
    chat: bool = False,
) -> ReminderSource:
    """Register (or complete) a reminder source. Arguments left out keep what was registered."""
    known = _registry.get(code)

    def pick(value, attribute, fallback):
        if value is not _UNSET:
            return value
        return getattr(known, attribute) if known is not None else fallback

    registered = ReminderSource(
        code=code,
        label=pick(label, "label", code),
        description=pick(description, "description", ""),
        params=tuple(pick(params, "params", ())),
        default_enabled=pick(default_enabled, "default_enabled", False),
        source=pick(source, "source", None),
        order=known.order if known is not None else len(_registry),
    )
    _registry[code] = registered
    if not registered.waiting:
        types.register(registered.kind, registered.label, chat=chat)
    return registered


def reminder_source_get(code: str) -> ReminderSource | None:
    return _registry.get(code)


def reminder_sources() -> list[ReminderSource]:
    """Rules that can run first, then those waiting for their feature; each in registration order."""
    return sorted(_registry.values(), key=lambda s: (s.waiting, s.order))


def stored_value(param: ReminderParam, value: Any) -> Any:
    """The JSON form of a typed value."""
    if value in (None, ""):
        return None if param.type != STR else ""
    if param.type == DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    return value
