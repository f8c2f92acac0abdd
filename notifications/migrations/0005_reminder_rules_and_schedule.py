"""Seed the built-in reminder rules and the daily schedule that runs them, as data HR edits.

Rules: goals' two (goal-setting deadline — off until HR sets a deadline; key result without a
progress update — on), and the rules waiting for later features (off). The schedule is a
django-celery-beat entry, visible and editable in the admin.
"""

from django.db import migrations

from core.schedules import seed_schedule, unseed_schedule

TASK = "notifications.run_reminders"
NAME = "Reminders: daily run"

RULES = {
    "goal_setting_deadline": (False, {"deadline": None, "days_before": 3, "period": ""}),
    "key_result_stale": (True, {"days": 14}),
    "check_in_due": (False, {"days_before": 2}),
    "review_phase_opening": (False, {"days_before": 1}),
    "review_phase_closing": (False, {"days_before": 3}),
    "review_overdue": (False, {"days_after": 1}),
    "appeal_deadline": (False, {"days_before": 2}),
}


def create_rules_and_schedule(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for code, (enabled, params) in RULES.items():
        ReminderRule.objects.get_or_create(code=code, defaults={"enabled": enabled, "params": params})
    seed_schedule(
        apps,
        name=NAME,
        task=TASK,
        crontab={"minute": "0", "hour": "9"},
        description="Runs every reminder rule that is on. Skips weekends and public holidays "
            "(HR's working-day calendar); reminders due then go on the next working day.",
    )


def remove_rules_and_schedule(apps, schema_editor):
    unseed_schedule(apps, NAME)
    apps.get_model("notifications", "ReminderRule").objects.filter(code__in=list(RULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_reminderrule_alter_notification_kind_chatwebhook_and_more"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_rules_and_schedule, remove_rules_and_schedule)]
