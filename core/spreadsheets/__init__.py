"""Spreadsheet reading and writing for every app's imports and exports (no app's columns here).

- `columns`: a column named in English and Chinese, and finding the columns in a header row;
- `problems`: what is wrong with a file or a row (`Problem`, `ProblemList`, `SpreadsheetError`);
- `safety`: the limits on what one upload may cost and the checks that refuse a file unread
  (size, kind of file, zip bombs, declared ranges; docs/SECURITY.md), and counting rows;
- `reading`: an .xlsx or .csv upload as numbered rows of raw cell values (`read_upload`);
- `forms`: the upload form every import uses (`SpreadsheetUploadForm`);
- `writing`: UTF-8 CSV and .xlsx files to download, text never written as a formula.

An app keeps its own columns, templates and checks (`org.spreadsheets`, `goals.progress.sheet`)
and imports what it needs from here.
"""

from core.spreadsheets.columns import (
    Column,
    column_letter,
    header_lookup,
    header_positions,
    normalise_header,
    use_chinese_headers,
)
from core.spreadsheets.forms import SpreadsheetUploadForm
from core.spreadsheets.problems import (
    EMPTY_FILE_MESSAGE,
    MAX_PROBLEMS,
    Problem,
    ProblemList,
    SpreadsheetError,
)
from core.spreadsheets.reading import PROGRESS_EVERY, Table, formula_message, read_upload
from core.spreadsheets.safety import (
    MAX_COLUMNS,
    MAX_ROWS,
    check_file_type,
    check_upload_size,
    count_rows,
    inspect_workbook,
)
from core.spreadsheets.writing import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Sheet,
    write_csv,
    write_xlsx,
    write_xlsx_typed,
)

__all__ = [
    "CSV_CONTENT_TYPE",
    "EMPTY_FILE_MESSAGE",
    "MAX_COLUMNS",
    "MAX_PROBLEMS",
    "MAX_ROWS",
    "PROGRESS_EVERY",
    "XLSX_CONTENT_TYPE",
    "Column",
    "Problem",
    "ProblemList",
    "Sheet",
    "SpreadsheetError",
    "SpreadsheetUploadForm",
    "Table",
    "check_file_type",
    "check_upload_size",
    "column_letter",
    "count_rows",
    "formula_message",
    "header_lookup",
    "header_positions",
    "inspect_workbook",
    "normalise_header",
    "read_upload",
    "use_chinese_headers",
    "write_csv",
    "write_xlsx",
    "write_xlsx_typed",
]
