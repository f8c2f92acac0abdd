"""Goals' reminder sources (see notifications.reminders), registered from GoalsConfig.ready.

- goal_setting_deadline: before the goal-setting deadline HR sets, everyone who has not yet
  submitted a counted objective for the period is reminded, once per deadline.
- key_result_stale: the owner of an active objective is reminded when one of its key results
  has had no progress update for N working days, once per key result and last update (a new
  update starts the count again).

Both read in a fixed number of queries, whatever the number of people.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.models import Direction, KeyResult, Objective, Period
from notifications.reminders import DATE, INT, STR, Occasion, ReminderParam, register_reminder
from org.models import Employee
from org.working_days import WorkingCalendar

GOAL_SETTING_DEADLINE = "goal_setting_deadline"
KEY_RESULT_STALE = "key_result_stale"

DEADLINE_MESSAGE = _("The goal-setting deadline is %(date)s: draft and submit your objectives.")
STALE_MESSAGE = _(
    "Your key result “%(key_result)s” has had no progress update since %(since)s. Record where it stands now."
)
# Key results people update by hand with a value or done / not done (milestones are ticked off).
TRACKED_DIRECTIONS = [Direction.HIGHER, Direction.LOWER, Direction.RANGE, Direction.DONE]


def _period_must_exist(name: str) -> None:
    if not Period.objects.filter(name=name).exists():
        raise ValidationError(
            _("There is no period named “%(name)s”. Enter a period's name exactly as it is listed, or leave it empty."),
            params={"name": name},
        )


def _period_for(name: str, deadline: date) -> Period | None:
    """The named period, or else the fiscal year (or longest period) containing the deadline."""
    if name:
        named = list(Period.objects.filter(name=name))
        containing = [p for p in named if p.contains(deadline)]
        return (containing or named or [None])[0]
    candidates = list(Period.objects.filter(start__lte=deadline, end__gte=deadline))
    candidates.sort(key=lambda p: (p.kind != Period.Kind.YEAR, -(p.end - p.start).days))
    return candidates[0] if candidates else None


def goal_setting_deadline(params: dict, today: date, calendar: WorkingCalendar) -> Iterator[Occasion]:
    """From N working days before the deadline up to the deadline: everyone active who has no
    submitted or approved counted objective in the period (or a period inside it)."""
    deadline = params["deadline"]
    if deadline is None:
        return
    if not calendar.add_working_days(deadline, -params["days_before"]) <= today <= deadline:
        return
    period = _period_for(params["period"], deadline)
    if period is None:
        return
    has_objective = Objective.objects.filter(
        owner_employee=OuterRef("pk"),
        track=Objective.Track.KPI,
        status__in=[Objective.Status.SUBMITTED, Objective.Status.APPROVED],
        period__start__gte=period.start,
        period__end__lte=period.end,
    )
    people = (
        Employee.objects.filter(is_active=True, user__is_active=True)
        .exclude(Exists(has_objective))
        .select_related("user")
        .order_by("pk")
    )
    url = reverse("goals:my-objectives")
    key = f"{period.pk}:{deadline.isoformat()}"
    for employee in people:
        yield Occasion(
            recipient=employee.user, key=key, message=DEADLINE_MESSAGE, params={"date": deadline.isoformat()}, url=url
        )


def key_result_stale(params: dict, today: date, calendar: WorkingCalendar) -> Iterator[Occasion]:
    """Key results of approved personal objectives in a running period, not updated for N working
    days (counted from the last update, or from approval / the period's start if none)."""
    days = params["days"]
    # N working days are at least N calendar days: the database drops the fresh ones first.
    cutoff = today - timedelta(days=days)
    key_results = (
        KeyResult.objects.filter(
            objective__status=Objective.Status.APPROVED,
            objective__level=Objective.Level.PERSON,
            objective__owner_employee__is_active=True,
            objective__owner_employee__user__is_active=True,
            objective__period__start__lte=today,
            objective__period__end__gte=today,
            direction__in=TRACKED_DIRECTIONS,
        )
        .filter(Q(last_measured_on__lte=cutoff) | Q(last_measured_on__isnull=True))
        .select_related("objective__period", "objective__owner_employee__user")
        .order_by("pk")
    )
    for key_result in key_results:
        objective = key_result.objective
        since = key_result.last_measured_on
        if since is None:
            started = timezone.localdate(objective.approved_at or objective.created_at)
            since = max(started, objective.period.start)
        if calendar.working_days_between(since, today) < days:
            continue
        last = key_result.last_measured_on.isoformat() if key_result.last_measured_on else "never"
        yield Occasion(
            recipient=objective.owner_employee.user,
            key=f"{key_result.pk}:{last}",
            message=STALE_MESSAGE,
            params={"key_result": key_result.title, "since": since.isoformat()},
            url=reverse("goals:key-result-history", args=[key_result.pk]),
        )


def register() -> None:
    register_reminder(
        GOAL_SETTING_DEADLINE,
        label=_("Goal-setting deadline approaching"),
        description=_(
            "Before the deadline you set, everyone who has not yet submitted a counted objective for the period "
            "is reminded once to draft and submit their objectives."
        ),
        params=[
            ReminderParam(
                "deadline",
                DATE,
                _("Deadline"),
                required=True,
                help_text=_("The last day to submit objectives. Set it to turn the reminder on."),
            ),
            ReminderParam(
                "days_before",
                INT,
                _("Working days before"),
                default=3,
                min_value=0,
                max_value=60,
                help_text=_("The reminder goes this many working days before the deadline (0: on the day)."),
            ),
            ReminderParam(
                "period",
                STR,
                _("Period"),
                default="",
                validate=_period_must_exist,
                help_text=_(
                    "The period's name, e.g. 2026 or 2026 H1. Empty: the fiscal year that contains the deadline."
                ),
            ),
        ],
        default_enabled=False,
        source=goal_setting_deadline,
    )
    register_reminder(
        KEY_RESULT_STALE,
        label=_("Key result without a progress update"),
        description=_(
            "The owner of an active objective is reminded when one of its key results has had no progress update "
            "for the number of working days set; once per key result until it is updated again."
        ),
        params=[
            ReminderParam(
                "days",
                INT,
                _("Working days without an update"),
                default=14,
                min_value=1,
                max_value=250,
            )
        ],
        default_enabled=True,
        source=key_result_stale,
    )
