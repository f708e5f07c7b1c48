"""Running a :class:`~qexpr.search.Search` on an async connection: psycopg 3
``AsyncConnection``, or SQLAlchemy ``AsyncConnection`` / ``AsyncSession`` (PostgreSQL through
``postgresql+psycopg``, SQLite through ``sqlite+aiosqlite``).

The queries are the synchronous path's (:func:`qexpr.search.sql.build`, its boundary query
and its embed queries, text in the driver's paramstyle) and rows are shaped by the same
helpers, so a page and its cursors are those :meth:`Search.execute` gives. The steps are
written once, as a generator that yields each query and is sent its rows
(:func:`page_steps`); :func:`execute_async` drives it with an async fetch. On SQLAlchemy the
text runs through ``exec_driver_sql`` on the connection's own driver, inside whatever
transaction the caller holds.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any

from qexpr.backends.sql.dialects import Dialect, get_dialect
from qexpr.backends.sql.fragment import Sql
from qexpr.misuse import QTypeError
from qexpr.schema.model import FieldType, RecordType, Relation, Schema
from qexpr.search.boundary import needs_row
from qexpr.search.shape import api_value, comparable, order_related
from qexpr.search.sql import (
    IN_CHUNK,
    _boundary,
    _concat,
    _read,
    _sort_values,
    at_boundary,
    build,
    stored,
)

if TYPE_CHECKING:
    from qexpr.search.request import Page, Search

Rows = list[tuple[Any, ...]]
Steps = Generator[Sql, Rows, Any]
Fetch = Callable[[Sql], Awaitable[Rows]]


def page_steps(search: Search, d: Dialect) -> Generator[Sql, Rows, Page]:
    """The queries of one page in order (each is sent its rows); returns the page."""
    if needs_row(search.position):
        found = yield _boundary(search, d)
        search = at_boundary(search, found[0] if found else None, d)
    plan = build(search, d)
    rows = yield plan.query
    width = len(plan.columns)
    schema = search.schema
    root = schema.root_record
    records = [{c.name: row[i] for i, c in enumerate(plan.columns)} for row in rows]
    keys = [_sort_values(d, plan.keys, row[width:]) for row in rows]
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
    select = ", ".join(_read(d, d.ident(c), types.get(c, FieldType.STRING)) for c in columns)
    rows: list[dict[str, Any]] = []
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        query = _concat("SELECT ", select, " FROM ", d.ident(target.table), " WHERE ",
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
    """Run ``steps`` to the end, fetching each query's rows with ``fetch``."""
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


def _psycopg_fetch(conn: Any) -> Fetch:
    async def fetch(query: Sql) -> Rows:
        async with conn.cursor() as cur:
            await cur.execute(query.text, list(query.params))
            return list(await cur.fetchall())

    return fetch


def _sqlalchemy_fetch(conn: Any) -> Fetch:
    async def fetch(query: Sql) -> Rows:
        result = await conn.exec_driver_sql(query.text, tuple(query.params))
        return [tuple(row) for row in result.all()]

    return fetch


async def execute_async(search: Search, conn: Any, dialect: str | Dialect | None = None
                        ) -> Page:
    """The page of ``search`` on an async connection (see the module docstring); ``dialect``
    defaults to the connection's own (a psycopg connection is PostgreSQL)."""
    sa_asyncio = sys.modules.get("sqlalchemy.ext.asyncio")  # none: conn is no SQLAlchemy one
    if sa_asyncio is not None and isinstance(conn, sa_asyncio.AsyncSession):
        conn = await conn.connection()
    if sa_asyncio is not None and isinstance(conn, sa_asyncio.AsyncConnection):
        name = dialect if dialect is not None else conn.dialect.name
        fetch = _sqlalchemy_fetch(conn)
    else:
        psycopg = sys.modules.get("psycopg")
        if psycopg is None or not isinstance(conn, psycopg.AsyncConnection):
            raise QTypeError("execute_async takes a psycopg AsyncConnection or a SQLAlchemy "
                             f"AsyncConnection/AsyncSession, not {type(conn).__name__} (use "
                             "Search.execute for a synchronous connection)")
        name = dialect if dialect is not None else "postgresql"
        fetch = _psycopg_fetch(conn)
    return await drive(page_steps(search, get_dialect(name)), fetch)
