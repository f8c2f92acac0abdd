"""Choosing one of a page's options from the query string (`?period=<id>`), safely.

What a reader types in the address bar is not trusted: a value that is not a plain positive
integer, is too large for a database id, or names no option gives the caller's default — never
a server error. Which option is the default is the caller's business (e.g. goals'
`period_default()`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db.models import QuerySet

T = TypeVar("T")

MAX_ID = 2**63 - 1  # the largest id a (big) integer primary key can hold
_DIGITS = re.compile(r"[0-9]+")


def parse_id(value: Any) -> int | None:
    """A positive integer id from a query-string value (or an int), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        ident = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        ident = int(value)
    else:
        return None
    return ident if 0 < ident <= MAX_ID else None


def pick(value: Any, choices: QuerySet | Mapping[int, T] | Iterable[T], default: T | None = None) -> T | None:
    """The choice whose id (`pk`) is `value`, else `default`.

    `choices` is a QuerySet (one query, and only when `value` is a valid id), a mapping of id →
    option, or options already loaded (matched by their `pk`, no query)."""
    ident = parse_id(value)
    if ident is None:
        return default
    if isinstance(choices, QuerySet):
        found = choices.filter(pk=ident).first()
        return default if found is None else found
    if isinstance(choices, Mapping):
        return choices.get(ident, default)
    return next((choice for choice in choices if choice.pk == ident), default)
