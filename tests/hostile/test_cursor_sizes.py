"""Item 3: every cursor the library issues is at most 2,048 characters and can be followed,
whatever the sort values (strings of any length sharing long prefixes, non-ASCII, values
that cannot travel exactly), in memory, SQLite and PostgreSQL; a boundary row that is gone
or changed is a clear ``invalid_literal`` on ``pq``."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qexpr import QError
from qexpr.search import Page, Search, compile_search
from qexpr.search.cursor import MAX_CURSOR_LENGTH
from tests.search.databases import Database, run_dbs_fixture  # noqa: F401 (fixture)
from tests.search.strategies import scaled

MEASURED: list[int] = []
"""Every cursor length seen (the report quotes the largest)."""

_PIECES = ("a", "b", "é", "\U0001f600", "Z", "~", " ")


@st.composite
def long_text(draw: st.DrawFn, sql_safe: bool = True) -> str | None:
    """Strings with long shared prefixes: ties far beyond any inline limit."""
    if draw(st.integers(0, 6)) == 0:
        return None
    prefix = draw(st.sampled_from(_PIECES)) * draw(st.sampled_from([0, 1, 40, 127, 128, 600,
                                                                     5_000, 30_000]))
    tail = draw(st.text(alphabet="".join(_PIECES) + ("" if sql_safe else "\x00\ud800"),
                        max_size=3))
    return prefix + tail


@st.composite
def run_records(draw: st.DrawFn, sql_safe: bool = True) -> list[dict[str, Any]]:
    ids = draw(st.lists(st.uuids(version=4), min_size=1, max_size=7, unique=True))
    return [{"id": str(i), "created_at": "2024-03-01T12:00:00Z",
             "client_ref": draw(st.sampled_from(["x", "y", None])),
             "failure_message": draw(long_text(sql_safe)),
             "failure_code": draw(long_text(sql_safe))} for i in ids]


SORTS = ("failure_message", "failure_message:desc", "client_ref,failure_message:desc",
         "failure_code,failure_message", "failure_message:desc,failure_code:desc")


def _key(value: str | None) -> tuple[bool, str]:
    return (value is None, value or "")


def expected(records: list[dict[str, Any]], sort_by: str) -> list[str]:
    keys = [(p.partition(":")[0], p.endswith(":desc")) for p in sort_by.split(",")]
    rows = sorted(records, key=lambda r: r["id"], reverse=keys[-1][1])
    for name, descending in reversed(keys):
        rows.sort(key=lambda r, n=name: _key(r[n]), reverse=descending)
    return [r["id"] for r in rows]


def run_page(search: Search, records: list[dict[str, Any]], dbs: list[Database]) -> Page:
    page = search.apply(records)
    for db in dbs:
        assert search.execute(db.conn, db.dialect) == page, db.dialect
    for cursor in (page.next, page.previous, page.first):
        if cursor is not None:
            MEASURED.append(len(cursor))
            assert len(cursor) <= MAX_CURSOR_LENGTH
    return page


def walk(search: Search, records: list[dict[str, Any]], dbs: list[Database],
         backward: bool) -> list[str]:
    page = run_page(search, records, dbs)
    pages = [page]
    while (cursor := page.previous if backward else page.next) is not None:
        assert len(pages) <= len(records) + 1
        page = run_page(search.follow(cursor), records, dbs)
        pages.append(page)
    ordered = reversed(pages) if backward else pages
    return [item["id"] for p in ordered for item in p.items]


@settings(max_examples=scaled(25), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(records=run_records(), sort_by=st.sampled_from(SORTS), limit=st.integers(1, 3),
       secret=st.sampled_from([None, "s3cret"]))
def test_long_sort_values_page_everywhere(run_dbs: list[Database],
                                          records: list[dict[str, Any]], sort_by: str,
                                          limit: int, secret: str | None) -> None:
    dbs = run_dbs
    for db in dbs:
        db.reset(records)
    params = {"sort_by": sort_by, "limit": str(limit), "fields": "id"}
    want = expected(records, sort_by)
    forward = compile_search(params, secret=secret)
    assert walk(forward, records, dbs, backward=False) == want
    last = compile_search({**params, "from_prev": "true"}, secret=secret)
    assert walk(last, records, dbs, backward=True) == want


@settings(max_examples=scaled(60), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.large_base_example])
@given(records=run_records(sql_safe=False), sort_by=st.sampled_from(SORTS),
       limit=st.integers(1, 3), secret=st.sampled_from([None, "k"]))
def test_values_that_cannot_travel_in_memory(records: list[dict[str, Any]], sort_by: str,
                                             limit: int, secret: str | None) -> None:
    """U+0000 and lone surrogates (which no database stores) page in memory too."""
    params = {"sort_by": sort_by, "limit": str(limit), "fields": "id"}
    search = compile_search(params, secret=secret)
    assert walk(search, records, [], backward=False) == expected(records, sort_by)


def _boundary_setup(db: Database | None) -> tuple[list[dict[str, Any]], Search, str]:
    records = [{"id": str(uuid.UUID(int=i)), "failure_message": "m" * 3000 + str(i),
                "client_ref": "c"} for i in range(1, 5)]
    search = compile_search({"sort_by": "failure_message", "limit": "2", "fields": "id"})
    page = search.apply(records)
    assert page.next is not None and len(page.next) < 200
    if db is not None:
        db.reset(records)
        assert search.execute(db.conn, db.dialect) == page
    return records, search.follow(page.next), page.items[-1]["id"]


@pytest.mark.parametrize("where", ["memory", "sqlite", "postgresql"])
def test_boundary_row_gone_or_changed(where: str, run_dbs: list[Database]) -> None:
    found = [db for db in run_dbs if db.dialect == where]
    if where == "postgresql" and not found:
        pytest.skip("QEXPR_PG_DSN is not set")
    db = found[0] if found else None
    records, following, boundary = _boundary_setup(db)

    def page_after(rows: list[dict[str, Any]]) -> Page:
        if db is None:
            return following.apply(rows)
        db.reset(rows)
        return following.execute(db.conn, db.dialect)

    assert [i["id"] for i in page_after(records).items] == [r["id"] for r in records[2:]]
    # Another field of the boundary row may change: the position is still known.
    moved = [{**r, "client_ref": "d"} if r["id"] == boundary else r for r in records]
    assert [i["id"] for i in page_after(moved).items] == [r["id"] for r in records[2:]]
    cases = {
        "gone": [r for r in records if r["id"] != boundary],
        "new failure_message": [{**r, "failure_message": r["failure_message"] + "!"}
                                if r["id"] == boundary else r for r in records],
    }
    for words, rows in cases.items():
        with pytest.raises(QError) as info:
            page_after(rows)
        err = info.value
        assert (err.code, err.param) == ("invalid_literal", "pq") and words in err.message
        assert "first page" in (err.hint or "")


def test_own_driver_path(run_dbs: list[Database]) -> None:
    """Building the page query needs the boundary row first; the two-step API gives it."""
    sqlite_db = run_dbs[0]
    records, following, _ = _boundary_setup(sqlite_db)
    assert following.needs_boundary_row
    with pytest.raises(QError) as info:
        following.to_sql("sqlite")
    assert (info.value.code, info.value.param) == ("invalid_literal", "pq")
    lookup = following.boundary_query("sqlite")
    assert lookup is not None
    row = sqlite_db.conn.execute(*lookup).fetchone()
    settled = following.at_boundary(row, "sqlite")
    assert not settled.needs_boundary_row
    text, params = settled.to_sql("sqlite")
    ids = [r[0] for r in sqlite_db.conn.execute(
        f"SELECT id FROM ({text}) AS page", params).fetchall()]
    assert ids == [r["id"] for r in records[2:]]
    with pytest.raises(QError):
        following.at_boundary(None, "sqlite")
    assert following.to_params()["pq"] == settled.to_params()["pq"]
