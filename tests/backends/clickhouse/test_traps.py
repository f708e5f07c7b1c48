"""Each ClickHouse trap of issue 13, on chdb: the answer is the in-memory predicate's.

Traps: ``transform_null_in``, NULL kept by Nullable columns, ``LIKE`` escapes, Unicode
``ILIKE``, TSV-escaped parameters, integers against doubles, decimal literals beyond the
column's scale, JSON documents with huge numbers, keys bound as text, DateTime64's range,
quantifiers after a null to-one hop, ``IN`` on a to-one sub-path, to-one key sets over
missing and dangling records, de-duplication of shared
records, UUID order, identifiers with quotes, backslashes and braces.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr.backends.clickhouse import command, rows
from qexpr.backends.sql import load_records, reference_ddl
from qexpr.backends.sql.clickhouse import CLICKHOUSE
from qexpr.schema.model import Schema
from qexpr.search import compile_search
from qexpr.syntax.literals import encode_string, format_number
from tests.backends.sql.test_to_one_key_sets import SHOP, SHOP_FILTERS, SHOP_ORDERS

SCOPES = frozenset({"evaluations:read"})
ID = "00000000-0000-0000-0000-0000000000{:02x}"


def setup(ch: Any, runs: list[dict[str, Any]], schema: Schema = qexpr.RUN_SCHEMA) -> None:
    for statement in reference_ddl("clickhouse", schema).split(";\n"):
        if statement.strip():
            command(ch, statement.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))
    for table in [r.table for r in schema.records]:
        command(ch, f'TRUNCATE TABLE "{table}"')
    load_records(ch, runs, "clickhouse", schema)


def ids(ch: Any, q: str) -> set[str]:
    where, params = qexpr.compile(q, scopes=SCOPES).to_sql("clickhouse")
    return {r[0] for r in rows(ch, f'SELECT "runs"."id" FROM "runs" WHERE {where}', params)}


def expected(runs: list[dict[str, Any]], q: str) -> set[str]:
    predicate = qexpr.compile(q, scopes=SCOPES).to_predicate()
    return {r["id"] for r in runs if predicate(r)}


def agree(ch: Any, runs: list[dict[str, Any]], *filters: str) -> None:
    for q in filters:
        assert ids(ch, q) == expected(runs, q), q


def test_transform_null_in_is_pinned_off(ch: Any) -> None:
    runs = [{"id": ID.format(1), "failure_code": None}, {"id": ID.format(2), "failure_code": "x"}]
    setup(ch, runs)
    ch.query("SET transform_null_in = 1")
    try:
        agree(ch, runs, 'failure_code NOT IN ("y")', 'NOT failure_code IN ("x")',
              'failure_code != "oom"', 'failure_code != "oom" OR failure_code IS NULL')
        assert ids(ch, 'failure_code NOT IN ("y")') == {ID.format(2)}
    finally:
        ch.query("SET transform_null_in = 0")


def test_like_escapes_and_ascii_only_ilike(ch: Any) -> None:
    runs = [{"id": ID.format(i), "client_ref": v}
            for i, v in enumerate(["abc", "\\abc", "50%off", "É", "é", "a😀c", "A_B", "ab"])]
    setup(ch, runs)
    agree(ch, runs, r'client_ref LIKE "\\a%"', r'client_ref LIKE "50\\%%"',
          'client_ref ILIKE "é"', 'client_ref ILIKE "ABC"', 'client_ref LIKE "a_c"',
          r'client_ref ILIKE "a\\_b"', r'client_ref LIKE "\\\\%"', 'client_ref CONTAINS ""',
          'client_ref ENDS_WITH ""', 'client_ref STARTS_WITH "a"')
    assert ids(ch, r'client_ref LIKE "\\a%"') == {ID.format(i) for i in (0, 5, 7)}
    assert ids(ch, 'client_ref ILIKE "é"') == {ID.format(4)}


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.text(st.one_of(st.sampled_from("\\\t\n\r\b\fN'\"{}"),
                              st.characters(blacklist_categories=("Cs",),
                                            blacklist_characters="\x00")), max_size=8))
def test_tsv_escaped_parameters(ch: Any, value: str) -> None:
    runs = [{"id": ID.format(1), "client_ref": value}, {"id": ID.format(2), "client_ref": "\\N"}]
    setup(ch, runs)
    lit = encode_string(value)
    agree(ch, runs, f"client_ref = {lit}", f"client_ref CONTAINS {lit}",
          f"client_ref >= {lit}", f"metadata[{lit}] IS NULL")
    assert ID.format(1) in ids(ch, f"client_ref = {lit}")


def test_integers_against_doubles(ch: Any) -> None:
    big = 2**63 - 1
    runs = [{"id": ID.format(1), "metadata": {"a": big, "b": 2**64 - 1}, "duration_ms": big}]
    setup(ch, runs)
    agree(ch, runs, f"metadata.a = {big}", "metadata.a = 9223372036854775808",
          "metadata.b = 18446744073709551616", f"duration_ms = {big}",
          "duration_ms < 9223372036854775807.5", "duration_ms > 9.2e18")
    assert ids(ch, "metadata.a = 9223372036854775808") == {ID.format(1)}


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(stored=st.decimals(-10**6, 10**6, places=6, allow_nan=False),
       extra=st.integers(-10**12, 10**12), digits=st.integers(19, 30),
       op=st.sampled_from(["=", "!=", "<", "<=", ">", ">="]))
def test_decimal_literals_beyond_the_scale_are_exact(ch: Any, stored: Decimal, extra: int,
                                                     digits: int, op: str) -> None:
    literal = stored + Decimal(extra).scaleb(-digits)
    runs = [{"id": ID.format(1), "cost": str(stored)}, {"id": ID.format(2), "cost": None}]
    setup(ch, runs)
    lit = format_number(literal)
    agree(ch, runs, f"cost {op} {lit}", f"cost IN ({lit}, {format_number(stored)})",
          f"cost BETWEEN {lit} AND {format_number(stored + 1)}",
          f"cost NOT BETWEEN {format_number(stored - 1)} AND {lit}",
          "cost < 1e40", "cost > -1e40", "cost = 1e40")


def test_json_documents_with_huge_numbers_and_text_keys(ch: Any) -> None:
    runs = [{"id": ID.format(1), "metadata": {"a": 10**400, "b": "x", "c": 10**20,
                                               "0": True}},
            {"id": ID.format(2), "metadata": {"0": [1], "a": [True]}},
            {"id": ID.format(3), "metadata": [True, {"0": 1}]}]
    setup(ch, runs)
    agree(ch, runs, 'metadata.b = "x"', "metadata.a > 1e300",
          'metadata.c = "100000000000000000000"', "metadata.c = 1e20", 'metadata["0"]',
          'metadata["0"] IS NULL',
          'metadata["0"]["0"] IS NOT NULL', "metadata.a IS NULL")
    assert ids(ch, 'metadata.b = "x"') == {ID.format(1)}


def test_timestamps_across_the_years_0001_to_9999(ch: Any) -> None:
    runs = [{"id": ID.format(1), "created_at": "0001-01-01T00:00:00Z"},
            {"id": ID.format(2), "created_at": "9999-12-31T23:59:59.999999Z"},
            {"id": ID.format(3), "created_at": "2024-01-01T00:00:00.000001+01:00"}]
    setup(ch, runs)
    agree(ch, runs, 'created_at < "1900-01-01"', 'created_at > "2300-01-01"',
          'created_at = "2023-12-31T23:00:00.000001Z"',
          'created_at BETWEEN "0001-01-01" AND "0001-01-02"')
    assert ids(ch, 'created_at < "1900-01-01"') == {ID.format(1)}


def test_quantifiers_after_a_null_to_one_and_in_on_a_to_one(ch: Any) -> None:
    model = {"id": ID.format(9), "slug": "flux", "pricing": [{"id": ID.format(8), "price": "2"}]}
    runs = [{"id": ID.format(1), "model": None, "node_runs": []},
            {"id": ID.format(2), "model_id": model["id"], "model": model,
             "node_runs": [{"id": ID.format(7), "retry_count": None}]}]
    setup(ch, runs)
    agree(ch, runs, "all(model.pricing, price > 1)", "any(model.pricing, price > 1)",
          "NOT any(model.pricing, price > 5)", "all(node_runs, retry_count > 1)",
          "NOT any(node_runs, retry_count = 1)", "all(node_runs, NOT retry_count = 1)",
          'model.slug IN ("flux", "x")', 'model.slug NOT IN ("x")')
    assert ids(ch, "all(model.pricing, price > 1)") == {ID.format(1), ID.format(2)}


def test_to_one_key_sets_with_missing_and_dangling_records(ch: Any) -> None:
    model = {"id": ID.format(9), "slug": "flux", "name": None,
             "pricing": [{"id": ID.format(8), "price": "2"}]}
    runs = [{"id": ID.format(1), "model_id": None, "model": None, "client_ref": "flux"},
            {"id": ID.format(2), "model_id": ID.format(7), "model": None},  # dangling
            {"id": ID.format(3), "model_id": model["id"], "model": model, "client_ref": "flux"},
            {"id": ID.format(4), "model_id": model["id"], "model": model, "client_ref": "x"}]
    setup(ch, runs)
    agree(ch, runs, 'model.slug = "flux"', 'NOT model.slug = "flux"', 'NOT model.slug = "x"',
          "model.name IS NULL", "NOT model.name IS NULL", "model.slug IS NOT NULL",
          "NOT model.slug IS NOT NULL", 'model.name = "x" OR model.slug = "flux"',
          'NOT (model.name = "x" OR model.slug = "flux")', 'NOT model.name = "x"',
          "model.slug = model.name", "NOT model.slug = model.name",
          "model.slug = client_ref", "NOT model.slug = client_ref",
          'model.slug IN ("flux", "x")', 'NOT model.slug IN ("x")', 'model.slug LIKE "f%"',
          'NOT model.name LIKE "f%"', 'model.slug BETWEEN "a" AND "g"',
          'any(model.pricing, price > 1)')
    assert ids(ch, "NOT model.slug IS NOT NULL") == {ID.format(1), ID.format(2)}
    assert ids(ch, 'NOT model.slug = "x"') == {ID.format(3), ID.format(4)}


def test_to_one_chains_and_to_one_paths_inside_quantifiers(ch: Any) -> None:
    setup(ch, SHOP_ORDERS, SHOP)
    for q in SHOP_FILTERS:
        f = qexpr.compile(q, schema=SHOP)
        where, params = f.to_sql("clickhouse")
        got = {r[0] for r in rows(ch, f'SELECT "orders"."id" FROM "orders" WHERE {where}',
                                  params)}
        predicate = f.to_predicate()
        assert got == {o["id"] for o in SHOP_ORDERS if predicate(o)}, q


def test_shared_records_are_stored_once(ch: Any) -> None:
    model = {"id": ID.format(9), "slug": "flux"}
    runs = [{"id": ID.format(i), "model_id": model["id"], "model": model} for i in (1, 2)]
    setup(ch, runs[:1])
    load_records(ch, runs[1:], "clickhouse")
    load_records(ch, [{"id": ID.format(3), "model": {"id": ID.format(9).upper()}}], "clickhouse")
    assert rows(ch, 'SELECT count() FROM "models"', []) == [(1,)]
    assert ids(ch, 'model.slug = "flux"') == {ID.format(1), ID.format(2), ID.format(3)}


def test_ids_sort_in_text_order(ch: Any) -> None:
    texts = ["00000000-0000-0001-0000-000000000000", "00000000-0000-0000-0000-000000000001",
             "10000000-0000-0000-0000-000000000000", "00000001-0000-0000-0000-000000000000"]
    runs = [{"id": t} for t in texts]
    setup(ch, runs)
    page = compile_search({"sort_by": "id:asc", "limit": "10"}).execute(ch, "clickhouse")
    assert [i["id"] for i in page.items] == sorted(texts)


def test_identifiers_with_quotes_backslashes_and_braces(ch: Any) -> None:
    name = 'we"ird\\ {p0:String} }{'
    command(ch, f"CREATE TABLE {CLICKHOUSE.quote(name)} ({CLICKHOUSE.quote(name)} "
                "Nullable(String)) ENGINE = MergeTree ORDER BY tuple()")
    command(ch, f"INSERT INTO {CLICKHOUSE.quote(name)} VALUES ('v')")
    query = CLICKHOUSE.finish(CLICKHOUSE.param("v"))
    found = rows(ch, f"SELECT count() FROM {CLICKHOUSE.ident(name)} WHERE "
                     f"{CLICKHOUSE.ident(name)} = {query.text}", list(query.params))
    assert found == [(1,)]
