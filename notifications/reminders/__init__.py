"""The reminder engine: rules HR switches on and tunes, sources apps register, and the
guarantee that each reminder reaches a person once per occasion.

How it fits together
--------------------
- A *source* is registered by the app that knows the data, in its AppConfig.ready::

      register_reminder(
          "key_result_stale",
          label=_("Key result without a progress update"),
          description=_("…"),
          params=[ReminderParam("days", INT, _("Working days without an update"), default=14, min_value=1)],
          default_enabled=True,
          source=key_results_without_updates,
      )

  ``source(params, today, calendar)`` returns the *occasions* to remind about today:
  ``Occasion(recipient, key, message, params, url)``. ``params`` are the rule's parameters,
  typed (int, date or str) with defaults filled in; ``calendar`` is HR's working-day calendar
  (org.working_days.WorkingCalendar). A source only reads; it never sends.
- A *rule* (notifications.models.ReminderRule, one row per code) holds whether HR turned the
  reminder on and the parameter values HR chose. The rows of the built-in codes are created
  by a data migration; a code without a row behaves as its registered defaults until HR
  saves it.
- ``reminder_run(code)`` runs one rule that is on; ``reminder_run_all()`` runs every rule
  that is on (the Celery task ``notifications.run_reminders``, scheduled by the
  django-celery-beat entry "Reminders: daily run", editable in the admin).

Once per person per occasion
----------------------------
Each occasion has a key (e.g. ``"<key result id>:<last update date>"``). Before a reminder is
sent, its ReminderLog row (rule, recipient, occasion) is inserted in the same transaction as
the notification, with ``INSERT … ON CONFLICT DO NOTHING RETURNING id``; the unique constraint
decides who sends. A second run — or a second worker running at the same moment — finds the
row there (or waits on the first worker's uncommitted row, then finds it) and sends nothing.
If sending fails, the transaction rolls back the log row too, so the next run tries again.

Rules waiting for their feature
-------------------------------
``check_in_due``, ``review_phase_opening``, ``review_phase_closing``, ``review_overdue`` and
``appeal_deadline`` belong to check-ins (feedback), appraisals and appeals, which are not built
yet. They are parked in ``parked.py``, registered with their labels and parameters but *no
source*: HR sees them listed as waiting for their feature, can set their parameters, but cannot
turn them on or run them. When the feature's app arrives, it registers the rule from its own
ready() with ``register_reminder(<code>, label=…, params=…, source=…)`` — the same call goals
makes — and the rule leaves ``parked.py``; the engine serves it with no other change.

Notification kinds are ``reminder_<code>`` (notifications.types), registered as soon as a
rule has a source, so people can choose their channels for it.

Where things are
----------------
- ``registry``: ReminderParam, Occasion, ReminderSource and ``register_reminder`` — what apps use;
- ``params``: parameters stored as JSON, typed for sources, validated by one form;
- ``access``, ``selectors``, ``services``: who manages rules, reading them, changing them;
- ``engine``: running the rules, once per person per occasion;
- ``parked``: the rules of features not built yet.
"""

from notifications.reminders.access import (
    reminder_access_for_manage,
)
from notifications.reminders.engine import (
    ReminderRunResult,
    reminder_run,
    reminder_run_all,
)
from notifications.reminders.params import (
    ReminderRuleForm,
    reminder_params_clean,
    reminder_rule_form_class,
    typed_params,
)
from notifications.reminders.registry import (
    DATE,
    INT,
    KIND_PREFIX,
    STR,
    Occasion,
    ReminderParam,
    ReminderSource,
    Source,
    register_reminder,
    reminder_source_get,
    reminder_sources,
)
from notifications.reminders.selectors import (
    ReminderRuleState,
    reminder_rule_state,
    reminder_rule_states,
    reminder_schedule_list,
)
from notifications.reminders.services import (
    reminder_rule_set_enabled,
    reminder_rule_update,
)

__all__ = [
    "DATE",
    "INT",
    "KIND_PREFIX",
    "STR",
    "Occasion",
    "ReminderParam",
    "ReminderRuleForm",
    "ReminderRuleState",
    "ReminderRunResult",
    "ReminderSource",
    "Source",
    "register_reminder",
    "reminder_access_for_manage",
    "reminder_params_clean",
    "reminder_rule_form_class",
    "reminder_rule_set_enabled",
    "reminder_rule_state",
    "reminder_rule_states",
    "reminder_rule_update",
    "reminder_run",
    "reminder_run_all",
    "reminder_schedule_list",
    "reminder_source_get",
    "reminder_sources",
    "typed_params",
]
