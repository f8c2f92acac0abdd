"""Forgetting the scores of subjects that are being removed (a generated company replaced): their
score records and daily snapshots, set-based. Nothing else may delete from the score tables."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from goals.models import ScoreKind, ScoreRecord, ScoreSnapshot


def scores_forget(
    *,
    objective_ids: QuerySet | list[int] = (),
    employee_ids: QuerySet | list[int] = (),
    unit_ids: QuerySet | list[int] = (),
    theme_ids: QuerySet | list[int] = (),
) -> int:
    """Delete every score record and snapshot of these objectives, people, units and themes (ids, or
    a query of ids, evaluated in the database). Returns how many rows went."""
    subjects = Q(pk__in=[])
    for kind, ids in (
        (ScoreKind.OBJECTIVE, objective_ids),
        (ScoreKind.PERSON, employee_ids),
        (ScoreKind.UNIT, unit_ids),
        (ScoreKind.THEME, theme_ids),
    ):
        if isinstance(ids, QuerySet) or ids:
            subjects |= Q(kind=kind, subject_id__in=ids)
    removed = 0
    for model in (ScoreSnapshot, ScoreRecord):
        removed += model.objects.filter(subjects).delete()[0]
    return removed
