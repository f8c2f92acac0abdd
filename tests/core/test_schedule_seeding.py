"""core.schedules.seed_schedule: the one way a migration seeds a periodic task (idempotent, admin edits kept)."""

import importlib

import pytest
from django.apps import apps as django_apps
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from core.schedules import seed_schedule, unseed_schedule

pytestmark = pytest.mark.django_db


def test_a_crontab_schedule_is_seeded_in_shanghai_time_with_the_other_fields_every():
    seed_schedule(django_apps, name="Test: nightly", task="tests.nightly", crontab={"minute": "15", "hour": "3"})

    task = PeriodicTask.objects.get(name="Test: nightly")
    assert task.task == "tests.nightly"
    assert task.enabled
    assert task.interval is None
    cron = task.crontab
    assert (cron.minute, cron.hour, cron.day_of_week, cron.day_of_month, cron.month_of_year) == (
        "15",
        "3",
        "*",
        "*",
        "*",
    )
    assert str(cron.timezone) == "Asia/Shanghai"


def test_an_interval_schedule_is_seeded_with_its_description():
    seed_schedule(django_apps, name="Test: sweep", task="tests.sweep", every_minutes=7, description="Sweeps.")

    task = PeriodicTask.objects.get(name="Test: sweep")
    assert (task.interval.every, task.interval.period) == (7, "minutes")
    assert task.crontab is None
    assert task.description == "Sweeps."


def test_seeding_again_keeps_what_an_admin_changed_and_reuses_the_schedule():
    seed_schedule(django_apps, name="Test: nightly", task="tests.nightly", crontab={"minute": "15", "hour": "3"})
    PeriodicTask.objects.filter(name="Test: nightly").update(enabled=False, description="Paused by the admin.")
    crontabs = CrontabSchedule.objects.count()

    seed_schedule(django_apps, name="Test: nightly", task="tests.nightly", crontab={"minute": "15", "hour": "3"})

    task = PeriodicTask.objects.get(name="Test: nightly")
    assert not task.enabled
    assert task.description == "Paused by the admin."
    assert CrontabSchedule.objects.count() == crontabs
    assert PeriodicTask.objects.filter(name="Test: nightly").count() == 1


def test_unseeding_removes_only_that_task():
    seed_schedule(django_apps, name="Test: a", task="tests.a", every_minutes=5)
    seed_schedule(django_apps, name="Test: b", task="tests.b", every_minutes=5)

    unseed_schedule(django_apps, "Test: a")

    assert list(PeriodicTask.objects.filter(name__startswith="Test: ").values_list("name", flat=True)) == ["Test: b"]
    assert IntervalSchedule.objects.filter(every=5, period="minutes").exists()


@pytest.mark.parametrize("when", [{}, {"crontab": {"hour": "1"}, "every_minutes": 5}])
def test_a_schedule_needs_exactly_one_kind_of_when(when):
    with pytest.raises(ValueError, match="exactly one"):
        seed_schedule(django_apps, name="Test: bad", task="tests.bad", **when)
    assert not PeriodicTask.objects.filter(name="Test: bad").exists()


@pytest.mark.parametrize(
    ("migration", "create"),
    [
        ("goals.migrations.0004_schedule_recompute", "create_schedule"),
        ("notifications.migrations.0003_schedule_purge", "create_schedule"),
        ("notifications.migrations.0005_reminder_rules_and_schedule", "create_rules_and_schedule"),
        ("notifications.migrations.0006_schedule_deliver_pending", "create_schedule"),
    ],
)
def test_each_apps_seeding_migration_seeds_its_schedule_through_the_helper(migration, create):
    module = importlib.import_module(migration)
    PeriodicTask.objects.filter(name=module.NAME).delete()  # a transactional test before may have flushed it

    getattr(module, create)(django_apps, None)

    task = PeriodicTask.objects.get(name=module.NAME)
    assert task.task == module.TASK
    assert (task.crontab or task.interval) is not None
    assert task.crontab is None or str(task.crontab.timezone) == "Asia/Shanghai"
