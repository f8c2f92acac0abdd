"""Seed the nightly full score recompute as data, so admins see and edit its schedule."""

from django.db import migrations

from core.schedules import seed_schedule, unseed_schedule

TASK = "goals.recompute_all"
NAME = "Nightly: recompute all scores"


def create_schedule(apps, schema_editor):
    seed_schedule(apps, name=NAME, task=TASK, crontab={"minute": "30", "hour": "1"})


def remove_schedule(apps, schema_editor):
    unseed_schedule(apps, NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0003_scores"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
