"""Benchmark: ``qexpr.compile(q).to_sql(dialect)`` against the bare one-regex tokenizer.

    python benchmarks/bench_sql.py [--repeat 9] [--number 200] [--json]

For the 13-comparison reference filter of ``bench_parse.py`` and for the 1-comparison filter
it times, interleaved in one process (each contender in turn, every repeat; the minimum is
kept):

- ``floor``: the one-regex tokenizer of ``bench_parse.py`` over the same texts;
- ``parse``: ``qexpr.parse(q)`` (native engine);
- ``compile``: ``qexpr.compile(q)`` (parse + validation against the Run schema);
- ``compile+sql/<dialect>``: ``qexpr.compile(q).to_sql(dialect)``, the whole server path.

Every call gets a distinct text (the first literal, ``duration_ms > N``, varies) and a fresh
``now``, so no cache keyed by text or instant can answer. The memos keyed by a predicate (the
checker's plan per predicate, the printer's SQL per predicate) do answer for the predicates
that did not change, as they would in a server; the ``cold`` contenders clear every memo and
cache before each call (``cold/compile``, ``cold/compile+sql/<dialect>``) and show the cost
of checking and printing everything afresh. Targets (issue 9): on the reference
filter compile at most 3x the floor and compile+sql at most 4x; on the 1-comparison filter
compile+sql at most 10x. Each is reported as met or missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import timeit
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_parse import FILTERS, REFERENCE, floor_tokenize

import qexpr
from qexpr.backends import sql as sql_backend
from qexpr.backends.sql import compiler as sql_compiler
from qexpr.check import checker

resolve = sys.modules["qexpr.check.resolve"]  # the module (the package exports its function)

VARIED = "duration_ms > 1000"  # the literal varied on every call; both filters start with it
#: (filter size, contender) -> the ratio to the floor it must not exceed.
TARGETS: dict[tuple[int, str], float] = {
    (REFERENCE, "compile"): 3.0,
    (REFERENCE, "compile+sql"): 4.0,
    (1, "compile+sql"): 10.0,
}


def _texts(size: int, count: int) -> list[str]:
    """``count`` distinct variants of ``FILTERS[size]`` (one literal varied)."""
    text = FILTERS[size]
    assert text.startswith(VARIED), text
    rest = text[len(VARIED):]
    return [f"duration_ms > {1000 + i}{rest}" for i in range(count)]


def clear_memos() -> None:
    """Forget every memo a compile and to_sql fill (resolution, plans, SQL per predicate and
    per plan), as after a fresh start."""
    resolve._memo.clear()
    checker._plans.clear()
    sql_compiler._fragments.clear()
    sql_backend._cached.cache_clear()


def _cold(run: Callable[[], Any]) -> Callable[[], Any]:
    def cold() -> Any:
        clear_memos()
        return run()
    return cold


def _contenders(texts: Iterator[str]) -> dict[str, Callable[[], Any]]:
    base = datetime(2025, 1, 1, tzinfo=UTC)
    tick = iter(range(10**9))

    def now() -> datetime:
        return base + timedelta(microseconds=next(tick))

    warm: dict[str, Callable[[], Any]] = {
        "compile": lambda: qexpr.compile(next(texts), now=now()),
        "compile+sql/sqlite": lambda: qexpr.compile(next(texts), now=now()).to_sql("sqlite"),
        "compile+sql/postgresql":
            lambda: qexpr.compile(next(texts), now=now()).to_sql("postgresql"),
    }
    return {
        "floor": lambda: floor_tokenize(next(texts)),
        "parse": lambda: qexpr.parse(next(texts)),
        **warm,
        "cold/clear memos": clear_memos,
        **{f"cold/{name}": _cold(run) for name, run in warm.items()},
    }


def measure(size: int, repeat: int, number: int) -> dict[str, dict[str, float]]:
    """Best microseconds per call and ratio to the floor of every contender on one filter."""
    texts = iter(_texts(size, (repeat + 1) * number * 8 + 10))
    contenders = _contenders(texts)
    for run in contenders.values():  # warm up: imports, caches of the schema
        run()
    best = {name: float("inf") for name in contenders}
    for _ in range(repeat):
        for name, run in contenders.items():
            best[name] = min(best[name], timeit.timeit(run, number=number) / number)
    # The cold contenders' figures leave out the time of clearing the memos itself.
    clearing = best.pop("cold/clear memos")
    for name in best:
        if name.startswith("cold/"):
            best[name] -= clearing
    floor = best["floor"]
    return {name: {"us": best[name] * 1e6, "ratio": best[name] / floor} for name in best}


def verdicts(results: dict[int, dict[str, dict[str, float]]]) -> list[dict[str, Any]]:
    """Each target with the measured ratio (the worse dialect for compile+sql) and met/missed,
    as a server sees it (memos warm) and cold (every memo cleared before each call)."""
    rows = []
    for (size, contender), target in TARGETS.items():
        for prefix in ("", "cold/"):
            wanted = prefix + contender
            ratio = max(row["ratio"] for name, row in results[size].items()
                        if name == wanted or name.startswith(wanted + "/"))
            rows.append({"filter": size, "contender": wanted, "target": target,
                         "ratio": ratio, "met": ratio <= target})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--number", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()

    results = {size: measure(size, args.repeat, args.number) for size in (REFERENCE, 1)}
    checks = verdicts(results)
    if args.json:
        print(json.dumps({"results": results, "targets": checks}, indent=2))
        return 0
    for size, rows in results.items():
        print(f"{size}-comparison filter ({len(FILTERS[size])} chars, a literal varied per call)")
        print(f"{'contender':<30}{'us':>10}{'ratio':>9}")
        for name, row in rows.items():
            print(f"{name:<30}{row['us']:>10.1f}{row['ratio']:>8.1f}x")
        print()
    for check in checks:
        print(f"target: {check['contender']} on the {check['filter']}-comparison filter "
              f"<= {check['target']:.0f}x the floor -> "
              f"{'met' if check['met'] else 'missed'} ({check['ratio']:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
