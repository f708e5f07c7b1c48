"""Benchmark: the same filters on ClickHouse (chdb, in-process) and PostgreSQL at 1M runs.

    QEXPR_PG_DSN=... python benchmarks/bench_clickhouse.py [--runs 1000000] [--json [PATH]]

Generates ``--runs`` runs (seeded: 1-5 node_runs each, 20 shared models, 50 tenants, JSON
metadata, nulls), loads them with ``load_records`` into a fresh chdb database and a fresh
PostgreSQL schema (each with its reference layout and indexes), then, for each filter,
times (warm, median of ``--repeat``): the count (``SELECT count(*) ... WHERE <q>``), the first
page (``Search.execute``, limit 50, default order) and a keyset page deep in the result (the
cursor of the row at offset ``--deep``, or half-way into the result when it is shorter). The
chdb session runs with the dialect's settings (``qexpr.backends.sql.clickhouse.SETTINGS``).
Targets (issue 13): every count at least 5x faster on ClickHouse than on PostgreSQL; every page
within 100 ms. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import qexpr
from qexpr.backends.clickhouse import command, rows
from qexpr.backends.sql import load_records, reference_ddl
from qexpr.backends.sql.clickhouse import SETTINGS as CH_SETTINGS
from qexpr.search import compile_search

FILTERS = {
    "any+model": 'any(node_runs, state_code = "failed") AND model.slug = "flux-dev"',
    "json": 'metadata.tier = "gold"',
    "selective": 'failure_code = "oom" AND duration_ms > 9000',
    "range": "duration_ms BETWEEN 1000 AND 5000 AND created_at > now() - 30d",
    "tenant": 'org_id = "00000000-0000-4000-8000-000000000007" AND NOT has_logs',
}
NOW = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 20_000
STATES = ["succeeded"] * 8 + ["failed", "running"]
FAILURES = [None] * 12 + ["oom", "timeout", "nsfw"]


def org(i: int) -> str:
    return f"00000000-0000-4000-8000-{i:012d}"


def models() -> list[dict[str, Any]]:
    slugs = ["flux-dev", "flux-pro", "sdxl", "sd3", "wan", "kling"]
    return [{"id": str(uuid.UUID(int=(7 << 96) + i)), "slug": slugs[i % len(slugs)]
             + ("" if i < len(slugs) else f"-{i}"), "name": f"model {i}",
             "pricing": [{"id": str(uuid.UUID(int=(8 << 96) + i)), "price": "0.01"}]}
            for i in range(20)]


def generate(count: int, seed: int = 13) -> Iterator[list[dict[str, Any]]]:
    rnd = random.Random(seed)
    pool = models()
    batch: list[dict[str, Any]] = []
    for i in range(count):
        rid = str(uuid.UUID(int=(1 << 120) + i))
        model = rnd.choice(pool) if rnd.random() < 0.9 else None
        created = NOW - timedelta(seconds=rnd.randrange(0, 365 * 86400))
        batch.append({
            "id": rid, "org_id": org(rnd.randrange(50)), "created_at": created.isoformat(),
            "duration_ms": rnd.randrange(0, 10_000) if rnd.random() < 0.95 else None,
            "failure_code": rnd.choice(FAILURES), "has_logs": rnd.random() < 0.5,
            "client_ref": f"ref-{rnd.randrange(10**6)}", "cost": f"{rnd.randrange(10**5)}e-4",
            "metadata": {"tier": rnd.choice(["gold", "silver", "bronze", "free"] * 3 + [1]),
                         "n": rnd.randrange(100)},
            "model_id": model["id"] if model else None, "model": model,
            "node_runs": [{"id": str(uuid.UUID(int=(2 << 120) + i * 8 + k)),
                           "state_code": rnd.choice(STATES),
                           "retry_count": rnd.randrange(3), "duration_ms": rnd.randrange(5000)}
                          for k in range(rnd.randrange(1, 6))],
        })
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    run()  # warm
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--deep", type=int, default=20_000)
    parser.add_argument("--json", nargs="?", const="-", default=None)
    args = parser.parse_args()
    dsn = os.environ.get("QEXPR_PG_DSN", "").strip()
    if not dsn:
        print("QEXPR_PG_DSN is not set", file=sys.stderr)
        return 2
    import psycopg
    from chdb import session
    from psycopg import sql

    ch = session.Session()
    database = "qexpr_bench_" + uuid.uuid4().hex[:8]
    ch.query(f"CREATE DATABASE {database}")
    ch.query(f"USE {database}")
    # The dialect's settings (qexpr.backends.sql.clickhouse.SETTINGS) for the session, as a
    # server profile would set them: every query also appends the runner's own SETTINGS.
    ch.query(f"SET {CH_SETTINGS}")
    for statement in reference_ddl("clickhouse").split(";\n"):
        if statement.strip():
            command(ch, statement)
    schema = "qexpr_bench_" + uuid.uuid4().hex[:8]
    pg = psycopg.connect(dsn, autocommit=True)
    pg.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    pg.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
    pg.execute(reference_ddl("postgresql"))
    results: dict[str, Any] = {"runs": args.runs, "engines": {}}
    compiled = {name: (qexpr.compile(q, now=NOW), compile_search({"q": q, "limit": "50"},
                                                                  now=NOW))
                for name, q in FILTERS.items()}  # before the long load
    try:
        load = {"clickhouse": 0.0, "postgresql": 0.0}
        for batch in generate(args.runs):
            start = time.perf_counter()
            load_records(ch, batch, "clickhouse")
            load["clickhouse"] += time.perf_counter() - start
            start = time.perf_counter()
            load_records(pg, batch, "postgresql")
            load["postgresql"] += time.perf_counter() - start
        command(ch, "OPTIMIZE TABLE runs FINAL")
        pg.execute("ANALYZE")
        results["load_s"] = {k: round(v, 1) for k, v in load.items()}
        print(f"loaded {args.runs} runs: " + ", ".join(f"{k} {v:.0f} s" for k, v in load.items()),
              flush=True)
        results["filters"] = {}
        for name, q in FILTERS.items():
            f, search = compiled[name]
            line: dict[str, Any] = {"q": q}
            for dialect, conn in (("clickhouse", ch), ("postgresql", pg)):
                where, params = f.to_sql(dialect)
                count_sql = f'SELECT count(*) FROM "runs" WHERE {where}'
                if dialect == "clickhouse":
                    ms, out = timed(lambda c=conn, s=count_sql, p=params: rows(c, s, p),
                                    args.repeat)
                else:
                    ms, out = timed(lambda c=conn, s=count_sql, p=params:
                                    c.execute(s, p).fetchall(), args.repeat)
                line[f"{dialect}_count_ms"] = round(ms, 1)
                line["matches"] = out[0][0]
                ms, _ = timed(lambda s=search, c=conn, d=dialect: s.execute(c, d),
                              args.repeat)
                line[f"{dialect}_first_page_ms"] = round(ms, 1)
                # A real page: at most half-way into the result (the row at matches - 1 would
                # be followed by an empty page, which costs nothing like a deep page).
                deep = min(args.deep, line["matches"] // 2)
                where_pg, params_pg = f.to_sql("postgresql")
                row = pg.execute(f'SELECT "created_at", "id"::text FROM "runs" WHERE {where_pg} '
                                 'ORDER BY "created_at" DESC NULLS FIRST, "id" DESC '
                                 f"OFFSET {deep} LIMIT 1", params_pg).fetchone()
                if row is not None:
                    deep_search = search.follow(search.cursor(
                        (row[0].astimezone(UTC), row[1]), backward=False))
                    ms, page = timed(lambda s=deep_search, c=conn, d=dialect: s.execute(c, d),
                                     args.repeat)
                    line[f"{dialect}_deep_page_ms"] = round(ms, 1)
                    line[f"{dialect}_deep_first_id"] = (page.items[0]["id"] if page.items
                                                        else None)
            line["count_speedup"] = round(line["postgresql_count_ms"]
                                          / max(line["clickhouse_count_ms"], 0.01), 1)
            results["filters"][name] = line
            print(json.dumps({name: line}), flush=True)
    finally:
        pg.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        pg.close()
        ch.query(f"DROP DATABASE IF EXISTS {database}")
    if args.json:
        text = json.dumps(results, indent=2)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
