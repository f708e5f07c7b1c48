"""Running a :class:`~qexpr.search.Search` on a database: the queries of one page, in order.

:func:`page_steps` is a generator that yields each query (the boundary row when a cursor holds
digests, the page query, then one query per embedded relation and level, in chunks of
:data:`~qexpr.search.sql.IN_CHUNK` keys) and is sent each query's rows; it returns the page,
API-shaped. It is written once and driven by a synchronous fetch (:func:`run`, used by
:func:`execute` and the SQLAlchemy backend) or an async one (:func:`drive`, used by
:mod:`qexpr.search.aio`), so every route gives the same pages and cursors.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any

from qexpr.backends.sql.dialects import Dialect, get_dialect
from qexpr.backends.sql.fragment import Sql
from qexpr.schema.model import FieldType, RecordType, Relation, Schema
from qexpr.search.boundary import needs_row
from qexpr.search.shape import api_value, comparable, order_related
from qexpr.search.sql import (
    IN_CHUNK,
    at_boundary,
    boundary_sql,
    build,
    concat,
    read_column,
    sort_values,
    stored,
)

if TYPE_CHECKING:
    from qexpr.search.request import Page, Search

Rows = list[tuple[Any, ...]]
Fetch = Callable[[Sql], Awaitable[Rows]]


def page_steps(search: Search, d: Dialect) -> Generator[Sql, Rows, Page]:
    """The queries of one page in order (each is sent its rows); returns the page."""
    if needs_row(search.position):
        found = yield boundary_sql(search, d)
        search = at_boundary(search, found[0] if found else None, d)
    plan = build(search, d)
    rows = yield plan.query
    width = len(plan.columns)
    schema = search.schema
    root = schema.root_record
    records = [{c.name: row[i] for i, c in enumerate(plan.columns)} for row in rows]
    keys = [sort_values(d, plan.keys, row[width:]) for row in rows]
    kept = records[: search.limit]
    embedded: dict[str, dict[Any, Any]] = {}
    for name in search.embeds:
        rel = root.relation(name)
        assert rel is not None
        embedded[name] = yield from _related(d, schema, search.filter.scopes, root, rel, kept,
                                             (root.name,))
    fields = [(name, root.field(name)) for name in search.fields]

    def item_of(index: int) -> dict[str, Any]:
        raw = records[index]
        out: dict[str, Any] = {}
        for name, f in fields:
            assert f is not None
            out[name] = api_value(f.type, comparable(f.type, stored(d, f.type, raw[f.column])))
        for name in search.embeds:
            rel = root.relation(name)
            assert rel is not None
            local = raw[root.column_of(rel.local_key)]
            out[name] = embedded[name].get(local, [] if rel.many else None)
        return out

    return search.make_page(list(range(len(rows))), lambda i: keys[i], item_of)


def _related(d: Dialect, schema: Schema, scopes: frozenset[str], rec: RecordType,
             rel: Relation, parents: list[dict[str, Any]], seen: tuple[str, ...]
             ) -> Generator[Sql, Rows, dict[Any, Any]]:
    """Parent join-key value -> shaped related record or list (as the synchronous loader)."""
    target = schema.target(rel)
    local = rec.column_of(rel.local_key)
    remote = target.column_of(rel.remote_key)
    wanted = list(dict.fromkeys(p[local] for p in parents if p.get(local) is not None))
    if not wanted:
        return {}
    types = {f.column: f.type for f in target.fields}
    columns = list(types)
    columns += [c for c, _ in schema.extra_columns(target.name) if c not in columns]
    select = ", ".join(read_column(d, d.ident(c), types.get(c, FieldType.STRING)) for c in columns)
    rows: list[dict[str, Any]] = []
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        query = concat("SELECT ", select, " FROM ", d.ident(target.table), " WHERE ",
                        d.ident(remote), " IN (", Sql(", ").join(d.param(v) for v in chunk), ")")
        found = yield query
        rows += [dict(zip(columns, row, strict=True)) for row in found]
    nested: dict[str, dict[Any, Any]] = {}
    if target.name not in seen:
        for child in target.relations:
            if child.scope is None or child.scope in scopes:
                nested[child.name] = yield from _related(d, schema, scopes, target, child, rows,
                                                         (*seen, target.name))
    out: dict[Any, Any] = {}
    for row in rows:
        shaped = {f.name: api_value(f.type, comparable(f.type, stored(d, f.type, row[f.column])))
                  for f in target.fields}
        for child in target.relations:
            if child.name in nested:
                value = row[target.column_of(child.local_key)]
                shaped[child.name] = nested[child.name].get(value, [] if child.many else None)
        if rel.many:
            out.setdefault(row[remote], []).append(shaped)
        else:
            out.setdefault(row[remote], shaped)
    if rel.many:
        out = {k: order_related(target, v) for k, v in out.items()}
    return out


async def drive(steps: Generator[Sql, Rows, Page], fetch: Fetch) -> Page:
    """Run ``steps`` to the end, fetching each query's rows with the async ``fetch``."""
    try:
        query = next(steps)
        while True:
            query = steps.send(await fetch(query))
    except StopIteration as done:
        page: Page = done.value
        return page


def run(steps: Generator[Sql, Rows, Page], fetch: Callable[[Sql], Rows]) -> Page:
    """:func:`drive` with a synchronous ``fetch``."""
    try:
        query = next(steps)
        while True:
            query = steps.send(fetch(query))
    except StopIteration as done:
        page: Page = done.value
        return page


def execute(search: Search, conn: Any, dialect: str | Dialect) -> Page:
    """Run the page query (and one query per embed) on the DB-API ``conn``; the page."""
    d = get_dialect(dialect)
    return run(page_steps(search, d), lambda query: d.fetch(conn, query))
