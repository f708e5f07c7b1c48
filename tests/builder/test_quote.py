"""``qexpr.quote``: every value comes back as itself, and no text escapes its literal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qexpr
from qexpr import QError, escape_like, quote
from qexpr.check.values import parse_timestamp
from qexpr.operators import Operator
from qexpr.syntax import ast
from tests.builder.strategies import TEXT_CHARS, aware_datetimes, deltas, numbers, scaled


def operand(text: str) -> ast.Node:
    tree = qexpr.parse(f"x = {text}")
    assert isinstance(tree, ast.Comparison)
    return tree.operand


@pytest.mark.parametrize(("value", "text"), [
    ("abc", '"abc"'),
    ('say "hi"', '"say \\"hi\\""'),
    ("back\\slash", '"back\\\\slash"'),
    ("it's", '"it\'s"'),
    ("line\nbreak\t\x01", '"line\\nbreak\\t\\u0001"'),
    ("\U0001f600é", '"\U0001f600é"'),
    ("", '""'),
    (42, "42"),
    (-5, "-5"),
    (Decimal("1.500"), "1.5"),
    (Decimal("-0"), "0"),
    (0.1, "0.1"),
    (1e21, "1e21"),
    (1.5e-8, "1.5e-8"),
    (True, "true"),
    (False, "false"),
    (None, "null"),
    (datetime(2024, 1, 1, 2, tzinfo=timezone(timedelta(hours=2))), '"2024-01-01T00:00:00Z"'),
    (datetime(2024, 1, 1, 0, 0, 0, 120000, tzinfo=UTC), '"2024-01-01T00:00:00.120000Z"'),
    (date(2024, 2, 29), '"2024-02-29"'),
    (UUID("3C90C3CC-0D44-4B50-8888-8DD25736052A"), '"3c90c3cc-0d44-4b50-8888-8dd25736052a"'),
    (timedelta(days=7), "7d"),
    (timedelta(weeks=1), "7d"),
    (timedelta(minutes=90), "90m"),
    (timedelta(hours=2), "2h"),
    (timedelta(milliseconds=250), "250ms"),
    (timedelta(seconds=1, milliseconds=500), "1500ms"),
    (timedelta(0), "0s"),
    (qexpr.now() - timedelta(days=1), "now() - 1d"),
])
def test_quote(value: object, text: str) -> None:
    assert quote(value) == text
    assert qexpr.quote(value) == text


@pytest.mark.parametrize("value", [
    "a\x00b", "\ud800", "x\udfffy", float("nan"), float("inf"), -float("inf"),
    Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"), 1e308, 5e-324, 10**40 + 1,
    Decimal("1." + "1" * 40), datetime(2024, 1, 1), timedelta(microseconds=1),
    timedelta(days=-1), datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
    timedelta(milliseconds=10**15 + 1), timedelta.max,
])
def test_quote_rejects_what_q_cannot_hold(value: object) -> None:
    with pytest.raises(ValueError):
        quote(value)


@pytest.mark.parametrize("value", [b"x", [1], {"a": 1}, object(), 1j, {1}, str, qexpr.runs.cost,
                                   qexpr.runs.cost > 1])
def test_quote_rejects_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        quote(value)


@settings(max_examples=scaled(300), deadline=None)
@given(st.text(TEXT_CHARS, max_size=40))
def test_quoted_text_round_trips_and_cannot_escape(text: str) -> None:
    literal = quote(text)
    assert operand(literal) == ast.String(text)
    injected = qexpr.parse(f"client_ref = {literal} AND cost > 1")
    assert isinstance(injected, ast.And)
    assert injected.operands[0] == ast.Comparison(ast.Path(("client_ref",)), Operator.EQ,
                                                  ast.String(text))
    assert qexpr.parse(f"metadata[{literal}] = 1") == ast.Comparison(
        ast.Path(("metadata", text)), Operator.EQ, ast.Number(Decimal(1)))
    assert qexpr.compile(f"client_ref = {literal}").tree == ast.Comparison(
        ast.Path(("client_ref",)), Operator.EQ, ast.String(text))


@given(st.text(max_size=10))
def test_quote_never_raises_anything_else(text: str) -> None:
    try:
        literal = quote(text)
    except ValueError:
        assert "\x00" in text or any("\ud800" <= c <= "\udfff" for c in text)
    else:
        assert operand(literal) == ast.String(text)


@settings(max_examples=scaled(200), deadline=None)
@given(numbers)
def test_quoted_numbers_round_trip(value: int | float | Decimal) -> None:
    number = operand(quote(value))
    assert isinstance(number, ast.Number)
    if isinstance(value, float):
        assert float(number.value) == value
        assert number.value == Decimal(repr(value))
    else:
        assert number.value == value


@given(st.booleans())
def test_quoted_booleans_round_trip(value: bool) -> None:
    assert operand(quote(value)) == ast.Boolean(value)


def test_quoted_null() -> None:
    assert operand(quote(None)) == ast.Null()
    with pytest.raises(QError) as info:
        qexpr.compile(f"cost = {quote(None)}")
    assert info.value.code == "null_comparison"


@settings(max_examples=scaled(200), deadline=None)
@given(aware_datetimes)
def test_quoted_datetimes_round_trip(value: datetime) -> None:
    literal = operand(quote(value))
    assert isinstance(literal, ast.String)
    assert parse_timestamp(literal.value) == value
    compiled = qexpr.compile(f"created_at = {quote(value)}")
    assert isinstance(compiled.tree, ast.Comparison)
    assert compiled.tree.operand == ast.Timestamp(value)


@given(st.dates())
def test_quoted_dates_round_trip(value: date) -> None:
    literal = operand(quote(value))
    assert isinstance(literal, ast.String)
    assert parse_timestamp(literal.value) == datetime(value.year, value.month, value.day,
                                                      tzinfo=UTC)


@given(st.uuids())
def test_quoted_uuids_round_trip(value: UUID) -> None:
    literal = operand(quote(value))
    assert isinstance(literal, ast.String)
    assert UUID(literal.value) == value
    compiled = qexpr.compile(f"id = {quote(value)}")
    assert isinstance(compiled.tree, ast.Comparison)
    assert compiled.tree.operand == ast.Uuid(value)


@given(deltas)
def test_quoted_durations_round_trip(value: timedelta) -> None:
    tree = qexpr.parse(f"created_at > now() - {quote(value)}")
    assert isinstance(tree, ast.Comparison)
    assert isinstance(tree.operand, ast.TimeExpr)
    (shift,) = tree.operand.shifts
    assert timedelta(microseconds=shift.duration.microseconds) == value


@given(st.text(TEXT_CHARS, max_size=20))
def test_escape_like_matches_literally(text: str) -> None:
    pattern = escape_like(text)
    f = qexpr.compile(f"client_ref LIKE {quote(pattern)}")
    assert f.to_q() == f"client_ref LIKE {quote(pattern)}"
    assert qexpr.runs.client_ref.like(pattern).to_q() == f.to_q()


def test_escape_like() -> None:
    assert escape_like("50%_\\x") == "50\\%\\_\\\\x"
    with pytest.raises(TypeError):
        escape_like(5)  # type: ignore[arg-type]


@settings(max_examples=scaled(100), deadline=None)
@given(st.text(TEXT_CHARS, max_size=12), st.text(TEXT_CHARS, max_size=5))
def test_escaped_like_prefix_matches_exactly_the_prefix(prefix: str, rest: str) -> None:
    pytest.importorskip("qexpr.backends.predicate")
    f = qexpr.runs.client_ref.like(escape_like(prefix) + "%").to_filter()
    assert f.matches({"client_ref": prefix + rest})
    assert f.matches({"client_ref": rest + prefix}) == (rest + prefix).startswith(prefix)
