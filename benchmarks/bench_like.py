"""Benchmark: LIKE / ILIKE on patterns built to make a backtracking matcher explode.

    python benchmarks/bench_like.py [--size 100000] [--repeat 5]

For each hostile pattern (many ``%`` separated by one character, ``_`` runs) over a text of
``--size`` code points that almost matches, it times, interleaved in one process (the minimum
of ``--repeat`` runs is kept):

- ``floor``: ``"needle" in text`` over the same text -- one pass of CPython's substring search;
- ``predicate``: the in-memory matcher of the predicate backend (``compile_like``), LIKE and ILIKE;
- ``sqlite``: ``qexpr.compile(q).to_sql("sqlite")`` run on an in-memory SQLite holding one run
  with that text (qexpr's own SQLite LIKE function).

A backtracking matcher takes time exponential in the number of ``%``; these take time linear in
the text, so the ratio to the floor stays a small constant as ``--size`` grows (run it with two
sizes to see it). Timings are reported, never asserted (the tests only check the answers).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import timeit
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import qexpr
from qexpr.backends.predicate.patterns import compile_like

HOSTILE = [
    "%a%a%a%a%a%a%a%a%b",
    "%a%a%a%a%a%a%a%a%b%",
    "%a_a_a_a%a_a_a%b",
    "%_%_%_%_%_%_%_%_%b",
    "%aaaaaaaaab%",
    "%a_______________b%",
]


def _best(fn: object, repeat: int) -> float:
    return min(timeit.repeat(fn, number=1, repeat=repeat))  # type: ignore[arg-type]


def main() -> None:
    """Print milliseconds per match and the ratio to the substring floor."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = "a" * args.size
    db = sqlite3.connect(":memory:")
    db.executescript(qexpr.reference_ddl("sqlite"))
    qexpr.load_records(db, [{"id": str(uuid.UUID(int=1)), "client_ref": text}], "sqlite")
    print(f"LIKE on hostile patterns, text of {args.size:,} code points, min of {args.repeat}")
    print(f"{'pattern':24} {'floor ms':>9} {'LIKE ms':>9} {'ratio':>7} {'ILIKE ms':>9} "
          f"{'ratio':>7} {'SQLite ms':>10} {'ratio':>7}")
    for pattern in HOSTILE:
        like, ilike = compile_like(pattern), compile_like(pattern, True)
        sql, params = qexpr.compile(f"client_ref LIKE {qexpr.quote(pattern)}").to_sql("sqlite")
        query = f"SELECT count(*) FROM runs WHERE {sql}"
        floor = _best(lambda: "needle" in text, args.repeat)
        t_like = _best(lambda m=like: m(text), args.repeat)
        t_ilike = _best(lambda m=ilike: m(text), args.repeat)
        t_sqlite = _best(lambda q=query, p=params: db.execute(q, p).fetchall(), args.repeat)
        print(f"{pattern:24} {floor * 1e3:9.3f} {t_like * 1e3:9.3f} {t_like / floor:6.1f}x "
              f"{t_ilike * 1e3:9.3f} {t_ilike / floor:6.1f}x {t_sqlite * 1e3:10.3f} "
              f"{t_sqlite / floor:6.1f}x")


if __name__ == "__main__":
    main()
