"""Reads of progress: progress updates (measurements), the effective latest value of each key
result, and the clients that push progress."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from goals.models import (
    IntegrationClient,
    KeyResult,
    Measurement,
    Objective,
)
from goals.objectives.selectors import objective_list_visible_to
from org.models import Employee, OrgUnit, Role, User
from org.selectors import (
    descendants_sql,
    employee_of,
    user_roles,
)


def measurement_list(*, key_result: KeyResult, include_corrected: bool = True) -> QuerySet[Measurement]:
    qs = Measurement.objects.filter(key_result=key_result).select_related("entered_by", "source_client", "corrects")
    return qs if include_corrected else qs.filter(corrected_by__isnull=True)


def measurement_effective_latest(*, key_result_id: int) -> Measurement | None:
    """The value that counts now: the latest update by date that no later row corrected."""
    return (
        Measurement.objects.filter(key_result_id=key_result_id, corrected_by__isnull=True)
        .order_by("-as_of", "-pk")
        .first()
    )


def integration_client_list() -> QuerySet[IntegrationClient]:
    return IntegrationClient.objects.select_related("created_by").order_by("revoked_at", "name")


def measurement_list_visible_to(*, actor: User) -> QuerySet[Measurement]:
    visible = objective_list_visible_to(actor=actor).values("pk")
    return Measurement.objects.filter(key_result__objective__in=visible).select_related(
        "key_result", "entered_by", "source_client", "corrects", "corrected_by"
    )


def _effective(key_result_ids: list[int]) -> QuerySet[Measurement]:
    corrected = Measurement.objects.filter(corrects_id=OuterRef("pk"))  # NOT EXISTS: planned far better than
    return Measurement.objects.filter(~Exists(corrected), key_result_id__in=key_result_ids)  # a LEFT JOIN


def measurement_effective_list(*, key_result_ids: list[int]) -> QuerySet[Measurement]:
    """The progress updates that count (no later row corrected them) of these key results, oldest
    first per key result, with who entered them and the client that sent them."""
    updates = _effective(key_result_ids)
    return updates.select_related("entered_by", "source_client").order_by("key_result_id", "as_of", "pk")


def sparkline_points(*, key_result_ids: list[int], latest: int) -> dict[int, list[tuple[date, Decimal]]]:
    """{key result id: [(as of, value), …]} of the last `latest` progress updates that count of each
    key result, oldest first: one query for every sparkline on a page, a bounded number of plain
    rows whatever the history (no model objects)."""
    newest_first = Window(RowNumber(), partition_by=[F("key_result_id")], order_by=[F("as_of").desc(), F("pk").desc()])
    rows = (
        _effective(key_result_ids)
        .annotate(newest_rank=newest_first)
        .filter(newest_rank__lte=latest)
        .order_by("key_result_id", "as_of", "pk")
        .values_list("key_result_id", "as_of", "value")
    )
    points: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for key_result_id, day, value in rows:
        points[key_result_id].append((day, value))
    return points


def key_result_list_for_progress(*, actor: User) -> QuerySet[KeyResult]:
    """Key results whose objectives this person may record progress on, in any status.

    The set-based twin of goals.access.can_record_progress (= can_edit_objective): HR and admins
    all; executives company objectives; unit objectives their author and the managers leading the
    unit or a unit above it; personal objectives their owner and the managers above the owner.
    """
    qs = KeyResult.objects.select_related(
        "objective__period", "objective__owner_employee__user", "objective__owner_unit", "kpi"
    )
    roles = user_roles(actor)
    if roles & {Role.HR, Role.ADMIN}:
        return qs
    allowed = Q(objective__level=Objective.Level.UNIT, objective__created_by=actor)
    if Role.EXECUTIVE in roles:
        allowed |= Q(objective__level=Objective.Level.COMPANY)
    me = employee_of(actor)
    if me is not None:
        below = descendants_sql(Employee, "manager", me.pk)
        allowed |= Q(objective__level=Objective.Level.PERSON, objective__owner_employee=me)
        allowed |= Q(objective__level=Objective.Level.PERSON, objective__owner_employee_id__in=below)
        if Employee.objects.filter(manager=me, is_active=True).exists():
            led = Q(objective__owner_unit_id=me.unit_id) | Q(
                objective__owner_unit_id__in=descendants_sql(OrgUnit, "parent", me.unit_id)
            )
            allowed |= Q(objective__level=Objective.Level.UNIT) & led
    return qs.filter(allowed)
