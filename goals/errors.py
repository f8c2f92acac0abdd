"""Error codes of the goals app; messages say what to do next.

A code's value is the API's ``type`` (clients depend on it: never change one); a code that is a
conflict with the record's state declares 409, the rest answer 400 (see ``core.errors``).
"""

from http import HTTPStatus

from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError, ErrorCode


class GoalError(ApplicationError):
    pass


class GoalErrorCode(ErrorCode):
    NOT_EDITABLE = "goals.not_editable", HTTPStatus.CONFLICT
    BAD_TRANSITION = "goals.bad_transition", HTTPStatus.CONFLICT
    NOT_ACTIVE = "goals.not_active", HTTPStatus.CONFLICT
    ALREADY_CORRECTED = "goals.already_corrected", HTTPStatus.CONFLICT
    KPI_NOT_CURRENT = "goals.kpi_not_current", HTTPStatus.CONFLICT
    SMART_FAILED = "goals.smart_failed"
    WEIGHTS_OBJECTIVES = "goals.weights_objectives"
    WEIGHTS_KEY_RESULTS = "goals.weights_key_results"
    COMMENT_REQUIRED = "goals.comment_required"
    REASON_REQUIRED = "goals.reason_required"
    WEIGHT_ZERO = "goals.weight_zero"
    PROGRESS_INVALID = "goals.progress_invalid"
    PROGRESS_BATCH_INVALID = "goals.progress_batch_invalid"
    IMPORT_INVALID = "goals.import_invalid"
    PARENT_PERIOD = "goals.parent_period"
    PARENT_CYCLE = "goals.parent_cycle"
    PARENT_LEVEL = "goals.parent_level"


MESSAGES = {
    GoalErrorCode.NOT_EDITABLE: _(
        "Only a draft or a returned objective can be changed. Ask the approver to return it first."
    ),
    GoalErrorCode.BAD_TRANSITION: _("This objective is %(status)s, so it cannot be %(action)s."),
    GoalErrorCode.NOT_ACTIVE: _("Progress can only be recorded on an approved objective."),
    GoalErrorCode.ALREADY_CORRECTED: _("This update was already corrected; correct the latest correction instead."),
    GoalErrorCode.KPI_NOT_CURRENT: _("Only the current version of a KPI can be changed."),
    GoalErrorCode.SMART_FAILED: _("The SMART check failed: %(criteria)s. Fix these before submitting."),
    GoalErrorCode.WEIGHTS_OBJECTIVES: _(
        "The weights of your counted objectives in %(period)s add up to %(total)s; they must add up to 100."
    ),
    GoalErrorCode.WEIGHTS_KEY_RESULTS: _("The key results' weights add up to %(total)s; they must add up to 100."),
    GoalErrorCode.COMMENT_REQUIRED: _("Say what should change: a returned objective needs a comment."),
    GoalErrorCode.WEIGHT_ZERO: _(
        "A counted objective needs a weight above 0: give it its share of the 100, or make it a stretch (OKR) "
        "objective, which does not count."
    ),
    GoalErrorCode.REASON_REQUIRED: _("Say why the value is corrected: a correction needs a reason."),
    GoalErrorCode.PROGRESS_INVALID: _("This progress update cannot be recorded: %(problems)s"),
    GoalErrorCode.PROGRESS_BATCH_INVALID: _(
        "Some progress updates cannot be recorded. Nothing was recorded; fix the items listed and send them again."
    ),
    GoalErrorCode.IMPORT_INVALID: _(
        "The file has errors. Nothing was imported; fix the rows listed and upload it again."
    ),
    GoalErrorCode.PARENT_PERIOD: _("The parent objective belongs to another period. Choose one from %(period)s."),
    GoalErrorCode.PARENT_LEVEL: _(
        "A personal objective aligns to a unit or company objective, a unit objective to a unit or company one, "
        "and none to a cancelled objective. Choose another."
    ),
    GoalErrorCode.PARENT_CYCLE: _("An objective cannot be aligned to itself or to one of its own children."),
}


def goal_error(code: GoalErrorCode, *, errors: dict | None = None, **params) -> GoalError:
    message = MESSAGES[code] % params if params else MESSAGES[code]
    return GoalError(code, message, {"errors": errors} if errors else {})
