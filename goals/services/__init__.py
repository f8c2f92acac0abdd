"""Every write to goals. Split by area; import from here."""

from goals.services.imports import measurement_import, measurement_record_many
from goals.services.integrations import (
    integration_client_authenticate,
    integration_client_issue,
    integration_client_revoke,
)
from goals.services.library import (
    kpi_create,
    kpi_reference_set,
    kpi_update,
    period_ensure_fiscal_year,
    smart_setting_set,
    theme_create,
    theme_update,
)
from goals.services.objectives import (
    action_plan_create,
    action_plan_update,
    objective_approve,
    objective_cancel,
    objective_close,
    objective_create,
    objective_return,
    objective_submit,
    objective_update,
)
from goals.services.progress import (
    key_result_create,
    key_result_delete,
    key_result_mark_done,
    key_result_update,
    measurement_correct,
    measurement_record,
    milestone_set_done,
)

__all__ = [
    "action_plan_create",
    "action_plan_update",
    "integration_client_authenticate",
    "integration_client_issue",
    "integration_client_revoke",
    "key_result_create",
    "key_result_delete",
    "key_result_mark_done",
    "key_result_update",
    "kpi_create",
    "kpi_reference_set",
    "kpi_update",
    "measurement_correct",
    "measurement_import",
    "measurement_record",
    "measurement_record_many",
    "milestone_set_done",
    "objective_approve",
    "objective_cancel",
    "objective_close",
    "objective_create",
    "objective_return",
    "objective_submit",
    "objective_update",
    "period_ensure_fiscal_year",
    "smart_setting_set",
    "theme_create",
    "theme_update",
]
