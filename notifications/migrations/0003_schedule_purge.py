"""Seed the nightly housekeeping schedule as data, so HR/admins see and edit it."""

from django.db import migrations

from core.schedules import seed_schedule, unseed_schedule

TASK = "notifications.purge_read"
NAME = "Nightly: remove notifications read long ago"


def create_schedule(apps, schema_editor):
    seed_schedule(apps, name=NAME, task=TASK, crontab={"minute": "30", "hour": "2"})


def remove_schedule(apps, schema_editor):
    unseed_schedule(apps, NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
