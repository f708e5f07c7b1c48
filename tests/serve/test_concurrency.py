"""Tenant isolation under load: clients of several organisations page through the same
server at the same time (httpx's async client, many requests in flight); no response ever
holds a run of another organisation, and every client sees exactly its organisation's runs."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any
from uuid import UUID

import httpx

from tests.serve.conftest import ORG_A, ORG_B, ORG_C, Server, tenant_runs

CLIENTS = [("token-a", ORG_A), ("token-ab", ORG_A), ("token-ab", ORG_B), ("token-b", ORG_B),
           ("token-c", ORG_C), ("token-all", ORG_C), ("token-all", ORG_B), ("token-all", ORG_A)]
QUERIES = ["", f'org_id != "{ORG_A}" OR org_id = "{ORG_A}"', "duration_ms > 0 OR cost >= 0",
           f'NOT (org_id = "{ORG_B}")']


async def _walk(client: httpx.AsyncClient, token: str, org: UUID, q: str, limit: int
                ) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}", "X-Organization-Id": str(org)}
    params: dict[str, str] = {"q": q, "limit": str(limit), "fields": "id,org_id",
                              "embed": "model"}
    seen: list[dict[str, Any]] = []
    while True:
        response = await client.get("/v1/runs", params=params, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        stray = [item["id"] for item in body["items"] if item["org_id"] != str(org)]
        assert not stray, f"{token} reading {org} got runs of another org: {stray}"
        seen += body["items"]
        if body["next"] is None:
            return seen
        params["pq"] = body["next"]


async def _all(server: Server) -> list[tuple[UUID, str, list[dict[str, Any]]]]:
    limits = httpx.Limits(max_connections=32)
    async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as client:
        jobs = [(org, q, _walk(client, token, org, q, 3 + i % 5))
                for i, ((token, org), q) in enumerate(
                    (c, q) for q in QUERIES for c in CLIENTS)]
        results = await asyncio.gather(*(job for _, _, job in jobs))
    return [(org, q, items) for (org, q, _), items in zip(jobs, results, strict=True)]


def test_concurrent_clients_of_several_orgs_see_only_their_own(server: Server) -> None:
    per_org = Counter(run["org_id"] for run in tenant_runs())
    outcomes = asyncio.run(_all(server))
    assert len(outcomes) == len(CLIENTS) * len(QUERIES)
    for org, q, items in outcomes:
        ids = [item["id"] for item in items]
        assert len(ids) == len(set(ids)), (org, q)
        if q in ("", QUERIES[1]):  # these match every run of the org
            assert len(ids) == per_org[str(org)], (org, q)
