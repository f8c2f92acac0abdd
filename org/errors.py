"""Error codes of the org app; messages say what to do next.

A code's value is the API's ``type`` (never change one); all of them answer 400 (see ``core.errors``).
"""

from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError, ErrorCode


class OrgError(ApplicationError):
    pass


class OrgErrorCode(ErrorCode):
    MANAGER_CYCLE = "org.manager_cycle"
    UNIT_CYCLE = "org.unit_cycle"
    IMPORT_INVALID = "org.import_invalid"
    IMPORT_CHANGED = "org.import_changed"
    CALENDAR_DAY_EXISTS = "org.calendar_day_exists"
    GRADE_LEVEL_IN_USE = "org.grade_level_in_use"


MESSAGES = {
    OrgErrorCode.MANAGER_CYCLE: _(
        "This manager would create a loop in the reporting line. Choose a manager outside this person's team."
    ),
    OrgErrorCode.UNIT_CYCLE: _(
        "This parent would put the unit inside itself. Choose a parent outside this unit's branch."
    ),
    OrgErrorCode.IMPORT_INVALID: _(
        "The file has errors. Nothing was imported; fix the rows listed and upload it again."
    ),
    OrgErrorCode.IMPORT_CHANGED: _(
        "The org chart in Stride changed after this file was checked, so importing it would now do something "
        "else. Nothing was imported; review the new preview and confirm again."
    ),
    OrgErrorCode.CALENDAR_DAY_EXISTS: _(
        "This date is already in the calendar. Confirm that it should be replaced, or edit the entry instead."
    ),
    OrgErrorCode.GRADE_LEVEL_IN_USE: _(
        "People still hold this grade level. Give them another grade level first (for example with the org "
        "chart import), then remove it from the list."
    ),
}


def org_error(code: OrgErrorCode, **extra) -> OrgError:
    return OrgError(code, MESSAGES[code], extra)
