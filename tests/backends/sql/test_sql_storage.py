"""The reference layout (DDL) and load_records, on both databases."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources
from typing import Any
from uuid import UUID

import pytest

import qexpr
from qexpr.backends.sql import load_records, reference_ddl
from qexpr.schema.run import RUN_SCHEMA

from .conftest import M1, M2, Db, U, dataset, run_id

TABLES = sorted(r.table for r in RUN_SCHEMA.records)


def count(db: Db, table: str) -> int:
    return int(db.execute(f'SELECT count(*) FROM "{table}"')[0][0])


def columns(db: Db, table: str) -> dict[str, str]:
    if db.dialect == "sqlite":
        return {row[1]: row[2] for row in db.execute(f'PRAGMA table_info("{table}")')}
    rows = db.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s", [table])
    return {row[0]: row[1] for row in rows}


def test_ddl_text() -> None:
    ddl = reference_ddl("postgresql")
    assert ddl.count("CREATE TABLE") == len(RUN_SCHEMA.records)
    assert '  "cost" numeric,\n' in ddl and '  "metadata" jsonb,\n' in ddl
    assert 'CREATE TABLE "run_evaluation_summaries" (\n  "passed" boolean,' in ddl
    assert '  "run_id" uuid,\n  PRIMARY KEY ("run_id")\n)' in ddl
    assert 'CREATE INDEX "node_runs_run_id_idx" ON "node_runs" ("run_id");' in ddl
    assert 'ON "models"' not in ddl  # joined on its primary key
    lite = reference_ddl("sqlite")
    assert '  "cost" REAL,\n' in lite and '  "created_at" TEXT,\n' in lite
    assert reference_ddl("sqlite", RUN_SCHEMA) == lite


def test_ddl_creates_every_table(empty_db: Db) -> None:
    db = empty_db
    for rec in RUN_SCHEMA.records:
        cols = columns(db, rec.table)
        expected = [f.column for f in rec.fields]
        expected += [c for c, _ in RUN_SCHEMA.extra_columns(rec.name)]
        assert sorted(cols) == sorted(expected), rec.table
    runs = columns(db, "runs")
    if db.dialect == "postgresql":
        assert runs["id"] == "uuid" and runs["cost"] == "numeric"
        assert runs["created_at"] == "timestamp with time zone"
        assert runs["duration_ms"] == "bigint" and runs["metadata"] == "jsonb"
        assert columns(db, "run_evaluation_summaries")["score"] == "double precision"
    else:
        assert runs["id"] == "TEXT" and runs["cost"] == "REAL" and runs["has_logs"] == "INTEGER"


def test_load_round_trip(empty_db: Db) -> None:
    db = empty_db
    db.load(dataset())
    counts = {t: count(db, t) for t in TABLES}
    assert counts["runs"] == 7
    assert counts["models"] == 2  # shared by r1/r4 and r2/r5, stored once
    assert counts["model_pricing"] == 2
    assert counts["node_runs"] == 4 and counts["run_logs"] == 5
    assert counts["run_evaluation_summaries"] == 2
    assert counts["comfyui_workflows"] == 1 and counts["comfyui_workflow_gpu_models"] == 1
    # children get their join column from the parent
    rows = db.execute('SELECT "run_id" FROM "node_runs" ORDER BY "id"')
    assert [str(r[0]) for r in rows] == [run_id("r1"), run_id("r1"), run_id("r4"), run_id("r7")]
    rows = db.execute('SELECT "run_id", "score" FROM "run_evaluation_summaries" ORDER BY "score"')
    assert [(str(a), b) for a, b in rows] == [(run_id("r1"), 0.3), (run_id("r2"), 0.9)]
    # a shared to-one sets the parent's join column when it has none
    rows = db.execute('SELECT "comfyui_workflow_id" FROM "runs" WHERE "comfyui_workflow_id" '
                      "IS NOT NULL")
    assert [str(r[0]) for r in rows] == [U(1, "b")]
    # loading the same shared records again is harmless
    db.load([{"id": U(9), "model": dataset()[0]["model"]}])
    assert count(db, "models") == 2 and count(db, "model_pricing") == 2
    assert db.names(f'model_id = "{M1}"') == {"r1", "r4", "r9"}


def test_stored_values(empty_db: Db) -> None:
    db = empty_db
    db.load(dataset())
    row = db.execute('SELECT "cost", "created_at", "has_logs", "metadata", "id" FROM "runs" '
                     'WHERE "client_ref" = ' + ("%s" if db.dialect == "postgresql" else "?"),
                     ["B"])[0]
    cost, created, has_logs, metadata, rid = row
    if db.dialect == "postgresql":
        assert cost == Decimal("0.1") and created == datetime(2024, 1, 1, 1, tzinfo=UTC)
        assert rid == UUID(run_id("r5"))
    else:
        assert cost == 0.1 and created == "2024-01-01T01:00:00.000000Z"
        assert rid == run_id("r5")
        metadata = json.loads(metadata)
    assert has_logs is None
    assert metadata["q\"x"] == "y" and metadata["customer"] == {"tier": None}
    # a top-level JSON null is SQL NULL; a nested one stays JSON null
    nulls = db.execute('SELECT count(*) FROM "runs" WHERE "metadata" IS NULL')
    assert nulls[0][0] == 1


def test_native_values_load_like_api_values(empty_db: Db) -> None:
    db = empty_db
    native = {
        "id": UUID(U(1)), "cost": Decimal("2.50"), "duration_ms": 7,
        "created_at": datetime(2024, 5, 1, 12, tzinfo=UTC),
        "model": {"id": UUID(M2), "slug": "native"},
        "metadata": {"k": [1, 2.5, None, {"x": "y"}]},
        "current_evaluation_summary": {"score": 1, "passed": True},
    }
    api = {
        "id": U(2), "cost": "2.5", "duration_ms": 7.0, "created_at": "2024-05-01T14:00:00+02:00",
        "model_id": M2, "metadata": {"k": [1, 2.5, None, {"x": "y"}]},
    }
    db.load([native, api])
    assert db.names("cost = 2.5 AND duration_ms = 7") == {"r1", "r2"}
    assert db.names('created_at = "2024-05-01T12:00:00Z"') == {"r1", "r2"}
    assert db.names('model.slug = "native"') == {"r1", "r2"}
    assert db.names("current_evaluation_summary.score = 1") == {"r1"}


def test_values_of_another_type_are_null(empty_db: Db) -> None:
    db = empty_db
    db.load([{
        "id": U(1), "cost": "<string>", "duration_ms": "12", "has_logs": 1,
        "created_at": "yesterday", "model_id": "not-a-uuid", "client_ref": 5,
        "current_evaluation_summary": {"score": "0.5", "passed": "true"},
    }])
    for q in ("cost IS NULL", "duration_ms IS NULL", "has_logs IS NULL", "created_at IS NULL",
              "model_id IS NULL", "client_ref IS NULL", "current_evaluation_summary.score IS NULL",
              "current_evaluation_summary.passed IS NULL"):
        assert db.names(q) == {"r1"}, q


def test_unstorable_numbers_raise_and_load_nothing(empty_db: Db) -> None:
    db = empty_db
    with pytest.raises(ValueError, match=r"runs\.duration_ms: 1\.5 is not an integer"):
        db.load([{"id": U(1)}, {"id": U(2), "duration_ms": 1.5}])
    with pytest.raises(ValueError, match="64-bit"):
        db.load([{"id": U(3), "node_runs": [{"id": U(4), "retry_count": 2**63}]}])
    assert count(db, "runs") == 0 and count(db, "node_runs") == 0


def test_failed_load_is_rolled_back(empty_db: Db) -> None:
    db = empty_db
    with pytest.raises(Exception):  # noqa: B017 - the driver's IntegrityError
        db.load([{"id": U(1), "node_runs": [{"id": U(5)}]}, {"id": U(1)}])
    if db.dialect == "postgresql":
        db.conn.rollback()
    assert count(db, "runs") == 0 and count(db, "node_runs") == 0


def test_relations_absent_null_or_empty_insert_nothing(empty_db: Db) -> None:
    db = empty_db
    db.load([
        {"id": U(1)},
        {"id": U(2), "model": None, "node_runs": None, "current_evaluation_summary": None},
        {"id": U(3), "model": {}, "node_runs": [], "logs": []},
    ])
    assert count(db, "runs") == 3
    assert count(db, "node_runs") == 0 and count(db, "run_evaluation_summaries") == 0
    # an embedded model without a key is not stored: no run could reach it
    assert count(db, "models") == 0
    assert db.names("model_id IS NULL") == {"r1", "r2", "r3"}
    with pytest.raises(ValueError, match="a NodeRun record without 'id' cannot be stored"):
        db.load([{"id": U(4), "node_runs": [{"state_code": "x"}]}])


def test_bad_relation_shapes_raise(empty_db: Db) -> None:
    with pytest.raises(ValueError, match="must be a list"):
        empty_db.load([{"id": U(1), "node_runs": {"id": U(2)}}])
    with pytest.raises(ValueError, match="must be an object"):
        empty_db.load([{"id": U(1), "model": [1]}])


def test_seed_example_and_bundled_runs(empty_db: Db) -> None:
    db = empty_db
    text = resources.files("qexpr.data").joinpath("example_runs.jsonl").read_text("utf-8")
    runs: list[dict[str, Any]] = [json.loads(line) for line in text.splitlines() if line]
    db.load(runs)
    assert count(db, "runs") == len(runs)
    expected = {str(r["id"]) for r in runs
                if r.get("model") and r["model"].get("slug") == "flux-dev"}
    assert db.ids('model.slug = "flux-dev"') == expected


def test_sqlite_connection_is_committed() -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript(reference_ddl("sqlite"))
    load_records(conn, [{"id": U(1)}], "sqlite")
    assert not conn.in_transaction
    f = qexpr.compile(f'id = "{U(1)}"')
    where, params = f.to_sql("sqlite")
    assert conn.execute(f'SELECT count(*) FROM "runs" WHERE {where}', params).fetchone() == (1,)
    conn.close()


def test_model_ids_stay_consistent(db: Db) -> None:
    assert db.names(f'model_id = "{M2}" AND model.slug = "sdxl"') == {"r2", "r5"}
