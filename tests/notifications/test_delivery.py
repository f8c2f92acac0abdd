"""Deliveries beyond the inbox: which channels `notify` picks, the delivery job's bookkeeping
(attempts, retries with backoff, idempotency, row locks) and one run through a real worker."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
import redis
from celery.exceptions import Retry
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from goals.apps import OBJECTIVE_APPROVED, OBJECTIVE_SUBMITTED
from notifications import services
from notifications.delivery import MAX_ATTEMPTS, retry_delay_seconds
from notifications.models import Channel, ChatWebhook, Delivery, NotificationPreference
from notifications.services import delivery_attempt, delivery_requeue_pending, notify
from notifications.tasks import deliver_pending_task, deliver_task
from tests.factories import EmployeeFactory, NotificationFactory, UserFactory


def deliveries(**filters) -> set[tuple]:
    """(recipient username, channel, webhook name or None) of every delivery."""
    return {
        (d.notification.recipient.username, d.channel, d.webhook.name if d.webhook else None)
        for d in Delivery.objects.filter(**filters).select_related("notification__recipient", "webhook")
    }


@pytest.fixture
def queued(monkeypatch):
    """The delivery ids handed to the broker (the broker itself is the boundary here)."""
    ids: list[int] = []
    monkeypatch.setattr(deliver_task, "delay", lambda *, delivery_id: ids.append(delivery_id))
    return ids


# --- which channels -----------------------------------------------------------------------------


def test_notify_plans_one_email_per_recipient_and_queues_them_after_commit(
    org, queued, django_capture_on_commit_callbacks
):
    # given: two people with e-mail addresses, a kind that e-mails by default and no chat bots
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[org.rep.user, org.rep2.user], message="Hello", kind=OBJECTIVE_APPROVED)
    # then: one pending e-mail delivery each, nothing queued before the commit …
    assert deliveries() == {("rep", "email", None), ("rep2", "email", None)}
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.PENDING}
    assert queued == []
    # … and one job per delivery once it commits
    for callback in callbacks:
        callback()
    assert sorted(queued) == sorted(Delivery.objects.values_list("pk", flat=True))


def test_a_kind_without_email_by_default_and_people_who_turned_email_off_get_none(org, queued):
    NotificationPreference.objects.create(
        user=org.rep2.user, kind=OBJECTIVE_APPROVED, channel=Channel.EMAIL, enabled=False
    )
    NotificationPreference.objects.create(user=org.lead.user, kind="general", channel=Channel.EMAIL, enabled=False)

    notify(recipients=[org.rep.user, org.rep2.user], message="Approved", kind=OBJECTIVE_APPROVED)
    notify(recipients=[org.lead.user, org.rep.user], message="Hello")  # kind "general"

    assert deliveries() == {("rep", "email", None)}
    assert Delivery.objects.count() == 2  # rep's two notifications; rep2 and lead turned e-mail off


def test_no_email_for_people_without_an_address_or_with_a_disabled_account(org, queued):
    no_address = EmployeeFactory(user__username="noaddress", user__email="").user
    disabled = EmployeeFactory(user__username="gone", user__is_active=False).user
    notify(recipients=[no_address, disabled, org.rep.user], message="Hello")
    assert deliveries() == {("rep", "email", None)}


def test_chat_follows_the_kinds_default_and_the_persons_choice(org, make_webhook, queued):
    bot = make_webhook(kinds=[OBJECTIVE_SUBMITTED, OBJECTIVE_APPROVED])
    # OBJECTIVE_SUBMITTED posts to chat by default; rep2 turned it off.
    NotificationPreference.objects.create(
        user=org.rep2.user, kind=OBJECTIVE_SUBMITTED, channel=Channel.CHAT, enabled=False
    )
    # OBJECTIVE_APPROVED does not; lead turned it on.
    NotificationPreference.objects.create(
        user=org.lead.user, kind=OBJECTIVE_APPROVED, channel=Channel.CHAT, enabled=True
    )

    notify(recipients=[org.rep.user, org.rep2.user], message="Submitted", kind=OBJECTIVE_SUBMITTED)
    notify(recipients=[org.rep.user, org.lead.user], message="Approved", kind=OBJECTIVE_APPROVED)

    assert deliveries(channel=Channel.CHAT) == {("rep", "chat", bot.name), ("lead", "chat", bot.name)}
    submitted_chat = Delivery.objects.filter(channel=Channel.CHAT, notification__kind=OBJECTIVE_SUBMITTED)
    assert [d.notification.recipient_id for d in submitted_chat] == [org.rep.user.pk]


def test_notify_queries_do_not_grow_with_recipients(org, make_webhook, queued, django_assert_max_num_queries):
    make_webhook(kinds=[OBJECTIVE_SUBMITTED])
    make_webhook(kinds=[OBJECTIVE_SUBMITTED], unit=org.sales)
    few = [org.rep.user, org.rep2.user]
    with CaptureQueriesContext(connection) as small:
        notify(recipients=few, message="Submitted", kind=OBJECTIVE_SUBMITTED)

    many = [EmployeeFactory(unit=org.east).user for _ in range(15)] + few
    with django_assert_max_num_queries(len(small)):
        notify(recipients=many, message="Submitted", kind=OBJECTIVE_SUBMITTED)
    assert Delivery.objects.filter(notification__recipient__in=many).count() == 3 * 2 + 3 * 17


def test_a_broker_that_is_down_does_not_break_the_caller(org, monkeypatch, caplog):
    def refuse(**kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(deliver_task, "delay", refuse)
    notify(recipients=[org.rep.user], message="Hello")
    [delivery] = Delivery.objects.all()

    services._enqueue_deliveries([delivery.pk])

    assert "Could not queue delivery" in caplog.text
    assert Delivery.objects.get().status == Delivery.Status.PENDING  # the sweep queues it later


def test_the_sweep_queues_deliveries_left_pending(org, queued):
    notify(recipients=[org.rep.user, org.rep2.user], message="Hello")
    old, _recent = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(minutes=30))
    sent = NotificationFactory(recipient=org.lead.user)
    Delivery.objects.create(notification=sent, channel=Channel.EMAIL, status=Delivery.Status.SENT)
    Delivery.objects.filter(notification=sent).update(updated_at=timezone.now() - timedelta(days=1))
    queued.clear()

    assert deliver_pending_task(older_than_minutes=15) == 1
    assert queued == [old.pk]
    assert delivery_requeue_pending(older_than_minutes=0) >= 2


# --- the delivery job ------------------------------------------------------------------------------


def email_delivery(user) -> Delivery:
    return Delivery.objects.create(
        notification=NotificationFactory(recipient=user, message="Hello"), channel=Channel.EMAIL
    )


def chat_delivery(user, webhook: ChatWebhook) -> Delivery:
    note = NotificationFactory(recipient=user, message="Hello", kind="general")
    return Delivery.objects.create(notification=note, channel=Channel.CHAT, webhook=webhook)


def test_delivering_twice_sends_once(org):
    delivery = email_delivery(org.rep.user)

    assert deliver_task(delivery_id=delivery.pk) == "sent"
    assert deliver_task(delivery_id=delivery.pk) == "sent"

    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.SENT, 1, "")
    assert delivery.sent_at is not None


def test_a_failure_is_recorded_and_retried_with_backoff_then_given_up(org, chat_server, make_webhook):
    # given: a chat service that fails every time
    delivery = chat_delivery(org.rep.user, make_webhook())
    chat_server.answer(500, {"error": "internal"}, times=MAX_ATTEMPTS + 2)

    # when: the first attempt fails, the delivery stays pending with the error and a backoff delay
    outcome = delivery_attempt(delivery_id=delivery.pk)
    assert (outcome.status, outcome.attempts, outcome.retry_in) == (Delivery.Status.PENDING, 1, 60)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert "HTTP 500" in delivery.last_error
    assert delivery.sent_at is None

    # when: the job fails again, it asks Celery for a retry
    with pytest.raises(Retry):
        deliver_task(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 2

    # when: Celery runs it with its retries (eagerly here): the remaining attempts, then it gives up
    result = deliver_task.apply(kwargs={"delivery_id": delivery.pk})
    assert result.get() == Delivery.Status.FAILED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, MAX_ATTEMPTS)
    assert len(chat_server.requests) == MAX_ATTEMPTS

    # and a failed delivery is not tried again by a late job
    assert deliver_task(delivery_id=delivery.pk) == Delivery.Status.FAILED
    assert len(chat_server.requests) == MAX_ATTEMPTS


def test_backoff_doubles():
    assert [retry_delay_seconds(n) for n in range(1, 5)] == [60, 120, 240, 480]


def test_a_retry_that_succeeds_clears_the_error(org, chat_server, make_webhook):
    delivery = chat_delivery(org.rep.user, make_webhook())
    chat_server.answer(503, "unavailable")
    with pytest.raises(Retry):
        deliver_task(delivery_id=delivery.pk)
    assert deliver_task(delivery_id=delivery.pk) == Delivery.Status.SENT
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_error) == (2, "")


def test_a_deactivated_bot_or_a_lost_address_is_skipped_without_sending(org, chat_server, make_webhook):
    bot = make_webhook()
    to_bot = chat_delivery(org.rep.user, bot)
    by_mail = email_delivery(org.rep2.user)
    ChatWebhook.objects.filter(pk=bot.pk).update(is_active=False)
    type(org.rep2.user).objects.filter(pk=org.rep2.user.pk).update(email="")

    assert deliver_task(delivery_id=to_bot.pk) == Delivery.Status.SKIPPED
    assert deliver_task(delivery_id=by_mail.pk) == Delivery.Status.SKIPPED

    assert chat_server.requests == []
    assert mail.outbox == []
    assert dict(Delivery.objects.values_list("status").annotate(n=Count("pk"))) == {Delivery.Status.SKIPPED: 2}


def test_an_unknown_delivery_is_ignored(db):
    assert deliver_task(delivery_id=987654) == "busy"


@pytest.mark.django_db(transaction=True)
def test_a_delivery_another_worker_holds_is_left_to_it(org):
    # given: another worker has locked the delivery (it is sending it right now)
    delivery = email_delivery(org.rep.user)
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                Delivery.objects.select_for_update().get(pk=delivery.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        # when: a second job for the same delivery runs
        outcome = delivery_attempt(delivery_id=delivery.pk)
    finally:
        release.set()
        thread.join()
    # then: it neither waits nor sends
    assert outcome is None
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 0)


# --- a real worker ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_posts_to_the_chat_bot(org, chat_server, make_webhook, tmp_path):
    from tests.pmsite.test_celery import _start_worker, _stop, _tail

    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is empty: this run uses the embedded broker")
    delivery = chat_delivery(org.rep.user, make_webhook(ChatWebhook.Provider.WECOM))
    queue = f"test-deliver-{uuid.uuid4().hex}"
    worker, log = _start_worker(tmp_path, "--queues", queue, redis_url=settings.REDIS_URL)
    try:
        deliver_task.apply_async(kwargs={"delivery_id": delivery.pk}, queue=queue)
        deadline = time.monotonic() + 60
        while Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.PENDING:
            assert worker.poll() is None, _tail(log)
            assert time.monotonic() < deadline, _tail(log)
            time.sleep(0.3)
    finally:
        _stop(worker)
        redis.Redis.from_url(settings.REDIS_URL).delete(
            queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
        )
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENT
    [request] = chat_server.requests
    assert request.json["msgtype"] == "markdown"
    assert "@" + org.rep.user.full_name in request.json["markdown"]["content"]


def test_people_without_employee_profile_get_email_too(org, queued):
    admin = UserFactory(username="plainadmin", is_superuser=True)
    notify(recipients=[admin], message="Hello")
    assert deliveries() == {("plainadmin", "email", None)}
