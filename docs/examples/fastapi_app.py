"""GET /v1/runs with FastAPI and qexpr (docs/server.md): `uvicorn fastapi_app:app`."""
import os
from typing import Annotated

from fastapi import Depends, FastAPI, Request

import qexpr
from qexpr.asgi import SearchDependency, install_handlers, openapi_extra, unauthorized
from qexpr.serve import embedded

ORG = "7d1c0a52-2f7e-4b8a-9c55-1f4f4d8f0a01"  # the example runs' organisation
TOKENS = {os.environ.get("RUNS_TOKEN", "dev-token"): {"orgs": {ORG}, "scopes": set()}}
db = embedded()  # the bundled example runs in SQLite; a real app opens its own database


def caller(request: Request) -> dict:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or token not in TOKENS:
        raise unauthorized("a valid Bearer token is required")
    return TOKENS[token]


runs = SearchDependency(scopes=lambda request: caller(request)["scopes"],
                        org_allowed=lambda request, org: str(org) in caller(request)["orgs"])
app = FastAPI(title="runs")
install_handlers(app)  # QError -> 400 application/problem+json listing every error; 401, 403
@app.get("/v1/runs", openapi_extra=openapi_extra())
def list_runs(search: Annotated[qexpr.Search, Depends(runs)]) -> dict:
    with db.connection() as conn:
        return search.execute(conn, db.dialect).to_dict()
