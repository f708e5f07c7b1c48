"""RFC 9457 problem details: the ``application/problem+json`` bodies of failed requests.

:func:`problem_body` turns a :class:`~qexpr.QError` (every error of every parameter) into the
body of a 400 response; :class:`Problem` is any other refusal (401, 403) the integration or a
server raises. Only the standard library is imported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qexpr.errors import QError

PROBLEM_JSON = "application/problem+json"
"""The media type of problem details (RFC 9457 section 3)."""

ERROR_KEYS: tuple[str, ...] = ("param", "code", "start", "end", "line", "column", "message",
                               "hint", "expected", "suggestion")
"""The members of every entry of a 400 body's ``errors``, always present (null when unset)."""


def error_entry(error: QError) -> dict[str, Any]:
    """One error of a request: parameter, stable code, span, message and help, every key set."""
    return {"param": error.param, "code": str(error.code), "start": error.start,
            "end": error.end, "line": error.line, "column": error.column,
            "message": error.message, "hint": error.hint, "expected": list(error.expected),
            "suggestion": error.suggestion}


def problem_body(error: QError, *, type_uri: str = "about:blank",
                 instance: str | None = None) -> dict[str, Any]:
    """The problem details of a request qexpr refused: status 400, every error in ``errors``.

    ``detail`` is the first error's message (prefixed with its parameter); ``code`` its stable
    code; ``errors`` lists every error found, in the order :func:`qexpr.compile_search` reports
    them, each with the keys of :data:`ERROR_KEYS`.
    """
    count = len(error.errors)
    detail = f"{error.param}: {error.message}" if error.param else error.message
    if count > 1:
        detail += f" (and {count - 1} more error{'s' if count > 2 else ''})"
    body: dict[str, Any] = {"type": type_uri, "title": "Bad Request", "status": 400,
                            "detail": detail, "code": str(error.code),
                            "errors": [error_entry(e) for e in error.errors]}
    if instance is not None:
        body["instance"] = instance
    return body


class Problem(Exception):
    """A refused request other than bad parameters: ``status`` (401, 403...) with a ``title``,
    a ``detail`` for humans, a stable ``code`` and response ``headers`` (``WWW-Authenticate``).

    Rendered as ``application/problem+json`` by :func:`qexpr.asgi.problem_handler`.
    """

    def __init__(self, status: int, title: str, detail: str, *, code: str,
                 headers: Mapping[str, str] | None = None, type_uri: str = "about:blank"
                 ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.code = status, title, detail, code
        self.headers = dict(headers or {})
        self.type_uri = type_uri

    def to_dict(self, instance: str | None = None) -> dict[str, Any]:
        """The problem details body."""
        body: dict[str, Any] = {"type": self.type_uri, "title": self.title,
                                "status": self.status, "detail": self.detail, "code": self.code}
        if instance is not None:
            body["instance"] = instance
        return body


def unauthorized(detail: str) -> Problem:
    """401 with ``WWW-Authenticate: Bearer`` (RFC 6750): no token, or not a valid one."""
    return Problem(401, "Unauthorized", detail, code="unauthorized",
                   headers={"WWW-Authenticate": 'Bearer realm="qexpr"'})


def forbidden(detail: str, code: str = "forbidden_organization") -> Problem:
    """403: the caller may not read what it asked for (another organisation's runs)."""
    return Problem(403, "Forbidden", detail, code=code)
