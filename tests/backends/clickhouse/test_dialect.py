"""The public forms of the ClickHouse dialect: ``Filter.to_sql("clickhouse")`` and
``Search.to_sql("clickhouse")`` give text with ``{pN:Type}`` placeholders numbered in order and
the values by position, runnable as they are on a chdb session (``named(params)``)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

import qexpr
from qexpr.backends.clickhouse import SETTINGS, param_text
from qexpr.backends.sql import get_dialect
from qexpr.backends.sql.clickhouse import CLICKHOUSE, ClickhouseDialect, named
from qexpr.search import compile_search
from tests.backends.clickhouse.test_traps import ID, setup


def run(ch: Any, text: str, params: list[Any]) -> list[list[Any]]:
    out = ch.query(f"{text} SETTINGS {SETTINGS}", "JSONCompactEachRow",
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
