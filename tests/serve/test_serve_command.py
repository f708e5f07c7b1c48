"""``qexpr serve`` from the command line: no arguments needed (the bundled example runs, a
generated token, 127.0.0.1), and bad options fail on one line without a traceback."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import httpx
import pytest

import qexpr
from tests.serve.conftest import ROOT, start, stop

ORG = "7d1c0a52-2f7e-4b8a-9c55-1f4f4d8f0a01"


def test_without_arguments_it_serves_the_example_runs_with_a_printed_token() -> None:
    url, process = start([])
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("qexpr serve: token ")
        token = line.split()[3]
        playground = process.stdout.readline().split()
        assert playground[:3] == ["qexpr", "serve:", "playground"]
        assert playground[3] == f"{url}/#token={token}"
        page = httpx.get(playground[3].split("#")[0])
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        headers = {"Authorization": f"Bearer {token}", "X-Organization-Id": ORG}
        body = httpx.get(url + "/v1/runs", params={"limit": "500"}, headers=headers).json()
        assert sorted(item["id"] for item in body["items"]) == sorted(
            run["id"] for run in qexpr.example_runs() if run["org_id"] == ORG)  # org A's
        # the generated token has every scope of the schema
        protected = httpx.get(url + "/v1/runs", headers=headers,
                              params={"embed": "current_evaluation_summary", "limit": "1"})
        assert protected.status_code == 200
        assert "Server-Timing" not in protected.headers  # timing is off unless asked
        assert httpx.get(url + "/v1/runs", headers={"X-Organization-Id": ORG}
                         ).status_code == 401
    finally:
        stop(process)


def test_tokens_from_options() -> None:
    url, process = start(["--token", f"tok-1:{ORG}:evaluations:read", "--token", "tok-2:*"])
    try:
        for token in ("tok-1", "tok-2"):
            headers = {"Authorization": f"Bearer {token}", "X-Organization-Id": ORG}
            assert httpx.get(url + "/v1/runs", headers=headers).status_code == 200
        scoped = {"embed": "current_evaluation_summary"}
        assert httpx.get(url + "/v1/runs", params=scoped, headers={
            "Authorization": "Bearer tok-2", "X-Organization-Id": ORG}).status_code == 400
        assert httpx.get(url + "/v1/runs", params=scoped, headers={
            "Authorization": "Bearer tok-1", "X-Organization-Id": ORG}).status_code == 200
        other = {"Authorization": "Bearer tok-1",
                 "X-Organization-Id": "0a000000-0000-4000-8000-00000000000a"}
        assert httpx.get(url + "/v1/runs", headers=other).status_code == 403
    finally:
        stop(process)


@pytest.mark.parametrize(("args", "message"), [
    (["--db", "/nonexistent/runs.db"], "no SQLite database at /nonexistent/runs.db"),
    (["--token", "only-a-token"], "a token is TOKEN:ORGS[:SCOPES]"),
    (["--token", "t:not-an-org"], "not an organisation id"),
    (["--tokens", "/nonexistent/tokens.json"], "No such file"),
    (["--db", "host=127.0.0.1 port=1 user=nobody dbname=none connect_timeout=2"],
     "qexpr serve: database error:"),
])
def test_bad_options_fail_on_one_line(args: list[str], message: str) -> None:
    out = subprocess.run([sys.executable, "-m", "qexpr.cli.main", "serve", "--port", "0",
                          *args], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 1
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "Traceback" not in out.stderr


def test_import_qexpr_imports_no_web_framework() -> None:
    code = ("import sys, qexpr\n"
            "print(','.join(m for m in ('starlette', 'fastapi', 'uvicorn', 'httpx',"
            " 'qexpr.asgi', 'qexpr.serve') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""


def test_a_failing_database_is_a_500_problem_and_the_server_goes_on(tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    with closing(sqlite3.connect(broken)) as conn:
        conn.execute("CREATE TABLE unrelated (x)")
        conn.commit()
    url, process = start(["--db", str(broken), "--token", f"t:{ORG}"])
    try:
        headers = {"Authorization": "Bearer t", "X-Organization-Id": ORG}
        for _ in range(3):
            response = httpx.get(url + "/v1/runs", headers=headers)
            assert response.status_code == 500
            assert response.headers["content-type"] == "application/problem+json"
            body = response.json()
            assert body["code"] == "internal_error" and "runs" not in body["detail"]
        assert httpx.get(url + "/v1/runs", headers=headers, params={"limit": "0"}
                         ).status_code == 400
    finally:
        stop(process)


def test_the_embedded_database_serves_concurrent_requests() -> None:
    import asyncio

    url, process = start(["--token", "t:*"])
    headers = {"Authorization": "Bearer t", "X-Organization-Id": ORG}
    params = {"limit": "20", "embed": "model,node_runs,logs"}

    async def many() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as client:
            return list(await asyncio.gather(*(client.get("/v1/runs", params=params)
                                               for _ in range(40))))

    try:
        expected = httpx.get(url + "/v1/runs", params=params, headers=headers).json()
        responses = asyncio.run(many())
        assert all(r.status_code == 200 and r.json() == expected for r in responses)
    finally:
        stop(process)
