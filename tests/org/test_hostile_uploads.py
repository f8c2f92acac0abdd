"""Uploads built to exhaust the server are refused before they cost anything, with a message that
says what to do — through the real pages, as any employee (progress) or HR (org chart) would upload.

The files are small versions of bench/hostile_uploads.py's; the time and memory they cost are
measured there (docs/SECURITY.md), not here.
"""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from goals.models import Measurement
from org.models import Employee, User

SPREADSHEET_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PROGRESS_HEADER = ["Key result ID", "Value", "As-of date"]
ORG_HEADER = ["Employee number", "Name", "English name", "E-mail", "Unit path", "Manager's employee number",
              "Job title", "Grade level"]  # fmt: skip


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, *, sheet=None, strings=None, extra: int = 0) -> bytes:
    """The workbook with its first sheet's and shared strings' XML changed, and `extra` empty files added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if sheet and info.filename == "xl/worksheets/sheet1.xml":
                content = sheet(content)
            target.writestr(info.filename, content)
        if strings:  # openpyxl writes inline strings; Excel keeps them in xl/sharedStrings.xml
            target.writestr("xl/sharedStrings.xml", strings(b'<sst xmlns="%s"></sst>' % SPREADSHEET_NS))
        for index in range(extra):
            target.writestr(f"xl/media/x{index}.bin", b"")
    return out.getvalue()


def declare(ref: bytes):
    return lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref + b'"', xml)


def last_row(xml: bytes) -> bytes:
    xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", xml)
    return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row></sheetData>')


def post_progress(client, data: bytes, name="progress.xlsx"):
    return client.post(reverse("goals:progress-import"), {"file": SimpleUploadedFile(name, data)})


def post_org_chart(client, data: bytes, name="org.xlsx"):
    return client.post(reverse("org_io:import"), {"file": SimpleUploadedFile(name, data)})


def only_problem(response) -> str:
    assert response.status_code == 200, response.status_code
    problems = response.context["problems"]
    assert len(problems) == 1, problems
    assert problems[0]["row"] is None
    return problems[0]["message"]


@pytest.fixture
def progress_row(org):
    """A row the employee could import, if the file around it were sound."""
    from datetime import date
    from decimal import Decimal

    from django.utils import timezone

    from goals.models import Objective
    from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory

    today = timezone.localdate()
    year = PeriodFactory(name=str(today.year), start=date(today.year, 1, 1), end=date(today.year, 12, 31))
    objective = ObjectiveFactory(owner_employee=org.rep, period=year, status=Objective.Status.APPROVED)
    key_result = KeyResultFactory(objective=objective, unit="家", target=Decimal("60"))
    return [key_result.pk, 5, today.isoformat()]


HOSTILE_WORKBOOKS = {
    # the file: a sheet that declares A1:XFD4000 (openpyxl padded every row to 16,384 cells)
    "declared range": (lambda row: rezip(workbook([PROGRESS_HEADER, row]), sheet=declare(b"A1:XFD4000")),
                       "spans 4000 rows and 16384 columns"),
    "declared rows": (lambda row: rezip(workbook([PROGRESS_HEADER, row]), sheet=declare(b"A1:C1048576")),
                      "spans 1048576 rows and 3 columns"),
    # no declared range to give it away: a value in Excel's last row; every row before it counts
    "last row": (lambda row: rezip(workbook([PROGRESS_HEADER, row]), sheet=last_row),
                 "more than 50000 rows (blank rows count too)"),
    # 2 MB of spaces pack into a few KB: a small zip bomb
    "zip bomb": (lambda row: rezip(workbook([PROGRESS_HEADER, row]),
                                   sheet=lambda xml: xml.replace(b"</sheetData>", b" " * 2_000_000 + b"</sheetData>")),
                 "unpacks to far more data"),
    "shared strings": (lambda row: rezip(workbook([PROGRESS_HEADER, [*row[:2], "x"]]),
                                         strings=lambda xml: xml.replace(b"</sst>", b"<si><t>a</t></si>" * 1_000_001
                                                                         + b"</sst>")),
                       "unpacks to far more data"),
    "many files inside": (lambda row: rezip(workbook([PROGRESS_HEADER, row]), extra=1_000), "files inside"),
    "wide header": (lambda row: workbook([[*PROGRESS_HEADER, *(f"c{i}" for i in range(98))], row]),
                    "The header row is 101 columns wide; Stride reads at most 100"),
}  # fmt: skip


@pytest.mark.parametrize("case", HOSTILE_WORKBOOKS)
def test_a_hostile_workbook_is_refused_before_reading_and_nothing_is_recorded(org, client_for, progress_row, case):
    make, fragment = HOSTILE_WORKBOOKS[case]

    response = post_progress(client_for(org.rep), make(progress_row))

    assert fragment in only_problem(response)
    assert Measurement.objects.count() == 0


HOSTILE_CSV = {
    "blank lines": (lambda row: b"Key result ID,Value,As-of date\n" + b"\n" * 50_001, "more than 50000 rows"),
    "long line": (lambda row: b"Key result ID,Value,As-of date\n" + b"1,2," + b"x" * 100_001 + b"\n",
                  "longer than 100000 characters"),
    "wide header": (lambda row: ",".join(["Key result ID", "Value", "As-of date", *(f"c{i}" for i in range(98))])
                    .encode() + b"\n1,2,2026-01-01\n", "101 columns wide"),
}  # fmt: skip


@pytest.mark.parametrize("case", HOSTILE_CSV)
def test_a_hostile_csv_is_refused_and_nothing_is_recorded(org, client_for, progress_row, case):
    make, fragment = HOSTILE_CSV[case]

    response = post_progress(client_for(org.rep), make(progress_row), name="progress.csv")

    assert fragment in only_problem(response)
    assert Measurement.objects.count() == 0


def test_only_the_headers_columns_are_read_and_a_stray_value_far_right_is_ignored(org, client_for, progress_row):
    rows = [PROGRESS_HEADER, progress_row]
    data = rezip(workbook(rows), sheet=lambda xml: xml.replace(b"</row></sheetData>",
                 b'<c r="XFD2" t="inlineStr"><is><t>far</t></is></c></row></sheetData>'))  # fmt: skip

    response = post_progress(client_for(org.rep), data)

    assert response.status_code == 302
    assert Measurement.objects.count() == 1


def test_the_org_chart_import_refuses_a_hostile_workbook_too(org, client_for):
    data = rezip(workbook([ORG_HEADER, ["N1", "张伟", "", "n1@example.com", "星河科技", "", "", ""]]),
                 sheet=declare(b"A1:XFD4000"))  # fmt: skip
    before = User.objects.count(), Employee.objects.count()

    response = post_org_chart(client_for(org.hr), data)

    assert "spans 4000 rows and 16384 columns" in only_problem(response)
    assert (User.objects.count(), Employee.objects.count()) == before
