"""The org-chart spreadsheet: its columns, reading an upload of it, the export and the template.

Reading and writing themselves (file checks, .xlsx/.csv readers, writers) are generic and live in
`core.spreadsheets`; validation and writing people live in `org.importing`.
"""

from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Column,
    Sheet,
    Table,
    header_lookup,
    normalise_header,
    read_upload,
    use_chinese_headers,
    write_csv,
    write_xlsx,
)
from org.models import Employee
from org.rules import join_unit_path
from org.selectors import unit_paths

# --- columns ---------------------------------------------------------------------------


COLUMNS: tuple[Column, ...] = (
    Column(
        "employee_number",
        "Employee number",
        "工号",
        True,
        ("employee no", "employee id", "emp no", "员工编号", "员工号"),
        value_required=True,
    ),
    Column("full_name", "Name", "姓名", True, ("full name", "中文名", "中文姓名"), value_required=True),
    Column("english_name", "English name", "英文名", False, ("英文姓名",)),
    Column(
        "email",
        "E-mail",
        "邮箱",
        True,
        ("email address", "e-mail address", "电子邮箱", "电子邮件", "邮件地址"),
        value_required=True,
    ),
    Column(
        "unit_path",
        "Unit path",
        "部门路径",
        True,
        ("unit", "department", "组织路径", "部门", "所属部门"),
        value_required=True,
    ),
    Column(
        "manager_number",
        "Manager's employee number",
        "上级工号",
        True,
        ("manager employee number", "manager number", "manager no", "直属上级工号", "上级员工编号"),
    ),
    Column("job_title", "Job title", "职位", True, ("title", "position", "岗位", "职务")),
    Column(
        "job_title_en",
        "English job title",
        "英文职位",
        False,
        ("english title", "job title english", "title en", "job title en", "英文岗位", "英文职务", "英文职位名称"),
    ),
    Column("grade_level", "Grade level", "职级", True, ("grade", "level", "级别")),
    Column("hire_date", "Hire date", "入职日期", False, ("start date", "date of hire", "入职时间")),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}

_HEADER_LOOKUP = header_lookup(COLUMNS)


def column_for_header(text: object) -> str | None:
    """The column key a header cell names (English or Chinese, any case or spacing), or None."""
    return _HEADER_LOOKUP.get(normalise_header(text))


# --- reading -------------------------------------------------------------------------------


def read_table(*, filename: str, data: bytes, progress=None) -> Table:
    """The rows of an org-chart upload: `core.spreadsheets.read_upload`, worded for people.

    Cells hold the values stored (a number formatted as a percentage stays a number). Raises
    SpreadsheetError for a file it cannot use. `progress(rows)` hears how far reading got (a
    background import shows it).
    """
    return read_upload(
        filename=filename,
        data=data,
        shown=False,
        progress=progress,
        empty_message=_(
            "The file has no rows. Download the template, fill in one row per person below the header and upload it."
        ),
        no_rows_message=_(
            "The file has a header row but no people. Add one row per person below the header and upload it again."
        ),
    )


# --- writing -------------------------------------------------------------------------------


_WIDTHS = [16, 14, 18, 30, 40, 22, 18, 12, 14]


def org_chart_header() -> list[str]:
    chinese = use_chinese_headers()
    return [c.header(chinese=chinese) for c in COLUMNS]


def org_chart_export_rows() -> list[list[object]]:
    """Every employee in the spreadsheet's columns, active people first (two queries)."""
    paths = unit_paths()
    employees = Employee.objects.select_related("user", "manager").order_by("-is_active", "employee_number")
    return [
        [
            e.employee_number,
            e.user.full_name,
            e.user.english_name,
            e.user.email,
            join_unit_path(paths.get(e.unit_id, [])),
            e.manager.employee_number if e.manager else "",
            e.job_title,
            e.job_title_en,
            e.grade_level,
            e.hire_date,
        ]
        for e in employees
    ]


def org_chart_export(*, file_format: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the whole org chart."""
    stamp = timezone.localdate().isoformat()
    header, rows = org_chart_header(), org_chart_export_rows()
    if file_format == "csv":
        return write_csv(header=header, rows=rows), CSV_CONTENT_TYPE, f"org-chart-{stamp}.csv"
    content = write_xlsx(sheets=[Sheet(_("Org chart"), header, rows, _WIDTHS)])
    return content, XLSX_CONTENT_TYPE, f"org-chart-{stamp}.xlsx"


def _example_rows() -> list[list[object]]:
    company, sales, east = _("Example Company"), _("Sales"), _("East China sales")
    return [
        [
            "E1001",
            "张伟",
            "Wei Zhang",
            "wei.zhang@example.com",
            join_unit_path([company, sales]),
            "",
            "销售总监",
            "Sales director",
            "M2",
            "2020-03-01",
        ],
        [
            "E1002",
            "李娜",
            "Na Li",
            "na.li@example.com",
            join_unit_path([company, sales, east]),
            "E1001",
            "销售代表",
            "Sales representative",
            "P4",
            "2023-07-15",
        ],
    ]


def _column_help() -> dict[str, str]:
    return {
        "employee_number": _(
            "Unique for each person; letters, digits and @ . + - _ only. Re-importing a number updates that person. "
            "New people log in with it as their user name."
        ),
        "full_name": _("The person's name as colleagues know it, e.g. 张伟."),
        "english_name": _("Shown when the interface is in English. Leave empty if the person has none."),
        "email": _(
            "Each person needs their own address. New people set their password with “Forgot password” on the "
            "login page, using this address."
        ),
        "unit_path": _(
            "Unit names from the top of the organisation down, separated by “/”, e.g. 星河科技/销售中心/华东销售部. "
            "Units that do not exist yet are created."
        ),
        "manager_number": _(
            "The employee number of the person's direct manager, either in this file or already in Stride. "
            "Leave empty for the top of the organisation."
        ),
        "job_title": _("The job title as colleagues know it, e.g. 销售代表. May be empty."),
        "job_title_en": _("Shown when the interface is in English, e.g. Sales representative. May be empty."),
        "grade_level": _("For example: P4 or M2. May be empty."),
        "hire_date": _("Written as YYYY-MM-DD, e.g. 2023-07-15. Leave empty if not known."),
    }


def _instruction_rows() -> list[list[object]]:
    chinese = use_chinese_headers()
    helps = _column_help()
    rows: list[list[object]] = [
        [
            column.header(chinese=chinese),
            column.header(chinese=not chinese),
            _("required") if column.value_required else _("optional"),
            helps[column.key],
        ]
        for column in COLUMNS
    ]
    notes = [
        _("Fill in the first sheet: keep its header row and write one row per person. Delete the two example rows."),
        _("Headers may be in English or Chinese and the columns in any order."),
        _(
            "Every row is checked first. If any row has an error, nothing is imported and the errors are listed "
            "with their row and column."
        ),
        _("People already in Stride are matched by employee number and updated; people not in the file are kept."),
        _("Save the file as .xlsx or as CSV (UTF-8; GBK from Chinese Excel also works), at most %(limit)s.")
        % {"limit": filesizeformat(settings.STRIDE_MAX_UPLOAD_BYTES)},
    ]
    rows.append(["", "", "", ""])
    rows.extend(["", "", "", note] for note in notes)
    return rows


def org_chart_template(*, file_format: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of an empty org chart with two example rows and instructions."""
    header, examples = org_chart_header(), _example_rows()
    if file_format == "csv":
        return write_csv(header=header, rows=examples), CSV_CONTENT_TYPE, "org-chart-template.csv"
    instructions_header = [_("Column"), _("Also accepted as"), _("Required"), _("What to enter")]
    content = write_xlsx(
        sheets=[
            Sheet(_("Org chart"), header, examples, _WIDTHS),
            Sheet(_("Instructions"), instructions_header, _instruction_rows(), [26, 26, 12, 90], wrap=True),
        ]
    )
    return content, XLSX_CONTENT_TYPE, "org-chart-template.xlsx"
