"""Seed the sweep that re-queues e-mail and chat deliveries left pending (a lost job, a broker outage)."""

from django.db import migrations

from core.schedules import seed_schedule, unseed_schedule

TASK = "notifications.deliver_pending"
NAME = "Every 15 minutes: re-send pending notification deliveries"


def create_schedule(apps, schema_editor):
    seed_schedule(
        apps,
        name=NAME,
        task=TASK,
        every_minutes=15,
        description="Queues again the e-mail and team-chat deliveries still pending after 15 minutes.",
    )


def remove_schedule(apps, schema_editor):
    unseed_schedule(apps, NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_reminder_rules_and_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
