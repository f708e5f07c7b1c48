"""``qexpr serve`` as a client sees it: a real uvicorn process on 127.0.0.1 over SQLite and
PostgreSQL, driven by httpx. Answers are compared with the library run directly on the same
database (the server must serve exactly what ``compile_search(...).execute`` gives)."""

from __future__ import annotations

from contextlib import closing
from typing import Any
from uuid import UUID

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr.asgi import error_entry
from qexpr.completion import complete
from tests.serve.conftest import ORG_A, ORG_B, ORG_C, Server


def get(server: Server, token: str | None, org: UUID | str | None,
        params: dict[str, Any] | list[tuple[str, str]] | None = None,
        path: str = "/v1/runs") -> httpx.Response:
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if org is not None:
        headers["X-Organization-Id"] = str(org)
    return httpx.get(server.url + path, params=params, headers=headers, timeout=30)


def direct(server: Server, params: dict[str, Any], org: UUID, scopes: tuple[str, ...] = ()
           ) -> dict[str, Any]:
    """The body the library itself gives for the request on the server's database."""
    search = qexpr.compile_search(params, scopes=scopes, org_id=org, strict=True)
    with closing(server.connect()) as conn:
        return search.execute(conn, server.dialect).to_dict()


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["instance"] == response.request.url.path
    return body


# --------------------------------------------------------------------------- auth and tenancy


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer  x y", "Basic dG9rZW4tYQ==",
                                    "Bearer token-x", "Bearer token-a2", "token-a"])
def test_without_a_valid_token_401(server: Server, header: str | None) -> None:
    headers = {"X-Organization-Id": str(ORG_A)}
    if header is not None:
        headers["Authorization"] = header
    for path in ("/v1/runs", "/v1/complete"):
        response = httpx.get(server.url + path, headers=headers, params={"limit": "x"})
        body = problem(response, 401)
        assert body["code"] == "unauthorized"
        assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("token", "org", "code"), [
    ("token-a", None, "missing_organization"),
    ("token-a", "", "missing_organization"),
    ("token-a", "not-an-id", "invalid_organization"),
    ("token-a", ORG_B, "forbidden_organization"),
    ("token-b", ORG_A, "forbidden_organization"),
    ("token-ab", ORG_C, "forbidden_organization"),
    ("token-c", ORG_A, "forbidden_organization"),
])
def test_an_org_the_token_may_not_read_403(server: Server, token: str, org: Any,
                                           code: str) -> None:
    # 403 comes before the parameters are looked at: bad ones change nothing
    body = problem(get(server, token, org, {"limit": "0", "q": "("}), 403)
    assert body["code"] == code


def test_a_repeated_org_header_is_refused(server: Server) -> None:
    for orgs in ((ORG_A, ORG_B), (ORG_A, ORG_A)):
        headers = [("Authorization", "Bearer token-ab")] + [("X-Organization-Id", str(o))
                                                            for o in orgs]
        response = httpx.get(server.url + "/v1/runs", headers=headers)
        assert problem(response, 403)["code"] == "invalid_organization"


@pytest.mark.parametrize(("token", "org"), [("token-a", ORG_A), ("token-ab", ORG_B),
                                            ("token-all", ORG_C), ("token-c", ORG_C)])
def test_a_page_is_the_librarys_page_of_the_org(server: Server, token: str, org: UUID) -> None:
    params = {"q": "duration_ms > 100 OR failure_code IS NULL", "limit": "7",
              "sort_by": "cost:desc", "embed": "model,node_runs,logs"}
    response = get(server, token, org, params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["items", "first", "next", "previous"]
    assert body == direct(server, params, org)
    assert body["items"] and all(item["org_id"] == str(org) for item in body["items"])


def test_every_org_sees_only_its_runs_whatever_q(server: Server) -> None:
    sneaky = [f'org_id = "{ORG_B}"', f'org_id != "{ORG_A}"', f'NOT org_id = "{ORG_A}"',
              f'org_id = "{ORG_A}" OR has_logs IS NULL OR NOT has_logs IS NULL',
              f'org_id IN ("{ORG_B}", "{ORG_C}") OR id IS NOT NULL']
    for q in sneaky:
        response = get(server, "token-a", ORG_A, {"q": q, "limit": "500"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert all(item["org_id"] == str(ORG_A) for item in body["items"]), q
        assert body == direct(server, {"q": q, "limit": "500"}, ORG_A)


def test_protected_embed_needs_the_tokens_scope(server: Server) -> None:
    params = {"embed": "current_evaluation_summary", "limit": "3"}
    body = problem(get(server, "token-a", ORG_A, params), 400)
    assert [(e["param"], e["code"]) for e in body["errors"]] == [("embed", "forbidden_field")]
    ok = get(server, "token-ab", ORG_A, params)
    assert ok.status_code == 200
    assert ok.json() == direct(server, params, ORG_A, ("evaluations:read",))


# --------------------------------------------------------------------------- bad requests


@pytest.mark.parametrize("params", [
    {"q": "duraton_ms > 1 AND (", "limit": "0", "sort_by": "cost:up", "fields": "id,nope",
     "embed": "modle", "pq": "garbage", "from_prev": "maybe"},
    {"limit": "501"},
    {"q": "cost >"},
    {"q": "  duraton_ms = 1", "sort_by": "  input:asc"},
    {"lmit": "5"},
    {"from_prev": "yes", "embed": "current_evaluation_summary"},
])
def test_bad_requests_list_every_error_as_the_library_does(server: Server,
                                                          params: dict[str, str]) -> None:
    body = problem(get(server, "token-a", ORG_A, params), 400)
    with pytest.raises(qexpr.QError) as caught:
        qexpr.compile_search(params, org_id=ORG_A, strict=True)
    expected = [error_entry(e) for e in caught.value.errors]
    assert body["errors"] == expected
    assert body["code"] == expected[0]["code"] and body["title"] == "Bad Request"
    assert body["detail"].startswith(f"{expected[0]['param']}: {expected[0]['message']}")
    for entry in body["errors"]:
        assert set(entry) == {"param", "code", "start", "end", "line", "column", "message",
                              "hint", "expected", "suggestion"}


def test_a_repeated_parameter_is_an_error_not_a_choice(server: Server) -> None:
    body = problem(get(server, "token-a", ORG_A, [("limit", "5"), ("limit", "500")]), 400)
    assert [(e["param"], e["code"]) for e in body["errors"]] == [("limit", "syntax_error")]


def test_the_seeds_evaluation_parameters_are_passed_through(server: Server) -> None:
    params = {"evaluation_status": "passed", "evaluation_issue_category": "quality",
              "limit": "5"}
    response = get(server, "token-ab", ORG_A, params)
    assert response.status_code == 200, response.text
    assert response.json() == direct(server, params, ORG_A, ("evaluations:read",))


def test_a_cursor_of_one_org_is_refused_in_another(server: Server) -> None:
    first = get(server, "token-ab", ORG_A, {"limit": "2"}).json()
    assert first["next"]
    body = problem(get(server, "token-ab", ORG_B, {"limit": "2", "pq": first["next"]}), 400)
    assert [(e["param"], e["code"]) for e in body["errors"]] == [("pq", "invalid_literal")]


# --------------------------------------------------------------------------- paging


@pytest.mark.parametrize(("org", "params"), [
    (ORG_A, {"limit": "7"}),
    (ORG_B, {"limit": "5", "sort_by": "duration_ms:asc", "q": "duration_ms IS NOT NULL OR "
             "cost > 0", "fields": "id,duration_ms,org_id", "embed": "model"}),
    (ORG_C, {"limit": "9", "sort_by": "model.slug,created_at:desc"}),
])
def test_paging_forward_then_back_covers_the_org_once(server: Server, org: UUID,
                                                      params: dict[str, str]) -> None:
    token = "token-all"
    everything = direct(server, {**params, "limit": "500"}, org)["items"]
    assert len(everything) > int(params["limit"]) * 2
    pages: list[list[dict[str, Any]]] = []
    body = get(server, token, org, params).json()
    while True:
        pages.append(body["items"])
        if body["next"] is None:
            break
        body = get(server, token, org, {**params, "pq": body["next"]}).json()
    assert [item for page in pages for item in page] == everything
    # back from the last page with the previous cursors, with from_prev=true
    back = [pages[-1]]
    while body["previous"] is not None:
        body = get(server, token, org, {**params, "pq": body["previous"],
                                        "from_prev": "true"}).json()
        back.append(body["items"])
    assert back[::-1] == pages
    # from_prev alone is the last page
    last = get(server, token, org, {**params, "from_prev": "true"}).json()
    assert last["items"] == everything[-int(params["limit"]):]


# --------------------------------------------------------------------------- completion, timing


def test_complete_is_the_librarys_completion_with_the_tokens_scopes(server: Server) -> None:
    for token, scopes in (("token-a", ()), ("token-b", ("evaluations:read",))):
        for q, cursor in (("cur", None), ("duration_ms > 5 AN", None), ("model.", "6")):
            params = {"q": q} if cursor is None else {"q": q, "cursor": cursor}
            response = get(server, token, None, params, "/v1/complete")
            assert response.status_code == 200, response.text
            at = None if cursor is None else int(cursor)
            assert response.json() == {"items": [c.to_dict() for c in
                                                 complete(q, at, scopes=scopes)]}
    narrowed = get(server, "token-b", None, {"q": "cur", "scopes": ""}, "/v1/complete")
    assert narrowed.json() == {"items": [c.to_dict() for c in complete("cur")]}
    body = problem(get(server, "token-a", None, {"q": "cur", "scopes": "evaluations:read"},
                       "/v1/complete"), 403)
    assert body["code"] == "forbidden_scope"
    for bad in ("4", "-1", "x", "٣"):
        body = problem(get(server, "token-a", None, {"q": "cur", "cursor": bad},
                           "/v1/complete"), 400)
        assert [(e["param"], e["code"]) for e in body["errors"]] == [("cursor",
                                                                      "invalid_literal")]


def test_server_timing_splits_the_request(server: Server) -> None:
    response = get(server, "token-a", ORG_A, {"limit": "50", "embed": "model,node_runs,logs"})
    parts = dict(part.strip().split(";dur=") for part in
                 response.headers["server-timing"].split(","))
    ms = {name: float(value) for name, value in parts.items()}
    assert set(ms) == {"compile", "qexpr", "db", "pool", "json", "total", "qexpr_cpu",
                       "db_cpu", "json_cpu"}
    assert ms["qexpr_cpu"] > 0 and 0 <= ms["db_cpu"] <= ms["db"] + 1 and ms["json_cpu"] >= 0
    assert ms["db"] > 0 and ms["qexpr"] >= ms["compile"] > 0
    assert ms["qexpr"] + ms["db"] + ms["pool"] + ms["json"] <= ms["total"]


# --------------------------------------------------------------------------- the law, other errors

_PARAMS = st.fixed_dictionaries({}, optional={
    "q": st.one_of(st.sampled_from(["", "duration_ms > 1000", "cost >", "model.slug = \"sdxl\"",
                                    "any(node_runs, state_code = \"failed\")", "nope = 1",
                                    "current_evaluation_summary.passed = true"]),
                   st.text(alphabet="ab =<>\"()1.", max_size=12)),
    "limit": st.sampled_from(["", "1", "3", "500", "501", "0", "abc", " 7 "]),
    "sort_by": st.sampled_from(["", "cost", "duration_ms:desc", "model.slug", "nope", "input",
                                "cost:up"]),
    "fields": st.sampled_from(["", "id,cost", "id,model", "nope", "org_id,logs"]),
    "embed": st.sampled_from(["", "model", "logs,node_runs", "current_evaluation_summary",
                              "x"]),
    "from_prev": st.sampled_from(["", "true", "false", "maybe"]),
})


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=_PARAMS, who=st.sampled_from([("token-a", ORG_A, ()),
                                             ("token-b", ORG_B, ("evaluations:read",))]))
def test_the_server_answers_what_the_library_answers(server: Server, params: dict[str, str],
                                                     who: tuple[str, UUID, tuple[str, ...]]
                                                     ) -> None:
    token, org, scopes = who
    response = get(server, token, org, params)
    try:
        expected = direct(server, params, org, scopes)
    except qexpr.QError as error:
        body = problem(response, 400)
        assert body["errors"] == [error_entry(e) for e in error.errors]
    else:
        assert response.status_code == 200, response.text
        assert response.json() == expected


def test_unknown_paths_and_methods_are_problems_too(server: Server) -> None:
    headers = {"Authorization": "Bearer token-a", "X-Organization-Id": str(ORG_A)}
    missing = httpx.get(server.url + "/v1/nope", headers=headers)
    assert problem(missing, 404)["code"] == "not_found"
    wrong = httpx.post(server.url + "/v1/runs", headers=headers)
    assert problem(wrong, 405)["code"] == "method_not_allowed"
    assert "GET" in wrong.headers["allow"]
