"""The whole search request of ``GET /v1/runs``: ``q``, ``sort_by``, ``fields``, ``embed``,
``limit`` and keyset pagination (``pq``, ``from_prev``).

``qexpr.compile_search(params)`` checks every parameter (all errors reported together) and
gives a :class:`Search`, which runs as SQL (:meth:`Search.to_sql`, :meth:`Search.execute`) or
in memory (:meth:`Search.apply`) and returns a :class:`Page` with the same items and cursors.
"""

from qexpr.search.cursor import Cursor
from qexpr.search.params import DEFAULT_LIMIT, DEFAULT_SORT, MAX_LIMIT, SortKey
from qexpr.search.request import OUT_OF_SCOPE_PARAMS, PARAMS, Page, Search, compile_search

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_SORT",
    "MAX_LIMIT",
    "OUT_OF_SCOPE_PARAMS",
    "PARAMS",
    "Cursor",
    "Page",
    "Search",
    "SortKey",
    "compile_search",
]
