"""To-one key-set tests (``Dialect.to_one_key_sets``, ClickHouse's form) give SQL's answers.

The flag is the base dialect's method, so it is proven here on SQLite: the same dialect with
the flag set selects the same runs as without it (correlated scalar subqueries) and as the
in-memory predicate, for the generated filters of the differential test, whose datasets hold
runs with a related record, without one, and with a key that reaches none (dangling).
ClickHouse's differential (``tests/backends/clickhouse``) runs the same law with the flag on.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr.backends.sql import load_records, reference_ddl
from qexpr.backends.sql.compiler import compile_plan
from qexpr.backends.sql.dialects import SQLITE, SqliteDialect
from qexpr.schema.model import Schema, fields, record, to_many, to_one
from tests.backends.test_differential import (
    FILTERS_PER_DATASET,
    NOW,
    SCHEMA,
    SCOPES,
    datasets,
    filter_texts,
)


def U(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


#: Two to-one hops from the root (order → customer → region) and one inside a quantifier
#: (line → product): the key-set test's join chain and its outer key inside a subquery.
SHOP = Schema("Order", (
    record("Order", fields("id:uuid customer_id:uuid"), to_one("customer", "Customer"),
           to_many("lines", "Line")),
    record("Customer", fields("id:uuid name:string region_id:uuid"), to_one("region", "Region")),
    record("Region", fields("id:uuid name:string")),
    record("Line", fields("id:uuid order_id:uuid qty:integer product_id:uuid"),
           to_one("product", "Product")),
    record("Product", fields("id:uuid name:string")),
))
EU = {"id": U(90), "name": "eu"}
NAMELESS = {"id": U(91), "name": None}
APPLE, PEAR = {"id": U(80), "name": "apple"}, {"id": U(81), "name": None}
SHOP_ORDERS: list[dict[str, Any]] = [
    {"id": U(1), "customer_id": None, "customer": None, "lines": []},
    {"id": U(2), "customer_id": U(70), "customer": None,  # dangling
     "lines": [{"id": U(11), "qty": 1, "product_id": APPLE["id"], "product": APPLE}]},
    {"id": U(3), "customer_id": U(60), "customer": {"id": U(60), "name": "eu", "region_id":
                                                      EU["id"], "region": EU},
     "lines": [{"id": U(12), "qty": 2, "product_id": U(79), "product": None},
               {"id": U(13), "qty": 3, "product_id": APPLE["id"], "product": APPLE}]},
    {"id": U(4), "customer_id": U(61), "customer": {"id": U(61), "name": "x", "region_id":
                                                      U(92), "region": None},
     "lines": [{"id": U(14), "qty": 1, "product_id": PEAR["id"], "product": PEAR}]},
    {"id": U(5), "customer_id": U(62), "customer": {"id": U(62), "name": None, "region_id":
                                                      NAMELESS["id"], "region": NAMELESS},
     "lines": [{"id": U(15), "qty": 1, "product_id": None, "product": None}]},
]
SHOP_FILTERS = (
    'customer.region.name = "eu"', 'NOT customer.region.name = "eu"',
    'NOT customer.region.name = "us"', "customer.region.name IS NULL",
    "NOT customer.region.name IS NULL", 'customer.region.name IN ("eu", "us")',
    'customer.region.name LIKE "e%" OR customer.name = "x"', "customer.name = customer.region.name",
    "NOT customer.name = customer.region.name", 'any(lines, product.name = "apple")',
    'all(lines, product.name = "apple")', "all(lines, product.name IS NOT NULL)",
    "any(lines, product.name IS NULL)", 'NOT any(lines, NOT product.name = "apple" AND qty > 1)',
)


def test_to_one_chains_and_to_one_paths_inside_quantifiers() -> None:
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(reference_ddl("sqlite", SHOP))
        load_records(conn, SHOP_ORDERS, "sqlite", SHOP)
        for q in SHOP_FILTERS:
            f = qexpr.compile(q, schema=SHOP)
            predicate = f.to_predicate()
            want = {o["id"] for o in SHOP_ORDERS if predicate(o)}
            for dialect in (KEY_SETS, SQLITE):
                printed = compile_plan(f.plan, dialect, "orders")
                got = {r[0] for r in conn.execute(
                    f'SELECT "orders"."id" FROM "orders" WHERE {printed.text}',
                    list(printed.params))}
                assert got == want, (q, dialect)
    finally:
        conn.close()
    assert compile_plan(qexpr.compile('customer.region.name = "eu"', schema=SHOP).plan,
                        KEY_SETS, "orders").text.startswith(
        '(CASE WHEN "orders"."customer_id" IN (SELECT t1."id" FROM "customers" AS t1 JOIN '
        '"regions" AS t2 ON t2."id" = t1."region_id" WHERE t2."name" = ?) THEN 1')


DATASETS = max(int(os.environ.get("QEXPR_DIFF_EXAMPLES", "") or 600) // FILTERS_PER_DATASET, 1)


class KeySetSqlite(SqliteDialect):
    """SQLite printing to-one predicates as key-set tests."""

    to_one_key_sets: ClassVar[bool] = True


KEY_SETS = KeySetSqlite()


@pytest.fixture(scope="module")
def lite() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    conn.executescript(reference_ddl("sqlite"))
    try:
        yield conn
    finally:
        conn.close()


def reload(conn: sqlite3.Connection, runs: list[dict[str, Any]]) -> None:
    for table in [r.table for r in SCHEMA.records]:
        conn.execute(f'DELETE FROM "{table}"')
    load_records(conn, runs, "sqlite")


def ids(conn: sqlite3.Connection, f: qexpr.Filter, dialect: SqliteDialect) -> set[str]:
    printed = compile_plan(f.plan, dialect, "runs")
    return {r[0] for r in conn.execute(f'SELECT "runs"."id" FROM "runs" WHERE {printed.text}',
                                       list(printed.params))}


def test_a_to_one_predicate_is_a_key_set_test_not_a_correlated_subquery() -> None:
    f = qexpr.compile('model.slug = "flux" AND NOT model.is_public')
    text = compile_plan(f.plan, KEY_SETS, "runs").text
    assert '= "runs"."model_id"' not in text  # no correlation with the outer row
    assert text.count('"runs"."model_id" IN (SELECT') == 4  # TRUE and FALSE sets of each
    assert '= "runs"."model_id"' in compile_plan(f.plan, SQLITE, "runs").text
    # A null test is the dialect's any(): NOT EXISTS a related record with a value.
    null_test = qexpr.compile("model.slug IS NULL")
    assert compile_plan(null_test.plan, KEY_SETS, "runs").text.startswith("(NOT EXISTS (")
    # Two fields on different paths keep the scalar subqueries.
    mixed = qexpr.compile("model.created_at > created_at")
    assert '= "runs"."model_id"' in compile_plan(mixed.plan, KEY_SETS, "runs").text


def test_missing_and_dangling_records_keep_three_valued_answers(lite: sqlite3.Connection
                                                                 ) -> None:
    model = {"id": "00000000-0000-4000-8000-000000000009", "slug": "flux", "name": None}
    runs = [{"id": "00000000-0000-4000-8000-000000000001", "model_id": None, "model": None},
            {"id": "00000000-0000-4000-8000-000000000002",
             "model_id": "00000000-0000-4000-8000-000000000008", "model": None},
            {"id": "00000000-0000-4000-8000-000000000003", "model_id": model["id"],
             "model": model}]
    reload(lite, runs)
    r1, r2, r3 = (r["id"] for r in runs)
    cases = {
        'model.slug = "flux"': {r3},
        'NOT model.slug = "flux"': set(),
        'NOT model.slug = "sdxl"': {r3},
        "model.name IS NULL": {r1, r2, r3},
        "NOT model.name IS NULL": set(),
        "model.slug IS NOT NULL": {r3},
        "NOT model.slug IS NOT NULL": {r1, r2},
        'model.name = "x" OR model.slug = "flux"': {r3},
        'NOT (model.name = "x" OR model.slug = "flux")': set(),
        'NOT model.name = "x"': set(),
        "model.slug = model.name": set(),
        "NOT model.slug = model.name": set(),
    }
    for q, want in cases.items():
        f = qexpr.compile(q, scopes=SCOPES, now=NOW)
        assert ids(lite, f, KEY_SETS) == want, q
        assert ids(lite, f, SQLITE) == want, q


@settings(max_examples=DATASETS, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much])
@given(data=st.data())
def test_key_sets_select_what_scalar_subqueries_and_the_predicate_select(
        lite: sqlite3.Connection, data: st.DataObject) -> None:
    dataset = data.draw(datasets(), label="dataset")
    reload(lite, dataset.runs)
    for _ in range(FILTERS_PER_DATASET):
        f = qexpr.compile(data.draw(filter_texts(dataset.pools), label="q"), scopes=SCOPES,
                          now=NOW)
        predicate = f.to_predicate()
        expected = {run["id"] for run in dataset.runs if predicate(run)}
        assert ids(lite, f, KEY_SETS) == expected, f.to_q()
        assert ids(lite, f, SQLITE) == expected, f.to_q()
