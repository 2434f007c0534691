"""The database's fast paths for many rows at once: COPY on PostgreSQL, executemany on SQLite.

Rows are plain tuples in the order of the columns named; they bypass model instances, which cost more than
the insert itself when there are a hundred thousand. Callers hold a transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _value(value: Any) -> Any:
    """A value as the database driver takes it: JSON as text; on SQLite, times as the ORM stores them (UTC)."""
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, dt.datetime) and not is_postgres():
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def table_of(model: type[models.Model]) -> str:
    return model._meta.db_table


def rows_insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
                ready: bool = False) -> int:
    """Insert rows (tuples in the order of `columns`; dicts and lists go to JSON columns as JSON text).

    `ready` rows hold only strings, numbers and None (JSON already encoded): they go to the driver as they are.
    """
    table, count = table_of(model), 0
    if is_postgres():
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(table)} ({_quoted(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row if ready else [_value(v) for v in row])
                count += 1
        return count
    marks = ", ".join(["%s"] * len(columns))
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({_quoted(columns)}) VALUES ({marks})"  # noqa: S608
        for row in rows:
            batch.append(row if ready else [_value(v) for v in row])
            if len(batch) >= 10_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """Take `count` new primary keys for `model`, so that related rows can be written before a round trip.

    PostgreSQL draws them from the table's sequence. SQLite's writers are serialised (the transaction began
    with BEGIN IMMEDIATE), so the next free ones are free until it commits; AUTOINCREMENT tables count past
    the highest id ever used, which is kept in sqlite_sequence.
    """
    if count <= 0:
        return []
    table = table_of(model)
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        highest = max(highest, row[0] if row else 0)
    return list(range(highest + 1, highest + 1 + count))


def rows_update(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Set `columns` of rows by id; each row is (id, *values). PostgreSQL: one UPDATE ... FROM (VALUES ...)."""
    if not rows:
        return
    table = connection.ops.quote_name(table_of(model))
    prepared = [[row[0], *(_value(v) for v in row[1:])] for row in rows]
    with connection.cursor() as cursor:
        if is_postgres():
            fields = {f.column: f for f in model._meta.concrete_fields}
            # Parameters in VALUES arrive untyped; each is cast to its column's type.
            sets = ", ".join(f"{connection.ops.quote_name(c)} = v.{connection.ops.quote_name(c)}"
                             f"::{fields[c].db_type(connection)}" for c in columns)
            names = ", ".join(["id", *(connection.ops.quote_name(c) for c in columns)])
            for start in range(0, len(prepared), 5000):
                chunk = prepared[start:start + 5000]
                values = ", ".join(["(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"] * len(chunk))
                cursor.execute(
                    f"UPDATE {table} AS t SET {sets} FROM (VALUES {values}) AS v({names}) "  # noqa: S608
                    "WHERE t.id = v.id::bigint",
                    [v for row in chunk for v in row],
                )
            return
        sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s",  # noqa: S608 - our own column names
                           [[*row[1:], row[0]] for row in prepared])
