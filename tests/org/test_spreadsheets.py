"""Reading and writing org-chart spreadsheets: encodings, headers, blank rows, formulas, the template."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from org.spreadsheets import (
    COLUMNS,
    Sheet,
    SpreadsheetError,
    column_for_header,
    normalise_header,
    org_chart_template,
    read_table,
    write_csv,
    write_xlsx,
)

HEADER = "工号,姓名,邮箱\r\n"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Employee number", "employee_number"),
        ("  EMPLOYEE   NUMBER ", "employee_number"),
        ("employee_number", "employee_number"),
        ("工号", "employee_number"),
        ("工号*", "employee_number"),
        ("E-Mail", "email"),
        ("email", "email"),
        ("邮箱", "email"),
        ("Manager's employee number", "manager_number"),
        ("managers employee number", "manager_number"),
        ("上级工号", "manager_number"),
        ("Hire date (optional)", "hire_date"),
        ("入职日期（选填）", "hire_date"),
        ("部门路径", "unit_path"),
        ("salary", None),
        ("", None),
    ],
)
def test_headers_are_recognised_in_english_or_chinese(text, key):
    assert column_for_header(text) == key


def test_every_column_header_maps_back_to_itself():
    for column in COLUMNS:
        assert column_for_header(column.english) == column.key
        assert column_for_header(column.chinese) == column.key
        assert normalise_header(column.english.upper()) == normalise_header(column.english)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_accepted_encoding(encoding):
    data = (HEADER + "E1,张伟,zw@example.com\r\n").encode(encoding)

    table = read_table(filename="org.csv", data=data)

    assert table.header == (1, ["工号", "姓名", "邮箱"])
    assert table.body == [(2, ["E1", "张伟", "zw@example.com"])]


def test_blank_rows_are_skipped_and_numbering_matches_excel():
    data = ("\r\n" + HEADER + "E1,张伟,a@example.com\r\n,,\r\n\r\nE2,李娜,b@example.com\r\n").encode()

    table = read_table(filename="org.csv", data=data)

    assert [number for number, _cells in table.rows] == [2, 3, 6]


def test_semicolon_and_tab_separated_files_are_read():
    for separator in (";", "\t"):
        data = f"工号{separator}姓名\nE1{separator}张伟\n".encode()
        assert read_table(filename="org.csv", data=data).body == [(2, ["E1", "张伟"])]


def test_xlsx_first_sheet_is_read_with_blank_rows_skipped():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["工号", "姓名"])
    sheet.append([None, None])
    sheet.append([1001, "张伟"])
    workbook.create_sheet("Other").append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_table(filename="anything.xlsx", data=buffer.getvalue())

    assert table.body == [(3, [1001, "张伟"])]


@pytest.mark.parametrize(
    ("data", "filename", "fragment"),
    [
        (b"", "org.csv", "The file is empty (0 bytes)"),
        (b"\n\n", "org.csv", "The file has no rows"),
        (HEADER.encode(), "org.csv", "header row but no people"),
        ("工号,姓名\r\nE1,张伟".encode("utf-16"), "org.csv", "cannot read the file “org.csv”"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", "“photo.png” is a PNG image, not a spreadsheet"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "scan.csv", "is a JPEG image"),
        (b"just text", "org.xls", "cannot read the file"),
        (b"PK\x03\x04 broken zip", "org.xlsx", "cannot read the file"),
    ],
)
def test_unusable_files_raise_a_clear_message(data, filename, fragment):
    with translation.override("en"), pytest.raises(SpreadsheetError) as caught:
        read_table(filename=filename, data=data)

    assert fragment in caught.value.problem.message
    assert caught.value.problem.row is None


def test_files_over_the_limit_are_refused_with_the_limit_in_the_message(settings):
    settings.STRIDE_MAX_UPLOAD_BYTES = 1024

    with translation.override("en"), pytest.raises(SpreadsheetError) as caught:
        read_table(filename="org.csv", data=b"x" * 2048)

    assert "2.0\xa0KB" in str(caught.value)
    assert "1.0\xa0KB" in str(caught.value)


def test_csv_export_starts_with_a_bom_and_neutralises_formulas_that_import_reads_back():
    data = write_csv(header=["姓名", "职位"], rows=[['=HYPERLINK("x")', "-1"], ["张伟", None]])

    assert data.startswith(b"\xef\xbb\xbf")
    assert b"'=HYPERLINK" in data
    assert read_table(filename="x.csv", data=data).body == [(2, ['=HYPERLINK("x")', "-1"]), (3, ["张伟", ""])]


def test_xlsx_writes_formula_looking_text_as_text():
    data = write_xlsx(sheets=[Sheet("People", ["姓名"], [["=1+1"]])])

    cell = load_workbook(io.BytesIO(data))["People"]["A2"]

    assert cell.value == "=1+1"
    assert cell.data_type == "s"


def test_template_instructions_explain_every_column_in_the_active_language():
    with translation.override("en"):
        content, content_type, name = org_chart_template(file_format="xlsx")

    workbook = load_workbook(io.BytesIO(content))
    instructions = list(workbook["Instructions"].iter_rows(values_only=True))
    assert name == "org-chart-template.xlsx"
    assert content_type.endswith("spreadsheetml.sheet")
    described = {row[0] for row in instructions[1:]}
    assert {c.english for c in COLUMNS} <= described
    assert all(row[3] for row in instructions[1 : len(COLUMNS) + 1])


def test_template_in_chinese_has_chinese_headers():
    with translation.override("zh-hans"):
        content, _type, _name = org_chart_template(file_format="csv")

    assert content.decode("utf-8-sig").splitlines()[0] == ",".join(c.chinese for c in COLUMNS)
