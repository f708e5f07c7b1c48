"""Helpers shared by the validation tests."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

import pytest

import qexpr
from qexpr import QError

EVAL = "evaluations:read"
#: Every scope of the Run schema: evaluation results and the server-side evaluations relation.
EVERY = (EVAL, "qexpr:server")
NOW = datetime(2024, 6, 15, 12, 30, 45, 123456, tzinfo=UTC)


def ok(q: str, scopes: Collection[str] = EVERY, now: datetime = NOW) -> qexpr.Filter:
    """Compile ``q`` (by default with every scope), failing the test with the error if any."""
    try:
        return qexpr.compile(q, scopes=scopes, now=now)
    except QError as error:  # pragma: no cover - shown when a test fails
        pytest.fail(f"{q!r} should compile:\n{error}", pytrace=False)


def err(q: str, scopes: Collection[str] = (), now: datetime = NOW) -> QError:
    """The QError compiling ``q`` raises (anything else fails the test)."""
    with pytest.raises(QError) as info:
        qexpr.compile(q, scopes=scopes, now=now)
    return info.value


def caret(marks: str) -> tuple[int, int]:
    """``"    ^^^"`` -> (4, 7): the span a caret line marks under the q text."""
    start = marks.index("^")
    return start, marks.rindex("^") + 1


def span(error: QError) -> tuple[int, int]:
    return error.start, error.end


def marked(q: str, fragment: str, occurrence: int = 0) -> tuple[int, int]:
    """The span of the ``occurrence``-th ``fragment`` in ``q``."""
    start = -1
    for _ in range(occurrence + 1):
        start = q.index(fragment, start + 1)
    return start, start + len(fragment)
