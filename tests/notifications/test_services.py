from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification
from notifications.services import notification_purge_read, notify
from tests.factories import NotificationFactory


def test_notify_stores_source_text_and_renders_in_reader_language(org):
    with translation.override("zh-hans"):
        [note] = notify(recipients=[org.rep.user], message=_("You have %(count)d new items."), params={"count": 3})
    assert note.message == "You have %(count)d new items."
    with translation.override("en"):
        assert note.text == "You have 3 new items."


def test_notify_many_recipients_in_a_fixed_number_of_statements(org, django_assert_num_queries):
    # the notifications, the recipients' preferences, chat bots and deliveries: 4 whatever the number of people
    people = [org.rep.user, org.rep2.user, org.lead.user, org.rep.user]
    with django_assert_num_queries(4):
        notify(recipients=people, message="Hello", url="/")
    assert Notification.objects.count() == 3


def test_purge_keeps_unread_and_recent(org):
    old = NotificationFactory(recipient=org.rep.user, read_at=timezone.now() - timedelta(days=400))
    recent = NotificationFactory(recipient=org.rep.user, read_at=timezone.now() - timedelta(days=2))
    unread = NotificationFactory(recipient=org.rep.user)
    assert notification_purge_read(older_than_days=180) == 1
    assert set(Notification.objects.all()) == {recent, unread}
    assert not Notification.objects.filter(pk=old.pk).exists()


def test_api_inbox_only_mine_and_mark_read(api_for, org):
    mine = NotificationFactory(recipient=org.rep.user)
    theirs = NotificationFactory(recipient=org.rep2.user)
    api = api_for(org.rep)
    listed = api.get(reverse("api-notification-list"), {"unread": "true"}).json()
    assert [n["id"] for n in listed["results"]] == [mine.pk]
    assert api.post(reverse("api-notification-read", args=[theirs.pk])).status_code == 404
    assert api.post(reverse("api-notification-read", args=[mine.pk])).json()["is_read"] is True
    assert api.get(reverse("api-notification-list"), {"unread": "true"}).json()["count"] == 0
    NotificationFactory.create_batch(2, recipient=org.rep.user)
    assert api.post(reverse("api-notification-read-all")).json() == {"marked": 2, "unread": 0}


def test_names_in_a_notification_follow_the_readers_language(org):
    from notifications.services import bilingual

    [note] = notify(
        recipients=[org.rep.user],
        message=_("%(approver)s approved it."),
        params=bilingual("approver", "赵磊", "Zhao Lei"),
    )
    with translation.override("en"):
        assert note.text == "Zhao Lei approved it."
    with translation.override("zh-hans"):
        assert note.text.startswith("赵磊")
    [plain] = notify(
        recipients=[org.rep.user], message=_("%(approver)s approved it."), params=bilingual("approver", "赵磊")
    )
    with translation.override("en"):
        assert plain.text == "赵磊 approved it."


def test_the_actor_is_named_in_the_readers_language_and_never_told_of_their_own_action(org):
    lead = org.lead.user

    notes = notify(
        recipients=[org.rep.user, lead, org.rep2.user],
        message=_("%(actor)s approved it."),
        actor=lead,
    )

    assert sorted(n.recipient_id for n in notes) == sorted([org.rep.user.pk, org.rep2.user.pk])
    assert not Notification.objects.filter(recipient=lead).exists()
    with translation.override("en"):
        assert notes[0].text == f"{lead.english_name} approved it."
    with translation.override("zh-hans"):
        assert notes[0].text.startswith(lead.full_name)
    assert notify(recipients=[lead], message="Hello", actor=lead) == []
