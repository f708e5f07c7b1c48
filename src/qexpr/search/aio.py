"""Running a :class:`~qexpr.search.Search` on an async connection: psycopg 3
``AsyncConnection``, or SQLAlchemy ``AsyncConnection`` / ``AsyncSession`` (PostgreSQL through
``postgresql+psycopg``, SQLite through ``sqlite+aiosqlite``).

The steps are the synchronous path's (:func:`qexpr.search.steps.page_steps`: the same
queries, text in the driver's paramstyle, and the same row shaping), driven here with an async
fetch, so a page and its cursors are those :meth:`Search.execute` gives. On SQLAlchemy the
text runs through ``exec_driver_sql`` on the connection's own driver, inside whatever
transaction the caller holds.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from qexpr.backends.sql.dialects import Dialect, get_dialect
from qexpr.backends.sql.fragment import Sql
from qexpr.misuse import QTypeError
from qexpr.search.steps import Fetch, Rows, drive, page_steps

if TYPE_CHECKING:
    from qexpr.search.request import Page, Search


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
