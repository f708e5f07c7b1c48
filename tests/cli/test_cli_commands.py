"""The ``qexpr`` command: parse, sql, load, query and filter, run in-process on real files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from qexpr.cli.data_commands import example_runs
from qexpr.cli.main import main

Capture = pytest.CaptureFixture[str]


@pytest.mark.parametrize("engine", ["native", "lark", "antlr"])
def test_parse_prints_the_canonical_form(engine: str, capsys: Capture) -> None:
    assert main(["parse", "a = 1 and NOT b or c IN (1,2,)", "--engine", engine]) == 0
    assert capsys.readouterr().out == "a = 1 AND NOT b = true OR c IN (1, 2)\n"


@pytest.mark.parametrize("engine", ["native", "lark", "antlr"])
def test_parse_error_shows_caret_and_exits_2(engine: str, capsys: Capture) -> None:
    assert main(["parse", "duration_ms == 5", "--engine", engine]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[:3] == [
        "syntax_error: `==` is not an operator in q",
        "  duration_ms == 5",
        "              ^^",
    ]
    assert "use = instead of ==" in err


def test_parse_json(capsys: Capture) -> None:
    assert main(["parse", "x = -5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["q"] == "x = -5"
    assert out["ast"]["node"] == "Comparison"
    assert out["ast"]["operand"] == {"node": "Number", "value": "-5", "span": [4, 6]}
    assert main(["parse", "x = ", "--json"]) == 2
    error = json.loads(capsys.readouterr().out)
    assert (error["code"], error["start"], error["end"]) == ("syntax_error", 4, 4)


def test_sql_prints_text_and_parameters(capsys: Capture) -> None:
    assert main(["sql", 'client_ref = "\'; DROP TABLE runs; --"', "--dialect", "sqlite"]) == 0
    out = capsys.readouterr().out
    first, *params = out.splitlines()
    assert "DROP" not in first and "?" in first
    assert params == ["  $1 = \"'; DROP TABLE runs; --\""]
    assert main(["sql", "duration_ms > 5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "%s" in data["sql"] and data["params"] == [6]


def write_runs(path: Path, runs: list[dict[str, object]], *, body: bool = False) -> None:
    if body:
        path.write_text(json.dumps({"items": runs, "first": None, "next": None,
                                    "previous": None}, indent=2), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in runs), encoding="utf-8")


@pytest.mark.parametrize("body", [False, True], ids=["jsonl", "response-body"])
def test_load_then_query(tmp_path: Path, capsys: Capture, body: bool) -> None:
    runs = example_runs()[:40]
    source = tmp_path / "runs.json"
    write_runs(source, runs, body=body)
    db = tmp_path / "runs.sqlite"
    assert main(["load", str(source), "--db", str(db)]) == 0
    assert capsys.readouterr().err.startswith("loaded 40 runs into ")
    with sqlite3.connect(db) as conn:
        assert conn.execute('SELECT count(*) FROM "runs"').fetchone() == (40,)
    query = 'failure_code = "oom" OR any(node_runs, retry_count >= 3)'
    expected = {r["id"] for r in runs if qexpr_matches(query, r)}
    assert main(["query", query, "--db", str(db), "--json", "--limit", "500"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert {item["id"] for item in page["items"]} == expected
    assert expected  # the example data has such runs


def qexpr_matches(q: str, run: dict[str, object]) -> bool:
    import qexpr

    return qexpr.compile(q).matches(run)


def test_query_without_db_uses_the_bundled_examples(capsys: Capture) -> None:
    assert main(["query", 'model.slug = "sdxl"', "--limit", "500", "--json"]) == 0
    page = json.loads(capsys.readouterr().out)
    expected = {r["id"] for r in example_runs() if r["model"]["slug"] == "sdxl"}
    assert {item["id"] for item in page["items"]} == expected


def test_query_missing_db_is_an_error(tmp_path: Path, capsys: Capture) -> None:
    assert main(["query", "duration_ms > 1", "--db", str(tmp_path / "none.sqlite")]) == 1
    assert "qexpr load" in capsys.readouterr().err


def test_filter_streams_matching_lines(tmp_path: Path, capsys: Capture) -> None:
    runs = example_runs()[:30]
    source = tmp_path / "runs.jsonl"
    write_runs(source, runs)
    lines = source.read_text(encoding="utf-8").splitlines()
    assert main(["filter", "duration_ms > 1000", str(source)]) == 0
    out = capsys.readouterr().out.splitlines()
    expected = [line for line, r in zip(lines, runs, strict=True)
                if isinstance(r["duration_ms"], int) and r["duration_ms"] > 1000]
    assert out == expected and expected


def test_filter_reports_a_bad_filter(tmp_path: Path, capsys: Capture) -> None:
    source = tmp_path / "runs.jsonl"
    write_runs(source, example_runs()[:2])
    assert main(["filter", "duraton_ms > 1", str(source)]) == 2
    assert "did you mean duration_ms?" in capsys.readouterr().err


def _broken_database(path: Path) -> Path:
    """A SQLite file whose runs table lacks the reference columns."""
    with sqlite3.connect(path) as conn:
        conn.execute('CREATE TABLE "runs" ("id" TEXT)')
    return path


@pytest.mark.parametrize("args", [
    ["query", "cost > 1"],
    ["query", "", "--sort", "failure_message"],
    ["query", "--embed", "model"],
])
def test_query_database_error_is_one_line(tmp_path: Path, args: list[str],
                                          capsys: Capture) -> None:
    db = _broken_database(tmp_path / "broken.db")
    assert main([*args, "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("qexpr: database error: "), captured.err
    assert "no such column" in lines[0] and "Traceback" not in captured.err


def test_not_a_database_is_one_line(tmp_path: Path, capsys: Capture) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database\n" * 200)
    runs = tmp_path / "runs.jsonl"
    runs.write_text(json.dumps(example_runs()[0]) + "\n", encoding="utf-8")
    for args in (["query", "", "--db", str(junk)], ["load", str(runs), "--db", str(junk)]):
        assert main(args) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("qexpr: database error: "), err


def test_filter_names_a_bad_line(tmp_path: Path, capsys: Capture) -> None:
    source = tmp_path / "runs.jsonl"
    source.write_text(json.dumps(example_runs()[0]) + "\n\n{oops\n" + "x\n" * 1000,
                      encoding="utf-8")
    assert main(["filter", "duration_ms > 1", str(source)]) == 1
    err = capsys.readouterr().err
    assert err == "qexpr: line 3: not a JSON value: Expecting property name enclosed in " \
                  "double quotes (column 2)\n"
