"""Org-chart import: formula cells, duplicate groups and the cap on listed problems, through the real page."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.spreadsheets import MAX_PROBLEMS
from org.errors import OrgError
from org.importing import org_chart_check
from org.models import Employee, User

HEADER = ["Employee number", "Name", "English name", "E-mail", "Unit path", "Manager's employee number", "Job title",
          "Grade level"]  # fmt: skip


def row(number, *, email=None):
    return [number, "张伟", "Wei Zhang", email or f"{number.lower()}@example.com", "星河科技/销售", "", "销售", ""]


def to_csv(rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def check(client, data: bytes, name="org.csv"):
    return client.post(reverse("org_io:import"), {"file": SimpleUploadedFile(name, data)})


def counts():
    return User.objects.count(), Employee.objects.count()


def test_a_formula_cell_is_a_row_error_naming_the_cell_and_nothing_is_written(org, client_for):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(row("N1"))
    sheet.append(["N2", "李娜", "=B3", "n2@example.com", "星河科技/销售", "", "=G2", ""])  # never calculated
    buffer = io.BytesIO()
    book.save(buffer)
    before = counts()

    response = check(client_for(org.hr), buffer.getvalue(), name="org.xlsx")

    problems = response.context["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(3, "English name"), (3, "Job title")]
    assert "Cell C3 holds a formula" in problems[0]["message"]
    assert "Cell G3 holds a formula" in problems[1]["message"]
    assert counts() == before


def test_identical_rows_give_one_problem_per_group_naming_ten_rows(org, client_for):
    rows = [row("N1", email="same@example.com") for _ in range(300)]

    response = check(client_for(org.hr), to_csv(rows))

    problems = response.context["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(2, "Employee number"), (2, "E-mail")]
    assert "also on row 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 289 more" in problems[0]["message"]
    assert "also on row 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 289 more" in problems[1]["message"]


def test_problems_stop_being_listed_after_the_cap_with_how_many_more(org, client_for):
    rows = [row(f"N{i}", email=f"bad-address-{i}") for i in range(MAX_PROBLEMS + 50)]
    before = counts()

    response = check(client_for(org.hr), to_csv(rows))

    assert len(response.context["problems"]) == MAX_PROBLEMS
    assert response.context["problem_count"] == MAX_PROBLEMS + 50
    assert response.context["problems_hidden"] == 50
    assert "… and 50 more errors not shown" in response.content.decode()
    assert counts() == before


def test_the_check_stops_collecting_problems_at_the_cap_and_counts_the_rest(org):
    rows = [row(f"N{i}", email=f"bad-address-{i}") for i in range(MAX_PROBLEMS + 50)]

    with pytest.raises(OrgError) as raised:
        org_chart_check(filename="org.csv", data=to_csv(rows))

    assert len(raised.value.extra["problems"]) == MAX_PROBLEMS
    assert raised.value.extra["problems_more"] == 50
