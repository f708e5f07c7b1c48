"""``qexpr check`` and ``qexpr schema``, run in-process through ``main([...])``, plus one run of
the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qexpr.cli.main import main
from qexpr.schema import RUN_SCHEMA

EVAL = "evaluations:read"
U = "3c90c3cc-0d44-4b50-8888-8dd25736052a"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- check

@pytest.mark.parametrize(("q", "canonical"), [
    ("duration_ms>1000", "duration_ms > 1000"),
    (f'id = "{U.upper()}"', f'id = "{U}"'),
    ('created_at >= "2024-01-01T02:00:00+02:00"', 'created_at >= "2024-01-01T00:00:00Z"'),
    ("created_at > NOW() - 7d", "created_at > now() - 7d"),
    ("has_logs and not has_node_runs", "has_logs = true AND NOT has_node_runs = true"),
    ('any(node_runs, state_code = "failed")', 'any(node_runs, state_code = "failed")'),
    ("", ""),
])
def test_check_prints_the_typed_canonical_form(capsys: pytest.CaptureFixture[str], q: str,
                                               canonical: str) -> None:
    code, out, err = run(capsys, "check", q)
    assert (code, out, err) == (0, canonical + "\n", "")


def test_check_with_a_scope(capsys: pytest.CaptureFixture[str]) -> None:
    q = "current_evaluation_summary.score < 0.5"
    assert run(capsys, "check", q, "--scope", EVAL) == (0, q + "\n", "")
    assert run(capsys, "check", q, "--scope", "other", "--scope", EVAL) == (0, q + "\n", "")
    code, out, err = run(capsys, "check", q)
    assert code == 2 and out == ""
    assert err.startswith("forbidden_field: ")


def test_check_prints_every_error_with_its_caret(capsys: pytest.CaptureFixture[str]) -> None:
    q = 'xx = 1 AND failure_code = 1 AND id = "nope"'
    code, out, err = run(capsys, "check", q)
    assert code == 2 and out == ""
    blocks = err.rstrip("\n").split("\n\n")
    assert [b.splitlines()[0].split(":")[0] for b in blocks] == [
        "unknown_field", "type_mismatch", "invalid_literal"]
    assert blocks[0].splitlines()[1:3] == [f"  {q}", "  ^^"]
    assert blocks[1].splitlines()[1:3] == [f"  {q}", "  " + " " * q.index("1 AND id") + "^"]
    assert blocks[2].splitlines()[1:3] == [f"  {q}", "  " + " " * q.index('"nope"') + "^" * 6]


def test_check_syntax_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "duration_ms == 1")
    assert code == 2 and out == ""
    assert err.splitlines()[0].startswith("syntax_error: ")
    assert "use = instead of ==" in err


def test_check_json_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", f'id = "{U.upper()}" AND has_logs', "--json")
    assert code == 0 and err == ""
    body = json.loads(out)
    assert body["valid"] is True
    assert body["q"] == f'id = "{U}" AND has_logs = true'
    assert body["ast"]["node"] == "And"
    uuid_node = body["ast"]["operands"][0]["operand"]
    assert uuid_node == {"node": "Uuid", "value": U, "span": [5, 43]}


def test_check_json_one_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "model.slgu = 1", "--json")
    assert code == 2
    error = json.loads(out)
    assert error == {
        "code": "unknown_field", "message": "unknown field 'slgu' in model",
        "start": 6, "end": 10, "line": 1, "column": 7, "suggestion": "model.slug",
    }


def test_check_json_several_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", 'xx = 1 AND failure_code = 1 AND id = "nope"', "--json")
    assert code == 2
    error = json.loads(out)
    assert error["code"] == "unknown_field"
    assert [(e["code"], e["start"], e["end"]) for e in error["errors"]] == [
        ("unknown_field", 0, 2), ("type_mismatch", 26, 27), ("invalid_literal", 37, 43)]


def test_check_json_forbidden(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "current_evaluation_summary.scroe < 1", "--json")
    assert code == 2
    error = json.loads(out)
    assert error["code"] == "forbidden_field"
    assert "scroe" not in json.dumps(error)


# --------------------------------------------------------------------------- schema

def test_schema_lists_every_field_with_types_and_operators(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "schema")
    assert code == 0 and err == ""
    lines = out.splitlines()
    header = next(index for index, line in enumerate(lines) if line.startswith("path "))
    head = lines[header]
    columns = [head.index(name) for name in ("type", "scope", "operators")]
    rows = {}
    for line in lines[header + 1:]:
        path = line[:columns[0]].strip()
        rows[path] = (line[columns[0]:columns[1]].strip(), line[columns[1]:columns[2]].strip(),
                      line[columns[2]:].strip())
    listed = list(RUN_SCHEMA.paths())
    assert list(rows) == [p.path for p in listed]
    for p in listed:
        ftype, scope, operators = rows[p.path]
        assert ftype == p.type
        assert scope == (", ".join(p.scopes) or "-")
        if p.kind in ("field", "json_path"):
            assert operators.split(", ") == list(p.operators)
    for needed in ("duration_ms", "current_evaluation_summary.score", "any(model.pricing, price)",
                   "any(node_runs, ...)", "metadata.<key>", "any(logs, timestamp)",
                   "comfyui_workflow.gpu_current_tier_code"):
        assert needed in rows, needed
    assert rows["current_evaluation_summary.score"] == (
        "float", EVAL, "=, !=, <, <=, >, >=, IN, BETWEEN, IS NULL")
    assert rows["has_logs"] == ("boolean", "-", "=, !=, IS NULL, bare")


def test_schema_json_parses(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "schema", "--json")
    assert code == 0 and err == ""
    body = json.loads(out)
    assert body["root"] == "Run"
    records = {r["name"]: r for r in body["records"]}
    assert set(records) == {r.name for r in RUN_SCHEMA.records}
    run_fields = {f["name"]: f for f in records["Run"]["fields"]}
    assert run_fields["duration_ms"]["type"] == "integer"
    assert run_fields["id"]["operators"] == ["=", "!=", "IN", "IS NULL"]
    assert run_fields["metadata"]["operators"] == ["IS NULL"]
    summary = {f["name"]: f for f in records["EvaluationSummary"]["fields"]}
    assert summary["score"]["scope"] == EVAL


# --------------------------------------------------------------------------- console script

def _console_script() -> str | None:
    return shutil.which("qexpr") or shutil.which("qexpr", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(_console_script() is None, reason="the qexpr console script is not installed")
def test_installed_console_script() -> None:
    script = _console_script()
    assert script is not None
    good = subprocess.run([script, "check", f'id = "{U.upper()}"'], capture_output=True,
                          text=True, timeout=60, check=False)
    assert (good.returncode, good.stdout, good.stderr) == (0, f'id = "{U}"\n', "")
    bad = subprocess.run([script, "check", "xx = 1 AND failure_code = 1"], capture_output=True,
                         text=True, timeout=60, check=False)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("^") == 3
