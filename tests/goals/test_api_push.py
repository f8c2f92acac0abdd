"""Other systems push progress updates with the token HR issued them; nothing else accepts that token."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from goals.models import Measurement, Objective
from goals.progress.services.integrations import integration_client_issue, integration_client_revoke
from org.signin.tokens import api_token_issue
from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory

PUSH = "api-goals-measurement-push"


@pytest.fixture
def crm(org):
    client, raw = integration_client_issue(actor=org.hr.user, name="CRM", description="Salesforce")
    return client, raw


@pytest.fixture
def system(crm):
    """An HTTP client that sends the CRM's token."""
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {crm[1]}")
    return api


@pytest.fixture
def active(org):
    """An approved objective of the rep with two key results fed by the CRM and one typed by hand."""
    PeriodFactory()
    objective = ObjectiveFactory(owner_employee=org.rep, status=Objective.Status.APPROVED)
    return (
        KeyResultFactory(objective=objective, title="新签客户数", data_source="api"),
        KeyResultFactory(objective=objective, title="回款率", data_source="api", target=Decimal("95")),
        KeyResultFactory(objective=objective, title="客户拜访", data_source="manual"),
    )


def push(api, body):
    return api.post(reverse(PUSH), body, format="json")


def assert_error(response, status, type_):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"type", "title", "detail", "errors"}
    assert body["type"] == type_
    return body


def test_a_system_pushes_one_update_and_it_records_who_sent_it(system, crm, active, api_for, org):
    new_customers = active[0]
    response = push(system, {"key_result": new_customers.pk, "value": "37", "as_of": "2026-10-31", "comment": "CRM"})
    assert response.status_code == 201, response.content
    [pk] = response.json()["ids"]
    measurement = Measurement.objects.get(pk=pk)
    assert (measurement.source, measurement.source_client, measurement.entered_by) == ("api", crm[0], None)
    assert (measurement.value, measurement.as_of, measurement.comment) == (Decimal(37), date(2026, 10, 31), "CRM")
    new_customers.refresh_from_db()
    assert new_customers.current_value == Decimal(37)
    crm[0].refresh_from_db()
    assert crm[0].last_used_at is not None
    seen = api_for(org.rep).get(reverse("api-goals-measurement-detail", args=[pk])).json()
    assert (seen["source"], seen["source_client"]["name"], seen["entered_by"]) == ("api", "CRM", None)


def test_a_batch_is_recorded_in_order(system, active):
    customers, collection, _manual = active
    body = [
        {"key_result": customers.pk, "value": "30", "as_of": "2026-09-30"},
        {"key_result": collection.pk, "value": "0.94", "as_of": "2026-09-30", "confidence": "at_risk"},
        {"key_result": customers.pk, "value": "37", "as_of": "2026-10-31"},
    ]
    response = push(system, body)
    assert response.status_code == 201, response.content
    assert response.json()["count"] == 3
    rows = [Measurement.objects.get(pk=pk) for pk in response.json()["ids"]]
    assert [(r.key_result_id, r.value, r.confidence) for r in rows] == [
        (customers.pk, Decimal(30), "on_track"),
        (collection.pk, Decimal("0.94"), "at_risk"),
        (customers.pk, Decimal(37), "on_track"),
    ]


def test_missing_wrong_malformed_and_revoked_tokens_answer_401(crm, active, org):
    body = {"key_result": active[0].pk, "value": "1", "as_of": "2026-10-31"}
    anonymous = APIClient()
    response = push(anonymous, body)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    for header in (f"Bearer {crm[1][:8]}wrong-token-rest", "Bearer", f"Bearer {crm[1]} extra"):
        anonymous.credentials(HTTP_AUTHORIZATION=header)
        assert_error(push(anonymous, body), 401, "authentication_failed")
    integration_client_revoke(client=crm[0], actor=org.hr.user)
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {crm[1]}")
    body = assert_error(push(anonymous, body), 401, "authentication_failed")
    assert "revoked" in body["title"]
    assert not Measurement.objects.exists()


def test_people_cannot_push_with_their_session_or_their_token(client, active, org):
    body = {"key_result": active[0].pk, "value": "1", "as_of": "2026-10-31"}
    client.force_login(org.hr.user)
    response = client.post(reverse(PUSH), body, content_type="application/json")
    assert_error(response, 401, "not_authenticated")
    _token, raw = api_token_issue(user=org.hr.user, name="script")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert_error(push(api, body), 401, "not_authenticated")
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "api-goals-objective-list", []),
        ("get", "api-goals-measurement-list", []),
        ("post", "api-goals-measurement-list", []),
        ("get", "api-goals-key-result-list", []),
        ("get", "api-goals-kpi-list", []),
        ("get", "api-me", []),
        ("get", "api-employee-list", []),
        ("get", "api-notification-list", []),
    ],
)
def test_an_integration_token_opens_no_other_endpoint(system, active, method, name, args):
    body = {"key_result": active[0].pk, "value": "1", "as_of": "2026-10-31"}
    response = getattr(system, method)(reverse(name, args=args), body if method == "post" else None, format="json")
    assert response.status_code == 401, response.content
    assert response.json()["type"] == "not_authenticated"
    assert not Measurement.objects.exists()


def test_a_key_result_typed_by_hand_does_not_take_pushed_values(system, active):
    body = assert_error(push(system, [{"key_result": active[2].pk, "value": "1", "as_of": "2026-10-31"}]), 400,
                        "validation_error")  # fmt: skip
    assert body["errors"] == {
        "0.key_result": ["This key result does not take values from other systems; set its data source to API."]
    }
    assert not Measurement.objects.exists()


def test_a_push_for_a_draft_objective_is_refused_and_nothing_is_written(system, org):
    draft = KeyResultFactory(objective=ObjectiveFactory(owner_employee=org.rep), data_source="api")
    body = assert_error(push(system, {"key_result": draft.pk, "value": "1", "as_of": "2026-10-31"}), 400,
                        "validation_error")  # fmt: skip
    [message] = body["errors"]["0.key_result"]
    assert message.endswith("is draft. Progress can only be recorded on an approved objective.")
    assert not Measurement.objects.exists()


def test_a_batch_is_all_or_nothing_with_errors_per_item(system, active):
    good = {"key_result": active[0].pk, "value": "5", "as_of": "2026-10-31"}
    wrong_items = [
        good,
        good | {"key_result": active[2].pk},
        good | {"as_of": "2026-10-30"},
        good | {"key_result": 999_999},
    ]
    body = assert_error(push(system, wrong_items), 400, "validation_error")
    assert set(body["errors"]) == {"1.key_result", "3.key_result"}
    assert body["errors"]["3.key_result"] == ["No key result has this id."]
    malformed = [good, {"key_result": active[0].pk, "as_of": "31/10/2026"}, good | {"confidence": "great"}]
    body = assert_error(push(system, malformed), 400, "validation_error")
    assert set(body["errors"]) == {"1.value", "1.as_of", "2.confidence"}
    assert not Measurement.objects.exists()
    active[0].refresh_from_db()
    assert active[0].current_value is None


def test_batch_size_limits(system, active):
    assert_error(push(system, []), 400, "validation_error")
    item = {"key_result": active[0].pk, "value": "1", "as_of": "2026-10-31"}
    body = assert_error(push(system, [item] * 501), 400, "validation_error")
    assert "500" in body["errors"]["non_field_errors"][0]
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(250)]
    batch = [item | {"key_result": kr.pk, "as_of": day.isoformat()} for day in days for kr in active[:2]]
    assert push(system, batch).status_code == 201
    assert Measurement.objects.count() == 500


def test_only_json_is_accepted(system, active):
    response = system.post(reverse(PUSH), {"key_result": active[0].pk, "value": "1", "as_of": "2026-10-31"})
    assert_error(response, 415, "unsupported_media_type")


def test_the_principal_is_a_system_not_a_person(crm):
    from goals.progress.authentication import IntegrationPrincipal
    from org.selectors import user_roles

    principal = IntegrationPrincipal(crm[0])
    assert principal.client == crm[0]
    assert not principal.is_authenticated  # passes no IsAuthenticated; history records no "changed by"
    assert principal.pk is None
    assert not principal.has_perm("goals.add_measurement")
    assert user_roles(principal) == frozenset()
