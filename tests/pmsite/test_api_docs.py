"""The API schema and docs: behind a sign-in unless opened by setting; every operation lists
the error answers it really gives; filters refuse values they cannot read."""

from datetime import date

import pytest
import yaml
from django.urls import reverse

from goals.models import Objective
from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory
from tests.pmsite.processes import settings_values

ERROR_FIELDS = {"type", "title", "detail", "errors"}


def _error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == ERROR_FIELDS
    return body


@pytest.fixture
def schema(api_for, org) -> dict:
    response = api_for(org.rep).get(reverse("api-schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


# --- who may read the schema and the docs --------------------------------------------


def test_schema_and_docs_need_a_sign_in_by_default(client, org):
    # when: someone who is not signed in asks for the schema and the docs page
    schema = client.get(reverse("api-schema"), {"format": "json"})
    docs = client.get(reverse("api-docs"))
    # then: the schema answers 401 in the error shape, the docs page sends them to log in
    assert _error(schema, 401)["type"] == "not_authenticated"
    assert docs.status_code == 302
    assert docs.url.startswith(reverse("login"))


def test_signed_in_people_read_schema_and_docs(client_for, org):
    client = client_for(org.rep)
    assert client.get(reverse("api-schema")).status_code == 200
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_docs_can_be_opened_to_everyone(client, org, settings):
    settings.STRIDE_API_DOCS_PUBLIC = True
    assert client.get(reverse("api-schema")).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200


@pytest.mark.smoke
def test_docs_are_public_in_local_settings_and_private_in_production():
    local = settings_values("pmsite.settings.local", ["STRIDE_API_DOCS_PUBLIC"])
    production = settings_values(
        "pmsite.settings.production",
        ["STRIDE_API_DOCS_PUBLIC"],
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="stride.example.com",
    )
    assert local["STRIDE_API_DOCS_PUBLIC"] is True
    assert production["STRIDE_API_DOCS_PUBLIC"] is False


def test_the_docs_page_has_no_inline_script(client_for, org):
    client = client_for(org.rep)
    body = client.get(reverse("api-docs")).content.decode()
    assert "<script>" not in body
    script = client.get(f"{reverse('api-docs')}?script=")
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# --- the error answers in the schema ----------------------------------------------------

WRITES = {"post", "put", "patch", "delete"}
CONFLICTS = {
    ("/api/v1/goals/objectives/{id}/", "patch"),
    ("/api/v1/goals/objectives/{id}/submit/", "post"),
    ("/api/v1/goals/objectives/{id}/approve/", "post"),
    ("/api/v1/goals/objectives/{id}/return/", "post"),
    ("/api/v1/goals/objectives/{id}/close/", "post"),
    ("/api/v1/goals/objectives/{id}/cancel/", "post"),
    ("/api/v1/goals/key-results/", "post"),
    ("/api/v1/goals/key-results/{id}/", "patch"),
    ("/api/v1/goals/key-results/{id}/", "delete"),
    ("/api/v1/goals/measurements/", "post"),
    ("/api/v1/goals/measurements/{id}/correct/", "post"),
    ("/api/v1/goals/kpis/{id}/", "patch"),
}
PUBLIC = {("/api/v1/auth/token/", "post")}


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in WRITES | {"get"}:
                yield path, method, operation


def test_the_error_shape_is_one_component(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == ERROR_FIELDS
    assert set(error["required"]) == ERROR_FIELDS


def test_every_operation_lists_the_errors_it_gives(schema):
    missing = []
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        has_query = any(p["in"] == "query" and p["name"] not in {"page", "page_size"}
                        for p in operation.get("parameters", []))  # fmt: skip
        expected = set()
        if method in WRITES or has_query:
            expected.add("400")
        if (path, method) not in PUBLIC:
            expected.add("401")
            if method in WRITES:
                expected.add("403")
        if "{" in path:
            expected.add("404")
        if (path, method) in CONFLICTS:
            expected.add("409")
        for status in expected:
            if status not in responses:
                missing.append(f"{method.upper()} {path}: {status}")
                continue
            ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
            if ref != "#/components/schemas/Error":
                missing.append(f"{method.upper()} {path}: {status} is not an Error")
        if "409" in responses and (path, method) not in CONFLICTS:
            missing.append(f"{method.upper()} {path}: 409 listed but never given")
    assert missing == []


def test_a_documented_conflict_is_really_given(api_for, org, schema):
    # given: an approved objective (no longer a draft)
    PeriodFactory()
    objective = ObjectiveFactory(owner_employee=org.rep, status=Objective.Status.APPROVED)
    # when: its owner changes it
    response = api_for(org.rep).patch(
        reverse("api-goals-objective-detail", args=[objective.pk]), {"title": "全年新签客户 70 家"}, format="json"
    )
    # then: 409, as the schema says
    assert _error(response, 409)["type"] == "goals.not_editable"
    assert "409" in schema["paths"]["/api/v1/goals/objectives/{id}/"]["patch"]["responses"]


# --- filters refuse what they cannot read -------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "param"),
    [
        ("api-goals-measurement-list", "include_corrected"),
        ("api-goals-objective-list", "aligned"),
        ("api-goals-kpi-list", "all_versions"),
        ("api-unit-list", "root"),
        ("api-notification-list", "unread"),
    ],
)
def test_a_yes_no_filter_refuses_maybe(api_for, org, url_name, param):
    response = api_for(org.rep).get(reverse(url_name), {param: "maybe"})
    body = _error(response, 400)
    assert body["type"] == "validation_error"
    assert list(body["errors"]) == [param]
    assert "maybe" in body["errors"][param][0]


def test_yes_no_filters_still_read_true_and_false(api_for, org):
    PeriodFactory()
    kr = KeyResultFactory(objective=ObjectiveFactory(owner_employee=org.rep, status=Objective.Status.APPROVED))
    api = api_for(org.rep)
    for value in ("true", "false", "True", "False", ""):
        response = api.get(reverse("api-goals-measurement-list"), {"key_result": kr.pk, "include_corrected": value})
        assert response.status_code == 200, (value, response.content)


def test_an_unknown_sort_field_is_refused(api_for, org):
    response = api_for(org.rep).get(reverse("api-goals-measurement-list"), {"ordering": "-password"})
    body = _error(response, 400)
    assert list(body["errors"]) == ["ordering"]
    ok = api_for(org.rep).get(reverse("api-goals-measurement-list"), {"ordering": "-as_of"})
    assert ok.status_code == 200


def test_a_filter_value_of_the_wrong_type_is_refused(api_for, org):
    response = api_for(org.rep).get(reverse("api-goals-measurement-list"), {"as_of_after": date(2026, 1, 1)})
    assert response.status_code == 200
    bad = api_for(org.rep).get(reverse("api-goals-measurement-list"), {"as_of_after": "soon"})
    assert _error(bad, 400)["type"] == "validation_error"
