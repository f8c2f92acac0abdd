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
