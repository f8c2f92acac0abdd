"""The org API through real URLs: visibility, filters, pagination, errors, query counts."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, EmployeeFactory


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_gets_401_in_the_one_error_shape(client, org):
    response = client.get(reverse("api-employee-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="api"'  # says how to authenticate
    body = response.json()
    assert set(body) >= {"type", "title", "detail", "errors"}
    assert body["type"] == "not_authenticated"


def test_token_login_with_username_or_email(client, org):
    for login in ("rep", org.rep.user.email.upper()):
        response = client.post(reverse("api-token"), {"username": login, "password": PASSWORD})
        assert response.status_code == 200, response.content
        token = response.json()["token"]
        me = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}")
        assert me.json()["employee"]["employee_number"] == org.rep.employee_number


def test_token_with_wrong_password_is_a_validation_error(client, org):
    response = client.post(reverse("api-token"), {"username": "rep", "password": "nope"})
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert response.json()["errors"]["non_field_errors"]


def test_me_lists_roles(api_for, org):
    body = api_for(org.lead).get(reverse("api-me")).json()
    assert body["roles"] == ["employee", "manager"]
    assert body["employee"]["manager"]["id"] == org.director.pk
    assert api_for(org.admin).get(reverse("api-me")).json()["employee"] is None


def test_employee_list_is_limited_to_what_the_caller_may_see(api_for, org):
    assert ids(api_for(org.rep).get(reverse("api-employee-list"))) == {
        org.rep.pk,
        org.lead.pk,
        org.director.pk,
        org.ceo.pk,
    }
    lead_sees = ids(api_for(org.lead).get(reverse("api-employee-list")))
    assert org.other_rep.pk not in lead_sees
    assert org.rep2.pk in lead_sees
    assert len(ids(api_for(org.hr).get(reverse("api-employee-list")))) == 8


def test_employee_filters(api_for, org):
    api = api_for(org.hr)
    assert ids(api.get(reverse("api-employee-list"), {"unit": org.sales.pk})) == {
        org.director.pk,
        org.lead.pk,
        org.rep.pk,
        org.rep2.pk,
        org.peer_lead.pk,
        org.other_rep.pk,
    }
    assert ids(api.get(reverse("api-employee-list"), {"manager": org.lead.pk})) == {org.rep.pk, org.rep2.pk}
    assert ids(api.get(reverse("api-employee-list"), {"search": org.rep2.employee_number})) == {org.rep2.pk}


def test_employee_list_is_paginated(api_for, org):
    body = api_for(org.hr).get(reverse("api-employee-list"), {"page_size": 2}).json()
    assert body["count"] == 8
    assert len(body["results"]) == 2
    assert body["next"]


def test_employee_detail_hidden_is_404(api_for, org):
    url = reverse("api-employee-detail", args=[org.other_rep.pk])
    response = api_for(org.lead).get(url)
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"
    assert api_for(org.director).get(url).status_code == 200


def test_unit_list_tree_and_filters(api_for, org):
    api = api_for(org.rep)
    flat = api.get(reverse("api-unit-list")).json()
    assert flat["count"] == 5
    roots = api.get(reverse("api-unit-list"), {"root": "true"}).json()["results"]
    assert [u["id"] for u in roots] == [org.root.pk]
    within = api.get(reverse("api-unit-list"), {"within": org.sales.pk}).json()["results"]
    assert {u["id"] for u in within} == {org.east.pk, org.south.pk}
    tree = api.get(reverse("api-unit-tree")).json()
    assert tree[0]["name"] == "星河科技"
    sales = next(c for c in tree[0]["children"] if c["id"] == org.sales.pk)
    assert {c["id"] for c in sales["children"]} == {org.east.pk, org.south.pk}


def test_english_display_names_follow_the_language(api_for, org):
    api = api_for(org.hr)
    body = api.get(reverse("api-unit-detail", args=[org.east.pk]), HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["display_name"] == "East China sales"


@pytest.mark.parametrize("url_name", ["api-employee-list", "api-unit-list"])
def test_list_query_count_does_not_grow_with_rows(api_for, org, django_assert_max_num_queries, url_name):
    api = api_for(org.hr)
    api.get(reverse(url_name))  # warm up per-request caches
    with django_assert_max_num_queries(8) as few:
        api.get(reverse(url_name))
    EmployeeFactory.create_batch(30, unit=org.east, manager=org.lead)
    with django_assert_max_num_queries(len(few.captured_queries)):
        api.get(reverse(url_name))


def test_schema_and_docs_are_served(client_for, org):
    client = client_for(org.rep)  # signed in: STRIDE_API_DOCS_PUBLIC is off outside local settings
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200
    assert b"/api/v1/org/employees/" in schema.content
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()
