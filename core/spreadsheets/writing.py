"""Writing spreadsheets to download: UTF-8 CSV with a BOM, and .xlsx workbooks whose text is never a formula."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.spreadsheets.safety import FORMULA_START

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def write_csv(*, header: list[str], rows: list[list[object]]) -> bytes:
    """UTF-8 with a BOM, so Excel opens Chinese text correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: object) -> str:
    text = _text(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _xlsx_cell(sheet, value: object, *, bold: bool = False, wrap: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_text(value) if value is not None else None)
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: list[list[object]]
    widths: list[int] = field(default_factory=list)
    wrap: bool = False  # wrap long text (the instructions sheet)


def write_xlsx(*, sheets: list[Sheet]) -> bytes:
    """A workbook with a bold header row on each sheet; every value is written as text, never a formula."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", spec.title)[:31])  # Excel's rules
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([_xlsx_cell(sheet, h, bold=True) for h in spec.header])
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, v, wrap=spec.wrap) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _typed_cell(sheet, value: object, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | date):
        return _xlsx_cell(sheet, value, bold=bold)
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_xlsx_typed(*, sheets: list[Sheet]) -> bytes:
    """Like `write_xlsx`, but numbers and dates stay numbers and dates (for exports people calculate with).

    Text is still written as text, never as a formula.
    """
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", spec.title)[:31])
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([_xlsx_cell(sheet, h, bold=True) for h in spec.header])
        for row in spec.rows:
            sheet.append([_typed_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
