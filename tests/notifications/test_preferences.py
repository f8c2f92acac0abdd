"""The preferences page: kinds × channels, defaults from each kind, saving through the service,
and the choices being respected when notifications go out."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.apps import OBJECTIVE_APPROVED, OBJECTIVE_SUBMITTED
from notifications import types
from notifications.errors import NotificationError, NotificationErrorCode
from notifications.models import Channel, Delivery, NotificationPreference
from notifications.selectors import notification_preferences_of
from notifications.services import notification_preference_set, notify

URL = "/notifications/preferences/"


def checked(body: str) -> set[str]:
    """Names of the ticked checkboxes."""
    return {
        m.group(1)
        for m in re.finditer(r"<input[^>]*name=\"([^\"]+)\"[^>]*>", body)
        if " checked" in m.group(0) and 'type="checkbox"' in m.group(0)
    }


def boxes(body: str) -> set[str]:
    return set(re.findall(r'<input type="checkbox" name="([^"]+)"', body))


def test_the_url():
    assert reverse("notifications:preferences") == URL


def test_anonymous_is_sent_to_login(client):
    for method in ("get", "post"):
        response = getattr(client, method)(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["rep", "lead", "hr", "ceo", "admin"])
def test_every_signed_in_person_has_the_page(client_for, org, who):
    assert client_for(getattr(org, who)).get(URL).status_code == 200


def test_the_matrix_shows_every_kind_with_its_defaults(client_for, org):
    body = client_for(org.rep).get(URL).content.decode()

    codes = [t.code for t in types.all_types()]
    assert {"general", OBJECTIVE_SUBMITTED, OBJECTIVE_APPROVED} <= set(codes)
    assert boxes(body) == {f"{channel}-{code}" for code in codes for channel in ("email", "chat")}
    expected = {f"email-{t.code}" for t in types.all_types() if t.email} | {
        f"chat-{t.code}" for t in types.all_types() if t.chat
    }
    assert checked(body) == expected
    assert f'data-kind="{OBJECTIVE_SUBMITTED}"' in body
    assert "My objective was approved" in body  # the kinds' labels
    # in-app: always on, not switchable
    assert body.count('<input type="checkbox" checked disabled>') == len(codes)
    # no bot for the rep's unit yet
    assert "has not connected a chat bot for your unit" in body


def test_saving_writes_only_the_changes_and_the_page_shows_them(client_for, org):
    client = client_for(org.rep)
    defaults = checked(client.get(URL).content.decode())
    wanted = (defaults - {f"email-{OBJECTIVE_APPROVED}"}) | {f"chat-{OBJECTIVE_APPROVED}"}

    response = client.post(URL, dict.fromkeys(wanted, "on"), follow=True)

    body = response.content.decode()
    assert "Your notification preferences are saved." in body
    assert checked(body) == wanted
    rows = set(NotificationPreference.objects.filter(user=org.rep.user).values_list("kind", "channel", "enabled"))
    assert rows == {(OBJECTIVE_APPROVED, Channel.EMAIL, False), (OBJECTIVE_APPROVED, Channel.CHAT, True)}
    # nobody else's preferences changed
    assert not NotificationPreference.objects.exclude(user=org.rep.user).exists()

    # saving the same again changes nothing
    again = client.post(URL, dict.fromkeys(wanted, "on"), follow=True).content.decode()
    assert "Nothing changed." in again
    assert NotificationPreference.history.count() == 2


def test_switching_back_to_the_default_is_kept_as_a_choice(client_for, org):
    client = client_for(org.rep)
    defaults = checked(client.get(URL).content.decode())
    client.post(URL, dict.fromkeys(defaults - {f"email-{OBJECTIVE_APPROVED}"}, "on"))
    client.post(URL, dict.fromkeys(defaults, "on"))
    pref = NotificationPreference.objects.get(user=org.rep.user, kind=OBJECTIVE_APPROVED, channel=Channel.EMAIL)
    assert pref.enabled is True
    assert notification_preferences_of(user=org.rep.user)[(OBJECTIVE_APPROVED, Channel.EMAIL)] is True


def test_choices_on_the_page_decide_what_is_sent(client_for, org, make_webhook):
    # given: a chat bot that takes approvals; the rep turns e-mail off and chat on for approvals
    make_webhook(kinds=[OBJECTIVE_APPROVED])
    client = client_for(org.rep)
    defaults = checked(client.get(URL).content.decode())
    wanted = (defaults - {f"email-{OBJECTIVE_APPROVED}"}) | {f"chat-{OBJECTIVE_APPROVED}"}
    client.post(URL, dict.fromkeys(wanted, "on"))
    # when
    notify(recipients=[org.rep.user, org.rep2.user], message="Approved", kind=OBJECTIVE_APPROVED)
    # then: rep only in chat, rep2 (defaults) only by e-mail
    sent = set(Delivery.objects.values_list("notification__recipient__username", "channel"))
    assert sent == {("rep", Channel.CHAT), ("rep2", Channel.EMAIL)}


def test_the_page_names_the_bots_that_cover_me(client_for, org, make_webhook):
    make_webhook(unit=org.sales)
    make_webhook(unit=org.south)
    body = client_for(org.rep).get(URL).content.decode()
    assert "your notifications can go to 1 group chat," in body


def test_someone_without_an_email_address_is_told(client_for, org):
    user = org.rep.user
    type(user).objects.filter(pk=user.pk).update(email="")
    body = client_for(org.rep).get(URL).content.decode()
    assert "Your account has no e-mail address" in body


def test_the_inbox_links_to_the_preferences(client_for, org):
    assert f'href="{URL}"' in client_for(org.rep).get(reverse("notifications:inbox")).content.decode()


def test_the_service_refuses_in_app_and_unknown_kinds(org):
    with pytest.raises(NotificationError) as fixed:
        notification_preference_set(user=org.rep.user, kind="general", channel=Channel.IN_APP, enabled=False)
    assert fixed.value.code == NotificationErrorCode.CHANNEL_FIXED
    with pytest.raises(NotificationError) as unknown:
        notification_preference_set(user=org.rep.user, kind="no_such_kind", channel=Channel.EMAIL, enabled=False)
    assert unknown.value.code == NotificationErrorCode.UNKNOWN_KIND
    assert not NotificationPreference.objects.exists()


def test_unknown_fields_in_the_post_are_ignored(client_for, org):
    client_for(org.rep).post(URL, {"email-no_such_kind": "on", "in_app-general": ""})
    assert not NotificationPreference.objects.filter(kind="no_such_kind").exists()
    assert not NotificationPreference.objects.filter(channel=Channel.IN_APP).exists()


@pytest.mark.parametrize("extra_bots", [1, 8])
def test_preferences_page_query_count_does_not_grow(
    client_for, org, make_webhook, django_assert_max_num_queries, extra_bots
):
    client = client_for(org.rep)
    NotificationPreference.objects.create(user=org.rep.user, kind="general", channel=Channel.EMAIL, enabled=False)
    make_webhook(unit=org.east)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200

    for kind in (OBJECTIVE_SUBMITTED, OBJECTIVE_APPROVED):
        for channel in (Channel.EMAIL, Channel.CHAT):
            NotificationPreference.objects.create(user=org.rep.user, kind=kind, channel=channel, enabled=True)
    for _ in range(extra_bots):
        make_webhook(unit=org.sales)
    with django_assert_max_num_queries(len(small)):
        assert client.get(URL).status_code == 200
