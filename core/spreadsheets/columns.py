"""A spreadsheet's columns and header row: naming columns in English or Chinese, finding them in a header."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.spreadsheets.problems import SpreadsheetError
from core.text import join_words

if TYPE_CHECKING:
    from core.spreadsheets.reading import Table


@dataclass(frozen=True)
class Column:
    key: str
    english: str
    chinese: str
    required: bool  # the column must be in the file
    aliases: tuple[str, ...] = ()
    value_required: bool = False  # every row must fill it in

    def header(self, *, chinese: bool) -> str:
        return self.chinese if chinese else self.english


def normalise_header(text: object) -> str:
    """'  Manager's  Employee-Number (optional)' → "managersemployeenumber"; '工号*' → '工号'."""
    value = unicodedata.normalize("NFKC", str(text or "")).casefold()
    value = re.sub(r"\([^)]*\)", "", value)
    return re.sub(r"[\s_\-'’‘.:*]", "", value)


def header_lookup(columns: Iterable[Column]) -> dict[str, str]:
    """Every way of writing each column's header (key, English, Chinese, aliases), normalised → its key."""
    lookup: dict[str, str] = {}
    for column in columns:
        for name in (column.key, column.english, column.chinese, *column.aliases):
            lookup[normalise_header(name)] = column.key
    return lookup


def use_chinese_headers() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE).lower().startswith("zh")


def header_positions(
    table: Table, *, columns, key_for_header, text, chinese: bool
) -> tuple[dict[str, int], dict[str, str]]:
    """Column key → position and → header text of a spreadsheet's header row.

    One file-level SpreadsheetError lists everything wrong with the header: required columns
    missing, unknown or repeated columns, and values under a column without a header.
    `columns` are Column-like (key, required, header(chinese=…)); `key_for_header(text)` maps a
    header to a key or None; `text(cell)` gives a cell's text.
    """
    _number, cells = table.header
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, cell in enumerate(cells):
        header = text(cell)
        if not header:
            continue
        key = key_for_header(header)
        if key is None:
            unknown.append(header)
        elif key in positions:
            repeated.append(header)
        else:
            positions[key] = index
            labels[key] = header
    missing = [c.header(chinese=chinese) for c in columns if c.required and c.key not in positions]
    headerless = sorted(
        {
            index
            for _row, values in table.body
            for index, value in enumerate(values)
            if text(value) and (index >= len(cells) or not text(cells[index]))
        }
    )
    parts = []
    if missing:
        parts.append(
            _("The file has no column for: %(columns)s. Add these columns to the header row.")
            % {"columns": join_words(f"“{m}”" for m in missing)}
        )
    if unknown:
        parts.append(
            _("Stride does not know these columns: %(columns)s. Rename them to the template's headers or delete them.")
            % {"columns": join_words(f"“{u}”" for u in unknown)}
        )
    if repeated:
        parts.append(
            _("These columns appear more than once: %(columns)s. Keep only one of each.")
            % {"columns": join_words(f"“{r}”" for r in repeated)}
        )
    if headerless:
        parts.append(
            _("Columns %(columns)s have values but no header. Give them a header or delete them.")
            % {"columns": join_words(column_letter(i) for i in headerless)}
        )
    if parts:
        parts.append(_("Download the template to see the expected columns."))
        raise SpreadsheetError(" ".join(parts))
    return positions, labels


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
