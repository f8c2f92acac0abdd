"""Bulk writes for the Acme generator: ids reserved up front, rows copied in.

On PostgreSQL rows go in with `COPY … FROM STDIN` (psycopg2's copy_expert), the fastest way in;
elsewhere (SQLite) with `bulk_create`. Ids are reserved before the rows are built — from the
table's sequence on PostgreSQL, after the highest id elsewhere — so that rows can point at each
other (a correction at the update it corrects, an objective at its parent) without a read back.

Neither way runs `save()`, signals or django-simple-history's receivers: generated data has no
history rows, and `auto_now` fields are filled by the generator, not the clock.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Max, Model

BATCH_SIZE = 2000  # bulk_create batches (SQLite)
COPY_CHUNK = 100_000  # rows per COPY statement


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`, in increasing order."""
    if count <= 0:
        return []
    table = model._meta.db_table
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return sorted(row[0] for row in cursor.fetchall())
    start = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    return list(range(start, start + count))


def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (int, Decimal, date, datetime)):
        return value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def copy_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write rows (tuples in `columns` order, columns by their attname) into model's table.

    Returns the number of rows. PostgreSQL: COPY in chunks; elsewhere: bulk_create.
    """
    if not is_postgres():
        return _bulk_create_rows(model, columns, rows)
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(model._meta.get_field(_field_name(model, c)).column)
                            for c in columns)  # fmt: skip
    sql = f"COPY {table} ({column_list}) FROM STDIN"
    total = 0
    buffer = io.StringIO()
    pending = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor, for copy_expert
        for row in rows:
            buffer.write("\t".join(map(_text, row)))
            buffer.write("\n")
            pending += 1
            if pending >= COPY_CHUNK:
                buffer.seek(0)
                raw.copy_expert(sql, buffer)
                total += pending
                buffer, pending = io.StringIO(), 0
        if pending:
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
            total += pending
    return total


def _field_name(model: type[Model], attname: str) -> str:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field.name
    raise LookupError(f"{model.__name__} has no column {attname}")


def _bulk_create_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    total = 0
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row, strict=True))))
        if len(batch) >= BATCH_SIZE * 10:
            model.objects.bulk_create(batch, batch_size=BATCH_SIZE)
            total += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        total += len(batch)
    return total


def write_objects(model: type[Model], objects: Sequence[Model]) -> int:
    """Write model instances whose ids and timestamps the generator has set."""
    if not objects:
        return 0
    if not is_postgres():
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        return len(objects)
    columns = [f.attname for f in model._meta.concrete_fields]
    return copy_rows(model, columns, ([getattr(o, c) for c in columns] for o in objects))


def analyze() -> None:
    """Fresh planner statistics after millions of rows (PostgreSQL's ANALYZE; SQLite's too)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
