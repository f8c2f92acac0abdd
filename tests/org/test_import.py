"""Org-chart import, export and template through the real pages, as HR would use them."""

import csv
import io
import os
import zipfile
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from notifications.models import Notification
from org.apps import IMPORT_FINISHED
from org.models import Employee, OrgUnit, User

HEADER = [
    "Employee number",
    "Name",
    "English name",
    "E-mail",
    "Unit path",
    "Manager's employee number",
    "Job title",
    "Grade level",
    "Hire date",
]
ZH_HEADER = ["工号", "姓名", "英文名", "邮箱", "部门路径", "上级工号", "职位", "职级", "入职日期"]
# Templates and exports carry every column, the English job title too.
FULL_HEADER = [*HEADER[:7], "English job title", *HEADER[7:]]
ZH_FULL_HEADER = [*ZH_HEADER[:7], "英文职位", *ZH_HEADER[7:]]
EAST = "星河科技/销售中心/华东销售部"
NORTH = "星河科技/销售中心/华北销售部"


def person(
    number, name="新员工", *, email=None, unit=EAST, manager="", title="销售代表", grade="P4", hire="2024-03-01"
):
    return [number, name, f"New {number}", email or f"{number.lower()}@example.com", unit, manager, title, grade, hire]


def to_csv(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def to_xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(client, data: bytes, name: str = "org.csv"):
    """Upload a file: it is checked and, without errors, kept for the preview (nothing written)."""
    return client.post(reverse("org_io:import"), {"file": SimpleUploadedFile(name, data)})


def upload(client, data: bytes, name: str = "org.csv"):
    """Upload, look at the preview and confirm it, as HR does; returns the last response."""
    response = check(client, data, name)
    if response.status_code != 302:
        return response
    preview = client.get(response.url)
    if preview.status_code != 200 or "plan" not in preview.context:
        return preview
    return client.post(response.url, {"fingerprint": preview.context["plan"].fingerprint})


def counts():
    return User.objects.count(), Employee.objects.count(), OrgUnit.objects.count()


def problems_of(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    return response.context["problems"]


def messages_of(response) -> str:
    return " ".join(p["message"] for p in problems_of(response))


def success_message(client) -> str:
    page = client.get(reverse("org_io:import"))
    return " ".join(str(m) for m in page.context["messages"])


# --- good files ------------------------------------------------------------------------------


def test_hr_imports_a_utf8_csv_creating_people_logins_units_and_managers(org, client_for):
    from tests.factories import UserFactory

    colleague = UserFactory(username="hr2", is_hr=True)
    client = client_for(org.hr)
    rows = [
        person("N100", "王芳", unit=NORTH, manager=org.director.employee_number, title="华北销售经理"),
        person("N101", "刘洋", unit=NORTH, manager="N100"),
        person("N102", "陈静", unit=NORTH + "/北京组", manager="N100"),
    ]

    response = upload(client, to_csv(rows))

    assert response.status_code == 302
    assert response.url == reverse("org_io:import")
    assert "3 people added, 0 updated, 0 unchanged and 2 units created" in success_message(client)
    boss = Employee.objects.select_related("user", "unit__parent").get(employee_number="N100")
    assert boss.manager == org.director
    assert boss.unit.name == "华北销售部"
    assert boss.unit.parent == org.sales
    assert boss.unit.kind == OrgUnit.Kind.DEPARTMENT
    assert boss.user.username == "N100"
    assert boss.user.full_name == "王芳"
    assert boss.user.email == "n100@example.com"
    assert not boss.user.has_usable_password()
    assert str(boss.hire_date) == "2024-03-01"
    assert Employee.objects.get(employee_number="N101").manager == boss
    assert Employee.objects.get(employee_number="N102").unit.parent == boss.unit
    # the one who imported sees the result on the page; HR's other people are told who did it
    assert not Notification.objects.filter(recipient=org.hr.user).exists()
    note = Notification.objects.get(recipient=colleague)
    assert note.kind == IMPORT_FINISHED
    with translation.override("en"):
        assert note.text.startswith(f"{org.hr.user.english_name} imported the org chart: 3 people added")
    with translation.override("zh-hans"):
        assert note.text.startswith(org.hr.user.full_name)
    assert note.url == reverse("org:people")


def test_gbk_csv_with_chinese_headers_is_read(org, client_for):
    client = client_for(org.hr)
    data = to_csv([person("N200", "张三", unit="星河科技/研发中心", manager=org.ceo.employee_number)], ZH_HEADER, "gbk")

    response = upload(client, data)

    assert response.status_code == 302
    employee = Employee.objects.select_related("user", "unit").get(employee_number="N200")
    assert employee.user.full_name == "张三"
    assert employee.unit.name == "研发中心"
    assert employee.unit.parent == org.root


def test_xlsx_with_numbers_and_dates_as_excel_stores_them(org, client_for):
    client = client_for(org.hr)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(
        [3001, "赵六", "", "zhao@example.com", EAST, org.lead.employee_number, "销售代表", "P3", date(2022, 5, 9)]
    )
    sheet.append([])  # a blank row is skipped
    sheet.append([3002.0, "钱七", "Qian Qi", "qian@example.com", EAST, 3001, "", "", None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = upload(client, buffer.getvalue(), "org.xlsx")

    assert response.status_code == 302
    first = Employee.objects.get(employee_number="3001")
    assert str(first.hire_date) == "2022-05-09"
    second = Employee.objects.select_related("user").get(employee_number="3002")
    assert second.manager == first
    assert second.hire_date is None
    assert second.user.english_name == "Qian Qi"


def test_headers_in_any_order_case_and_spacing(org, client_for):
    client = client_for(org.hr)
    header = [" 上级工号 ", "EMPLOYEE  NUMBER", "name", "e-mail", "Unit Path", "job title", "GRADE LEVEL"]
    row = [org.lead.employee_number, "N300", "孙八", "sun@example.com", EAST, "销售代表", "P2"]

    response = upload(client, to_csv([row], header))

    assert response.status_code == 302
    employee = Employee.objects.get(employee_number="N300")
    assert employee.manager == org.lead
    assert employee.grade_level == "P2"


def test_reimport_updates_people_by_number_and_keeps_history(org, client_for):
    client = client_for(org.hr)
    upload(client, to_csv([person("N400", "周九"), person("N401", "吴十", manager="N400")]))
    rep_user = org.rep.user
    changed = [
        person("N400", "周九"),  # unchanged
        person("N401", "吴十", manager=org.lead.employee_number, title="高级销售代表", grade="P5"),
        [
            org.rep.employee_number,
            "新名字",
            "New Name",
            "rep.new@example.com",
            NORTH,
            org.director.employee_number,
            "销售经理",
            "M1",
            "",
        ],
    ]

    response = upload(client, to_csv(changed))

    assert response.status_code == 302
    assert "0 people added, 2 updated, 1 unchanged and 1 units created" in success_message(client)
    moved = Employee.objects.get(employee_number="N401")
    assert moved.manager == org.lead
    assert moved.job_title == "高级销售代表"
    history = list(moved.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~", "~"]  # created, manager set, changed
    assert history[-1].history_user == org.hr.user
    assert history[-1].job_title == "高级销售代表"
    assert Employee.objects.get(employee_number="N400").history.count() == 1  # no noise for unchanged rows
    rep_user.refresh_from_db()
    assert rep_user.full_name == "新名字"
    assert rep_user.email == "rep.new@example.com"
    assert rep_user.username == "rep"  # an existing login keeps its user name
    assert rep_user.history.latest().history_user == org.hr.user
    org.rep.refresh_from_db()
    assert org.rep.unit.name == "华北销售部"
    assert org.rep.manager == org.director
    assert org.rep.hire_date is None


def test_two_people_can_swap_e_mail_addresses(org, client_for):
    client = client_for(org.hr)
    rep, rep2 = org.rep, org.rep2
    rows = [
        person(rep.employee_number, rep.user.full_name, email=rep2.user.email, manager=org.lead.employee_number),
        person(rep2.employee_number, rep2.user.full_name, email=rep.user.email, manager=org.lead.employee_number),
    ]
    old_rep, old_rep2 = rep.user.email, rep2.user.email

    response = upload(client, to_csv(rows))

    assert response.status_code == 302
    rep.user.refresh_from_db()
    rep2.user.refresh_from_db()
    assert (rep.user.email, rep2.user.email) == (old_rep2, old_rep)
    assert "parked" not in rep.user.history.latest().email


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_round_trip_export_then_import_changes_nothing(org, client_for, file_format):
    client = client_for(org.hr)
    export = client.get(reverse("org_io:export"), {"format": file_format})
    before = counts()
    history_before = Employee.history.count() + User.history.count()

    response = upload(client, export.content, f"export.{file_format}")

    assert response.status_code == 302
    assert "0 people added, 0 updated, 8 unchanged and 0 units created" in success_message(client)
    assert counts() == before
    assert Employee.history.count() + User.history.count() == history_before


def test_query_count_does_not_grow_with_rows(org, client_for, django_assert_max_num_queries):
    client = client_for(org.hr)

    def rows(prefix, size, unit):
        boss = person(f"{prefix}0", unit=unit, manager=org.director.employee_number)
        team = [person(f"{prefix}{i}", unit=unit, manager=f"{prefix}0") for i in range(1, size)]
        rep = person(
            org.rep.employee_number, email=org.rep.user.email, manager=org.lead.employee_number, title=f"title {prefix}"
        )
        return [boss, *team, rep]

    with CaptureQueriesContext(connection) as small:
        assert upload(client, to_csv(rows("S", 5, NORTH))).status_code == 302
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert upload(client, to_csv(rows("L", 50, "星河科技/销售中心/西南销售部"))).status_code == 302
    assert Employee.objects.filter(employee_number__startswith="L").count() == 50


# --- template and export ---------------------------------------------------------------------


def test_template_downloads_with_examples_and_instructions_and_imports_after_editing(org, client_for):
    client = client_for(org.hr)

    response = client.get(reverse("org_io:template"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="org-chart-template.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Org chart", "Instructions"]
    sheet = workbook["Org chart"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == FULL_HEADER
    assert len(rows) == 3
    assert rows[2][5] == rows[1][0]  # the report's manager is the example manager
    instructions = " ".join(str(c) for r in workbook["Instructions"].iter_rows(values_only=True) for c in r if c)
    assert "工号" in instructions
    assert "Forgot password" in instructions

    sheet.append(["E1003", "王五", "", "wang.wu@example.com", rows[2][4], "E1001", "销售代表", "Sales rep", "P3", ""])
    sheet["G2"] = "销售负责人"
    sheet["H2"] = "Head of sales"
    edited = io.BytesIO()
    workbook.save(edited)
    response = upload(client, edited.getvalue(), "org-chart-template.xlsx")

    assert response.status_code == 302
    head = Employee.objects.get(employee_number="E1001")
    assert (head.job_title, head.job_title_en) == ("销售负责人", "Head of sales")
    assert Employee.objects.get(employee_number="E1003").manager.employee_number == "E1001"


def test_template_as_csv_imports_cleanly(org, client_for):
    client = client_for(org.hr)
    response = client.get(reverse("org_io:template"), {"format": "csv"})
    assert response.content.startswith(b"\xef\xbb\xbf")

    assert upload(client, response.content, "org-chart-template.csv").status_code == 302
    assert Employee.objects.filter(employee_number__in=["E1001", "E1002"]).count() == 2


def test_template_and_export_use_chinese_headers_for_chinese_users(org, client_for):
    org.hr.preferred_language = "zh-hans"
    org.hr.save(update_fields=["preferred_language"])
    client = client_for(org.hr)

    template = load_workbook(io.BytesIO(client.get(reverse("org_io:template")).content))
    export = client.get(reverse("org_io:export"), {"format": "csv"}).content.decode("utf-8-sig")

    assert [c.value for c in template.worksheets[0][1]] == ZH_FULL_HEADER
    assert export.splitlines()[0] == ",".join(ZH_FULL_HEADER)


def test_export_lists_everyone_active_first_in_the_import_format(org, client_for):
    org.rep.is_active = False
    org.rep.save(update_fields=["is_active"])
    client = client_for(org.hr)

    response = client.get(reverse("org_io:export"))

    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="org-chart-{today}.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == FULL_HEADER
    assert len(rows) == 9
    assert rows[-1][0] == org.rep.employee_number  # the inactive person comes last
    lead_row = next(r for r in rows if r[0] == org.lead.employee_number)
    assert lead_row[4] == EAST
    assert lead_row[5] == org.director.employee_number
    assert lead_row[3] == org.lead.user.email


def test_csv_export_has_bom_and_date_in_name(org, client_for):
    response = client_for(org.hr).get(reverse("org_io:export"), {"format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith(f'{timezone.localdate().isoformat()}.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "星河科技/销售中心/华东销售部" in response.content.decode("utf-8-sig")


def test_export_query_count_is_constant(org, client_for, django_assert_max_num_queries):
    from tests.factories import EmployeeFactory

    client = client_for(org.hr)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("org_io:export"))
    EmployeeFactory.create_batch(20, unit=org.south, manager=org.peer_lead)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("org_io:export"))
    assert len(list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows())) == 29


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["org_io:import", "org_io:export", "org_io:template"])
@pytest.mark.parametrize("who", ["rep", "lead"])
def test_employees_and_managers_are_refused(org, client_for, name, who):
    client = client_for(getattr(org, who))

    assert client.get(reverse(name)).status_code == 403


def test_an_employee_cannot_post_a_file(org, client_for):
    before = counts()

    response = upload(client_for(org.lead), to_csv([person("N500")]))

    assert response.status_code == 403
    assert counts() == before


@pytest.mark.parametrize("name", ["org_io:import", "org_io:export", "org_io:template"])
def test_anonymous_people_are_sent_to_log_in(org, client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["hr", "admin"])
def test_hr_and_admins_see_the_import_page(org, client_for, who):
    response = client_for(getattr(org, who)).get(reverse("org_io:import"))

    assert response.status_code == 200
    assert reverse("org_io:template") in response.content.decode()
    assert "Forgot password" in response.content.decode()


# --- bad input: a clear message and nothing written ---------------------------------------


def _no_manager(org):
    return [person("N600", manager="X9999")]


def _duplicates(org):
    return [person("N600"), person("N601"), person("N600", email="other@example.com")]


def _two_cycle(org):
    return [person("N600", manager="N601"), person("N601", manager="N600")]


def _three_cycle(org):
    return [person("N600", manager="N602"), person("N601", manager="N600"), person("N602", manager="N601")]


def _cycle_through_existing(org):
    # rep → lead → director already; the file makes the director report to the rep.
    return [person(org.director.employee_number, email=org.director.user.email, manager=org.rep.employee_number)]


def _own_manager(org):
    return [person("N600", manager="N600")]


def _bad_email(org):
    return [person("N600", email="not-an-address")]


def _taken_email(org):
    return [person("N600", email=org.rep.user.email)]


def _duplicate_email(org):
    return [person("N600", email="same@example.com"), person("N601", email="SAME@example.com")]


def _bad_date(org):
    return [person("N600", hire="31/02/2024")]


def _impossible_date(org):
    return [person("N600", hire="2024-02-31")]


def _missing_values(org):
    return [person("N600", name="", unit=" / ")]


def _too_long(org):
    return [person("N600", grade="G" * 21, unit="星河科技/" + "长" * 101)]


def _login_taken(org):
    return [person("admin")]


def _bad_number(org):
    return [person("N 600")]


BAD_ROWS = {
    "unknown manager": (_no_manager, [(2, "No one with employee number X9999")]),
    "duplicate numbers": (_duplicates, [(2, "also on row 4")]),  # one problem per group, on its first row
    "cycle of two": (_two_cycle, [(2, "loop: N60"), (3, "loop: N60")]),
    "cycle of three": (_three_cycle, [(2, "loop"), (3, "loop"), (4, "loop")]),
    "cycle through existing people": (_cycle_through_existing, [(2, "loop")]),
    "own manager": (_own_manager, [(2, "cannot be their own manager")]),
    "bad e-mail": (_bad_email, [(2, "“not-an-address” is not a valid e-mail address")]),
    "e-mail already used": (_taken_email, [(2, "already belongs to")]),
    "duplicate e-mail": (_duplicate_email, [(2, "also on row 3")]),
    "bad date": (_bad_date, [(2, "Write the hire date as YYYY-MM-DD")]),
    "impossible date": (_impossible_date, [(2, "“2024-02-31” is not a date")]),
    "missing values": (_missing_values, [(2, "Fill in the Name"), (2, "Fill in the Unit path")]),
    "too long": (_too_long, [(2, "at most 20 are allowed"), (2, "at most 100 are allowed")]),
    "login taken": (_login_taken, [(2, "already the login name of")]),
    "bad employee number": (_bad_number, [(2, "cannot be an employee number")]),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_bad_rows_are_listed_and_nothing_is_written(org, client_for, case):
    make_rows, expected = BAD_ROWS[case]
    client = client_for(org.hr)
    good = person("N699", manager=org.lead.employee_number, unit="星河科技/新部门")  # valid, but must not be written
    before = counts()
    history_before = Employee.history.count()

    response = upload(client, to_csv([*make_rows(org), good]))

    problems = problems_of(response)
    for row, fragment in expected:
        assert any(p["row"] == row and fragment in p["message"] for p in problems), (row, fragment, problems)
    assert all(p["column"] for p in problems)
    assert counts() == before
    assert Employee.history.count() == history_before
    assert not Notification.objects.exists()
    assert "Nothing was imported" in response.content.decode()


def test_cycle_message_names_the_loop_on_the_manager_column(org, client_for):
    response = upload(client_for(org.hr), to_csv(_two_cycle(org)))

    problem = problems_of(response)[0]
    assert problem["column"] == "Manager's employee number"
    assert "N600 → N601 → N600" in problem["message"] or "N601 → N600 → N601" in problem["message"]


def _big_csv() -> bytes:
    line = ",".join(person("N700")).encode() + b"\n"
    return to_csv([]) + line * (10 * 1024 * 1024 // len(line) + 1)


BAD_FILES = {
    "wrong columns": (
        lambda: to_csv([["N600", "x", "x@example.com", "salary"]], ["工号", "姓名", "邮箱", "salary"]),
        "org.csv",
        ["no column for", "“Unit path”", "“Manager's employee number”", "“salary”"],
    ),
    "utf-16": (lambda: to_csv([person("N600")], encoding="utf-16"), "org.csv", ["cannot read the file"]),
    "binary": (lambda: bytes(range(256)) * 40, "org.csv", ["cannot read the file", "UTF-8 CSV", ".xlsx"]),
    "text named .xlsx": (lambda: to_csv([person("N600")]), "org.xlsx", ["cannot read the file"]),
    "zip that is not a workbook": (lambda: _zip(), "org.xlsx", ["“org.xlsx” is a ZIP archive, not a spreadsheet"]),
    "old .xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(512), "org.xls", ["cannot read the file"]),
    "empty": (lambda: b"", "org.csv", ["The file is empty (0 bytes)"]),
    "blank lines only": (lambda: b"\r\n\r\n ,, \r\n", "org.csv", ["The file has no rows"]),
    "header only": (lambda: to_csv([]), "org.csv", ["header row but no people"]),
    "empty workbook": (lambda: to_xlsx([], header=[]), "org.xlsx", ["The file has no rows"]),
    "png named .csv": (
        lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(64),
        "org.csv",
        ["“org.csv” is a PNG image, not a spreadsheet", "Excel workbook (.xlsx) or a CSV file"],
    ),
    "pdf named .xlsx": (
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        "org.xlsx",
        ["“org.xlsx” is a PDF document, not a spreadsheet"],
    ),
    "word document": (lambda: _zip("word/document.xml"), "org.docx", ["“org.docx” is a Word document"]),
    "word document named .xlsx": (lambda: _zip("word/document.xml"), "org.xlsx", ["is a Word document"]),
    "OpenDocument spreadsheet": (
        lambda: _zip("content.xml", mimetype=b"application/vnd.oasis.opendocument.spreadsheet"),
        "org.ods",
        ["it is an OpenDocument spreadsheet (.ods)", "save it as UTF-8 CSV"],
    ),
    "old .xls named .csv": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(512),
        "org.csv",
        ["it is an Excel 97–2003 workbook (.xls)", "save it as UTF-8 CSV"],
    ),
    "10 MB": (_big_csv, "org.csv", ["largest file Stride accepts is 5.0\xa0MB"]),
}


def _zip(name: str = "hello.txt", *, mimetype: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype)
        archive.writestr(name, "hello")
    return buffer.getvalue()


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_get_one_clear_message_and_nothing_is_written(org, client_for, case):
    make, name, fragments = BAD_FILES[case]
    before = counts()

    response = upload(client_for(org.hr), make(), name)

    assert response.status_code == 200
    page = response.content.decode()
    for fragment in fragments:
        assert fragment in page.replace("&#x27;", "'").replace("&nbsp;", "\xa0"), fragment
    assert counts() == before


def test_an_empty_file_a_file_without_rows_and_a_wrong_type_get_different_messages(org, client_for):
    client = client_for(org.hr)

    empty = upload(client, b"", "org.csv")
    image = upload(client, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "org.csv")
    no_rows = upload(client, b"\r\n,,\r\n", "org.csv")

    empty_message = " ".join(empty.context["form"].errors["file"])
    image_message = messages_of(image)
    no_rows_message = messages_of(no_rows)
    assert "0 bytes" in empty_message
    assert "is a PNG image, not a spreadsheet" in image_message
    assert "no rows" in no_rows_message
    assert len({empty_message, image_message, no_rows_message}) == 3


def test_a_file_over_the_limit_is_refused_before_reading(org, client_for, settings):
    settings.STRIDE_MAX_UPLOAD_BYTES = 100

    response = upload(client_for(org.hr), to_csv([person("N600"), person("N601")]))

    assert response.status_code == 200
    assert response.context["form"].errors["file"][0].startswith("The file is")
    assert "100\xa0bytes" in response.context["form"].errors["file"][0]
    assert not Employee.objects.filter(employee_number="N600").exists()


def test_no_file_at_all_asks_for_one(org, client_for):
    response = client_for(org.hr).post(reverse("org_io:import"), {})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_at_most_200_errors_are_shown_with_a_count_of_the_rest(org, client_for):
    rows = [person(f"N{i:04d}", email=f"bad{i}") for i in range(250)]

    response = upload(client_for(org.hr), to_csv(rows))

    assert len(response.context["problems"]) == 200
    assert response.context["problem_count"] == 250
    assert "and 50 more errors not shown" in response.content.decode()


def test_blank_lines_are_skipped_but_rows_keep_their_spreadsheet_numbers(org, client_for):
    data = to_csv([person("N800"), [], person("N801", email="broken")])

    problems = problems_of(upload(client_for(org.hr), data))

    assert [(p["row"], p["column"]) for p in problems] == [(4, "E-mail")]


def test_every_error_shows_in_one_pass_even_on_rows_with_other_errors(org, client_for):
    # Each row has several faults; fixing the first must not reveal another one.
    rows = [
        person("N 600", manager="X9999", email=org.rep.user.email),  # bad number, unknown manager, taken e-mail
        person("N601", manager="X9998"),  # repeated number, unknown manager
        person("N601", email="n601.b@example.com", manager="X9997"),
        person("admin", email="admin.a@example.com"),  # repeated number that is also a login name
        person("admin", email="admin.b@example.com"),
        person("", manager="X9996"),  # no number, unknown manager
    ]

    problems = problems_of(upload(client_for(org.hr), to_csv(rows)))

    found = {
        (p["row"], p["column"], fragment)
        for p in problems
        for fragment in (
            "cannot be an employee number",
            "No one with employee number",
            "already belongs to",
            "also on row",
            "already the login name of",
            "This value is required",
        )
        if fragment in p["message"]
    }
    assert found >= {
        (2, "Employee number", "cannot be an employee number"),
        (2, "Manager's employee number", "No one with employee number"),
        (2, "E-mail", "already belongs to"),
        (3, "Employee number", "also on row"),
        (3, "Manager's employee number", "No one with employee number"),
        (4, "Manager's employee number", "No one with employee number"),
        (5, "Employee number", "already the login name of"),
        (6, "Employee number", "already the login name of"),
        (7, "Employee number", "This value is required"),
        (7, "Manager's employee number", "No one with employee number"),
    }, problems


def test_missing_columns_are_listed_with_the_chinese_comma_for_a_chinese_reader(org, client_for):
    org.hr.preferred_language = "zh-hans"
    org.hr.save()
    header = [h for h in ZH_HEADER if h not in ("姓名", "邮箱")]
    data = to_csv([["N300", "New N300", EAST, "", "销售代表", "P4", "2024-03-01"]], header)

    message = messages_of(upload(client_for(org.hr), data))

    assert "“姓名”、“邮箱”" in message
    assert "“姓名”, “邮箱”" not in message


def test_english_job_title_column_is_imported_and_shown_to_english_readers(org, client_for):
    org.hr.preferred_language = "zh-hans"
    org.hr.save()
    header = [*ZH_HEADER[:7], "英文职位", *ZH_HEADER[7:]]
    row = person("N400", "孙丽", unit=EAST, manager=org.lead.employee_number, title="大客户经理")
    data = to_csv([[*row[:7], "Key account manager", *row[7:]]], header)
    client = client_for(org.hr)

    assert upload(client, data).status_code == 302

    employee = Employee.objects.get(employee_number="N400")
    assert (employee.job_title, employee.job_title_en) == ("大客户经理", "Key account manager")
    page = client.get(reverse("org:employee", args=[employee.pk])).content.decode()
    assert "大客户经理" in page
    org.hr.preferred_language = "en"
    org.hr.save()
    page = client.get(reverse("org:employee", args=[employee.pk])).content.decode()
    assert "Key account manager" in page
    assert "大客户经理" not in page


def test_a_file_without_the_english_job_title_column_keeps_the_english_titles(org, client_for):
    org.rep.job_title, org.rep.job_title_en = "销售代表", "Sales representative"
    org.rep.save()
    row = person(
        org.rep.employee_number, email=org.rep.user.email, manager=org.lead.employee_number, title="资深销售代表"
    )

    response = upload(client_for(org.hr), to_csv([row]))
    assert response.status_code == 302, messages_of(response)

    org.rep.refresh_from_db()
    assert (org.rep.job_title, org.rep.job_title_en) == ("资深销售代表", "Sales representative")


# --- the preview: nothing is written before HR confirms ---------------------------------------


def _exported_rows(client) -> tuple[list[str], list[list[str]]]:
    text = client.get(reverse("org_io:export"), {"format": "csv"}).content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    return header, rows


def _edited_export(org, client) -> bytes:
    """The export with the rep's job title and manager changed, a new person, and other_rep left out."""
    header, rows = _exported_rows(client)
    column = {name: index for index, name in enumerate(header)}
    for row in rows:
        if row[0] == org.rep.employee_number:
            row[column["Job title"]] = "高级销售代表"
            row[column["Manager's employee number"]] = org.director.employee_number
    rows = [r for r in rows if r[0] != org.other_rep.employee_number]
    new = dict.fromkeys(header, "")
    new.update({"Employee number": "N100", "Name": "王芳", "E-mail": "n100@example.com", "Unit path": NORTH})
    rows.append([new[name] for name in header])
    return to_csv(rows, header)


def test_an_upload_shows_what_will_be_added_changed_and_left_and_writes_nothing(org, client_for):
    client = client_for(org.hr)
    data = _edited_export(org, client)
    before, history_before = counts(), Employee.history.count() + User.history.count()

    response = check(client, data)

    assert response.status_code == 302
    preview = client.get(response.url)
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert [p.employee_number for p in plan.added] == ["N100"]
    assert [p.employee_number for p in plan.changed] == [org.rep.employee_number]
    changes = {c.column: (c.old, c.new) for c in plan.changed[0].changes}
    assert changes == {
        "Manager's employee number": (org.lead.employee_number, org.director.employee_number),
        "Job title": (org.rep.job_title, "高级销售代表"),
    }
    assert len(plan.unchanged) == 6
    assert [p.employee_number for p in plan.left] == [org.other_rep.employee_number]
    assert plan.units_created == [NORTH]
    page = preview.content.decode()
    assert "高级销售代表" in page
    assert "Confirm import" in page
    assert counts() == before
    assert Employee.history.count() + User.history.count() == history_before
    assert not Notification.objects.exists()


def test_confirming_writes_exactly_the_preview(org, client_for):
    client = client_for(org.hr)
    response = check(client, _edited_export(org, client))
    plan = client.get(response.url).context["plan"]

    confirmed = client.post(response.url, {"fingerprint": plan.fingerprint})

    assert confirmed.status_code == 302
    assert "1 people added, 1 updated, 6 unchanged and 1 units created" in success_message(client)
    org.rep.refresh_from_db()
    assert (org.rep.job_title, org.rep.manager) == ("高级销售代表", org.director)
    assert Employee.objects.get(employee_number="N100").unit.name == "华北销售部"
    assert Employee.objects.filter(pk=org.other_rep.pk, is_active=True).exists()  # left as they are
    assert not list((settings.MEDIA_ROOT / "imports" / "org-chart").glob("*"))  # the kept file is gone
    again = client.post(response.url, {"fingerprint": plan.fingerprint})
    assert again.status_code == 302
    assert "expired or was already used" in success_message(client)
    assert Employee.objects.filter(employee_number="N100").count() == 1


def test_a_confirm_is_refused_when_stride_changed_after_the_preview(org, client_for):
    from org.services import employee_update

    client = client_for(org.hr)
    response = check(client, _edited_export(org, client))
    old_plan = client.get(response.url).context["plan"]
    employee_update(employee=org.lead, job_title="Lead, renamed meanwhile")  # the file now changes it back

    refused = client.post(response.url, {"fingerprint": old_plan.fingerprint})

    assert refused.status_code == 409
    assert "changed after this file was checked" in refused.content.decode()
    assert not Employee.objects.filter(employee_number="N100").exists()
    new_plan = refused.context["plan"]
    assert org.lead.employee_number in [p.employee_number for p in new_plan.changed]
    assert client.post(response.url, {"fingerprint": new_plan.fingerprint}).status_code == 302
    assert Employee.objects.filter(employee_number="N100").exists()


def test_a_confirm_rechecks_the_file_and_lists_new_errors(org, client_for):
    from tests.factories import UserFactory

    client = client_for(org.hr)
    response = check(client, to_csv([person("N100")]))
    plan = client.get(response.url).context["plan"]
    UserFactory(email="n100@example.com")  # someone took the address meanwhile

    confirmed = client.post(response.url, {"fingerprint": plan.fingerprint})

    assert "already belongs to" in messages_of(confirmed)
    assert not Employee.objects.filter(employee_number="N100").exists()


def test_an_expired_a_tampered_or_someone_elses_preview_imports_nothing(org, client_for):
    from django.test import Client

    from tests.factories import EmployeeFactory

    hr_client = client_for(org.hr)
    response = check(hr_client, to_csv([person("N100")]))
    fingerprint = hr_client.get(response.url).context["plan"].fingerprint

    colleague = Client()
    colleague.force_login(EmployeeFactory(user__is_hr=True).user)
    assert colleague.post(response.url, {"fingerprint": fingerprint}).url == reverse("org_io:import")

    kept = next((settings.MEDIA_ROOT / "imports" / "org-chart").glob("*.upload"))
    kept.write_bytes(to_csv([person("N100"), person("N101")]))
    assert hr_client.post(response.url, {"fingerprint": fingerprint}).status_code == 302
    assert "expired or was already used" in success_message(hr_client)

    second = check(hr_client, to_csv([person("N102")]))
    session = hr_client.session
    token = second.url.rstrip("/").rsplit("/", 1)[1]
    session["org_chart_imports"][token]["at"] -= 2 * 60 * 60
    session.save()
    assert hr_client.get(second.url).url == reverse("org_io:import")
    assert not Employee.objects.filter(employee_number__in=["N100", "N101", "N102"]).exists()


@pytest.mark.parametrize("who", ["rep", "lead"])
def test_employees_and_managers_cannot_open_or_confirm_a_preview(org, client_for, who):
    response = check(client_for(org.hr), to_csv([person("N100")]))
    client = client_for(getattr(org, who))

    assert client.get(response.url).status_code == 403
    assert client.post(response.url, {"fingerprint": "x"}).status_code == 403
    assert not Employee.objects.filter(employee_number="N100").exists()
