"""The inbox pages through real URLs: only your own notifications, open, mark read, htmx."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from notifications.models import Notification
from tests.factories import NotificationFactory


def rows(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="notification-(\d+)"', response.content.decode())]


def test_anonymous_is_sent_to_login(client, org):
    note = NotificationFactory(recipient=org.rep.user)
    for method, url in (
        ("get", reverse("notifications:inbox")),
        ("get", reverse("notifications:open", args=[note.pk])),
        ("post", reverse("notifications:mark-read", args=[note.pk])),
        ("post", reverse("notifications:mark-all-read")),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))
    note.refresh_from_db()
    assert note.read_at is None


def test_inbox_lists_only_my_notifications_newest_first_unread_highlighted(client_for, org):
    old = NotificationFactory(recipient=org.rep.user, message="Older one.", read_at=datetime(2024, 1, 1, tzinfo=UTC))
    new = NotificationFactory(recipient=org.rep.user, message="Newer one.")
    NotificationFactory(recipient=org.rep2.user, message="Someone else's.")

    response = client_for(org.rep).get(reverse("notifications:inbox"))

    body = response.content.decode()
    assert rows(response) == [new.pk, old.pk]
    assert f'class="notification unread" id="notification-{new.pk}"' in body
    assert f'class="notification" id="notification-{old.pk}"' in body
    assert "Someone else&#x27;s." not in body
    assert reverse("notifications:mark-all-read") in body
    assert '<span class="badge"' in body  # unread count in the navigation


def test_unread_filter(client_for, org):
    NotificationFactory(recipient=org.rep.user, read_at=datetime(2024, 1, 1, tzinfo=UTC))
    unread = NotificationFactory(recipient=org.rep.user)
    response = client_for(org.rep).get(reverse("notifications:inbox"), {"show": "unread"})
    assert rows(response) == [unread.pk]


def test_empty_inbox(client_for, org):
    body = client_for(org.rep).get(reverse("notifications:inbox")).content.decode()
    assert "Your inbox is empty" in body
    assert reverse("notifications:mark-all-read") not in body


def test_times_are_shown_in_the_configured_time_zone(client_for, org, settings):
    note = NotificationFactory(recipient=org.rep.user)
    # 20:30 UTC on 1 January is 04:30 on 2 January in Shanghai.
    Notification.objects.filter(pk=note.pk).update(created_at=datetime(2024, 1, 1, 20, 30, tzinfo=UTC))
    assert settings.TIME_ZONE == "Asia/Shanghai"
    body = client_for(org.rep).get(reverse("notifications:inbox")).content.decode()
    assert "2024-01-02 04:30" in body  # one date format per language (ISO)
    assert 'datetime="2024-01-02T04:30:00+08:00"' in body


def test_open_marks_read_and_follows_the_link(client_for, org):
    note = NotificationFactory(recipient=org.rep.user, url=reverse("org:employee", args=[org.rep.pk]))
    response = client_for(org.rep).get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == note.url
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize("url", ["https://evil.example/phish", "//evil.example/", ""])
def test_open_never_redirects_off_site(client_for, org, url):
    note = NotificationFactory(recipient=org.rep.user, url=url)
    response = client_for(org.rep).get(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_someone_elses_notification_is_404_and_stays_unread(client_for, org):
    theirs = NotificationFactory(recipient=org.rep2.user)
    client = client_for(org.rep)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:mark-read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:mark-read", args=[999999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_without_htmx_redirects_back(client_for, org):
    note = NotificationFactory(recipient=org.rep.user)
    client = client_for(org.rep)
    assert client.get(reverse("notifications:mark-read", args=[note.pk])).status_code == 405
    response = client.post(reverse("notifications:mark-read", args=[note.pk]), {"next": "/notifications/?page=1"})
    assert response["Location"] == "/notifications/?page=1"
    note.refresh_from_db()
    assert note.is_read
    off_site = client.post(reverse("notifications:mark-read", args=[note.pk]), {"next": "https://evil.example/"})
    assert off_site["Location"] == reverse("notifications:inbox")


def test_mark_read_with_htmx_returns_the_row_and_the_new_count(client_for, org):
    note = NotificationFactory(recipient=org.rep.user)
    NotificationFactory(recipient=org.rep.user)
    response = client_for(org.rep).post(reverse("notifications:mark-read", args=[note.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert f'class="notification" id="notification-{note.pk}"' in body
    assert "Mark as read" not in body
    assert re.search(r'<span id="unread-badge" hx-swap-oob="true"><span class="badge"[^>]*>1</span>', body)


def test_mark_all_read_touches_only_mine(client_for, org):
    mine = [NotificationFactory(recipient=org.rep.user) for _ in range(3)]
    theirs = NotificationFactory(recipient=org.rep2.user)
    client = client_for(org.rep)
    assert client.get(reverse("notifications:mark-all-read")).status_code == 405
    response = client.post(reverse("notifications:mark-all-read"), follow=True)
    assert "3 notifications marked as read." in response.content.decode()
    assert all(Notification.objects.get(pk=n.pk).is_read for n in mine)
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_inbox_is_paginated(client_for, org):
    for _ in range(30):
        NotificationFactory(recipient=org.rep.user)
    client = client_for(org.rep)
    assert len(rows(client.get(reverse("notifications:inbox")))) == 25
    assert len(rows(client.get(reverse("notifications:inbox"), {"page": 2}))) == 5


@pytest.mark.parametrize("count", [3, 60])
def test_inbox_query_count_does_not_grow(client_for, org, django_assert_num_queries, count):
    for i in range(count):
        NotificationFactory(recipient=org.rep.user, actor=org.lead.user if i % 2 else None)
    client = client_for(org.rep)
    with django_assert_num_queries(7):  # nav (session, user, employee, has reports, unread) + count + page
        client.get(reverse("notifications:inbox"))
