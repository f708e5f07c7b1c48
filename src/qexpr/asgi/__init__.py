"""ASGI integration (``qexpr[fastapi]`` or ``qexpr[serve]``): Starlette-level, so plain
Starlette and FastAPI both work.

- :class:`SearchDependency`: the request (query parameters, ``X-Organization-Id``, the caller's
  scopes from a function of the app) as a :class:`~qexpr.Search`;
- :func:`install_handlers`: :class:`~qexpr.QError` as an RFC 9457 ``application/problem+json``
  400 listing every error, :class:`Problem` (401, 403) likewise;
- :func:`openapi_extra`: the OpenAPI description of every seed parameter, for FastAPI.

``import qexpr`` never imports this package (nor Starlette).
"""

from qexpr.asgi.dependency import (
    SearchDependency,
    install_handlers,
    json_response,
    organisation,
    problem_handler,
    problem_response,
    query_params,
)
from qexpr.asgi.openapi import openapi_extra, openapi_parameters, problem_schema
from qexpr.asgi.problem import (
    ERROR_KEYS,
    PROBLEM_JSON,
    Problem,
    error_entry,
    forbidden,
    problem_body,
    unauthorized,
)

__all__ = [
    "ERROR_KEYS",
    "PROBLEM_JSON",
    "Problem",
    "SearchDependency",
    "error_entry",
    "forbidden",
    "install_handlers",
    "json_response",
    "openapi_extra",
    "openapi_parameters",
    "organisation",
    "problem_body",
    "problem_handler",
    "problem_response",
    "problem_schema",
    "query_params",
    "unauthorized",
]
