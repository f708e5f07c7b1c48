"""The SQL cache hits in a server (same q on every request, a fresh now each time), and the
storage codec loads what JSON decoding can produce (infinities, NaN) as the predicate reads it."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import qexpr
from qexpr.backends.sql import cache_info, load_records, reference_ddl
from qexpr.backends.sql.codec import json_text


def test_the_same_q_compiled_per_request_reuses_its_sql() -> None:
    q = 'duration_ms > 1 AND failure_code IN ("oom", "timeout")'
    qexpr.compile(q).to_sql("postgresql")
    before = cache_info()
    for second in range(3):
        now = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=second)
        qexpr.compile(q, now=now).to_sql("postgresql")
    after = cache_info()
    assert after.hits - before.hits == 3
    assert after.misses == before.misses


def test_the_cache_is_keyed_by_the_plan_not_the_text() -> None:
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    qexpr.compile("created_at > now() - 1d AND cost > 0.5", now=t0).to_sql("sqlite")
    before = cache_info()
    same = qexpr.compile("created_at  >  now() - 24h  AND  cost > 0.5", now=t0).to_sql("sqlite")
    after = cache_info()
    assert after.hits - before.hits == 1 and after.misses == before.misses
    assert same == qexpr.compile("created_at > now() - 1d AND cost > 0.5", now=t0
                                 ).to_sql("sqlite")
    other = qexpr.compile("cost > 0.5", now=t0)
    assert other.to_sql("sqlite") != other.to_sql("sqlite", root_alias="r")


def test_filters_using_now_keep_their_own_instant() -> None:
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    a = qexpr.compile("created_at > now() - 1d", now=t0)
    b = qexpr.compile("created_at > now() - 1d", now=t0 + timedelta(days=1))
    assert a.to_sql("sqlite")[1] != b.to_sql("sqlite")[1]


def test_json_text_writes_infinities_as_numbers_beyond_the_double_range() -> None:
    text = json_text({"x": float("inf"), "y": [float("-inf"), float("nan")], "z": 1.5})
    decoded = json.loads(text)
    assert decoded["x"] > 1e307 and decoded["y"][0] < -1e307 and decoded["y"][1] is None
    assert decoded["z"] == 1.5


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_decoded_infinities_load_and_compare_as_the_predicate_says(
    dialect: str, request: pytest.FixtureRequest
) -> None:
    records: list[dict[str, Any]] = [
        {"id": f"{i:08d}-0d44-4b50-8888-8dd25736052a", "created_at": "2024-01-01T00:00:00Z",
         "metadata": json.loads(doc)}
        for i, doc in enumerate(['{"x": 1e400}', '{"x": -1e400}', '{"x": 5}', '{"x": NaN}',
                                 '{"x": null}', '{"y": 1}'])
    ]
    if dialect == "sqlite":
        conn: Any = sqlite3.connect(":memory:")
        conn.executescript(reference_ddl("sqlite"))
    else:
        conn = request.getfixturevalue("pg_conn")
        conn.execute(reference_ddl("postgresql"))
    load_records(conn, records, dialect)
    for q in ("metadata.x > 1e307", "metadata.x < -1e307", "metadata.x = 5",
              "metadata.x IS NULL", "metadata.x IS NOT NULL", "metadata.x != 5",
              "metadata.x BETWEEN -1e307 AND 1e307"):
        f = qexpr.compile(q)
        text, params = f.to_sql(dialect)
        cur = conn.cursor()
        cur.execute(f'SELECT "id" FROM "runs" WHERE {text}', params)
        got = {str(row[0]) for row in cur.fetchall()}
        assert got == {r["id"] for r in records if f.matches(r)}, q
