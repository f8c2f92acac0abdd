"""Putting a service's refusal on the form that asked for it (one rule for every HTML view)."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.errors import ApplicationError


def apply_error_to_form(
    form: forms.Form,
    error: Exception,
    *,
    field_names: Mapping[str, str] | None = None,
    summary: bool = False,
) -> None:
    """Put a service error on `form`, so the page shows it where the reader fixes it.

    - `ApplicationError` with `extra["errors"]` (`{"field": ["message", ...]}`, a single message
      also accepted): each field's messages go on that field when the form has it; messages for
      `"__all__"` go on the form as a whole. The error's own message, which sums them up, goes on
      the form as a whole when none of them could be placed (or always, with `summary=True`);
      messages for fields the form lacks then go on the form as a whole too, unless the summary
      already stands for them.
    - Django `ValidationError` with a dict (`full_clean()`): per field likewise, the rest on the
      form as a whole; a `ValidationError` without one, and any other error, on the form as a whole.

    `field_names` translates a service's field name into the form's, e.g. `{"comment": "reason"}`,
    used when the form has the translated field.
    """
    if isinstance(error, ApplicationError):
        _apply_application_error(form, error, field_names or {}, summary=summary)
    elif isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, problems in error.error_dict.items():
            form.add_error(_field_of(form, name, field_names or {}), problems)
    elif isinstance(error, ValidationError):
        form.add_error(None, error)
    else:
        form.add_error(None, str(error))


def _field_of(form: forms.Form, name: str, field_names: Mapping[str, str]) -> str | None:
    """The form's field for a service's field name, or None (the form as a whole)."""
    translated = field_names.get(name, name)
    if translated in form.fields:
        return translated
    return name if name in form.fields else None


def _apply_application_error(
    form: forms.Form, error: ApplicationError, field_names: Mapping[str, str], *, summary: bool
) -> None:
    per_field = (error.extra or {}).get("errors") or {}
    placed: list[tuple[str | None, list]] = []
    unplaced: list = []
    for name, problems in per_field.items():
        messages = [str(m) for m in (problems if isinstance(problems, list | tuple) else [problems])]
        if not messages:
            continue
        target = _field_of(form, name, field_names)
        if target is not None or name == NON_FIELD_ERRORS:
            placed.append((target, messages))
        else:
            unplaced.extend(messages)
    if summary or not placed:
        form.add_error(None, str(error.message))
    for target, messages in placed:
        form.add_error(target, messages)
    if unplaced and (summary or placed):
        form.add_error(None, unplaced)
