"""Real servers for the serve tests: ``qexpr serve`` (and uvicorn) in a subprocess on
127.0.0.1 on a free port, over a SQLite file and a PostgreSQL schema holding the example runs
spread over three organisations."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import qexpr
from qexpr.backends.sql import load_records, reference_ddl

ROOT = Path(__file__).resolve().parents[2]
ORGS = (uuid.UUID("0a000000-0000-4000-8000-00000000000a"),
        uuid.UUID("0b000000-0000-4000-8000-00000000000b"),
        uuid.UUID("0c000000-0000-4000-8000-00000000000c"))
ORG_A, ORG_B, ORG_C = ORGS
TOKENS = [
    {"token": "token-a", "orgs": [str(ORG_A)], "scopes": []},
    {"token": "token-b", "orgs": [str(ORG_B)], "scopes": ["evaluations:read"]},
    {"token": "token-ab", "orgs": [str(ORG_A), str(ORG_B)], "scopes": ["evaluations:read"]},
    {"token": "token-c", "orgs": [str(ORG_C)], "scopes": []},
    {"token": "token-all", "orgs": "*", "scopes": ["evaluations:read"]},
]


def tenant_runs() -> list[dict[str, Any]]:
    """The example runs, the i-th in organisation ORGS[i % 3]."""
    runs = qexpr.example_runs()
    for index, run in enumerate(runs):
        run["org_id"] = str(ORGS[index % 3])
    return runs


@dataclass
class Server:
    """A running server process and what it serves."""

    url: str
    process: subprocess.Popen[str]
    dialect: str
    database: str

    def connect(self) -> Any:
        """A DB-API connection to the database the server reads (for expected answers)."""
        if self.dialect == "sqlite":
            return sqlite3.connect(self.database)
        import psycopg

        return psycopg.connect(self.database, autocommit=True)


def start(args: list[str], env: dict[str, str] | None = None) -> tuple[str, subprocess.Popen[str]]:
    """Start ``qexpr serve --port 0 ARGS``; its base URL (from the line it prints) and process."""
    cmd = [sys.executable, "-m", "qexpr.cli.main", "serve", "--port", "0", *args]
    # stderr to a file: a pipe nobody reads would block a server that logs much
    with tempfile.TemporaryFile("w+") as log:  # the child keeps writing to its own copy
        process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True,
                                   cwd=ROOT, env={**os.environ, **(env or {})})
        assert process.stdout is not None
        line = process.stdout.readline()
        if "listening on " not in line:
            process.kill()
            process.wait(timeout=10)
            log.seek(0)
            raise AssertionError(f"qexpr serve did not start: {line!r} {log.read()}")
    url = line.split("listening on ", 1)[1].split()[0].removesuffix("/v1/runs")
    assert url.startswith("http://127.0.0.1:")
    return url, process


def stop(process: subprocess.Popen[str]) -> None:
    """Stop a server the way Ctrl-C does and wait for it."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


@pytest.fixture(scope="session")
def tokens_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tokens") / "tokens.json"
    path.write_text(json.dumps({"tokens": TOKENS}), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "runs.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(reference_ddl("sqlite"))
        load_records(conn, tenant_runs(), "sqlite")
        conn.commit()
    return path


@pytest.fixture(scope="session")
def pg_database(pg_dsn: str) -> Iterator[str]:
    """A DSN whose search_path is a fresh schema holding the tenant runs (dropped after)."""
    import psycopg
    from psycopg import sql

    schema = "qexpr_test_serve_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    dsn = f"{pg_dsn} options='-csearch_path={schema}'"
    try:
        with psycopg.connect(dsn) as conn:
            conn.execute(reference_ddl("postgresql"))  # type: ignore[arg-type]
            load_records(conn, tenant_runs(), "postgresql")
            conn.commit()
        yield dsn
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                sql.Identifier(schema)))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                               marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tokens_file: Path) -> Iterator[Server]:
    """``qexpr serve`` over the tenant runs, on SQLite and on PostgreSQL, with timing on."""
    if request.param == "sqlite":
        database = str(request.getfixturevalue("sqlite_file"))
    else:
        database = request.getfixturevalue("pg_database")
    url, process = start(["--db", database, "--tokens", str(tokens_file), "--timing"])
    try:
        yield Server(url, process, request.param, database)
    finally:
        stop(process)
