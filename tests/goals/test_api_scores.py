"""/api/v1/goals/scores/: explanations and history through the real URLs, with the denials."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from goals.scoring.rollup import recompute_all
from tests.goals.factories import KeyResultFactory, MeasurementFactory
from tests.goals.score_fixtures import Cascade, approved, build_cascade, record

D = Decimal
URL = "/api/v1/goals/scores"


@pytest.fixture
def cascade(org) -> Cascade:
    c = build_cascade(org)
    c.record_all(org)
    recompute_all(period=c.year)
    return c


def test_an_objectives_explanation_with_its_history(org, cascade, api_for):
    c = cascade
    response = api_for(org.rep).get(f"{URL}/objective/{c.rep_sales.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "objective"
    assert body["subject_id"] == c.rep_sales.pk
    assert body["period"] == c.year.pk
    assert body["subject"] == "个人销售额 60 万元"
    assert (body["score"], body["progress"]) == ("75", "75")
    assert body["formula"] == "Σ weight × achievement ÷ Σ weight (key results)"
    assert body["items"] == [
        {
            "kind": "key_result",
            "subject_id": c.rep_kr.pk,
            "label": "个人销售额",
            "url": f"/goals/key-results/{c.rep_kr.pk}/history/",
            "weight": "100",
            "value": "75",
            "contribution": "75",
            "detail": "actual 45 of target 60 from baseline 0 → 75 %",
        }
    ]
    assert body["notes"] == []
    assert body["history"] == [[timezone.localdate().isoformat(), "75"]]


def test_a_hidden_objective_is_not_found(org, cascade, api_for):
    assert api_for(org.other_rep).get(f"{URL}/objective/{cascade.rep_sales.pk}/").status_code == 404
    assert api_for(org.rep).get(f"{URL}/objective/987654/").status_code == 404


def test_aligned_objectives_the_caller_may_not_open_are_masked(org, cascade, api_for):
    # given: the unit objective counts the reps' personal objectives (children share 50 %)
    body = api_for(org.other_rep).get(f"{URL}/objective/{cascade.unit.pk}/").json()
    # then: another team's rep sees the numbers but not the titles
    assert body["score"] == "55"
    hidden = [item for item in body["items"] if item["kind"] == "objective"]
    assert [(i["label"], i["url"], i["subject_id"]) for i in hidden] == [
        ("An objective you may not open", "", None)
    ] * 3
    assert [i["contribution"] for i in hidden] == ["15", "8.33", "6.67"]
    # and their manager sees them
    shown = api_for(org.lead).get(f"{URL}/objective/{cascade.unit.pk}/").json()
    assert "个人销售额 60 万元" in [i["label"] for i in shown["items"]]


def test_a_persons_score(org, cascade, api_for):
    response = api_for(org.rep).get(f"{URL}/person/{org.rep.pk}/", {"period": cascade.year.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["score"] == "75"
    assert [(i["label"], i["contribution"]) for i in body["items"]] == [
        ("个人销售额 60 万元", "75"),
        ("试点新渠道", None),
    ]
    # the period defaults to the current fiscal year
    assert api_for(org.rep).get(f"{URL}/person/{org.rep.pk}/").json()["period"] == cascade.year.pk


@pytest.mark.parametrize("reader", ["lead", "director", "ceo", "hr", "admin"])
def test_managers_above_hr_executives_and_admins_read_a_persons_score(org, cascade, api_for, reader):
    response = api_for(getattr(org, reader)).get(f"{URL}/person/{org.rep.pk}/", {"period": cascade.year.pk})
    assert response.status_code == 200
    assert response.json()["score"] == "75"


@pytest.mark.parametrize("reader", ["rep2", "other_rep", "peer_lead"])
def test_colleagues_do_not_see_a_persons_score(org, cascade, api_for, reader):
    response = api_for(getattr(org, reader)).get(f"{URL}/person/{org.rep.pk}/", {"period": cascade.year.pk})
    assert response.status_code == 404


def test_people_do_not_see_their_managers_score(org, cascade, api_for):
    # the employee record of one's manager is visible, the manager's score is not
    assert api_for(org.rep).get(f"{URL}/person/{org.lead.pk}/").status_code == 404


def test_an_unknown_period_is_a_field_error(org, cascade, api_for):
    response = api_for(org.rep).get(f"{URL}/person/{org.rep.pk}/", {"period": 987654})
    assert response.status_code == 400
    assert "period" in response.json()["errors"]


def test_units_and_themes_are_open_to_every_signed_in_user(org, cascade, api_for):
    unit = api_for(org.other_rep).get(f"{URL}/unit/{org.sales.pk}/", {"period": cascade.year.pk})
    assert unit.status_code == 200
    assert unit.json()["score"] == "55"
    top = api_for(org.other_rep).get(f"{URL}/unit/{org.root.pk}/")
    assert top.json()["score"] == "52.5"
    theme = api_for(org.other_rep).get(f"{URL}/theme/{cascade.theme.pk}/")
    assert theme.status_code == 200
    assert theme.json()["score"] == "52.5"
    assert theme.json()["period"] == cascade.year.pk
    assert api_for(org.rep).get(f"{URL}/unit/987654/").status_code == 404
    assert api_for(org.rep).get(f"{URL}/theme/987654/").status_code == 404


@pytest.mark.parametrize("path", ["objective/{o}/", "person/{e}/", "unit/{u}/", "theme/{t}/"])
def test_anonymous_callers_are_refused(org, cascade, path):
    url = f"{URL}/" + path.format(o=cascade.rep_sales.pk, e=org.rep.pk, u=org.sales.pk, t=cascade.theme.pk)
    assert APIClient().get(url).status_code == 401


def _queries(api, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_items(org, api_for):
    # given: a person with 2 objectives and a unit objective with 2 aligned ones; then 20 of each
    from tests.goals.score_fixtures import this_year, unit_objective

    year = this_year()
    parent = unit_objective(unit=org.east, author=org.lead, period=year, children_weight=D(50))
    MeasurementFactory(key_result=KeyResultFactory(objective=parent), value=D(10))
    api = api_for(org.lead)

    def add(n):
        for _ in range(n):
            objective = approved(owner_employee=org.rep, period=year, weight=D(5), parent=parent,
                                 contribution_weight=D(1))  # fmt: skip
            MeasurementFactory(key_result=KeyResultFactory(objective=objective), value=D(30))
        recompute_all(period=year)

    add(2)
    _queries(api, f"{URL}/person/{org.rep.pk}/", {"period": year.pk})  # the reader's roles, read once and cached
    small = (_queries(api, f"{URL}/person/{org.rep.pk}/", {"period": year.pk}),
             _queries(api, f"{URL}/objective/{parent.pk}/"))  # fmt: skip
    add(18)
    large = (_queries(api, f"{URL}/person/{org.rep.pk}/", {"period": year.pk}),
             _queries(api, f"{URL}/objective/{parent.pk}/"))  # fmt: skip
    assert small == large


def test_history_is_day_and_score_pairs(org, cascade, api_for):
    c = cascade
    january, february = date(c.year.start.year, 1, 31), date(c.year.start.year, 2, 28)
    record(c.rep2_kr, 12, actor=org.rep2.user, as_of=january)
    recompute_all(period=c.year, as_of=january)
    recompute_all(period=c.year, as_of=february)
    body = api_for(org.rep2).get(f"{URL}/person/{org.rep2.pk}/").json()
    assert body["history"][:2] == [[january.isoformat(), "20"], [february.isoformat(), "20"]]
