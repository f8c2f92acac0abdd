"""Switching the interface language: on every page, for anonymous and signed-in people, remembered."""

import re

from django.conf import settings
from django.test import Client
from django.urls import reverse


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "every page has <html lang>"
    return match.group(1)


def test_login_page_has_the_switcher_and_anonymous_switch_sets_a_cookie(client, db):
    login = client.get(reverse("login"))
    body = login.content.decode()
    assert f'action="{reverse("language-switch")}"' in body
    assert "English" in body
    assert "简体中文" in body
    assert html_lang(login) == "en"

    response = client.post(reverse("language-switch"), {"language": "zh-hans", "next": reverse("login")})

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "zh-hans"
    assert int(cookie["max-age"]) >= 365 * 24 * 60 * 60
    assert html_lang(client.get(reverse("login"))) == "zh-hans"


def test_signed_in_switch_is_saved_on_the_profile_and_follows_to_other_devices(client_for, org):
    org.rep.preferred_language = "zh-hans"
    org.rep.save()
    client = client_for(org.rep)
    assert html_lang(client.get(reverse("home"))) == "zh-hans"

    response = client.post(
        reverse("language-switch"), {"language": "en", "next": reverse("org:employee", args=[org.rep.pk])}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("org:employee", args=[org.rep.pk])
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    org.rep.refresh_from_db()
    assert org.rep.preferred_language == "en"
    assert html_lang(client.get(response["Location"])) == "en"
    assert org.rep.history.first().preferred_language == "en"  # a recorded change, not a silent update

    # Another browser with no cookie: the saved preference still applies.
    other_device = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    other_device.force_login(org.rep.user)
    assert html_lang(other_device.get(reverse("home"))) == "en"


def test_saved_preference_beats_the_cookie(client_for, org):
    org.rep.preferred_language = "zh-hans"
    org.rep.save()
    client = client_for(org.rep)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert html_lang(client.get(reverse("home"))) == "zh-hans"


def test_every_signed_in_page_has_the_switcher(client_for, org):
    client = client_for(org.hr)
    for url in (
        reverse("home"),
        reverse("org:people"),
        reverse("org:units"),
        reverse("org:employee", args=[org.rep.pk]),
        reverse("notifications:inbox"),
        reverse("password_change"),
    ):
        body = client.get(url).content.decode()
        assert f'action="{reverse("language-switch")}"' in body, url
        assert f'name="next" value="{url}"' in body, url


def test_admin_without_profile_switches_by_cookie(client_for, org):
    response = client_for(org.admin).post(reverse("language-switch"), {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"


def test_unknown_language_changes_nothing(client_for, org):
    response = client_for(org.rep).post(reverse("language-switch"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    org.rep.refresh_from_db()
    assert org.rep.preferred_language == "en"


def test_next_must_be_on_this_site(client, db):
    for next_url in ("https://evil.example/", "//evil.example/path", "javascript:alert(1)", ""):
        response = client.post(reverse("language-switch"), {"language": "en", "next": next_url})
        assert response["Location"] == reverse("home"), next_url


def test_switch_is_post_only(client, db):
    assert client.get(reverse("language-switch"), {"language": "en"}).status_code == 405


def test_switch_needs_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("language-switch"), {"language": "en"}).status_code == 403
