"""Turning a Starlette (or FastAPI) request into a :class:`~qexpr.Search`, and rendering
refusals as ``application/problem+json``.

:class:`SearchDependency` is a FastAPI dependency (``Depends(SearchDependency(...))``) and, in
plain Starlette, an awaitable helper (``search = await runs_search(request)``).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from qexpr.asgi.problem import PROBLEM_JSON, Problem, forbidden, problem_body
from qexpr.errors import QError
from qexpr.search import Search, compile_search

if TYPE_CHECKING:
    from qexpr.limits import Limits
    from qexpr.schema.model import Schema

ScopesOf = Callable[[Request], Iterable[str] | Awaitable[Iterable[str]]]
"""The app's function giving the caller's scopes (sync or async)."""
OrgAllowed = Callable[[Request, UUID], bool | Awaitable[bool]]
"""The app's function telling whether the caller may read an organisation (sync or async)."""


async def _resolve(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def query_params(request: Request) -> dict[str, list[str]]:
    """Every query parameter of ``request`` with all its values (a repeated parameter is then
    reported by :func:`~qexpr.compile_search` instead of silently taking one)."""
    out: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        out.setdefault(name, []).append(value)
    return out


def organisation(request: Request, header: str = "X-Organization-Id") -> UUID:
    """The organisation named by the ``header`` of ``request``; 403 :class:`Problem` when it
    is missing, repeated or not an id (a tenant is never guessed)."""
    given = request.headers.getlist(header)
    if len(given) > 1:
        raise forbidden(f"the {header} header is given {len(given)} times: name one "
                        "organisation", code="invalid_organization")
    raw = given[0] if given else None
    if raw is None or not raw.strip():
        raise forbidden(f"the {header} header is required: the organisation whose runs to "
                        "read", code="missing_organization")
    try:
        return UUID(raw.strip())
    except ValueError:
        raise forbidden(f"{header} is not an organisation id", code="invalid_organization"
                        ) from None


class SearchDependency:
    """Compiles the request's query parameters into a :class:`~qexpr.Search` for the tenant
    of ``X-Organization-Id`` (with every parameter passed through to
    :func:`~qexpr.compile_search`).

    ``scopes`` gives the caller's scopes, ``org_allowed`` whether the caller may read the
    organisation (403 otherwise); both may be sync or async. ``org_header=None`` serves a
    single-tenant app (no ``org_id`` condition). Bad parameters raise :class:`~qexpr.QError`
    and refusals :class:`~qexpr.asgi.Problem`: register :func:`install_handlers`.
    """

    def __init__(self, *, schema: Schema | None = None, scopes: ScopesOf | None = None,
                 org_allowed: OrgAllowed | None = None, secret: bytes | str | None = None,
                 strict: bool = False, limits: Limits | None = None,
                 org_header: str | None = "X-Organization-Id") -> None:
        self.schema, self.scopes, self.org_allowed = schema, scopes, org_allowed
        self.secret, self.strict, self.limits = secret, strict, limits
        self.org_header = org_header

    async def __call__(self, request: Request) -> Search:
        scopes: Iterable[str] = ()
        if self.scopes is not None:  # first: where the app authenticates, its 401 comes first
            scopes = await _resolve(self.scopes(request))
        org: UUID | None = None
        if self.org_header is not None:
            org = organisation(request, self.org_header)
            if self.org_allowed is not None and not await _resolve(
                    self.org_allowed(request, org)):
                raise forbidden(f"this token may not read the runs of organisation {org}")
        return compile_search(query_params(request), self.schema, scopes, secret=self.secret,
                              strict=self.strict, limits=self.limits, org_id=org)


def json_response(body: Any, status: int = 200, media_type: str = "application/json",
                  headers: dict[str, str] | None = None) -> Response:
    """A compact UTF-8 JSON response (non-ASCII text kept as it is)."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text.encode("utf-8"), status, headers, media_type)


def problem_response(error: QError | Problem, instance: str | None = None) -> Response:
    """The ``application/problem+json`` response of a refused request."""
    if isinstance(error, QError):
        return json_response(problem_body(error, instance=instance), 400, PROBLEM_JSON)
    return json_response(error.to_dict(instance), error.status, PROBLEM_JSON, error.headers)


async def problem_handler(request: Request, exc: Exception) -> Response:
    """Starlette/FastAPI exception handler for :class:`~qexpr.QError` (400 listing every
    error) and :class:`~qexpr.asgi.Problem`; ``instance`` is the request's path."""
    if not isinstance(exc, QError | Problem):  # pragma: no cover - registered for these only
        raise exc
    return problem_response(exc, request.url.path)


def install_handlers(app: Any) -> None:
    """Register :func:`problem_handler` for QError and Problem on a Starlette or FastAPI app."""
    app.add_exception_handler(QError, problem_handler)
    app.add_exception_handler(Problem, problem_handler)
