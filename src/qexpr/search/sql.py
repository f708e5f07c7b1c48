"""The page query of a :class:`~qexpr.search.Search` (run by :mod:`qexpr.search.steps`).

::

    SELECT <columns> FROM "runs" [LEFT JOIN <to-one tables of sort keys>]
    WHERE (<q>) AND (<keyset condition>)
    ORDER BY <key> ASC NULLS LAST | DESC NULLS FIRST, ..., "runs"."id" ...
    LIMIT <limit + 1>

NULL is the largest value of every key (PostgreSQL's own default, so a plain b-tree index on
the keys serves both directions); strings are ordered by code point (``COLLATE "C"`` in
PostgreSQL, BINARY in SQLite). The keyset condition is the row comparison expanded key by
key, NULL-aware: ``(a > ? OR a IS NULL) OR (a = ? AND b > ?) OR ...``, preceded, when the
first key allows it, by a plain bound on that key (``a <= ?`` descending) that an index on the
sort keys can seek to. A backward page runs the same query with every direction flipped, then
reverses the rows. Embedded relations are loaded with one query per relation (and per nested
relation) for the page's keys. A position with digested values (a cursor of long sort values)
first reads the boundary row's sort values by its key (:func:`boundary_query`).

Identifiers (tables, columns, quoted by the dialect) are only ever concatenated, never used as
a template, so any name ``Schema.with_storage`` gives works (``"``, ``%``, ``{}``, ``?``...).
JSON columns are read as text (``::text`` in PostgreSQL) and decoded like in-memory records
(:func:`qexpr.search.shape.parse_json`), so their numbers are the same in every backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from uuid import UUID

from qexpr.backends.sql.dialects import Dialect, get_dialect
from qexpr.backends.sql.fragment import Sql, sql
from qexpr.schema.model import FieldType, Schema
from qexpr.search.boundary import key_index, needs_row, settle, unresolved
from qexpr.search.params import SortKey
from qexpr.search.shape import comparable, parse_json

if TYPE_CHECKING:
    from qexpr.search.request import Search

IN_CHUNK = 500
"""Most keys bound in one ``IN (...)`` list when loading embeds."""


@dataclass(frozen=True, slots=True)
class _Column:
    """A selected column: the field it reads (None for a join column) and its type."""

    name: str
    ftype: FieldType


@dataclass(frozen=True, slots=True)
class PageQuery:
    """The page query and how to read its rows: root columns, then one column per sort key."""

    query: Sql
    columns: tuple[_Column, ...]
    keys: tuple[SortKey, ...]


def _bind(d: Dialect, ftype: FieldType, value: Any) -> Sql:
    """A comparable value (see :mod:`.shape`) bound in its storage form."""
    if ftype is FieldType.UUID:
        native: Any = UUID(value)
    elif ftype is FieldType.INTEGER and not isinstance(value, int):
        return d.param(d.codec.integer_bound(value))
    else:
        native = value
    return d.param(d.value(ftype, native))


def _order_expr(d: Dialect, key: SortKey, expr: Sql) -> Sql:
    if key.field.type is not FieldType.STRING:
        return expr
    return d.collate(expr, key.field.code_point_collation)


def _after(d: Dialect, key: SortKey, expr: Sql, value: Any, descending: bool) -> Sql | None:
    """Rows strictly after ``value`` in this key's order (NULL largest); None: no row."""
    if not descending:
        if value is None:
            return None
        test = sql("{} > {}", expr, _bind(d, key.field.type, value))
        return sql("({} OR {} IS NULL)", test, expr) if key.nullable else test
    if value is None:
        return sql("{} IS NOT NULL", expr)
    return sql("{} < {}", expr, _bind(d, key.field.type, value))


def _equal(d: Dialect, key: SortKey, expr: Sql, value: Any) -> Sql:
    if value is None:
        return sql("{} IS NULL", expr)
    return sql("{} = {}", expr, _bind(d, key.field.type, value))


def keyset_condition(d: Dialect, keys: Sequence[SortKey], exprs: Sequence[Sql],
                     values: Sequence[Any], flipped: bool) -> Sql:
    """Rows after the boundary ``values`` in the order of ``keys`` (reversed if ``flipped``)."""
    disjuncts: list[Sql] = []
    equal: list[Sql] = []
    for key, expr, value in zip(keys, exprs, values, strict=True):
        after = _after(d, key, expr, value, key.descending != flipped)
        if after is not None:
            disjuncts.append(Sql(" AND ").join([*equal, after]) if equal else after)
        equal.append(_equal(d, key, expr, value))
    if not disjuncts:
        return Sql("1 = 0")
    condition = disjuncts[0] if len(disjuncts) == 1 else sql(
        "({})", Sql(" OR ").join(sql("({})", p) for p in disjuncts))
    bound = _leading_bound(d, keys[0], exprs[0], values[0], keys[0].descending != flipped)
    return condition if bound is None else sql("{} AND {}", bound, condition)


def _leading_bound(d: Dialect, key: SortKey, expr: Sql, value: Any, descending: bool
                   ) -> Sql | None:
    """A redundant, index-friendly bound on the first key, when one exists."""
    if value is None:
        return None if descending else sql("{} IS NULL", expr)
    if descending:
        return sql("{} <= {}", expr, _bind(d, key.field.type, value))
    if not key.nullable:
        return sql("{} >= {}", expr, _bind(d, key.field.type, value))
    return None


@dataclass(frozen=True, slots=True)
class _Frame:
    """The parameter-free parts of a page query: columns, joins, sort expressions, order."""

    select: str
    source: str
    order: str
    columns: tuple[_Column, ...]
    exprs: tuple[Sql, ...]
    key_ref: str


def read_column(d: Dialect, expr: str, ftype: FieldType) -> str:
    """A selected column in the form :func:`stored` decodes (JSON as text)."""
    return d.select(expr, ftype)


def page_columns(schema: Schema, fields: Sequence[str], embeds: Sequence[str]
                 ) -> dict[str, FieldType]:
    """Root columns a page reads, with their types: the fields asked for, the key, and the
    join key of every embedded relation (in that order, each once)."""
    root = schema.root_record
    columns: dict[str, FieldType] = {}
    for name in fields:
        f = root.field(name)
        assert f is not None
        columns[f.column] = f.type
    key_field = root.field(root.key)
    assert key_field is not None
    columns[key_field.column] = key_field.type
    for name in embeds:
        rel = root.relation(name)
        assert rel is not None
        columns[root.column_of(rel.local_key)] = schema.key_type(root, rel.local_key)
    return columns


@lru_cache(maxsize=256)
def _frame(d: Dialect, schema: Schema, fields: tuple[str, ...], embeds: tuple[str, ...],
           sort: tuple[SortKey, ...], backward: bool) -> _Frame:
    root = schema.root_record
    root_ref = d.ident(root.table)
    columns = page_columns(schema, fields, embeds)
    joins: list[str] = []
    aliases: dict[tuple[str, ...], str] = {}
    exprs: list[Sql] = []
    for key in sort:
        ref, rec = root_ref, root
        for index, hop in enumerate(key.hops):
            chain = tuple(h.name for h in key.hops[: index + 1])
            target = schema.target(hop)
            if chain not in aliases:
                aliases[chain] = d.ident(f"_k{len(aliases) + 1}")
                alias = aliases[chain]
                joins.append(
                    f" LEFT JOIN {d.ident(target.table)} AS {alias} ON {alias}."
                    f"{d.ident(target.column_of(hop.remote_key))} = {ref}."
                    f"{d.ident(rec.column_of(hop.local_key))}")
            ref, rec = aliases[chain], target
        exprs.append(_order_expr(d, key, Sql(f"{ref}.{d.ident(key.field.column)}")))
    select = ", ".join([*(read_column(d, f"{root_ref}.{d.ident(c)}", t)
                          for c, t in columns.items()),
                        *(e.text for e in exprs)])
    order = ", ".join(
        e.text + (" DESC NULLS FIRST" if k.descending != backward else " ASC NULLS LAST")
        for k, e in zip(sort, exprs, strict=True))
    return _Frame(select, root_ref + "".join(joins), order,
                  tuple(_Column(c, t) for c, t in columns.items()), tuple(exprs),
                  f"{root_ref}.{d.ident(root.column_of(root.key))}")


def concat(*parts: Sql | str) -> Sql:
    """Fragments and backend-written text one after the other (no template, no slots)."""
    return Sql("").join(parts)


def _where(search: Search, d: Dialect) -> Sql:
    where_text, where_params = search.condition.to_sql(d.name)
    return concat("(", Sql(where_text, tuple(where_params)), ")")


def build(search: Search, dialect: str | Dialect) -> PageQuery:
    """The page query of ``search`` for ``dialect`` (its boundary row already looked up)."""
    d = get_dialect(dialect)
    if needs_row(search.position):
        raise unresolved()
    frame = _frame(d, search.schema, search.fields, search.embeds, search.sort,
                   search.backward)
    conditions = [_where(search, d)]
    if search.position is not None:
        conditions.append(keyset_condition(d, search.sort, frame.exprs, search.position,
                                           search.backward))
    query = concat("SELECT ", frame.select, " FROM ", frame.source, " WHERE ",
                    Sql(" AND ").join(conditions), " ORDER BY ", frame.order, " LIMIT ",
                    d.param(search.limit + 1))
    return PageQuery(d.finish(query), frame.columns, search.sort)


def boundary_sql(search: Search, d: Dialect) -> Sql:
    """The sort values of the boundary row (found by its key, among the rows q matches)."""
    assert search.position is not None
    frame = _frame(d, search.schema, (), (), search.sort, False)
    key = search.sort[key_index(search.sort)]
    value = _bind(d, key.field.type, search.position[key_index(search.sort)])
    return concat("SELECT ", ", ".join(e.text for e in frame.exprs), " FROM ", frame.source,
                   " WHERE ", _where(search, d), " AND ", frame.key_ref, " = ", value,
                   " LIMIT 1")


def boundary_query(search: Search, dialect: str | Dialect) -> tuple[str, list[Any]] | None:
    """``(sql_text, params)`` reading the boundary row's sort values, when the position needs
    them (None otherwise)."""
    if not needs_row(search.position):
        return None
    d = get_dialect(dialect)
    query = d.finish(boundary_sql(search, d))
    return query.text, list(query.params)


def at_boundary(search: Search, row: Sequence[Any] | None, dialect: str | Dialect) -> Search:
    """``search`` positioned at the boundary row read by :func:`boundary_query` (None: none)."""
    if not needs_row(search.position):
        return search
    d = get_dialect(dialect)
    values = None if row is None else sort_values(d, search.sort, row)
    return settle(search, values)


def sort_values(d: Dialect, keys: Sequence[SortKey], row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(comparable(k.field.type, stored(d, k.field.type, raw))
                 for k, raw in zip(keys, row, strict=True))


def page_query(search: Search, dialect: str | Dialect) -> tuple[str, list[Any]]:
    """``(sql_text, params)`` of the page query, in the driver's paramstyle."""
    query = build(search, dialect).query
    return query.text, list(query.params)


# --------------------------------------------------------------------------- running


def stored(d: Dialect, ftype: FieldType, raw: Any) -> Any:
    """A value read from the database in the form the coercers take."""
    if raw is None:
        return None
    if ftype is FieldType.JSON and isinstance(raw, str):
        return parse_json(raw)  # numbers read as the in-memory backend reads them
    return d.codec.decode(ftype, raw)
