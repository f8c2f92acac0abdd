"""Failed sign-ins are throttled per account and per address, on the login page and the API token
endpoint alike; HR sees who is locked out and unlocks them."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from org.signin.throttle import client_address
from tests.factories import PASSWORD, EmployeeFactory


def login(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def api_token(client, username, password, address="10.0.0.1"):
    return client.post(reverse("api-token"), {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_twenty_wrong_passwords_then_the_right_one_is_refused_on_the_login_page(client, org):
    # given: twenty wrong passwords in a row for one account
    for _ in range(20):
        login(client, "rep", "wrong")
    # when: the right one comes
    response = login(client, "rep", PASSWORD)
    # then: refused with a clear message and a time to wait, not signed in
    body = response.content.decode()
    assert response.status_code == 429
    assert 'id="signin-locked"' in body
    assert "Try again in 15 minutes" in body
    assert response["Retry-After"] == "900"
    assert not signed_in(client)
    # and HR has a record of every failure
    assert AccessFailureLog.objects.filter(username="rep").count() == 21


def test_twenty_wrong_passwords_then_the_right_one_is_refused_on_the_api_token_endpoint(client, org):
    for _ in range(20):
        api_token(client, "rep", "wrong")
    response = api_token(client, "rep", PASSWORD)
    assert response.status_code == 429
    assert response.json()["type"] == "signin_locked_out"
    assert "Try again in 15 minutes" in response.json()["detail"]
    assert "token" not in response.json()


def test_the_login_page_and_the_api_share_one_count(client, org):
    for _ in range(3):
        login(client, "rep", "wrong")
    for _ in range(2):
        api_token(client, "rep", "wrong")
    assert login(client, "rep", PASSWORD).status_code == 429


def test_a_few_typos_then_the_right_password_signs_in_and_clears_them(client, org):
    for _ in range(4):
        login(client, "rep", "wrong")
    response = login(client, "rep", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)
    assert not AccessAttempt.objects.filter(username="rep").exists()


def test_an_account_is_locked_whatever_the_address(client, org):
    # given: five failures for one account, each from another address
    for n in range(5):
        login(Client(), "rep", "wrong", address=f"10.0.1.{n}")
    # then: the right password from yet another address is refused too
    assert login(client, "rep", PASSWORD, address="10.0.2.1").status_code == 429
    # but another account signs in from there
    assert login(client, "rep2", PASSWORD, address="10.0.2.1").status_code == 302


def test_the_user_name_and_the_e_mail_in_any_case_count_as_one_account(client, org):
    for login_name in ("rep", "REP", org.rep.user.email, org.rep.user.email.upper(), "Rep"):
        login(client, login_name, "wrong")
    assert login(client, "rep", PASSWORD).status_code == 429


def test_one_address_trying_many_accounts_is_locked_at_its_own_higher_limit(client, org):
    people = [EmployeeFactory(user__username=f"p{n}") for n in range(20)]
    for person in people[:19]:
        login(client, person.user.username, "wrong", address="10.9.9.9")
    # nineteen failures from one address (one office may share it): still open
    assert login(Client(), "rep", PASSWORD, address="10.9.9.9").status_code == 302
    login(client, people[19].user.username, "wrong", address="10.9.9.9")
    # the twentieth locks the address, for every account
    assert login(Client(), "rep2", PASSWORD, address="10.9.9.9").status_code == 429
    assert login(Client(), "rep2", PASSWORD, address="10.9.9.10").status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_an_addresss_failures(client, org):
    people = [EmployeeFactory(user__username=f"p{n}") for n in range(19)]
    for person in people:
        login(client, person.user.username, "wrong", address="10.9.9.9")
    assert login(Client(), "rep", PASSWORD, address="10.9.9.9").status_code == 302
    login(client, "rep2", "wrong", address="10.9.9.9")
    assert login(Client(), "lead", PASSWORD, address="10.9.9.9").status_code == 429


def test_the_lock_ends_after_the_cool_off(client, org):
    for _ in range(5):
        login(client, "rep", "wrong")
    assert login(client, "rep", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, "rep", PASSWORD).status_code == 302


def test_limits_and_lock_time_come_from_settings(client, org, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=3)
    login(client, "rep", "wrong")
    assert login(client, "rep", PASSWORD).status_code == 302
    client.logout()
    login(client, "rep", "wrong")
    login(client, "rep", "wrong")
    response = login(client, "rep", PASSWORD)
    assert response.status_code == 429
    assert "Try again in 3 minutes" in response.content.decode()


def test_the_lockout_message_is_in_chinese_for_chinese_readers(client, org):
    for _ in range(5):
        login(client, "rep", "wrong")
    client.cookies["stride_language"] = "zh-hans"
    response = login(client, "rep", PASSWORD)
    assert response.status_code == 429
    assert 'lang="zh-hans"' in response.content.decode()


# --- the client's address behind a proxy ----------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no proxy trusted: a client's own header is ignored
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # what the client made up stays left of the proxy's entry
        (2, "6.6.6.6, 1.2.3.4, 172.16.0.2", "1.2.3.4"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_address(rf, settings, proxies, forwarded, expected):
    settings.STRIDE_TRUSTED_PROXY_COUNT = proxies
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_a_spoofed_forwarded_header_does_not_dodge_the_address_limit(client, org):
    people = [EmployeeFactory(user__username=f"p{n}") for n in range(20)]
    for n, person in enumerate(people):
        client.post(
            reverse("login"),
            {"username": person.user.username, "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{n}",
        )
    assert login(Client(), "rep", PASSWORD, address="10.9.9.9").status_code == 429


# --- HR sees and unlocks ------------------------------------------------------------------------


def test_hr_sees_locked_accounts_and_unlocks_them(client_for, org):
    for _ in range(5):
        login(Client(), "rep", "wrong", address="10.0.0.7")
    page = client_for(org.hr).get(reverse("org:signin-lockouts"))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-lock="account:rep"' in body
    assert "Locked until" in body
    assert "10.0.0.7" in body

    response = client_for(org.hr).post(reverse("org:signin-unlock"), {"kind": "account", "value": "rep"})

    assert response.status_code == 302
    assert login(Client(), "rep", PASSWORD, address="10.0.0.7").status_code == 302


def test_admins_see_the_page_and_the_header_links_it_for_hr(client_for, org):
    assert client_for(org.admin).get(reverse("org:signin-lockouts")).status_code == 200
    assert reverse("org:signin-lockouts") in client_for(org.hr).get(reverse("org:people")).content.decode()


@pytest.mark.parametrize("who", ["rep", "lead", "ceo"])
def test_others_cannot_see_or_unlock(client_for, org, who):
    for _ in range(5):
        login(Client(), "rep2", "wrong")
    client = client_for(getattr(org, who))
    assert client.get(reverse("org:signin-lockouts")).status_code == 403
    assert client.post(reverse("org:signin-unlock"), {"kind": "account", "value": "rep2"}).status_code == 403
    assert AccessAttempt.objects.filter(username="rep2").exists()


def test_the_lockout_page_takes_a_fixed_number_of_queries(client_for, org, django_assert_max_num_queries):
    for n in range(30):
        login(Client(), f"nobody{n}", "wrong", address=f"10.3.0.{n}")
    client = client_for(org.hr)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("org:signin-lockouts")).status_code == 200


def test_the_admin_login_is_throttled_too(client, org):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "admin", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(reverse("admin:login"), {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert not signed_in(client)
