"""The progress spreadsheet: its columns, its header, and each row's cells read on their own.

Shared by the import (goals.progress.importing, which adds the checks that need the database) and the
template (goals.progress.exporting). Cells arrive as
openpyxl or CSV values: numbers, dates, or text in any width (full-width digits are normal in
Chinese input methods); each parser returns a plain value or raises ValueError.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from core.spreadsheets import Column, Problem, ProblemList, Table, formula_message, header_lookup, normalise_header
from core.spreadsheets import header_positions as sheet_header_positions
from core.text import join_words
from goals.models import Measurement
from goals.progress.rules import PROGRESS_GRACE_AFTER_END, percent_unit

# --- columns ---------------------------------------------------------------------------------

COLUMNS: tuple[Column, ...] = (
    Column(
        "key_result_id",
        "Key result ID",
        "关键结果编号",
        True,
        ("kr id", "id", "关键结果id", "编号"),
        value_required=True,
    ),
    Column("objective", "Objective", "目标", False, ("objective title", "目标名称")),
    Column("owner", "Owner", "负责人", False, ("所有人", "责任人")),
    Column("key_result", "Key result", "关键结果", False, ("key result title", "关键结果名称")),
    Column("unit", "Unit", "单位", False, ("计量单位",)),
    Column("target", "Target", "目标值", False, ()),
    Column("current_value", "Current value", "当前值", False, ("current", "最新值")),
    Column("value", "Value", "本次数值", True, ("new value", "数值", "实际值", "完成值", "进度值")),
    Column("as_of", "As-of date", "截至日期", True, ("as of", "date", "日期", "数据日期", "统计日期")),
    Column("confidence", "Confidence", "信心", False, ("信心指数", "进展状态")),
    Column("comment", "Comment", "说明", False, ("comments", "note", "notes", "备注")),
    Column(
        "evidence_url", "Evidence link", "证据链接", False, ("evidence", "evidence url", "link", "链接", "佐证链接")
    ),
)
# The columns that are read; the others only help the person filling the file in.
INPUT_COLUMNS = frozenset({"key_result_id", "value", "as_of", "confidence", "comment", "evidence_url"})
_POSITION = {column.key: index for index, column in enumerate(COLUMNS)}
_HEADER_LOOKUP = header_lookup(COLUMNS)

DATE_GRACE = PROGRESS_GRACE_AFTER_END  # after the period's end (year-end figures arrive in January)
_EVIDENCE_MAX = Measurement._meta.get_field("evidence_url").max_length
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DONE_WORDS = {"done", "yes", "y", "true", "完成", "已完成", "是"}
_NOT_DONE_WORDS = {"notdone", "no", "n", "false", "未完成", "否"}


def use_chinese_headers() -> bool:
    return (translation.get_language() or "en").lower().startswith("zh")


def header_row() -> list[str]:
    chinese = use_chinese_headers()
    return [c.header(chinese=chinese) for c in COLUMNS]


def header_for(key: str) -> str:
    """A column's header in the active language (for messages about a column the file lacks)."""
    return COLUMNS[_POSITION[key]].header(chinese=use_chinese_headers())


def position_of(key: str) -> int:
    return _POSITION[key]


def key_for_header(text: str) -> str | None:
    """The column a header names (English or Chinese, any case or spacing), or None."""
    return _HEADER_LOOKUP.get(normalise_header(text))


# --- reading cells ---------------------------------------------------------------------------


def text_of(value: object, *, as_typed: bool = False) -> str:
    """A cell as text. Codes and numbers are NFKC-normalised (full-width "１２" → "12"); `as_typed`
    keeps free text such as a comment exactly as written (Chinese punctuation stays full-width)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text if as_typed else unicodedata.normalize("NFKC", text)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def squash(text: str) -> str:
    return re.sub(r"[\s_\-]", "", unicodedata.normalize("NFKC", text).casefold())


def is_percent_unit(unit: str) -> bool:
    return percent_unit(unit)


def parse_key_result_id(value: object) -> int:
    """A key result id from a cell; ValueError when it is not one."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = text_of(value).lstrip("#")
    if not text.isascii() or not text.isdigit():
        raise ValueError(value)
    return int(text)


@dataclass(frozen=True)
class ParsedNumber:
    value: Decimal
    percent: bool  # written with a "%" sign


def parse_number(value: object, *, unit: str = "", unit_en: str = "") -> ParsedNumber:
    """A number from a cell: 1234.5, "1,234.5", "１２３", "95%", "12 家" or "12 customers" (the key result's unit in
    either language). ValueError if not."""
    if isinstance(value, bool):
        return ParsedNumber(Decimal(int(value)), percent=False)
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite():
            raise ValueError(value)
        return ParsedNumber(number, percent=False)
    text = text_of(value).replace("\u2212", "-")  # a typographic minus
    text = re.sub(r"\s+", "", text)
    for name in (unit, unit_en):
        unit_text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or "")).casefold()
        if unit_text and unit_text != "%" and text.casefold().endswith(unit_text) and len(text) > len(unit_text):
            text = text[: -len(unit_text)]
            break
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise ValueError(value)
    return ParsedNumber(Decimal(text), percent=percent)


def parse_done(value: object) -> Decimal | None:
    """1 or 0 for a done / not-done word, None when the cell holds something else."""
    if isinstance(value, bool):
        return Decimal(int(value))
    word = squash(text_of(value))
    if word in _DONE_WORDS:
        return Decimal(1)
    if word in _NOT_DONE_WORDS:
        return Decimal(0)
    return None


def parse_date(value: object) -> date:
    """A date from a cell (a date cell, an Excel serial number, 2026-03-31, 2026/3/31, 2026年3月31日)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # Excel's serial numbers: 1900-01-01 … 9999-12-31
            raise ValueError(value)
        return from_excel(value).date()
    match = _DATE.match(text_of(value))
    if not match:
        raise ValueError(value)
    year, month, day = (int(part) for part in match.groups())
    return date(year, month, day)


def confidence_lookup() -> dict[str, str]:
    """Every accepted spelling of a confidence → its code: codes, English and Chinese labels."""
    lookup: dict[str, str] = {}
    chinese = {
        Measurement.Confidence.ON_TRACK: ("正常", "进展正常", "按计划"),
        Measurement.Confidence.AT_RISK: ("有风险", "风险"),
        Measurement.Confidence.OFF_TRACK: ("落后", "滞后", "偏离"),
    }
    for choice in Measurement.Confidence:
        names = {choice.value, *chinese[choice]}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.add(str(choice.label))
        for name in names:
            lookup[squash(name)] = choice.value
    return lookup


def confidence_choices_text() -> str:
    return join_words(f"{c.value} ({c.label})" for c in Measurement.Confidence)


# --- shared formatting -----------------------------------------------------------------------


def plain_number(value: Decimal | None) -> str:
    """60, not 60.0000; 12.5, not 1.25E+1."""
    if value is None:
        return ""
    normal = value.normalize()
    return f"{normal:f}"


# --- reading rows ----------------------------------------------------------------------------


class Problems(ProblemList):
    def __init__(self, labels: dict[str, str]):
        super().__init__()
        self.labels = labels

    def add(self, row: int | None, key: str, message: str) -> None:
        label = self.labels.get(key) or header_for(key)
        self.keep(Problem(row=row, column=label, message=message, position=position_of(key)))


@dataclass
class RowInput:
    row: int
    key_result_id: int | None
    number: ParsedNumber | None
    raw_value: object
    as_of: date | None
    confidence: str
    comment: str
    evidence_url: str
    bad: set[str] = field(default_factory=set)


def header_positions(table: Table) -> tuple[dict[str, int], dict[str, str]]:
    """Column key → position and header text; a file-level error for anything wrong with the header."""
    return sheet_header_positions(
        table, columns=COLUMNS, key_for_header=key_for_header, text=text_of, chinese=use_chinese_headers()
    )


def read_rows(table: Table, positions: dict[str, int], problems: Problems) -> tuple[list[RowInput], int]:
    """Each row with a value, its cells parsed on their own; rows without a value are skipped."""
    reader = _RowReader(positions=positions, problems=problems)
    rows: list[RowInput] = []
    skipped = 0
    for number, cells in table.body:
        formulas = {key for key in INPUT_COLUMNS if positions.get(key) in table.formulas.get(number, ())}
        item = reader.read(number, cells, formulas)
        if item is None:
            skipped += 1
        else:
            rows.append(item)
    return rows, skipped


class _RowReader:
    """Parses one row's cells, each on its own, and files a problem for each cell it cannot use."""

    def __init__(self, *, positions: dict[str, int], problems: Problems):
        self.positions = positions
        self.problems = problems
        self.confidences = confidence_lookup()
        self.validate_url = URLValidator(schemes=["http", "https"])

    def read(self, number: int, cells: list[object], formulas: set[str]) -> RowInput | None:
        """The row's input, or None when it has no value (the row is skipped)."""

        def cell(key: str) -> object:
            index = self.positions.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        raw_value = cell("value")
        if is_blank(raw_value) and "value" not in formulas:
            return None
        item = RowInput(
            row=number,
            key_result_id=None,
            number=None,
            raw_value=raw_value,
            as_of=None,
            confidence=Measurement.Confidence.ON_TRACK,
            comment=text_of(cell("comment"), as_typed=True),
            evidence_url=text_of(cell("evidence_url")),
        )
        for key in sorted(formulas, key=position_of):
            self._bad(item, key, formula_message(number, self.positions[key]))
        if "key_result_id" not in formulas:
            self._key_result_id(item, cell("key_result_id"))
        try:
            item.number = parse_number(raw_value)
        except (ValueError, InvalidOperation):
            item.number = None  # may still be a done / not-done word or carry the key result's unit
        if "as_of" not in formulas:
            self._as_of(item, cell("as_of"))
        self._confidence(item, text_of(cell("confidence")))
        if item.evidence_url:
            self._evidence_url(item)
        return item

    def _bad(self, item: RowInput, key: str, message: str) -> None:
        item.bad.add(key)
        self.problems.add(item.row, key, message)

    def _key_result_id(self, item: RowInput, raw_id: object) -> None:
        if is_blank(raw_id):
            self._bad(
                item,
                "key_result_id",
                _("This row has a value but no key result ID. Copy the row's ID from a freshly downloaded template."),
            )
            return
        try:
            item.key_result_id = parse_key_result_id(raw_id)
        except ValueError:
            self._bad(
                item,
                "key_result_id",
                _("“%(value)s” is not a key result ID. Copy the ID from a freshly downloaded template.")
                % {"value": text_of(raw_id)},
            )

    def _as_of(self, item: RowInput, raw_date: object) -> None:
        if is_blank(raw_date):
            self._bad(
                item, "as_of", _("Enter the date the value was measured, as YYYY-MM-DD (for example 2026-03-31).")
            )
            return
        try:
            item.as_of = parse_date(raw_date)
        except (ValueError, OverflowError):
            self._bad(
                item,
                "as_of",
                _("“%(value)s” is not a date. Write it as YYYY-MM-DD, for example 2026-03-31.")
                % {"value": text_of(raw_date)},
            )

    def _confidence(self, item: RowInput, raw_confidence: str) -> None:
        if not raw_confidence:
            return
        code = self.confidences.get(squash(raw_confidence))
        if code is None:
            self._bad(
                item,
                "confidence",
                _("“%(value)s” is not a confidence. Write one of: %(choices)s — or leave it empty for on track.")
                % {"value": raw_confidence, "choices": confidence_choices_text()},
            )
        else:
            item.confidence = code

    def _evidence_url(self, item: RowInput) -> None:
        if len(item.evidence_url) > _EVIDENCE_MAX:
            self._bad(
                item,
                "evidence_url",
                _("The link has %(length)s characters; at most %(max)s are allowed. Use a shorter link.")
                % {"length": len(item.evidence_url), "max": _EVIDENCE_MAX},
            )
            return
        try:
            self.validate_url(item.evidence_url)
        except ValidationError:
            self._bad(
                item,
                "evidence_url",
                _("“%(value)s” is not a web link. Write the full address, starting with https:// or http://.")
                % {"value": item.evidence_url},
            )
