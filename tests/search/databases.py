"""Real test databases holding the reference layout of a schema: SQLite in memory and
PostgreSQL in a fresh schema (when QEXPR_PG_DSN is set; in CI a missing server fails)."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest

from qexpr.backends.sql import load_records, reference_ddl
from qexpr.schema.model import Schema
from qexpr.schema.run import RUN_SCHEMA


class Database:
    """A connection with the reference layout of ``schema``; ``reset`` empties it."""

    def __init__(self, dialect: str, conn: Any, schema: Schema = RUN_SCHEMA) -> None:
        self.dialect = dialect
        self.conn = conn
        self.schema = schema
        if dialect == "sqlite":
            conn.executescript(reference_ddl("sqlite", schema))
        else:
            conn.execute(reference_ddl("postgresql", schema))
        self._tables = [rec.table for rec in schema.records]

    def reset(self, records: Sequence[dict[str, Any]] = ()) -> None:
        """Delete every row, then load ``records``."""
        quoted = ['"' + t.replace('"', '""') + '"' for t in self._tables]
        if self.dialect == "sqlite":
            for table in quoted:
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.commit()
        else:
            self.conn.execute("TRUNCATE " + ", ".join(quoted).replace("%", "%%"), [])
        if records:
            load_records(self.conn, records, self.dialect, self.schema)


@contextmanager
def sqlite_database(schema: Schema = RUN_SCHEMA) -> Iterator[Database]:
    """A fresh in-memory SQLite database."""
    conn = sqlite3.connect(":memory:")
    try:
        yield Database("sqlite", conn, schema)
    finally:
        conn.close()


def pg_dsn() -> str | None:
    """The PostgreSQL DSN, or None outside CI when QEXPR_PG_DSN is unset."""
    dsn = os.environ.get("QEXPR_PG_DSN", "").strip()
    if not dsn and os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail("QEXPR_PG_DSN is not set (CI needs PostgreSQL)", pytrace=False)
    return dsn or None


@contextmanager
def postgres_database(dsn: str, schema: Schema = RUN_SCHEMA) -> Iterator[Database]:
    """A PostgreSQL database in a fresh schema, dropped afterwards."""
    import psycopg
    from psycopg import sql

    name = "qexpr_search_" + uuid.uuid4().hex[:12]
    conn = psycopg.connect(dsn, autocommit=True)
    try:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(name)))
        yield Database("postgresql", conn, schema)
    finally:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
        conn.close()


@pytest.fixture(name="run_dbs")
def run_dbs_fixture() -> Iterator[list[Database]]:
    """SQLite and (when configured) PostgreSQL with the Run schema's reference layout.

    Import it (``from tests.search.databases import run_dbs_fixture``) and ask for ``run_dbs``.
    """
    with sqlite_database() as lite:
        dsn = pg_dsn()
        if dsn is None:
            yield [lite]
            return
        with postgres_database(dsn) as pg:
            yield [lite, pg]
