"""Benchmark: ``qexpr.compile(q).to_sql(dialect)`` against the bare one-regex tokenizer.

    python benchmarks/bench_sql.py [--repeat 9] [--json]

For the 13-comparison reference filter of ``bench_parse.py`` it times, interleaved in one
process (each contender in turn, every repeat; the minimum is kept):

- ``floor``: the one-regex tokenizer of ``bench_parse.py`` over the same text;
- ``parse``: ``qexpr.parse(q)`` (native engine);
- ``compile``: ``qexpr.compile(q)`` (parse + validation against the Run schema);
- ``compile+sql/<dialect>``: ``qexpr.compile(q).to_sql(dialect)``, the whole server path.

Every compile passes a fresh ``now``, so no cache can answer. The target of the backends
issue is compile+sql at most 4x the floor.
"""

from __future__ import annotations

import argparse
import json
import sys
import timeit
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_parse import FILTERS, REFERENCE, floor_tokenize

import qexpr

TARGET = 4.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()

    text = FILTERS[REFERENCE]
    base = datetime(2025, 1, 1, tzinfo=UTC)
    tick = iter(range(10**9))

    def fresh_now() -> datetime:
        return base + timedelta(microseconds=next(tick))

    contenders = {
        "floor": lambda: floor_tokenize(text),
        "parse": lambda: qexpr.parse(text),
        "compile": lambda: qexpr.compile(text, now=fresh_now()),
        "compile+sql/sqlite": lambda: qexpr.compile(text, now=fresh_now()).to_sql("sqlite"),
        "compile+sql/postgresql":
            lambda: qexpr.compile(text, now=fresh_now()).to_sql("postgresql"),
    }
    for run in contenders.values():  # warm up: imports, caches of the schema
        run()
    numbers = {name: 200 for name in contenders}
    best = {name: float("inf") for name in contenders}
    for _ in range(args.repeat):
        for name, run in contenders.items():
            seconds = timeit.timeit(run, number=numbers[name]) / numbers[name]
            best[name] = min(best[name], seconds)
    floor = best["floor"]
    rows = {name: {"us": best[name] * 1e6, "ratio": best[name] / floor} for name in best}
    if args.json:
        print(json.dumps({"filter": text, "target": TARGET, "results": rows}, indent=2))
        return 0
    print(f"reference filter ({len(text)} chars, {REFERENCE} comparisons)")
    print(f"{'contender':<24}{'us':>10}{'ratio':>9}")
    for name, row in rows.items():
        print(f"{name:<24}{row['us']:>10.1f}{row['ratio']:>8.1f}x")
    worst = max(rows["compile+sql/sqlite"]["ratio"], rows["compile+sql/postgresql"]["ratio"])
    print(f"target: compile+sql <= {TARGET:.0f}x the floor -> "
          f"{'met' if worst <= TARGET else 'missed'} ({worst:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
