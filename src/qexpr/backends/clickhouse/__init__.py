"""Running ClickHouse SQL of the ``"clickhouse"`` dialect on chdb or a clickhouse-server.

``conn`` is a ``chdb.session.Session`` (the engine in-process; one data path per process,
its current database chosen with ``USE``), or a ``clickhouse_connect`` client (server-side
binding of the same ``{pN:Type}`` placeholders). Parameters are the dialect's ``params`` list
by position (``p0``, ``p1``, ...). chdb parses parameter values as TSV-escaped text
(:func:`param_text`); rows come back as ``JSONCompactEachRow`` read with exact decimals. Every
query gets the dialect's SETTINGS (``transform_null_in = 0, join_use_nulls = 1``).

>>> param_text("a\\tb\\\\N")
'a\\\\tb\\\\\\\\N'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from qexpr.backends.sql.dialects import Dialect

SETTINGS = "transform_null_in = 0, join_use_nulls = 1"
_TSV = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\b": "\\b",
                      "\f": "\\f", "\0": "\\0"})
KEY_CHUNK = 1000
INSERT_CHUNK = 50_000


def _timestamp(value: datetime) -> str:
    v = value.astimezone(UTC)
    return (f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:"
            f"{v.second:02d}.{v.microsecond:06d}")


def param_text(value: Any) -> str:
    """A parameter value as chdb parses it: TSV-escaped text (``\\``, tab, newline, CR,
    backspace, form feed, NUL), decimals in plain notation, timestamps in UTC."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.translate(_TSV)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return _timestamp(value)
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"cannot bind {type(value).__name__} in ClickHouse")


def is_chdb(conn: Any) -> bool:
    """Whether ``conn`` is a chdb session (rather than a clickhouse-connect client)."""
    return hasattr(conn, "send_query")


def with_settings(text: str) -> str:
    """A statement with the settings three-valued logic needs."""
    return f"{text} SETTINGS {SETTINGS}"


def rows(conn: Any, text: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """All rows of a numbered statement (see :func:`qexpr.backends.sql.clickhouse.named`)."""
    text = with_settings(text)
    if not is_chdb(conn):
        named = {f"p{i}": v for i, v in enumerate(params)}
        return [tuple(r) for r in conn.query(text, parameters=named).result_rows]
    named_text = {f"p{i}": param_text(v) for i, v in enumerate(params)}
    out = conn.query(text, "JSONCompactEachRow", params=named_text).bytes()
    return [tuple(json.loads(line, parse_float=Decimal)) for line in out.splitlines() if line]


def command(conn: Any, text: str) -> None:
    """Run a statement without parameters or rows (DDL)."""
    if is_chdb(conn):
        conn.query(text)
    else:
        conn.command(text)


def _json_cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return _timestamp(value)
    return value


def _insert(conn: Any, d: Dialect, table: str, columns: Sequence[str],
            rows_: Sequence[tuple[Any, ...]]) -> None:
    head = f"INSERT INTO {d.quote(table)} ({', '.join(d.quote(c) for c in columns)})"
    if not is_chdb(conn):
        conn.insert(table, [list(r) for r in rows_], column_names=list(columns))
        return
    for start in range(0, len(rows_), INSERT_CHUNK):
        lines = [json.dumps(dict(zip(columns, map(_json_cell, r), strict=True)),
                            ensure_ascii=False, allow_nan=False)
                 for r in rows_[start : start + INSERT_CHUNK]]
        with conn.send_insert(head, "JSONEachRow") as out:
            out.append(("\n".join(lines) + "\n").encode())
            out.finish()


def _existing(conn: Any, d: Dialect, table: str, column: str, keys: list[Any]) -> set[Any]:
    from qexpr.backends.sql.fragment import Sql

    found: set[Any] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start : start + KEY_CHUNK]
        query = d.finish(Sql("").join([
            f"SELECT {d.ident(column)} FROM {d.ident(table)} WHERE {d.ident(column)} IN (",
            Sql(", ").join(d.param(k) for k in chunk), ")"]))
        found.update(r[0] for r in rows(conn, query.text, list(query.params)))
    return found


def insert_batches(conn: Any, d: Dialect,
                   batches: Iterable[tuple[str, Sequence[str], int, bool,
                                           list[tuple[Any, ...]]]]) -> None:
    """Insert rows per table; insert-or-ignore batches skip keys already stored (MergeTree
    has no unique key, so the loader de-duplicates)."""
    for table, columns, key, ignore, rows_ in batches:
        if ignore:
            stored = _existing(conn, d, table, columns[key],
                               list(dict.fromkeys(r[key] for r in rows_)))
            rows_ = [r for r in rows_ if r[key] not in stored]
        if rows_:
            _insert(conn, d, table, columns, rows_)
