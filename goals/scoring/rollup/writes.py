"""Set-based writes of derived rows: `UPDATE … FROM (VALUES …)` in chunks on PostgreSQL (never a
`CASE WHEN id = …` that grows with every row), inserts with `bulk_create` in batches, deletes by
id in chunks. Other databases (the embedded SQLite) update row by row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import connection, models

from goals.models import KeyResult, Objective, ScoreRecord, ScoreSnapshot

CHUNK = 2000  # rows per statement

NUMERIC, TIMESTAMP = "numeric", "timestamptz"


def _chunks(rows: Sequence, size: int = CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def update_rows(model: type[models.Model], columns: Sequence[tuple[str, str]], rows: Sequence[tuple]) -> None:
    """Set `columns` ((field, PostgreSQL type) pairs) of the rows given as (id, value, …), one statement per chunk:

    UPDATE t SET a = v.a, … FROM (VALUES (%s::bigint, %s::numeric, …), …) AS v(id, a, …) WHERE t.id = v.id
    """
    if not rows:
        return
    names = [model._meta.get_field(name).column for name, _type in columns]
    if connection.vendor != "postgresql":
        for pk, *values in rows:
            model._base_manager.filter(pk=pk).update(**dict(zip((n for n, _t in columns), values, strict=True)))
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    template = "(" + ", ".join(["%s::bigint", *(f"%s::{kind}" for _name, kind in columns)]) + ")"
    assignments = ", ".join(f"{qn(n)} = v.{qn(n)}" for n in names)
    aliases = ", ".join(["id", *(qn(n) for n in names)])
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            values = ", ".join([template] * len(chunk))
            sql = f"UPDATE {table} AS t SET {assignments} FROM (VALUES {values}) AS v({aliases}) WHERE t.id = v.id"  # noqa: S608 (names from the model)
            cursor.execute(sql, [value for row in chunk for value in row])


def upsert(model: type[models.Model], rows: list[models.Model], *, unique: list[str], fields: list[str]) -> None:
    """Insert these rows, or update `fields` where a row with the same `unique` values exists (a
    concurrent writer inserted it first); batches of CHUNK rows."""
    if rows:
        model.objects.bulk_create(
            rows, batch_size=CHUNK, update_conflicts=True, unique_fields=unique, update_fields=fields
        )


def delete_rows(model: type[models.Model], pks: Sequence[int]) -> None:
    for chunk in _chunks(list(pks)):
        model._base_manager.filter(pk__in=chunk).delete()


def key_results_update(rows: Sequence[tuple]) -> None:
    """(id, achievement) rows."""
    update_rows(KeyResult, [("achievement", NUMERIC)], rows)


def objectives_update(rows: Sequence[tuple], *, now: datetime) -> None:
    """(id, score, progress) rows, stamped `now`."""
    columns = [("score", NUMERIC), ("progress", NUMERIC), ("score_updated_at", TIMESTAMP)]
    update_rows(Objective, columns, [(*row, now) for row in rows])


def records_update(rows: Sequence[tuple], *, now: datetime) -> None:
    """(id, score, progress) rows of ScoreRecord, computed `now`."""
    columns = [("score", NUMERIC), ("progress", NUMERIC), ("computed_at", TIMESTAMP), ("updated_at", TIMESTAMP)]
    update_rows(ScoreRecord, columns, [(*row, now, now) for row in rows])


def snapshots_update(rows: Sequence[tuple], *, now: datetime) -> None:
    """(id, score, progress) rows of ScoreSnapshot."""
    update_rows(ScoreSnapshot, [("score", NUMERIC), ("progress", NUMERIC), ("updated_at", TIMESTAMP)],
                [(*row, now) for row in rows])  # fmt: skip
