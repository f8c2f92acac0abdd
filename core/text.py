"""Text shown to people that depends on the reader's language, shared by every app."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.utils.translation import get_language, ngettext

CHINESE_LIST_SEPARATOR = "、"
LIST_SEPARATOR = ", "


def join_words(items: Iterable[object]) -> str:
    """A list of names or words for reading: “甲、乙、丙” in Chinese, “a, b, c” in English."""
    chinese = (get_language() or settings.LANGUAGE_CODE).lower().startswith("zh")
    return (CHINESE_LIST_SEPARATOR if chinese else LIST_SEPARATOR).join(str(item) for item in items)


def join_some(items: Sequence[object], *, limit: int = 10) -> str:
    """The first `limit` items joined for reading, then how many more: “3, 4, 5 … and 9,990 more”."""
    shown = join_words(items[:limit])
    rest = len(items) - limit
    if rest <= 0:
        return shown
    return ngettext("%(items)s and %(count)s more", "%(items)s and %(count)s more", rest) % {
        "items": shown,
        "count": rest,
    }
