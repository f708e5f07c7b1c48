"""Cursors whose boundary values travel as digests: taking those values from the boundary row.

A cursor digests the long sort values of its boundary row (:mod:`qexpr.search.cursor`) but
always carries the row's key. Following it looks the row up by that key, among the rows the
filter matches (in memory: the records given; in SQL: one indexed query), reads its sort
values and checks each digest against them. A row that is gone or no longer matches ``q``,
or whose digested values changed, is an ``invalid_literal`` error on ``pq``: the position it
marked cannot be recovered, so the caller starts again from the first page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from qexpr.errors import ErrorCode, QError
from qexpr.search.cursor import RESTART, Digest, digest_of
from qexpr.search.params import SortKey

if TYPE_CHECKING:
    from qexpr.search.request import Search


def needs_row(position: Sequence[Any] | None) -> bool:
    """Whether a position holds digests, to be resolved from the boundary row."""
    return position is not None and any(isinstance(v, Digest) for v in position)


def key_index(keys: Sequence[SortKey]) -> int:
    """The index of the root record's key among the sort keys (always one of them)."""
    return next(i for i, k in enumerate(keys) if k.key)


def settle(search: Search, row: Sequence[Any] | None) -> Search:
    """``search`` positioned at the boundary row's own values (comparable form, one per sort
    key; None: no such row), after checking them against the cursor's digests."""
    position = search.position
    assert position is not None
    record = search.schema.root_record.name.lower()
    if row is None:
        raise _refused(f"the {record} at the page cursor's boundary is gone (deleted, or it no "
                       "longer matches q)")
    for key, value, actual in zip(search.sort, position, row, strict=True):
        if isinstance(value, Digest) and digest_of(key.field.type, actual) != value:
            raise _refused(f"the {record} at the page cursor's boundary has a new {key.path} "
                           "since the cursor was issued")
    settled = tuple(actual if isinstance(value, Digest) else value
                    for value, actual in zip(position, row, strict=True))
    return replace(search, position=settled)


def unresolved() -> QError:
    """The error of building a page query before the boundary row was looked up."""
    return QError(ErrorCode.INVALID_LITERAL, "this page cursor takes its long sort values from "
                  "its boundary row, which must be looked up first", param="pq",
                  hint="run the page with Search.execute(conn), or run "
                       "Search.boundary_query() and pass its row to Search.at_boundary()")


def _refused(message: str) -> QError:
    return QError(ErrorCode.INVALID_LITERAL, message, param="pq", hint=RESTART)
