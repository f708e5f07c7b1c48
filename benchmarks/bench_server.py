"""Load benchmark of ``qexpr serve`` on PostgreSQL: a bounded run on 127.0.0.1 only.

    QEXPR_PG_DSN="host=127.0.0.1 port=55432 user=postgres dbname=qexpr_test" \\
        .venv/bin/python benchmarks/bench_server.py [--clients 20] [--seconds 20] [--runs 4000]
        [--limit 50] [--embed model,node_runs,logs,current_evaluation_summary] [--json]

1. Loads ``--runs`` runs (copies of the bundled example runs with fresh ids, spread over four
   organisations, nested node runs and logs included) into a scratch schema (dropped after).
2. Starts ``qexpr serve --db <that schema> --timing`` on 127.0.0.1 on a free port.
3. ``--clients`` concurrent clients (httpx, one connection each) page through their
   organisation's runs with a filter, ``limit`` items per page with the embeds, following
   the next cursors (and starting over at the end) for ``--seconds`` seconds; then it stops
   the server.
4. Reports requests/s, client-side p50/p99 latency and, from the ``Server-Timing`` header the
   server measured inside itself, the share of the server's request time spent in qexpr
   (checking the parameters, building the SQL, shaping rows and embeds) versus the database
   driver (executing, fetching, decoding rows), the connection pool and JSON encoding, in
   wall time and in the handler thread's CPU time (under load a thread's wall time also holds
   its waits for the GIL while other requests run, which blurs the wall split; one client,
   ``--clients 1``, gives the uncontended one).

The server and the clients share the machine: on a small one the clients' own CPU slows the
server, so requests/s is a floor; the shares are measured inside the server and hold anyway.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import qexpr  # noqa: E402

ORGS = [str(uuid.UUID(int=(i + 1) << 64 | 0x4000_8000_0000_0000 + i)) for i in range(4)]
TOKEN = "bench-token"
Q = "duration_ms >= 0 OR failure_code IS NOT NULL OR cost > 0"


def bench_runs(count: int) -> list[dict[str, Any]]:
    """``count`` copies of the example runs with fresh ids, round-robin over :data:`ORGS`."""
    base = qexpr.example_runs()
    out: list[dict[str, Any]] = []
    while len(out) < count:
        for run in qexpr.example_runs():
            if len(out) == count:
                break
            run["id"] = str(uuid.uuid4())
            run["org_id"] = ORGS[len(out) % len(ORGS)]
            for name in ("node_runs", "logs"):
                for child in run.get(name) or []:
                    child["id"] = str(uuid.uuid4())
            out.append(run)
    assert base
    return out


def load(dsn: str, count: int) -> tuple[str, str]:
    """A scratch schema holding ``count`` runs: (its name, a DSN whose search_path it is)."""
    import psycopg
    from psycopg import sql

    from qexpr.backends.sql import load_records, reference_ddl

    schema = "qexpr_bench_serve_" + uuid.uuid4().hex[:8]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    scoped = f"{dsn} options='-csearch_path={schema}'"
    with psycopg.connect(scoped) as conn:
        conn.execute(reference_ddl("postgresql"))  # type: ignore[arg-type]
        load_records(conn, bench_runs(count), "postgresql")
        conn.commit()
        conn.execute("ANALYZE")
    return schema, scoped


def drop(dsn: str, schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def start_server(dsn: str, pool: int) -> tuple[str, subprocess.Popen[str]]:
    cmd = [sys.executable, "-m", "qexpr.cli.main", "serve", "--host", "127.0.0.1",
           "--port", "0", "--db", dsn, "--token", f"{TOKEN}:*:evaluations:read", "--timing",
           "--pool", str(pool)]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert process.stdout is not None
    line = process.stdout.readline()
    if "listening on " not in line:
        process.kill()
        raise SystemExit(f"qexpr serve did not start: {line!r}")
    return line.split("listening on ", 1)[1].split()[0].removesuffix("/v1/runs"), process


def timing(header: str) -> dict[str, float]:
    parts = (p.strip().split(";dur=") for p in header.split(","))
    return {name: float(value) for name, value in parts}


async def client(url: str, org: str, params: dict[str, str], deadline: float,
                 latencies: list[float], timings: list[dict[str, float]]) -> None:
    import httpx

    headers = {"Authorization": f"Bearer {TOKEN}", "X-Organization-Id": org}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
        cursor: str | None = None
        while time.perf_counter() < deadline:
            query = dict(params) if cursor is None else {**params, "pq": cursor}
            start = time.perf_counter()
            response = await http.get("/v1/runs", params=query)
            latencies.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise SystemExit(f"HTTP {response.status_code}: {response.text[:300]}")
            body = response.json()
            if any(item["org_id"] != org for item in body["items"]):
                raise SystemExit("a run of another organisation was served")
            timings.append(timing(response.headers["server-timing"]))
            cursor = body["next"]


async def drive(url: str, clients: int, seconds: float, params: dict[str, str]
                ) -> tuple[list[float], list[dict[str, float]], float]:
    latencies: list[float] = []
    timings: list[dict[str, float]] = []
    start = time.perf_counter()
    await asyncio.gather(*(client(url, ORGS[i % len(ORGS)], params, start + seconds,
                                  latencies, timings) for i in range(clients)))
    return latencies, timings, time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=4000)
    parser.add_argument("--limit", default="50")
    parser.add_argument("--embed", default="model,node_runs,logs,current_evaluation_summary")
    parser.add_argument("--pool", type=int, default=20)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    dsn = os.environ.get("QEXPR_PG_DSN", "").strip()
    if not dsn:
        raise SystemExit("set QEXPR_PG_DSN to a PostgreSQL server (see the module docstring)")
    params = {"q": Q, "limit": args.limit, "embed": args.embed}
    schema, scoped = load(dsn, args.runs)
    try:
        url, process = start_server(scoped, args.pool)
        try:
            asyncio.run(drive(url, args.clients, args.warmup, params))  # imports, caches
            latencies, timings, elapsed = asyncio.run(
                drive(url, args.clients, args.seconds, params))
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    finally:
        drop(dsn, schema)
    total = sum(t["total"] for t in timings)
    shares = {name: sum(t[name] for t in timings) / total
              for name in ("qexpr", "compile", "db", "pool", "json")}
    cpu_total = sum(t["qexpr_cpu"] + t["db_cpu"] + t["json_cpu"] for t in timings)
    cpu_shares = {name: sum(t[f"{name}_cpu"] for t in timings) / cpu_total
                  for name in ("qexpr", "db", "json")}
    per_request = {name: statistics.fmean(t[name] for t in timings)
                   for name in ("total", "qexpr", "compile", "db", "pool", "json",
                                "qexpr_cpu", "db_cpu", "json_cpu")}
    report = {
        "clients": args.clients, "seconds": round(elapsed, 2), "runs": args.runs,
        "page": params, "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1e3, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1e3, 2),
        "server_ms_per_request": {k: round(v, 3) for k, v in per_request.items()},
        "server_share": {k: round(v, 3) for k, v in shares.items()},
        "server_cpu_share": {k: round(v, 3) for k, v in cpu_shares.items()},
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{report['requests']} requests in {report['seconds']} s by {args.clients} clients "
          f"({args.runs} runs; limit={args.limit}, embed={args.embed})")
    print(f"  {report['requests_per_s']} requests/s, p50 {report['p50_ms']} ms, "
          f"p99 {report['p99_ms']} ms (client side)")
    print("  server time per request (ms, mean): " + ", ".join(
        f"{k} {v:.3f}" for k, v in per_request.items()))
    print("  share of the handler's wall time: " + ", ".join(
        f"{k} {v:.1%}" for k, v in shares.items()) + " (qexpr includes compile)")
    print("  share of the handler's CPU time: " + ", ".join(
        f"{k} {v:.1%}" for k, v in cpu_shares.items()))
    verdict = "meets" if shares["qexpr"] <= 0.10 else "misses"
    print(f"  qexpr share of wall time {shares['qexpr']:.1%} (CPU {cpu_shares['qexpr']:.1%}): "
          f"{verdict} the target of <= 10%")


if __name__ == "__main__":
    main()
