"""Text shown to people that depends on the reader's language, shared by every app."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import get_language

CHINESE_LIST_SEPARATOR = "、"
LIST_SEPARATOR = ", "


def join_words(items: Iterable[object]) -> str:
    """A list of names or words for reading: “甲、乙、丙” in Chinese, “a, b, c” in English."""
    chinese = (get_language() or settings.LANGUAGE_CODE).lower().startswith("zh")
    return (CHINESE_LIST_SEPARATOR if chinese else LIST_SEPARATOR).join(str(item) for item in items)
