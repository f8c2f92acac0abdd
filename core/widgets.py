"""Form widgets every app uses for dates and numbers, so values round-trip in every language.

A browser's `<input type="date">` reads only ISO dates (yyyy-mm-dd) and `<input type="number">`
only plain numbers (no grouping, `.` as the decimal mark), whatever the page's language shows.
Django's own DateInput renders the active language's first input format instead (2026/12/31
in Chinese), which the browser drops: saving the form then empties the field.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """`<input type="date">` with its value in ISO format (yyyy-mm-dd) in every language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATE)

    def format_value(self, value):
        if isinstance(value, date):
            return value.strftime(ISO_DATE)
        return super().format_value(value)


def plain_number(value) -> str | None:
    """A number as a number input reads it: 82, 0.95, 1000000 — no grouping, no exponent, no trailing zeros."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    return str(value)


class NumberInput(forms.NumberInput):
    """`<input type="number" step="any">` whose value is a plain number in every language."""

    def __init__(self, attrs=None):
        super().__init__({"step": "any", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int | float | Decimal):
            return plain_number(value)
        return super().format_value(value)  # typed text shown back as typed
