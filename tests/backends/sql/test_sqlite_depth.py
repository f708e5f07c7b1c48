"""SQLite runs every filter the default limits allow (issue: parser stack overflow).

Generated members of the class: nestings of AND/OR/NOT/groups up to the depth limit, JSON paths
of any length that fits the length limit (also below a to-one hop and inside any()), mixed;
each runs on SQLite and agrees with the predicate. Beyond what SQLite parses (raised limits)
the compiler refuses with limit_exceeded instead of a driver error.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr.backends.sql import load_records, reference_ddl
from qexpr.limits import DEFAULT_LIMITS, Limits

RUN = "3c90c3cc-0d44-4b50-8888-8dd25736052a"


def _nested(depth: int, value: Any) -> dict[str, Any]:
    doc: Any = value
    for _ in range(depth):
        doc = {"a": doc}
    return doc  # type: ignore[no-any-return]


RECORDS: list[dict[str, Any]] = [
    {"id": f"{i:08d}-0d44-4b50-8888-8dd25736052a", "created_at": "2024-01-01T00:00:00Z",
     "duration_ms": i * 10, "metadata": _nested(i * 7 % 40, i % 3),
     "model": {"id": f"0000000{i % 2}-1111-4b50-8888-8dd25736052a", "slug": f"s{i % 2}",
               "seo": _nested(5 + (i % 2) * 6, 1)},
     "node_runs": [{"id": f"{i:08d}-0d44-4b50-8888-8dd2573605{j:02d}", "state_code": "failed",
                    "output": _nested(j * 5, 1)} for j in range(3)]}
    for i in range(12)
]


@pytest.fixture(scope="module")
def db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(reference_ddl("sqlite"))
    load_records(conn, RECORDS, "sqlite")
    return conn


def _rows(conn: sqlite3.Connection, f: qexpr.Filter) -> set[str]:
    text, params = f.to_sql("sqlite")
    return {r[0] for r in conn.execute(f'SELECT "id" FROM "runs" WHERE {text}', params)}


def _expected(f: qexpr.Filter) -> set[str]:
    return {r["id"] for r in RECORDS if f.matches(r)}


LEAVES = [
    "duration_ms > 40",
    'model.slug = "s1"',
    "metadata.a.a.a = 1",
    "model.seo.a.a.a.a.a.a.a.a.a.a.a IS NULL",
    "any(node_runs, output.a.a.a.a.a.a.a.a.a.a = 1)",
]
WRAPS = ["({} AND {})", "({} OR {})", "NOT {}", "NOT ({})", "({})"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(WRAPS), st.sampled_from(LEAVES)), max_size=40),
       st.sampled_from(LEAVES))
def test_every_nesting_within_the_default_limits_runs(db: sqlite3.Connection,
                                                      steps: list[tuple[str, str]],
                                                      leaf: str) -> None:
    q = leaf
    for wrap, other in steps:
        candidate = wrap.format(other, q) if wrap.count("{}") == 2 else wrap.format(q)
        try:
            qexpr.parse(candidate)
        except qexpr.QError:
            break
        q = candidate
    f = qexpr.compile(q)
    assert _rows(db, f) == _expected(f)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, (DEFAULT_LIMITS.max_length - 40) // 2), st.sampled_from(
    ["metadata{} = 1", "metadata{} IS NULL", "model.seo{} = 1",
     "any(node_runs, output{} = 1)", 'metadata{} != "x"']))
def test_json_paths_of_any_length_run(db: sqlite3.Connection, keys: int, form: str) -> None:
    q = form.format(".a" * keys)
    f = qexpr.compile(q)
    assert _rows(db, f) == _expected(f)


def test_the_longest_paths_and_deepest_groups() -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript(reference_ddl("sqlite"))
    load_records(conn, RECORDS, "sqlite")
    keys = (DEFAULT_LIMITS.max_length - len("metadata = 1")) // 2
    f = qexpr.compile("metadata" + ".a" * keys + " = 1")
    assert _rows(conn, f) == _expected(f)
    q = "duration_ms > 1"
    for i in range(DEFAULT_LIMITS.max_depth - 1):
        q = f"(metadata.a.a = 1 {'AND' if i % 2 else 'OR'} {q})"
    f = qexpr.compile(q)
    assert _rows(conn, f) == _expected(f)


def test_beyond_what_sqlite_parses_is_limit_exceeded(db: sqlite3.Connection) -> None:
    q = "duration_ms > 1"
    for i in range(90):
        q = f"(metadata.a = 1 {'AND' if i % 2 else 'OR'} {q})"
    f = qexpr.compile(q, limits=Limits(max_depth=100, max_length=10_000))
    with pytest.raises(qexpr.QError) as info:
        f.to_sql("sqlite")
    assert info.value.code == "limit_exceeded"
    assert f.to_sql("postgresql")[0]  # PostgreSQL takes it
