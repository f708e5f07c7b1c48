"""Shared fixtures: a real PostgreSQL (per-test schema) and an in-memory SQLite.

``./scripts/test`` (and ``.ci/run``) starts a throwaway PostgreSQL and exports
``QEXPR_PG_DSN``; set it yourself to use another server. Without it, PostgreSQL tests
are skipped locally and fail in CI (``CI`` set).
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import psycopg

PG_SCHEMA_PREFIX = "qexpr_test_"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def pg_dsn() -> str:
    """libpq connection string of the test database (``QEXPR_PG_DSN``)."""
    dsn = os.environ.get("QEXPR_PG_DSN", "").strip()
    if not dsn:
        msg = "QEXPR_PG_DSN is not set: run ./scripts/test, which starts a throwaway PostgreSQL"
        if in_ci():
            pytest.fail(f"{msg} (a missing PostgreSQL is a failure in CI)", pytrace=False)
        pytest.skip(msg)
    return dsn


@pytest.fixture
def pg_conn(pg_dsn: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """An autocommit psycopg 3 connection whose ``search_path`` is a fresh, empty schema.

    The schema is dropped (CASCADE) after the test.
    """
    import psycopg
    from psycopg import sql

    schema = PG_SCHEMA_PREFIX + uuid.uuid4().hex[:16]
    drop = sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
    conn = psycopg.connect(pg_dsn, autocommit=True)
    try:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        yield conn
    finally:
        try:
            if conn.closed or conn.broken:
                with psycopg.connect(pg_dsn, autocommit=True) as other:
                    other.execute(drop)
            else:
                if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                    conn.rollback()
                conn.autocommit = True
                conn.execute(drop)
        finally:
            conn.close()


@pytest.fixture
def sqlite_conn() -> Iterator[sqlite3.Connection]:
    """A fresh in-memory SQLite connection (stdlib ``sqlite3``), closed after the test."""
    conn = sqlite3.connect(":memory:")
    try:
        yield conn
    finally:
        conn.close()
