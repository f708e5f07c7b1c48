"""Fixtures: a dataset of runs loaded into real SQLite and PostgreSQL databases.

``make_db`` creates the reference layout of a schema (in a fresh PostgreSQL schema, dropped
afterwards, or an in-memory SQLite database), and :class:`Db` runs filters on it, returning
the names (``r1`` ...) of the matching runs.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest

import qexpr
from qexpr.backends.sql import load_records, reference_ddl
from qexpr.schema.model import Schema
from qexpr.schema.run import RUN_SCHEMA

DIALECTS = ("sqlite", "postgresql")
NOW = datetime(2024, 6, 1, tzinfo=UTC)
SCOPES = frozenset({"evaluations:read"})


def U(n: int, prefix: str = "0") -> str:
    """A readable UUID: ``00000000-0000-4000-8000-00000000000n``."""
    return f"{prefix * 8}-0000-4000-8000-{n:012d}"


def run_id(name: str) -> str:
    return U(int(name[1:]))


class Db:
    """A database holding the reference layout; ``names(q)`` runs a filter on it."""

    def __init__(self, dialect: str, conn: Any, schema: Schema = RUN_SCHEMA) -> None:
        self.dialect = dialect
        self.conn = conn
        self.schema = schema

    def execute(self, text: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(text, params).fetchall())

    def load(self, records: list[dict[str, Any]]) -> None:
        load_records(self.conn, records, self.dialect, self.schema)

    def where(self, q: str, **kwargs: Any) -> tuple[str, list[Any]]:
        f = qexpr.compile(q, schema=self.schema, scopes=SCOPES, now=NOW, **kwargs)
        return f.to_sql(self.dialect)

    def ids(self, q: str) -> set[str]:
        root = self.schema.root_record
        where, params = self.where(q)
        table = '"' + root.table.replace('"', '""') + '"'
        key = '"' + root.key_column.replace('"', '""') + '"'
        if self.dialect == "postgresql":
            table, key = table.replace("%", "%%"), key.replace("%", "%%")
        rows = self.execute(f"SELECT {table}.{key} FROM {table} WHERE {where}", params)
        return {str(row[0]) for row in rows}

    def names(self, q: str) -> set[str]:
        return {"r" + str(int(i.rsplit("-", 1)[1])) for i in self.ids(q)}


@contextmanager
def make_db(dialect: str, pg_dsn: str | None, schema: Schema = RUN_SCHEMA,
            ddl: bool = True) -> Iterator[Db]:
    """A fresh database with the reference layout of ``schema``."""
    if dialect == "sqlite":
        conn = sqlite3.connect(":memory:")
        try:
            if ddl:
                conn.executescript(reference_ddl("sqlite", schema))
            yield Db("sqlite", conn, schema)
        finally:
            conn.close()
        return
    import psycopg
    from psycopg import sql

    if pg_dsn is None:
        pytest.skip("no PostgreSQL")
    name = "qexpr_test_" + uuid.uuid4().hex[:16]
    conn = psycopg.connect(pg_dsn, autocommit=True)
    try:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(name)))
        if ddl:
            conn.execute(reference_ddl("postgresql", schema))
        yield Db("postgresql", conn, schema)
    finally:
        if conn.broken or conn.closed:
            conn = psycopg.connect(pg_dsn, autocommit=True)
        conn.rollback()
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
        conn.close()


def pg_dsn_or_skip(request: pytest.FixtureRequest, dialect: str) -> str | None:
    if dialect != "postgresql":
        return None
    dsn: str = request.getfixturevalue("pg_dsn")
    return dsn


# --------------------------------------------------------------------------- the dataset

M1 = U(1, "a")
M2 = U(2, "a")
W1 = U(1, "b")


def _model1() -> dict[str, Any]:
    return {
        "id": M1, "slug": "flux-dev", "name": "Flux", "is_public": True,
        "seo": {"title": "Flux"},
        "pricing": [
            {"id": U(1, "c"), "price": "0.5", "currency_code": "USD"},
            {"id": U(2, "c"), "price": "2", "currency_code": "EUR"},
        ],
    }


def _model2() -> dict[str, Any]:
    return {"id": M2, "slug": "sdxl", "is_public": False, "pricing": []}


def dataset() -> list[dict[str, Any]]:
    """Seven runs covering nulls, missing keys, relations and awkward strings."""
    return [
        {
            "id": run_id("r1"), "model_id": M1, "duration_ms": 1000, "cost": "0.25",
            "nodes_total": 4, "nodes_completed": 4, "client_ref": "batch-001",
            "failure_code": "timeout", "failure_message": "CUDA out of memory",
            "has_logs": True, "created_at": "2024-01-01T00:00:00Z",
            "completed_at": "2024-01-01T00:00:01.5Z",
            "metadata": {"customer": {"tier": "gold"}, "team-id": 42, "flag": True,
                         "tags": ["a"], "s": "x"},
            "current_evaluation_summary": {"passed": True, "status_code": "ok", "score": 0.3},
            "node_runs": [
                {"id": U(1, "d"), "state_code": "failed", "retry_count": 2, "cost": "0.01"},
                {"id": U(2, "d"), "state_code": "completed", "retry_count": 0},
            ],
            "logs": [
                {"id": U(1, "e"), "level_code": "info", "message": "start"},
                {"id": U(2, "e"), "level_code": "error", "message": "boom"},
            ],
            "model": _model1(),
        },
        {
            "id": run_id("r2"), "model_id": M2, "duration_ms": 50, "cost": "1.5",
            "nodes_total": 5, "nodes_completed": 3, "client_ref": "web-1",
            "failure_code": "oom", "failure_message": None, "has_logs": False,
            "created_at": "2024-02-01T00:00:00Z",
            "metadata": {"customer": {"tier": "silver"}, "team-id": "42", "flag": False,
                         "n": 1.5},
            "current_evaluation_summary": {"passed": False, "score": 0.9, "status_code": None},
            "node_runs": [],
            "logs": [{"id": U(3, "e"), "level_code": "info"}],
            "model": _model2(),
        },
        {
            "id": run_id("r3"), "model_id": None, "duration_ms": None, "cost": None,
            "client_ref": None, "has_logs": None, "metadata": None, "created_at": None,
            "model": None, "node_runs": None, "logs": [], "current_evaluation_summary": None,
        },
        {
            "id": run_id("r4"), "model_id": M1, "client_ref": "a", "failure_message": "É",
            "duration_ms": 0, "cost": "0", "created_at": "2024-01-01T00:00:00.000001Z",
            "metadata": {"customer": "gold", "flag": "true"},
            "node_runs": [{"id": U(3, "d"), "state_code": None, "retry_count": None}],
            "logs": [{"id": U(4, "e"), "level_code": "error"},
                     {"id": U(5, "e"), "level_code": None}],
            "model": _model1(),
        },
        {
            "id": run_id("r5"), "model_id": M2, "client_ref": "B", "failure_message": "é",
            "duration_ms": 2**63 - 1, "cost": "0.1", "created_at": "2023-12-31T23:00:00-02:00",
            "metadata": {"a.b": 1, 'q"x': "y", "$": 2, "customer": {"tier": None}, "n": 10,
                         "big": 1e300, "huge": 10**400},
            "model": _model2(),
        },
        {
            "id": run_id("r6"), "client_ref": "50%off", "failure_message": "under_score",
            "failure_code": "a*b?[c]", "duration_ms": -5, "created_at": "2024-03-01",
            "metadata": "just a string",
            "comfyui_workflow": {"id": W1, "slug": "wf",
                                 "gpu_explicit_models": [{"id": U(1, "f"),
                                                          "gpu_model_code": "A100"}]},
        },
        {
            "id": run_id("r7"), "client_ref": "\U0001f600", "failure_message": "\uffff",
            "cost": "-2.5", "created_at": "2020-06-01T12:00:00+00:00",
            "metadata": {"customer": {"tier": "gold"}, "team-id": 42.0, "huge": -(10**400)},
            "node_runs": [{"id": U(4, "d"), "state_code": "failed", "retry_count": 5}],
        },
    ]


ALL = {f"r{i}" for i in range(1, 8)}


@pytest.fixture(scope="module", params=DIALECTS)
def db(request: pytest.FixtureRequest) -> Iterator[Db]:
    """The dataset loaded into each database (module-scoped: tests only read it)."""
    dialect: str = request.param
    with make_db(dialect, pg_dsn_or_skip(request, dialect)) as database:
        database.load(dataset())
        yield database


@pytest.fixture(params=DIALECTS)
def empty_db(request: pytest.FixtureRequest) -> Iterator[Db]:
    """A fresh database with the Run layout and no rows."""
    dialect: str = request.param
    with make_db(dialect, pg_dsn_or_skip(request, dialect)) as database:
        yield database


def as_mapping(row: Sequence[Any], names: Sequence[str]) -> Mapping[str, Any]:
    return dict(zip(names, row, strict=True))
