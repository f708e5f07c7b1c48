"""Fixtures of the CLI tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import psycopg


@pytest.fixture
def pg_schema(pg_conn: psycopg.Connection[tuple[object, ...]]) -> str:
    """The fresh schema of ``pg_conn`` (pass it to the CLI in ``options=-csearch_path=``)."""
    row = pg_conn.execute("SELECT current_schema()").fetchone()
    assert row is not None
    return str(row[0])
