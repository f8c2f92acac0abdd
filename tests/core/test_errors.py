"""Error codes: each app lists its codes as an enum in its errors.py; the API's exception handler,
not the service, answers with the HTTP status a code declares (400 unless it declares one)."""

import importlib
import importlib.util
from http import HTTPStatus

import pytest
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from core.api import exception_handler
from core.errors import ApplicationError, ErrorCode, http_status_for

# The codes clients see as an error's `type`, with their status. Changing one breaks clients: add
# codes, never rename them.
PUBLISHED = {
    "goals.not_editable": 409,
    "goals.bad_transition": 409,
    "goals.not_active": 409,
    "goals.already_corrected": 409,
    "goals.kpi_not_current": 409,
    "goals.smart_failed": 400,
    "goals.weights_objectives": 400,
    "goals.weights_key_results": 400,
    "goals.comment_required": 400,
    "goals.reason_required": 400,
    "goals.weight_zero": 400,
    "goals.progress_invalid": 400,
    "goals.progress_batch_invalid": 400,
    "goals.import_invalid": 400,
    "goals.parent_period": 400,
    "goals.parent_cycle": 400,
    "goals.parent_level": 400,
    "org.manager_cycle": 400,
    "org.unit_cycle": 400,
    "org.import_invalid": 400,
    "org.import_changed": 400,
    "org.calendar_day_exists": 400,
    "org.grade_level_in_use": 400,
    "notifications.channel_fixed": 400,
    "notifications.unknown_kind": 400,
    "notifications.reminder_unknown": 400,
    "notifications.reminder_waiting": 400,
    "notifications.reminder_disabled": 400,
    "notifications.reminder_invalid": 400,
}


class SampleCode(ErrorCode):
    STALE = "sample.stale", HTTPStatus.CONFLICT
    INVALID = "sample.invalid"


def app_error_modules():
    """Every installed app's errors.py, found through the app registry (a new app's codes are checked too)."""
    names = [f"{config.name}.errors" for config in apps.get_app_configs() if "." not in config.name]
    return [importlib.import_module(name) for name in names if importlib.util.find_spec(name)]


def app_error_enums():
    return [
        (module, value)
        for module in app_error_modules()
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ErrorCode)
        and value is not ErrorCode
        and value.__module__ == module.__name__  # defined there, not imported
    ]


def handle(error):
    return exception_handler(error, context={})


def test_the_handler_answers_with_the_status_the_code_declares():
    response = handle(ApplicationError(SampleCode.STALE, _("Reload and try again."), {"version": 3}))

    assert response.status_code == 409
    assert response.data == {
        "type": "sample.stale",
        "title": "Reload and try again.",
        "detail": "Reload and try again.",
        "errors": {},
        "version": 3,
    }


def test_a_code_without_a_declared_status_answers_400_with_its_field_errors():
    error = ApplicationError(SampleCode.INVALID, "Fix the fields.", {"errors": {"name": ["Enter a name."]}})

    response = handle(error)

    assert response.status_code == 400
    assert response.data == {
        "type": "sample.invalid",
        "title": "Fix the fields.",
        "detail": "Fix the fields.",
        "errors": {"name": ["Enter a name."]},
    }


def test_an_unknown_plain_string_code_answers_400():
    response = handle(ApplicationError("sample.not_an_enum", "Something is wrong."))

    assert response.status_code == 400
    assert response.data["type"] == "sample.not_an_enum"
    assert http_status_for("goals.not_editable") == 400  # a status belongs to the enum member, not the string


def test_every_app_declares_its_codes_in_an_enum_and_the_published_ones_do_not_change():
    found = {str(code): int(code.http_status) for _module, enum in app_error_enums() for code in enum}

    assert {module.__name__ for module, _enum in app_error_enums()} >= {
        "goals.errors",
        "org.errors",
        "notifications.errors",
    }
    assert found == PUBLISHED
    for module, enum in app_error_enums():
        app = module.__name__.removesuffix(".errors")
        assert all(code.startswith(f"{app}.") for code in enum), enum


@pytest.mark.parametrize("module_enum", app_error_enums(), ids=lambda pair: pair[1].__name__)
def test_every_code_has_a_message_people_can_read(module_enum):
    module, enum = module_enum

    assert set(module.MESSAGES) == set(enum)
    assert all(str(message).strip() for message in module.MESSAGES.values())
