"""Bulk progress import from Excel/CSV through the real pages: template, checks, all-or-nothing."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from goals.access import can_record_progress
from goals.errors import GoalError
from goals.events import progress_recorded
from goals.models import KeyResult, Measurement, Milestone, Objective
from goals.progress.selectors import key_result_list_for_progress
from goals.progress.services.imports import ProgressEntry, measurement_import
from tests.goals.factories import KeyResultFactory, MeasurementFactory, ObjectiveFactory, PeriodFactory

HEADER = ["Key result ID", "Value", "As-of date", "Confidence", "Comment", "Evidence link"]
ZH_HEADER = ["关键结果编号", "本次数值", "截至日期", "信心", "说明", "证据链接"]
APPROVED = Objective.Status.APPROVED


# --- data ------------------------------------------------------------------------------------


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def year(db, today):
    return PeriodFactory(name=str(today.year), start=date(today.year, 1, 1), end=date(today.year, 12, 31))


@pytest.fixture
def goals(org, year):
    """rep: an approved objective with three key results and a draft one; rep2 and other_rep one each;
    the east unit (led by lead) one; the company one."""

    class Goals:
        pass

    g = Goals()
    g.mine = ObjectiveFactory(owner_employee=org.rep, period=year, status=APPROVED, title="全年新签客户 60 家")
    g.customers = KeyResultFactory(objective=g.mine, title="新签客户数", unit="家", target=Decimal("60"))
    g.rate = KeyResultFactory(objective=g.mine, title="回款率", unit="%", baseline=Decimal("80"), target=Decimal("95"))
    g.launch = KeyResultFactory(objective=g.mine, title="上线新客户门户", direction="done", target=None, baseline=None)
    g.draft = ObjectiveFactory(owner_employee=org.rep, period=year, title="提高客户满意度")
    g.draft_kr = KeyResultFactory(objective=g.draft, title="满意度")
    g.peer = ObjectiveFactory(owner_employee=org.rep2, period=year, status=APPROVED, title="rep2 的目标")
    g.peer_kr = KeyResultFactory(objective=g.peer, title="rep2 的关键结果")
    g.far = ObjectiveFactory(owner_employee=org.other_rep, period=year, status=APPROVED, title="华南目标")
    g.far_kr = KeyResultFactory(objective=g.far, title="华南关键结果")
    g.unit = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.east, created_by=org.director.user,
        period=year, status=APPROVED, title="华东销售部合同额 800 万元",
    )  # fmt: skip
    g.unit_kr = KeyResultFactory(objective=g.unit, title="合同额", unit="万元", target=Decimal("800"))
    g.company = ObjectiveFactory(
        level=Objective.Level.COMPANY, owner_employee=None, owner_unit=org.root, created_by=org.ceo.user,
        period=year, status=APPROVED, title="全年销售额 1 亿元",
    )  # fmt: skip
    g.company_kr = KeyResultFactory(objective=g.company, title="销售额", unit="万元", target=Decimal("10000"))
    return g


# --- helpers ---------------------------------------------------------------------------------


def to_csv(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def to_xlsx(rows, header=HEADER, formats=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for coordinate, number_format in (formats or {}).items():
        sheet[coordinate].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "progress.csv"):
    return client.post(reverse("goals:progress-import"), {"file": SimpleUploadedFile(name, data)})


def problems_of(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    return response.context["problems"]


def messages_of(response) -> str:
    return " ".join(p["message"] for p in problems_of(response))


def success_message(client) -> str:
    page = client.get(reverse("goals:progress-import"))
    return " ".join(str(m) for m in page.context["messages"])


def template_sheet(client, period, **params):
    response = client.get(reverse("goals:progress-template"), {"period": period.pk, **params})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook, [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]


def day(today, back=0) -> str:
    return (today - timedelta(days=back)).isoformat()


# --- the template ----------------------------------------------------------------------------


def test_template_lists_the_active_key_results_the_employee_may_update(org, goals, year, client_for):
    workbook, rows = template_sheet(client_for(org.rep), year)

    assert workbook.sheetnames == ["Progress", "Instructions"]
    assert rows[0] == [
        "Key result ID", "Objective", "Owner", "Key result", "Unit", "Target", "Current value", "Value",
        "As-of date", "Confidence", "Comment", "Evidence link",
    ]  # fmt: skip
    ids = [int(r[0]) for r in rows[1:]]
    assert ids == [goals.customers.pk, goals.rate.pk, goals.launch.pk]  # not the draft's, a peer's or the unit's
    first = rows[1]
    assert first[1:6] == ["全年新签客户 60 家", org.rep.name, "新签客户数", "家", "60"]
    assert first[7] is None  # the value is left to fill in
    assert first[8] == timezone.localdate().isoformat()
    instructions = [r[3] for r in workbook.worksheets[1].iter_rows(values_only=True)]
    assert any("nothing is imported" in (text or "") for text in instructions)


def test_managers_template_has_their_reports_and_their_units_key_results(org, goals, year, client_for):
    _workbook, rows = template_sheet(client_for(org.lead), year)

    ids = {int(r[0]) for r in rows[1:]}
    assert ids == {goals.customers.pk, goals.rate.pk, goals.launch.pk, goals.peer_kr.pk, goals.unit_kr.pk}


def test_template_headers_follow_the_language_and_csv_has_a_bom(org, goals, year, client_for):
    org.rep.preferred_language = "zh-hans"
    org.rep.save()
    client = client_for(org.rep)

    _workbook, rows = template_sheet(client, year)
    response = client.get(reverse("goals:progress-template"), {"period": year.pk, "format": "csv"})

    assert rows[0][:3] == ["关键结果编号", "目标", "负责人"]
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("关键结果编号,目标,负责人")
    assert len(lines) == 4


def test_template_round_trip_download_fill_in_and_import(org, goals, year, client_for, today):
    client = client_for(org.rep)
    workbook, _rows = template_sheet(client, year)
    sheet = workbook.worksheets[0]
    sheet["H2"] = 12  # customers
    sheet["H3"] = "92%"  # rate, in percent
    sheet["J3"] = "有风险"
    sheet["K3"] = "两家大客户延迟回款"
    # the "done" key result is left empty: skipped
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = upload(client, buffer.getvalue(), "progress.xlsx")

    assert response.status_code == 302
    assert response.url == reverse("goals:progress-import")
    assert "2 progress updates were imported. 1 row without a value was skipped." in success_message(client)
    customers = Measurement.objects.get(key_result=goals.customers)
    assert (customers.value, customers.as_of, customers.source) == (Decimal("12"), today, "import")
    assert customers.entered_by == org.rep.user
    assert customers.confidence == "on_track"
    rate = Measurement.objects.get(key_result=goals.rate)
    assert rate.value == Decimal("92")
    assert rate.confidence == "at_risk"
    assert rate.comment == "两家大客户延迟回款"
    goals.customers.refresh_from_db()
    assert goals.customers.current_value == Decimal("12")
    assert goals.customers.last_measured_on == today
    assert not Measurement.objects.filter(key_result=goals.launch).exists()


# --- good files ------------------------------------------------------------------------------


def test_gbk_csv_with_chinese_headers(org, goals, client_for, today):
    client = client_for(org.rep)
    rows = [
        [goals.customers.pk, "１５", day(today, 1), "正常", "新签两家，均为华东客户", "https://crm.example.com/r/1"],
        [goals.launch.pk, "已完成", day(today, 1), "", "", ""],
    ]

    response = upload(client, to_csv(rows, ZH_HEADER, "gbk"))

    assert response.status_code == 302
    customers = Measurement.objects.get(key_result=goals.customers)
    assert customers.value == Decimal("15")
    assert customers.evidence_url == "https://crm.example.com/r/1"
    assert customers.comment == "新签两家，均为华东客户"  # full-width punctuation kept
    assert Measurement.objects.get(key_result=goals.launch).value == Decimal("1")


def test_xlsx_numbers_percent_cells_dates_and_labels_as_excel_stores_them(org, goals, client_for, today):
    client = client_for(org.rep)
    as_of = today - timedelta(days=2)
    rows = [
        [goals.customers.pk, "1,234.5 家", as_of, "At risk", "", ""],
        [float(goals.rate.pk), 0.935, as_of.strftime("%Y/%m/%d"), "off_track", "", ""],  # a cell formatted 0.0%
        [str(goals.launch.pk), 0, f"{as_of.year}年{as_of.month}月{as_of.day}日", "落后", "", ""],
    ]

    response = upload(client, to_xlsx(rows, formats={"B3": "0.0%"}), "progress.xlsx")

    assert response.status_code == 302, messages_of(response)
    values = {m.key_result_id: (m.value, m.as_of, m.confidence) for m in Measurement.objects.all()}
    assert values == {
        goals.customers.pk: (Decimal("1234.5"), as_of, "at_risk"),
        goals.rate.pk: (Decimal("93.5"), as_of, "off_track"),
        goals.launch.pk: (Decimal("0"), as_of, "off_track"),
    }


def test_a_manager_imports_for_a_report_and_the_unit(org, goals, client_for, today):
    client = client_for(org.lead)
    rows = [[goals.peer_kr.pk, "7", day(today), "", "", ""], [goals.unit_kr.pk, "320", day(today), "", "", ""]]

    response = upload(client, to_csv(rows))

    assert response.status_code == 302
    assert Measurement.objects.filter(entered_by=org.lead.user, source="import").count() == 2


def test_progress_recorded_is_sent_after_commit_for_each_key_result(
    org, goals, client_for, today, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, key_result_id, **kwargs):
        received.append(key_result_id)

    progress_recorded.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            upload(
                client_for(org.rep),
                to_csv(
                    [
                        [goals.customers.pk, "3", day(today, 1), "", "", ""],
                        [goals.customers.pk, "4", day(today), "", "", ""],
                        [goals.rate.pk, "90", day(today), "", "", ""],
                    ]
                ),
            )
    finally:
        progress_recorded.disconnect(receiver)
    assert sorted(received) == sorted([goals.customers.pk, goals.rate.pk])


def test_current_value_follows_the_effective_latest_update(org, goals, client_for, today):
    """An older value imported later does not replace a newer one; corrected rows do not count."""
    MeasurementFactory(key_result=goals.customers, value=Decimal("20"), as_of=today)
    goals.customers.current_value, goals.customers.last_measured_on = Decimal("20"), today
    goals.customers.save()
    wrong = MeasurementFactory(key_result=goals.rate, value=Decimal("99"), as_of=today - timedelta(days=5))
    MeasurementFactory(key_result=goals.rate, value=Decimal("88"), as_of=wrong.as_of, corrects=wrong)
    rows = [[goals.customers.pk, "15", day(today, 10), "", "", ""], [goals.rate.pk, "70", day(today, 9), "", "", ""]]

    response = upload(client_for(org.rep), to_csv(rows))

    assert response.status_code == 302
    goals.customers.refresh_from_db()
    goals.rate.refresh_from_db()
    assert (goals.customers.current_value, goals.customers.last_measured_on) == (Decimal("20"), today)
    assert (goals.rate.current_value, goals.rate.last_measured_on) == (Decimal("88"), wrong.as_of)
    assert Measurement.objects.count() == 5  # nothing overwritten


# --- bad files: clear messages and nothing written ----------------------------------------------


BAD_ROWS = {
    "unknown key result": (lambda g, t: [999999, "5", day(t), "", "", ""], "Key result 999999 was not found"),
    "someone else's": (lambda g, t: [g.far_kr.pk, "5", day(t), "", "", ""], "was not found or is not yours"),
    "a peer's": (lambda g, t: [g.peer_kr.pk, "5", day(t), "", "", ""], "was not found or is not yours"),
    "draft objective": (lambda g, t: [g.draft_kr.pk, "5", day(t), "", "", ""], "is draft. Progress can only"),
    "not a number": (lambda g, t: [g.customers.pk, "twelve", day(t), "", "", ""], "“twelve” is not a number"),
    "decimal comma": (lambda g, t: [g.customers.pk, "12,5", day(t), "", "", ""], "“12,5” is not a number"),
    "percent, not a % unit": (lambda g, t: [g.customers.pk, "12%", day(t), "", "", ""], "not in percent"),
    "done must be 0 or 1": (lambda g, t: [g.launch.pk, "5", day(t), "", "", ""], "write 1 if it is done"),
    "future date": (lambda g, t: [g.customers.pk, "5", day(t, -1), "", "", ""], "is in the future"),
    "not a date": (lambda g, t: [g.customers.pk, "5", "31/13/2026", "", "", ""], "“31/13/2026” is not a date"),
    "no date": (lambda g, t: [g.customers.pk, "5", "", "", "", ""], "Enter the date the value was measured"),
    "outside the period": (
        lambda g, t: [g.customers.pk, "5", date(t.year - 1, 6, 30).isoformat(), "", "", ""],
        "outside the objective's period",
    ),
    "bad confidence": (lambda g, t: [g.customers.pk, "5", day(t), "maybe", "", ""], "“maybe” is not a confidence"),
    "bad link": (lambda g, t: [g.customers.pk, "5", day(t), "", "", "crm/report"], "is not a web link"),
    "bad id": (lambda g, t: ["abc", "5", day(t), "", "", ""], "“abc” is not a key result ID"),
    "no id": (lambda g, t: ["", "5", day(t), "", "", ""], "has a value but no key result ID"),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_a_bad_row_is_listed_and_nothing_is_imported(org, goals, client_for, today, case):
    make_row, expected = BAD_ROWS[case]
    good = [goals.rate.pk, "90", day(today), "", "", ""]

    response = upload(client_for(org.rep), to_csv([good, make_row(goals, today)]))

    problems = problems_of(response)
    assert len(problems) == 1, problems
    assert problems[0]["row"] == 3
    assert expected in problems[0]["message"]
    assert Measurement.objects.count() == 0
    assert "Nothing was imported" in response.content.decode()


def test_not_found_and_not_yours_read_the_same(org, goals, client_for, today):
    rows = [[999999, "5", day(today), "", "", ""], [goals.far_kr.pk, "5", day(today), "", "", ""]]

    problems = problems_of(upload(client_for(org.rep), to_csv(rows)))

    unknown, foreign = (p["message"] for p in problems)
    assert unknown.replace("999999", "N") == foreign.replace(str(goals.far_kr.pk), "N")
    assert goals.far.title not in foreign


def test_errors_are_listed_per_row_and_column(org, goals, client_for, today):
    rows = [
        [goals.customers.pk, "abc", day(today, -3), "", "", ""],
        [goals.rate.pk, "90", day(today), "", "", ""],
        [goals.launch.pk, "1", "someday", "", "", ""],
    ]

    problems = problems_of(upload(client_for(org.rep), to_csv(rows)))

    assert [(p["row"], p["column"]) for p in problems] == [(2, "Value"), (2, "As-of date"), (4, "As-of date")]
    assert Measurement.objects.count() == 0


def test_duplicate_key_result_and_date_rows_are_flagged(org, goals, client_for, today):
    rows = [
        [goals.customers.pk, "5", day(today), "", "", ""],
        [goals.rate.pk, "90", day(today), "", "", ""],
        [goals.customers.pk, "6", day(today), "", "", ""],
        [goals.customers.pk, "4", day(today, 7), "", "", ""],  # another date: fine
    ]

    problems = problems_of(upload(client_for(org.rep), to_csv(rows)))

    assert [p["row"] for p in problems] == [2]  # one problem per group, on its first row
    assert "in the same batch (row 4)" in problems[0]["message"]
    assert Measurement.objects.count() == 0


def test_many_duplicate_rows_give_one_problem_naming_ten_of_them(org, goals, client_for, today):
    rows = [[goals.customers.pk, "5", day(today), "", "", ""] for _ in range(40)]

    problems = problems_of(upload(client_for(org.rep), to_csv(rows)))

    assert [p["row"] for p in problems] == [2]
    assert (
        "(row 3, row 4, row 5, row 6, row 7, row 8, row 9, row 10, row 11, row 12 and 29 more)"
        in problems[0]["message"]
    )
    assert Measurement.objects.count() == 0


def test_a_formula_in_the_value_column_is_a_row_error_not_a_skipped_row(org, goals, client_for, today):
    data = to_xlsx([[goals.customers.pk, "=1+1", day(today), "", "", ""], [goals.rate.pk, 90, day(today), "", "", ""]])

    problems = problems_of(upload(client_for(org.rep), data, name="progress.xlsx"))

    assert [(p["row"], p["column"]) for p in problems] == [(2, "Value")]
    assert "Cell B2 holds a formula" in problems[0]["message"]
    assert Measurement.objects.count() == 0


def test_a_value_already_recorded_for_that_date_is_refused(org, goals, client_for, today):
    MeasurementFactory(key_result=goals.customers, value=Decimal("5"), as_of=today)
    MeasurementFactory(key_result=goals.rate, value=Decimal("85"), as_of=today)
    rows = [[goals.customers.pk, "5", day(today), "", "", ""], [goals.rate.pk, "90", day(today), "", "", ""]]

    messages = [p["message"] for p in problems_of(upload(client_for(org.rep), to_csv(rows)))]

    assert "already recorded for key result" in messages[0]
    assert "already has a value as of" in messages[1]
    assert "(85)" in messages[1]
    assert Measurement.objects.count() == 2


def test_milestone_key_results_are_not_imported(org, goals, client_for, today):
    steps = KeyResultFactory(objective=goals.mine, title="三个里程碑", direction="milestones", target=None)
    Milestone.objects.create(key_result=steps, title="第一步")

    messages = messages_of(upload(client_for(org.rep), to_csv([[steps.pk, "1", day(today), "", "", ""]])))

    assert "tracked by milestones" in messages


def test_a_file_without_values_is_refused(org, goals, client_for, today):
    rows = [[goals.customers.pk, "", day(today), "", "", ""], [goals.rate.pk, " ", day(today), "", "", ""]]

    messages = messages_of(upload(client_for(org.rep), to_csv(rows)))

    assert "No row has a value, so there is nothing to import" in messages


def test_missing_and_unknown_columns_are_explained(org, goals, client_for, today):
    data = to_csv([[goals.customers.pk, day(today), "x"]], ["Key result ID", "As-of date", "Mood"])

    problems = problems_of(upload(client_for(org.rep), data))

    assert len(problems) == 1
    assert problems[0]["row"] is None
    assert "no column for: “Value”" in problems[0]["message"]
    assert "“Mood”" in problems[0]["message"]


def test_empty_and_header_only_files(org, goals, client_for):
    client = client_for(org.rep)

    empty = upload(client, b"")
    header_only = upload(client, to_csv([]))
    blank_rows = upload(client, b"\r\n,,,\r\n")

    assert "The file is empty" in " ".join(empty.context["form"].errors["file"])
    assert "header row but no key results" in messages_of(header_only)
    assert "The file is empty" in messages_of(blank_rows)
    assert Measurement.objects.count() == 0


def test_wrong_encoding_and_not_a_spreadsheet(org, goals, client_for, today):
    client = client_for(org.rep)
    utf16 = to_csv([[goals.customers.pk, "5", day(today), "", "", ""]], encoding="utf-16")

    for data, name in ((utf16, "progress.csv"), (b"\xd0\xcf\x11\xe0 old excel", "progress.xls")):
        messages = messages_of(upload(client, data, name))
        assert "Stride cannot read the file" in messages
        assert "save it as UTF-8 CSV" in messages
    assert Measurement.objects.count() == 0


def test_too_big_a_file_is_refused_before_reading(org, goals, client_for, today, settings):
    settings.STRIDE_MAX_UPLOAD_BYTES = 1024
    rows = [[goals.customers.pk, "5", day(today), "", "x" * 2000, ""]]

    response = upload(client_for(org.rep), to_csv(rows))

    assert response.status_code == 200
    assert "the largest file Stride accepts is 1.0" in " ".join(response.context["form"].errors["file"])
    assert Measurement.objects.count() == 0


def test_the_write_is_all_or_nothing_when_the_service_refuses_a_row(org, goals, today):
    """An objective closed after the file was checked: the rows already written are undone."""
    entries = [
        ProgressEntry(row=2, key_result=goals.customers, value=Decimal("5"), as_of=today),
        ProgressEntry(row=3, key_result=goals.draft_kr, value=Decimal("5"), as_of=today),
    ]

    with pytest.raises(GoalError) as err:
        measurement_import(actor=org.rep.user, entries=entries)

    assert err.value.code == "goals.import_invalid"
    assert err.value.extra["problems"][0]["row"] == 3
    assert "approved objective" in err.value.extra["problems"][0]["message"]
    assert Measurement.objects.count() == 0
    goals.customers.refresh_from_db()
    assert goals.customers.current_value is None


# --- permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["goals:progress-import", "goals:progress-template", "goals:objectives-export"])
def test_anonymous_people_are_sent_to_log_in(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_upload_is_sent_to_log_in(client, goals, today):
    response = upload(client, to_csv([[goals.customers.pk, "5", day(today), "", "", ""]]))

    assert response.status_code == 302
    assert Measurement.objects.count() == 0


def test_unknown_period_is_not_found(org, goals, client_for):
    client = client_for(org.rep)

    assert client.get(reverse("goals:progress-template"), {"period": 987654}).status_code == 404
    assert client.get(reverse("goals:progress-template"), {"period": "x"}).status_code == 404


def test_the_bulk_permission_matches_the_one_by_one_rule(org, goals):
    """key_result_list_for_progress (used by the import and the template) == access.can_record_progress."""
    south = ObjectiveFactory(
        level=Objective.Level.UNIT, owner_employee=None, owner_unit=org.south, created_by=org.peer_lead.user,
        period=goals.mine.period, status=APPROVED,
    )  # fmt: skip
    KeyResultFactory(objective=south)
    people = [org.ceo, org.director, org.lead, org.rep, org.rep2, org.peer_lead, org.other_rep, org.hr]
    users = [p.user for p in people] + [org.admin]
    key_results = list(KeyResult.objects.select_related("objective"))
    for user in users:
        bulk = set(key_result_list_for_progress(actor=user).values_list("pk", flat=True))
        one_by_one = {kr.pk for kr in key_results if can_record_progress(actor=user, objective=kr.objective)}
        assert bulk == one_by_one, user.username


# --- query counts ----------------------------------------------------------------------------


def _many_key_results(org, year, count):
    objective = ObjectiveFactory(owner_employee=org.rep, period=year, status=APPROVED, title="很多关键结果")
    return [KeyResultFactory(objective=objective, title=f"KR {i}", weight=Decimal("1")) for i in range(count)]


def _queries_to_check(client, rows, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound) as captured:
        response = upload(client, to_csv(rows))
    assert response.status_code == 200  # every row is refused (a future date): nothing is written
    assert Measurement.objects.count() == 0
    return len(captured)


def test_checking_a_file_takes_the_same_queries_for_10_or_200_rows(
    org, year, client_for, today, django_assert_max_num_queries
):
    key_results = _many_key_results(org, year, 200)
    client = client_for(org.rep)
    future = day(today, -1)

    small = _queries_to_check(
        client, [[kr.pk, "5", future, "", "", ""] for kr in key_results[:10]], django_assert_max_num_queries, 30
    )
    large = _queries_to_check(
        client, [[kr.pk, "5", future, "", "", ""] for kr in key_results], django_assert_max_num_queries, small
    )
    assert large == small


def test_importing_10_or_200_rows_takes_the_same_queries(org, year, client_for, today, django_assert_max_num_queries):
    """Far below the 8 queries a row that calling measurement_record per row would cost."""
    key_results = _many_key_results(org, year, 100)
    client = client_for(org.rep)

    with django_assert_max_num_queries(30) as small:
        response = upload(client, to_csv([[kr.pk, "1", day(today, 3), "", "", ""] for kr in key_results[:10]]))
    assert response.status_code == 302
    rows = [[kr.pk, str(i), day(today, back), "", "", ""] for back in (0, 1) for i, kr in enumerate(key_results)]
    with django_assert_max_num_queries(len(small)):
        response = upload(client, to_csv(rows))

    assert response.status_code == 302
    assert Measurement.objects.filter(source="import").count() == 210


def test_template_query_count_does_not_grow_with_key_results(
    org, goals, year, client_for, django_assert_max_num_queries
):
    client = client_for(org.lead)
    with django_assert_max_num_queries(15) as small:
        template_sheet(client, year)

    _many_key_results(org, year, 60)
    with django_assert_max_num_queries(len(small)):
        _workbook, rows = template_sheet(client, year)

    assert len(rows) == 1 + 5 + 60
