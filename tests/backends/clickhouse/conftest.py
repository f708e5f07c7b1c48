"""One chdb session per test process (chdb allows one data path per process), a fresh
database per test (``ch`` fixture, the session with that database in use)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def chdb_session() -> Iterator[Any]:
    """The process's chdb session (in memory)."""
    pytest.importorskip("chdb", reason="chdb-core is the clickhouse extra")
    from chdb import session

    s = session.Session()
    try:
        yield s
    finally:
        s.close()


def fresh_database(s: Any) -> str:
    """A new, empty database made current on ``s``."""
    name = "qexpr_" + uuid.uuid4().hex[:16]
    s.query(f"CREATE DATABASE {name}")
    s.query(f"USE {name}")
    return name


@pytest.fixture
def ch(chdb_session: Any) -> Iterator[Any]:
    """The shared session with a fresh database in use, dropped after the test."""
    name = fresh_database(chdb_session)
    try:
        yield chdb_session
    finally:
        chdb_session.query("USE default")
        chdb_session.query(f"DROP DATABASE IF EXISTS {name}")


@pytest.fixture(scope="session")
def ch_http(chdb_session: Any) -> Iterator[Any]:
    """The process's chdb session behind a ClickHouse HTTP interface on 127.0.0.1 (the test
    shim of :mod:`tests.backends.clickhouse.http_server`), for clickhouse-connect clients."""
    pytest.importorskip("clickhouse_connect", reason="clickhouse-connect is an extra")
    from tests.backends.clickhouse.http_server import ClickHouseHTTP

    with ClickHouseHTTP(chdb_session) as shim:
        yield shim
