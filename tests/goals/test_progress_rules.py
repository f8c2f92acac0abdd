"""One set of rules for every progress update — the form, the import, the API and pushes from other
systems check the same things (goals.progress.rules.progress_problems), and a push is written set-based."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from goals.events import progress_recorded
from goals.models import KeyResult, Measurement, Milestone, Objective
from goals.progress import rules
from goals.progress.services.integrations import integration_client_issue
from tests.goals.factories import KeyResultFactory, MeasurementFactory, ObjectiveFactory, PeriodFactory

TODAY = date(2026, 6, 15)


def facts(**fields) -> rules.ProgressKeyResult:
    values = {
        "id": 7, "title": "新签客户数", "direction": "higher", "data_source": "manual", "unit": "家",
        "period_name": "2026", "period_start": date(2026, 1, 1), "period_end": date(2026, 3, 31),
        "figures": (Decimal(0), Decimal(60)),
    }  # fmt: skip
    return rules.ProgressKeyResult(**(values | fields))


def problems_of(*updates: rules.ProgressUpdate, recorded=None) -> list[list[tuple[str, str]]]:
    found = rules.progress_problems(updates, today=TODAY, recorded=recorded or {})
    return [[(p.field, p.message) for p in item] for item in found]


def update(value="5", as_of=date(2026, 3, 1), kr=None, **fields) -> rules.ProgressUpdate:
    value = None if value is None else Decimal(value)
    return rules.ProgressUpdate(kr or facts(), value=value, as_of=as_of, **fields)


# --- the pure rule ---------------------------------------------------------------------------


def test_a_plain_update_passes():
    assert problems_of(update()) == [[]]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 6, 16), "is in the future"),
        (date(2030, 1, 1), "is in the future"),
        (date(2025, 12, 31), "outside the objective's period"),
        (date(2024, 3, 1), "outside the objective's period"),
        (date(2026, 5, 2), "outside the objective's period"),  # more than 31 days after the end
    ],
)
def test_dates_outside_the_period_window_or_in_the_future_are_refused(as_of, expected):
    [[(field, message)]] = problems_of(update(as_of=as_of))
    assert field == "as_of"
    assert expected in message


def test_figures_may_come_up_to_a_month_after_the_period_ends():
    assert problems_of(update(as_of=date(2026, 5, 1))) == [[]]


@pytest.mark.parametrize(
    ("kr", "value", "expected"),
    [
        (facts(direction="done", figures=()), "5", "either done or not done"),
        (facts(direction="done", figures=()), "0.5", "either done or not done"),
        (facts(unit="%", figures=(Decimal(80), Decimal(95))), "950", "percentage between 0 and 100"),
        (facts(unit="%", figures=(Decimal(80), Decimal(95))), "-3", "percentage between 0 and 100"),
        (facts(), "123456789012345", "too large"),
    ],
)
def test_values_must_fit_the_key_results_kind(kr, value, expected):
    [[(field, message)]] = problems_of(update(value, kr=kr))
    assert field == "value"
    assert expected in message


def test_sane_values_of_each_kind_pass():
    assert problems_of(
        update("1", kr=facts(direction="done", figures=())),
        update("0", kr=facts(id=8, direction="done", figures=())),
        update("94.5", kr=facts(id=9, unit="%", figures=(Decimal(80), Decimal(95)))),
        update("130", kr=facts(id=10, unit="%", figures=(Decimal(100), Decimal(150)))),  # growth over 100 %
    ) == [[], [], [], []]


def test_a_milestone_key_result_takes_no_value():
    [[(field, message)]] = problems_of(update("1", kr=facts(direction="milestones", figures=())))
    assert field == "value"
    assert "tracked by milestones" in message


def test_data_sources():
    api_kr = facts(data_source="api")
    [[(field, message)]] = problems_of(update(source="api"))
    assert (field, "does not take values from other systems" in message) == ("key_result", True)
    [[(_field, message)]] = problems_of(update(kr=api_kr, source="manual"))
    assert "takes its values from another system" in message
    assert problems_of(update(kr=api_kr, source="api")) == [[]]
    assert problems_of(update(kr=api_kr, source="manual", correction=True)) == [[]]


def test_an_objective_that_is_not_approved_takes_no_progress():
    kr = facts(active=False, objective_title="华东区新签客户 60 家", objective_status="draft")
    [[(field, message)]] = problems_of(update(kr=kr))
    assert field == "key_result"
    assert "华东区新签客户 60 家” is draft" in message


def test_one_value_per_key_result_and_date():
    day = date(2026, 3, 1)
    [[(field, message)]] = problems_of(update("5", as_of=day), recorded={(7, day): Decimal(4)})
    assert field == "as_of"
    assert "already has a value as of 2026-03-01 (4)" in message
    assert "correct that progress update" in message
    [[(_field, message)]] = problems_of(update("4", as_of=day), recorded={(7, day): Decimal(4)})
    assert "already recorded" in message
    assert problems_of(update(as_of=day), recorded={(8, day): Decimal(4), (7, date(2026, 3, 2)): Decimal(4)}) == [[]]


def test_two_values_for_one_key_result_and_date_in_one_batch_are_refused_once():
    found = problems_of(
        update("5", label="row 2"), update("6", label="row 3"), update("6", as_of=date(2026, 3, 2), label="row 4")
    )
    assert [len(item) for item in found] == [1, 0, 0]  # one problem per group, on its first update
    assert "(row 3)" in found[0][0][1]


# --- every writer applies them: the API, the push, the form ------------------------------------


@pytest.fixture
def period(db):
    """A period around today (300 days behind, 60 ahead), whatever day the tests run on."""
    today = timezone.localdate()
    return PeriodFactory(name="rolling", start=today - timedelta(days=300), end=today + timedelta(days=60))


@pytest.fixture
def kr(org, period):
    objective = ObjectiveFactory(owner_employee=org.rep, period=period, status=Objective.Status.APPROVED)
    return KeyResultFactory(objective=objective, title="新签客户数")


def post_update(api, kr, **body):
    return api.post(reverse("api-goals-measurement-list"), {"key_result": kr.pk, "value": "5"} | body, format="json")


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (lambda today: today.replace(year=today.year + 3), "is in the future"),
        (lambda today: today + timedelta(days=1), "is in the future"),
        (lambda today: today - timedelta(days=301), "outside the objective's period"),
        (lambda today: today.replace(year=today.year - 3), "outside the objective's period"),
    ],
)
def test_the_api_refuses_dates_the_form_and_the_import_refuse(api_for, org, kr, as_of, expected):
    response = post_update(api_for(org.rep), kr, as_of=as_of(timezone.localdate()).isoformat())

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "goals.progress_invalid"
    assert expected in body["errors"]["as_of"][0]
    assert expected in body["title"]
    kr.refresh_from_db()
    assert (kr.current_value, Measurement.objects.count()) == (None, 0)


def test_a_milestone_key_result_takes_no_value_through_the_api(api_for, org, kr):
    steps = KeyResultFactory(objective=kr.objective, direction="milestones", baseline=None, target=None)
    Milestone.objects.create(key_result=steps, title="需求评审")

    response = post_update(api_for(org.rep), steps, value="1")

    assert response.status_code == 400, response.content
    assert "tracked by milestones" in response.json()["errors"]["value"][0]
    assert not Measurement.objects.exists()


def test_a_done_key_result_takes_only_0_or_1_through_the_api(api_for, org, kr):
    launch = KeyResultFactory(objective=kr.objective, direction="done", baseline=None, target=None)

    response = post_update(api_for(org.rep), launch, value="5")

    assert response.status_code == 400, response.content
    assert "either done or not done" in response.json()["errors"]["value"][0]


def test_a_second_update_for_the_same_date_is_refused_by_the_api_and_the_form(api_for, client_for, org, kr):
    today = timezone.localdate()
    api = api_for(org.rep)
    assert post_update(api, kr, as_of=today.isoformat()).status_code == 201

    response = post_update(api, kr, value="7", as_of=today.isoformat())
    assert response.status_code == 400, response.content
    assert "already has a value as of" in response.json()["errors"]["as_of"][0]

    form = client_for(org.rep).post(
        reverse("goals:record-progress", args=[kr.pk]),
        {"value": "7", "as_of": today.isoformat(), "confidence": "on_track"},
    )
    assert form.status_code == 400
    assert "already has a value as of" in form.content.decode()
    assert Measurement.objects.count() == 1


def test_a_person_cannot_type_values_into_a_key_result_fed_by_another_system(api_for, org, kr):
    KeyResult.objects.filter(pk=kr.pk).update(data_source=KeyResult.Source.API)

    response = post_update(api_for(org.rep), kr, as_of=timezone.localdate().isoformat())

    assert response.status_code == 400, response.content
    assert "takes its values from another system" in response.json()["errors"]["key_result"][0]


def test_a_correction_keeps_its_date_but_cannot_take_another_updates_date(api_for, org, kr):
    today = timezone.localdate()
    first = MeasurementFactory(key_result=kr, value=Decimal(5), as_of=today - timedelta(days=2))
    MeasurementFactory(key_result=kr, value=Decimal(8), as_of=today - timedelta(days=1))
    api = api_for(org.rep)
    correct = reverse("api-goals-measurement-correct", args=[first.pk])

    taken = api.post(correct, {"value": "6", "comment": "漏记", "as_of": (today - timedelta(days=1)).isoformat()})
    assert taken.status_code == 400, taken.content
    assert "already has a value as of" in taken.json()["errors"]["as_of"][0]
    future = api.post(correct, {"value": "6", "comment": "漏记", "as_of": (today + timedelta(days=1)).isoformat()})
    assert "is in the future" in future.json()["errors"]["as_of"][0]

    assert api.post(correct, {"value": "6", "comment": "漏记"}).status_code == 201


def test_a_correction_without_a_reason_has_its_own_error(api_for, org, kr):
    first = MeasurementFactory(key_result=kr, value=Decimal(5), as_of=timezone.localdate())

    response = api_for(org.rep).post(reverse("api-goals-measurement-correct", args=[first.pk]), {"value": "6"})

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "goals.reason_required"
    assert "correction needs a reason" in body["title"]
    assert "returned objective" not in body["title"]


# --- pushes: the same rules, set-based ----------------------------------------------------------


@pytest.fixture
def system(org):
    _client, raw = integration_client_issue(actor=org.hr.user, name="CRM")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return api


@pytest.fixture
def fed(kr):
    KeyResult.objects.filter(pk=kr.pk).update(data_source=KeyResult.Source.API)
    kr.refresh_from_db()
    return kr


def push(api, body):
    return api.post(reverse("api-goals-measurement-push"), body, format="json")


def test_a_push_refuses_a_future_date_that_would_become_the_current_value(system, fed):
    far = timezone.localdate().replace(year=timezone.localdate().year + 3)

    response = push(system, [{"key_result": fed.pk, "value": "9999", "as_of": far.isoformat()}])

    assert response.status_code == 400, response.content
    assert "is in the future" in response.json()["errors"]["0.as_of"][0]
    fed.refresh_from_db()
    assert fed.current_value is None


def test_a_push_refuses_two_values_for_one_date_and_a_date_already_recorded(system, fed):
    today, yesterday = timezone.localdate(), timezone.localdate() - timedelta(days=1)
    MeasurementFactory(key_result=fed, value=Decimal(3), as_of=yesterday, source="api")
    body = [
        {"key_result": fed.pk, "value": "5", "as_of": today.isoformat()},
        {"key_result": fed.pk, "value": "6", "as_of": today.isoformat()},
        {"key_result": fed.pk, "value": "4", "as_of": yesterday.isoformat()},
    ]

    errors = push(system, body).json()["errors"]

    assert set(errors) == {"0.as_of", "2.as_of"}  # the repeated date once, on its first item
    assert "(item 1)" in errors["0.as_of"][0]
    assert "already has a value as of" in errors["2.as_of"][0]
    assert Measurement.objects.count() == 1


def test_a_push_reports_unknown_ids_and_broken_rules_together(system, fed):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    body = [
        {"key_result": 999_999, "value": "1", "as_of": tomorrow},
        {"key_result": fed.pk, "value": "1", "as_of": tomorrow},
    ]

    errors = push(system, body).json()["errors"]

    assert set(errors) == {"0.key_result", "1.as_of"}


def _batch(kr, n: int) -> list[dict]:
    start = kr.objective.period.start
    return [{"key_result": kr.pk, "value": str(i), "as_of": (start + timedelta(days=i)).isoformat()} for i in range(n)]


def test_a_push_writes_set_based_and_queues_one_roll_up_per_key_result(
    system, fed, monkeypatch, django_capture_on_commit_callbacks
):
    other = KeyResultFactory(objective=fed.objective, title="回款率", data_source="api")
    announced: list[int] = []
    queued: list[tuple[str, dict]] = []
    monkeypatch.setattr("goals.tasks._enqueue", lambda task, kwargs: queued.append((task.name, kwargs)))

    def listen(sender, key_result_id, **kwargs):
        announced.append(key_result_id)

    progress_recorded.connect(listen, dispatch_uid="test-push-roll-ups")
    try:
        counts = []
        for n, first_day in ((10, 0), (200, 10)):
            rows = [row | {"as_of": (date.fromisoformat(row["as_of"]) + timedelta(days=first_day)).isoformat()}
                    for row in _batch(fed, n)]  # fmt: skip
            rows.append({"key_result": other.pk, "value": "1", "as_of": rows[0]["as_of"]})
            with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
                response = push(system, rows)
            assert response.status_code == 201, response.content
            counts.append(len(queries))
    finally:
        progress_recorded.disconnect(dispatch_uid="test-push-roll-ups")

    assert counts[0] == counts[1], counts  # the same queries for 11 rows as for 201
    assert counts[0] <= 14, counts
    assert sorted(announced) == sorted([fed.pk, other.pk] * 2)  # one event per key result and push
    assert sorted(kwargs["key_result_id"] for _name, kwargs in queued) == sorted([fed.pk, other.pk] * 2)
    assert {name for name, _kwargs in queued} == {"goals.recompute_path"}  # and one roll-up
    assert Measurement.objects.filter(key_result=fed).count() == 210
    fed.refresh_from_db()
    assert fed.current_value == Decimal(199)
