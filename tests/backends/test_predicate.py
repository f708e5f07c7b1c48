"""The in-memory predicate: three-valued semantics of spec section 5 on API-shaped and native
records (no mocks: real filters compiled by ``qexpr.compile``)."""

from __future__ import annotations

import ast as pyast
import itertools
import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qexpr
from qexpr.backends.predicate import MissingRelationError, to_predicate, to_tristate

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
SCOPES = ("evaluations:read",)
U1 = "3c90c3cc-0d44-4b50-8888-8dd25736052a"
U2 = "0b8a1f4e-0000-4000-8000-000000000002"
T, F, N = True, False, None  # N: UNKNOWN
MISSING = object()  # as a record value: the key is left out


def compiled(q: str) -> qexpr.Filter:
    return qexpr.compile(q, scopes=SCOPES, now=NOW)


def tri(q: str, record: Mapping[str, Any]) -> bool | None:
    return to_tristate(compiled(q))(record)


def rec(field: str, value: Any) -> dict[str, Any]:
    """A record holding ``value`` at ``field`` (dotted: nested objects; MISSING: absent)."""
    *parents, last = field.split(".")
    inner: dict[str, Any] = {} if value is MISSING else {last: value}
    for name in reversed(parents):
        inner = {name: inner}
    return inner


def check(q: str, field: str, cases: list[tuple[Any, bool | None]]) -> None:
    f = compiled(q)
    tristate, predicate = to_tristate(f), to_predicate(f)
    for value, expected in cases:
        record = rec(field, value)
        assert tristate(record) is expected, (q, value)
        result = predicate(record)
        assert type(result) is bool and result is (expected is True), (q, value)


NULLS: list[tuple[Any, bool | None]] = [(None, N), (MISSING, N)]

# --------------------------------------------------------------------------- string fields

STRING_TABLE = [
    ('failure_code = "timeout"', [("timeout", T), ("oom", F), ("Timeout", F), ("timeout ", F),
                                  (5, N), (True, N), (["timeout"], N)]),
    ('failure_code != "oom"', [("timeout", T), ("oom", F), (5, N)]),
    ('failure_code < "b"', [("a", T), ("b", F), ("B", T), ("é", F), ("", T), (1, N)]),
    ('failure_code <= "b"', [("b", T), ("ba", F)]),
    ('failure_code > "Z"', [("a", T), ("Z", F), ("\U0001f600", T)]),
    ('failure_code >= "a"', [("a", T), ("B", F)]),
    ('failure_code IN ("timeout", "oom")', [("oom", T), ("x", F), ({"a": 1}, N), ([], N)]),
    ('failure_code NOT IN ("timeout", "oom")', [("oom", F), ("x", T), (3, N)]),
    ('failure_code BETWEEN "b" AND "d"', [("b", T), ("c", T), ("d", T), ("da", F), ("a", F),
                                          (2, N)]),
    ('failure_code BETWEEN "d" AND "b"', [("c", F)]),
    ('failure_code NOT BETWEEN "b" AND "d"', [("c", F), ("a", T)]),
    ('failure_code LIKE "time%"', [("timeout", T), ("Timeout", F), ("xtime", F), (1, N)]),
    ('failure_code NOT LIKE "time%"', [("timeout", F), ("oom", T)]),
    (r'failure_code LIKE "50\\%%"', [("50%", T), ("50% off", T), ("500", F), ("50", F)]),
    (r'failure_code LIKE "a\\_b"', [("a_b", T), ("axb", F)]),
    ('failure_code LIKE "_"', [("é", T), ("\U0001f600", T), ("ab", F), ("", F)]),
    ('failure_code ILIKE "TIME%"', [("timeout", T), ("tImEout", T), ("oom", F)]),
    ('failure_code NOT ILIKE "TIME%"', [("timeout", F), ("oom", T)]),
    ('failure_code CONTAINS "me"', [("timeout", T), ("oom", F), ("ME", F)]),
    ('failure_code CONTAINS ""', [("", T), ("x", T), (0, N)]),
    ('failure_code NOT CONTAINS "me"', [("timeout", F), ("oom", T)]),
    ('failure_code STARTS_WITH "ti"', [("timeout", T), ("oom", F), ("", F)]),
    ('failure_code STARTS_WITH ""', [("", T), ("x", T)]),
    ('failure_code NOT STARTS_WITH "ti"', [("timeout", F), ("oom", T)]),
    ('failure_code ENDS_WITH "out"', [("timeout", T), ("outer", F)]),
    ('failure_code ENDS_WITH ""', [("", T), ("x", T)]),
    ('failure_code NOT ENDS_WITH "out"', [("timeout", F), ("oom", T)]),
    ('failure_code IS NULL', [("x", F), ("", F), (None, T), (MISSING, T), (5, T)]),
    ('failure_code IS NOT NULL', [("x", T), (None, F), (MISSING, F), (5, F)]),
]


@pytest.mark.parametrize(("q", "cases"), STRING_TABLE, ids=[q for q, _ in STRING_TABLE])
def test_string_field(q: str, cases: list[tuple[Any, bool | None]]) -> None:
    extra = [] if "IS" in q else NULLS
    check(q, "failure_code", cases + extra)


def test_string_subclass_values_are_strings() -> None:
    class Text(str):
        pass

    check('failure_code = "oom"', "failure_code", [(Text("oom"), T), (Text("x"), F)])
    check('failure_code STARTS_WITH "o"', "failure_code", [(Text("oom"), T)])
    check('failure_code IN ("oom")', "failure_code", [(Text("oom"), T)])


# --------------------------------------------------------------------------- numbers

INTEGER_TABLE = [
    ("duration_ms > 1000", [(1001, T), (1000, F), (-5, F), (1000.5, T), (Decimal("1000.5"), T),
                            ("2000", N), (True, N), (math.nan, N), (math.inf, N),
                            (Decimal("NaN"), N)]),
    ("duration_ms >= 1000", [(1000, T), (999, F)]),
    ("duration_ms < 1000", [(999, T), (1000, F)]),
    ("duration_ms <= 1000", [(1000, T), (1001, F)]),
    ("duration_ms = 1000", [(1000, T), (1000.0, T), (Decimal("1000.000"), T), (1001, F),
                            ("1000", N)]),
    ("duration_ms != 1000", [(1000, F), (1001, T), ("x", N), (False, N)]),
    ("duration_ms > 1.5", [(2, T), (1, F)]),
    ("duration_ms = 1.5", [(1, F), (2, F), (1.5, T)]),
    ("duration_ms != 1.5", [(1, T)]),
    ("duration_ms > -5", [(-4, T), (-5, F)]),
    ("duration_ms = 12345678901234567890123456789", [(12345678901234567890123456789, T),
                                                     (12345678901234567890123456788, F)]),
    ("duration_ms IN (1, 2.5)", [(1, T), (2, F), (2.5, T), (Decimal("1"), T), (True, N)]),
    ("duration_ms NOT IN (1, 2)", [(1, F), (3, T), ("1", N)]),
    ("duration_ms BETWEEN 10 AND 20", [(10, T), (20, T), (21, F), (9, F), (15.5, T)]),
    ("duration_ms NOT BETWEEN 10 AND 20", [(15, F), (9, T), ("15", N)]),
    ("duration_ms IS NULL", [(None, T), (MISSING, T), (0, F), ("5", T)]),
]


@pytest.mark.parametrize(("q", "cases"), INTEGER_TABLE, ids=[q for q, _ in INTEGER_TABLE])
def test_integer_field(q: str, cases: list[tuple[Any, bool | None]]) -> None:
    check(q, "duration_ms", cases + ([] if "IS" in q else NULLS))


DECIMAL_TABLE = [
    ("cost BETWEEN 0.01 AND 0.5", [("0.25", T), ("0.01", T), ("0.5", T), ("0.50000", T),
                                   ("0.5000001", F), ("0.009", F), ("5e-1", T), ("+.25", T),
                                   (Decimal("0.25"), T), (0.25, T), (0, F)]),
    ("cost = 0.1", [("0.1", T), ("0.10", T), (0.1, T), (Decimal("0.1"), T), ("0.1000000001", F),
                    ("abc", N), ("NaN", N), ("Infinity", N), (" 0.1", N), ("0,1", N),
                    ("", N), (True, N), ([], N), ("١", N)]),
    ("cost > 0.3", [("0.30000000000000001", T), (0.30000000000000004, T), ("0.3", F)]),
    ("cost = 1", [(1, T), ("1", T), ("1.0", T), ("1e0", T), (2, F)]),
    ("cost != 1", [(1, F), ("2", T), ("x", N)]),
    ("cost < 0", [("-0.5", T), ("-0", F), (Decimal("-1e-30"), T)]),
    ("cost IN (0.1, 0.2)", [("0.1", T), ("0.20", T), (0.1, T), ("0.3", F), ("x", N)]),
    ("cost NOT IN (0.1, 0.2)", [("0.1", F), ("0.3", T)]),
    ("cost = 1234567890123456789012345678.901234",
     [("1234567890123456789012345678.901234", T), ("1234567890123456789012345678.901235", F)]),
    ("cost IS NULL", [("0.1", F), ("junk", T), (None, T), (MISSING, T)]),
]


@pytest.mark.parametrize(("q", "cases"), DECIMAL_TABLE, ids=[q for q, _ in DECIMAL_TABLE])
def test_decimal_field(q: str, cases: list[tuple[Any, bool | None]]) -> None:
    check(q, "cost", cases + ([] if "IS" in q else NULLS))


FLOAT_TABLE = [
    ("current_evaluation_summary.score < 0.5", [(0.25, T), (0.5, F), (0, T), (1, F),
                                                (Decimal("0.25"), T), ("0.25", N), (True, N),
                                                (math.nan, N), (-math.inf, T)]),
    ("current_evaluation_summary.score = 0.1", [(0.1, T), (Decimal("0.1"), T), (0.3 - 0.2, F)]),
    ("current_evaluation_summary.score != 0.1", [(0.1, F), (0.2, T), (math.nan, N)]),
    ("current_evaluation_summary.score >= 1", [(1, T), (True, N), (10**400, T)]),
    ("current_evaluation_summary.score IN (0.25, 0.75)", [(0.25, T), (0.5, F)]),
    ("current_evaluation_summary.score BETWEEN 0.25 AND 0.75", [(0.25, T), (0.8, F)]),
    ("current_evaluation_summary.score IS NULL", [(None, T), (MISSING, T), (0.0, F),
                                                  (math.nan, T)]),
]


@pytest.mark.parametrize(("q", "cases"), FLOAT_TABLE, ids=[q for q, _ in FLOAT_TABLE])
def test_float_field(q: str, cases: list[tuple[Any, bool | None]]) -> None:
    check(q, "current_evaluation_summary.score", cases + ([] if "IS" in q else NULLS))


# --------------------------------------------------------------------------- booleans, UUIDs

BOOLEAN_TABLE = [
    ("has_logs", [(True, T), (False, F), ("true", N), (1, N), (0, N)]),
    ("has_logs = true", [(True, T), (False, F), (1, N)]),
    ("has_logs = false", [(True, F), (False, T), (0, N)]),
    ("has_logs != true", [(True, F), (False, T), ("false", N)]),
    ("NOT has_logs", [(True, F), (False, T), ("x", N)]),
    ("has_logs IS NULL", [(True, F), (False, F), (None, T), (MISSING, T), (1, T)]),
    ("has_logs IS NOT NULL", [(False, T), (None, F)]),
]


@pytest.mark.parametrize(("q", "cases"), BOOLEAN_TABLE, ids=[q for q, _ in BOOLEAN_TABLE])
def test_boolean_field(q: str, cases: list[tuple[Any, bool | None]]) -> None:
    check(q, "has_logs", cases + ([] if "IS" in q else NULLS))


UUID_TABLE = [
    (f'id = "{U1.upper()}"', [(U1, T), (U1.upper(), T), (UUID(U1), T), (U2, F), (UUID(U2), F),
                              (U1.replace("-", ""), T), ("{" + U1 + "}", T),
                              ("not-a-uuid", N), (U1[:-1] + "g", N), (12, N), ("", N)]),
    (f'id != "{U1}"', [(U1, F), (U2, T), ("junk", N), (UUID(U2), T)]),
    (f'id IN ("{U1}", "{U2.upper()}")', [(U2, T), (UUID(U1), T), (str(UUID(int=5)), F),
                                         ("junk", N)]),
    (f'id NOT IN ("{U1}")', [(U1.upper(), F), (U2, T), ("junk", N)]),
    ("id IS NULL", [(U1, F), (None, T), (MISSING, T), ("junk", T)]),
]


@pytest.mark.parametrize(("q", "cases"), UUID_TABLE, ids=[q for q, _ in UUID_TABLE])
def test_uuid_field(q: str, cases: list[tuple[Any, bool | None]]) -> None:
    check(q, "id", cases + ([] if "IS" in q else NULLS))


# --------------------------------------------------------------------------- timestamps

BASE = datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)
PLUS2 = timezone(timedelta(hours=2))

TIMESTAMP_TABLE = [
    ('created_at = "2023-11-07T05:31:56Z"', [
        ("2023-11-07T05:31:56Z", T), ("2023-11-07T07:31:56+02:00", T),
        ("2023-11-07t05:31:56z", T), ("2023-11-07 05:31:56Z", T), ("2023-11-07T05:31:56", T),
        ("2023-11-07T05:31:56.000000Z", T), ("2023-11-07T05:31:56.0000001Z", T),
        ("2023-11-07T05:31:56.000001Z", F), ("2023-11-07T05:31:57Z", F),
        (BASE, T), (BASE.astimezone(PLUS2), T), (BASE.replace(tzinfo=None), T),
        ("yesterday", N), ("2023-13-07T05:31:56Z", N), ("", N), (1699335116, N), (True, N),
    ]),
    ('created_at > "2023-11-07T05:31:56.123456Z"', [
        ("2023-11-07T05:31:56.123457Z", T), ("2023-11-07T05:31:56.123456Z", F),
        ("2023-11-07T05:31:56.1234569Z", F),  # more than 6 digits: truncated
        ("2023-11-07T05:31:56.123456999+00:00", F), ("2023-11-07T05:31:56.1235Z", T),
    ]),
    ('created_at >= "2023-11-07"', [("2023-11-07", T), ("2023-11-06T23:59:59.999999Z", F),
                                    ("2023-11-07T00:00:00+01:00", F), (date(2023, 11, 7), T),
                                    ("2023-11-06T23:59:60Z", T)]),
    ('created_at < "2023-11-07T05:31:56+02:00"', [("2023-11-07T03:31:55Z", T),
                                                   ("2023-11-07T03:31:56Z", F)]),
    ("created_at > now() - 7d", [((NOW - timedelta(days=7, microseconds=-1)).isoformat(), T),
                                 ((NOW - timedelta(days=7)).isoformat(), F),
                                 (NOW - timedelta(days=1), T)]),
    ('created_at BETWEEN "2023-01-01" AND "2023-12-31T23:59:59Z"', [(BASE, T), ("2024-01-01", F)]),
    ('created_at NOT BETWEEN "2023-01-01" AND "2023-12-31"', [(BASE, F), ("2024-01-01", T)]),
    ('created_at IN ("2023-11-07T05:31:56Z", "2024-01-01")', [
        ("2023-11-07T06:31:56+01:00", T), ("2024-01-01T00:00:00Z", T), (BASE.astimezone(PLUS2), T),
        ("2024-01-02", F), ("junk", N)]),
    ('created_at != "2023-11-07T05:31:56Z"', [(BASE, F), ("2024-01-01", T), ("junk", N)]),
    ("created_at IS NULL", [(None, T), (MISSING, T), ("junk", T), (BASE, F)]),
]


@pytest.mark.parametrize(("q", "cases"), TIMESTAMP_TABLE, ids=[q for q, _ in TIMESTAMP_TABLE])
def test_timestamp_field(q: str, cases: list[tuple[Any, bool | None]]) -> None:
    check(q, "created_at", cases + ([] if "IS" in q else NULLS))


def test_time_expressions_fold_with_the_filters_clock() -> None:
    record = {"created_at": "2024-05-30T12:00:00Z"}
    recent = qexpr.compile("created_at > now() - 7d", now=NOW)
    later = qexpr.compile("created_at > now() - 7d", now=NOW + timedelta(days=30))
    assert recent == later  # equal filters ...
    assert to_predicate(recent)(record) is True  # ... that fold now() to different instants
    assert to_predicate(later)(record) is False


# --------------------------------------------------------------------------- json

JSON_TABLE = [
    # a string literal needs a JSON string
    ('metadata.x = "a"', [("a", T), ("b", F), (1, N), (True, N), ({"a": 1}, N), (["a"], N)]),
    ('metadata.x != "a"', [("a", F), ("b", T), (1, N)]),
    ('metadata.x < "b"', [("a", T), ("B", T), ("b", F), (0, N)]),
    # a number literal needs a JSON number (never a boolean), compared as doubles
    ("metadata.x = 1", [(1, T), (1.0, T), (Decimal("1"), T), (2, F), ("1", N), (True, N),
                        (False, N), (None, N), ([1], N)]),
    ("metadata.x = 9007199254740993", [(9007199254740992, T), (9007199254740993, T)]),
    ("metadata.x = 0.1", [(0.1, T), (Decimal("0.1"), T), (0.30000000000000004 - 0.2, F)]),
    ("metadata.x > 1.5", [(2, T), (1, F), (10**400, T), (-(10**400), F), (math.nan, N),
                          ("2", N)]),
    ("metadata.x IN (1, 2)", [(2.0, T), (3, F), (True, N), ("1", N)]),
    ("metadata.x NOT IN (1, 2)", [(2.0, F), (3, T), (True, N)]),
    ("metadata.x BETWEEN 1 AND 2", [(1.5, T), (3, F), ("1.5", N)]),
    ('metadata.x BETWEEN "a" AND "c"', [("b", T), ("d", F), (2, N)]),
    # a boolean literal needs a JSON boolean
    ("metadata.x = true", [(True, T), (False, F), (1, N), ("true", N)]),
    ("metadata.x = false", [(False, T), (True, F), (0, N)]),
    ("metadata.x", [(True, T), (False, F), (1, N)]),
    ("NOT metadata.x", [(True, F), (False, T), (1, N)]),
    ("metadata.x IN (true)", [(True, T), (False, F), (1, N)]),
    # pattern operators need a JSON string
    ('metadata.x LIKE "a%"', [("abc", T), ("b", F), (1, N), (["abc"], N)]),
    ('metadata.x NOT ILIKE "A%"', [("abc", F), ("b", T), (1, N)]),
    ('metadata.x CONTAINS ""', [("", T), (0, N)]),
    ('metadata.x STARTS_WITH "2024"', [("2024-01-01", T), (2024, N)]),
    # IS NULL: any JSON value but null is not null
    ("metadata.x IS NULL", [(None, T), (MISSING, T), (0, F), ("", F), ({}, F), ([], F),
                            (False, F)]),
    ("metadata.x IS NOT NULL", [(None, F), (MISSING, F), ({}, T)]),
]


@pytest.mark.parametrize(("q", "cases"), JSON_TABLE, ids=[q for q, _ in JSON_TABLE])
def test_json_leaf_types(q: str, cases: list[tuple[Any, bool | None]]) -> None:
    check(q, "metadata.x", cases + ([] if "IS" in q else NULLS))


def test_json_paths_through_non_objects_are_null() -> None:
    q = 'metadata.customer.tier = "gold"'
    assert tri(q, {"metadata": {"customer": {"tier": "gold"}}}) is T
    assert tri(q, {"metadata": {"customer": {"tier": "free"}}}) is F
    for metadata in ({"customer": "gold"}, {"customer": ["gold"]}, {"customer": None}, {},
                     "gold", [{"customer": {"tier": "gold"}}], 7, None):
        assert tri(q, {"metadata": metadata}) is N
        assert tri("metadata.customer.tier IS NULL", {"metadata": metadata}) is T
    assert tri(q, {}) is N
    assert tri('metadata["a.b"] = 1', {"metadata": {"a.b": 1, "a": {"b": 2}}}) is T
    assert tri('metadata["team-id"] = 42', {"metadata": {"team-id": 42}}) is T
    assert tri('metadata.x = "a"', {"metadata": MappingProxyType({"x": "a"})}) is T


def test_json_field_itself_and_json_null() -> None:
    for value, expected in ((None, T), (MISSING, T), ({}, F), ([], F), (0, F), ("", F)):
        assert tri("metadata IS NULL", rec("metadata", value)) is expected
        assert tri("metadata IS NOT NULL", rec("metadata", value)) is (not expected)
    assert tri("model.seo IS NULL", {"model": {"seo": None}}) is T
    assert tri("model.seo IS NULL", {"model": None}) is T
    assert tri("any(model.pricing, match_value IS NULL)",
               {"model": {"pricing": [{"match_value": None}]}}) is T


# --------------------------------------------------------------------------- field to field

FIELD_TABLE = [
    ("nodes_completed < nodes_total", {"nodes_completed": 1, "nodes_total": 2}, T),
    ("nodes_completed < nodes_total", {"nodes_completed": 2, "nodes_total": 2}, F),
    ("nodes_completed < nodes_total", {"nodes_completed": None, "nodes_total": 2}, N),
    ("nodes_completed < nodes_total", {"nodes_completed": 1}, N),
    ("nodes_completed != nodes_total", {"nodes_completed": 1, "nodes_total": "2"}, N),
    ("nodes_completed = nodes_total", {"nodes_completed": 2, "nodes_total": 2.0}, T),
    ("duration_ms > cost", {"duration_ms": 1, "cost": "0.5"}, T),
    ("duration_ms = cost", {"duration_ms": 1, "cost": "1.000"}, T),
    ("duration_ms = cost", {"duration_ms": 1, "cost": "junk"}, N),
    ("current_evaluation_summary.score < cost",
     {"current_evaluation_summary": {"score": 0.1}, "cost": "0.1"}, F),  # as doubles
    ("current_evaluation_summary.score = duration_ms",
     {"current_evaluation_summary": {"score": 3.0}, "duration_ms": 3}, T),
    ("current_evaluation_summary.score = duration_ms",
     {"current_evaluation_summary": None, "duration_ms": 3}, N),
    ("created_at < completed_at",
     {"created_at": "2024-01-01T00:00:00Z", "completed_at": "2024-01-01T01:00:00+02:00"}, F),
    ("created_at < completed_at",
     {"created_at": "2024-01-01T00:00:00Z", "completed_at": datetime(2024, 1, 1, 0, 0, 1)}, T),
    ("created_at = completed_at", {"created_at": "2024-01-01", "completed_at": None}, N),
    ("client_ref = failure_code", {"client_ref": "a", "failure_code": "a"}, T),
    ("client_ref < failure_code", {"client_ref": "B", "failure_code": "a"}, T),
    ("client_ref >= failure_code", {"client_ref": "a", "failure_code": 1}, N),
    ("id = flow_id", {"id": U1.upper(), "flow_id": UUID(U1)}, T),
    ("id != flow_id", {"id": U1, "flow_id": U2}, T),
    ("id = flow_id", {"id": U1, "flow_id": "junk"}, N),
    ("created_at < model.created_at",
     {"created_at": "2024-01-01", "model": {"created_at": "2024-02-01"}}, T),
    ("created_at < model.created_at", {"created_at": "2024-01-01", "model": None}, N),
    ("NOT nodes_completed < nodes_total", {"nodes_completed": None, "nodes_total": 2}, N),
]


@pytest.mark.parametrize(("q", "record", "expected"), FIELD_TABLE,
                         ids=[f"{i}:{c[0]}" for i, c in enumerate(FIELD_TABLE)])
def test_field_to_field(q: str, record: dict[str, Any], expected: bool | None) -> None:
    assert tri(q, record) is expected


# --------------------------------------------------------------------------- logic

VALUES = {T: {"x": True}, F: {"x": False}, N: {}}


def test_kleene_tables() -> None:
    """AND/OR/NOT on every pair of TRUE/FALSE/UNKNOWN, via ``metadata.a``/``metadata.b``."""
    def metadata(a: bool | None, b: bool | None) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if a is not None:
            data["a"] = a
        if b is not None:
            data["b"] = b
        return {"metadata": data}

    and_table = {(T, T): T, (T, F): F, (T, N): N, (F, T): F, (F, F): F, (F, N): F,
                 (N, T): N, (N, F): F, (N, N): N}
    or_table = {(T, T): T, (T, F): T, (T, N): T, (F, T): T, (F, F): F, (F, N): N,
                (N, T): T, (N, F): N, (N, N): N}
    for (a, b), expected in and_table.items():
        assert tri("metadata.a AND metadata.b", metadata(a, b)) is expected
    for (a, b), expected in or_table.items():
        assert tri("metadata.a OR metadata.b", metadata(a, b)) is expected
    for a, expected in ((T, F), (F, T), (N, N)):
        assert tri("NOT metadata.a", metadata(a, None)) is expected
        assert tri("NOT NOT metadata.a", metadata(a, None)) is a


def test_null_comparisons_follow_spec_examples() -> None:
    assert tri('failure_code != "oom"', {"failure_code": None}) is N
    q = 'failure_code != "oom" OR failure_code IS NULL'
    assert tri(q, {"failure_code": None}) is T
    assert tri(q, {"failure_code": "oom"}) is F
    assert tri("", {}) is T
    assert to_predicate(compiled("   "))({"anything": 1}) is True


LEAVES = ("a", "b", "c")


def _kleene_and(values: list[bool | None]) -> bool | None:
    if F in values:
        return F
    return N if N in values else T


def _kleene_or(values: list[bool | None]) -> bool | None:
    if T in values:
        return T
    return N if N in values else F


exprs = st.recursive(
    st.sampled_from(LEAVES).map(lambda leaf: ("leaf", leaf)),
    lambda children: st.one_of(
        children.map(lambda child: ("not", child)),
        st.lists(children, min_size=2, max_size=4).map(lambda items: ("and", items)),
        st.lists(children, min_size=2, max_size=4).map(lambda items: ("or", items)),
    ),
    max_leaves=10,
)


def _q(expr: Any) -> str:
    kind, body = expr
    if kind == "leaf":
        return f"metadata.{body}"
    if kind == "not":
        return f"NOT ({_q(body)})"
    return "(" + f" {kind.upper()} ".join(_q(item) for item in body) + ")"


def _eval(expr: Any, env: dict[str, bool | None]) -> bool | None:
    kind, body = expr
    if kind == "leaf":
        return env[body]
    if kind == "not":
        value = _eval(body, env)
        return None if value is None else not value
    values = [_eval(item, env) for item in body]
    return _kleene_and(values) if kind == "and" else _kleene_or(values)


@settings(max_examples=200, deadline=None)
@given(exprs, st.lists(st.sampled_from([T, F, N]), min_size=3, max_size=3))
def test_kleene_logic_matches_reference(expr: Any, truth: list[bool | None]) -> None:
    env = dict(zip(LEAVES, truth, strict=True))
    record = {"metadata": {leaf: value for leaf, value in env.items() if value is not None}}
    f = compiled(_q(expr))
    expected = _eval(expr, env)
    assert to_tristate(f)(record) is expected
    assert to_predicate(f)(record) is (expected is True)


@settings(max_examples=100, deadline=None)
@given(exprs, exprs, st.lists(st.sampled_from([T, F, N]), min_size=3, max_size=3))
def test_kleene_laws(p: Any, r: Any, truth: list[bool | None]) -> None:
    """De Morgan, double negation, commutativity and distributivity hold in Kleene logic."""
    record = {"metadata": {leaf: v for leaf, v in zip(LEAVES, truth, strict=True)
                           if v is not None}}
    a, b = _q(p), _q(r)
    same = [
        (f"NOT ({a} AND {b})", f"(NOT {a}) OR (NOT {b})"),
        (f"NOT ({a} OR {b})", f"(NOT {a}) AND (NOT {b})"),
        (f"NOT NOT {a}", a),
        (f"{a} AND {b}", f"{b} AND {a}"),
        (f"{a} OR {b}", f"{b} OR {a}"),
        (f"{a} AND ({b} OR metadata.c)", f"({a} AND {b}) OR ({a} AND metadata.c)"),
    ]
    for left, right in same:
        assert tri(left, record) is tri(right, record), (left, right)


def test_in_between_and_not_forms_are_their_definitions() -> None:
    for value in (None, 0, 1, 2, 3, "x"):
        record = rec("metadata.x", value)
        assert tri("metadata.x IN (1, 2)", record) is tri("metadata.x = 1 OR metadata.x = 2",
                                                           record)
        assert tri("metadata.x NOT IN (1, 2)", record) is tri("NOT metadata.x IN (1, 2)", record)
        assert tri("metadata.x BETWEEN 1 AND 2", record) is tri(
            "metadata.x >= 1 AND metadata.x <= 2", record)
        assert tri("metadata.x NOT BETWEEN 1 AND 2", record) is tri(
            "NOT metadata.x BETWEEN 1 AND 2", record)


# --------------------------------------------------------------------------- relations


def test_any_and_all() -> None:
    q_any = 'any(node_runs, state_code = "failed" AND retry_count >= 2)'
    q_all = 'all(logs, level_code != "error")'
    failed = {"state_code": "failed", "retry_count": 3}
    unknown = {"state_code": "failed", "retry_count": None}
    assert tri(q_any, {"node_runs": [failed]}) is T
    assert tri(q_any, {"node_runs": [{"state_code": "ok", "retry_count": 3}, failed]}) is T
    assert tri(q_any, {"node_runs": [unknown]}) is F  # never UNKNOWN
    assert tri(q_any, {"node_runs": []}) is F
    assert tri(q_any, {"node_runs": None}) is F
    assert tri(q_all, {"logs": []}) is T
    assert tri(q_all, {"logs": None}) is T
    assert tri(q_all, {"logs": [{"level_code": "info"}, {"level_code": "warn"}]}) is T
    assert tri(q_all, {"logs": [{"level_code": "info"}, {"level_code": "error"}]}) is F
    assert tri(q_all, {"logs": [{"level_code": "info"}, {"level_code": None}]}) is F
    assert tri(q_all, {"logs": [{"level_code": "info"}, {}]}) is F
    assert tri(f"NOT {q_all}", {"logs": [{}]}) is T


def test_not_any_is_not_all_not_when_unknown() -> None:
    record: dict[str, Any] = {"node_runs": [{"retry_count": None}]}
    assert tri("NOT any(node_runs, retry_count > 1)", record) is T
    assert tri("all(node_runs, NOT retry_count > 1)", record) is F
    record = {"node_runs": [{"retry_count": 0}]}
    assert tri("NOT any(node_runs, retry_count > 1)", record) is T
    assert tri("all(node_runs, NOT retry_count > 1)", record) is T


def test_relation_absent_null_and_empty() -> None:
    q = 'any(node_runs, state_code = "failed")'
    assert tri(q, {"node_runs": None}) is F
    assert tri(q, {"node_runs": []}) is F
    with pytest.raises(MissingRelationError) as caught:
        tri(q, {"id": U1})
    error = caught.value
    assert isinstance(error, LookupError)
    assert str(error) == "the record has no 'node_runs' key; request it with embed=node_runs"
    assert (error.key, error.embed, error.where) == ("node_runs", "node_runs", "")
    with pytest.raises(MissingRelationError, match="embed=logs"):
        to_predicate(compiled("all(logs, level_code IS NULL)"))({})
    with pytest.raises(MissingRelationError, match="embed=model"):
        tri('model.slug = "flux-dev"', {"model_id": U1})
    with pytest.raises(MissingRelationError, match="evaluations:read"):
        tri("current_evaluation_summary.passed", {})


def test_missing_relation_is_reported_even_when_short_circuited() -> None:
    f = compiled('duration_ms > 1000 AND model.slug = "x"')
    with pytest.raises(MissingRelationError):
        to_predicate(f)({"duration_ms": 1})
    assert to_predicate(f)({"duration_ms": 1, "model": None}) is False


def test_to_one_relations() -> None:
    q = 'model.slug = "flux-dev"'
    assert tri(q, {"model": {"slug": "flux-dev"}}) is T
    assert tri(q, {"model": {"slug": "sdxl"}}) is F
    assert tri(q, {"model": {}}) is N
    assert tri(q, {"model": None}) is N
    assert tri(q, {"model": "flux-dev"}) is N  # not a record: null
    assert tri("model.id IS NULL", {"model": None}) is T
    assert tri("model.is_public", {"model": {"is_public": True}}) is T
    assert tri("model.slug = \"a\" AND NOT has_logs", {"model": {"slug": "a"}, "has_logs": False}) \
        is T


def test_nested_relations() -> None:
    q = "any(model.pricing, price > 1)"
    assert tri(q, {"model": {"pricing": [{"price": "0.5"}, {"price": "1.5"}]}}) is T
    assert tri(q, {"model": {"pricing": [{"price": "0.5"}]}}) is F
    assert tri(q, {"model": None}) is F  # through a null to-one: no records
    assert tri("all(model.pricing, price > 1)", {"model": None}) is T
    with pytest.raises(MissingRelationError) as caught:
        tri(q, {"model": {"slug": "x"}})
    assert str(caught.value) == (
        "the model record has no 'pricing' key; request it with embed=model")
    assert caught.value.where == "model"
    q = 'any(comfyui_workflow.inputs, is_required AND name STARTS_WITH "img")'
    workflow = {"inputs": [{"is_required": True, "name": "img_in"}]}
    assert tri(q, {"comfyui_workflow": workflow}) is T


def test_quantifier_items_that_are_not_records_are_skipped() -> None:
    q = "any(node_runs, retry_count > 1)"
    assert tri(q, {"node_runs": [None, 5, "x", {"retry_count": 2}]}) is T
    assert tri("all(node_runs, retry_count > 1)", {"node_runs": [None, {"retry_count": 2}]}) is T
    assert tri(q, {"node_runs": "not a list"}) is F
    assert tri(q, {"node_runs": ({"retry_count": 2},)}) is T
    assert tri(q, {"node_runs": [MappingProxyType({"retry_count": 2})]}) is T


def test_any_with_many_conditions_and_nesting_inside_not() -> None:
    q = ("any(node_runs, state_code IN (\"failed\", \"error\") AND retry_count >= 1 AND "
         "duration_ms > 10 AND error_message CONTAINS \"oom\")")
    good = {"state_code": "error", "retry_count": 1, "duration_ms": 11, "error_message": "oom!"}
    assert tri(q, {"node_runs": [good]}) is T
    assert tri(q, {"node_runs": [{**good, "duration_ms": None}]}) is F
    assert tri(f"NOT {q}", {"node_runs": [{**good, "duration_ms": None}]}) is T


# --------------------------------------------------------------------------- API vs native

_TZS = [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-7, minutes=-30))]

NATIVE_FILTERS = [
    "duration_ms > 1000",
    "duration_ms BETWEEN 100 AND 5000 OR duration_ms IS NULL",
    "cost > 0.25",
    "cost IN (0.1, 0.25, 0.5)",
    "cost >= 0.1 AND cost <= 0.3",
    'created_at >= "2024-03-01T00:00:00Z"',
    'created_at BETWEEN "2024-01-15" AND "2024-06-01T12:30:00+02:00"',
    "created_at > now() - 90d",
    "created_at < completed_at",
    f'id = "{U1}"',
    f'id IN ("{U1}", "{U2}")',
    f'id != "{U2.upper()}"',
    "has_logs",
    "NOT has_logs",
    "current_evaluation_summary.score < 0.5",
    "current_evaluation_summary.score >= cost",
    'metadata.tier = "gold" OR metadata.n > 3',
    "any(node_runs, cost > 0.1 AND started_at > \"2024-02-01\")",
    "all(node_runs, retry_count < 2 OR node_id IS NULL)",
]


@st.composite
def run_pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """One run as the API sends it and the same run with native Python values."""
    api: dict[str, Any] = {}
    native: dict[str, Any] = {}

    def put(key: str, api_value: Any, native_value: Any) -> None:
        if draw(st.integers(0, 9)) == 0:
            return  # key left out
        api[key], native[key] = api_value, native_value

    def stamp() -> tuple[Any, Any]:
        if draw(st.integers(0, 5)) == 0:
            return None, None
        moment = draw(st.datetimes(min_value=datetime(2023, 10, 1), max_value=datetime(2024, 9, 1),
                                   timezones=st.sampled_from(_TZS)))
        digits = draw(st.sampled_from([0, 3, 6, 9]))
        text = moment.strftime("%Y-%m-%dT%H:%M:%S")
        if digits:
            text += "." + f"{moment.microsecond:06d}{draw(st.integers(0, 999)):03d}"[:digits]
        offset = moment.strftime("%z")
        text += draw(st.sampled_from(["Z", "z"])) if offset == "+0000" else (
            offset[:3] + ":" + offset[3:])
        value = moment.replace(microsecond=int(f"{moment.microsecond:06d}"[:min(digits, 6)]
                                               .ljust(6, "0") or 0))
        if value.tzinfo is UTC and draw(st.booleans()):
            value = value.replace(tzinfo=None)  # naive: UTC
        return text, value

    def decimal() -> tuple[Any, Any]:
        if draw(st.integers(0, 5)) == 0:
            return None, None
        value = draw(st.decimals(min_value=0, max_value=1, places=draw(st.integers(1, 6)),
                                 allow_nan=False, allow_infinity=False))
        return str(value), value

    def identifier() -> tuple[Any, Any]:
        value = draw(st.sampled_from([UUID(U1), UUID(U2), UUID(int=7)]))
        text = str(value)
        return (text.upper() if draw(st.booleans()) else text), value

    duration = draw(st.none() | st.integers(0, 10_000))
    put("duration_ms", duration, duration)
    put("cost", *decimal())
    put("created_at", *stamp())
    put("completed_at", *stamp())
    put("id", *identifier())
    has_logs = draw(st.none() | st.booleans())
    put("has_logs", has_logs, has_logs)
    score = draw(st.none() | st.floats(0, 1))
    summary = None if score is None else {"score": score}
    api["current_evaluation_summary"] = summary
    native["current_evaluation_summary"] = None if summary is None else dict(summary)
    metadata = draw(st.fixed_dictionaries({}, optional={
        "tier": st.sampled_from(["gold", "free"]), "n": st.integers(0, 6) | st.booleans()}))
    put("metadata", metadata, dict(metadata))
    api_runs, native_runs = [], []
    for _ in range(draw(st.integers(0, 3))):
        cost = decimal()
        started = stamp()
        retry = draw(st.none() | st.integers(0, 3))
        node = draw(st.sampled_from([None, U1]))
        api_runs.append({"cost": cost[0], "started_at": started[0], "retry_count": retry,
                         "node_id": node})
        native_runs.append({"cost": cost[1], "started_at": started[1], "retry_count": retry,
                            "node_id": None if node is None else UUID(node)})
    api["node_runs"], native["node_runs"] = api_runs, native_runs
    return api, native


@settings(max_examples=300, deadline=None)
@given(run_pairs())
def test_api_shaped_and_native_records_agree(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    api, native = pair
    for q in NATIVE_FILTERS:
        tristate = to_tristate(compiled(q))
        assert tristate(api) is tristate(native), q


# --------------------------------------------------------------------------- the Filter API


def test_predicate_is_cached_per_filter_and_returns_bools() -> None:
    f = compiled('duration_ms > 1000 AND (failure_code = "timeout" OR client_ref STARTS_WITH '
                 '"batch-")')
    predicate = f.to_predicate()
    assert predicate is f.to_predicate() is to_predicate(f)
    other = compiled(f.to_q())
    assert other == f and to_predicate(other) is not predicate
    runs: list[dict[str, Any]] = [
        {"duration_ms": 2000, "failure_code": "timeout"},
        {"duration_ms": 2000, "client_ref": "batch-7"},
        {"duration_ms": 2000, "client_ref": "job-7"},
        {"duration_ms": None, "failure_code": "timeout"},
        {"duration_ms": 500, "client_ref": "batch-7"},
    ]
    assert [predicate(r) for r in runs] == [True, True, False, False, False]
    assert all(type(predicate(r)) is bool for r in runs)
    assert f.filter(runs) == runs[:2]
    assert f.matches(runs[0]) and not f.matches(runs[2])


def test_many_filters_do_not_break_the_cache() -> None:
    for n in range(600):
        f = qexpr.compile(f"duration_ms = {n}")
        assert f.matches({"duration_ms": n})
        assert not f.matches({"duration_ms": n + 1})


def test_records_may_be_any_mapping() -> None:
    f = compiled('client_ref STARTS_WITH "batch-" AND any(node_runs, retry_count > 0)')
    record = MappingProxyType({"client_ref": "batch-1",
                               "node_runs": [MappingProxyType({"retry_count": 1})]})
    assert f.matches(record)


def test_source_is_generated_in_one_module_only() -> None:
    """Only ``codegen`` calls exec, eval or the compile builtin (its source holds no text of
    the filter: tests/backends/test_predicate_codegen.py); everything else is closures."""
    package = Path(to_predicate.__code__.co_filename).parent
    assert (package / "codegen.py").is_file()
    for source in package.glob("*.py"):
        if source.name == "codegen.py":
            continue
        tree = pyast.parse(source.read_text(), str(source))
        for node in pyast.walk(tree):
            if isinstance(node, pyast.Call) and isinstance(node.func, pyast.Name):
                assert node.func.id not in ("exec", "eval", "compile"), source


@pytest.mark.parametrize("q", [
    "duration_ms > 1000", 'failure_code = "x"', "has_logs", f'id = "{U1}"',
    'created_at > "2024-01-01"', "cost > 1", 'metadata.a = "x"', "any(node_runs, retry_count > 1)",
])
def test_wrong_typed_records_never_raise(q: str) -> None:
    predicate = to_tristate(compiled(q))
    odd_values = [None, 0, -1, 1.5, math.nan, "", "x", [], {}, [1], {"a": 1}, True, object(),
                  b"bytes", Decimal("NaN"), date(2024, 1, 1)]
    for key, value in itertools.product(["duration_ms", "failure_code", "has_logs", "id",
                                         "created_at", "cost", "metadata", "node_runs"],
                                        odd_values):
        predicate({key: value, "node_runs": [] if key != "node_runs" else value})
