"""The clickhouse-connect route of the ClickHouse backend, over real HTTP: a
``clickhouse_connect`` client talks to the test shim (:mod:`tests.backends.clickhouse.http_server`),
which hands every statement to the process's chdb engine.

The law: for generated datasets and filters (the generators of the four-backend differential,
from :mod:`tests.backends.test_differential`, imported), tables created and runs loaded through
the client give the same rows, pages (items, cursors, embeds), evaluation-parameter pages and
tenant pages as the same searches on tables loaded through the chdb session. Plus:
values travel as parameters (the statements the shim receives carry no value), driver errors
are the driver's own with the server's exception text on both routes, and bad input is the
same QError on both.

``QEXPR_CH_CONNECT_EXAMPLES`` (default 120) is the number of filters checked.
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr.backends.clickhouse import command, rows
from qexpr.backends.sql import load_records
from qexpr.backends.sql.clickhouse import CLICKHOUSE
from qexpr.schema.model import FieldType
from qexpr.search import Page, Search, compile_search
from qexpr.search.evaluation import STATUSES
from qexpr.syntax.literals import encode_string
from tests.backends.clickhouse.conftest import fresh_database
from tests.backends.clickhouse.test_differential import TABLES, clickhouse_ddl
from tests.backends.test_differential import (
    FILTERS_PER_DATASET,
    NOW,
    SCOPES,
    datasets,
    filter_texts,
)
from tests.search.strategies import sort_specs

clickhouse_connect = pytest.importorskip("clickhouse_connect")

EXAMPLES = max(int(os.environ.get("QEXPR_CH_CONNECT_EXAMPLES", "") or 120),
               FILTERS_PER_DATASET)
DATASETS = math.ceil(EXAMPLES / FILTERS_PER_DATASET)
HOSTILE = "x'; DROP TABLE runs; --\t\n\r\b\f\\N\\`\"{p0:String}é\U0001f600"
RAW = HOSTILE + "\0"  # q strings cannot hold U+0000; a bound value can


def client(shim: Any, database: str) -> Any:
    """A clickhouse-connect client of ``database`` through the shim."""
    return clickhouse_connect.get_client(host="127.0.0.1", port=shim.port, database=database,
                                         compress=False)


@dataclass
class Routes:
    """The chdb session on one database and a clickhouse-connect client on another."""

    chdb: Any
    connect: Any

    def load(self, runs: list[dict[str, Any]]) -> None:
        for conn in (self.chdb, self.connect):
            for table in TABLES:
                command(conn, f'TRUNCATE TABLE "{table}"')
            load_records(conn, runs, "clickhouse")

    def ids(self, f: qexpr.Filter) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        where, params = f.to_sql("clickhouse")
        text = f'SELECT "runs"."id" FROM "runs" WHERE {where} ORDER BY 1'
        return rows(self.chdb, text, params), rows(self.connect, text, params)

    def pages(self, search: Search) -> tuple[Page, Page]:
        return search.execute(self.chdb, "clickhouse"), search.execute(self.connect, "clickhouse")


@pytest.fixture(scope="module")
def routes(chdb_session: Any, ch_http: Any) -> Iterator[Routes]:
    on_connect = fresh_database(chdb_session)
    conn = client(ch_http, on_connect)
    for statement in clickhouse_ddl_statements():
        command(conn, statement)  # the tables of the client's database, made by the client
    on_chdb = fresh_database(chdb_session)
    clickhouse_ddl(chdb_session)
    try:
        yield Routes(chdb_session, conn)
    finally:
        conn.close()
        chdb_session.query("USE default")
        for name in (on_connect, on_chdb):
            chdb_session.query(f"DROP DATABASE IF EXISTS {name}")


def clickhouse_ddl_statements() -> list[str]:
    from qexpr.backends.sql import reference_ddl

    return [s for s in reference_ddl("clickhouse").split(";\n") if s.strip()]


def walk(routes: Routes, search: Search, limit: int) -> None:
    """Every page of ``search`` is the same on both routes, followed by its next cursor."""
    for _ in range(limit + 1):
        on_chdb, on_connect = routes.pages(search)
        assert on_connect == on_chdb
        assert (on_connect.next, on_connect.previous) == (on_chdb.next, on_chdb.previous)
        if on_chdb.next is None:
            return
        search = search.follow(on_chdb.next)


@settings(max_examples=DATASETS, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much])
@given(data=st.data())
def test_chdb_and_clickhouse_connect_give_the_same_rows_and_pages(routes: Routes,
                                                                  data: st.DataObject) -> None:
    dataset = data.draw(datasets(), label="dataset")
    routes.load(dataset.runs)
    orgs = sorted({str(r["org_id"]) for r in dataset.runs if r.get("org_id") is not None})
    for _ in range(FILTERS_PER_DATASET):
        q = data.draw(filter_texts(dataset.pools), label="q")
        on_chdb, on_connect = routes.ids(qexpr.compile(q, scopes=SCOPES, now=NOW))
        assert on_connect == on_chdb, q
        params = {"q": q, "limit": str(data.draw(st.integers(1, 3), label="limit")),
                  "sort_by": data.draw(sort_specs(), label="sort_by"),
                  "embed": data.draw(st.sampled_from(
                      ["", "model", "node_runs", "current_evaluation_summary"]), label="embed"),
                  "evaluation_status": data.draw(st.none() | st.sampled_from(STATUSES),
                                                 label="evaluation_status")}
        tenant = data.draw(st.none() | st.sampled_from(orgs or [str(uuid.UUID(int=1))]),
                           label="org_id")
        search = compile_search(params, scopes=SCOPES, now=NOW, org_id=tenant)
        walk(routes, search, len(dataset.runs))


def test_every_query_gets_the_dialects_settings(ch: Any, ch_http: Any) -> None:
    from qexpr.backends.clickhouse import QUERY_SETTINGS, with_settings
    from qexpr.backends.sql.clickhouse import SETTINGS as DIALECT_SETTINGS

    assert QUERY_SETTINGS is DIALECT_SETTINGS
    assert with_settings("SELECT 1") == f"SELECT 1 SETTINGS {DIALECT_SETTINGS}"
    name = ch.query("SELECT currentDatabase()", "TabSeparated").bytes().decode().strip()
    conn = client(ch_http, name)
    try:
        ch.query("SET transform_null_in = 1")  # the session's default is not what runs
        text = ("SELECT getSetting('transform_null_in'), "
                "getSetting('correlated_subqueries_default_join_kind'), "
                "getSetting('use_index_for_in_with_subqueries')")
        assert rows(conn, text, []) == rows(ch, text, []) == [(False, "left", False)]
    finally:
        ch.query("SET transform_null_in = 0")
        conn.close()


def test_values_travel_as_parameters_and_arrive_intact(ch: Any, ch_http: Any) -> None:
    runs = [{"id": str(uuid.UUID(int=1)), "client_ref": HOSTILE, "cost": Decimal("0.1"),
             "created_at": "0001-01-01T00:00:00.000001Z"},
            {"id": str(uuid.UUID(int=2)), "client_ref": "other", "cost": Decimal("12345.5"),
             "created_at": "9999-12-31T23:59:59.999999Z"}]
    name = ch.query("SELECT currentDatabase()", "TabSeparated").bytes().decode().strip()
    conn = client(ch_http, name)
    try:
        for statement in clickhouse_ddl_statements():
            command(conn, statement)
        load_records(conn, runs, "clickhouse")
        literal = encode_string(HOSTILE)
        q = (f"client_ref = {literal} AND cost = 0.1 "
             'AND created_at < "0001-01-01T00:00:00.000002Z"')
        f = qexpr.compile(q)
        del ch_http.requests[:]
        where, params = f.to_sql("clickhouse")
        got = rows(conn, f'SELECT "runs"."id", "runs"."client_ref" FROM "runs" WHERE {where}',
                   params)
        assert got == [(str(uuid.UUID(int=1)), HOSTILE)]
        assert rows(ch, f'SELECT "runs"."id", "runs"."client_ref" FROM "runs" WHERE {where}',
                    params) == got
        sent = ch_http.requests[-1]
        assert sent.params and set(sent.params) == {f"p{i}" for i in range(len(params))}
        for value in ("DROP TABLE", "0.1", "0001-01-01"):
            assert value not in sent.query, sent.query
        page = compile_search({"q": q, "embed": "node_runs"}).execute(conn, "clickhouse")
        assert [(i["id"], i["client_ref"], i["cost"]) for i in page.items] == [
            (str(uuid.UUID(int=1)), HOSTILE, "0.1")]  # the API form of a decimal
        assert all("DROP TABLE" not in r.query for r in ch_http.requests)
    finally:
        conn.close()


def test_rows_are_the_chdb_routes_values(ch: Any, ch_http: Any) -> None:
    name = ch.query("SELECT currentDatabase()", "TabSeparated").bytes().decode().strip()
    conn = client(ch_http, name)
    text = ("SELECT {p0:Decimal(38, 18)}, {p1:DateTime64(6, 'UTC')}, {p2:Int64}, {p3:Bool}, "
            "{p4:Float64}, CAST(NULL AS Nullable(String)), {p5:String}, toDecimal128(100, 18)")
    params = [Decimal("-12345678901234567890.123456789012345678"),
              NOW.replace(year=1), -(2**63), False, 0.1, RAW]
    types = [FieldType.DECIMAL, FieldType.TIMESTAMP, FieldType.INTEGER, FieldType.BOOLEAN,
             FieldType.FLOAT, FieldType.STRING, FieldType.STRING, FieldType.DECIMAL]

    def decoded(conn_: Any) -> list[Any]:
        (row,) = rows(conn_, text, params)
        return [CLICKHOUSE.codec.decode(ftype, v) for ftype, v in zip(types, row, strict=True)]

    try:
        assert decoded(conn) == decoded(ch)
        assert [type(v) for v in decoded(conn)] == [type(v) for v in decoded(ch)]
        assert decoded(conn)[1] == NOW.replace(year=1)
        got = rows(conn, text, params)[0]
        assert str(got[0]) == "-12345678901234567890.123456789012345678"
        assert got[1] == "0001-06-15 12:30:45.123456"
        assert got[5] is None and got[6] == RAW and str(got[7]) == "100"
    finally:
        conn.close()


def test_driver_errors_are_the_servers_on_both_routes(ch: Any, ch_http: Any) -> None:
    from chdb import ChdbError

    from qexpr.cli.output import one_line

    name = ch.query("SELECT currentDatabase()", "TabSeparated").bytes().decode().strip()
    conn = client(ch_http, name)
    search = compile_search({"q": "duration_ms > 1"})
    try:
        with pytest.raises(ChdbError) as on_chdb:
            search.execute(ch, "clickhouse")  # no tables in this database
        with pytest.raises(clickhouse_connect.driver.exceptions.DatabaseError) as on_connect:
            search.execute(conn, "clickhouse")
        assert on_connect.value.code == 60 and str(on_chdb.value).startswith("Code: 60.")
        assert "\n" not in one_line(on_connect.value)
        assert one_line(on_chdb.value) in one_line(on_connect.value)
        for bad in ({"q": "duration_ms >"}, {"q": "nope = 1"}, {"limit": "0"}):
            errors = []
            for conn_ in (ch, conn):
                with pytest.raises(qexpr.QError) as raised:
                    compile_search(bad).execute(conn_, "clickhouse")
                errors.append(raised.value.to_dict())
            assert errors[0] == errors[1]
    finally:
        conn.close()


def test_filter_sql_binds_through_clickhouse_connect(ch: Any, ch_http: Any) -> None:
    runs = [{"id": str(uuid.UUID(int=i)), "duration_ms": i * 10, "client_ref": f"r{i}"}
            for i in range(1, 4)]
    name = ch.query("SELECT currentDatabase()", "TabSeparated").bytes().decode().strip()
    for statement in clickhouse_ddl_statements():
        command(ch, statement)
    load_records(ch, runs, "clickhouse")
    conn = client(ch_http, name)
    try:
        where, params = qexpr.compile('duration_ms > 10 AND client_ref != "r9"').to_sql(
            "clickhouse")
        from qexpr.backends.clickhouse import connect_params, with_settings

        result = conn.query(with_settings(f'SELECT "id" FROM "runs" WHERE {where} ORDER BY 1'),
                            parameters=connect_params(params))
        assert [r[0] for r in result.result_rows] == [str(uuid.UUID(int=2)),
                                                      str(uuid.UUID(int=3))]
        assert params == [11, "r9"]  # > 10 on an integer column is >= 11
        assert ch_http.requests[-1].params == {"p0": "11", "p1": "r9"}
    finally:
        conn.close()
