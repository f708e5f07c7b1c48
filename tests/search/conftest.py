"""Fixtures for search tests: databases holding the reference layout, reused across the
examples of a property test (emptied between examples)."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from qexpr.backends.sql import load_records, reference_ddl
from qexpr.schema.run import RUN_SCHEMA


class Database:
    """A connection with the reference layout of the Run schema; ``reset`` empties it."""

    def __init__(self, dialect: str, conn: Any) -> None:
        self.dialect = dialect
        self.conn = conn
        tables = [rec.table for rec in RUN_SCHEMA.records]
        if dialect == "sqlite":
            conn.executescript(reference_ddl("sqlite"))
        else:
            conn.execute(reference_ddl("postgresql"))
        self._tables = tables

    def reset(self, records: Sequence[dict[str, Any]] = ()) -> None:
        """Delete every row, then load ``records``."""
        if self.dialect == "sqlite":
            for table in self._tables:
                self.conn.execute(f'DELETE FROM "{table}"')
            self.conn.commit()
        else:
            self.conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in self._tables))
        if records:
            load_records(self.conn, records, self.dialect)


@pytest.fixture
def sqlite_db() -> Iterator[Database]:
    conn = sqlite3.connect(":memory:")
    try:
        yield Database("sqlite", conn)
    finally:
        conn.close()


@pytest.fixture
def pg_db() -> Iterator[Database | None]:
    """A PostgreSQL database in a fresh schema, or None when QEXPR_PG_DSN is unset (outside CI:
    tests then compare memory and SQLite only; in CI a missing server is a failure)."""
    dsn = os.environ.get("QEXPR_PG_DSN", "").strip()
    if not dsn:
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail("QEXPR_PG_DSN is not set (CI needs PostgreSQL)", pytrace=False)
        yield None
        return
    import psycopg
    from psycopg import sql

    schema = "qexpr_search_" + uuid.uuid4().hex[:12]
    conn = psycopg.connect(dsn, autocommit=True)
    try:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        yield Database("postgresql", conn)
    finally:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        conn.close()


@pytest.fixture
def require_pg(pg_db: Database | None) -> Database:
    """The PostgreSQL database; skipped (failed in CI) without QEXPR_PG_DSN."""
    if pg_db is None:
        pytest.skip("QEXPR_PG_DSN is not set: run ./scripts/test")
    return pg_db
