"""Once per person per occasion when two workers run the same reminders at the same moment.

Two threads, each with its own PostgreSQL connection and transaction, run reminder_run on
the same data. A barrier holds both until each has read what was sent before (nothing), so
both really try to send every reminder; the unique log row must let exactly one through.
"""

import threading
from datetime import UTC, date, datetime

import pytest
from django.db import connection, connections
from django.db.models import Count

from goals.models import Objective
from notifications.models import Notification, ReminderLog
from notifications.reminders import engine, reminder_rule_update, reminder_run
from tests.factories import EmployeeFactory
from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")

TODAY = date(2026, 9, 1)


def run_concurrently(monkeypatch, code: str, workers: int = 2) -> list:
    """Run `code` in `workers` threads at once; their results (or exceptions)."""
    barrier = threading.Barrier(workers, timeout=30)
    already_sent = engine._already_sent

    def synchronised(*args, **kwargs):
        sent = already_sent(*args, **kwargs)
        barrier.wait()  # every worker has looked; none has sent yet
        return sent

    monkeypatch.setattr(engine, "_already_sent", synchronised)
    results: list = [None] * workers

    def work(index: int) -> None:
        try:
            results[index] = reminder_run(code, TODAY)
        except Exception as error:  # reported by the test below
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def assert_once_per_person_per_occasion(code: str, expected_pairs: int) -> None:
    logs = ReminderLog.objects.filter(rule_code=code)
    assert logs.count() == expected_pairs
    assert not logs.values("recipient", "occasion").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not logs.filter(notification__isnull=True).exists()
    notes = Notification.objects.filter(kind=f"reminder_{code}")
    assert notes.count() == expected_pairs
    assert set(notes.values_list("pk", flat=True)) == set(logs.values_list("notification_id", flat=True))


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_stale_key_result_reminder_once(monkeypatch):
    year = PeriodFactory()
    owners = [EmployeeFactory() for _ in range(6)]
    for owner in owners:
        objective = ObjectiveFactory(
            owner_employee=owner,
            period=year,
            status=Objective.Status.APPROVED,
            approved_at=datetime(2026, 3, 2, tzinfo=UTC),
        )
        for _ in range(3):
            KeyResultFactory(objective=objective, last_measured_on=date(2026, 6, 1))

    results = run_concurrently(monkeypatch, "key_result_stale")

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.found for r in results) == [18, 18]
    assert sum(r.sent for r in results) == 18
    assert_once_per_person_per_occasion("key_result_stale", 18)


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_the_deadline_reminder_once_per_person(monkeypatch):
    PeriodFactory()
    people = [EmployeeFactory() for _ in range(25)]
    reminder_rule_update(
        code="goal_setting_deadline",
        actor=None,
        enabled=True,
        params={"deadline": date(2026, 9, 3), "days_before": 3, "period": ""},
    )

    results = run_concurrently(monkeypatch, "goal_setting_deadline")

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.sent for r in results) == len(people)
    assert_once_per_person_per_occasion("goal_setting_deadline", len(people))
    # And a third run afterwards sends nothing.
    monkeypatch.undo()
    assert reminder_run("goal_setting_deadline", TODAY).sent == 0
    assert Notification.objects.count() == len(people)
