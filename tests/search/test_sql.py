"""The page query's text and parameters, embeds, in-memory errors, and the PostgreSQL plan."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from qexpr.backends.predicate import MissingRelationError
from qexpr.cli.data_commands import example_runs
from qexpr.search import compile_search
from tests.search.conftest import Database
from tests.search.strategies import SCOPES

ID = "3c90c3cc-0d44-4b50-8888-8dd25736052a"


def test_query_shape() -> None:
    s = compile_search({"q": 'client_ref = "x"', "sort_by": "client_ref:desc,cost",
                        "limit": "10", "fields": "id,cost"})
    text, params = s.to_sql("postgresql")
    assert text.startswith('SELECT "runs"."id", "runs"."cost"')
    assert text.endswith('ORDER BY "runs"."client_ref" COLLATE "C" DESC NULLS FIRST, '
                         '"runs"."cost" ASC NULLS LAST, "runs"."id" ASC NULLS LAST LIMIT %s')
    assert params == ["x", 11]
    text, params = s.to_sql("sqlite")
    assert "COLLATE" not in text and text.endswith("LIMIT ?") and params == ["x", 11]


def test_keyset_values_travel_as_parameters() -> None:
    s = compile_search({"sort_by": "client_ref,model.slug:desc"})
    nasty = "x'); DROP TABLE runs; --"
    moved = s.follow(s.cursor((nasty, None, ID), backward=False))
    for dialect in ("sqlite", "postgresql"):
        text, params = moved.to_sql(dialect)
        assert "DROP" not in text and nasty in params
        assert 'LEFT JOIN "models" AS "_k1"' in text


def test_keyset_expansion_is_null_aware() -> None:
    s = compile_search({"sort_by": "cost,created_at:desc"})
    text, params = s.follow(s.cursor((Decimal("0.5"), None, ID), backward=False)).to_sql(
        "sqlite")
    where = text[text.index(" WHERE ") : text.index(" ORDER BY ")]
    assert where == (
        ' WHERE (1 = 1) AND ((("runs"."cost" > ? OR "runs"."cost" IS NULL)) OR '
        '("runs"."cost" = ? AND "runs"."created_at" IS NOT NULL) OR '
        '("runs"."cost" = ? AND "runs"."created_at" IS NULL AND "runs"."id" < ?))')
    assert params == [0.5, 0.5, 0.5, ID, 51]
    text, params = s.follow(s.cursor((None, None, ID), backward=True)).to_sql("sqlite")
    assert "ORDER BY \"runs\".\"cost\" DESC NULLS FIRST, \"runs\".\"created_at\" ASC NULLS " \
        "LAST, \"runs\".\"id\" ASC NULLS LAST" in text
    assert '"runs"."cost" IS NOT NULL' in text


def test_leading_bound_on_the_default_order() -> None:
    s = compile_search({})
    instant = datetime(2024, 1, 1, tzinfo=UTC)
    text, _ = s.follow(s.cursor((instant, ID), backward=False)).to_sql("postgresql")
    assert '"runs"."created_at" <= %s AND ' in text


def test_examples_in_sqlite_with_embeds(sqlite_db: Database) -> None:
    runs = example_runs()
    sqlite_db.reset(runs)
    s = compile_search({"embed": "model,node_runs,current_evaluation_summary,logs",
                        "fields": "id,cost,created_at", "limit": "7",
                        "q": "any(node_runs, id IS NOT NULL) OR model.slug IS NOT NULL"},
                       scopes=SCOPES)
    page = s.execute(sqlite_db.conn, "sqlite")
    assert page == s.apply(runs)
    item = page.items[0]
    assert list(item) == ["id", "cost", "created_at", "current_evaluation_summary",
                          "node_runs", "logs", "model"]
    for run in page.items:
        ids = [n["id"] for n in run["node_runs"]]
        assert ids == sorted(ids)
        if run["model"] is not None:
            assert isinstance(run["model"]["inputs"], list)


def test_page_cursors_at_the_ends(sqlite_db: Database) -> None:
    runs = example_runs()
    sqlite_db.reset(runs)
    s = compile_search({"limit": "500"})
    page = s.execute(sqlite_db.conn, "sqlite")
    assert len(page.items) == len(runs)
    assert page.next is None and page.previous is None and page.first == s.first_cursor
    # An empty page next to a boundary points back to the nearest end.
    last = page.items[-1]
    at_end = s.follow(s.cursor((datetime.fromisoformat(last["created_at"]), last["id"]),
                               backward=False)).execute(sqlite_db.conn, "sqlite")
    assert at_end.items == () and at_end.next is None
    assert at_end.previous == s.cursor(None, backward=True)


def test_apply_needs_the_relations_it_sorts_by_or_embeds() -> None:
    record: dict[str, Any] = {"id": ID, "created_at": "2024-01-01T00:00:00Z"}
    with pytest.raises(MissingRelationError, match="embed=model"):
        compile_search({"sort_by": "model.slug"}).apply([record])
    with pytest.raises(MissingRelationError, match="embed=node_runs"):
        compile_search({"embed": "node_runs"}).apply([record])
    page = compile_search({"sort_by": "model.slug", "embed": "model"}).apply(
        [{**record, "model": None}])
    assert page.items[0]["model"] is None


def test_apply_normalizes_values() -> None:
    s = compile_search({"fields": "id,created_at,cost,has_logs,metadata,duration_ms"})
    page = s.apply([{"id": ID.upper(), "created_at": "2024-01-01T05:30:00.5+05:30",
                     "cost": Decimal("1.50"), "has_logs": 1, "metadata": {"a": [1]},
                     "duration_ms": 3.0}])
    assert page.items == ({"id": ID, "created_at": "2024-01-01T00:00:00.500000Z",
                           "cost": "1.5", "has_logs": None, "metadata": {"a": [1]},
                           "duration_ms": 3},)


def _has_index(db: Database) -> bool:
    rows = db.conn.execute(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = 'runs'").fetchall()
    return any('(created_at, id)' in r[0].replace('"', "") for r in rows)


def test_postgresql_pages_seek_the_sort_index(require_pg: Database) -> None:
    db = require_pg
    assert _has_index(db), "the reference DDL creates the sort index"
    rnd = random.Random(7)
    base = datetime(2024, 1, 1, tzinfo=UTC)
    db.reset([{"id": str(uuid.UUID(int=rnd.getrandbits(128))),
               "created_at": base + timedelta(seconds=rnd.randrange(10**6)),
               "duration_ms": rnd.randrange(5000)} for _ in range(3000)])
    assert _has_index(db)
    db.conn.execute("ANALYZE")
    s = compile_search({"q": "duration_ms > 100"})
    second = s.follow(s.execute(db.conn, "postgresql").next or "")
    text, params = second.to_sql("postgresql")
    plan = "\n".join(r[0] for r in db.conn.execute("EXPLAIN " + text, params).fetchall())
    assert "Index Scan Backward using" in plan, plan
    assert "Index Cond: (created_at <=" in plan, plan
    assert "Sort" not in plan, plan


def test_a_custom_schema_pages_in_sqlite() -> None:
    import sqlite3

    from qexpr.backends.sql import load_records, reference_ddl
    from qexpr.schema.model import Schema, fields, record, to_many

    schema = Schema("Thing", (
        record("Thing", fields("id:uuid name:string size:integer"),
               to_many("parts", "Part", remote_key="thing_id"), table="things"),
        record("Part", fields("id:uuid thing_id:uuid label:string"), table="parts"),
    ))
    things = [{"id": str(uuid.UUID(int=i + 1)), "name": "abcab"[i], "size": i % 2,
               "parts": [{"id": str(uuid.UUID(int=100 + i)), "label": "p"}]} for i in range(5)]
    conn = sqlite3.connect(":memory:")
    conn.executescript(reference_ddl("sqlite", schema))
    load_records(conn, things, "sqlite", schema)
    s = compile_search({"sort_by": "name,size:desc", "limit": "2", "embed": "parts"},
                       schema=schema)
    seen: list[str] = []
    current = s
    while True:
        page = current.execute(conn, "sqlite")
        assert page == current.apply(things)
        seen += [item["name"] for item in page.items]
        if page.next is None:
            break
        current = s.follow(page.next)
    assert seen == ["a", "a", "b", "b", "c"]
