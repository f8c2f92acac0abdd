"""Reading an .xlsx (first sheet) or .csv upload into numbered rows of raw cell values.

Every file first passes the checks in `core.spreadsheets.safety`; reading then stays within
MAX_ROWS rows and the header's width, and refuses what it cannot read with a message that
says what to do.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.spreadsheets.columns import column_letter
from core.spreadsheets.problems import SpreadsheetError
from core.spreadsheets.safety import (
    EXTRA_COLUMNS,
    FORMULA_START,
    MAX_COLUMNS,
    MAX_LINE_CHARS,
    MAX_ROWS,
    ZIP_MAGIC,
    check_file_type,
    check_upload_size,
    inspect_workbook,
    too_many_rows,
    too_wide,
    unreadable,
)

_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xls"}


@dataclass
class Table:
    """The non-blank rows of a sheet: (row number, cell values). The first is the header."""

    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    formulas: dict[int, set[int]] = field(default_factory=dict)  # row number → indexes of formula cells

    @property
    def header(self) -> tuple[int, list[object]]:
        return self.rows[0]

    @property
    def body(self) -> list[tuple[int, list[object]]]:
        return self.rows[1:]


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


PROGRESS_EVERY = 1_000  # rows between two calls of a reader's `progress`


def _build_table(numbered, *, empty_message: str, no_rows_message: str, progress=None) -> Table:
    """Keep the non-blank rows; every row read counts toward the limit, blank or not.

    `progress(rows)`, when given, is called every PROGRESS_EVERY rows read and once at the end.
    """
    table = Table()
    for count, (number, cells, formulas) in enumerate(numbered, start=1):
        if count > MAX_ROWS + 1:
            raise too_many_rows()
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
        if formulas:
            table.formulas[number] = formulas
        if not formulas and all(_is_blank(c) for c in cells):
            continue
        table.rows.append((number, cells))
    if not table.rows:
        raise SpreadsheetError(empty_message)
    if len(table.rows) == 1:
        raise SpreadsheetError(no_rows_message)
    if progress is not None:
        progress(len(table.rows) - 1)
    return table


def _read_numbered(filename: str, data: bytes, *, shown: bool):
    check_upload_size(len(data))
    check_file_type(filename=filename, data=data)
    if data.startswith(ZIP_MAGIC):
        inspect_workbook(filename=filename, data=data)
        return _read_xlsx(filename, data, shown=shown)
    if PurePath((filename or "").lower()).suffix in _EXCEL_SUFFIXES:
        raise unreadable(filename)  # an old .xls, or something else wearing an Excel name
    return _read_csv(filename, data)


def read_upload(
    *, filename: str, data: bytes, empty_message: str, no_rows_message: str, shown: bool = True, progress=None
) -> Table:
    """The rows of an .xlsx (first sheet) or .csv (UTF-8 with or without BOM, or GBK/GB18030) upload.

    Blank rows are skipped but keep their place in the numbering, so row numbers match what
    the person sees in Excel. Formula cells are read as empty and listed in `Table.formulas`
    (the importer refuses them). Raises SpreadsheetError for a file it cannot use; the caller
    words what an empty (`empty_message`) or header-only (`no_rows_message`) file lacks.
    `progress(rows)` hears how far reading got (a background import shows it).

    With `shown`, a number an .xlsx shows as a percentage (Excel turns a typed "95%" into 0.95
    formatted 0%) is read as the text Excel shows, "95%", so the caller can tell 95 % from 0.95;
    without it, as the number stored.
    """
    return _build_table(
        _read_numbered(filename, data, shown=shown),
        progress=progress,
        empty_message=empty_message,
        no_rows_message=no_rows_message,
    )


def _shown_value(cell) -> object:
    value = cell.value
    number_format = getattr(cell, "number_format", None) or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
        shown = Decimal(str(value)) * 100
        return f"{shown.normalize():f}%"
    return value


def _header_width(sheet) -> int:
    """How many columns the first non-blank row spans (its own width: no padding to a declared range)."""
    for count, cells in enumerate(sheet.iter_rows(min_row=1), start=1):
        if count > MAX_ROWS + 1:
            raise too_many_rows()
        filled = [index for index, cell in enumerate(cells) if not _is_blank(cell.value)]
        if filled:
            width = filled[-1] + 1
            if width > MAX_COLUMNS:
                raise too_wide(width)
            return width
    return 0


def _read_xlsx(filename: str, data: bytes, *, shown: bool):
    """(row number, values, formula column indexes) of the first sheet, one row at a time."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # a damaged or disguised file fails in many ways inside openpyxl/zipfile
        raise unreadable(filename) from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # read what is there, not the range the sheet declares
        width = _header_width(sheet)
        if not width:
            return
        for number, cells in enumerate(sheet.iter_rows(min_row=1, max_col=width + EXTRA_COLUMNS), start=1):
            values, formulas = [], set()
            for index, cell in enumerate(cells):
                if cell.data_type == "f":
                    formulas.add(index)
                    values.append(None)
                else:
                    values.append(_shown_value(cell) if shown else cell.value)
            while values and values[-1] is None and len(values) - 1 not in formulas:
                values.pop()  # the columns read right of the header, when empty
            yield number, values, formulas
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise unreadable(filename) from exc
    finally:
        workbook.close()


def formula_message(row: int, index: int) -> str:
    """The row problem for a formula cell (Stride reads values, and a formula's result may not be saved)."""
    return _(
        "Cell %(cell)s holds a formula; Stride reads values only. Copy the column and paste it back with "
        "Paste Special → Values, then upload the file again."
    ) % {"cell": f"{column_letter(index)}{row}"}


def _decode(filename: str, data: bytes) -> str:
    if b"\x00" in data:  # UTF-16, .xls, images …: text files never hold NUL bytes
        raise unreadable(filename)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # a superset of GBK: what Chinese Excel writes for "CSV"
    except UnicodeDecodeError as exc:
        raise unreadable(filename) from exc


def _unescape_formula(value: str) -> str:
    """Undo the quote an export puts before a formula-looking value ("'=1" → "=1")."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def _lines(filename: str, text: str):
    for line in io.StringIO(text, newline=""):
        if len(line) > MAX_LINE_CHARS:
            raise SpreadsheetError(
                _(
                    "A line of “%(name)s” is longer than %(max)s characters. Check that it is the right file and "
                    "upload it again."
                )
                % {"name": PurePath(filename or "").name, "max": MAX_LINE_CHARS}
            )
        yield line


def _read_csv(filename: str, data: bytes):
    """(row number, values, no formulas) of a CSV file, one row at a time, each line and row bounded."""
    text = _decode(filename, data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count) if first_line else ","
    width = None
    try:
        for number, cells in enumerate(csv.reader(_lines(filename, text), delimiter=delimiter), start=1):
            if width is None and not all(_is_blank(c) for c in cells):
                width = max(i for i, c in enumerate(cells) if not _is_blank(c)) + 1
                if width > MAX_COLUMNS:
                    raise too_wide(width)
            if width is not None:
                cells = cells[: width + EXTRA_COLUMNS]
            yield number, [_unescape_formula(c) for c in cells], set()
    except csv.Error as exc:
        raise unreadable(filename) from exc
