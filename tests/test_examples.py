"""``qexpr.example_runs()``: the bundled runs, public, fresh on every call, and the one
reader of the data file (the CLI's in-memory database holds exactly them)."""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import qexpr
from qexpr.cli.main import main as cli_main
from qexpr.search import compile_search

SRC = Path(__file__).resolve().parents[1] / "src" / "qexpr"


def test_example_runs_are_api_shaped_runs() -> None:
    runs = qexpr.example_runs()
    assert len(runs) >= 100
    ids = [r["id"] for r in runs]
    assert len(set(ids)) == len(ids)
    page = compile_search({"limit": "500"}).apply(runs)
    assert {item["id"] for item in page.items} == set(ids)


def test_every_call_returns_fresh_objects() -> None:
    first = qexpr.example_runs()
    first[0]["id"] = "changed"
    first[0]["model"] = None
    first.clear()
    again = qexpr.example_runs()
    assert again and again[0]["id"] != "changed"
    assert again == qexpr.example_runs() and again is not qexpr.example_runs()


def test_the_cli_reads_the_runs_through_the_public_function() -> None:
    from qexpr.cli import data_commands

    assert data_commands.example_runs is qexpr.example_runs
    readers = sorted(p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
                     if "example_runs.jsonl" in p.read_text(encoding="utf-8"))
    assert readers == ["examples.py"], readers


def test_the_cli_query_serves_the_example_runs() -> None:
    newest = compile_search({"limit": "1"}).apply(qexpr.example_runs()).items[0]
    out = io.StringIO()
    with redirect_stdout(out):
        code = cli_main(["query", "", "--json", "--limit", "1", "--fields", "id"])
    assert code == 0
    assert f'"{newest["id"]}"' in out.getvalue()


def test_import_qexpr_loads_no_example_data() -> None:
    code = ("import sys, qexpr\n"
            "print('qexpr.examples' in sys.modules, 'json' in sys.modules)\n"
            "runs = qexpr.example_runs()\n"
            "print(len(runs) > 0, 'qexpr.schema' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["False", "False", "True", "False"]
