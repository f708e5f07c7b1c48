"""Differential paging: memory, SQLite and PostgreSQL give the same pages and cursors, and
walking the pages forward and back returns every matching run once, in the documented order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr.search import Page, Search, compile_search
from tests.search.conftest import Database
from tests.search.strategies import (
    FILTERS,
    SCOPES,
    Run,
    expected_ids,
    runs,
    scaled,
    sort_specs,
)

EMBEDS = ("", "model", "node_runs", "current_evaluation_summary,model", "logs,node_runs")
FIELDS = (None, "id", "created_at,cost,client_ref", "nodes_total,metadata,model")


def _ids(page: Page) -> list[str]:
    return [item["id"] for item in page.items]


class Backends:
    """Runs one search everywhere and checks that every backend gives the same page."""

    def __init__(self, records: list[dict[str, Any]], dbs: list[Database]) -> None:
        self.records = records
        self.dbs = dbs
        self.queries = 0

    def page(self, search: Search) -> Page:
        expected = search.apply(self.records)
        for db in self.dbs:
            got = search.execute(db.conn, db.dialect)
            self.queries += 1
            assert got == expected, f"{db.dialect} disagrees with memory on {search}"
        return expected


def walk(start: Search, step: Callable[[Page], str | None], run: Backends,
         max_pages: int) -> list[Page]:
    """Pages from ``start``, following the cursor ``step`` picks, until it gives None."""
    pages = [run.page(start)]
    while (cursor := step(pages[-1])) is not None:
        assert len(pages) <= max_pages, "paging does not end"
        pages.append(run.page(start.follow(cursor)))
    return pages


@settings(max_examples=scaled(60), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=runs(), sort_by=sort_specs(), q=st.sampled_from(FILTERS),
       limit=st.integers(1, 6), embed=st.sampled_from(EMBEDS), fields=st.sampled_from(FIELDS))
def test_pages_forward_and_back_agree_everywhere(
    sqlite_db: Database, pg_db: Database | None, data: list[Run], sort_by: str | None, q: str,
    limit: int, embed: str, fields: str | None,
) -> None:
    records = [r.record for r in data]
    dbs = [sqlite_db] + ([pg_db] if pg_db is not None else [])
    for db in dbs:
        db.reset(records)
    params = {"q": q, "sort_by": sort_by, "limit": str(limit), "embed": embed,
              "fields": fields}
    search = compile_search(params, scopes=SCOPES)
    matcher = qexpr.compile(q, scopes=SCOPES).to_predicate()
    wanted = expected_ids(data, {r.truth["id"] for r in data if matcher(r.record)}, sort_by)
    run = Backends(records, dbs)
    most = len(records) + 2

    forward = walk(search, lambda p: p.next, run, most)
    assert [i for p in forward for i in _ids(p)] == wanted
    assert all(len(p.items) == limit for p in forward[:-1])
    assert forward[0].previous is None
    assert forward[-1].next is None

    # Back from the last page, through the previous cursors: the same pages, reversed.
    if forward[-1].items and len(forward) > 1:
        back_from = forward[-1].previous
        assert back_from is not None
        backward = walk(search.follow(back_from), lambda p: p.previous, run, most)
        assert [_ids(p) for p in backward] == [_ids(p) for p in reversed(forward[:-1])]
        # ... and forward again from the first page reached backwards.
        again = forward[0].items and backward[-1].next
        if again:
            assert _ids(run.page(search.follow(again))) == _ids(forward[1])

    # from_prev without a cursor: the last page, then backwards to the start.
    last = compile_search({**params, "from_prev": "true"}, scopes=SCOPES)
    tail = walk(last, lambda p: p.previous, run, most)
    assert [i for p in reversed(tail) for i in _ids(p)] == wanted
    assert all(len(p.items) == limit for p in tail[:-1])
    assert tail[0].next is None

    # The unpaged order is the concatenation of the pages.
    everything = compile_search({**params, "limit": "500"}, scopes=SCOPES)
    assert _ids(run.page(everything)) == wanted


@settings(max_examples=scaled(25), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=runs(max_size=10), sort_by=sort_specs(), limit=st.integers(1, 4),
       cut=st.integers(0, 12))
def test_cursor_survives_inserts_and_deletes(
    sqlite_db: Database, pg_db: Database | None, data: list[Run], sort_by: str | None,
    limit: int, cut: int,
) -> None:
    """A cursor is a position, not an offset: after rows around the boundary change, the next
    page holds exactly the rows after the boundary, wherever it runs."""
    records = [r.record for r in data]
    dbs = [sqlite_db] + ([pg_db] if pg_db is not None else [])
    for db in dbs:
        db.reset(records)
    search = compile_search({"sort_by": sort_by, "limit": str(limit), "embed": "model"},
                            scopes=SCOPES)
    run = Backends(records, dbs)
    first = run.page(search)
    if first.next is None:
        return
    boundary = first.items[-1]["id"]
    kept = [r for i, r in enumerate(data) if i != cut % len(data) or r.truth["id"] == boundary]
    run.records = [r.record for r in kept]
    for db in dbs:
        db.reset(run.records)
    wanted = expected_ids(kept, {r.truth["id"] for r in kept}, sort_by)
    after = wanted[wanted.index(boundary) + 1 :]
    assert _ids(run.page(search.follow(first.next))) == after[:limit]
