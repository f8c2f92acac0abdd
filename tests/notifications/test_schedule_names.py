"""Schedule names read in the reader's language on HR's reminders page (a name typed in the admin stays)."""

import importlib

from django.apps import apps as django_apps
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from core.schedules import schedule_name

MIGRATION = importlib.import_module("notifications.migrations.0005_reminder_rules_and_schedule")
RULES_URL = reverse("notifications:reminder-rules")


def _page_for(client_for, hr, language) -> str:
    hr.preferred_language = language
    hr.save()
    return client_for(hr).get(RULES_URL).content.decode()


def test_the_seeded_schedule_is_named_in_chinese_on_a_chinese_page(client_for, org):
    MIGRATION.create_rules_and_schedule(django_apps, None)

    chinese = _page_for(client_for, org.hr, "zh-hans")
    english = _page_for(client_for, org.hr, "en")

    assert "<strong>提醒：每日运行</strong>" in chinese
    assert "Reminders: daily run" not in chinese
    assert "<strong>Reminders: daily run</strong>" in english


def test_a_schedule_renamed_in_the_admin_shows_as_typed(client_for, org):
    MIGRATION.create_rules_and_schedule(django_apps, None)
    PeriodicTask.objects.filter(name="Reminders: daily run").update(name="早上九点的提醒")

    assert "<strong>早上九点的提醒</strong>" in _page_for(client_for, org.hr, "en")


def test_every_seeded_schedule_has_a_translated_name():
    from django.utils import translation

    seeded = [
        importlib.import_module(f"{app}.migrations.{name}").NAME
        for app, name in [
            ("goals", "0004_schedule_recompute"),
            ("notifications", "0003_schedule_purge"),
            ("notifications", "0005_reminder_rules_and_schedule"),
            ("notifications", "0006_schedule_deliver_pending"),
        ]
    ]
    with translation.override("zh-hans"):
        assert all(schedule_name(name) != name for name in seeded)
    with translation.override("en"):
        assert [schedule_name(name) for name in seeded] == seeded
