"""Goals spreadsheets to download: the progress import template and the objectives export.

Both use core.spreadsheets' writers (UTF-8 CSV with a BOM, .xlsx with text never read as a
formula) and a constant number of queries whatever the number of rows.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, QuerySet, Value, When
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.spreadsheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Column,
    Sheet,
    write_csv,
    write_xlsx,
    write_xlsx_typed,
)
from goals.models import Direction, KeyResult, Objective, Period
from goals.objectives.selectors import objective_list_visible_to
from goals.progress.selectors import key_result_list_for_progress
from goals.progress.sheet import (
    COLUMNS,
    DATE_GRACE,
    INPUT_COLUMNS,
    confidence_choices_text,
    header_row,
    plain_number,
    use_chinese_headers,
)
from goals.scoring.figures import current_progress
from org.models import User

Download = tuple[bytes, str, str]  # content, content type, file name


def _within(period: Period) -> dict:
    """Objectives of the period and of the periods inside it (a year's export includes its quarters)."""
    return {"period__start__gte": period.start, "period__end__lte": period.end}


def _level_rank(prefix: str = "") -> Case:
    """Company, unit, person: the cascade's order (the codes sort otherwise)."""
    field = f"{prefix}level"
    return Case(
        When(**{field: Objective.Level.COMPANY}, then=Value(0)),
        When(**{field: Objective.Level.UNIT}, then=Value(1)),
        default=Value(2),
    )


def _slug(period: Period) -> str:
    return slugify(period.name) or str(period.pk)


def _target_text(key_result: KeyResult) -> str:
    if key_result.direction == Direction.RANGE:
        return f"{plain_number(key_result.range_low)}–{plain_number(key_result.range_high)}"
    if key_result.direction == Direction.DONE:
        return _("1 = done, 0 = not done")
    return plain_number(key_result.target)


# --- the progress import template ------------------------------------------------------------


def key_results_for_template(*, actor: User, period: Period) -> QuerySet[KeyResult]:
    """Active key results the actor may record progress on, in the period (milestone ones excluded)."""
    return (
        key_result_list_for_progress(actor=actor)
        .filter(
            objective__status=Objective.Status.APPROVED,
            objective__period__start__gte=period.start,
            objective__period__end__lte=period.end,
        )
        .exclude(direction=Direction.MILESTONES)
        .order_by(
            _level_rank("objective__"),
            "objective__owner_unit__name",
            "objective__owner_employee__user__full_name",
            "objective_id",
            "pk",
        )
    )


def progress_template_rows(*, actor: User, period: Period, today: date | None = None) -> list[list[object]]:
    today = today or timezone.localdate()
    rows = []
    for key_result in key_results_for_template(actor=actor, period=period):
        objective = key_result.objective
        as_of = min(today, objective.period.end)
        rows.append(
            [
                key_result.pk,
                objective.title,
                objective.owner_name,
                key_result.title,
                key_result.unit_display,
                _target_text(key_result),
                plain_number(key_result.current_value),
                "",
                as_of.isoformat(),
                "",
                "",
                "",
            ]
        )
    return rows


def _column_help() -> dict[str, str]:
    return {
        "key_result_id": _("Which key result the row updates. Keep it as it is."),
        "objective": _("For reference only; not read on import."),
        "owner": _("For reference only; not read on import."),
        "key_result": _("For reference only; not read on import."),
        "unit": _("For reference only. A value may end with this unit, e.g. 12 家; for % units, 95% means 95."),
        "target": _("For reference only; not read on import."),
        "current_value": _("The latest value recorded so far, for reference; not read on import."),
        "value": _(
            "The new value. Plain numbers such as 1234.5 or 1,234.5. For done / not done key results write 1 or "
            "0. Leave it empty to skip the key result."
        ),
        "as_of": _(
            "The date the value was measured, as YYYY-MM-DD. Not in the future, and within the objective's period."
        ),
        "confidence": _("Optional: %(choices)s. Empty means on track.") % {"choices": confidence_choices_text()},
        "comment": _("Optional: what happened, in a sentence."),
        "evidence_url": _("Optional: a link to the report or document behind the value, starting with https://."),
    }


def _instruction_rows() -> list[list[object]]:
    chinese = use_chinese_headers()
    helps = _column_help()
    rows: list[list[object]] = [
        [
            column.header(chinese=chinese),
            column.header(chinese=not chinese),
            _("required") if column.required else (_("optional") if column.key in INPUT_COLUMNS else _("not read")),
            helps[column.key],
        ]
        for column in COLUMNS
    ]
    notes = [
        _(
            "The first sheet lists every active key result you may update in this period: your own, your "
            "team's and your units'. Fill in a value for the ones you want to update; rows without a value "
            "are skipped."
        ),
        _("Headers may be in English or Chinese and the columns in any order."),
        _(
            "Every row is checked first. If any row has an error, nothing is imported and the errors are listed "
            "with their row and column."
        ),
        _(
            "Each value is added as a new progress update with the source “import”; nothing recorded before is "
            "changed. A value already recorded for the same key result and date is refused: correct it on "
            "My objectives instead."
        ),
        _("Dates lie in the objective's period or up to %(days)s days after its end, and never in the future.")
        % {"days": DATE_GRACE.days},
        _("Save the file as .xlsx or as CSV (UTF-8; GBK from Chinese Excel also works), at most %(limit)s.")
        % {"limit": filesizeformat(settings.STRIDE_MAX_UPLOAD_BYTES)},
    ]
    rows.append(["", "", "", ""])
    rows.extend(["", "", "", note] for note in notes)
    return rows


_TEMPLATE_WIDTHS = [14, 36, 14, 36, 8, 12, 14, 12, 16, 14, 30, 30]


def progress_template(*, actor: User, period: Period, file_format: str) -> Download:
    header, rows = header_row(), progress_template_rows(actor=actor, period=period)
    name = f"progress-{_slug(period)}-{timezone.localdate().isoformat()}"
    if file_format == "csv":
        return write_csv(header=header, rows=rows), CSV_CONTENT_TYPE, f"{name}.csv"
    instructions_header = [_("Column"), _("Also accepted as"), _("Required"), _("What to enter")]
    content = write_xlsx(
        sheets=[
            Sheet(_("Progress"), header, rows, _TEMPLATE_WIDTHS),
            Sheet(_("Instructions"), instructions_header, _instruction_rows(), [22, 22, 12, 90], wrap=True),
        ]
    )
    return content, XLSX_CONTENT_TYPE, f"{name}.xlsx"


# --- the objectives export -------------------------------------------------------------------

EXPORT_COLUMNS: tuple[Column, ...] = (
    Column("objective_id", "Objective ID", "目标编号", False),
    Column("period", "Period", "周期", False),
    Column("level", "Level", "层级", False),
    Column("owner", "Owner", "负责人", False),
    Column("unit", "Unit", "部门", False),
    Column("objective", "Objective", "目标", False),
    Column("status", "Status", "状态", False),
    Column("track", "Track", "类型", False),
    Column("objective_weight", "Objective weight", "目标权重", False),
    Column("due_date", "Due date", "截止日期", False),
    Column("aligned_to", "Aligned to", "对齐到", False),
    Column("key_result_id", "Key result ID", "关键结果编号", False),
    Column("key_result", "Key result", "关键结果", False),
    Column("direction", "Direction", "方向", False),
    Column("baseline", "Baseline", "基准值", False),
    Column("target", "Target", "目标值", False),
    Column("stretch", "Stretch", "挑战值", False),
    Column("kr_unit", "Unit of measure", "计量单位", False),
    Column("kr_weight", "Key result weight", "关键结果权重", False),
    Column("kpi", "KPI", "关键绩效指标 (KPI)", False),
    Column("current_value", "Current value", "当前值", False),
    Column("last_update", "Last update", "最近更新", False),
    Column("progress", "Progress %", "进度 %", False),
)
_EXPORT_WIDTHS = [10, 12, 10, 16, 20, 40, 16, 16, 10, 12, 36, 10, 40, 18, 10, 12, 10, 10, 10, 16, 12, 12, 10]


def objectives_for_export(*, actor: User, period: Period) -> QuerySet[Objective]:
    return (
        objective_list_visible_to(actor=actor)
        .filter(**_within(period))
        .select_related("owner_employee__unit")
        .order_by(
            "period__start", _level_rank(), "owner_unit__name", "owner_employee__user__full_name", "-weight", "pk"
        )
    )


def _kpi_text(key_result: KeyResult) -> str:
    if key_result.kpi_id is None:
        return ""
    return f"{key_result.kpi.code} v{key_result.kpi.version}"


def _progress(key_result: KeyResult) -> Decimal | None:
    return current_progress(key_result)


def _aligned_to(objective: Objective) -> str:
    if objective.parent_id:
        return objective.parent.title
    if objective.theme_id:
        return objective.theme.display_title
    return ""


def _objective_unit(objective: Objective) -> str:
    if objective.owner_employee_id:
        return objective.owner_employee.unit.display_name
    return objective.owner_unit.display_name if objective.owner_unit_id else ""


def _key_result_cells(kr: KeyResult) -> list[object]:
    return [
        kr.pk,
        kr.title,
        kr.get_direction_display(),
        kr.baseline,
        _target_text(kr) if kr.direction in (Direction.RANGE, Direction.DONE) else kr.target,
        kr.stretch,
        kr.unit_display,
        kr.weight,
        _kpi_text(kr),
        kr.current_value,
        kr.last_measured_on,
        _progress(kr),
    ]


def objectives_export_rows(*, actor: User, period: Period) -> list[list[object]]:
    """One row per key result (one for an objective without any), numbers as Decimals, dates as dates."""
    rows = []
    for objective in objectives_for_export(actor=actor, period=period):
        objective_cells = [
            objective.pk,
            objective.period.name,
            objective.get_level_display(),
            objective.owner_name,
            _objective_unit(objective),
            objective.title,
            objective.get_status_display(),
            objective.get_track_display(),
            objective.weight,
            objective.due_date,
            _aligned_to(objective),
        ]
        key_results = list(objective.key_results.all())
        if not key_results:
            rows.append(objective_cells + [None] * (len(EXPORT_COLUMNS) - len(objective_cells)))
            continue
        rows.extend([*objective_cells, *_key_result_cells(kr)] for kr in key_results)
    return rows


def _csv_value(value: object) -> object:
    return plain_number(value) if isinstance(value, Decimal) else value


def objectives_export(*, actor: User, period: Period, file_format: str) -> Download:
    chinese = use_chinese_headers()
    header = [c.header(chinese=chinese) for c in EXPORT_COLUMNS]
    rows = objectives_export_rows(actor=actor, period=period)
    name = f"objectives-{_slug(period)}-{timezone.localdate().isoformat()}"
    if file_format == "csv":
        csv_rows = [[_csv_value(v) for v in row] for row in rows]
        return write_csv(header=header, rows=csv_rows), CSV_CONTENT_TYPE, f"{name}.csv"
    content = write_xlsx_typed(sheets=[Sheet(_("Objectives"), header, rows, _EXPORT_WIDTHS)])
    return content, XLSX_CONTENT_TYPE, f"{name}.xlsx"
