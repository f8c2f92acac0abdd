"""One error model for the whole application (see STYLE.md, "Errors").

Each app lists its codes in its own ``errors.py`` as an :class:`ErrorCode` enum (Saleor's
``error_codes.py`` is the example). A code may declare the HTTP status the API answers with;
the exception handler (``core.api``) reads it through :func:`http_status_for` — services and
views never choose a status.
"""

from __future__ import annotations

from enum import StrEnum
from http import HTTPStatus
from typing import Any


class ErrorCode(StrEnum):
    """Base of each app's error codes. The value is the API's stable ``type``; a member written as
    ``NOT_EDITABLE = "goals.not_editable", HTTPStatus.CONFLICT`` also names its HTTP status
    (400 Bad Request unless given)."""

    http_status: HTTPStatus

    def __new__(cls, value: str, http_status: HTTPStatus = HTTPStatus.BAD_REQUEST):
        member = str.__new__(cls, value)
        member._value_ = value
        member.http_status = HTTPStatus(http_status)
        return member


class ApplicationError(Exception):
    """A rule of the domain was broken. `code` is stable, `message` is for people.

    `extra` may hold `{"errors": {"field": ["message", ...]}}` for per-field problems,
    plus any plain values a caller or client needs.
    """

    def __init__(self, code: ErrorCode | str, message: Any, extra: dict[str, Any] | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.extra = extra or {}

    def __str__(self) -> str:
        return str(self.message)


def http_status_for(code: ErrorCode | str) -> int:
    """The HTTP status an error code answers with: the one its enum member declares, else 400."""
    return int(getattr(code, "http_status", HTTPStatus.BAD_REQUEST))
