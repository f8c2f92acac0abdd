"""The org-chart spreadsheet: its columns, reading .xlsx/.csv uploads, writing exports and the template.

Reading turns bytes into numbered rows of raw cell values and refuses what it cannot read
with a message that says what to do. Validation and writing people live in `org.importing`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.text import join_words
from org.models import Employee
from org.rules import join_unit_path
from org.selectors import unit_paths

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
MAX_ROWS = 50_000
_ZIP_MAGIC = b"PK\x03\x04"
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xls"}
# A cell starting with one of these is a formula to Excel; exports neutralise it (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@")


# --- columns ---------------------------------------------------------------------------


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


COLUMNS: tuple[Column, ...] = (
    Column(
        "employee_number",
        "Employee number",
        "工号",
        True,
        ("employee no", "employee id", "emp no", "员工编号", "员工号"),
        value_required=True,
    ),
    Column("full_name", "Name", "姓名", True, ("full name", "中文名", "中文姓名"), value_required=True),
    Column("english_name", "English name", "英文名", False, ("英文姓名",)),
    Column(
        "email",
        "E-mail",
        "邮箱",
        True,
        ("email address", "e-mail address", "电子邮箱", "电子邮件", "邮件地址"),
        value_required=True,
    ),
    Column(
        "unit_path",
        "Unit path",
        "部门路径",
        True,
        ("unit", "department", "组织路径", "部门", "所属部门"),
        value_required=True,
    ),
    Column(
        "manager_number",
        "Manager's employee number",
        "上级工号",
        True,
        ("manager employee number", "manager number", "manager no", "直属上级工号", "上级员工编号"),
    ),
    Column("job_title", "Job title", "职位", True, ("title", "position", "岗位", "职务")),
    Column(
        "job_title_en",
        "English job title",
        "英文职位",
        False,
        ("english title", "job title english", "title en", "job title en", "英文岗位", "英文职务", "英文职位名称"),
    ),
    Column("grade_level", "Grade level", "职级", True, ("grade", "level", "级别")),
    Column("hire_date", "Hire date", "入职日期", False, ("start date", "date of hire", "入职时间")),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}


def normalise_header(text: object) -> str:
    """'  Manager's  Employee-Number (optional)' → "managersemployeenumber"; '工号*' → '工号'."""
    value = unicodedata.normalize("NFKC", str(text or "")).casefold()
    value = re.sub(r"\([^)]*\)", "", value)
    return re.sub(r"[\s_\-'’‘.:*]", "", value)


_HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.english, _column.chinese, *_column.aliases):
        _HEADER_LOOKUP[normalise_header(_name)] = _column.key


def column_for_header(text: object) -> str | None:
    """The column key a header cell names (English or Chinese, any case or spacing), or None."""
    return _HEADER_LOOKUP.get(normalise_header(text))


def use_chinese_headers() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE).lower().startswith("zh")


# --- reading -------------------------------------------------------------------------------


@dataclass
class Problem:
    """One thing wrong with an upload. `row` is the spreadsheet's row number (header = 1), None for the file."""

    row: int | None
    column: str
    message: str
    position: int = 0  # the column's place in COLUMNS, to list a row's problems left to right

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


MAX_PROBLEMS = 200  # kept per file; the rest are only counted


class ProblemList(list):
    """The problems found in one file: the first MAX_PROBLEMS of them, and how many more there are.

    Collecting stops there, so a file with 50,000 bad rows costs no more than one with 200.
    """

    def __init__(self):
        super().__init__()
        self.more = 0

    def keep(self, problem: Problem) -> None:
        if len(self) < MAX_PROBLEMS:
            self.append(problem)
        else:
            self.more += 1


EMPTY_FILE_MESSAGE = gettext_lazy(
    "The file is empty (0 bytes): nothing was saved in it. Save the spreadsheet again and upload that file."
)


class SpreadsheetError(Exception):
    """The file as a whole cannot be used; `problem` says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.problem = Problem(row=None, column="", message=message)


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


def check_upload_size(size: int) -> None:
    """Refuse a file over settings.STRIDE_MAX_UPLOAD_BYTES before reading it."""
    limit = settings.STRIDE_MAX_UPLOAD_BYTES
    if size > limit:
        raise SpreadsheetError(
            _(
                "The file is %(size)s; the largest file Stride accepts is %(limit)s. "
                "Split it into smaller files and upload them one after another."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def _unreadable(filename: str) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "Stride cannot read the file “%(name)s”. In Excel, save it as UTF-8 CSV (“CSV UTF-8”) or as an "
            ".xlsx workbook, then upload it again."
        )
        % {"name": PurePath(filename or "").name}
    )


# What a file that is not a spreadsheet starts with: (magic bytes, what it is).
_NOT_SPREADSHEETS = (
    (b"\x89PNG\r\n\x1a\n", gettext_lazy("a PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"GIF87a", gettext_lazy("a GIF image")),
    (b"GIF89a", gettext_lazy("a GIF image")),
    (b"%PDF-", gettext_lazy("a PDF document")),
    (b"{\\rtf", gettext_lazy("an RTF document")),
    (b"Rar!", gettext_lazy("a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("a 7-Zip archive")),
)
# Inside a ZIP file: the folder (or mimetype) that says which kind of document it is.
_ZIP_DOCUMENTS = (
    ("word/", gettext_lazy("a Word document")),
    ("ppt/", gettext_lazy("a PowerPoint presentation")),
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97–2003: .xls, .doc, .ppt


def _other_spreadsheet(filename: str, kind: str) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "Stride cannot read the file “%(name)s”: it is %(kind)s. Open it, save it as UTF-8 CSV (“CSV UTF-8”) "
            "or as an .xlsx workbook, then upload it again."
        )
        % {"name": PurePath(filename or "").name, "kind": kind}
    )


def _not_a_spreadsheet(filename: str, kind: str) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "The file “%(name)s” is %(kind)s, not a spreadsheet. Upload the spreadsheet itself: an Excel "
            "workbook (.xlsx) or a CSV file."
        )
        % {"name": PurePath(filename or "").name, "kind": kind}
    )


def check_file_type(*, filename: str, data: bytes) -> None:
    """Refuse an empty file, and a file that is another kind of document (by its content, whatever its name).

    Each gets its own message: a 0-byte file was not saved or copied completely; an image, a PDF or
    a Word document was chosen by mistake; an old .xls or an .ods must be saved again as .xlsx or CSV.
    """
    if not data:
        raise SpreadsheetError(str(EMPTY_FILE_MESSAGE))
    for magic, kind in _NOT_SPREADSHEETS:
        if data.startswith(magic):
            raise _not_a_spreadsheet(filename, str(kind))
    if data.startswith(_OLE_MAGIC):
        suffix = PurePath((filename or "").lower()).suffix
        if suffix in {".doc", ".ppt"}:
            raise _not_a_spreadsheet(filename, _("an old Word or PowerPoint file"))
        raise _other_spreadsheet(filename, _("an Excel 97–2003 workbook (.xls)"))
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                mimetype = archive.read("mimetype") if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
            return  # damaged: reading it says so
        if any(n.startswith("xl/") for n in names):
            return
        if b"opendocument.spreadsheet" in mimetype:
            raise _other_spreadsheet(filename, _("an OpenDocument spreadsheet (.ods)"))
        for folder, kind in _ZIP_DOCUMENTS:
            if any(n.startswith(folder) for n in names):
                raise _not_a_spreadsheet(filename, str(kind))
        if b"opendocument" in mimetype:
            raise _not_a_spreadsheet(filename, _("an OpenDocument text or presentation"))
        raise _not_a_spreadsheet(filename, _("a ZIP archive"))


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- limits on what one upload may cost (docs/SECURITY.md) --------------------------------------
# A sheet is read up to MAX_ROWS rows below the header, every row counted, blank or not, and only as
# many columns as its header has (plus a few, to notice values without a header). Before openpyxl
# opens an .xlsx, its ZIP is inspected: a workbook that unpacks to far more than a sheet of MAX_ROWS
# rows needs, or whose sheet declares a range far beyond the limits, is refused unread.
MAX_COLUMNS = 100  # the widest header read
_EXTRA_COLUMNS = 5  # read right of the header, to find values that have no header
_MAX_LINE_CHARS = 100_000  # one CSV line
_MAX_ZIP_ENTRIES = 1_000
_MAX_PART_BYTES = 64 * 1024 * 1024  # one file inside the workbook, unpacked (a full 50,000-row sheet: ~25 MB)
_MAX_UNPACKED_BYTES = 160 * 1024 * 1024  # all of them
_MAX_RATIO = 200  # unpacked / packed, for parts over 1 MB (XML packs about 5-30 times)
_MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
_MAX_SHARED_STRINGS = 1_000_000
_MAX_DECLARED_ROWS = 2 * MAX_ROWS
_MAX_DECLARED_COLUMNS = 1_000
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Za-z]{1,3})?(\d+)?(?::([A-Za-z]{1,3})(\d+))?\"")


def _too_many_rows() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "The file has more than %(max)s rows (blank rows count too). Delete the empty rows, or split it into "
            "smaller files and upload them one after another."
        )
        % {"max": MAX_ROWS}
    )


def _too_wide(width: int) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "The header row is %(width)s columns wide; Stride reads at most %(max)s. Delete the columns you do "
            "not need, or copy only the table into a new workbook, and upload that."
        )
        % {"width": width, "max": MAX_COLUMNS}
    )


def _unpacks_too_large(filename: str) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "“%(name)s” unpacks to far more data than a sheet of %(rows)s rows needs, so Stride does not open it. "
            "Copy only the table into a new workbook, or save it as CSV, and upload that."
        )
        % {"name": PurePath(filename or "").name, "rows": MAX_ROWS}
    )


def _column_number(letters: bytes | None) -> int:
    number = 0
    for letter in (letters or b"A").upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _count_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    count, tail = 0, b""
    with archive.open(info) as stream:
        while chunk := stream.read(1024 * 1024):
            block = tail + chunk
            count += block.count(b"<si>") + block.count(b"<si ")
            tail = block[-3:]
            count -= tail.count(b"<si>") + tail.count(b"<si ")  # counted again with the next chunk
    return count + tail.count(b"<si>") + tail.count(b"<si ")


def inspect_workbook(*, filename: str, data: bytes) -> None:
    """Refuse a workbook whose ZIP would cost far more to read than any sheet within the limits.

    Reads only the ZIP directory, the first 4 KB of each sheet (its declared range) and counts the
    shared strings; openpyxl never sees a refused file.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _unreadable(filename) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > _MAX_ZIP_ENTRIES:
            raise SpreadsheetError(
                _(
                    "“%(name)s” holds %(count)s files inside; a workbook needs far fewer (at most %(max)s). Save "
                    "it again from Excel as an .xlsx workbook, or as CSV, and upload that."
                )
                % {"name": PurePath(filename or "").name, "count": len(entries), "max": _MAX_ZIP_ENTRIES}
            )
        total = 0
        for info in entries:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            limit = _MAX_SHARED_STRINGS_BYTES if info.filename.endswith("sharedStrings.xml") else _MAX_PART_BYTES
            if (
                info.file_size > limit
                or total > _MAX_UNPACKED_BYTES
                or (info.file_size > 1024 * 1024 and ratio > _MAX_RATIO)
            ):
                raise _unpacks_too_large(filename)
        for info in entries:
            name = info.filename
            if name.endswith("sharedStrings.xml") and _count_shared_strings(archive, info) > _MAX_SHARED_STRINGS:
                raise _unpacks_too_large(filename)
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(info) as stream:
                    match = _DIMENSION.search(stream.read(4096))
                if match is None:
                    continue
                rows = int(match.group(4) or match.group(2) or 1)
                columns = _column_number(match.group(3) or match.group(1))
                if rows > _MAX_DECLARED_ROWS or columns > _MAX_DECLARED_COLUMNS:
                    raise SpreadsheetError(
                        _(
                            "A sheet in “%(name)s” spans %(rows)s rows and %(columns)s columns; Stride reads at most "
                            "%(max_rows)s rows and %(max_columns)s columns. Delete the rows and columns outside "
                            "your table, or copy only the table into a new workbook, and upload that."
                        )
                        % {
                            "name": PurePath(filename or "").name,
                            "rows": rows,
                            "columns": columns,
                            "max_rows": MAX_ROWS,
                            "max_columns": MAX_COLUMNS,
                        }
                    )


PROGRESS_EVERY = 1_000  # rows between two calls of a reader's `progress`


def _build_table(numbered, *, empty_message: str, no_rows_message: str, progress=None) -> Table:
    """Keep the non-blank rows; every row read counts toward the limit, blank or not.

    `progress(rows)`, when given, is called every PROGRESS_EVERY rows read and once at the end.
    """
    table = Table()
    for count, (number, cells, formulas) in enumerate(numbered, start=1):
        if count > MAX_ROWS + 1:
            raise _too_many_rows()
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
    if data.startswith(_ZIP_MAGIC):
        inspect_workbook(filename=filename, data=data)
        return _read_xlsx(filename, data, shown=shown)
    if PurePath((filename or "").lower()).suffix in _EXCEL_SUFFIXES:
        raise _unreadable(filename)  # an old .xls, or something else wearing an Excel name
    return _read_csv(filename, data)


def read_table(*, filename: str, data: bytes, progress=None) -> Table:
    """The rows of an .xlsx (first sheet) or .csv (UTF-8 with or without BOM, or GBK/GB18030) upload.

    Blank rows are skipped but keep their place in the numbering, so row numbers match what
    the person sees in Excel. Formula cells are read as empty and listed in `Table.formulas`
    (the importer refuses them). Raises SpreadsheetError for a file it cannot use. `progress(rows)`
    hears how far reading got (a background import shows it).
    """
    return _build_table(
        _read_numbered(filename, data, shown=False),
        progress=progress,
        empty_message=_(
            "The file has no rows. Download the template, fill in one row per person below the header and upload it."
        ),
        no_rows_message=_(
            "The file has a header row but no people. Add one row per person below the header and upload it again."
        ),
    )


def _header_width(sheet) -> int:
    """How many columns the first non-blank row spans (its own width: no padding to a declared range)."""
    for count, cells in enumerate(sheet.iter_rows(min_row=1), start=1):
        if count > MAX_ROWS + 1:
            raise _too_many_rows()
        filled = [index for index, cell in enumerate(cells) if not _is_blank(cell.value)]
        if filled:
            width = filled[-1] + 1
            if width > MAX_COLUMNS:
                raise _too_wide(width)
            return width
    return 0


def _read_xlsx(filename: str, data: bytes, *, shown: bool):
    """(row number, values, formula column indexes) of the first sheet, one row at a time."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # a damaged or disguised file fails in many ways inside openpyxl/zipfile
        raise _unreadable(filename) from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # read what is there, not the range the sheet declares
        width = _header_width(sheet)
        if not width:
            return
        for number, cells in enumerate(sheet.iter_rows(min_row=1, max_col=width + _EXTRA_COLUMNS), start=1):
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
        raise _unreadable(filename) from exc
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
        raise _unreadable(filename)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # a superset of GBK: what Chinese Excel writes for "CSV"
    except UnicodeDecodeError as exc:
        raise _unreadable(filename) from exc


def _unescape_formula(value: str) -> str:
    """Undo the quote an export puts before a formula-looking value ("'=1" → "=1")."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def _lines(filename: str, text: str):
    for line in io.StringIO(text, newline=""):
        if len(line) > _MAX_LINE_CHARS:
            raise SpreadsheetError(
                _(
                    "A line of “%(name)s” is longer than %(max)s characters. Check that it is the right file and "
                    "upload it again."
                )
                % {"name": PurePath(filename or "").name, "max": _MAX_LINE_CHARS}
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
                    raise _too_wide(width)
            if width is not None:
                cells = cells[: width + _EXTRA_COLUMNS]
            yield number, [_unescape_formula(c) for c in cells], set()
    except csv.Error as exc:
        raise _unreadable(filename) from exc


# --- writing -------------------------------------------------------------------------------


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
    return "'" + text if text.startswith(_FORMULA_START) else text


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


_WIDTHS = [16, 14, 18, 30, 40, 22, 18, 12, 14]


def org_chart_header() -> list[str]:
    chinese = use_chinese_headers()
    return [c.header(chinese=chinese) for c in COLUMNS]


def org_chart_export_rows() -> list[list[object]]:
    """Every employee in the spreadsheet's columns, active people first (two queries)."""
    paths = unit_paths()
    employees = Employee.objects.select_related("user", "manager").order_by("-is_active", "employee_number")
    return [
        [
            e.employee_number,
            e.user.full_name,
            e.user.english_name,
            e.user.email,
            join_unit_path(paths.get(e.unit_id, [])),
            e.manager.employee_number if e.manager else "",
            e.job_title,
            e.job_title_en,
            e.grade_level,
            e.hire_date,
        ]
        for e in employees
    ]


def org_chart_export(*, file_format: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the whole org chart."""
    stamp = timezone.localdate().isoformat()
    header, rows = org_chart_header(), org_chart_export_rows()
    if file_format == "csv":
        return write_csv(header=header, rows=rows), CSV_CONTENT_TYPE, f"org-chart-{stamp}.csv"
    content = write_xlsx(sheets=[Sheet(_("Org chart"), header, rows, _WIDTHS)])
    return content, XLSX_CONTENT_TYPE, f"org-chart-{stamp}.xlsx"


def _example_rows() -> list[list[object]]:
    company, sales, east = _("Example Company"), _("Sales"), _("East China sales")
    return [
        [
            "E1001",
            "张伟",
            "Wei Zhang",
            "wei.zhang@example.com",
            join_unit_path([company, sales]),
            "",
            "销售总监",
            "Sales director",
            "M2",
            "2020-03-01",
        ],
        [
            "E1002",
            "李娜",
            "Na Li",
            "na.li@example.com",
            join_unit_path([company, sales, east]),
            "E1001",
            "销售代表",
            "Sales representative",
            "P4",
            "2023-07-15",
        ],
    ]


def _column_help() -> dict[str, str]:
    return {
        "employee_number": _(
            "Unique for each person; letters, digits and @ . + - _ only. Re-importing a number updates that person. "
            "New people log in with it as their user name."
        ),
        "full_name": _("The person's name as colleagues know it, e.g. 张伟."),
        "english_name": _("Shown when the interface is in English. Leave empty if the person has none."),
        "email": _(
            "Each person needs their own address. New people set their password with “Forgot password” on the "
            "login page, using this address."
        ),
        "unit_path": _(
            "Unit names from the top of the organisation down, separated by “/”, e.g. 星河科技/销售中心/华东销售部. "
            "Units that do not exist yet are created."
        ),
        "manager_number": _(
            "The employee number of the person's direct manager, either in this file or already in Stride. "
            "Leave empty for the top of the organisation."
        ),
        "job_title": _("The job title as colleagues know it, e.g. 销售代表. May be empty."),
        "job_title_en": _("Shown when the interface is in English, e.g. Sales representative. May be empty."),
        "grade_level": _("For example: P4 or M2. May be empty."),
        "hire_date": _("Written as YYYY-MM-DD, e.g. 2023-07-15. Leave empty if not known."),
    }


def _instruction_rows() -> list[list[object]]:
    chinese = use_chinese_headers()
    helps = _column_help()
    rows: list[list[object]] = [
        [
            column.header(chinese=chinese),
            column.header(chinese=not chinese),
            _("required") if column.value_required else _("optional"),
            helps[column.key],
        ]
        for column in COLUMNS
    ]
    notes = [
        _("Fill in the first sheet: keep its header row and write one row per person. Delete the two example rows."),
        _("Headers may be in English or Chinese and the columns in any order."),
        _(
            "Every row is checked first. If any row has an error, nothing is imported and the errors are listed "
            "with their row and column."
        ),
        _("People already in Stride are matched by employee number and updated; people not in the file are kept."),
        _("Save the file as .xlsx or as CSV (UTF-8; GBK from Chinese Excel also works), at most %(limit)s.")
        % {"limit": filesizeformat(settings.STRIDE_MAX_UPLOAD_BYTES)},
    ]
    rows.append(["", "", "", ""])
    rows.extend(["", "", "", note] for note in notes)
    return rows


def org_chart_template(*, file_format: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of an empty org chart with two example rows and instructions."""
    header, examples = org_chart_header(), _example_rows()
    if file_format == "csv":
        return write_csv(header=header, rows=examples), CSV_CONTENT_TYPE, "org-chart-template.csv"
    instructions_header = [_("Column"), _("Also accepted as"), _("Required"), _("What to enter")]
    content = write_xlsx(
        sheets=[
            Sheet(_("Org chart"), header, examples, _WIDTHS),
            Sheet(_("Instructions"), instructions_header, _instruction_rows(), [26, 26, 12, 90], wrap=True),
        ]
    )
    return content, XLSX_CONTENT_TYPE, "org-chart-template.xlsx"


# --- generic helpers for other apps' spreadsheets (added for the goals progress import and export) ---


def read_upload(*, filename: str, data: bytes, empty_message: str, no_rows_message: str) -> Table:
    """Like `read_table`, for any spreadsheet: the caller words what an empty or header-only file lacks.

    In an .xlsx, a number shown as a percentage (Excel turns a typed "95%" into 0.95 formatted 0%)
    is read as the text Excel shows, "95%", so the caller can tell 95 % from 0.95.
    """
    return _build_table(
        _read_numbered(filename, data, shown=True), empty_message=empty_message, no_rows_message=no_rows_message
    )


def _shown_value(cell) -> object:
    value = cell.value
    number_format = getattr(cell, "number_format", None) or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
        shown = Decimal(str(value)) * 100
        return f"{shown.normalize():f}%"
    return value


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


# --- counting rows without reading cells ---------------------------------------------------

_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CHUNK = 1024 * 1024


def count_rows(*, filename: str, data: bytes) -> int:
    """About how many rows below the header a file holds, without reading its cells: what decides
    whether an import runs in the background.

    Counts line ends of a CSV and `<row>` tags of an .xlsx sheet (the largest; after the same ZIP
    inspection the reader does), less the header: tenths of a second for 50,000 rows where
    reading the cells takes seconds. 0 for a file it cannot inspect (the check then says why).
    """
    try:
        check_upload_size(len(data))
        check_file_type(filename=filename, data=data)
        if not data.startswith(_ZIP_MAGIC):
            return max(0, data.count(b"\n") + (0 if data.endswith(b"\n") else 1) - 1)
        inspect_workbook(filename=filename, data=data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [i for i in archive.infolist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", i.filename)]
            return max((_count_row_tags(archive, info) for info in sheets), default=1) - 1
    except (SpreadsheetError, zipfile.BadZipFile, OSError, ValueError):
        return 0


def _count_row_tags(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    count, tail = 0, b""
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            count += len(_ROW_TAG.findall(text))
            tail = text[-16:]
            count -= len(_ROW_TAG.findall(tail))  # counted again with the next chunk
    return count + len(_ROW_TAG.findall(tail))
