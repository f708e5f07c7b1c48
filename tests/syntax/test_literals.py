"""String and number literals as spec section 2 defines them, in every engine.

Two classes of input from issue 10: raw surrogate code points inside string literals (values and
JSON keys), which must be a ``syntax_error`` at the surrogate itself; and numbers whose exponent
has any number of digits, which must be decided by the value (34 significant digits, normalised
exponent within +-307, zero always in range), never by how long the exponent is written.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import qexpr
from qexpr import QError
from qexpr.syntax import ast
from qexpr.syntax.literals import LiteralError, format_number, parse_number
from tests.syntax.strategies import available_engines, property_settings

ENGINES = available_engines()

# --------------------------------------------------------------------------- raw surrogates

#: Where a string literal can stand, with ``{}`` for the literal.
STRING_PLACES = (
    "client_ref = {}",
    "failure_message CONTAINS {}",
    "failure_code NOT LIKE {}",
    'client_ref IN ("a", {}, "b")',
    "created_at > {} - 1d",
    "metadata[{}] = 1",
    'metadata.a[{}].b = "x" AND has_logs',
    "NOT (metadata[{}] IS NULL)",
    "any(node_runs, output[{}] = 1)",
)

#: Plain characters of a string body: no quote, backslash, control character or surrogate.
_PLAIN = st.characters(
    exclude_categories=["Cs"], exclude_characters="\"'\\", min_codepoint=0x20
)
#: Escapes decode_string accepts (a surrogate pair written as escapes included).
_ESCAPES = st.sampled_from(
    ['\\"', "\\'", "\\\\", "\\/", "\\n", "\\t", "\\u00e9", "\\uD83D\\uDE00", "\\u0041"]
)
_SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)


@st.composite
def surrogate_literals(draw: st.DrawFn) -> tuple[str, int]:
    """A quoted literal holding at least one raw surrogate, and the first one's offset in it."""
    before = draw(st.lists(st.one_of(_PLAIN, _ESCAPES), max_size=8))
    after = draw(st.lists(st.one_of(_PLAIN, _ESCAPES, _SURROGATES), max_size=8))
    quote = draw(st.sampled_from("\"'"))
    head = quote + "".join(before)
    return head + draw(_SURROGATES) + "".join(after) + quote, len(head)


def _text_and_offset(place: str, literal: str, at: int) -> tuple[str, int]:
    prefix = place[: place.index("{}")]
    return prefix + literal + place[len(prefix) + 2 :], len(prefix) + at


def _outcome(call: Any) -> tuple[str, int | None, int | None] | str:
    try:
        call()
    except QError as exc:
        return (exc.code.value, exc.start, exc.end)
    return "accepted"


@pytest.mark.parametrize("engine", ENGINES)
@property_settings(150)
@given(place=st.sampled_from(STRING_PLACES), literal=surrogate_literals())
def test_raw_surrogate_in_a_string_is_a_syntax_error_at_it(
    engine: str, place: str, literal: tuple[str, int]
) -> None:
    text, offset = _text_and_offset(place, *literal)
    assert _outcome(lambda: qexpr.parse(text, engine=engine)) == (
        "syntax_error", offset, offset + 1
    )


@property_settings(60)
@given(place=st.sampled_from(STRING_PLACES), literal=surrogate_literals())
def test_compile_and_compile_search_refuse_raw_surrogates_with_qerror(
    place: str, literal: tuple[str, int]
) -> None:
    text, offset = _text_and_offset(place, *literal)
    expected = ("syntax_error", offset, offset + 1)
    assert _outcome(lambda: qexpr.compile(text)) == expected
    assert _outcome(lambda: qexpr.compile_search({"q": text})) == expected


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("text", "start"),
    [
        ('client_ref = "a\ud800"', 15),
        ('metadata["\udc00"] = 1', 10),
        ('client_ref = "\ud83d\ude00"', 14),  # a pair as two raw code points: still raw
        ('client_ref = "a\\\ud800"', 16),  # a backslash before it: the surrogate is the fault
        ("client_ref = 'x\\n\udfff'", 17),
    ],
)
def test_raw_surrogate_examples(engine: str, text: str, start: int) -> None:
    with pytest.raises(QError) as info:
        qexpr.parse(text, engine=engine)
    assert (info.value.code.value, info.value.start, info.value.end) == (
        "syntax_error", start, start + 1
    )
    info.value.message.encode()  # the message itself names the code point, never holds it


@pytest.mark.parametrize("engine", ENGINES)
def test_escaped_surrogate_pair_is_still_one_code_point(engine: str) -> None:
    tree = qexpr.parse('client_ref = "a\\ud83d\\ude00"', engine=engine)
    assert isinstance(tree, ast.Comparison)
    assert tree.operand == ast.String("a\U0001f600")


# --------------------------------------------------------------------------- numbers

_DIGITS = st.text(st.sampled_from("0000123456789"), min_size=1, max_size=40)


@st.composite
def number_texts(draw: st.DrawFn) -> tuple[str, int, int]:
    """A NUMBER token with an exponent of 1..40 digits: its text, coefficient and exponent."""
    whole = draw(_DIGITS)
    fraction = draw(st.one_of(st.just(""), _DIGITS))
    length = draw(st.integers(1, 40))
    exponent_digits = draw(st.text(st.sampled_from("0123456789"), min_size=length,
                                   max_size=length))
    sign = draw(st.sampled_from(["", "+", "-"]))
    marker = draw(st.sampled_from("eE"))
    text = whole + ("." + fraction if fraction else "") + marker + sign + exponent_digits
    exponent = int(exponent_digits) * (-1 if sign == "-" else 1) - len(fraction)
    return text, int(whole + fraction), exponent


def expected_number(coefficient: int, exponent: int) -> Decimal | str:
    """The spec's rule, computed on Python integers: the value, or ``invalid_literal``."""
    if coefficient == 0:
        return Decimal(0)
    digits = str(coefficient)
    if len(digits.rstrip("0")) > 34:
        return "invalid_literal"
    if not -307 <= len(digits) - 1 + exponent <= 307:
        return "invalid_literal"
    return Decimal((0, tuple(map(int, digits)), exponent))


@property_settings(300)
@given(number=number_texts())
def test_parse_number_follows_the_rule_for_any_exponent_length(
    number: tuple[str, int, int]
) -> None:
    text, coefficient, exponent = number
    expected = expected_number(coefficient, exponent)
    try:
        value: Decimal | str = parse_number(text, 3)
    except LiteralError as exc:
        assert (exc.start, exc.end) == (3, 3 + len(text))
        value = "invalid_literal"
    assert value == expected
    if isinstance(expected, Decimal):
        assert isinstance(value, Decimal)
        assert value.as_tuple() == expected.as_tuple() or expected.is_zero()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0." + "0" * 400 + "1e" + "0" * 30 + "700", Decimal("1e299")),
        ("0." + "0" * 400 + "1e" + "0" * 30 + "709", "invalid_literal"),
        ("1" + "0" * 400 + "e-" + "0" * 30 + "700", Decimal("1e-300")),
        ("1" + "0" * 400 + "e-" + "9" * 3000, "invalid_literal"),
        ("0" * 500 + "e" + "9" * 5000, Decimal(0)),
    ],
)
def test_long_mantissas_against_long_exponents(text: str, value: object) -> None:
    try:
        got: object = parse_number(text, 0)
    except LiteralError:
        got = "invalid_literal"
    assert got == value


@pytest.mark.parametrize("engine", ENGINES)
@property_settings(120)
@given(number=number_texts(), negate=st.booleans())
def test_every_engine_applies_the_number_rule(
    engine: str, number: tuple[str, int, int], negate: bool
) -> None:
    text, coefficient, exponent = number
    expected = expected_number(coefficient, exponent)
    prefix = "cost = -" if negate else "cost = "
    q = prefix + text
    if isinstance(expected, str):
        assert _outcome(lambda: qexpr.parse(q, engine=engine)) == (
            expected, len(prefix), len(q)
        )
        return
    tree = qexpr.parse(q, engine=engine)
    assert isinstance(tree, ast.Comparison)
    assert isinstance(tree.operand, ast.Number)
    assert tree.operand.value == (expected.copy_negate() if negate else expected)
    shown = format_number(expected.copy_negate() if negate else expected)
    assert qexpr.to_q(tree) == "cost = " + shown
    assert qexpr.parse("cost = " + shown, engine=engine) == tree


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("cost = 1e99999999999999999999", ("invalid_literal", 7, 29)),
        ("cost = 1e-99999999999999999999", ("invalid_literal", 7, 30)),
        ("cost = 0e999999999999999999", "cost = 0"),
        ("cost = 0e9999999999999999999", "cost = 0"),
        ("cost = 0.000e-" + "9" * 40, "cost = 0"),
        ("cost = 1e" + "0" * 40 + "5", "cost = 100000"),
        ("cost = 1000e-310", "cost = 1e-307"),
        ("cost = 0.01e309", "cost = 1e307"),
        ("cost = 0.001e309", "cost = 1e306"),
        ("cost = 10e307", ("invalid_literal", 7, 13)),
        ("cost = 1.5E+" + "0" * 30 + "307", "cost = 1.5e307"),
    ],
)
def test_number_examples(engine: str, text: str, outcome: object) -> None:
    if isinstance(outcome, tuple):
        assert _outcome(lambda: qexpr.parse(text, engine=engine)) == outcome
    else:
        assert qexpr.to_q(qexpr.parse(text, engine=engine)) == outcome


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text", ["0", "000", "0.0", "0.000", "0e5", "0E-400", "0e" + "9" * 30])
def test_zero_is_one_value_whatever_its_spelling(engine: str, text: str) -> None:
    """Every zero is ``Decimal(0)``: no exponent a database cannot hold reaches the SQL."""
    tree = qexpr.parse("cost = " + text, engine=engine)
    assert isinstance(tree, ast.Comparison)
    assert isinstance(tree.operand, ast.Number)
    assert tree.operand.value.as_tuple() == Decimal(0).as_tuple()
    _, params = qexpr.compile("cost = " + text).to_sql(dialect="postgresql")
    assert [Decimal(p).as_tuple() for p in params] == [Decimal(0).as_tuple()]
