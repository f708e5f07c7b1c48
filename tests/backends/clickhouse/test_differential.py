"""Four-backend differential: the in-memory predicate, SQLite, PostgreSQL and ClickHouse (chdb)
select the same runs for every generated filter, and give the same pages and cursors.

The datasets and filters are those of :mod:`tests.backends.test_differential` (imported, not
copied). Pages: a search per filter with a generated sort (``tests.search.strategies``) and a
small limit, walked forward by its ``next`` cursors; every page (items and cursors) must equal
the in-memory page and PostgreSQL's. ClickHouse's items are compared with the in-memory page
of the runs as its loader stores them (JSON integers beyond 64 bits as doubles, numbers beyond
the double range as the largest double: :func:`qexpr.backends.sql.clickhouse.normalise_json`),
its ids and cursors with the other backends' directly.

``QEXPR_CH_DIFF_EXAMPLES`` (default 600) is the number of filters checked.
"""

from __future__ import annotations

import math
import os
import sqlite3
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr.backends.clickhouse import command, rows
from qexpr.backends.sql import load_records, reference_ddl
from qexpr.backends.sql.clickhouse import normalise_json
from qexpr.search import Page, Search, compile_search
from tests.backends.clickhouse.conftest import fresh_database
from tests.backends.test_differential import (
    FILTERS_PER_DATASET,
    NOW,
    SCHEMA,
    SCOPES,
    Dataset,
    datasets,
    filter_texts,
)
from tests.conftest import in_ci
from tests.search.strategies import sort_specs

EXAMPLES = max(int(os.environ.get("QEXPR_CH_DIFF_EXAMPLES", "") or 600), FILTERS_PER_DATASET)
DATASETS = math.ceil(EXAMPLES / FILTERS_PER_DATASET)
TABLES = [r.table for r in SCHEMA.records]


def clickhouse_ddl(s: Any) -> None:
    for statement in reference_ddl("clickhouse").split(";\n"):
        if statement.strip():
            command(s, statement)


class Four:
    """SQLite, PostgreSQL (None without a server, outside CI) and ClickHouse, reloaded per
    dataset."""

    def __init__(self, lite: sqlite3.Connection, pg: Any | None, ch: Any) -> None:
        self.lite, self.pg, self.ch = lite, pg, ch

    def load(self, runs: list[dict[str, Any]]) -> None:
        for table in TABLES:
            self.lite.execute(f'DELETE FROM "{table}"')
            command(self.ch, f'TRUNCATE TABLE "{table}"')
        self.lite.commit()
        load_records(self.lite, runs, "sqlite")
        load_records(self.ch, runs, "clickhouse")
        if self.pg is not None:
            self.pg.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in TABLES))
            load_records(self.pg, runs, "postgresql")

    def ids(self, f: qexpr.Filter) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        where, params = f.to_sql("sqlite")
        out["sqlite"] = {r[0] for r in self.lite.execute(
            f'SELECT "runs"."id" FROM "runs" WHERE {where}', params)}
        where, params = f.to_sql("clickhouse")
        out["clickhouse"] = {r[0] for r in rows(
            self.ch, f'SELECT "runs"."id" FROM "runs" WHERE {where}', params)}
        if self.pg is not None:
            where, params = f.to_sql("postgresql")
            out["postgresql"] = {str(r[0]) for r in self.pg.execute(
                f'SELECT "runs"."id" FROM "runs" WHERE {where}', params)}
        return out

    def pages(self, search: Search) -> dict[str, Page]:
        out = {"sqlite": search.execute(self.lite, "sqlite"),
               "clickhouse": search.execute(self.ch, "clickhouse")}
        if self.pg is not None:
            out["postgresql"] = search.execute(self.pg, "postgresql")
        return out


@pytest.fixture(scope="module")
def four(chdb_session: Any) -> Iterator[Four]:
    lite = sqlite3.connect(":memory:")
    lite.executescript(reference_ddl("sqlite"))
    database = fresh_database(chdb_session)
    clickhouse_ddl(chdb_session)
    dsn = os.environ.get("QEXPR_PG_DSN", "").strip()
    if not dsn and in_ci():
        pytest.fail("QEXPR_PG_DSN is not set (a missing PostgreSQL is a failure in CI)")
    pg = name = None
    if dsn:
        import psycopg
        from psycopg import sql

        name = "qexpr_ch_diff_" + uuid.uuid4().hex[:12]
        pg = psycopg.connect(dsn, autocommit=True)
        pg.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        pg.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(name)))
        pg.execute(reference_ddl("postgresql"))
    try:
        yield Four(lite, pg, chdb_session)
    finally:
        lite.close()
        chdb_session.query("USE default")
        chdb_session.query(f"DROP DATABASE IF EXISTS {database}")
        if pg is not None:
            from psycopg import sql

            pg.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
            pg.close()


def _as_double(value: Any) -> Any:
    """JSON integers beyond the double range as the infinities they stand for (the in-memory
    shaper, ``qexpr.search.shape.json_number``, raises OverflowError on such an int)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) > 2**1024:
        return math.inf if value > 0 else -math.inf
    if isinstance(value, dict):
        return {k: _as_double(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_double(v) for v in value]
    return value


def normalised(dataset: Dataset, clickhouse: bool = True) -> list[dict[str, Any]]:
    """The runs with JSON numbers as ClickHouse stores them (for its in-memory pages), or
    with huge integers as infinities (for the others')."""
    def walk(value: Any, ftype_json: bool) -> Any:
        if not ftype_json:
            return value
        return normalise_json(value) if clickhouse else _as_double(value)

    def record(rec_name: str, data: dict[str, Any]) -> dict[str, Any]:
        rec = SCHEMA.record(rec_name)
        out = dict(data)
        for f in rec.fields:
            if f.name in out:
                out[f.name] = walk(out[f.name], f.type.name == "JSON")
        for rel in rec.relations:
            value = out.get(rel.name)
            target = SCHEMA.target(rel).name
            if isinstance(value, list):
                out[rel.name] = [record(target, v) for v in value]
            elif isinstance(value, dict):
                out[rel.name] = record(target, value)
        return out

    return [record(SCHEMA.root, r) for r in dataset.runs]


@settings(max_examples=DATASETS, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much])
@given(data=st.data())
def test_predicate_sqlite_postgresql_and_clickhouse_agree(four: Four, data: st.DataObject
                                                          ) -> None:
    dataset = data.draw(datasets(), label="dataset")
    four.load(dataset.runs)
    records = normalised(dataset)
    doubles = normalised(dataset, clickhouse=False)
    for _ in range(FILTERS_PER_DATASET):
        q = data.draw(filter_texts(dataset.pools), label="q")
        f = qexpr.compile(q, scopes=SCOPES, now=NOW)
        predicate = f.to_predicate()
        expected = {run["id"] for run in dataset.runs if predicate(run)}
        for backend, got in four.ids(f).items():
            assert got == expected, f"{backend} differs from the predicate for {f.to_q()}"
        params = {"q": q, "limit": str(data.draw(st.integers(1, 3), label="limit")),
                  "sort_by": data.draw(sort_specs(), label="sort_by"),
                  "embed": data.draw(st.sampled_from(["", "model", "node_runs"]), label="embed")}
        search = compile_search(params, scopes=SCOPES, now=NOW)
        for _page in range(len(records) + 1):
            expected_page = search.apply(doubles)
            pages = four.pages(search)
            ch = pages.pop("clickhouse")
            assert ch == search.apply(records), f"clickhouse page differs for {params}"
            for backend, page in pages.items():
                assert page == expected_page, f"{backend} page differs for {params}"
                assert (page.next, page.previous, page.first) == (ch.next, ch.previous,
                                                                  ch.first)
                assert [i["id"] for i in page.items] == [i["id"] for i in ch.items]
            if expected_page.next is None:
                break
            search = search.follow(expected_page.next)
