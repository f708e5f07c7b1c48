"""The reference server of ``GET /v1/runs`` (and ``GET /v1/complete``), a Starlette app.

Every request needs ``Authorization: Bearer <token>`` (401 otherwise) and, for runs,
``X-Organization-Id`` naming an organisation the token may read (403 otherwise); the query
parameters go to :func:`qexpr.compile_search` as they are (400 problem bodies listing every
error), the page runs on the server's database and the body is the seed's
``{"items", "first", "next", "previous"}``.

With ``timing=True`` every response carries a ``Server-Timing`` header (milliseconds):
``compile`` (checking the parameters), ``qexpr`` (compiling plus building the SQL and shaping
rows and embeds), ``db`` (the driver: making cursors, executing, fetching), ``pool`` (waiting
for a connection), ``json`` (encoding the body), ``total`` (the handler, from its first line
to the response), and the CPU time of ``qexpr_cpu``, ``db_cpu`` and ``json_cpu`` (the
thread's own: under load, wall times also hold waits for the GIL).

``GET /`` serves the playground page (``static/``, no token needed: the page asks for one),
and ``GET /v1/compile`` the canonical q and SQL it shows.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from qexpr.asgi import (
    Problem,
    SearchDependency,
    forbidden,
    install_handlers,
    json_response,
    problem_response,
    unauthorized,
)
from qexpr.errors import ErrorCode, QError
from qexpr.serve.database import Database, TimedConnection
from qexpr.serve.tokens import Token, Tokens

if TYPE_CHECKING:
    from qexpr.schema.model import Schema
    from qexpr.search import Search

STATIC = Path(__file__).with_name("static")
"""The playground page (``/``) and its files (``/static/``)."""


def bearer(request: Request, tokens: Tokens) -> Token:
    """The grant of the request's Bearer token; 401 :class:`Problem` without a valid one."""
    header = request.headers.get("authorization")
    if header is None:
        raise unauthorized("an Authorization: Bearer <token> header is required")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("the Authorization header must be Bearer <token>")
    grant = tokens.find(token.strip())
    if grant is None:
        raise unauthorized("the token is not valid")
    return grant


class RunsServer:
    """The endpoints over one database, tokens and cursor secret."""

    def __init__(self, database: Database, tokens: Tokens, *, schema: Schema | None = None,
                 secret: bytes | str | None = None, strict: bool = True,
                 timing: bool = False) -> None:
        if schema is None:
            from qexpr.schema.run import RUN_SCHEMA

            schema = RUN_SCHEMA
        self.database, self.tokens, self.schema, self.timing = database, tokens, schema, timing
        self.search = SearchDependency(schema=schema, scopes=self._scopes,
                                       org_allowed=self._may_read, secret=secret,
                                       strict=strict)

    def _grant(self, request: Request) -> Token:
        grant: Token | None = getattr(request.state, "grant", None)
        if grant is None:
            grant = bearer(request, self.tokens)
            request.state.grant = grant
        return grant

    def _scopes(self, request: Request) -> frozenset[str]:
        return self._grant(request).scopes

    def _may_read(self, request: Request, org: UUID) -> bool:
        return self._grant(request).may_read(org)

    def _page(self, search: Search) -> tuple[dict[str, Any], dict[str, float]]:
        """The page body, and (with timing) the seconds of waiting for a connection
        (``pool``), of qexpr in ``execute`` and of the driver, wall and CPU time."""
        if not self.timing:
            with self.database.connection() as raw:
                return search.execute(raw, self.database.dialect).to_dict(), {}
        start = time.perf_counter()
        with self.database.connection() as raw:
            got, cpu = time.perf_counter(), time.thread_time()
            conn = TimedConnection(raw)
            body = search.execute(conn, self.database.dialect).to_dict()
            wall, cpu = time.perf_counter() - got, time.thread_time() - cpu
        return body, {"pool": got - start, "qexpr": wall - conn.driver_seconds,
                      "db": conn.driver_seconds,
                      "qexpr_cpu": cpu - conn.driver_cpu_seconds,
                      "db_cpu": conn.driver_cpu_seconds}

    async def runs(self, request: Request) -> Response:
        """``GET /v1/runs``."""
        start, cpu = time.perf_counter(), time.thread_time()
        self._grant(request)  # 401 before anything else is looked at
        search = await self.search(request)  # no await suspends here: the app's fns are sync
        compiled, compiled_cpu = time.perf_counter() - start, time.thread_time() - cpu
        body, parts = await run_in_threadpool(self._page, search)
        encode, cpu = time.perf_counter(), time.thread_time()
        response = json_response(body)
        if self.timing:
            end = time.perf_counter()
            parts["qexpr"] += compiled
            parts["qexpr_cpu"] += compiled_cpu
            parts.update(compile=compiled, json=end - encode,
                         json_cpu=time.thread_time() - cpu, total=end - start)
            response.headers["Server-Timing"] = ", ".join(
                f"{name};dur={seconds * 1000:.3f}" for name, seconds in parts.items())
        return response

    async def complete(self, request: Request) -> Response:
        """``GET /v1/complete?q=&cursor=&scopes=``: completions for a playground; ``scopes``
        (comma-separated, default the token's) may only name scopes the token has."""
        from qexpr.completion import complete

        grant = self._grant(request)
        params = request.query_params
        q = params.get("q", "")
        wanted = params.get("scopes")
        scopes = grant.scopes
        if wanted is not None:
            scopes = frozenset(s.strip() for s in wanted.split(",") if s.strip())
            missing = sorted(scopes - grant.scopes)
            if missing:
                raise forbidden(f"this token lacks the scope {missing[0]}",
                                code="forbidden_scope")
        cursor = _cursor(params.get("cursor"), q)
        found = complete(q, cursor, schema=self.schema, scopes=scopes)
        return json_response({"items": [c.to_dict() for c in found]})

    async def compile(self, request: Request) -> Response:
        """``GET /v1/compile?q=&dialect=&scopes=``: for a playground, the canonical q of the
        filter checked with ``scopes`` (as in complete), its SQL for ``dialect`` (default
        postgresql) and the SQL's parameters (JSON values; others as text); a 400 problem
        listing every error of ``q`` otherwise."""
        from qexpr.backends.sql import get_dialect
        from qexpr.filter import compile as compile_filter

        grant = self._grant(request)
        params = request.query_params
        scopes = _wanted_scopes(grant, params.get("scopes"))
        dialect = params.get("dialect", "postgresql")
        try:
            get_dialect(dialect)
        except ValueError as exc:
            raise QError(ErrorCode.INVALID_LITERAL, str(exc), source=dialect, start=0,
                         end=len(dialect), param="dialect") from None
        try:
            found = compile_filter(params.get("q", ""), self.schema, scopes)
        except QError as exc:
            for each in exc.errors:
                each.param = "q"
            raise
        text, values = found.to_sql(dialect)
        return json_response({"q": found.to_q(), "dialect": dialect, "sql": text,
                              "params": [_json_value(v) for v in values]})

    def app(self) -> Starlette:
        """The Starlette application (closes the database on shutdown)."""

        @asynccontextmanager
        async def lifespan(_: Starlette) -> AsyncIterator[None]:
            try:
                yield
            finally:
                self.database.close()

        app = Starlette(routes=[Route("/v1/runs", self.runs, methods=["GET"]),
                                Route("/v1/complete", self.complete, methods=["GET"]),
                                Route("/v1/compile", self.compile, methods=["GET"]),
                                Route("/", _playground, methods=["GET"]),
                                Mount("/static", StaticFiles(directory=STATIC), name="static")],
                        lifespan=lifespan)
        install_handlers(app)
        app.add_exception_handler(HTTPException, _http_problem)
        app.add_exception_handler(Exception, _internal_problem)
        return app


async def _playground(request: Request) -> Response:
    """``GET /``: the playground page (it asks for a token; nothing is embedded in it)."""
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


def _wanted_scopes(grant: Token, text: str | None) -> frozenset[str]:
    """The comma-separated ``scopes`` asked for (default the token's); 403 for one it lacks."""
    if text is None:
        return grant.scopes
    scopes = frozenset(s.strip() for s in text.split(",") if s.strip())
    missing = sorted(scopes - grant.scopes)
    if missing:
        raise forbidden(f"this token lacks the scope {missing[0]}", code="forbidden_scope")
    return scopes


def _json_value(value: Any) -> Any:
    """A SQL parameter as JSON: numbers, text, booleans and null as they are, others as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


async def _http_problem(request: Request, exc: Exception) -> Response:
    """404, 405... as problem details too."""
    assert isinstance(exc, HTTPException)
    title = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if exc.detail != title else f"{request.method} {request.url.path}: {title}"
    problem = Problem(exc.status_code, title, detail, code=title.lower().replace(" ", "_"),
                      headers=exc.headers)
    return problem_response(problem, request.url.path)


async def _internal_problem(request: Request, exc: Exception) -> Response:
    """Any other failure (the database went away): a 500 problem that tells nothing inside
    (the traceback goes to the server's log)."""
    problem = Problem(500, "Internal Server Error", "the server failed to answer",
                      code="internal_error")
    return problem_response(problem, request.url.path)


def _cursor(text: str | None, q: str) -> int | None:
    if text is None or text.strip() == "":
        return None
    value = text.strip()
    if not value.isascii() or not value.isdigit() or int(value) > len(q):
        raise QError(ErrorCode.INVALID_LITERAL,
                     f"cursor must be a position from 0 to {len(q)} (the length of q)",
                     source=text, start=0, end=len(text), param="cursor",
                     hint="count code points from the start of q")
    return int(value)


def create_app(database: Database, tokens: Tokens, *, schema: Schema | None = None,
               secret: bytes | str | None = None, strict: bool = True,
               timing: bool = False) -> Starlette:
    """The reference server as a Starlette app (see the module's description)."""
    return RunsServer(database, tokens, schema=schema, secret=secret, strict=strict,
                      timing=timing).app()


__all__ = ["Problem", "RunsServer", "bearer", "create_app"]
