"""Finding and removing an Acme company made before (`acme_generate --replace`).

The company is found by its root unit's name (context.ROOT_NAME). Its rows go with set-based
DELETEs, children first, each `DELETE … WHERE id IN (<the query that finds them>)` — neither the
ORM's collector (a row at a time, and a correction PROTECTs the update it corrects) nor history
rows. The periods stay (the demo company may share them); the grade levels stay too.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from dashboard.acme.context import ROOT_NAME
from goals.models import ActionPlan, KeyResult, Measurement, Milestone, Objective, StrategicTheme
from goals.scoring import scores_forget
from org.models import Employee, OrgUnit, User
from org.selectors import unit_and_below_ids


def find_root() -> OrgUnit | None:
    return OrgUnit.objects.filter(parent__isnull=True, name=ROOT_NAME).order_by("pk").first()


def subtree_ids(root_id: int) -> list[int]:
    """The root unit and every unit under it (one query)."""
    return unit_and_below_ids(unit_id=root_id)


def _delete(queryset: QuerySet) -> int:
    model = queryset.model
    quote = connection.ops.quote_name
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    pk_column = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        # The inner SELECT is wrapped so that SQLite and PostgreSQL both accept it on the same table.
        # Names from the model's metadata, values as parameters: nothing from outside goes into the SQL.
        delete = f"DELETE FROM {quote(model._meta.db_table)} WHERE {pk_column} IN (SELECT * FROM ({sql}) AS doomed)"  # noqa: S608
        cursor.execute(delete, params)
        return cursor.rowcount


def remove(root: OrgUnit) -> dict[str, int]:
    """Delete the company under `root`: its goals, progress, people and units. Returns counts by table."""
    unit_ids = subtree_ids(root.pk)
    employees = Employee.objects.filter(unit_id__in=unit_ids)
    objectives = Objective.objects.filter(Q(owner_unit_id__in=unit_ids) | Q(owner_employee__in=employees.values("pk")))
    key_results = KeyResult.objects.filter(objective__in=objectives.values("pk"))
    users = User.objects.filter(pk__in=employees.values("user_id"))
    counts = {"score records and snapshots": scores_forget(
        objective_ids=objectives.values("pk"), employee_ids=employees.values("pk"), unit_ids=unit_ids,
        theme_ids=StrategicTheme.objects.filter(owner__in=employees.values("pk")).values("pk"),
    )}  # fmt: skip
    # Children first; the foreign keys are checked at commit (deferred) on PostgreSQL, at once elsewhere.
    counts["progress updates"] = _delete(Measurement.objects.filter(key_result__in=key_results.values("pk"),
                                                                    corrects__isnull=False))  # fmt: skip
    counts["progress updates"] += _delete(Measurement.objects.filter(key_result__in=key_results.values("pk")))
    counts["milestones"] = _delete(Milestone.objects.filter(key_result__in=key_results.values("pk")))
    counts["key results"] = _delete(key_results)
    counts["action plans"] = _delete(ActionPlan.objects.filter(objective__in=objectives.values("pk")))
    Objective.objects.filter(pk__in=objectives.values("pk")).update(parent=None)
    counts["objectives"] = _delete(objectives)
    counts["themes"] = _delete(StrategicTheme.objects.filter(owner__in=employees.values("pk")))
    user_ids = list(users.values_list("pk", flat=True))
    Employee.objects.filter(unit_id__in=unit_ids).update(manager=None)
    counts["employees"] = _delete(employees)
    counts["users"] = _delete(User.objects.filter(pk__in=user_ids))
    OrgUnit.objects.filter(pk__in=unit_ids).update(parent=None)
    counts["units"] = _delete(OrgUnit.objects.filter(pk__in=unit_ids))
    return counts
