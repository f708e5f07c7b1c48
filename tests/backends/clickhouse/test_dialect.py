"""The public forms of the ClickHouse dialect: ``Filter.to_sql("clickhouse")`` and
``Search.to_sql("clickhouse")`` give text with ``{pN:Type}`` placeholders numbered in order and
the values by position, runnable as they are on a chdb session (``named(params)``)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

import qexpr
from qexpr.backends.clickhouse import param_text
from qexpr.backends.sql import get_dialect, reference_ddl
from qexpr.backends.sql.clickhouse import CLICKHOUSE, ClickhouseDialect, named
from qexpr.backends.sql.clickhouse import SETTINGS as DIALECT_SETTINGS
from qexpr.search import compile_search
from tests.backends.clickhouse.test_traps import ID, setup


def run(ch: Any, text: str, params: list[Any]) -> list[list[Any]]:
    out = ch.query(f"{text} SETTINGS {DIALECT_SETTINGS}", "JSONCompactEachRow",
                   params={k: param_text(v) for k, v in named(params).items()})
    return [json.loads(line) for line in out.bytes().splitlines() if line]


def test_the_dialect_is_found_by_name() -> None:
    assert get_dialect("clickhouse") is CLICKHOUSE
    assert get_dialect("ClickHouse") is CLICKHOUSE
    assert isinstance(get_dialect("chdb"), ClickhouseDialect)


def test_filter_sql_is_numbered_in_order_and_runs_as_is(ch: Any) -> None:
    runs = [{"id": ID.format(1), "client_ref": "a", "duration_ms": 5},
            {"id": ID.format(2), "client_ref": "b", "duration_ms": 50}]
    setup(ch, runs)
    f = qexpr.compile('(client_ref = "a" OR duration_ms > 10) AND client_ref != "z"')
    text, params = f.to_sql("clickhouse")
    names = re.findall(r"\{p(\d+):", text)
    assert names == [str(i) for i in range(len(params))]
    assert len(params) == 3
    got = run(ch, f'SELECT "runs"."id" FROM "runs" WHERE {text} ORDER BY 1', params)
    assert got == [[ID.format(1)], [ID.format(2)]]


def test_search_sql_runs_as_is(ch: Any) -> None:
    runs = [{"id": ID.format(i), "created_at": f"2024-01-0{i}T00:00:00Z"} for i in (1, 2, 3)]
    setup(ch, runs)
    search = compile_search({"q": 'created_at > "2024-01-01"', "limit": "1"})
    text, params = search.to_sql("clickhouse")
    assert re.findall(r"\{p(\d+):", text) == [str(i) for i in range(len(params))]
    got = run(ch, text, params)
    assert [r[search.fields.index("id")] for r in got] == [ID.format(3), ID.format(2)]
    page = search.execute(ch, "clickhouse")
    assert [i["id"] for i in page.items] == [ID.format(3)]
    assert page.next is not None
    assert [i["id"] for i in search.follow(page.next).execute(ch, "clickhouse").items] == [
        ID.format(2)]


@pytest.mark.parametrize("value", [1.5, True, "x", 3])
def test_parameter_types_follow_the_value(value: Any) -> None:
    assert CLICKHOUSE.finish(CLICKHOUSE.param(value)).text.startswith("{p0:")


def explain(ch: Any, text: str, params: list[Any], settings: str = DIALECT_SETTINGS) -> str:
    out = ch.query(f"EXPLAIN actions = 1, indexes = 1 {text} SETTINGS {settings}", "TSVRaw",
                   params={k: param_text(v) for k, v in named(params).items()})
    return str(out.bytes().decode())


def many_runs(count: int) -> list[dict[str, Any]]:
    return [{"id": f"00000000-0000-0000-0000-{i:012x}", "org_id": ID.format(i % 7),
             "created_at": f"2024-01-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
             "model": {"id": ID.format(200 + i % 3), "slug": f"m{i % 3}"},
             "model_id": ID.format(200 + i % 3), "failure_code": "oom" if i % 5 else None}
            for i in range(count)]


def test_the_root_table_has_a_projection_in_the_page_order() -> None:
    ddl = reference_ddl("clickhouse").split(";\n")[0]
    assert 'PROJECTION "page_order" (SELECT * ORDER BY ("created_at", "id"))' in ddl
    assert 'ORDER BY ("org_id", "created_at", "id")' in ddl


def test_a_page_across_tenants_is_read_in_order_from_the_projection(ch: Any) -> None:
    runs = many_runs(300)
    setup(ch, runs)
    search = compile_search({"q": 'failure_code = "oom"', "limit": "5"})
    plan = explain(ch, *search.to_sql("clickhouse"))
    assert "ReadFromMergeTree (page_order)" in plan
    assert "Read type: InReverseOrder" in plan
    oom = sorted((r for r in runs if r["failure_code"]), key=lambda r: (r["created_at"], r["id"]),
                 reverse=True)
    page = search.execute(ch, "clickhouse")
    assert [i["id"] for i in page.items] == [r["id"] for r in oom[:5]]


def test_a_tenant_page_reads_the_tenant_range_of_the_table(ch: Any) -> None:
    setup(ch, many_runs(300))
    search = compile_search({"q": f'org_id = "{ID.format(3)}"', "limit": "5"})
    plan = explain(ch, *search.to_sql("clickhouse"))
    assert "Condition: (org_id in" in plan


def test_a_to_one_predicate_is_a_key_set_test(ch: Any) -> None:
    runs = many_runs(60)
    setup(ch, runs)
    where, params = qexpr.compile('model.slug = "m1"').to_sql("clickhouse")
    assert where == ('(CASE WHEN "runs"."model_id" IN (SELECT t1."id" FROM "models" AS t1 '
                     'WHERE t1."slug" = {p0:String}) THEN 1 WHEN "runs"."model_id" IN '
                     '(SELECT t1."id" FROM "models" AS t1 WHERE NOT (t1."slug" = '
                     '{p1:String})) THEN 0 END)')
    text = f'SELECT "runs"."id" FROM "runs" WHERE {where}'
    assert "Join" not in explain(ch, text, params)  # two sets of model keys, no join
    got = {r[0] for r in run(ch, text, params)}
    assert got == {r["id"] for r in runs if r["model"]["slug"] == "m1"}


def test_a_quantifiers_set_is_not_used_to_analyse_the_primary_index(ch: Any) -> None:
    runs = [dict(r, node_runs=[{"id": ID.format(100 + i), "state_code": "failed"}])
            for i, r in enumerate(many_runs(60)) if i % 2]
    setup(ch, runs)
    where, params = qexpr.compile('any(node_runs, state_code = "failed")').to_sql("clickhouse")
    text = f'SELECT count() FROM "runs" WHERE {where}'
    assert "element set" not in explain(ch, text, params)
    # The engine's default analyses the index with the set (pruning nothing: id is no prefix).
    default = "transform_null_in = 0, join_use_nulls = 1"
    assert "element set" in explain(ch, text, params, default)


def test_a_to_one_subquery_builds_its_join_from_the_to_one_table(ch: Any) -> None:
    # Two fields on different paths are still read by correlated scalar subqueries.
    runs = [dict(r, client_ref=f"m{i % 2}") for i, r in enumerate(many_runs(60))]
    setup(ch, runs)
    where, params = qexpr.compile("model.slug = client_ref").to_sql("clickhouse")
    text = f'SELECT "runs"."id" FROM "runs" WHERE {where}'
    assert "Type: left" in explain(ch, text, params)
    # Without the join-kind setting, the engine builds from runs (its default).
    three_valued_only = "transform_null_in = 0, join_use_nulls = 1"
    assert "Type: right" in explain(ch, text, params, three_valued_only)
    got = {r[0] for r in run(ch, text, params)}
    want = {r["id"] for r in runs if r["model"]["slug"] == r["client_ref"]}
    assert got == want and 0 < len(want) < len(runs)
