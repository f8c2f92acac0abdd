"""What one upload may cost, and the checks that refuse a hostile or wrong file before it is read (docs/SECURITY.md).

A file too large, empty, of another kind (an image, a PDF, a Word document, an old .xls) or a
workbook whose ZIP would unpack to far more than a sheet within the limits is refused with a
message that says what to do; openpyxl never sees it.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets.problems import EMPTY_FILE_MESSAGE, SpreadsheetError

MAX_ROWS = 50_000
ZIP_MAGIC = b"PK\x03\x04"
# A cell starting with one of these is a formula to Excel; exports neutralise it (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@")


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


def unreadable(filename: str) -> SpreadsheetError:
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
    if data.startswith(ZIP_MAGIC):
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


# --- limits on what one upload may cost (docs/SECURITY.md) --------------------------------------
# A sheet is read up to MAX_ROWS rows below the header, every row counted, blank or not, and only as
# many columns as its header has (plus a few, to notice values without a header). Before openpyxl
# opens an .xlsx, its ZIP is inspected: a workbook that unpacks to far more than a sheet of MAX_ROWS
# rows needs, or whose sheet declares a range far beyond the limits, is refused unread.
MAX_COLUMNS = 100  # the widest header read
EXTRA_COLUMNS = 5  # read right of the header, to find values that have no header
MAX_LINE_CHARS = 100_000  # one CSV line
_MAX_ZIP_ENTRIES = 1_000
_MAX_PART_BYTES = 64 * 1024 * 1024  # one file inside the workbook, unpacked (a full 50,000-row sheet: ~25 MB)
_MAX_UNPACKED_BYTES = 160 * 1024 * 1024  # all of them
_MAX_RATIO = 200  # unpacked / packed, for parts over 1 MB (XML packs about 5-30 times)
_MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
_MAX_SHARED_STRINGS = 1_000_000
_MAX_DECLARED_ROWS = 2 * MAX_ROWS
_MAX_DECLARED_COLUMNS = 1_000
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Za-z]{1,3})?(\d+)?(?::([A-Za-z]{1,3})(\d+))?\"")


def too_many_rows() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "The file has more than %(max)s rows (blank rows count too). Delete the empty rows, or split it into "
            "smaller files and upload them one after another."
        )
        % {"max": MAX_ROWS}
    )


def too_wide(width: int) -> SpreadsheetError:
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
        raise unreadable(filename) from exc
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
        if not data.startswith(ZIP_MAGIC):
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
