"""``Search.execute_async`` gives the pages and cursors ``Search.execute`` gives, side by side
on the same data: psycopg 3 ``AsyncConnection``, SQLAlchemy ``AsyncConnection`` and
``AsyncSession`` on ``postgresql+psycopg`` and ``sqlite+aiosqlite``, against sqlite3 and
psycopg synchronous connections. Pages are walked forward to the end and back again.
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

import qexpr
from qexpr.backends.sql import load_records, reference_ddl
from tests.search.databases import pg_dsn
from tests.search.strategies import FILTERS, Run, runs, sort_specs

SCOPES = ("evaluations:read",)
EMBEDS = ("", "model", "node_runs,model", "current_evaluation_summary")


class Side:
    """One database seen synchronously and through every async route."""

    def __init__(self, dialect: str, sync: Any, engine: AsyncEngine, psycopg_async: Any = None
                 ) -> None:
        self.dialect = dialect
        self.sync = sync
        self.engine = engine
        self.psycopg_async = psycopg_async

    def load(self, records: list[dict[str, Any]]) -> None:
        tables = [f'"{r.table}"' for r in qexpr.RUN_SCHEMA.records]
        if self.dialect == "sqlite":
            for table in tables:
                self.sync.execute(f"DELETE FROM {table}")
            self.sync.commit()
        else:
            self.sync.execute("TRUNCATE " + ", ".join(tables))
        if records:
            load_records(self.sync, records, self.dialect)

    async def pages(self, search: qexpr.Search) -> list[dict[str, Any]]:
        """The page by every async route (a QError is returned as its dict)."""
        out = []
        routes: list[Any] = []
        async with self.engine.connect() as conn:
            routes.append(conn)
            async with AsyncSession(self.engine) as session:
                routes.append(session)
                if self.psycopg_async is not None:
                    routes.append(self.psycopg_async)
                for route in routes:
                    out.append((await search.execute_async(route)).to_dict())
        return out


@pytest.fixture(scope="module")
def sides(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[asyncio.Runner, list[Side]]]:
    runner = asyncio.Runner()
    path: Path = tmp_path_factory.mktemp("async") / "runs.db"
    lite = sqlite3.connect(path)
    lite.executescript(reference_ddl("sqlite"))
    found = [Side("sqlite", lite, create_async_engine(f"sqlite+aiosqlite:///{path}"))]
    dsn = pg_dsn()
    pg = pg_async = None
    name = "qexpr_async_" + uuid.uuid4().hex[:12]
    if dsn is not None:
        import psycopg

        pg = psycopg.connect(dsn, autocommit=True)
        pg.execute(f'CREATE SCHEMA "{name}"')
        pg.execute(f'SET search_path TO "{name}"')
        pg.execute(reference_ddl("postgresql"))
        options = f"-c search_path={name}"

        async def connect() -> Any:
            return await psycopg.AsyncConnection.connect(dsn, options=options, autocommit=True)

        pg_async = runner.run(connect())
        engine = create_async_engine("postgresql+psycopg://", async_creator=connect)
        found.append(Side("postgresql", pg, engine, pg_async))
    try:
        yield runner, found
    finally:
        for side in found:
            runner.run(side.engine.dispose())
        if pg_async is not None:
            runner.run(pg_async.close())
        if pg is not None:
            pg.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            pg.close()
        lite.close()
        runner.close()


def _walk(runner: asyncio.Runner, side: Side, params: dict[str, str], limit: int) -> int:
    """Pages forward to the end, then back: every async page equals the sync one."""
    seen = 0
    params = dict(params, limit=str(limit))
    search = qexpr.compile_search(params, scopes=SCOPES)
    for backward in (False, True):
        for _ in range(40):
            sync = search.execute(side.sync, side.dialect).to_dict()
            for page in runner.run(side.pages(search)):
                assert page == sync, (side.dialect, search)
            seen += 1
            cursor = sync["previous"] if backward else sync["next"]
            if cursor is None:
                break
            search = search.follow(cursor)
        if sync["previous"] is None:
            break
        search = search.follow(sync["previous"])
    return seen


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=runs(max_size=8), sort_by=sort_specs(), q=st.sampled_from(FILTERS),
       limit=st.integers(1, 4), embed=st.sampled_from(EMBEDS))
def test_async_pages_equal_sync_pages(sides: tuple[asyncio.Runner, list[Side]],
                                      data: list[Run], sort_by: str | None, q: str, limit: int,
                                      embed: str) -> None:
    runner, found = sides
    params = {"q": q, "embed": embed, **({"sort_by": sort_by} if sort_by else {})}
    for side in found:
        side.load([r.record for r in data])
        assert _walk(runner, side, params, limit) >= 1


def test_digested_cursor_reads_the_boundary_row(sides: tuple[asyncio.Runner, list[Side]]
                                                ) -> None:
    """Sort values too long for a cursor travel as digests: the async path looks the boundary
    row up first, as the sync one does."""
    runner, found = sides
    records = [{"id": str(uuid.UUID(int=i + 1)), "client_ref": "x" * 300 + str(i % 3),
                "created_at": "2024-01-01T00:00:00Z"} for i in range(7)]
    for side in found:
        side.load(records)
        search = qexpr.compile_search({"sort_by": "client_ref", "limit": "2"})
        first = search.execute(side.sync, side.dialect)
        assert first.next is not None
        follow = search.follow(first.next)
        assert follow.needs_boundary_row
        assert _walk(runner, side, {"sort_by": "client_ref", "pq": first.next}, 2) >= 3


def test_a_synchronous_connection_is_refused(sides: tuple[asyncio.Runner, list[Side]]) -> None:
    runner, found = sides
    search = qexpr.compile_search({})
    with pytest.raises(qexpr.QError) as err:
        runner.run(search.execute_async(found[0].sync))
    assert err.value.code is qexpr.ErrorCode.TYPE_MISMATCH
    assert isinstance(err.value, TypeError)
