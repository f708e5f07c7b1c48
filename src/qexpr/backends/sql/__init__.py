"""SQL backends: a validated filter as a boolean SQL expression for PostgreSQL or SQLite, and
the reference storage layout it runs on.

>>> import qexpr
>>> text, params = qexpr.compile('model.slug = "flux-dev"').to_sql("sqlite")
>>> text
'(SELECT t1."slug" FROM "models" AS t1 WHERE t1."id" = "runs"."model_id") = ?'
>>> params
['flux-dev']

The text is used as ``SELECT ... FROM "runs" WHERE <text>`` (the root table under its own
quoted name, or ``root_alias``) with ``params`` bound by the driver: psycopg 3 (``%s``; any
``%`` of the text is doubled) or ``sqlite3`` (``?``). Every value of the filter (numbers,
booleans, JSON keys and LIKE patterns included) is a parameter; identifiers come from the
schema only and are always quoted. Storage forms and the SQLite decimal rule: see
:mod:`qexpr.backends.sql.dialects`; the layout: :mod:`qexpr.backends.sql.ddl`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from qexpr.backends.sql.compiler import SqlCompiler, compile_filter
from qexpr.backends.sql.ddl import reference_ddl
from qexpr.backends.sql.dialects import (
    POSTGRESQL,
    SQLITE,
    Dialect,
    PostgresDialect,
    SqliteDialect,
    get_dialect,
)
from qexpr.backends.sql.fragment import Sql
from qexpr.backends.sql.load import load_records

if TYPE_CHECKING:
    from datetime import datetime

    from qexpr.filter import Filter

_CACHE_SIZE = 1024


@lru_cache(maxsize=_CACHE_SIZE)
def _cached(filter: Filter, now: datetime | None, dialect: Dialect,
            root_alias: str | None) -> Sql:
    # ``now`` is part of the key: filters that differ only in the instant now() folded to
    # compare equal, but bind different timestamps.
    return compile_filter(filter.tree, filter.schema, filter.scopes, dialect, root_alias)


def to_sql(filter: Filter, dialect: str | Dialect = "sqlite", *,
           root_alias: str | None = None) -> tuple[str, list[Any]]:
    """``(sql_text, params)``: the filter as a boolean expression over the root table.

    ``dialect`` is ``"postgresql"``, ``"sqlite"`` or a :class:`Dialect`; ``root_alias`` names
    the root table as the surrounding query does (default: its table name). Compiled SQL is
    cached per (filter, dialect, root_alias).
    """
    compiled = _cached(filter, filter.now, get_dialect(dialect), root_alias)
    return compiled.text, list(compiled.params)


__all__ = [
    "POSTGRESQL",
    "SQLITE",
    "Dialect",
    "PostgresDialect",
    "Sql",
    "SqlCompiler",
    "SqliteDialect",
    "get_dialect",
    "load_records",
    "reference_ddl",
    "to_sql",
]
