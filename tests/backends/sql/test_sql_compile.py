"""The SQL text itself: parameters, quoting, paramstyles, aliases, caching (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

import qexpr
from qexpr.backends.sql import (
    POSTGRESQL,
    SQLITE,
    PostgresDialect,
    SqliteDialect,
    get_dialect,
    to_sql,
)
from qexpr.backends.sql.dialects import like_to_glob, timestamp_text
from qexpr.operators import Operator
from qexpr.plan.nodes import INT64_MAX, INT64_MIN, int_test

SCOPES = {"evaluations:read"}


def compiled(q: str, dialect: str) -> tuple[str, list[object]]:
    return qexpr.compile(q, scopes=SCOPES).to_sql(dialect)


def test_examples_of_the_docstring() -> None:
    text, params = compiled('model.slug = "flux-dev"', "sqlite")
    assert text == '(SELECT t1."slug" FROM "models" AS t1 WHERE t1."id" = "runs"."model_id") = ?'
    assert params == ["flux-dev"]
    text, params = compiled('model.slug = "flux-dev"', "postgresql")
    # Equality needs no COLLATE "C" (deterministic collations compare equal bytes), so an
    # ordinary index on the column serves it.
    assert text == ('(SELECT t1."slug" FROM "models" AS t1 WHERE t1."id" = "runs"."model_id") '
                    '= %s::text')


def test_quantifiers_use_exists_and_unique_aliases() -> None:
    text, _ = compiled('any(model.pricing, price > 1) AND all(logs, level_code != "error") '
                       'AND model.slug = "x"', "sqlite")
    assert text == (
        '(EXISTS (SELECT 1 FROM "models" AS t1 JOIN "model_pricing" AS t2 '
        'ON t2."model_id" = t1."id" WHERE t1."id" = "runs"."model_id" AND (t2."price" > ?)) AND '
        'NOT EXISTS (SELECT 1 FROM "run_logs" AS t3 WHERE t3."run_id" = "runs"."id" AND '
        '(t3."level_code" <> ?) IS NOT TRUE) AND '
        '(SELECT t4."slug" FROM "models" AS t4 WHERE t4."id" = "runs"."model_id") = ?)'
    )


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_typed_parameters(dialect: str) -> None:
    q = ('id = "3C90C3CC-0D44-4B50-8888-8DD25736052A" AND created_at > "2024-01-01T02:00:00+02:00" '
         "AND cost > 0.25 AND current_evaluation_summary.score < 0.5 AND has_logs = false "
         "AND duration_ms > 7 AND metadata.n = 2")
    _, params = compiled(q, dialect)
    uuid = UUID("3c90c3cc-0d44-4b50-8888-8dd25736052a")
    instant = datetime(2024, 1, 1, tzinfo=UTC)
    if dialect == "postgresql":
        assert params == [uuid, instant, Decimal("0.25"), 0.5, False, 8, "n", "n", 2.0]
        assert isinstance(params[5], int)
    else:
        assert params == [str(uuid), "2024-01-01T00:00:00.000000Z", 0.25, 0.5, 0, 8, "n", 2.0]
    assert type(params[3]) is float


def test_sqlite_timestamps_have_one_width() -> None:
    assert timestamp_text(datetime(1, 1, 1, tzinfo=UTC)) == "0001-01-01T00:00:00.000000Z"
    offset = datetime(2024, 1, 1, 3, tzinfo=UTC).astimezone(tz=None)
    assert timestamp_text(offset) == "2024-01-01T03:00:00.000000Z"


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        (Operator.EQ, "1.5", False),
        (Operator.NE, "1.5", True),
        (Operator.EQ, "2.0", ("=", 2)),
        (Operator.GT, "1.5", (">=", 2)),
        (Operator.GE, "1.5", (">=", 2)),
        (Operator.LT, "1.5", ("<=", 1)),
        (Operator.LE, "1.5", ("<=", 1)),
        (Operator.LT, "-1.5", ("<=", -2)),
        (Operator.GT, "-1.5", (">=", -1)),
        (Operator.LT, "2", ("<=", 1)),
        (Operator.GT, "1e30", False),
        (Operator.LT, "1e30", True),
        (Operator.GT, "-1e30", True),
        (Operator.LT, "-1e30", False),
        (Operator.EQ, "1e30", False),
        (Operator.NE, "1e30", True),
        (Operator.GE, str(INT64_MAX), (">=", INT64_MAX)),
        (Operator.GT, str(INT64_MAX), False),
        (Operator.LE, str(INT64_MAX), True),
        (Operator.LE, str(INT64_MIN), ("<=", INT64_MIN)),
        (Operator.LT, str(INT64_MIN), False),
        (Operator.GE, str(INT64_MIN), True),
        (Operator.GT, "9223372036854775806.5", (">=", INT64_MAX)),
        (Operator.LE, "1e-300", ("<=", 0)),
    ],
)
def test_integer_bounds_are_exact(op: Operator, value: str, expected: object) -> None:
    assert int_test(op, Decimal(value)) == expected


@pytest.mark.parametrize(
    ("pattern", "glob"),
    [
        ("abc", "abc"),
        ("a%b_c", "a*b?c"),
        ("50\\%%", "50%*"),
        ("a*b?c[d]", "a[*]b[?]c[[]d]"),
        ("\\*\\?\\[\\]\\\\", "[*][?][[]]\\"),
        ("\\_\\a", "_a"),
        ("", ""),
    ],
)
def test_like_to_glob(pattern: str, glob: str) -> None:
    assert like_to_glob(pattern) == glob


def test_values_never_reach_the_text() -> None:
    q = ('client_ref = "ZZ1" AND failure_message LIKE "ZZ2%" AND metadata["ZZ3"].ZZ4 = "ZZ5" '
         'AND duration_ms = 987654321 AND cost = 0.123456 AND metadata.ZZ6 = 31415.9 '
         'AND id = "3c90c3cc-0d44-4b50-8888-8dd25736052a" AND created_at > "2024-05-06" '
         'AND metadata.ZZ7 = true AND request_id IN ("ZZ8", "ZZ9") '
         'AND client_ref BETWEEN "ZZa" AND "ZZb" AND client_ref ENDS_WITH "ZZc"')
    for dialect in ("sqlite", "postgresql"):
        text, params = compiled(q, dialect)
        for fragment in ("ZZ", "987654321", "123456", "31415", "3c90c3cc", "2024"):
            assert fragment not in text
        assert {"ZZ1", "ZZ3", "ZZ4", "ZZ5", "ZZ8", "ZZ9", "ZZc"} <= set(params)
        assert "ZZ2%" in params or "ZZ2*" in params  # the GLOB form in SQLite
        mark = "%s" if dialect == "postgresql" else "?"
        assert compiled("has_logs = true AND NOT has_logs", dialect) == (
            # deepest operand first (see backends/sql/compiler.py)
            f'((NOT ("runs"."has_logs" = {mark})) AND "runs"."has_logs" = {mark})',
            [True, True] if dialect == "postgresql" else [1, 1],
        )


def test_identifiers_are_quoted_and_percent_escaped_for_psycopg() -> None:
    schema = qexpr.RUN_SCHEMA.with_storage(
        tables={"Run": 'my "runs" 100%', "Model": "mo%dels"},
        columns={("Run", "client_ref"): "client%sref", ("Model", "slug"): 'sl"ug'},
    )
    f = qexpr.compile('client_ref = "x" AND model.slug = "y"', schema=schema)
    text, params = f.to_sql("postgresql")
    assert '"my ""runs"" 100%%"."client%%sref" = %s::text' in text
    assert 'FROM "mo%%dels" AS t1' in text and 't1."sl""ug"' in text
    assert text.count("%s") - text.count("%%s") == 2 and params == ["x", "y"]
    text, _ = f.to_sql("sqlite")
    assert '"my ""runs"" 100%"."client%sref" = ?' in text


def test_braces_in_identifiers() -> None:
    schema = qexpr.RUN_SCHEMA.with_storage(
        tables={"RunLog": "logs{}", "Model": "{}"}, columns={("Model", "slug"): "{}{}"})
    f = qexpr.compile('any(logs, level_code = "x") AND model.slug = "y"', schema=schema)
    text, params = f.to_sql("sqlite")
    assert text == (
        '(EXISTS (SELECT 1 FROM "logs{}" AS t1 WHERE t1."run_id" = "runs"."id" AND '
        '(t1."level_code" = ?)) AND '
        '(SELECT t2."{}{}" FROM "{}" AS t2 WHERE t2."id" = "runs"."model_id") = ?)'
    )
    assert params == ["x", "y"]


def test_root_alias_and_alias_prefix_avoid_table_names() -> None:
    f = qexpr.compile('any(logs, level_code = "x")')
    text, _ = to_sql(f, "sqlite", root_alias="r")
    assert '"run_logs" AS t1 WHERE t1."run_id" = "r"."id"' in text
    schema = qexpr.RUN_SCHEMA.with_storage(tables={"RunLog": "t1"})
    text, _ = qexpr.compile('any(logs, level_code = "x")', schema=schema).to_sql("sqlite")
    assert 'FROM "t1" AS t_1 WHERE t_1."run_id"' in text


def test_match_all() -> None:
    assert compiled("", "sqlite") == ("1 = 1", [])
    assert compiled("  ", "postgresql") == ("1 = 1", [])


def test_dialects() -> None:
    assert get_dialect("postgresql") is POSTGRESQL and get_dialect("postgres") is POSTGRESQL
    assert get_dialect("SQLite") is SQLITE and get_dialect(SQLITE) is SQLITE
    assert isinstance(POSTGRESQL, PostgresDialect) and isinstance(SQLITE, SqliteDialect)
    with pytest.raises(ValueError, match="unknown SQL dialect"):
        get_dialect("mysql")
    with pytest.raises(TypeError):
        get_dialect(3)  # type: ignore[arg-type]

    class Custom(SqliteDialect):
        pass

    text, params = qexpr.compile("duration_ms > 1").to_sql(Custom())
    assert (text, params) == ('"runs"."duration_ms" >= ?', [2])


def test_cache_returns_fresh_lists_and_keeps_now_apart() -> None:
    f = qexpr.compile("duration_ms > 1")
    first = f.to_sql("sqlite")
    first[1].append("junk")
    assert f.to_sql("sqlite") == ('"runs"."duration_ms" >= ?', [2])
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    a = qexpr.compile("created_at > now() - 1d", now=t0)
    b = qexpr.compile("created_at > now() - 1d", now=t0 + timedelta(days=1))
    assert a == b  # equal filters ...
    assert a.to_sql("postgresql")[1] == [t0 - timedelta(days=1)]  # ... with their own instant
    assert b.to_sql("postgresql")[1] == [t0]
