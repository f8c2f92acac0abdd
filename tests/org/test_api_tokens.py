"""Personal API tokens: several per person, listed on the profile, revocable, expiring; a bad token
answers 401 with WWW-Authenticate."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from org.models import ApiToken
from org.signin.tokens import api_token_issue
from tests.factories import PASSWORD


def me(raw):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return api.get(reverse("api-me"))


def test_the_token_endpoint_issues_a_named_token_that_expires_in_90_days(client, org):
    response = client.post(reverse("api-token"), {"username": "rep", "password": PASSWORD, "name": "report script"})
    assert response.status_code == 200
    raw = response.json()["token"]
    token = ApiToken.objects.get(user=org.rep.user)
    assert token.name == "report script"
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    assert raw not in (token.token_hash, token.token_prefix)  # only a hash is kept
    assert me(raw).json()["username"] == "rep"


def test_a_person_has_several_tokens(client, org):
    first = client.post(reverse("api-token"), {"username": "rep", "password": PASSWORD}).json()["token"]
    second = client.post(reverse("api-token"), {"username": "rep", "password": PASSWORD}).json()["token"]
    assert first != second
    assert me(first).status_code == me(second).status_code == 200


def test_the_expiry_is_configurable(org, settings):
    settings.STRIDE_API_TOKEN_DAYS = 7
    token, _raw = api_token_issue(user=org.rep.user, name="x")
    assert abs(token.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)


@pytest.mark.parametrize("case", ["expired", "revoked", "unknown", "garbage", "left"])
def test_a_bad_token_answers_401_with_www_authenticate(org, case):
    token, raw = api_token_issue(user=org.rep.user, name="x")
    if case == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif case == "revoked":
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    elif case == "unknown":
        raw = raw[:8] + "x" * 35
    elif case == "garbage":
        raw = "nope"
    elif case == "left":
        org.rep.user.is_active = False
        org.rep.user.save()
    response = me(raw)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="api"'
    assert response.json()["type"] == "authentication_failed"


def test_last_use_is_written_at_most_once_a_minute(org, django_assert_num_queries):
    token, raw = api_token_issue(user=org.rep.user, name="x")
    assert me(raw).status_code == 200
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    assert me(raw).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first_use  # within the minute: not written again
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=2))
    assert me(raw).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first_use - timedelta(minutes=2)


def test_the_profile_lists_ones_own_tokens_only(client_for, org):
    api_token_issue(user=org.rep.user, name="weekly report")
    api_token_issue(user=org.lead.user, name="lead's script")
    client = client_for(org.rep)
    own = client.get(reverse("org:employee", args=[org.rep.pk])).content.decode()
    assert "weekly report" in own
    assert reverse("org:api-tokens") in own
    other = client_for(org.lead).get(reverse("org:employee", args=[org.rep.pk])).content.decode()
    assert "weekly report" not in other
    assert 'id="api-tokens"' not in other


def test_create_on_the_page_shows_the_token_once(client_for, org):
    client = client_for(org.rep)
    response = client.post(reverse("org:api-tokens"), {"name": "laptop"})
    assert response.status_code == 201
    raw = response.context["new_token"]
    assert raw in response.content.decode()
    assert me(raw).status_code == 200
    again = client.get(reverse("org:api-tokens")).content.decode()
    assert raw not in again
    assert "laptop" in again
    assert "Never" not in again  # used once just now: the date is shown


def test_create_needs_a_name(client_for, org):
    response = client_for(org.rep).post(reverse("org:api-tokens"), {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoke_own_token_and_it_stops_working(client_for, org):
    token, raw = api_token_issue(user=org.rep.user, name="x")
    response = client_for(org.rep).post(reverse("org:api-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert me(raw).status_code == 401
    assert "Revoked" in client_for(org.rep).get(reverse("org:api-tokens")).content.decode()


def test_someone_elses_token_cannot_be_revoked(client_for, org):
    token, raw = api_token_issue(user=org.rep.user, name="x")
    for who in (org.lead, org.hr):
        assert client_for(who).post(reverse("org:api-token-revoke", args=[token.pk])).status_code == 404
    assert me(raw).status_code == 200


def test_anonymous_is_sent_to_the_login_page(client, db):
    assert client.get(reverse("org:api-tokens"))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("count", [1, 15])
def test_the_token_page_takes_a_fixed_number_of_queries(client_for, org, count, django_assert_max_num_queries):
    for n in range(count):
        api_token_issue(user=org.rep.user, name=f"t{n}")
    client = client_for(org.rep)
    with django_assert_max_num_queries(8):
        client.get(reverse("org:api-tokens"))


def test_everyone_finds_the_page_under_my_work_even_without_a_profile(client_for, org):
    body = client_for(org.admin).get(reverse("home")).content.decode()
    assert f'href="{reverse("org:api-tokens")}"' in body
