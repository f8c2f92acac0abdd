"""Reading and writing any app's spreadsheets (core.spreadsheets): encodings, blank rows, formulas, limits.

The org chart's and the progress file's own columns and messages are tested with their apps; the
hostile files (zip bombs, declared ranges) through the real upload pages in tests/org/test_hostile_uploads.py.
"""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.spreadsheets import (
    Column,
    Sheet,
    SpreadsheetError,
    column_letter,
    header_lookup,
    normalise_header,
    read_upload,
    write_csv,
    write_xlsx,
    write_xlsx_typed,
)

HEADER = "工号,姓名,邮箱\r\n"


def read(data: bytes, filename: str = "file.csv", **options):
    return read_upload(
        filename=filename, data=data, empty_message="No rows at all.", no_rows_message="Only a header.", **options
    )


def xlsx(*rows, number_format: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if number_format:
        sheet["B2"].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_every_spelling_of_a_column_header_finds_its_key():
    columns = [Column("grade", "Grade level", "职级", True, ("level",)), Column("email", "E-mail", "邮箱", False)]

    lookup = header_lookup(columns)

    for spelling, key in [("GRADE  LEVEL", "grade"), ("职级*", "grade"), ("Level (optional)", "grade"),
                          ("e_mail", "email"), ("邮箱", "email")]:  # fmt: skip
        assert lookup.get(normalise_header(spelling)) == key
    assert lookup.get(normalise_header("salary")) is None


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters_are_excels(index, letters):
    assert column_letter(index) == letters


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_accepted_encoding(encoding):
    table = read((HEADER + "E1,张伟,zw@example.com\r\n").encode(encoding))

    assert table.header == (1, ["工号", "姓名", "邮箱"])
    assert table.body == [(2, ["E1", "张伟", "zw@example.com"])]


def test_blank_rows_are_skipped_and_numbering_matches_excel():
    table = read(("\r\n" + HEADER + "E1,张伟,a@example.com\r\n,,\r\n\r\nE2,李娜,b@example.com\r\n").encode())

    assert [number for number, _cells in table.rows] == [2, 3, 6]


def test_semicolon_and_tab_separated_files_are_read():
    for separator in (";", "\t"):
        assert read(f"工号{separator}姓名\nE1{separator}张伟\n".encode()).body == [(2, ["E1", "张伟"])]


def test_xlsx_first_sheet_is_read_with_blank_rows_skipped():
    workbook = Workbook()
    workbook.active.append(["工号", "姓名"])
    workbook.active.append([None, None])
    workbook.active.append([1001, "张伟"])
    workbook.create_sheet("Other").append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert read(buffer.getvalue(), "anything.xlsx").body == [(3, [1001, "张伟"])]


def test_a_percentage_is_read_as_shown_or_as_stored():
    data = xlsx(["ID", "Value"], [1, 0.95], number_format="0%")

    assert read(data, "p.xlsx").body == [(2, [1, "95%"])]
    assert read(data, "p.xlsx", shown=False).body == [(2, [1, 0.95])]


def test_formula_cells_are_read_empty_and_listed():
    table = read(xlsx(["ID", "Value"], [1, "=1+1"]), "f.xlsx")

    assert table.body == [(2, [1, None])]
    assert table.formulas == {2: {1}}


def test_progress_hears_how_many_rows_were_read():
    heard = []

    read((HEADER + "E1,张伟,a@example.com\r\nE2,李娜,b@example.com\r\n").encode(), progress=heard.append)

    assert heard == [2]


@pytest.mark.parametrize(
    ("data", "filename", "fragment"),
    [
        (b"", "f.csv", "The file is empty (0 bytes)"),
        (b"\n\n", "f.csv", "No rows at all."),
        (HEADER.encode(), "f.csv", "Only a header."),
        ("工号,姓名\r\nE1,张伟".encode("utf-16"), "f.csv", "cannot read the file “f.csv”"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", "“photo.png” is a PNG image, not a spreadsheet"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "scan.csv", "is a JPEG image"),
        (b"just text", "f.xls", "cannot read the file"),
        (b"PK\x03\x04 broken zip", "f.xlsx", "cannot read the file"),
    ],
)
def test_unusable_files_raise_a_clear_message(data, filename, fragment):
    with translation.override("en"), pytest.raises(SpreadsheetError) as caught:
        read(data, filename)

    assert fragment in caught.value.problem.message
    assert caught.value.problem.row is None


def test_files_over_the_limit_are_refused_with_the_limit_in_the_message(settings):
    settings.STRIDE_MAX_UPLOAD_BYTES = 1024

    with translation.override("en"), pytest.raises(SpreadsheetError) as caught:
        read(b"x" * 2048)

    assert "2.0\xa0KB" in str(caught.value)
    assert "1.0\xa0KB" in str(caught.value)


def test_csv_export_starts_with_a_bom_and_neutralises_formulas_that_reading_reads_back():
    data = write_csv(header=["姓名", "职位"], rows=[['=HYPERLINK("x")', "-1"], ["张伟", None]])

    assert data.startswith(b"\xef\xbb\xbf")
    assert b"'=HYPERLINK" in data
    assert read(data).body == [(2, ['=HYPERLINK("x")', "-1"]), (3, ["张伟", ""])]


@pytest.mark.parametrize("writer", [write_xlsx, write_xlsx_typed])
def test_xlsx_writes_formula_looking_text_as_text(writer):
    data = writer(sheets=[Sheet("People", ["姓名"], [["=1+1"]])])

    cell = load_workbook(io.BytesIO(data))["People"]["A2"]

    assert cell.value == "=1+1"
    assert cell.data_type == "s"


def test_typed_xlsx_keeps_numbers_numbers_and_plain_xlsx_writes_text():
    rows = [[12, "x"]]

    typed = load_workbook(io.BytesIO(write_xlsx_typed(sheets=[Sheet("S", ["n", "t"], rows)])))["S"]["A2"]
    plain = load_workbook(io.BytesIO(write_xlsx(sheets=[Sheet("S", ["n", "t"], rows)])))["S"]["A2"]

    assert typed.value == 12
    assert plain.value == "12"
