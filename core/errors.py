"""One error model for the whole application (see STYLE.md, "Errors")."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A rule of the domain was broken. `code` is stable, `message` is for people.

    `extra` may hold `{"errors": {"field": ["message", ...]}}` for per-field problems,
    plus any plain values a caller or client needs.
    """

    status_code = 400

    def __init__(self, code: str, message: Any, extra: dict[str, Any] | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.extra = extra or {}

    def __str__(self) -> str:
        return str(self.message)
