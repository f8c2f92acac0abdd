"""What HR sees of failed sign-ins, and unlocking (django-axes's records)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone

RECENT_FAILURES_SHOWN = 50


@dataclass(frozen=True)
class Lock:
    kind: str  # "account" or "address"
    value: str
    failures: int
    limit: int
    last_attempt: datetime

    @property
    def locked(self) -> bool:
        return self.failures >= self.limit

    @property
    def until(self) -> datetime:
        return self.last_attempt + settings.AXES_COOLOFF_TIME


def signin_lock_list() -> list[Lock]:
    """Accounts and addresses with failures inside the cool-off window, locked ones first (two queries)."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    locks = [
        Lock("account", row["username"], row["failures"], settings.AXES_FAILURE_LIMIT, row["last"])
        for row in recent.exclude(username=None)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    ] + [
        Lock("address", row["ip_address"], row["failures"], settings.STRIDE_LOGIN_ADDRESS_FAILURE_LIMIT, row["last"])
        for row in recent.exclude(ip_address=None)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    ]
    return sorted(locks, key=lambda lock: (not lock.locked, -lock.last_attempt.timestamp()))


def signin_failure_list():
    """The latest failed sign-ins, newest first."""
    return AccessFailureLog.objects.order_by("-attempt_time")[:RECENT_FAILURES_SHOWN]


def signin_unlock(*, kind: str, value: str) -> int:
    """Forget the failures of one account or one address, so it can sign in again at once."""
    if kind == "account":
        return reset(username=value)
    if kind == "address":
        return reset(ip=value)
    raise ValueError(kind)
