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
``appeal_deadline`` are registered here with their labels and parameters but *no source*: the
features that know check-ins, review phases and appeals come later. HR sees them listed as
waiting for their feature, can set their parameters, but cannot turn them on or run them.
When the feature's app calls ``register_reminder(<code>, source=…)`` in its ready(), the
engine serves the rule with no other change (labels and parameters given again replace
these; left out, they are kept).

Notification kinds are ``reminder_<code>`` (notifications.types), registered as soon as a
rule has a source, so people can choose their channels for it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput, NumberInput
from notifications import types
from notifications.errors import MESSAGES as ERROR_MESSAGES
from notifications.errors import NotificationErrorCode, reminder_error
from notifications.models import ReminderLog, ReminderRule
from notifications.services import notify
from org.models import User
from org.selectors import user_manages_org
from org.working_days import WorkingCalendar

logger = logging.getLogger(__name__)

INT, DATE, STR = "int", "date", "str"
KIND_PREFIX = "reminder_"


@dataclass(frozen=True)
class ReminderParam:
    """One parameter HR can set on a rule."""

    name: str
    type: str  # INT, DATE or STR
    label: str | Promise
    default: Any = None
    help_text: str | Promise = ""
    required: bool = False  # a value is needed before the rule can be turned on
    min_value: int | None = None
    max_value: int | None = None
    validate: Callable[[Any], None] | None = None  # raises ValidationError for a bad value


@dataclass(frozen=True)
class Occasion:
    """One reminder to send: to whom, for what (the key that makes it once), saying what."""

    recipient: User
    key: str
    message: str | Promise
    params: dict = field(default_factory=dict)
    url: str = ""


Source = Callable[[dict, date, WorkingCalendar], Iterable[Occasion]]


@dataclass(frozen=True)
class ReminderSource:
    code: str
    label: str | Promise
    description: str | Promise
    params: tuple[ReminderParam, ...]
    default_enabled: bool
    source: Source | None
    order: int

    @property
    def kind(self) -> str:
        return KIND_PREFIX + self.code

    @property
    def waiting(self) -> bool:
        """Registered for a feature that has not registered its source yet."""
        return self.source is None

    def default_params(self) -> dict:
        return {p.name: _stored(p, p.default) for p in self.params}


_registry: dict[str, ReminderSource] = {}
_UNSET: Any = object()


def register_reminder(
    code: str,
    *,
    label: str | Promise = _UNSET,
    description: str | Promise = _UNSET,
    params: Iterable[ReminderParam] = _UNSET,
    default_enabled: bool = _UNSET,
    source: Source | None = _UNSET,
    chat: bool = False,
) -> ReminderSource:
    """Register (or complete) a reminder source. Arguments left out keep what was registered."""
    known = _registry.get(code)

    def pick(value, attribute, fallback):
        if value is not _UNSET:
            return value
        return getattr(known, attribute) if known is not None else fallback

    registered = ReminderSource(
        code=code,
        label=pick(label, "label", code),
        description=pick(description, "description", ""),
        params=tuple(pick(params, "params", ())),
        default_enabled=pick(default_enabled, "default_enabled", False),
        source=pick(source, "source", None),
        order=known.order if known is not None else len(_registry),
    )
    _registry[code] = registered
    if not registered.waiting:
        types.register(registered.kind, registered.label, chat=chat)
    return registered


def reminder_source_get(code: str) -> ReminderSource | None:
    return _registry.get(code)


def reminder_sources() -> list[ReminderSource]:
    """Rules that can run first, then those waiting for their feature; each in registration order."""
    return sorted(_registry.values(), key=lambda s: (s.waiting, s.order))


# --- rules for later features (no source yet) -------------------------------------------

_DAYS_BEFORE = _("Working days before")
register_reminder(
    "check_in_due",
    label=_("Check-in due"),
    description=_("Reminds a manager and a team member that their monthly check-in is due."),
    params=[ReminderParam("days_before", INT, _DAYS_BEFORE, default=2, min_value=0, max_value=60)],
    default_enabled=False,
    source=None,
)
register_reminder(
    "review_phase_opening",
    label=_("Review phase opening"),
    description=_("Tells the people taking part that a phase of the appraisal cycle opens, e.g. the self review."),
    params=[ReminderParam("days_before", INT, _DAYS_BEFORE, default=1, min_value=0, max_value=60)],
    default_enabled=False,
    source=None,
)
register_reminder(
    "review_phase_closing",
    label=_("Review phase closing"),
    description=_("Reminds the people who have not finished a phase of the appraisal cycle that it closes soon."),
    params=[ReminderParam("days_before", INT, _DAYS_BEFORE, default=3, min_value=0, max_value=60)],
    default_enabled=False,
    source=None,
)
register_reminder(
    "review_overdue",
    label=_("Review overdue"),
    description=_("Reminds raters whose review is still open after its phase closed, and their manager."),
    params=[
        ReminderParam("days_after", INT, _("Working days after the phase closed"), default=1, min_value=0, max_value=60)
    ],
    default_enabled=False,
    source=None,
)
register_reminder(
    "appeal_deadline",
    label=_("Appeal deadline approaching"),
    description=_("Reminds the reviewer of an appeal that its deadline is near."),
    params=[ReminderParam("days_before", INT, _DAYS_BEFORE, default=2, min_value=0, max_value=60)],
    default_enabled=False,
    source=None,
)


# --- parameters: stored as JSON, typed for sources, validated by one form ------------------


def _stored(param: ReminderParam, value: Any) -> Any:
    """The JSON form of a typed value."""
    if value in (None, ""):
        return None if param.type != STR else ""
    if param.type == DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    return value


def _typed(param: ReminderParam, value: Any) -> Any:
    """A stored value as the type the source expects; the default when missing or unreadable."""
    if value in (None, ""):
        return param.default if param.type != STR else (param.default or "")
    try:
        if param.type == INT:
            return int(value)
        if param.type == DATE:
            return value if isinstance(value, date) else date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return param.default
    return str(value)


def typed_params(source: ReminderSource, stored: dict | None) -> dict:
    stored = stored or {}
    return {p.name: _typed(p, stored.get(p.name, _stored(p, p.default))) for p in source.params}


class ReminderRuleForm(forms.Form):
    """On/off and the parameters of one rule, with fields made from the rule's schema."""

    source: ReminderSource

    enabled = forms.BooleanField(label=_("On"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("enabled"):
            return data
        if self.source.waiting:
            self.add_error("enabled", str(ERROR_MESSAGES[NotificationErrorCode.REMINDER_WAITING]))
            return data
        for param in self.source.params:
            if param.required and data.get(param.name) in (None, "") and param.name not in self.errors:
                self.add_error(param.name, _("Enter a value to turn this reminder on."))
        return data


def _form_field(param: ReminderParam) -> forms.Field:
    validators = [param.validate] if param.validate else []
    options = {"label": param.label, "help_text": param.help_text, "required": False, "validators": validators}
    if param.type == INT:
        return forms.IntegerField(
            min_value=param.min_value,
            max_value=param.max_value,
            widget=NumberInput(attrs={"inputmode": "numeric"}),
            **options,
        )
    if param.type == DATE:
        return forms.DateField(widget=DateInput(), **options)
    return forms.CharField(max_length=200, **options)


def reminder_rule_form_class(source: ReminderSource) -> type[ReminderRuleForm]:
    fields = {p.name: _form_field(p) for p in source.params}
    return type(ReminderRuleForm)("ReminderRuleForm", (ReminderRuleForm,), {"source": source, **fields})


# --- access ---------------------------------------------------------------------


def reminder_access_for_manage(*, actor: User) -> None:
    """Reminder rules are HR's (and admins')."""
    if not actor.is_authenticated:
        raise PermissionDenied
    if not user_manages_org(actor):
        raise PermissionDenied


# --- reading rules -----------------------------------------------------------------------


@dataclass
class ReminderRuleState:
    """A rule as HR sees it: registration, saved settings and what it has sent."""

    source: ReminderSource
    enabled: bool
    stored_params: dict
    last_sent_at: datetime | None = None
    sent_count: int = 0

    @property
    def code(self) -> str:
        return self.source.code

    @property
    def params(self) -> dict:
        return typed_params(self.source, self.stored_params)

    @property
    def runnable(self) -> bool:
        return self.enabled and not self.source.waiting

    @property
    def param_rows(self) -> list[dict]:
        values = self.params
        return [{"label": p.label, "type": p.type, "value": values[p.name]} for p in self.source.params]


def _state(source: ReminderSource, rule: ReminderRule | None) -> ReminderRuleState:
    if rule is None:
        return ReminderRuleState(source=source, enabled=source.default_enabled, stored_params=source.default_params())
    return ReminderRuleState(
        source=source, enabled=rule.enabled and not source.waiting, stored_params=rule.params or {}
    )


def reminder_rule_states() -> list[ReminderRuleState]:
    """Every registered rule with its settings, when it last sent and how many it sent (2 queries)."""
    rules = {rule.code: rule for rule in ReminderRule.objects.all()}
    stats = {
        row["rule_code"]: row
        for row in ReminderLog.objects.values("rule_code").annotate(last=Max("created_at"), count=Count("id"))
    }
    states = []
    for source in reminder_sources():
        state = _state(source, rules.get(source.code))
        if source.code in stats:
            state.last_sent_at = stats[source.code]["last"]
            state.sent_count = stats[source.code]["count"]
        states.append(state)
    return states


def reminder_rule_state(*, code: str) -> ReminderRuleState | None:
    source = reminder_source_get(code)
    if source is None:
        return None
    return _state(source, ReminderRule.objects.filter(code=code).first())


def reminder_schedule_list():
    """The django-celery-beat entries that run reminders (shown to HR, edited in the admin)."""
    from django_celery_beat.models import PeriodicTask

    return PeriodicTask.objects.filter(task__startswith="notifications.run_reminder").select_related(
        "crontab", "interval"
    )


# --- changing rules -----------------------------------------------------------------------


def reminder_params_clean(*, source: ReminderSource, enabled: bool, params: dict) -> dict:
    """Validate values for a rule by its schema; the stored (JSON) form, or ReminderError."""
    data = {"enabled": "on" if enabled else ""}
    for param in source.params:
        value = params.get(param.name)
        data[param.name] = "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
    form = reminder_rule_form_class(source)(data=data)
    if not form.is_valid():
        problems = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        raise reminder_error(NotificationErrorCode.REMINDER_INVALID, errors=problems)
    return {p.name: _stored(p, form.cleaned_data[p.name]) for p in source.params}


@transaction.atomic
def reminder_rule_update(*, code: str, actor: User | None, enabled: bool, params: dict) -> ReminderRule:
    """Turn a rule on or off and set its parameters (values checked against its schema)."""
    source = reminder_source_get(code)
    if source is None:
        raise reminder_error(NotificationErrorCode.REMINDER_UNKNOWN)
    stored = reminder_params_clean(source=source, enabled=enabled, params=params)
    rule, created = ReminderRule.objects.select_for_update().get_or_create(
        code=code, defaults={"enabled": enabled, "params": stored}
    )
    if not created and (rule.enabled, rule.params) != (enabled, stored):
        rule.enabled, rule.params = enabled, stored
        rule.full_clean()
        rule.save(update_fields=["enabled", "params", "updated_at"])
    return rule


def reminder_rule_set_enabled(*, code: str, actor: User | None, enabled: bool) -> ReminderRule:
    """Switch a rule on or off, keeping its parameters."""
    state = reminder_rule_state(code=code)
    if state is None:
        raise reminder_error(NotificationErrorCode.REMINDER_UNKNOWN)
    if enabled and state.source.waiting:
        raise reminder_error(NotificationErrorCode.REMINDER_WAITING)
    return reminder_rule_update(code=code, actor=actor, enabled=enabled, params=state.params)


# --- running -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRunResult:
    code: str
    found: int  # occasions the source found today
    sent: int  # reminders sent by this run (the others went before)


CHUNK = 200  # occasions claimed and sent per transaction


def _claim_on_conflict(*, rule_code: str, pairs: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """Insert the log rows not there yet, in one statement; {(recipient id, occasion): log id} of
    the rows this call inserted (PostgreSQL, SQLite 3.35+). A row another transaction inserted
    and has not committed yet makes this wait for it, then counts as there."""
    meta = ReminderLog._meta
    quote = connection.ops.quote_name
    column = {
        name: quote(meta.get_field(name).column)
        for name in ("created_at", "updated_at", "rule_code", "recipient", "occasion")
    }
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(pairs))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(column.values())}) VALUES {values} "  # noqa: S608 (names from the model)
        f"ON CONFLICT ({column['rule_code']}, {column['recipient']}, {column['occasion']}) DO NOTHING "
        f"RETURNING {quote(meta.pk.column)}, {column['recipient']}, {column['occasion']}"
    )
    arguments = [value for recipient_id, occasion in pairs for value in (now, now, rule_code, recipient_id, occasion)]
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        return {(recipient_id, occasion): log_id for log_id, recipient_id, occasion in cursor.fetchall()}


def _claim_savepoint(*, rule_code: str, pairs: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """The same for databases without ON CONFLICT … RETURNING: one savepoint per row, and the
    unique constraint's error for rows that are there."""
    claimed = {}
    for recipient_id, occasion in pairs:
        try:
            with transaction.atomic():
                log = ReminderLog.objects.create(rule_code=rule_code, recipient_id=recipient_id, occasion=occasion)
        except IntegrityError:
            continue
        claimed[(recipient_id, occasion)] = log.pk
    return claimed


def _claim(*, rule_code: str, pairs: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
    on_conflict = connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 35)
    )
    claim = _claim_on_conflict if on_conflict else _claim_savepoint
    return claim(rule_code=rule_code, pairs=pairs) if pairs else {}


def _already_sent(code: str, occasions: list[Occasion]) -> set[tuple[int, str]]:
    """(recipient id, occasion) pairs logged before: skipped without a write (one query per 500 keys)."""
    keys = sorted({o.key for o in occasions})
    sent: set[tuple[int, str]] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        sent.update(
            ReminderLog.objects.filter(rule_code=code, occasion__in=chunk).values_list("recipient_id", "occasion")
        )
    return sent


def _same_notification_groups(occasions: list[Occasion]) -> list[list[Occasion]]:
    """Occasions that say the same thing with the same link, so one notify() call sends them;
    each group names a person once."""
    groups: dict[tuple, list[list[Occasion]]] = {}
    for occasion in occasions:
        key = (id(occasion.message), json.dumps(occasion.params, sort_keys=True, default=str), occasion.url)
        bucket = groups.setdefault(key, [[]])
        group = next((g for g in bucket if all(o.recipient.pk != occasion.recipient.pk for o in g)), None)
        if group is None:
            group = []
            bucket.append(group)
        group.append(occasion)
    return [group for bucket in groups.values() for group in bucket if group]


def _send_chunk(source: ReminderSource, occasions: list[Occasion]) -> int:
    """Log, then notify the occasions whose log row this transaction inserted; the rest went before.

    Log rows and notifications commit together: if sending fails, nothing is logged and the
    next run tries again.
    """
    with transaction.atomic():
        claimed = _claim(rule_code=source.code, pairs=[(o.recipient.pk, o.key) for o in occasions])
        mine = [o for o in occasions if (o.recipient.pk, o.key) in claimed]
        now = timezone.now()
        logs = []
        for group in _same_notification_groups(mine):
            first = group[0]
            notifications = notify(
                recipients=[o.recipient for o in group],
                message=first.message,
                params=first.params,
                url=first.url,
                kind=source.kind,
            )
            by_recipient = {n.recipient_id: n for n in notifications}
            for occasion in group:
                log_id = claimed[(occasion.recipient.pk, occasion.key)]
                notification = by_recipient[occasion.recipient.pk]
                logs.append(ReminderLog(pk=log_id, notification=notification, updated_at=now))
        ReminderLog.objects.bulk_update(logs, ["notification", "updated_at"])
    return len(mine)


def reminder_run(code: str, today: date | None = None) -> ReminderRunResult:
    """Run one rule that is on: find today's occasions and send those not sent before.

    Safe to run twice, or on two workers at once: each (person, occasion) is sent once.
    """
    state = reminder_rule_state(code=code)
    if state is None:
        raise reminder_error(NotificationErrorCode.REMINDER_UNKNOWN)
    if state.source.waiting:
        raise reminder_error(NotificationErrorCode.REMINDER_WAITING)
    if not state.enabled:
        raise reminder_error(NotificationErrorCode.REMINDER_DISABLED)
    source = state.source
    today = today or timezone.localdate()
    found: dict[tuple[int, str], Occasion] = {}
    for occasion in source.source(state.params, today, WorkingCalendar()):
        found.setdefault((occasion.recipient.pk, occasion.key), occasion)
    done = _already_sent(code, list(found.values()))
    # One global order, so two workers claiming at once take the rows' locks in the same order.
    pending = [found[pair] for pair in sorted(found) if pair not in done]
    sent = sum(_send_chunk(source, pending[i : i + CHUNK]) for i in range(0, len(pending), CHUNK))
    if sent:
        logger.info("Reminder %s: %s sent (%s found).", code, sent, len(found))
    return ReminderRunResult(code=code, found=len(found), sent=sent)


def reminder_run_all(today: date | None = None, *, working_days_only: bool = False) -> dict[str, int]:
    """Run every rule that is on; {code: reminders sent}. One failing rule does not stop the others.

    With `working_days_only` (the daily schedule), nothing is sent on a weekend or public
    holiday: the sources catch up on the next working day.
    """
    today = today or timezone.localdate()
    if working_days_only and not WorkingCalendar().is_working_day(today):
        return {}
    rules = {rule.code: rule for rule in ReminderRule.objects.all()}
    results = {}
    for source in reminder_sources():
        state = _state(source, rules.get(source.code))
        if not state.runnable:
            continue
        try:
            results[state.code] = reminder_run(state.code, today).sent
        except Exception:
            logger.exception("Reminder %s failed; the next run tries again.", state.code)
    return results
