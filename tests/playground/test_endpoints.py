"""The page and ``GET /v1/compile`` over HTTP on a real ``qexpr serve``."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qexpr
from tests.playground.conftest import ORG, TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_the_page_and_its_files_are_served_without_a_token(server_url: str) -> None:
    page = httpx.get(server_url + "/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<label for="q">' in page.text or 'for="q"' in page.text
    assert TOKEN not in page.text  # nothing secret is embedded
    script = httpx.get(server_url + "/static/playground.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert httpx.get(server_url + "/static/vendor/antlr4.web.mjs").status_code == 200
    missing = httpx.get(server_url + "/static/nothing.js")
    assert missing.status_code == 404


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite", "clickhouse"])
def test_compile_gives_the_canonical_q_and_the_sql_qexpr_gives(server_url: str,
                                                                dialect: str) -> None:
    q = "duration_ms>1000 and model.slug in ('a','b') AND current_evaluation_summary.score > 0.5"
    got = httpx.get(server_url + "/v1/compile", headers=AUTH,
                    params={"q": q, "dialect": dialect})
    assert got.status_code == 200, got.text
    found = qexpr.compile(q, scopes=["evaluations:read"])
    sql, params = found.to_sql(dialect)
    assert got.json() == {"q": found.to_q(), "dialect": dialect, "sql": sql, "params": params}


def test_compile_errors_are_problems_with_every_error_of_q(server_url: str) -> None:
    got = httpx.get(server_url + "/v1/compile", headers=AUTH,
                    params={"q": "duraton_ms > 1 AND cost = 'x'", "dialect": "sqlite"})
    assert got.status_code == 400
    body = got.json()
    assert body["code"] == "unknown_field"
    first = body["errors"][0]
    assert (first["param"], first["start"], first["end"], first["suggestion"]) == (
        "q", 0, 10, "duration_ms")
    assert all(e["param"] == "q" for e in body["errors"])


def test_compile_scopes_narrow_the_token_and_may_not_widen_it(server_url: str) -> None:
    q = "current_evaluation_summary.score > 0.5"
    narrowed = httpx.get(server_url + "/v1/compile", headers=AUTH,
                         params={"q": q, "scopes": ""})
    assert narrowed.status_code == 400
    assert narrowed.json()["errors"][0]["code"] == "forbidden_field"
    wider = httpx.get(server_url + "/v1/compile", headers=AUTH,
                      params={"q": q, "scopes": "evaluations:read,admin"})
    assert (wider.status_code, wider.json()["code"]) == (403, "forbidden_scope")


def test_compile_refuses_an_unknown_dialect_and_a_missing_token(server_url: str) -> None:
    bad = httpx.get(server_url + "/v1/compile", headers=AUTH,
                    params={"q": "has_logs", "dialect": "oracle"})
    assert bad.status_code == 400
    error = bad.json()["errors"][0]
    assert (error["param"], error["code"], error["start"], error["end"]) == (
        "dialect", "invalid_literal", 0, 6)
    assert httpx.get(server_url + "/v1/compile", params={"q": "has_logs"}).status_code == 401


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["duration_ms", "cost", "has_logs", "model.slug", "metadata.team",
                        "nodes_total"]),
       st.sampled_from(["=", "!=", ">", "<=", "==", "~"]),
       st.sampled_from(["1", "'a'", "true", "null", "1.5", "'", "now() - 1d"]))
def test_compile_answers_what_qexpr_compile_answers(server_url: str, field: str, op: str,
                                                    value: str) -> None:
    q = f"{field} {op} {value}"
    got = httpx.get(server_url + "/v1/compile", headers=AUTH,
                    params={"q": q, "dialect": "sqlite"})
    try:
        found = qexpr.compile(q, scopes=["evaluations:read"])
    except qexpr.QError as exc:
        assert got.status_code == 400
        assert [(e["code"], e["start"], e["end"]) for e in got.json()["errors"]] == [
            (str(e.code), e.start, e.end) for e in exc.errors]
        return
    assert got.status_code == 200
    assert got.json()["q"] == found.to_q()
    if not found.uses_now:
        assert got.json()["sql"] == found.to_sql("sqlite")[0]


def test_runs_still_answer_as_before(server_url: str) -> None:
    got = httpx.get(server_url + "/v1/runs", params={"limit": "3"},
                    headers={**AUTH, "X-Organization-Id": ORG})
    assert got.status_code == 200
    assert len(got.json()["items"]) == 3
