"""``qexpr.asgi`` in a plain Starlette app (no FastAPI), through httpx's ASGI transport:
async scope and organisation functions, a single-tenant app, and the problem bodies."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any
from uuid import UUID

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import qexpr
from qexpr.asgi import (
    SearchDependency,
    install_handlers,
    json_response,
    problem_body,
    unauthorized,
)
from qexpr.backends.sql import load_records, reference_ddl

ORG = UUID("7d1c0a52-2f7e-4b8a-9c55-1f4f4d8f0a01")


def _db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.executescript(reference_ddl("sqlite"))
    load_records(conn, qexpr.example_runs(), "sqlite")
    return conn


async def _scopes(request: Request) -> list[str]:
    await asyncio.sleep(0)
    token = request.headers.get("authorization", "")
    if token not in ("Bearer reader", "Bearer evaluator"):
        raise unauthorized("no valid token")
    return ["evaluations:read"] if token == "Bearer evaluator" else []


async def _may_read(request: Request, org: UUID) -> bool:
    await asyncio.sleep(0)
    return org == ORG


def _app(dependency: SearchDependency, conn: sqlite3.Connection) -> Starlette:
    async def runs(request: Request) -> Response:
        search = await dependency(request)
        return json_response(search.execute(conn, "sqlite").to_dict())

    app = Starlette(routes=[Route("/v1/runs", runs)])
    install_handlers(app)
    return app


def _get(app: Starlette, headers: dict[str, str], params: dict[str, str]) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            return await client.get("/v1/runs", headers=headers, params=params)

    return asyncio.run(go())


def test_async_functions_for_scopes_and_organisations() -> None:
    conn = _db()
    app = _app(SearchDependency(scopes=_scopes, org_allowed=_may_read), conn)
    params = {"embed": "current_evaluation_summary", "limit": "3"}
    good = {"Authorization": "Bearer evaluator", "X-Organization-Id": str(ORG)}
    response = _get(app, good, params)
    assert response.status_code == 200
    expected = qexpr.compile_search(params, scopes=["evaluations:read"], org_id=ORG)
    assert response.json() == expected.execute(conn, "sqlite").to_dict()
    reader = {**good, "Authorization": "Bearer reader"}
    refused = _get(app, reader, params).json()
    assert refused["status"] == 400 and refused["errors"][0]["code"] == "forbidden_field"
    other = {**good, "X-Organization-Id": "0a000000-0000-4000-8000-00000000000a"}
    assert _get(app, other, params).status_code == 403
    nobody = _get(app, {"X-Organization-Id": str(ORG)}, params)
    assert nobody.status_code == 401 and "Bearer" in nobody.headers["www-authenticate"]


def test_a_single_tenant_app_has_no_org_condition() -> None:
    conn = _db()
    app = _app(SearchDependency(org_header=None, strict=True), conn)
    params = {"q": "duration_ms > 1000", "limit": "5"}
    response = _get(app, {}, params)
    assert response.json() == qexpr.compile_search(params).execute(conn, "sqlite").to_dict()
    bad = _get(app, {}, {"lmit": "5"}).json()
    assert [(e["param"], e["code"], e["suggestion"]) for e in bad["errors"]] == [
        ("lmit", "unknown_field", "limit")]


def _error(params: dict[str, Any]) -> qexpr.QError:
    try:
        qexpr.compile_search(params)
    except qexpr.QError as error:
        return error
    raise AssertionError("no error")


def test_problem_body_counts_the_other_errors() -> None:
    one = problem_body(_error({"limit": "0"}))
    assert one["detail"] == "limit: limit must be between 1 and 500"
    two = problem_body(_error({"limit": "0", "q": "("}))
    assert two["detail"].endswith("(and 1 more error)") and len(two["errors"]) == 2
    three = problem_body(_error({"limit": "0", "q": "(", "from_prev": "x"}))
    assert three["detail"].endswith("(and 2 more errors)")
    assert problem_body(_error({"q": "("}), type_uri="https://example.com/bad",
                        instance="/x")["type"] == "https://example.com/bad"
