"""Names of the periodic schedules (django-celery-beat entries) the apps seed, in the reader's language.

A schedule's name is data: seeded in English by a migration, and an administrator may rename
it in the admin. Each app registers the names it seeds with a translatable label (from its
AppConfig.ready); a name someone typed in the admin is shown as it was typed.
"""

from __future__ import annotations

from django.utils.functional import Promise

_labels: dict[str, str | Promise] = {}


def register_schedule_name(name: str, label: str | Promise) -> None:
    """`name` as the migration seeds it; `label` the same text marked for translation."""
    _labels[name] = label


def schedule_name(name: str) -> str:
    """The schedule's name for the reader: translated when it is one the apps seed."""
    return str(_labels.get(name, name))


# --- seeding a schedule from a migration ----------------------------------------------------
# A periodic task is data (admins see and edit it), so an app seeds its schedule in a data
# migration. These helpers take the migration's historical `apps`, never the live models.

TIMEZONE = "Asia/Shanghai"  # the zone the seeded crontab times are written in


def seed_schedule(
    apps,
    *,
    name: str,
    task: str,
    crontab: dict[str, str] | None = None,
    every_minutes: int | None = None,
    description: str = "",
    enabled: bool = True,
) -> None:
    """Create the periodic task `name` running `task`, on a crontab (`{"minute": "30", "hour": "1"}`,
    the other fields `*`, in Asia/Shanghai) or every `every_minutes` minutes — exactly one of the two.

    Idempotent: a task of that name that exists (perhaps edited by an admin) is left as it is."""
    if (crontab is None) == (every_minutes is None):
        raise ValueError("seed_schedule needs exactly one of crontab= and every_minutes=")
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    if crontab is not None:
        fields = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
        fields.update(crontab)
        schedule, _ = apps.get_model("django_celery_beat", "CrontabSchedule").objects.get_or_create(
            timezone=TIMEZONE, **fields
        )
        when = {"crontab": schedule}
    else:
        schedule, _ = apps.get_model("django_celery_beat", "IntervalSchedule").objects.get_or_create(
            every=every_minutes, period="minutes"
        )
        when = {"interval": schedule}
    defaults = {"task": task, "enabled": enabled, **when}
    if description:
        defaults["description"] = description
    periodic_task.objects.get_or_create(name=name, defaults=defaults)


def unseed_schedule(apps, name: str) -> None:
    """Remove the periodic task `name` (a migration's reverse)."""
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=name).delete()
