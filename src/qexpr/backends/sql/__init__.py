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

from qexpr.backends.sql.codec import Codec, PostgresCodec, SqliteCodec
from qexpr.backends.sql.compiler import SqlCompiler, compile_plan
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
    from qexpr.filter import Filter
    from qexpr.plan.nodes import Plan
    from qexpr.schema.model import Schema

_CACHE_SIZE = 1024


@lru_cache(maxsize=64)
def alias_prefix(schema: Schema, extra: str | None = None) -> str:
    """A prefix for table aliases that no table of ``schema`` (or ``extra``) can be mistaken
    for (memoised: schemas are immutable, and this runs on every compile)."""
    names = {r.table.lower() for r in schema.records}
    if extra:
        names.add(extra.lower())
    prefix = "t"
    while any(n.startswith(prefix) and n[len(prefix):].isdigit() for n in names):
        prefix += "_"
    return prefix


@lru_cache(maxsize=_CACHE_SIZE)
def _cached(tree: Plan, dialect: Dialect, root_ref: str, prefix: str) -> Sql:
    # Keyed by exactly what the SQL depends on: the plan (the instant now() folded to is in
    # it, so filters without now() share one entry whatever instant they were compiled at),
    # the dialect, how the root table is named and the alias prefix.
    return compile_plan(tree, dialect, root_ref, prefix)


def to_sql(filter: Filter, dialect: str | Dialect = "sqlite", *,
           root_alias: str | None = None) -> tuple[str, list[Any]]:
    """``(sql_text, params)``: the filter as a boolean expression over the root table.

    ``dialect`` is ``"postgresql"``, ``"sqlite"`` or a :class:`Dialect`; ``root_alias`` names
    the root table as the surrounding query does (default: its table name). Compiled SQL is
    cached per (plan, dialect, root_alias): the same q compiled again, at another instant
    unless it uses now(), reuses its SQL.
    """
    schema = filter.schema
    ref = root_alias or schema.root_record.table
    prefix = alias_prefix(schema, root_alias) if root_alias else alias_prefix(schema)
    compiled = _cached(filter.plan, get_dialect(dialect), ref, prefix)
    return compiled.text, list(compiled.params)


def cache_info() -> Any:
    """Hits and misses of the SQL cache (``functools.lru_cache`` statistics)."""
    return _cached.cache_info()


__all__ = [
    "POSTGRESQL",
    "SQLITE",
    "Codec",
    "Dialect",
    "PostgresCodec",
    "PostgresDialect",
    "Sql",
    "SqlCompiler",
    "SqliteCodec",
    "SqliteDialect",
    "alias_prefix",
    "cache_info",
    "compile_plan",
    "get_dialect",
    "load_records",
    "reference_ddl",
    "to_sql",
]
