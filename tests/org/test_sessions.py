"""How long a sign-in lasts: configurable, shorter for HR and admins, ends with the browser unless
"Keep me signed in" is ticked."""

import time

import pytest
from django.urls import reverse

from org.signin.sessions import DEADLINE_KEY
from tests.factories import PASSWORD


def sign_in(client, username, remember=False):
    data = {"username": username, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(reverse("login"), data)
    assert response.status_code == 302
    return response


def session_cookie(response):
    return response.cookies["sessionid"]


def test_the_login_page_offers_keep_me_signed_in(client, db):
    body = client.get(reverse("login")).content.decode()
    assert 'name="remember"' in body
    assert "Keep me signed in" in body


def test_unticked_the_session_ends_when_the_browser_closes(client, org):
    cookie = session_cookie(sign_in(client, "rep"))
    assert not cookie["max-age"]
    assert not cookie["expires"]


def test_ticked_an_employee_stays_signed_in_12_hours(client, org):
    cookie = session_cookie(sign_in(client, "rep", remember=True))
    assert cookie["max-age"] == 12 * 60 * 60


@pytest.mark.parametrize("who", ["hr", "admin"])
def test_hr_and_admins_get_4_hours(client, org, who):
    cookie = session_cookie(sign_in(client, who, remember=True))
    assert cookie["max-age"] == 4 * 60 * 60


def test_the_lengths_come_from_settings(client, org, settings):
    settings.STRIDE_SESSION_HOURS = 30
    settings.STRIDE_PRIVILEGED_SESSION_HOURS = 2
    assert session_cookie(sign_in(client, "rep", remember=True))["max-age"] == 30 * 60 * 60
    client.logout()
    assert session_cookie(sign_in(client, "hr", remember=True))["max-age"] == 2 * 60 * 60


def test_a_browser_session_still_ends_on_the_server_after_its_hours(client, org):
    sign_in(client, "hr")
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    assert session[DEADLINE_KEY] - time.time() == pytest.approx(4 * 60 * 60, abs=60)
    session[DEADLINE_KEY] = int(time.time()) - 1
    session.save()

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
