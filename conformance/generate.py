#!/usr/bin/env python3
"""Write the conformance suite (``conformance/*.jsonl``) from qexpr's own answers.

Usage::

    python conformance/generate.py           # rewrite parse/validate/evaluate/search.jsonl
    python conformance/generate.py --check   # exit 1 if a committed file differs

The inputs come from ``texts.py`` (spec examples, hand-written cases, limits, generated texts
with fixed seeds) and the fixed dataset ``dataset.jsonl``; the outcomes are computed with
qexpr's native engine, the in-memory predicate and the in-memory search, at the default limits
and ``now() = 2024-06-15T12:00:00Z``. The output is deterministic: the same bytes on every run.
The format is described in ``conformance/README.md``. Each parse case also says whether the
grammar ``Q.g4`` alone decides it (``grammar``): its ANTLR parser (bail strategy, default
prediction) accepts exactly the accepted texts and fails at exactly the reported span.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import texts  # noqa: E402

import qexpr  # noqa: E402
from qexpr import QError  # noqa: E402

NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)
NOW_TEXT = "2024-06-15T12:00:00Z"
FILES = ("parse.jsonl", "validate.jsonl", "evaluate.jsonl", "search.jsonl")
EVAL = texts.EVAL
NEWLINE = b"\n"


def load_dataset() -> list[dict[str, Any]]:
    """The fixed records of ``dataset.jsonl``."""
    with (HERE / "dataset.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _span(error: QError) -> dict[str, Any]:
    out: dict[str, Any] = {"code": str(error.code), "start": error.start, "end": error.end}
    if error.param is not None:
        out = {"param": error.param, **out}
    return out


# --------------------------------------------------------------------------- grammar verdict


class _Grammar:
    """The parser generated from Q.g4 (Python target) run as the client guide says."""

    def __init__(self) -> None:
        from antlr4 import CommonTokenStream, InputStream
        from antlr4.error.Errors import ParseCancellationException
        from antlr4.error.ErrorStrategy import BailErrorStrategy

        from qexpr.syntax.antlr_generated.QLexer import QLexer
        from qexpr.syntax.antlr_generated.QParser import QParser

        self.stream, self.tokens = InputStream, CommonTokenStream
        self.lexer, self.parser = QLexer, QParser
        self.bail, self.cancel = BailErrorStrategy, ParseCancellationException

    def verdict(self, text: str) -> dict[str, Any] | None:
        """``{"parse": None}`` when accepted, the offending token's span, or None (too deep)."""
        lexer = self.lexer(self.stream(text))
        lexer.removeErrorListeners()
        parser = self.parser(self.tokens(lexer))
        parser.removeErrorListeners()
        parser._errHandler = self.bail()
        try:
            parser.query()
        except self.cancel as exc:
            token = exc.args[0].offendingToken
            if token.type == -1:
                return {"start": len(text), "end": len(text)}
            return {"start": token.start, "end": token.stop + 1}
        except RecursionError:
            return None
        return {"parse": None}


# --------------------------------------------------------------------------- parse cases


def limit_texts() -> list[str]:
    """Every limit of spec section 6 at N-1, N and N+1, alone and against other errors."""
    out: list[str] = []
    for n in (4095, 4096, 4097):
        out += ["a" * n, "a = 1 AND " + "b" * (n - 10), "\U0001f600" * n, "== " + "c" * (n - 3)]
        out.append("a = \"" + "x" * (n - 6) + "\"")
    for n in (31, 32, 33):
        out += ["(" * n + "a" + ")" * n, "NOT " * n + "a", "(NOT " * (n // 2) + "a" + ")" * (n // 2)
                + (" AND " + "(" * (n - 1) + "b" + ")" * (n - 1)),
                "a = \"\\q\" AND " + "(" * n + "a" + ")" * n, "(" * n + "a = 1e999" + ")" * n,
                "(" * n + "a ==" + ")" * n, "(" * n, "NOT " * (n - 1) + "(a)",
                "any(r, " + "NOT " * (n - 1) + "b)",
                "(" * (n - 2) + "any(r, any(s, NOT b))" + ")" * (n - 2),
                "a IN (" + "(" * n + ")", "NOT a AND " * n + "b"]
    for n in (2, 3, 4):
        out += ["any(a, " * n + "b" + ")" * n, "all(a, any(b, " * (n // 2) + "c" + "))" * (n // 2),
                "any(a, b) AND " * n + "any(a, " * n + "b" + ")" * n,
                "any(a, " * n + "b == c" + ")" * n, "any(a, " * n, "x = 1e999 AND " + "any(a, " * n]
    for n in (1023, 1024, 1025):
        out += ["a = \"" + "x" * n + "\"", "a = '" + "\\n" * n + "'",
                "a = \"" + "\U0001f600" * n + "\"",
                "a = \"" + "\\ud83d\\ude00" * n + "\"", "a = \"" + "y" * n + "\\q\"",
                "b == 1 AND a = \"" + "z" * n + "\"", "a = \"" + "w" * n]
    for n in (127, 128, 129):
        out += [" AND ".join(["a"] * n), " OR ".join(["a = -5"] * n),
                " AND ".join(["b"] * (n - 1) + ["any(r, c)"]),
                " AND ".join(["b"] * (n - 2) + ["any(r, c AND d)"]),
                " AND ".join(["b"] * (n - 1) + ["c IN (1, 2)"]),
                " AND ".join(["b"] * (n - 1) + ["c BETWEEN now() - 1d AND now()"]),
                " AND ".join(["b"] * n) + " AND c = 1e999", " AND ".join(["b"] * n) + " d"]
    for n in (255, 256, 257):
        out += ["a IN (" + ", ".join(["1"] * n) + ")", "a IN (" + ", ".join(["-1"] * n) + ",)",
                "a IN (" + ", ".join(["1"] * (n - 1) + ["now() - 1d"]) + ")",
                "a IN (" + ", ".join(["\"x\""] * (n - 1) + ["- 7"]) + ")",
                "a IN (" + ", ".join(["1"] * n) + ") AND b IN (" + ", ".join(["2"] * n) + ")",
                "a IN (" + ", ".join(["1"] * n) + ") b"]
    return out


def parse_cases(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every text once, with qexpr's outcome and whether the grammar alone decides it."""
    spec = [e["q"] for e in texts.spec_examples() if "q" in e]
    generated = texts.generated_filters(records, 300, seed=14)
    sources: list[tuple[str, Iterable[str]]] = [
        ("spec", spec), ("hand", texts.HANDWRITTEN_PARSE),
        ("sem", [q for q, _ in texts.HANDWRITTEN_VALIDATE]), ("trap", texts.TRAPS),
        ("limit", limit_texts()), ("gen", generated),
        ("mut", texts.mutations([*spec, *texts.HANDWRITTEN_PARSE, *generated], 1400, seed=15)),
    ]
    grammar = _Grammar()
    seen: set[str] = set()
    cases: list[dict[str, Any]] = []
    for prefix, items in sources:
        number = 0
        for text in items:
            if text in seen:
                continue
            seen.add(text)
            number += 1
            try:
                expect: dict[str, Any] = {"parse": qexpr.to_q(qexpr.parse(text))}
            except QError as exc:
                expect = {"error": _span(exc)}
            verdict = grammar.verdict(text)
            decided = verdict is not None and (
                verdict == {"parse": None} if "parse" in expect
                else expect["error"] == {"code": "syntax_error", **verdict})
            cases.append({"id": f"{prefix}-{number:04d}", "q": text, "grammar": decided,
                          "expect": expect})
    return cases


# --------------------------------------------------------------------------- other cases


def _compile(text: str, scopes: list[str]) -> dict[str, Any]:
    try:
        return {"canonical": qexpr.compile(text, scopes=scopes, now=NOW).to_q()}
    except QError as exc:
        return {"errors": [_span(e) for e in exc.errors]}


def validate_cases(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Texts with scopes: the canonical typed form or every error, in order."""
    items = [(e["q"], e["scopes"]) for e in texts.spec_examples() if "q" in e]
    items += texts.HANDWRITTEN_VALIDATE
    items += [(q, [EVAL]) for q in texts.TRAPS]
    items += [(q, []) for q in texts.generated_filters(records, 120, seed=16)]
    items += [(q, []) for q in texts.mutations([q for q, _ in texts.HANDWRITTEN_VALIDATE],
                                               150, seed=17)]
    cases: list[dict[str, Any]] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for text, scopes in items:
        key = (text, tuple(scopes))
        if key in seen:
            continue
        seen.add(key)
        cases.append({"id": f"validate-{len(cases) + 1:04d}", "q": text, "scopes": scopes,
                      "now": NOW_TEXT, "expect": _compile(text, scopes)})
    return cases


def evaluate_cases(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Valid filters and the ids of the dataset records they match, in dataset order."""
    items = [e["q"] for e in texts.spec_examples() if "q" in e]
    items += texts.TRAPS + texts.generated_filters(records, 200, seed=18)
    cases: list[dict[str, Any]] = []
    seen: set[str] = set()
    for text in items:
        if text in seen:
            continue
        seen.add(text)
        try:
            predicate = qexpr.compile(text, scopes=[EVAL], now=NOW).to_predicate()
        except QError:
            continue
        ids = [r["id"] for r in records if predicate(r)]
        cases.append({"id": f"evaluate-{len(cases) + 1:04d}", "q": text, "scopes": [EVAL],
                      "now": NOW_TEXT, "expect": {"ids": ids}})
    return cases


SEARCHES: list[tuple[dict[str, Any], list[str]]] = [
    ({"limit": "7"}, []),
    ({"limit": "10", "sort_by": "duration_ms"}, []),
    ({"limit": "9", "sort_by": "duration_ms:desc"}, []),
    ({"limit": "8", "sort_by": "client_ref,cost:desc"}, []),
    ({"limit": "5", "sort_by": "model.slug:desc,created_at"}, []),
    ({"limit": "6", "sort_by": "cost", "q": "cost IS NOT NULL AND has_logs"}, []),
    ({"limit": "4", "sort_by": "completed_at:desc", "q": "duration_ms > 1000"}, []),
    ({"limit": "3", "sort_by": "failure_code",
      "q": "failure_code IS NOT NULL OR client_ref < \"b\""}, []),
    ({"limit": "500", "q": "any(node_runs, retry_count > 1)"}, []),
    ({"limit": "1", "q": "client_ref IN (\"a\", \"B\", \"\u00c9\")",
      "sort_by": "client_ref:desc"}, []),
    ({"limit": " 12 ", "sort_by": " nodes_total:desc , id ", "fields": "client_ref"}, []),
    ({"limit": "5", "sort_by": "current_evaluation_summary.score"}, [EVAL]),
    ({"limit": "5", "embed": "node_runs", "q": "has_node_runs"}, []),
    ({"sort_by": "current_evaluation_summary.score"}, []),
    ({"q": "x = 1", "limit": "501"}, []),
    ({"q": "duration_ms == 1", "limit": "abc", "sort_by": "cost:sideways"}, []),
    ({"limit": "1.5", "sort_by": "node_runs.state_code", "fields": "nope", "embed": "nope"}, []),
    ({"sort_by": "metadata.team", "from_prev": "maybe"}, []),
    ({"pq": "not-a-cursor"}, []),
    ({"q": ["a", "b"]}, []),
    ({"q": "", "limit": "", "sort_by": ""}, []),
    # the evaluation parameters of the seed (spec section 11)
    ({"evaluation_status": "not_evaluated", "limit": "20"}, [EVAL]),
    ({"evaluation_status": "passed", "evaluation_issue_category": "safety"}, [EVAL]),
    ({"evaluation_status": "passed"}, []),
    ({"evaluation_status": "PASSED", "evaluation_issue_subcategory": "x", "limit": "0"}, [EVAL]),
]


def search_cases(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Search requests: the ids of every page following ``next``, then following ``previous``
    back from the last page, or the errors."""
    items = [(e["params"], e["scopes"]) for e in texts.spec_examples() if "params" in e]
    items += SEARCHES
    cases: list[dict[str, Any]] = []
    for params, scopes in items:
        try:
            search = qexpr.compile_search(params, scopes=scopes, now=NOW)
        except QError as exc:
            expect: dict[str, Any] = {"errors": [_span(e) for e in exc.errors]}
        else:
            pages: list[list[str]] = []
            while True:
                page = search.apply(records)
                pages.append([item["id"] for item in page.items])
                if page.next is None:
                    break
                search = qexpr.compile_search({**params, "pq": page.next}, scopes=scopes, now=NOW)
            back: list[list[str]] = []
            while page.previous is not None:
                search = qexpr.compile_search({**params, "pq": page.previous, "from_prev": "true"},
                                              scopes=scopes, now=NOW)
                page = search.apply(records)
                back.append([item["id"] for item in page.items])
            expect = {"pages": pages, "back": back}
        cases.append({"id": f"search-{len(cases) + 1:04d}", "params": params, "scopes": scopes,
                      "now": NOW_TEXT, "expect": expect})
    return cases


# --------------------------------------------------------------------------- files


def render(cases: list[dict[str, Any]]) -> bytes:
    """JSON lines, ASCII only (lone surrogates and controls as escapes), one case a line."""
    return b"".join(json.dumps(c, ensure_ascii=True, separators=(", ", ": ")).encode() + b"\n"
                    for c in cases)


def build() -> dict[str, bytes]:
    """The bytes of every suite file."""
    records = load_dataset()
    return {
        "parse.jsonl": render(parse_cases(records)),
        "validate.jsonl": render(validate_cases(records)),
        "evaluate.jsonl": render(evaluate_cases(records)),
        "search.jsonl": render(search_cases(records)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is stale")
    args = parser.parse_args(argv)
    files = build()
    stale = [name for name, data in files.items()
             if not (HERE / name).is_file() or (HERE / name).read_bytes() != data]
    if args.check:
        for name in stale:
            print(f"conformance/{name} is out of date: run python conformance/generate.py",
                  file=sys.stderr)
        return 1 if stale else 0
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    print("wrote " + ", ".join(f"{n} ({d.count(NEWLINE)} cases)" for n, d in files.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
