"""Benchmark: ``qexpr.parse`` with each engine against a bare one-regex tokenizer.

    python benchmarks/bench_parse.py [--repeat 7] [--min-time 0.05] [--json [PATH]] [--strict]

Builds realistic filters of 1, 3, 13 and 65 comparisons (the 13-comparison one is the
reference), then times, interleaved in one process (``timeit``, each contender in turn, every
repeat; the minimum is kept):

- ``floor``: a single compiled regular expression's ``finditer`` producing ``(kind, text)``
  tuples over the same text, nothing else -- what any tokenizer at least costs in Python;
- ``parse(text, engine)`` for every engine (``native``, ``lark``, ``antlr``), all of it: length
  limit, lexing, literal decoding and limits, parsing, tree limits.

Also: native ``parse`` of ``a`` followed by 500 and by 4,000 trailing whitespace characters
(the scan must not retry a match at every one: the time per character should stay flat).

Prints microseconds per parse and the ratio to the floor, and the targets on the reference
filter: native <= 2x the floor, lark <= 15x (on lark's public API, issue 9); antlr is reported
only. An engine that is missing or fails is shown as n/a. ``--json`` writes the numbers (to
stdout, or to PATH); ``--strict`` exits with status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import re
import sys
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import qexpr
from qexpr.syntax import ast
from qexpr.syntax.parser import ENGINE_NAMES

REFERENCE = 13
TARGETS = {"native": 2.0, "lark": 15.0}  # ratio to the floor on the reference filter
ENGINE_MODULES = {
    "native": "qexpr.syntax.engines.native",
    "lark": "qexpr.syntax.engines.lark_engine",
    "antlr": "qexpr.syntax.engines.antlr_engine",
}


# --------------------------------------------------------------------------- filters


def _thirteen(variant: int) -> str:
    """A realistic filter with 13 predicates (a quantifier counts one, plus its condition)."""
    return " AND ".join([
        f"duration_ms > {1000 + variant * 250}",
        'failure_code IN ("timeout", "oom")',
        'model.slug = "flux-dev"',
        f"created_at > now() - {7 + variant}d",
        f'(metadata["team-id"] = {42 + variant} OR metadata.customer.tier = "gold")',
        'client_ref STARTS_WITH "batch-"',
        'failure_message ILIKE "%out of memory%"',
        "NOT has_logs",
        "cost BETWEEN 0.01 AND 0.5",
        f'any(node_runs, state_code = "failed" AND retry_count >= {2 + variant})',
    ])


FILTERS: dict[int, str] = {
    1: "duration_ms > 1000",
    3: 'duration_ms > 1000 AND failure_code IN ("timeout", "oom") AND model.slug = "flux-dev"',
    13: _thirteen(0),
    65: " OR ".join(f"({_thirteen(i)})" for i in range(5)),
}


def count_predicates(node: ast.Expr) -> int:
    if isinstance(node, (ast.And, ast.Or)):
        return sum(count_predicates(op) for op in node.operands)
    if isinstance(node, ast.Not):
        return count_predicates(node.operand)
    if isinstance(node, ast.Quantified):
        return 1 + count_predicates(node.condition)
    if isinstance(node, ast.MatchAll):
        return 0
    return 1


# --------------------------------------------------------------------------- the floor

_FLOOR_RE = re.compile(
    r"""
      (?P<ws>[ \t\r\n]+)
    | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<number>[0-9][A-Za-z0-9_.]*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op><=|>=|!=|[=<>()\[\],.+\-])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def floor_tokenize(text: str) -> list[tuple[str | None, str]]:
    """The floor: one compiled regex, ``finditer``, ``(kind, text)`` tuples, whitespace dropped."""
    return [(m.lastgroup, m.group()) for m in _FLOOR_RE.finditer(text) if m.lastgroup != "ws"]


# --------------------------------------------------------------------------- timing


def engine_status(name: str) -> str | None:
    """None when the engine can be used, else why not."""
    module = ENGINE_MODULES.get(name, f"qexpr.syntax.engines.{name}")
    try:
        importlib.import_module(module)
        for text in FILTERS.values():  # warm up (grammar building, imports) and check
            qexpr.parse(text, engine=name)
    except Exception as exc:  # missing module, import error, engine bug: shown as n/a
        return f"{type(exc).__name__}: {exc}"
    return None


def measure(
    contenders: dict[str, Callable[[], object]], repeat: int, min_time: float
) -> dict[str, float]:
    """Seconds per call of each contender: interleaved repeats, minimum of each."""
    timers = {name: timeit.Timer(fn) for name, fn in contenders.items()}
    numbers: dict[str, int] = {}
    for name, timer in timers.items():
        number = 1
        while True:
            if timer.timeit(number) >= min_time:
                break
            number *= 2
        numbers[name] = number
    best = dict.fromkeys(timers, float("inf"))
    for _ in range(repeat):
        for name, timer in timers.items():
            best[name] = min(best[name], timer.timeit(numbers[name]) / numbers[name])
    return best


def run(repeat: int, min_time: float) -> dict[str, Any]:
    engines = list(ENGINE_NAMES)
    unavailable = {name: why for name in engines if (why := engine_status(name)) is not None}
    rows: list[dict[str, Any]] = []
    for size, text in FILTERS.items():
        tree = qexpr.parse(text)
        assert count_predicates(tree) == size, (size, count_predicates(tree))
        contenders: dict[str, Callable[[], object]] = {
            "floor": lambda text=text: floor_tokenize(text)
        }
        for name in engines:
            if name not in unavailable:
                contenders[name] = lambda text=text, name=name: qexpr.parse(text, engine=name)
        seconds = measure(contenders, repeat, min_time)
        floor = seconds["floor"]
        row: dict[str, Any] = {
            "comparisons": size,
            "characters": len(text),
            "tokens": len(floor_tokenize(text)),
            "floor_us": floor * 1e6,
        }
        for name in engines:
            if name in seconds:
                row[f"{name}_us"] = seconds[name] * 1e6
                row[f"{name}_ratio"] = seconds[name] / floor
            else:
                row[f"{name}_us"] = None
                row[f"{name}_ratio"] = None
        rows.append(row)
    trailing = {
        str(count): measure({"native": lambda count=count: qexpr.parse("a" + " " * count)},
                            repeat, min_time)["native"] * 1e9 / count
        for count in (500, 4_000)
    }
    reference = next(r for r in rows if r["comparisons"] == REFERENCE)
    targets = {}
    for name, limit in TARGETS.items():
        ratio = reference.get(f"{name}_ratio")
        targets[name] = {
            "target_ratio": limit,
            "ratio": ratio,
            "met": None if ratio is None else ratio <= limit,
        }
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "repeat": repeat,
        "reference_comparisons": REFERENCE,
        "filters": {str(size): text for size, text in FILTERS.items()},
        "unavailable": unavailable,
        "rows": rows,
        "trailing_whitespace_ns_per_char": trailing,
        "targets": targets,
    }


def render(result: dict[str, Any]) -> str:
    engines = list(ENGINE_NAMES)
    header = f"{'comparisons':>11} {'chars':>6} {'tokens':>6} {'floor us':>9}"
    for name in engines:
        header += f" {name + ' us':>11} {'ratio':>7}"
    lines = [
        f"parse benchmark (Python {result['python']}, min of {result['repeat']} interleaved "
        "repeats)",
        header,
        "-" * len(header),
    ]
    for row in result["rows"]:
        mark = "*" if row["comparisons"] == result["reference_comparisons"] else " "
        line = (f"{row['comparisons']:>10}{mark} {row['characters']:>6} {row['tokens']:>6} "
                f"{row['floor_us']:>9.1f}")
        for name in engines:
            us, ratio = row[f"{name}_us"], row[f"{name}_ratio"]
            if us is None:
                line += f" {'n/a':>11} {'n/a':>7}"
            else:
                line += f" {us:>11.1f} {ratio:>6.1f}x"
        lines.append(line)
    per_char = ", ".join(f"{count} chars {ns:.1f} ns/char"
                         for count, ns in result["trailing_whitespace_ns_per_char"].items())
    lines.append(f"native, `a` + trailing whitespace: {per_char}")
    lines.append("")
    lines.append(f"targets on the {result['reference_comparisons']}-comparison filter (*):")
    for name, target in result["targets"].items():
        if target["ratio"] is None:
            verdict = "n/a"
        else:
            verdict = f"{target['ratio']:.1f}x -> {'met' if target['met'] else 'MISSED'}"
        lines.append(f"  {name:<7} <= {target['target_ratio']:g}x the floor: {verdict}")
    reference = next(r for r in result["rows"]
                     if r["comparisons"] == result["reference_comparisons"])
    for name in engines:
        if name not in result["targets"]:
            ratio = reference[f"{name}_ratio"]
            shown = "n/a" if ratio is None else f"{ratio:.1f}x"
            lines.append(f"  {name:<7} (reported only): {shown}")
    for name, why in result["unavailable"].items():
        lines.append(f"  {name}: n/a ({why[:120]})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="interleaved repeats (min kept)")
    parser.add_argument("--min-time", type=float, default=0.05,
                        help="seconds per timed sample (the loop count is calibrated to it)")
    parser.add_argument("--json", nargs="?", const="-", metavar="PATH",
                        help="write the results as JSON to PATH (or stdout)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    result = run(args.repeat, args.min_time)
    if args.json == "-":
        print(json.dumps(result, indent=2))
    else:
        print(render(result))
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    missed = [n for n, t in result["targets"].items() if t["met"] is False]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
