"""`qexpr query` with --sort, --fields, --embed, --limit, --page-cursor and --prev."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from qexpr.cli.data_commands import example_runs
from qexpr.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def page(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = run(capsys, "query", "--json", *argv)
    assert code == 0, err
    body: dict[str, Any] = json.loads(out)
    return body


def test_paging_through_the_examples_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("duration_ms > 1000", "--sort", "cost:desc", "--fields", "id,cost", "--limit", "7")
    seen: list[str] = []
    pages = [page(capsys, *args)]
    while pages[-1]["next"]:
        pages.append(page(capsys, *args, "--page-cursor", pages[-1]["next"]))
    seen = [item["id"] for p in pages for item in p["items"]]
    assert len(seen) == len(set(seen)) > 7
    assert all(set(item) == {"id", "cost"} for p in pages for item in p["items"])
    costs = [item["cost"] for p in pages for item in p["items"]]
    present = [float(c) for c in costs if c is not None]
    assert present == sorted(present, reverse=True) and costs[: costs.count(None)] == \
        [None] * costs.count(None)  # NULL is the largest value: first when descending
    back = page(capsys, *args, "--page-cursor", pages[-1]["previous"], "--prev")
    assert back["items"] == pages[-2]["items"]
    last = page(capsys, *args, "--prev")
    assert last["items"][-1] == pages[-1]["items"][-1] and last["next"] is None


def test_human_output_shows_cursors(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "--limit", "2", "--embed", "model,node_runs")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "created_at", "duration_ms", "failure_code",
                                "client_ref", "cost", "node_runs", "model"]
    assert "2 runs on this page: (all), sorted by created_at:desc,id:desc" in out
    cursor = next(line for line in lines if line.startswith("next:")).split()[1]
    code, out, _ = run(capsys, "query", "--limit", "2", "--page-cursor", cursor)
    assert code == 0 and "previous: -" not in out


def test_bad_options_are_qerrors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "--sort", "creatd_at", "--limit", "0")
    assert code == 2
    assert "sort_by: unknown_field" in err and "limit: invalid_literal" in err
    assert "did you mean created_at?" in err
    code, out, _ = run(capsys, "query", "--json", "--limit", "abc")
    assert code == 2 and json.loads(out)["param"] == "limit"
    cursor = page(capsys, "cost > 0", "--limit", "1")["next"]
    code, _, err = run(capsys, "query", "cost > 1", "--page-cursor", cursor)
    assert code == 2 and "another search" in err


def test_paging_a_loaded_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "runs.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in example_runs()[:12]) + "\n")
    db = str(tmp_path / "runs.db")
    assert run(capsys, "load", str(source), "--db", db)[0] == 0
    first = page(capsys, "--db", db, "--limit", "5", "--sort", "client_ref")
    second = page(capsys, "--db", db, "--limit", "5", "--sort", "client_ref",
                  "--page-cursor", first["next"])
    third = page(capsys, "--db", db, "--limit", "5", "--sort", "client_ref",
                 "--page-cursor", second["next"])
    assert [len(p["items"]) for p in (first, second, third)] == [5, 5, 2]
    assert third["next"] is None
    with sqlite3.connect(db) as conn:
        assert conn.execute('SELECT count(*) FROM "runs"').fetchone()[0] == 12
