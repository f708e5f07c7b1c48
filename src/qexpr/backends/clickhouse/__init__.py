"""Running ClickHouse SQL of the ``"clickhouse"`` dialect on chdb or a clickhouse-server.

``conn`` is a ``chdb.session.Session`` (the engine in-process; one data path per process,
its current database chosen with ``USE``), or a ``clickhouse_connect`` client
(``clickhouse_connect.get_client(...)``, HTTP to a clickhouse-server). Both get the same
statement text, the same server-side bound ``{pN:Type}`` placeholders (the dialect's
``params`` list by position: ``p0``, ``p1``, ...) and the dialect's SETTINGS
(:data:`QUERY_SETTINGS`) appended to every query; values are never
formatted into the text.

- chdb parses parameter values as TSV-escaped text (:func:`param_text`); rows come back as
  ``JSONCompactEachRow`` read with exact decimals.
- clickhouse-connect sends ``param_pN`` URL parameters (or form fields): strings are passed
  as Python ``str`` (the client escapes them for the server), every other value as its
  :func:`param_text` (plain digits and punctuation, which the client passes unchanged, so
  decimals keep every digit and timestamps are ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC for any
  year). Rows come back in the Native format and are converted to the chdb route's values
  (:func:`connect_value`). DDL is ``client.command``; inserts are ``client.raw_insert`` of the
  same ``JSONEachRow`` lines chdb gets.

Driver errors are not translated on either route: chdb raises ``chdb.ChdbError``,
clickhouse-connect ``clickhouse_connect.driver.exceptions.DatabaseError`` (its ``code`` is
the server's exception code), both carrying the server's ``Code: N. DB::Exception: ...``
text; bad input is a :class:`qexpr.QError` before any query runs, on both.

>>> param_text("a\\tb\\\\N")
'a\\\\tb\\\\\\\\N'
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from qexpr.backends.sql.dialects import Dialect

#: Settings every query needs for SQL's three-valued logic (pinned per query, whatever the
#: session's defaults), and the plan choice that keeps the one correlated form the dialect
#: still prints cheap (a scalar subquery ``(SELECT m.slug FROM models m WHERE m.id =
#: runs.model_id)``, for two fields on different paths): it is decorrelated into a join
#: whose build side is the small to-one table rather than ``runs`` (the same rows; measured
#: at 100k runs, a first page of ``model.slug = "flux-dev"`` in that form 325 -> 74 ms).
#: ``use_index_for_in_with_subqueries = 0``: the quantifiers' and key sets' ``IN (SELECT ...)``
#: sets are on record keys that never lead a sort key (``runs`` is sorted by ``org_id``
#: first), so analysing the primary index with them prunes nothing and costs the set's
#: ordering (measured at 1M runs: ``any(node_runs, state_code = "failed")`` counted in 178 ->
#: 116 ms, its first page 121 -> 80 ms; answers unchanged).
#: The dialect re-exports them; every query this library runs gets them.
QUERY_SETTINGS = ("transform_null_in = 0, join_use_nulls = 1, "
                  "correlated_subqueries_default_join_kind = 'left', "
                  "use_index_for_in_with_subqueries = 0")
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
    return not is_connect(conn)


def is_connect(conn: Any) -> bool:
    """Whether ``conn`` is a clickhouse-connect client (checked without importing it)."""
    module = sys.modules.get("clickhouse_connect.driver.client")
    return module is not None and isinstance(conn, module.Client)


def with_settings(text: str) -> str:
    """A statement with the dialect's settings (:data:`QUERY_SETTINGS`)."""
    return f"{text} SETTINGS {QUERY_SETTINGS}"


def connect_params(params: Sequence[Any]) -> dict[str, Any]:
    """The parameters of a numbered statement for clickhouse-connect's server-side binding:
    strings as they are (the client escapes them), other values as their :func:`param_text`
    (which the client sends unchanged)."""
    return {f"p{i}": v if isinstance(v, str) else param_text(v) for i, v in enumerate(params)}


def _plain_decimal(value: Decimal) -> Decimal:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def connect_value(value: Any) -> Any:
    """A value of a clickhouse-connect row as the chdb route yields it: decimals without the
    column's trailing zeros, timestamps as their UTC text, everything else unchanged."""
    if isinstance(value, Decimal):
        return _plain_decimal(value)
    if isinstance(value, datetime):
        return _timestamp(value if value.tzinfo is not None else value.replace(tzinfo=UTC))
    if isinstance(value, UUID):
        return str(value)
    return value


def rows(conn: Any, text: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """All rows of a numbered statement (see :func:`qexpr.backends.sql.clickhouse.named`)."""
    text = with_settings(text)
    if is_connect(conn):
        result = conn.query(text, parameters=connect_params(params))
        return [tuple(map(connect_value, r)) for r in result.result_rows]
    named_text = {f"p{i}": param_text(v) for i, v in enumerate(params)}
    out = conn.query(text, "JSONCompactEachRow", params=named_text).bytes()
    return [tuple(json.loads(line, parse_float=Decimal)) for line in out.splitlines() if line]


def command(conn: Any, text: str) -> None:
    """Run a statement without parameters or rows (DDL)."""
    if is_connect(conn):
        conn.command(text)
    else:
        conn.query(text)


def _json_cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return _timestamp(value)
    return value


def _insert(conn: Any, d: Dialect, table: str, columns: Sequence[str],
            rows_: Sequence[tuple[Any, ...]]) -> None:
    head = f"INSERT INTO {d.quote(table)} ({', '.join(d.quote(c) for c in columns)})"
    for start in range(0, len(rows_), INSERT_CHUNK):
        lines = [json.dumps(dict(zip(columns, map(_json_cell, r), strict=True)),
                            ensure_ascii=False, allow_nan=False)
                 for r in rows_[start : start + INSERT_CHUNK]]
        data = "\n".join(lines) + "\n"
        if is_connect(conn):
            # names already quoted as the dialect quotes them: the client keeps them so
            conn.raw_insert(d.quote(table), [d.quote(c) for c in columns], data,
                            fmt="JSONEachRow")
            continue
        with conn.send_insert(head, "JSONEachRow") as out:
            out.append(data.encode())
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
