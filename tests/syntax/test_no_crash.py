"""No input makes ``parse`` raise anything but :class:`qexpr.QError` (spec section 6), for every
engine: arbitrary text (U+0000 and lone surrogates included), huge and deeply nested input, with
default and with raised limits. Oversized input is rejected quickly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qexpr import Limits, QError, parse
from qexpr.limits import DEFAULT_LIMITS, MAX_SUPPORTED_DEPTH
from qexpr.syntax import ast
from tests.syntax.strategies import (
    VOCABULARY,
    engine_params,
    mutations,
    property_settings,
    q_texts,
)

pytestmark = pytest.mark.parametrize("engine", engine_params())

#: Every limit raised far beyond the inputs below: only the parser's own robustness is left.
NO_LIMITS = Limits(
    max_length=10**8,
    max_depth=MAX_SUPPORTED_DEPTH,
    max_predicates=10**8,
    max_in_values=10**8,
    max_string_length=10**8,
    max_quantifier_depth=MAX_SUPPORTED_DEPTH,
)
LONG = Limits(max_length=10**8)  # other limits at their defaults


def outcome(text: str, engine: str, limits: Limits | None = None) -> ast.Expr | QError:
    """The tree, or the QError; any other exception fails the test (with a short message)."""
    try:
        return parse(text, engine=engine, limits=limits)
    except QError as error:
        assert 0 <= error.start <= error.end <= len(text), error
        return error
    except BaseException as exc:  # RecursionError, MemoryError, lark/ANTLR exceptions, ...
        failure = (
            f"{engine}: {type(exc).__module__}.{type(exc).__name__} "
            f"({str(exc)[:200]!r}) on {text[:60]!r}... ({len(text)} characters)"
        )
    pytest.fail(failure, pytrace=False)


def expect_error(text: str, engine: str, code: str, limits: Limits | None = None) -> QError:
    result = outcome(text, engine, limits)
    assert isinstance(result, QError), f"expected {code}, got a tree"
    assert result.code == code, repr(result)
    return result


# --------------------------------------------------------------------------- arbitrary text

_ANY_CHAR = st.one_of(
    st.characters(codec=None),
    st.characters(categories=["Cs"]),
    st.sampled_from("\x00\x01\t\n\r \"'\\()[],.-+=<>!&|0123456789eE_aZ"),
)


@property_settings(100)
@given(text=st.text(_ANY_CHAR, max_size=80))
def test_arbitrary_text_raises_only_qerror(engine: str, text: str) -> None:
    outcome(text, engine)


@property_settings(100)
@given(text=st.lists(st.one_of(st.sampled_from(VOCABULARY), _ANY_CHAR), max_size=25).map(
    "".join))
def test_token_soup_raises_only_qerror(engine: str, text: str) -> None:
    outcome(text, engine)


@property_settings(100)
@given(text=q_texts().flatmap(mutations))
def test_mutated_filters_raise_only_qerror(engine: str, text: str) -> None:
    outcome(text, engine)


# --------------------------------------------------------------------------- huge inputs

HUGE_TEXTS = {
    "100k letters": "a" * 100_000,
    "100k mixed": ('x = "a" AND (y IN (1, 2) OR NOT z) AND ' * 3000)[:100_000],
    "100k characters of noise": ("(\"\\'\x00\ud800)]=-.,1e" * 10_000)[:100_000],
    "10k nested parentheses": "(" * 10_000 + "a = 1" + ")" * 10_000,
    "10k unbalanced parentheses": "(" * 10_000,
    "10k NOTs": "NOT " * 10_000 + "a",
    "10k NOTs in parentheses": "NOT (" * 10_000 + "a" + ")" * 10_000,
    "5,000-deep any(": "any(r, " * 5_000 + "a" + ")" * 5_000,
    "5,000-deep any( unclosed": "any(r, " * 5_000,
    "10k ANDs": " AND ".join(["a = 1"] * 10_000),
    "10k ORs": " OR ".join(["a"] * 10_000),
    "10k IN values": "x IN (" + ", ".join(["1"] * 10_000) + ")",
    "10k path segments": "a" + ".b" * 10_000 + " = 1",
    "10k bracket segments": "a" + '["b"]' * 10_000 + " = 1",
    "10k shifts": "x > now()" + " - 1d" * 10_000,
    "10k minus signs": "x = " + "- " * 10_000 + "1",
    "huge integer": "x = " + "9" * 50_000,
    "huge exponent": "x = 1e" + "9" * 50_000,
    "huge negative exponent": "x = 1e-" + "9" * 50_000,
    "huge fraction": "x = 0." + "0" * 50_000 + "1",
    "huge duration": "x > now() - " + "9" * 50_000 + "d",
    "long string": 'x = "' + "a" * 100_000 + '"',
    "long unterminated string": 'x = "' + "a" * 100_000,
    "4,096 backslashes": "\\" * 4096,
    "string of 4,090 backslashes": 'x = "' + "\\" * 4090 + '"',
    "string of 4,089 backslashes": 'x = "' + "\\" * 4089 + '"',
    "100k escapes": 'x = "' + "\\u0041" * 20_000 + '"',
    "100k surrogate pairs": 'x = "' + "\\ud83d\\ude00" * 10_000 + '"',
}


@pytest.mark.parametrize("name", sorted(HUGE_TEXTS))
def test_huge_input_with_default_limits_is_limit_exceeded(engine: str, name: str) -> None:
    text = HUGE_TEXTS[name]
    if len(text) <= 4096:
        outcome(text, engine)
    else:
        error = expect_error(text, engine, "limit_exceeded")
        assert (error.start, error.end) == (4096, len(text))


# Parsed for real once the limits are raised (kept to the deep and the odd: long flat input
# only costs time in the slower engines).
RAISED = sorted(set(HUGE_TEXTS) - {"100k mixed", "10k ANDs", "10k ORs", "100k escapes",
                                   "100k surrogate pairs"})


@pytest.mark.parametrize("name", RAISED)
def test_huge_input_with_every_limit_raised_raises_only_qerror(engine: str, name: str) -> None:
    """Limits are configurable; raising them must not expose RecursionError and the like."""
    outcome(HUGE_TEXTS[name], engine, NO_LIMITS)


def test_deep_nesting_is_stopped_by_the_depth_limit(engine: str) -> None:
    for text in (HUGE_TEXTS["10k nested parentheses"], HUGE_TEXTS["10k NOTs"],
                 HUGE_TEXTS["10k NOTs in parentheses"]):
        error = expect_error(text, engine, "limit_exceeded", LONG)
        assert error.start < 200  # at the 33rd level, not at the end


def test_deep_quantifiers_are_stopped_by_the_quantifier_limit(engine: str) -> None:
    error = expect_error(HUGE_TEXTS["5,000-deep any("], engine, "limit_exceeded", LONG)
    assert error.start == len("any(r, " * 3)


def test_huge_numbers_are_invalid_literals(engine: str) -> None:
    for name in ("huge integer", "huge exponent", "huge negative exponent", "huge fraction"):
        expect_error(HUGE_TEXTS[name], engine, "invalid_literal", LONG)


def test_strings_of_backslashes(engine: str) -> None:
    # Only backslashes: not a token at all.
    error = expect_error(HUGE_TEXTS["4,096 backslashes"], engine, "syntax_error")
    assert error.start == 0
    # An even number of backslashes is a string of half as many: too long a string.
    expect_error(HUGE_TEXTS["string of 4,090 backslashes"], engine, "limit_exceeded")
    # An odd number escapes the closing quote: unterminated, spanning to the end.
    odd = HUGE_TEXTS["string of 4,089 backslashes"]
    error = expect_error(odd, engine, "syntax_error")
    assert (error.start, error.end) == (4, len(odd))
    # Within the string limit the backslashes decode one for two.
    tree = outcome('x = "' + "\\\\" * 1024 + '"', engine)
    assert isinstance(tree, ast.Comparison)
    assert tree.operand == ast.String("\\" * 1024)


# --------------------------------------------------------------------------- length limit


def test_one_megabyte_is_rejected_by_the_length_limit_first(engine: str) -> None:
    """The length limit is checked before any lexing: 1 MB of text that lexing would reject
    otherwise (nesting, a lone quote, U+0000) is the length limit's error, past the limit."""
    for text in ("a" * 1_000_000, "(" * 1_000_000, '"' + "\\" * 999_999, "\x00" * 1_000_000):
        error = expect_error(text, engine, "limit_exceeded")
        assert (error.start, error.end) == (DEFAULT_LIMITS.max_length, len(text))


WORST_CASES_AT_THE_LENGTH_LIMIT = {
    "ANDs": (" AND ".join(["a = 1"] * 500))[:4096],
    "IN list": ("x IN (" + ", ".join(["1"] * 2000))[:4095] + ")",
    "paths": ("a" + ".b" * 2100)[:4096],
    "noise": ("(\"\\'\x00)]=-.,1e" * 400)[:4096],
    "backslashes": 'x = "' + "\\" * 4090 + '"',
    "parens": "(" * 32 + ("a = 1 OR " * 500)[:4000] + ")" * 32,
}


@pytest.mark.parametrize("name", sorted(WORST_CASES_AT_THE_LENGTH_LIMIT))
def test_inputs_at_the_length_limit_give_a_tree_or_a_qerror(engine: str, name: str) -> None:
    """Spec section 6: any input within the limits is parsed or rejected, nothing else."""
    text = WORST_CASES_AT_THE_LENGTH_LIMIT[name]
    assert len(text) <= 4096
    outcome(text, engine)
