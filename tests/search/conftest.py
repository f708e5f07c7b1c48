"""Fixtures for search tests: databases holding the reference layout, reused across the
examples of a property test (emptied between examples)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.search.databases import Database, pg_dsn, postgres_database, sqlite_database

__all__ = ["Database"]


@pytest.fixture
def sqlite_db() -> Iterator[Database]:
    with sqlite_database() as db:
        yield db


@pytest.fixture
def pg_db() -> Iterator[Database | None]:
    """A PostgreSQL database in a fresh schema, or None when QEXPR_PG_DSN is unset (outside CI:
    tests then compare memory and SQLite only; in CI a missing server is a failure)."""
    dsn = pg_dsn()
    if dsn is None:
        yield None
        return
    with postgres_database(dsn) as db:
        yield db


@pytest.fixture
def require_pg(pg_db: Database | None) -> Database:
    """The PostgreSQL database; skipped (failed in CI) without QEXPR_PG_DSN."""
    if pg_db is None:
        pytest.skip("QEXPR_PG_DSN is not set: run ./scripts/test")
    return pg_db
