"""Hostile spreadsheet uploads: how long and how much memory reading (and checking) each one costs.

    DATABASE_URL=postgres://…/stride_x .venv/bin/python bench/hostile_uploads.py [case …]

Each case runs in its own process (peak memory is that process's maximum resident set) with a time
limit; the figures are in docs/SECURITY.md. The files are generated here, so nothing large is committed.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zipfile

CASES = {}
LIMIT_SECONDS = 60
MEMORY_LIMIT_MB = 2500  # address space per case, so a runaway case fails alone instead of swapping the machine


def case(function):
    CASES[function.__name__] = function
    return function


def _workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(info.filename, content)
    return out.getvalue()


PROGRESS_HEADER = ["Key result ID", "Value", "As-of date"]


@case
def wide_dimension() -> tuple[str, bytes]:
    """The issue's file: 4,000 short rows in a sheet that declares A1:XFD4000."""
    rows = [PROGRESS_HEADER] + [[1, i, "2026-03-31"] for i in range(3999)]
    data = _rezip(_workbook(rows), lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD4000"', xml))
    return "progress.xlsx", data


@case
def far_row() -> tuple[str, bytes]:
    """One value in the last row Excel has (1,048,576): openpyxl fills in every row before it."""

    def change(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:C1048576"', xml)
        return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row></sheetData>')

    return "progress.xlsx", _rezip(_workbook([PROGRESS_HEADER, [1, 2, "2026-03-31"]]), change)


@case
def far_row_no_dimension() -> tuple[str, bytes]:
    """The same without a <dimension> element, so no declared range gives it away."""

    def change(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", xml)
        return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row></sheetData>')

    return "progress.xlsx", _rezip(_workbook([PROGRESS_HEADER, [1, 2, "2026-03-31"]]), change)


@case
def zip_bomb_sheet() -> tuple[str, bytes]:
    """A sheet of 300 MB of whitespace (about 300 KB compressed)."""
    padding = b" " * (300 * 1024 * 1024)
    data = _rezip(_workbook([PROGRESS_HEADER]), lambda xml: xml.replace(b"</sheetData>", padding + b"</sheetData>"))
    return "progress.xlsx", data


@case
def shared_strings_flood() -> tuple[str, bytes]:
    """Two million one-letter shared strings (about 34 MB of XML, 100 KB compressed), as Excel would list them."""
    data = _workbook([PROGRESS_HEADER, [1, 2, "2026-03-31"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    namespace = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relation = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            if info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Type="%s" Target="sharedStrings.xml"/></Relationships>' % relation,
                )
            target.writestr(info.filename, content)
        strings = b"<si><t>a</t></si>" * 2_000_000
        target.writestr("xl/sharedStrings.xml", b'<sst xmlns="%s">%s</sst>' % (namespace, strings))
    return "progress.xlsx", out.getvalue()


@case
def many_entries() -> tuple[str, bytes]:
    """A workbook with 20,000 extra (empty) files in its ZIP."""
    data = _workbook([PROGRESS_HEADER, [1, 2, "2026-03-31"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        for index in range(20_000):
            target.writestr(f"xl/media/x{index}.bin", b"")
    return "progress.xlsx", out.getvalue()


@case
def csv_blank_lines() -> tuple[str, bytes]:
    """5 MB of line breaks after a header: five million blank rows."""
    return "progress.csv", b"Key result ID,Value,As-of date\n" + b"\n" * (5 * 1024 * 1024 - 40)


@case
def csv_wide_row() -> tuple[str, bytes]:
    """One row of five million empty fields."""
    return "progress.csv", b"Key result ID,Value,As-of date\n1,2,2026-03-31" + b"," * (5 * 1024 * 1024 - 60) + b"\n"


def _org_rows(count: int) -> list[list[object]]:
    header = ["Employee number", "Name", "E-mail", "Unit path", "Manager's employee number", "Job title", "Grade level"]
    return [header] + [["E1", "张伟", "e1@example.com", "星河科技/销售", "", "销售", ""] for _ in range(count)]


@case
def org_duplicates_10000() -> tuple[str, bytes]:
    """The org chart check of 10,000 identical rows (needs the database)."""
    return "org.xlsx", _workbook(_org_rows(10_000))


@case
def org_duplicates_20000() -> tuple[str, bytes]:
    return "org.xlsx", _workbook(_org_rows(20_000))


def run_one(name: str, path: str) -> None:
    """Read (and for org_* cases check) the file at `path`, as the upload view would."""
    import django

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmsite.settings.local")
    django.setup()
    from django.conf import settings

    from core.spreadsheets import SpreadsheetError, read_upload

    filename = os.path.basename(path).split("-", 1)[1]
    with open(path, "rb") as file:
        data = file.read()
    started = time.perf_counter()
    if name.startswith("org_"):
        from org.errors import OrgError
        from org.importing import org_chart_check

        try:
            org_chart_check(filename=filename, data=data)
            outcome = "accepted"
        except OrgError as exc:
            problems = exc.extra["problems"]
            outcome = f"refused: {len(problems)} problems, {sum(len(p['message']) for p in problems):,} characters"
    else:
        try:
            table = read_upload(filename=filename, data=data, empty_message="empty", no_rows_message="no rows")
            outcome = f"read: {len(table.rows)} rows"
        except SpreadsheetError as exc:
            outcome = "refused: " + exc.problem.message[:90]
    elapsed = time.perf_counter() - started
    size = f"{len(data) / 1024:,.0f} KB (limit {settings.STRIDE_MAX_UPLOAD_BYTES // 1024:,} KB)"
    print(f"{name}\t{size}\t{elapsed:.2f} s\t{outcome}")


def main(names: list[str]) -> None:
    """Each file is made here and read by a fresh process, whose peak memory is the reading's alone."""
    import tempfile

    print("case\tfile\ttime\toutcome\tpeak memory of the reading process")
    with tempfile.TemporaryDirectory() as folder:
        for name in names or list(CASES):
            filename, data = CASES[name]()
            path = os.path.join(folder, f"{name}-{filename}")
            with open(path, "wb") as file:
                file.write(data)
            del data
            command = [sys.executable, __file__, "--one", name, path]
            process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
            try:
                output, _ = process.communicate(timeout=LIMIT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                print(f"{name}\t\t> {LIMIT_SECONDS} s\tstopped", flush=True)
                continue
            line = output.strip().replace("\n", "")
            print(line or f"{name}\tfailed (exit {process.returncode}; over {MEMORY_LIMIT_MB:,} MB?)", flush=True)
            os.unlink(path)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        import resource

        limit = MEMORY_LIMIT_MB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        run_one(sys.argv[2], sys.argv[3])
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through exec.
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
        print(f"\tpeak {peak:,.0f} MB")
    else:
        main(sys.argv[1:])
