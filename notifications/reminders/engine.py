"""Running reminder rules: today's occasions, each sent once per person and occasion (see the
package docstring, "Once per person per occasion")."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from notifications.errors import NotificationErrorCode, reminder_error
from notifications.models import ReminderLog, ReminderRule
from notifications.reminders.registry import Occasion, ReminderSource, reminder_sources
from notifications.reminders.selectors import reminder_rule_state, rule_state_from
from notifications.services import notify
from org.working_days import WorkingCalendar

logger = logging.getLogger(__name__)


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
        state = rule_state_from(source, rules.get(source.code))
        if not state.runnable:
            continue
        try:
            results[state.code] = reminder_run(state.code, today).sent
        except Exception:
            logger.exception("Reminder %s failed; the next run tries again.", state.code)
    return results
