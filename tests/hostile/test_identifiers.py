"""Item 6: identifiers are data. Tables and columns remapped with ``Schema.with_storage`` to
names holding ``"``, ``'``, ``%``, ``{}``, ``?``, ``$1``, ``:name``, spaces and non-ASCII work in
filters and search pages (sort keys through relations, embeds) on SQLite and PostgreSQL, and
agree with memory."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qexpr.schema.model import Schema
from qexpr.schema.run import RUN_SCHEMA
from qexpr.search import Search, compile_search
from tests.search.databases import Database, pg_dsn, postgres_database, sqlite_database
from tests.search.strategies import scaled

_HOSTILE = ['"', "'", "%", "%s", "%(x)s", "{}", "{0}", "?", "?1", "$1", ":x", " ", "é", "表",
            "\U0001f600", ";", "--", "/*", "\\", "`", "[", "]", ".", ","]

identifier = st.lists(st.sampled_from(_HOSTILE) | st.text("abcXYZ_0", min_size=1, max_size=3),
                      min_size=1, max_size=5).map("".join)

#: The storage the test remaps: (record, field) columns and record tables.
COLUMNS = (("Run", "id"), ("Run", "client_ref"), ("Run", "cost"), ("Run", "created_at"),
           ("Run", "metadata"), ("Run", "model_id"), ("Model", "id"), ("Model", "slug"),
           ("NodeRun", "run_id"), ("NodeRun", "retry_count"))
TABLES = ("Run", "Model", "NodeRun")


@st.composite
def hostile_schemas(draw: st.DrawFn) -> Schema:
    names = draw(st.lists(identifier, min_size=len(COLUMNS) + len(TABLES),
                          max_size=len(COLUMNS) + len(TABLES)))
    # Unique per table and within PostgreSQL's 63-byte limit, whatever was drawn.
    names = [f"{n[:12]}#{i}" for i, n in enumerate(names)]
    columns = dict(zip(COLUMNS, names, strict=False))
    tables = dict(zip(TABLES, names[len(COLUMNS):], strict=True))
    return RUN_SCHEMA.with_storage(tables=tables, columns=columns)


def _records() -> list[dict[str, Any]]:
    model = {"id": "00000000-0000-4000-8000-00000000000a", "slug": "a{}%?\"'", "inputs": [],
             "outputs": [], "examples": [], "faq_entries": [], "pricing": [],
             "related_links": []}
    out = []
    for i in range(5):
        rid = str(uuid.UUID(int=i + 1))
        out.append({"id": rid, "client_ref": ["a%", "b{}", None, "a?", "é"][i],
                    "cost": ["0.5", "2", None, "1.25", "3"][i],
                    "created_at": f"2024-03-0{i + 1}T00:00:00Z",
                    "metadata": {"k": i, "{}": "%s"}, "model": model if i % 2 else None,
                    "model_id": model["id"] if i % 2 else None, "logs": [],
                    "node_runs": [{"id": str(uuid.uuid5(uuid.UUID(rid), "n")), "run_id": rid,
                                   "retry_count": i, "state_code": "completed"}]})
    return out


QUERIES = (
    'client_ref STARTS_WITH "a" OR cost > 1',
    'model.slug = "a{}%?\\"\'" OR metadata["{}"] = "%s"',
    "any(node_runs, retry_count >= 2) AND metadata.k < 4",
    "",
)


def _pages(search: Search, records: list[dict[str, Any]], db: Database) -> list[str]:
    ids: list[str] = []
    page = search.apply(records)
    while True:
        assert search.execute(db.conn, db.dialect) == page, db.dialect
        ids += [item["id"] for item in page.items]
        if page.next is None:
            return ids
        search = search.follow(page.next)
        page = search.apply(records)


@settings(max_examples=scaled(12), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(schema=hostile_schemas(), q=st.sampled_from(QUERIES),
       sort_by=st.sampled_from(["client_ref", "model.slug:desc,cost", "cost:desc"]))
def test_hostile_identifiers_in_filters_and_pages(schema: Schema, q: str, sort_by: str) -> None:
    records = _records()
    search = compile_search({"q": q, "sort_by": sort_by, "limit": "2",
                             "embed": "model,node_runs"}, schema=schema)
    expected = [item["id"] for item in compile_search(
        {"q": q, "sort_by": sort_by, "limit": "500"}, schema=schema).apply(records).items]
    dsn = pg_dsn()
    with sqlite_database(schema) as lite:
        lite.reset(records)
        assert _pages(search, records, lite) == expected
    if dsn is not None:
        with postgres_database(dsn, schema) as pg:
            pg.reset(records)
            assert _pages(search, records, pg) == expected
