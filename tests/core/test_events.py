"""Domain events (core.events.send_on_commit): sent once the transaction commits, never on a
rollback, and a receiver that fails is logged without breaking the sender or the others."""

import logging

import pytest
from django.db import transaction
from django.dispatch import Signal

from core.events import send_on_commit
from org.models import OrgUnit

something_happened = Signal()  # an event of a test app


@pytest.fixture
def received():
    calls: list[dict] = []

    def listen(sender, signal, **payload):
        calls.append({"sender": sender, **payload})

    something_happened.connect(listen, dispatch_uid="test-events-listen")
    yield calls
    something_happened.disconnect(dispatch_uid="test-events-listen")


def test_an_event_is_sent_only_after_the_commit(db, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        OrgUnit.objects.create(name="Sales", name_en="Sales")
        send_on_commit(something_happened, sender=OrgUnit, unit_id=7)
        # when: the work is still uncommitted
        assert received == []

    assert received == [{"sender": OrgUnit, "unit_id": 7}]


def test_an_event_is_not_sent_when_the_transaction_rolls_back(db, received, django_capture_on_commit_callbacks):
    @transaction.atomic
    def write_that_fails():
        send_on_commit(something_happened, unit_id=7)
        raise RuntimeError("the write failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        write_that_fails()

    assert callbacks == []
    assert received == []


def test_a_failing_receiver_is_logged_and_the_others_still_run(db, caplog, django_capture_on_commit_callbacks):
    after: list[dict] = []

    def broken(sender, **payload):
        raise ValueError("receiver bug")

    def listen_after(sender, signal, **payload):
        after.append(payload)

    something_happened.connect(broken, dispatch_uid="test-events-broken")
    something_happened.connect(listen_after, dispatch_uid="test-events-after")  # runs after the broken one
    try:
        with (
            caplog.at_level(logging.ERROR, logger="core.events"),
            django_capture_on_commit_callbacks(execute=True),
            transaction.atomic(),
        ):
            send_on_commit(something_happened, unit_id=7)
    finally:
        something_happened.disconnect(dispatch_uid="test-events-broken")
        something_happened.disconnect(dispatch_uid="test-events-after")

    assert after == [{"unit_id": 7}]
    [record] = [r for r in caplog.records if r.name == "core.events"]
    assert "tests.core.test_events.something_happened" in record.getMessage()
    assert "broken" in record.getMessage()
    assert record.exc_info[0] is ValueError
