"""Benchmark: compiling search requests, and the PostgreSQL plan of the page query.

    python benchmarks/bench_search.py [--repeat 7] [--rows 5000] [--json]

1. Microseconds to compile a ``GET /v1/runs`` request with ``qexpr.compile_search`` (defaults;
   a typical request; the same with a cursor, plain and encrypted), to encode a cursor (plain,
   encrypted, with a long sort value digested) and to build the page query's SQL (``timeit``,
   the minimum of ``--repeat`` runs).
2. With ``QEXPR_PG_DSN`` set (``./scripts/test`` starts a throwaway server and exports it; or
   point it at any PostgreSQL 12+): loads ``--rows`` runs into the reference layout in a
   scratch schema (dropped afterwards), makes sure the sort index ``(created_at, id)`` exists
   (creating it when the reference DDL lacks it, and saying so), and prints ``EXPLAIN
   ANALYZE`` of the page queries: first page, a next page deep in the data, a previous page,
   and the same with ``created_at`` declared NOT NULL; then the time of a deep keyset page
   against the equivalent ``OFFSET`` query. Without ``QEXPR_PG_DSN`` that part is skipped
   with a message.

A standalone PostgreSQL run, e.g.::

    QEXPR_PG_DSN="host=127.0.0.1 port=5432 user=postgres dbname=postgres" \\
        .venv/bin/python benchmarks/bench_search.py
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import timeit
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import qexpr
from qexpr.schema.model import Schema
from qexpr.schema.run import RUN_SCHEMA

TYPICAL = {
    "q": 'duration_ms > 1000 AND failure_code IN ("timeout", "oom") AND model.slug = "flux-dev"',
    "sort_by": "created_at:desc",
    "fields": "id,created_at,duration_ms,cost,failure_code",
    "embed": "model,node_runs",
    "limit": "50",
}
SORT_INDEX = "runs_created_at_id_idx"


def micros(fn: Callable[[], object], repeat: int) -> float:
    """Best time of one call, in microseconds."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e6


def compile_times(repeat: int) -> dict[str, float]:
    s = qexpr.compile_search(TYPICAL)
    boundary = (datetime(2024, 5, 1, tzinfo=UTC), "3c90c3cc-0d44-4b50-8888-8dd25736052a")
    cursor = s.cursor(boundary, backward=False)
    sealed_search = qexpr.compile_search(TYPICAL, secret="s3cret")
    sealed = sealed_search.cursor(boundary, backward=False)
    by_message = qexpr.compile_search({"sort_by": "failure_message"})
    long_boundary = ("m" * 20_000, boundary[1])
    moved = s.follow(cursor)
    return {
        "qexpr.compile(q) alone, for reference": micros(lambda: qexpr.compile(TYPICAL["q"]),
                                                        repeat),
        "compile_search (no parameters)": micros(lambda: qexpr.compile_search({}), repeat),
        "compile_search (typical request)": micros(lambda: qexpr.compile_search(TYPICAL), repeat),
        "compile_search (typical + pq)": micros(
            lambda: qexpr.compile_search({**TYPICAL, "pq": cursor}), repeat),
        "compile_search (typical + encrypted pq)": micros(
            lambda: qexpr.compile_search({**TYPICAL, "pq": sealed}, secret="s3cret"), repeat),
        "encode a cursor": micros(lambda: s.cursor(boundary, backward=False), repeat),
        "encode an encrypted cursor": micros(
            lambda: sealed_search.cursor(boundary, backward=False), repeat),
        "encode a cursor of a 20,000-character value (digested)": micros(
            lambda: by_message.cursor(long_boundary, backward=False), repeat),
        "to_sql (page with keyset, postgresql)": micros(lambda: moved.to_sql("postgresql"),
                                                        repeat),
    }


# --------------------------------------------------------------------------- PostgreSQL


def _runs(count: int) -> list[dict[str, Any]]:
    rnd = random.Random(20240501)
    base = datetime(2024, 1, 1, tzinfo=UTC)
    codes = [None, None, None, "timeout", "oom", "bad_input"]
    return [{
        "id": str(uuid.UUID(int=rnd.getrandbits(128))),
        "created_at": base + timedelta(seconds=rnd.randrange(30 * 86400)),
        "duration_ms": rnd.randrange(10_000),
        "cost": f"{rnd.randrange(1, 2000) / 1000:.3f}",
        "failure_code": rnd.choice(codes),
        "client_ref": f"batch-{rnd.randrange(500)}",
    } for _ in range(count)]


def _not_null_created_at() -> Schema:
    root = RUN_SCHEMA.root_record
    fields = tuple(replace(f, nullable=False) if f.name == "created_at" else f
                   for f in root.fields)
    return Schema(RUN_SCHEMA.root, tuple(replace(r, fields=fields) if r is root else r
                                         for r in RUN_SCHEMA.records))


def _explain(conn: Any, search: qexpr.Search) -> str:
    text, params = search.to_sql("postgresql")
    rows = conn.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + text,
                        params).fetchall()
    return "\n".join("    " + r[0] for r in rows)


def _millis(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1e3


def postgres_part(dsn: str, rows: int, repeat: int) -> dict[str, Any]:
    import psycopg

    from qexpr.backends.sql import load_records, reference_ddl

    out: dict[str, Any] = {}
    schema_name = "qexpr_bench_" + uuid.uuid4().hex[:8]
    conn = psycopg.connect(dsn, autocommit=True)
    try:
        conn.execute(f'CREATE SCHEMA "{schema_name}"')
        conn.execute(f'SET search_path TO "{schema_name}"')
        ddl = reference_ddl("postgresql")
        conn.execute(ddl)
        has_index = '"runs" ("created_at", "id")' in ddl
        out["ddl_has_sort_index"] = has_index
        if not has_index:
            print(f"  note: the reference DDL has no index on runs (created_at, id); creating "
                  f"{SORT_INDEX} for this benchmark")
            conn.execute(f'CREATE INDEX "{SORT_INDEX}" ON "runs" ("created_at", "id")')
        load_records(conn, _runs(rows), "postgresql")
        conn.execute("ANALYZE")
        print(f"  {rows} runs loaded; PostgreSQL {conn.info.server_version}")

        search = qexpr.compile_search({"q": "duration_ms > 500", "limit": "50"})
        everything = qexpr.compile_search({"q": "duration_ms > 500", "limit": "500"})
        ordered: list[dict[str, Any]] = []
        page = everything.execute(conn, "postgresql")
        while True:
            ordered += page.items
            if page.next is None or len(ordered) >= rows * 0.4:
                break
            page = everything.follow(page.next).execute(conn, "postgresql")
        deep = ordered[-1]
        depth = len(ordered)
        boundary = (datetime.fromisoformat(deep["created_at"]), deep["id"])
        cases = {
            "first page": search,
            f"next page after row {depth}": search.follow(
                search.cursor(boundary, backward=False)),
            f"previous page before row {depth}": search.follow(
                search.cursor(boundary, backward=True)),
        }
        for name, case in cases.items():
            print(f"\n  {name}:\n{_explain(conn, case)}")
        strict = _not_null_created_at()
        strict_search = qexpr.compile_search({"q": "duration_ms > 500", "limit": "50"},
                                             schema=strict)
        print(f"\n  previous page before row {depth}, created_at declared NOT NULL:\n"
              + _explain(conn, strict_search.follow(strict_search.cursor(boundary,
                                                                           backward=True))))
        text, params = search.to_sql("postgresql")
        offset_sql = text.replace("LIMIT %s", "LIMIT %s OFFSET %s")
        keyset = cases[f"next page after row {depth}"]
        keyset_sql, keyset_params = keyset.to_sql("postgresql")
        out["keyset_sql_ms"] = _millis(
            lambda: conn.execute(keyset_sql, keyset_params).fetchall(), repeat)
        out["offset_sql_ms"] = _millis(
            lambda: conn.execute(offset_sql, [*params, depth]).fetchall(), repeat)
        out["execute_ms"] = _millis(lambda: keyset.execute(conn, "postgresql"), repeat)
        out["depth"] = depth
        print(f"\n  the page after row {depth}, best of {repeat}: keyset query "
              f"{out['keyset_sql_ms']:.2f} ms, the same page with OFFSET {depth} "
              f"{out['offset_sql_ms']:.2f} ms; Search.execute (query + API-shaped items) "
              f"{out['execute_ms']:.2f} ms")
    finally:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
        conn.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--json", action="store_true", help="also print the numbers as JSON")
    args = parser.parse_args()
    print(f"compile a search request (best of {args.repeat}):")
    times = compile_times(args.repeat)
    for name, value in times.items():
        print(f"  {name:<42} {value:8.1f} µs")
    result: dict[str, Any] = {"micros": times}
    dsn = os.environ.get("QEXPR_PG_DSN", "").strip()
    print("\nPostgreSQL page query plans:")
    if not dsn:
        print("  skipped: QEXPR_PG_DSN is not set (./scripts/test exports it for a throwaway "
              "server; or set it to a PostgreSQL you can create a schema in)")
    else:
        result["postgresql"] = postgres_part(dsn, args.rows, args.repeat)
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
