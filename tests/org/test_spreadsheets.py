"""The org-chart spreadsheet: its headers, its messages for a file without people, the template.

Reading and writing any spreadsheet (encodings, blank rows, formulas, limits): tests/core/test_spreadsheets.py.
"""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.spreadsheets import SpreadsheetError, normalise_header
from org.spreadsheets import COLUMNS, column_for_header, org_chart_template, read_table

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


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\n\n", "The file has no rows. Download the template"),
        (HEADER.encode(), "header row but no people"),
    ],
)
def test_an_org_chart_without_people_says_to_add_one_row_per_person(data, fragment):
    with translation.override("en"), pytest.raises(SpreadsheetError) as caught:
        read_table(filename="org.csv", data=data)

    assert fragment in caught.value.problem.message


def test_org_chart_cells_are_read_as_stored():
    workbook = Workbook()
    workbook.active.append(["工号", "姓名"])
    workbook.active.append([0.5, "张伟"])
    workbook.active["A2"].number_format = "0%"
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert read_table(filename="org.xlsx", data=buffer.getvalue()).body == [(2, [0.5, "张伟"])]


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
