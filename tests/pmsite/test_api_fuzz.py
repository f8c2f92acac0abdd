"""Schemathesis against /api/schema/: every operation, as an employee and as HR, with a bounded
number of generated requests and a fixed seed, answers without a server error and only with
responses (status and body) that the schema declares."""

import copy
import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder as JSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from org.signin.tokens import api_token_issue
from tests.goals.factories import KeyResultFactory, MeasurementFactory, ObjectiveFactory, PeriodFactory, ThemeFactory

EXAMPLES_PER_OPERATION = 10
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture(params=["employee", "hr"])
def api_token(request, org) -> str:
    """A personal API token of the rep (employee) or of HR, with a few records both can reach."""
    period = PeriodFactory()
    ThemeFactory(owner=org.ceo, period=period)
    objective = ObjectiveFactory(owner_employee=org.rep, period=period)
    MeasurementFactory(key_result=KeyResultFactory(objective=objective))
    who = org.rep if request.param == "employee" else org.hr
    _, raw = api_token_issue(user=who.user, name="fuzz")
    return raw


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, minus the connection closing around each request (as the test client
    does), so that requests run inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schema.app
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _served_schema() -> dict:
    """What /api/schema/ serves, built as SchemaView builds it (no request is needed, so it can be
    built while tests are collected; test_fuzzed_schema_is_the_served_one holds them equal)."""
    return SchemaGenerator().get_schema(request=None, public=True)


# pytest 9 runs schemathesis's lazy from_fixture() loader no more (it sets Node._nodeid), so the
# schema is loaded at collection and each operation is its own test.
SERVED_SCHEMA = json.loads(json.dumps(_served_schema(), cls=JSONEncoder))
schema = schemathesis.openapi.from_dict(copy.deepcopy(SERVED_SCHEMA))
schema.app = get_wsgi_application()
# The schema's examples and generated requests; the coverage phase (every boundary value of every
# parameter) passes too but takes two minutes more than CI should spend here.
schema.config.phases.update(phases=["examples", "fuzzing"])


def test_fuzzed_schema_is_the_served_one(api_for, org):
    response = api_for(org.rep).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json() == SERVED_SCHEMA


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_schema_says(case, api_token, wsgi_app):
    case.call_and_validate(headers={"Authorization": f"Token {api_token}"}, checks=CHECKS)
