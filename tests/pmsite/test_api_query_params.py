"""Query parameters an API list cannot read answer 400 with the parameter named, on every list:
page numbers and sizes as well as filters (an attacker's walk over the schema found these)."""

import pytest
from django.urls import reverse

from tests.goals.factories import ObjectiveFactory, PeriodFactory

LISTS = [
    "api-goals-objective-list",
    "api-goals-measurement-list",
    "api-unit-list",
    "api-employee-list",
    "api-notification-list",
]


BAD_PAGES = [("page", "abc"), ("page", "0"), ("page_size", "abc"), ("page_size", "-5")]


@pytest.mark.parametrize("url_name", LISTS)
@pytest.mark.parametrize(("param", "value"), BAD_PAGES)
def test_a_page_number_or_size_that_is_not_a_number_is_refused(api_for, org, url_name, param, value):
    # when: a list is asked for a page (or a page size) that is not a whole number from 1
    response = api_for(org.rep).get(reverse(url_name), {param: value})
    # then: 400 naming the parameter, not 404 "invalid page" nor the default size in silence
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    assert list(body["errors"]) == [param]
    assert value in body["errors"][param][0]


def test_page_numbers_and_sizes_still_work(api_for, org):
    PeriodFactory()
    for _ in range(3):
        ObjectiveFactory(owner_employee=org.rep)
    api = api_for(org.rep)
    url = reverse("api-goals-objective-list")
    first = api.get(url, {"page": "1", "page_size": "2"})
    assert first.status_code == 200
    assert len(first.json()["results"]) == 2
    assert api.get(url, {"page": "last", "page_size": "2"}).status_code == 200
    assert api.get(url, {"page": "", "page_size": ""}).status_code == 200
    # a page past the end is a page that does not exist: 404 as before
    assert api.get(url, {"page": "999"}).status_code == 404


@pytest.mark.parametrize("path", ["/api/", "/api/v1/nope/", "/api/v1/goals/nope/1/", "/api/v2/"])
def test_an_unknown_api_path_answers_the_api_error_shape(client, api_for, org, path):
    for caller in (client, api_for(org.rep)):
        response = caller.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["type"] == "not_found"
        assert response["Cache-Control"] == "private, no-store"
    assert client.post(path, {}).status_code == 404


def test_an_api_path_without_its_slash_is_still_redirected(api_for, org):
    response = api_for(org.rep).get("/api/v1/me")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/me/"


ID_FILTERS = [
    ("api-goals-objective-list", "owner_unit"),
    ("api-goals-objective-list", "unit"),
    ("api-goals-measurement-list", "objective"),
    ("api-unit-list", "parent"),
    ("api-unit-list", "within"),
    ("api-employee-list", "unit"),
    ("api-employee-list", "manager"),
]


@pytest.mark.parametrize(("url_name", "param"), ID_FILTERS)
@pytest.mark.parametrize("value", ["1.5", "-1", "0", "99999999999999999999"])
def test_an_id_filter_refuses_what_cannot_be_an_id(api_for, org, url_name, param, value):
    # when: an id filter is given a fraction, a negative number or zero
    response = api_for(org.hr).get(reverse(url_name), {param: value})
    # then: 400 naming the filter, not an empty list that looks like "nothing there"
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [param]


def test_id_filters_still_read_ids(api_for, org):
    response = api_for(org.hr).get(reverse("api-employee-list"), {"manager": org.lead.pk})
    assert response.status_code == 200
    assert org.rep.pk in [row["id"] for row in response.json()["results"]]
