"""The OpenAPI description of ``GET /v1/runs``: every seed parameter and the problem body.

``@app.get("/v1/runs", openapi_extra=openapi_extra())`` makes FastAPI's generated docs show
``q``, ``limit`` (1-500), ``sort_by``, ``fields``, ``embed`` (its allowed values, the protected
ones with their scope), ``pq``, ``from_prev``, the three ``evaluation_*`` filters and the
``X-Organization-Id`` header, with the 400/401/403 problem responses. Plain dictionaries:
nothing but the standard library is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qexpr.asgi.problem import ERROR_KEYS, PROBLEM_JSON
from qexpr.search.params import DEFAULT_LIMIT, DEFAULT_SORT, MAX_LIMIT

if TYPE_CHECKING:
    from qexpr.schema.model import Schema

EVALUATION_STATUSES: tuple[str, ...] = ("passed", "failed", "not_evaluated")
"""The values of the seed's ``evaluation_status``."""


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"anyOf": [{"type": kind, **extra}, {"type": "null"}]}


def openapi_parameters(schema: Schema | None = None, *,
                       org_header: str | None = "X-Organization-Id") -> list[dict[str, Any]]:
    """OpenAPI parameter objects of every seed parameter of ``GET /v1/runs`` (and the
    organisation header unless ``org_header`` is None), ``embed``'s values from ``schema``."""
    if schema is None:
        from qexpr.schema.run import RUN_SCHEMA

        schema = RUN_SCHEMA
    root = schema.root_record
    relations = sorted(r.name for r in root.relations)
    protected = [f"{r.name} requires {r.scope}" for r in root.relations if r.scope]
    embed_text = ("Relation embedding. Available values: " + ", ".join(relations)
                  + ". Use a comma-separated list to request multiple embeds."
                  + (" Protected: " + "; ".join(protected) + "." if protected else ""))
    out = [
        _query("evaluation_issue_category",
               "Filter to runs whose current evaluation (completed and not superseded) has at "
               "least one evaluation_issue with this category.", _nullable("string")),
        _query("evaluation_issue_subcategory",
               "Filter to runs whose current evaluation (completed and not superseded) has at "
               "least one evaluation_issue with this subcategory; with "
               "evaluation_issue_category both must match the same issue row.",
               _nullable("string")),
        _query("evaluation_status",
               "Filter by the run's current evaluation verdict: passed, failed (a completed "
               "non-superseded evaluation with that verdict) or not_evaluated.",
               _nullable("string", enum=list(EVALUATION_STATUSES))),
        _query("q", "Filter expression in the q language (e.g. duration_ms > 1000 AND "
               'model.slug = "flux-dev").', _nullable("string")),
        _query("limit", f"Page size (default {DEFAULT_LIMIT}).",
               _nullable("integer", minimum=1, maximum=MAX_LIMIT)),
        _query("sort_by", f"Sort expression, field[:asc|:desc] comma-separated (default "
               f"{DEFAULT_SORT}; ties by id).", _nullable("string")),
        _query("fields", "Field projection, comma-separated top-level names (e.g. id,cost); "
               "a relation name embeds it whole.", _nullable("string")),
        _query("embed", embed_text, _nullable("string")),
        _query("pq", "Pagination cursor: a page's next or previous cursor.",
               _nullable("string")),
        _query("from_prev", "Backward pagination flag: page towards the start (with a "
               "previous cursor; alone: the last page).", {"type": "boolean", "default": False}),
    ]
    if org_header:
        out.append({"name": org_header, "in": "header", "required": True,
                    "description": "The organisation whose runs to read; the token must be "
                                   "allowed to read it.", "schema": {"type": "string",
                                                                     "format": "uuid"}})
    return out


def problem_schema() -> dict[str, Any]:
    """JSON Schema of the problem details bodies (RFC 9457) qexpr renders."""
    entry = {"type": "object", "required": list(ERROR_KEYS), "properties": {
        "param": {"type": ["string", "null"]}, "code": {"type": "string"},
        "start": {"type": "integer"}, "end": {"type": "integer"},
        "line": {"type": "integer"}, "column": {"type": "integer"},
        "message": {"type": "string"}, "hint": {"type": ["string", "null"]},
        "expected": {"type": "array", "items": {"type": "string"}},
        "suggestion": {"type": ["string", "null"]}}}
    return {"type": "object", "required": ["type", "title", "status", "detail", "code"],
            "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                           "status": {"type": "integer"}, "detail": {"type": "string"},
                           "code": {"type": "string"}, "instance": {"type": "string"},
                           "errors": {"type": "array", "items": entry}}}


def openapi_extra(schema: Schema | None = None, *,
                  org_header: str | None = "X-Organization-Id") -> dict[str, Any]:
    """``openapi_extra`` for FastAPI's route decorator: the parameters of
    :func:`openapi_parameters` and the 400, 401 and 403 problem responses."""
    content = {PROBLEM_JSON: {"schema": problem_schema()}}
    return {"parameters": openapi_parameters(schema, org_header=org_header),
            "responses": {
                "400": {"description": "Bad parameters: every error of every parameter.",
                        "content": content},
                "401": {"description": "No valid Bearer token.", "content": content},
                "403": {"description": "The token may not read this organisation.",
                        "content": content}}}
