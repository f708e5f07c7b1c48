"""The documented FastAPI example (docs/examples/fastapi_app.py) under a real uvicorn: at
most 30 lines, and it serves GET /v1/runs like the library (401, 403, 400 problem bodies,
the page of the library) with every seed parameter in its OpenAPI document."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import qexpr
from qexpr.asgi import error_entry, problem_schema
from qexpr.backends.sql import load_records, reference_ddl
from tests.serve.conftest import ROOT, stop

EXAMPLE = ROOT / "docs" / "examples" / "fastapi_app.py"
ORG = "7d1c0a52-2f7e-4b8a-9c55-1f4f4d8f0a01"
AUTH = {"Authorization": "Bearer test-token", "X-Organization-Id": ORG}


@pytest.fixture(scope="module")
def example_url() -> Iterator[str]:
    cmd = [sys.executable, "-m", "uvicorn", "--app-dir", str(EXAMPLE.parent), "--host",
           "127.0.0.1", "--port", "0", "--log-level", "info", "--no-access-log", "fastapi_app:app"]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "RUNS_TOKEN": "test-token"})
    assert process.stderr is not None
    url = None
    for line in process.stderr:
        found = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", line)
        if found:
            url = found.group(1)
            break
    try:
        assert url is not None, "uvicorn did not start the example"
        yield url
    finally:
        stop(process)


def test_the_example_is_at_most_30_lines() -> None:
    assert len(EXAMPLE.read_text(encoding="utf-8").splitlines()) <= 30


def _library_page(params: dict[str, str]) -> dict[str, Any]:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.executescript(reference_ddl("sqlite"))
    load_records(conn, qexpr.example_runs(), "sqlite")
    return qexpr.compile_search(params, org_id=ORG).execute(conn, "sqlite").to_dict()


def test_the_example_serves_runs_like_the_library(example_url: str) -> None:
    params = {"q": "duration_ms > 1000", "limit": "4", "embed": "model,logs",
              "sort_by": "cost:desc"}
    response = httpx.get(example_url + "/v1/runs", params=params, headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.json() == _library_page(params)
    nxt = response.json()["next"]
    following = httpx.get(example_url + "/v1/runs", params={**params, "pq": nxt},
                          headers=AUTH)
    assert following.json() == _library_page({**params, "pq": nxt})


def test_the_example_refuses_like_the_server(example_url: str) -> None:
    url = example_url + "/v1/runs"
    assert httpx.get(url, headers={"X-Organization-Id": ORG}).status_code == 401
    other = {**AUTH, "X-Organization-Id": "0a000000-0000-4000-8000-00000000000a"}
    assert httpx.get(url, headers=other).status_code == 403
    missing = {"Authorization": AUTH["Authorization"]}
    assert httpx.get(url, headers=missing).status_code == 403
    params = {"q": "nope = 1", "limit": "0", "embed": "current_evaluation_summary"}
    response = httpx.get(url, params=params, headers=AUTH)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    with pytest.raises(qexpr.QError) as caught:
        qexpr.compile_search(params, org_id=ORG)
    assert response.json()["errors"] == [error_entry(e) for e in caught.value.errors]


def test_the_openapi_document_shows_every_seed_parameter(example_url: str) -> None:
    doc = httpx.get(example_url + "/openapi.json").json()
    operation = doc["paths"]["/v1/runs"]["get"]
    by_name = {p["name"]: p for p in operation["parameters"]}
    assert set(by_name) == {"q", "limit", "sort_by", "fields", "embed", "pq", "from_prev",
                            "evaluation_status", "evaluation_issue_category",
                            "evaluation_issue_subcategory", "X-Organization-Id"}
    assert by_name["limit"]["schema"]["anyOf"][0] == {"type": "integer", "minimum": 1,
                                                      "maximum": 500}
    assert by_name["from_prev"]["schema"] == {"type": "boolean", "default": False}
    assert by_name["evaluation_status"]["schema"]["anyOf"][0]["enum"] == [
        "passed", "failed", "not_evaluated"]
    embed = by_name["embed"]["description"]
    for relation in qexpr.RUN_SCHEMA.root_record.relations:
        assert relation.name in embed
    assert "current_evaluation_summary requires evaluations:read" in embed
    assert by_name["X-Organization-Id"]["in"] == "header"
    for status in ("400", "401", "403"):
        content = operation["responses"][status]["content"]
        assert content["application/problem+json"]["schema"] == problem_schema()
    assert "422" not in operation["responses"]
