"""The database's fast paths for many rows at once: COPY on PostgreSQL; on SQLite executemany, and for the
Writer's thread one statement over the rows as a JSON array.

Rows are plain tuples in the order of the columns named; they bypass model instances, which cost more than
the insert itself when there are a hundred thousand. Callers hold a transaction.

On PostgreSQL everything goes through COPY, whose rows psycopg formats in C: Django's cursor binds
parameters on the client, quoting every element of an array in Python, which costs seconds for a few
arrays of ten thousand values.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import connection, models

_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def table_of(model: type[models.Model]) -> str:
    return model._meta.db_table


def quoted_table(model: type[models.Model]) -> str:
    """The model's table as written into SQL (rows_where's queries)."""
    return connection.ops.quote_name(model._meta.db_table)


def _converters(model: type[models.Model], columns: Sequence[str]) -> list[tuple[int, Callable[[Any], Any]]]:
    """(index, function) for the columns whose Python values the driver does not take as they are: JSON always,
    date-times on SQLite (stored as the ORM stores them, in UTC without offset)."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    converters = []
    for index, column in enumerate(columns):
        field = fields[column]
        if isinstance(field, models.JSONField):
            converters.append((index, lambda v: v if v is None or isinstance(v, str) else _json(v)))
        elif isinstance(field, models.DateTimeField) and not is_postgres():
            # A batch stamps its rows with one moment: convert it once.
            converters.append((index, lru_cache(maxsize=16)(connection.ops.adapt_datetimefield_value)))
    return converters


def _converted(rows: Iterable[Sequence[Any]], converters: list[tuple[int, Callable[[Any], Any]]]
               ) -> Iterable[Sequence[Any]]:
    if not converters:
        yield from rows
        return
    for row in rows:
        row = list(row)
        for index, convert in converters:
            row[index] = convert(row[index])
        yield row


def rows_insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
                ready: bool = False) -> int:
    """Insert rows (tuples in the order of `columns`; dicts and lists go to JSON columns as JSON text).

    `ready` rows hold only what the driver takes as it is (JSON already encoded, no date-times on SQLite).
    """
    table, count = table_of(model), 0
    if not ready:
        rows = _converted(rows, _converters(model, columns))
    if is_postgres():
        with connection.cursor() as cursor:
            return _copy(cursor.cursor, _copy_statement(model, columns), rows)
    marks = ", ".join(["%s"] * len(columns))
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({_quoted(columns)}) VALUES ({marks})"  # noqa: S608
        for row in rows:
            batch.append(row)
            if len(batch) >= 10_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _copy_statement(model: type[models.Model], columns: Sequence[str]) -> str:
    return f"COPY {connection.ops.quote_name(table_of(model))} ({_quoted(columns)}) FROM STDIN"


def _copy(cursor: Any, statement: str, rows: Iterable[Sequence[Any]]) -> int:
    """PostgreSQL: COPY rows through a psycopg cursor."""
    count = 0
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _update_statements(model: type[models.Model], columns: Sequence[str]) -> tuple[str, str, str, str]:
    """PostgreSQL: (create a temporary table, COPY into it, UPDATE from it, drop it) for rows_update."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    names = [f"c{i}" for i in range(len(columns))]
    table = connection.ops.quote_name(table_of(model))
    scratch = connection.ops.quote_name(f"bulk_{table_of(model)}")
    pk_type = model._meta.pk.rel_db_type(connection)
    create = f"CREATE TEMPORARY TABLE {scratch} (id {pk_type}, " + ", ".join(
        f"{name} {fields[column].db_type(connection)}" for name, column in zip(names, columns, strict=True)
    ) + ") ON COMMIT DROP"
    sets = ", ".join(f"{connection.ops.quote_name(c)} = v.{n}" for c, n in zip(columns, names, strict=True))
    update = f"UPDATE {table} AS t SET {sets} FROM {scratch} AS v WHERE t.id = v.id"  # noqa: S608
    return create, f"COPY {scratch} FROM STDIN", update, f"DROP TABLE {scratch}"


def _update(cursor: Any, statements: tuple[str, str, str, str], rows: Iterable[Sequence[Any]]) -> None:
    create, copy, update, drop = statements
    cursor.execute(create)
    _copy(cursor, copy, rows)
    cursor.execute(update)
    cursor.execute(drop)


def _json_value(value: Any) -> str:
    """What JSON cannot hold, as the ORM stores it on SQLite; anything else is refused."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"no JSON for {type(value).__name__} in a bulk write")


_json_rows = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_json_value).encode


def _sqlite_picks(count: int, start: int = 0) -> list[str]:
    return [f"json_extract(v.value, '$[{i}]')" for i in range(start, start + count)]


def _sqlite_insert_statement(model: type[models.Model], columns: Sequence[str]) -> str:
    """SQLite: insert rows given as one JSON array of arrays: one statement, run without Python's lock (its
    executemany takes the lock back after every row, which a busy thread beside it holds for milliseconds)."""
    return (f"INSERT INTO {connection.ops.quote_name(table_of(model))} ({_quoted(columns)}) "  # noqa: S608
            f"SELECT {', '.join(_sqlite_picks(len(columns)))} FROM json_each(?) AS v")


def _sqlite_update_statement(model: type[models.Model], columns: Sequence[str]) -> str:
    """SQLite: set columns of rows given as one JSON array of [id, *values] arrays (as _sqlite_insert_statement)."""
    table = connection.ops.quote_name(table_of(model))
    sets = ", ".join(f"{connection.ops.quote_name(c)} = {pick}"
                     for c, pick in zip(columns, _sqlite_picks(len(columns), start=1), strict=True))
    return (f"UPDATE {table} SET {sets} FROM json_each(?) AS v "  # noqa: S608 - our own names
            f"WHERE {table}.id = json_extract(v.value, '$[0]')")


class Writer:
    """Writes sent to the database from a second thread while this one goes on computing.

    The jobs (insert, update, check_keys) run in the order given, on this thread's connection and inside its
    transaction. Before start() they are only queued, and the caller may still read; from start() until the
    writer is left, this thread must not use the database (no query, no savepoint): the writer's thread
    has the connection. Leaving waits for every job and raises the first error. The database's work thus
    overlaps the caller's Python on a second core: PostgreSQL's server runs beside it; SQLite's engine runs
    in the writer's thread without Python's lock, each job one statement over rows sent as JSON.
    """

    def __init__(self) -> None:
        self._queued: list[Callable[[], None]] = []
        self._done: list[Future] = []
        self._pool: ThreadPoolExecutor | None = None
        self._started = False

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_exc: object) -> None:
        if kind is None:
            self.start()
        # The jobs under way finish before the connection is this thread's again, error or not.
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        if kind is None:
            for future in self._done:
                future.result()

    def start(self) -> None:
        """Hand the connection to the writer's thread and run what was queued."""
        if self._started:
            return
        self._started = True
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-writer")
        for job in self._queued:
            self._run(job)
        self._queued.clear()

    def _job(self, work: Callable[[Any], None]) -> None:
        """Queue or run `work`, given a cursor of the driver's own (psycopg's, sqlite3's)."""
        connection.ensure_connection()
        raw, wrapper = connection.connection, connection  # this thread's: the writer's thread has its own

        def job() -> None:
            with wrapper.wrap_database_errors, closing(raw.cursor()) as cursor:
                work(cursor)

        if self._started:
            self._run(job)
        else:
            self._queued.append(job)

    def _run(self, job: Callable[[], None]) -> None:
        self._done.append(self._pool.submit(job))

    def insert(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """As rows_insert."""
        rows = list(_converted(rows, _converters(model, columns)))
        if not rows:
            return
        if is_postgres():
            statement = _copy_statement(model, columns)
            self._job(lambda cursor: _copy(cursor, statement, rows))
        else:
            statement = _sqlite_insert_statement(model, columns)
            self._job(lambda cursor: cursor.execute(statement, [_json_rows(rows)]))

    def update(self, model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """As rows_update."""
        ready = list(_converted(rows, [(i + 1, f) for i, f in _converters(model, columns)]))
        if not ready:
            return
        if is_postgres():
            statements = _update_statements(model, columns)
            self._job(lambda cursor: _update(cursor, statements, ready))
        else:
            statement = _sqlite_update_statement(model, columns)
            self._job(lambda cursor: cursor.execute(statement, [_json_rows(ready)]))

    def check_keys(self) -> None:
        """Have the foreign keys of everything written so far checked now rather than at the commit
        (PostgreSQL: the checks then run in the writer's thread, beside the caller's work)."""
        if is_postgres():
            def check(cursor: Any) -> None:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

            self._job(check)


def rows_where(sql: str, params: Sequence[Any] = (), *, lock: str = "") -> list[tuple]:
    """Rows of a SELECT asked about many values at once, in one query whatever their number.

    Each `{any}` in `sql` stands after a column ("WHERE t.iban {any}") and takes the next parameter, a list
    of strings or integers. PostgreSQL gets the list as one array literal (`= ANY('{"a","b"}')`, read as
    an array of the column's type): one string to bind, where Django's cursor quotes an IN list's values
    one by one, psycopg's array dumper walks them in Python, and an IN list of thousands costs more to build
    and plan than to run. SQLite reads it from JSON (`IN (SELECT value FROM json_each(%s))`). `lock` names
    the table alias to lock (FOR UPDATE OF it, PostgreSQL; SQLite's writer holds the whole database).
    """
    lists = [isinstance(p, list | tuple | set | frozenset) for p in params]
    pieces = sql.split("{any}")
    if len(pieces) - 1 != sum(lists):
        raise ValueError("rows_where: one list parameter for each {any}")
    values: list[Any] = []
    placeholders: list[str] = []
    for param, is_list in zip(params, lists, strict=True):
        if not is_list:
            values.append(param)
        elif is_postgres():
            values.append(_array_literal(param))
            placeholders.append("= ANY(%s)")
        else:
            values.append(_json(list(param)))
            placeholders.append("IN (SELECT value FROM json_each(%s))")
    statement = pieces[0] + "".join(p + piece for p, piece in zip(placeholders, pieces[1:], strict=True))
    if lock and is_postgres():
        statement += f" FOR UPDATE OF {lock}"
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        return cursor.fetchall()


def _array_literal(values: Iterable[Any]) -> str:
    """A PostgreSQL array literal of the values' text, each quoted: '{"1","2"}', '{"a\\"b"}'."""
    escaped = (str(v).replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return "{" + ",".join(f'"{v}"' for v in escaped) + "}"


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
            # The sequence is named once: pg_get_serial_sequence per row costs ten times the nextval.
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [cursor.fetchone()[0], count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        highest = max(highest, row[0] if row else 0)
    return list(range(highest + 1, highest + 1 + count))


def rows_update(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Set `columns` of rows by id; each row is (id, *values).

    PostgreSQL: the rows are copied into a temporary table, then one UPDATE joins it; SQLite: executemany by
    primary key.
    """
    if not rows:
        return
    rows = list(_converted(rows, [(i + 1, f) for i, f in _converters(model, columns)]))
    with connection.cursor() as cursor:
        if is_postgres():
            _update(cursor.cursor, _update_statements(model, columns), rows)
            return
        table = connection.ops.quote_name(table_of(model))
        sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s",  # noqa: S608 - our own column names
                           [[*row[1:], row[0]] for row in rows])
