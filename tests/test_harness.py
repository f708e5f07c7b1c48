"""Proves the test harness: a real PostgreSQL with an ICU en-US default collation,
per-test schema isolation, and SQLite with JSON1."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PG_SCHEMA_PREFIX = "qexpr_test_"  # as in conftest.py


# --------------------------------------------------------------------------- PostgreSQL


@pytest.mark.postgres
def test_postgres_is_real_and_reachable(pg_conn: Any) -> None:
    (version,) = pg_conn.execute("select version()").fetchone()
    assert "PostgreSQL" in version
    (db,) = pg_conn.execute("select current_database()").fetchone()
    assert db


@pytest.mark.postgres
def test_default_collation_is_icu_en_us(pg_conn: Any) -> None:
    (server_version,) = pg_conn.execute("show server_version_num").fetchone()
    # PostgreSQL 17 renamed pg_database.daticulocale to datlocale.
    locale_col = "datlocale" if int(server_version) >= 170000 else "daticulocale"
    provider, icu_locale = pg_conn.execute(
        f"select datlocprovider, {locale_col} from pg_database where datname = current_database()"
    ).fetchone()
    assert provider == "i", "the test database must use the ICU locale provider"
    assert icu_locale.replace("_", "-").lower() == "en-us"


@pytest.mark.postgres
def test_linguistic_collation_differs_from_code_point_order(pg_conn: Any) -> None:
    # Under en-US 'a' sorts before 'B'; in code-point order ("C") 'B' (0x42) < 'a' (0x61).
    # A compiler that silently relies on either order is caught by tests on this server.
    linguistic, code_point = pg_conn.execute(
        """select 'a' < 'B', 'a' < 'B' collate "C" """
    ).fetchone()
    assert linguistic is True
    assert code_point is False
    rows = pg_conn.execute(
        "select x from (values ('b'), ('B'), ('a'), ('A')) v(x) order by x"
    ).fetchall()
    assert [r[0] for r in rows] == ["a", "A", "b", "B"]


_seen_schemas: list[str] = []


@pytest.mark.postgres
@pytest.mark.parametrize("run", [1, 2])
def test_each_test_gets_a_fresh_schema(pg_conn: Any, run: int) -> None:
    (schema,) = pg_conn.execute("select current_schema()").fetchone()
    assert schema.startswith(PG_SCHEMA_PREFIX)
    assert schema not in _seen_schemas
    # Schemas of earlier tests are gone (dropped on teardown).
    for old in _seen_schemas:
        gone = pg_conn.execute(
            "select count(*) from pg_namespace where nspname = %s", (old,)
        ).fetchone()
        assert gone == (0,), f"schema {old} of an earlier test was not dropped"
    _seen_schemas.append(schema)
    # The schema starts empty and unqualified names land in it; the same table name
    # is created in every run (it would clash if schemas were shared).
    (n_tables,) = pg_conn.execute(
        "select count(*) from pg_tables where schemaname = current_schema()"
    ).fetchone()
    assert n_tables == 0
    pg_conn.execute("create table harness_probe (id int primary key, name text)")
    pg_conn.execute("insert into harness_probe values (%s, %s)", (run, "x"))
    (where,) = pg_conn.execute(
        "select table_schema from information_schema.tables where table_name = 'harness_probe'"
        " and table_schema = current_schema()"
    ).fetchone()
    assert where == schema


# --------------------------------------------------------------------------- SQLite


def test_sqlite_has_json1(sqlite_conn: sqlite3.Connection) -> None:
    (value,) = sqlite_conn.execute(
        """select json_extract('{"a": {"b": [1, 2, 3]}}', '$.a.b[1]')"""
    ).fetchone()
    assert value == 2
    keys = [r[0] for r in sqlite_conn.execute("""select key from json_each('{"x": 1, "y": 2}')""")]
    assert keys == ["x", "y"]


# --------------------------------------------------------------------------- scripts


@pytest.mark.parametrize("script", ["scripts/test", ".ci/run"])
def test_scripts_are_valid_bash(script: str) -> None:
    path = ROOT / script
    assert path.is_file()
    assert os.access(path, os.X_OK), f"{script} must be executable"
    subprocess.run(["bash", "-n", str(path)], check=True)
