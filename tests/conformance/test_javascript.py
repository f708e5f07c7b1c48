"""The JavaScript validator (clients/javascript) agrees with qexpr on every parse case:
verdict, code, start and end. One ``node`` process runs all cases."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr import QError
from tests.conformance.clients import JAVASCRIPT, tool, unavailable
from tests.conformance.suite import SUITE, cases, report
from tests.conformance.texts import q_texts


def test_generated_parser_is_up_to_date() -> None:
    tool("java")
    proc = subprocess.run([sys.executable, str(JAVASCRIPT / "generate.py"), "--check"],
                          capture_output=True, text=True, check=False, timeout=300)
    if proc.returncode == 2:
        unavailable(proc.stderr.strip())
    assert proc.returncode == 0, proc.stderr


def test_validator_agrees_on_every_parse_case() -> None:
    node = tool("node")
    if not (JAVASCRIPT / "node_modules" / "antlr4").is_dir():
        unavailable("clients/javascript/node_modules is missing: run `npm ci` there")
    proc = subprocess.run([node, "conformance.js", str(SUITE / "parse.jsonl")], cwd=JAVASCRIPT,
                          capture_output=True, text=True, check=True, timeout=300)
    got = {r["id"]: r for r in map(json.loads, proc.stdout.splitlines())}
    failures: list[str] = []
    for case in cases("parse"):
        expect = case["expect"].get("error")
        want = {"id": case["id"], "ok": True} if expect is None else {"id": case["id"], **expect}
        if got.get(case["id"]) != want:
            failures.append(f"{case['id']} {case['q'][:80]!r}: {got.get(case['id'])} != {want}")
    assert not failures, report(failures, len(cases("parse")))


def test_validator_unit_tests() -> None:
    node = tool("node")
    if not (JAVASCRIPT / "node_modules" / "antlr4").is_dir():
        unavailable("clients/javascript/node_modules is missing: run `npm ci` there")
    proc = subprocess.run([node, "--test", "test/"], cwd=JAVASCRIPT, capture_output=True,
                          text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


def _qexpr_outcome(text: str) -> dict[str, Any]:
    try:
        qexpr.parse(text)
    except QError as exc:
        return {"code": str(exc.code), "start": exc.start, "end": exc.end}
    return {"ok": True}


@settings(max_examples=2, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(q_texts, min_size=200, max_size=200))
def test_validator_agrees_with_qexpr_on_any_text(texts: list[str]) -> None:
    node = tool("node")
    with tempfile.TemporaryDirectory(prefix="qexpr-js-law-") as tmp:
        path = Path(tmp) / "texts.jsonl"
        path.write_text("".join(json.dumps({"id": str(i), "q": t}) + "\n"
                                for i, t in enumerate(texts)), encoding="ascii")
        proc = subprocess.run([node, "conformance.js", str(path)], cwd=JAVASCRIPT,
                              capture_output=True, text=True, check=True, timeout=300)
    got = [json.loads(line) for line in proc.stdout.splitlines()]
    for text, result in zip(texts, got, strict=True):
        result.pop("id")
        assert result == _qexpr_outcome(text), text
