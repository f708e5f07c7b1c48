"""``qexpr load`` / ``qexpr query`` on a SQLite file and on the real PostgreSQL, the CLI run as
a subprocess: the ``--db`` rule, streaming, progress, one-line database errors, JSON errors."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

import qexpr
from qexpr.cli.databases import kind_of
from qexpr.examples import example_runs

if TYPE_CHECKING:
    import psycopg

SRC = str(Path(qexpr.__file__).resolve().parent.parent)


def cli(*args: str, stdin: Any = None, input: str | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m qexpr.cli.main ARGS`` in a fresh process."""
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run([sys.executable, "-m", "qexpr.cli.main", *args], stdin=stdin,
                          input=input, capture_output=True, text=True, timeout=timeout,
                          env=env, check=False)


def write_jsonl(path: Path, runs: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for run in runs:
            out.write(json.dumps(run) + "\n")
    return path


# --------------------------------------------------------------------------- the --db rule

@pytest.mark.parametrize(("target", "kind"), [
    ("postgresql://u@h:5/db", "postgresql"),
    ("POSTGRES://h/db", "postgresql"),
    ("host=127.0.0.1 dbname=x", "postgresql"),
    ("  dbname = x", "postgresql"),
    ("runs.sqlite", "sqlite"),
    ("./host=x", "sqlite"),
    ("/tmp/a=b.db", "sqlite"),
    ("dir/host=x", "sqlite"),
    ("sqlite://x", "sqlite"),
    ("chdb:///var/lib/runs", "clickhouse"),
    ("CHDB://runs", "clickhouse"),
    ("./chdb:/x", "sqlite"),
    ("", "sqlite"),
])
def test_db_rule(target: str, kind: str) -> None:
    assert kind_of(target) == kind


@given(st.text(st.characters(codec="utf-8"), max_size=30))
def test_a_path_written_as_a_path_is_sqlite(name: str) -> None:
    assert kind_of("./" + name) == "sqlite"
    assert kind_of("/" + name) == "sqlite"
    assert kind_of("postgresql://" + name) == "postgresql"


# --------------------------------------------------------------------------- targets

def pg_keyword_dsn(pg_dsn: str, schema: str) -> str:
    return f"{pg_dsn} options='-csearch_path={schema}'"


def pg_url(pg_dsn: str, schema: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(pg_dsn)
    user = parts.get("user", "postgres")
    host, port, dbname = parts.get("host", "localhost"), parts.get("port", 5432), parts["dbname"]
    options = quote(f"-csearch_path={schema}", safe="")
    return f"postgresql://{user}@{host}:{port}/{dbname}?options={options}"


@pytest.fixture(params=["sqlite", "pg-keywords", "pg-url"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "runs.sqlite")
    pg_dsn = request.getfixturevalue("pg_dsn")
    schema = request.getfixturevalue("pg_schema")
    return (pg_keyword_dsn if request.param == "pg-keywords" else pg_url)(pg_dsn, schema)


def test_load_then_query(target: str, tmp_path: Path) -> None:
    runs = example_runs()
    source = write_jsonl(tmp_path / "runs.jsonl", runs)
    loaded = cli("load", str(source), "--db", target)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout == ""
    summary = loaded.stderr.splitlines()
    assert len(summary) == 1 and "\r" not in loaded.stderr, loaded.stderr
    assert summary[0].startswith(f"loaded {len(runs)} runs into ")
    assert summary[0].endswith(f"; {len(runs)} runs in the database")
    assert "runs/s" in summary[0]
    q = 'failure_code = "oom" OR any(node_runs, retry_count >= 3)'
    expected = {r["id"] for r in runs if qexpr.compile(q).matches(r)}
    assert expected
    page = cli("query", q, "--db", target, "--json", "--limit", "500")
    assert page.returncode == 0, page.stderr
    assert {item["id"] for item in json.loads(page.stdout)["items"]} == expected
    table = cli("query", q, "--db", target, "--limit", "3")
    assert table.returncode == 0 and "runs on this page" in table.stdout


def test_a_chdb_directory_serves_the_same_pages_as_sqlite(tmp_path: Path) -> None:
    pytest.importorskip("chdb", reason="chdb-core is the clickhouse extra")
    source = write_jsonl(tmp_path / "runs.jsonl", example_runs())
    chdb_db, sqlite_db = f"chdb://{tmp_path / 'chdb'}", str(tmp_path / "runs.sqlite")
    missing = cli("query", "", "--db", chdb_db)
    assert missing.returncode == 1 and len(missing.stderr.splitlines()) == 1
    assert "create it with `qexpr load`" in missing.stderr
    for db in (chdb_db, sqlite_db):
        loaded = cli("load", str(source), "--db", db)
        assert loaded.returncode == 0, loaded.stderr
        assert loaded.stderr.endswith(f"; {len(example_runs())} runs in the database\n")
    q = 'duration_ms > 1000 AND (failure_code IS NULL OR model.slug ILIKE "flux%")'
    args = ("--sort", "cost:desc", "--limit", "7", "--embed", "model,node_runs", "--json")
    cursor: str | None = ""
    while cursor is not None:
        more = ("--page-cursor", cursor) if cursor else ()
        pages = [cli("query", q, "--db", db, *args, *more) for db in (chdb_db, sqlite_db)]
        assert [p.returncode for p in pages] == [0, 0], pages[0].stderr
        assert pages[0].stdout == pages[1].stdout  # items, next and previous cursors alike
        cursor = json.loads(pages[0].stdout)["next"]
    (tmp_path / "empty").mkdir()  # a chdb directory without the runs table
    broken = cli("query", "", "--db", f"chdb://{tmp_path / 'empty'}")
    assert broken.returncode == 1, broken.stderr
    assert broken.stderr.startswith("qexpr: database error: ")
    assert len(broken.stderr.splitlines()) == 1
    sql = cli("sql", 'failure_code = "oom"', "--dialect", "clickhouse")
    assert sql.returncode == 0 and "{p0:String}" in sql.stdout


def test_load_streams_standard_input(target: str) -> None:
    runs = example_runs()[:25]
    loaded = cli("load", "-", "--db", target,
                 input="".join(json.dumps(r) + "\n" for r in runs))
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stderr.startswith("loaded 25 runs into ")
    page = cli("query", "", "--db", target, "--json", "--limit", "500")
    assert len(json.loads(page.stdout)["items"]) == 25


def test_loading_the_same_runs_twice_is_one_line(target: str, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "runs.jsonl", example_runs()[:10])
    assert cli("load", str(source), "--db", target).returncode == 0
    again = cli("load", str(source), "--db", target)
    assert again.returncode == 1 and again.stdout == ""
    assert again.stderr.count("\n") == 1, again.stderr
    assert again.stderr.startswith("qexpr: database error: ")
    assert "Traceback" not in again.stderr


def _generated(count: int, start: int = 0) -> Iterator[dict[str, Any]]:
    for i in range(start, start + count):
        yield {"id": str(uuid.UUID(int=i + 1)), "created_at": f"2024-01-01T00:00:{i % 60:02}Z",
               "duration_ms": i, "failure_code": "oom" if i % 7 == 0 else None}


def test_a_load_is_one_transaction(target: str, tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "first.jsonl", list(_generated(10)))
    assert cli("load", str(first), "--db", target).returncode == 0
    # 3,000 new runs (three batches), then one already stored: none of them is kept
    clash = write_jsonl(tmp_path / "clash.jsonl", [*_generated(3000, 10), *_generated(1)])
    failed = cli("load", str(clash), "--db", target)
    assert failed.returncode == 1 and failed.stderr.count("\n") == 1, failed.stderr
    assert "duplicate key" in failed.stderr or "UNIQUE constraint failed" in failed.stderr
    page = cli("query", "", "--db", target, "--json", "--limit", "500")
    assert len(json.loads(page.stdout)["items"]) == 10
    # and a bad line after some batches keeps none of them either
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(r) + "\n" for r in _generated(2500, 10)) + "{oops\n",
                   encoding="utf-8")
    failed = cli("load", str(bad), "--db", target)
    assert failed.returncode == 1 and "line 2501: not a JSON value" in failed.stderr
    page = cli("query", "", "--db", target, "--json", "--limit", "500")
    assert len(json.loads(page.stdout)["items"]) == 10


# --------------------------------------------------------------------------- database errors

def _broken_sqlite(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        conn.execute('CREATE TABLE "runs" ("id" TEXT)')
    return str(path)


def _broken_pg(pg_dsn: str, schema: str,
               conn: psycopg.Connection[tuple[object, ...]]) -> str:
    conn.execute('CREATE TABLE "runs" ("id" text)')
    return pg_keyword_dsn(pg_dsn, schema)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
@pytest.mark.parametrize("args", [
    ["query", "cost > 1"],
    ["query", "", "--sort", "failure_message"],
    ["query", "--embed", "model"],
    ["load", "RUNS"],
])
def test_database_errors_are_one_line(kind: str, args: list[str], tmp_path: Path,
                                      request: pytest.FixtureRequest) -> None:
    if kind == "sqlite":
        db = _broken_sqlite(tmp_path / "broken.db")
    else:
        db = _broken_pg(request.getfixturevalue("pg_dsn"),
                        request.getfixturevalue("pg_schema"),
                        request.getfixturevalue("pg_conn"))
    source = write_jsonl(tmp_path / "runs.jsonl", example_runs()[:3])
    args = [str(source) if a == "RUNS" else a for a in args]
    result = cli(*args, "--db", db)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("qexpr: database error: ")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("db", [
    "host=127.0.0.1 port=1 dbname=none connect_timeout=5",
    "postgresql://127.0.0.1:1/none?connect_timeout=5",
    "host=127.0.0.1 no_such_option=1",
])
@pytest.mark.parametrize("command", ["query", "load"])
def test_postgresql_connection_errors_are_one_line(db: str, command: str, tmp_path: Path
                                                   ) -> None:
    source = write_jsonl(tmp_path / "runs.jsonl", example_runs()[:1])
    args = ["query", ""] if command == "query" else ["load", str(source)]
    result = cli(*args, "--db", db)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("qexpr: database error: ")


def test_query_on_an_empty_postgresql_schema_is_one_line(pg_dsn: str, pg_schema: str) -> None:
    result = cli("query", "", "--db", pg_keyword_dsn(pg_dsn, pg_schema))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "runs" in result.stderr and "does not exist" in result.stderr


def test_bad_input_line_is_one_line_naming_it(tmp_path: Path) -> None:
    source = tmp_path / "runs.jsonl"
    source.write_text(json.dumps(example_runs()[0]) + "\n{oops\n", encoding="utf-8")
    result = cli("load", str(source), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("qexpr: line 2: not a JSON value: ")


# --------------------------------------------------------------------------- --json errors

@pytest.mark.parametrize(("args", "q"), [
    (["parse"], "duration_ms == 5"),
    (["check"], 'xx = 1 AND failure_code = 1 AND id = "nope"'),
    (["check"], "current_evaluation_summary.score < 1"),
    (["sql"], "model.slgu = 1"),
    (["query"], "duraton_ms > 1"),
])
def test_json_error_is_exactly_the_qerror_body(args: list[str], q: str) -> None:
    from qexpr.search import compile_search

    with pytest.raises(qexpr.QError) as caught:
        if args == ["parse"]:
            qexpr.parse(q)
        elif args == ["query"]:
            compile_search({"q": q})
        else:
            qexpr.compile(q)
    result = cli(*args, q, "--json")
    assert result.returncode == 2 and result.stderr == ""
    assert json.loads(result.stdout) == caught.value.to_dict()


def test_json_error_of_a_search_parameter_is_exactly_the_qerror_body() -> None:
    from qexpr.search import compile_search

    with pytest.raises(qexpr.QError) as caught:
        compile_search({"q": "x = ", "limit": "0", "sort_by": "nope"})
    result = cli("query", "x = ", "--limit", "0", "--sort", "nope", "--json")
    assert result.returncode == 2
    body = json.loads(result.stdout)
    assert body == caught.value.to_dict() and len(body["errors"]) >= 2


def test_postgresql_without_psycopg_is_one_line() -> None:
    script = ("import sys; sys.modules['psycopg'] = None; from qexpr.cli.main import main; "
              "sys.exit(main(sys.argv[1:]))")
    result = subprocess.run([sys.executable, "-c", script, "query", "", "--db", "host=x"],
                            capture_output=True, text=True, timeout=60, check=False,
                            env={**os.environ, "PYTHONPATH": SRC})
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("qexpr: a PostgreSQL --db needs psycopg 3")


def test_paging_through_every_run(target: str, tmp_path: Path) -> None:
    runs = example_runs()
    assert cli("load", str(write_jsonl(tmp_path / "runs.jsonl", runs)), "--db",
               target).returncode == 0
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        args = ["query", "", "--db", target, "--json", "--limit", "50"]
        page = cli(*args, *(["--page-cursor", cursor] if cursor else []))
        assert page.returncode == 0, page.stderr
        body = json.loads(page.stdout)
        seen += [item["id"] for item in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    ordered = sorted(runs, key=lambda r: (r["created_at"], r["id"]), reverse=True)
    assert seen == [r["id"] for r in ordered]
