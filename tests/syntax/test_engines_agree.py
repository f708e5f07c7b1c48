"""Every engine splits the same text into the same tokens, builds the same tree (spans included)
and rejects the same inputs with the same error (spec section 2: "every engine splits the same
text into the same tokens and reports errors at the same offsets").

This is the one module that runs all engines on generated inputs, errors included; the engines'
own modules test hand-written cases."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qexpr import QError, parse, to_q
from qexpr.syntax import ast
from qexpr.syntax.parser import get_engine
from qexpr.syntax.tokens import KEYWORDS
from tests.syntax.strategies import (
    VOCABULARY,
    asts,
    available_engines,
    mutations,
    noisy_texts,
    property_settings,
    q_texts,
)

ENGINES = available_engines()

pytestmark = pytest.mark.skipif(len(ENGINES) < 2, reason="only one engine is implemented")


def spans(node: Any) -> Any:
    """The tree with every node's span (and each path's segment spans), for exact comparison."""
    if isinstance(node, tuple):
        return tuple(spans(item) for item in node)
    if not isinstance(node, ast.Node):
        return node
    out: list[Any] = [type(node).__name__, node.start, node.end]
    if isinstance(node, ast.Path):
        out.append(node.segment_spans)
    for f in fields(node):
        if f.name in ("start", "end", "segment_spans", "instant"):
            continue
        out.append((f.name, spans(getattr(node, f.name))))
    return tuple(out)


def outcome(text: str, engine: str) -> tuple[Any, ...]:
    """What ``parse`` makes of ``text``: the tree with spans, or the whole error (code, span,
    message, expected, hint: the error model is shared, so all of it must agree)."""
    try:
        tree = parse(text, engine=engine)
    except QError as error:
        return ("error", str(error.code), error.start, error.end, error.message,
                error.expected, error.hint, error.suggestion)
    return ("ok", spans(tree))


def assert_agree(text: str) -> None:
    results = {engine: outcome(text, engine) for engine in ENGINES}
    first = ENGINES[0]
    for engine in ENGINES[1:]:
        assert results[engine] == results[first], (
            f"{engine} vs {first} on {text!r}:\n  {results[engine]}\n  {results[first]}"
        )


def assert_same_tokens(text: str) -> None:
    tokens = {engine: get_engine(engine).tokenize(text) for engine in ENGINES}
    first = ENGINES[0]
    for engine in ENGINES[1:]:
        assert tokens[engine] == tokens[first], f"{engine} vs {first} tokens of {text!r}"


# Texts where tokenizers and parsers typically disagree.
TRICKY = [
    "",
    "   \n\t",
    "x",
    "x = 1",
    'metadata["team-id"] = 42',
    "metadata.in = 1",
    "metadata.AND = 1",
    "a.b.c.not IS NOT NULL",
    "x = -5",
    "x = - 5",
    "x > now() - 7d + 12h",
    'x > "2024-01-01" - 250ms',
    "x IN (1, 2,)",
    "x NOT IN (1)",
    "x NOT BETWEEN 1 AND 2 AND y",
    "NOT NOT x",
    "any(a, all(b, c = d))",
    "x = 1 AND",
    "x = 1 OR OR y",
    "x = = 1",
    "a = b = c",
    "x == 1",
    "x <> 1",
    "a && b",
    "a || b",
    "!a",
    "a eq 1",
    "a ne 1",
    "x = 1.",
    "x = .5",
    "x = 1e",
    "x = +1",
    "x = 7D",
    "x = 1.5d",
    "x = 7dx",
    "x = 1AND y",
    "x = 1e308",
    "x = 12345678901234567890123456789012345",
    'x = "\\u0000"',
    'x = "\\ud800"',
    'x = "\\udc00"',
    'x = "\\q"',
    'x = "a\x01b"',
    'x = "abc',
    'x = "abc\\"',
    "x = 'it\\'s'",
    "metadata . x = 1",
    "metadata. x = 1",
    'metadata ["a"] = 1',
    'metadata[ "a"] = 1',
    "x IN ()",
    "x IN (1,,2)",
    "x LIKE 5",
    "any(x)",
    "any(x, )",
    "all = 1",
    "now() = x",
    "x = now",
    "x = now(",
    "()",
    "(x",
    "x)",
    "x = 1 y = 2",
    "x = failed",
    "\x00",
    "x = \ud800",
    "é = 1",
    "x;",
    "x = 1 # comment",
    "x = \u201cfoo\u201d",
    "x IS NOT",
    "x IS 1",
    "x NOT = 1",
    "x BETWEEN 1 OR 2",
    "x BETWEEN 1 AND",
    "x[1] = 2",
    "x.1 = 2",
    "x. = 2",
    "x.[\"a\"] = 2",
    "x = 1\n AND\n y == 2",
]


@pytest.mark.parametrize("text", TRICKY)
def test_engines_agree_on_tricky_inputs(text: str) -> None:
    assert_same_tokens(text)
    assert_agree(text)


@property_settings(100)
@given(tree=asts())
def test_engines_build_the_same_tree_from_canonical_text(tree: ast.Expr) -> None:
    text = to_q(tree)
    assert_same_tokens(text)
    assert_agree(text)


@property_settings(100)
@given(pair=noisy_texts())
def test_engines_build_the_same_tree_from_noisy_text(pair: tuple[str, ast.Expr]) -> None:
    text, _ = pair
    assert_same_tokens(text)
    assert_agree(text)


@property_settings(250)
@given(data=st.data())
@example(data=None)
def test_engines_agree_on_mutated_text(data: st.DataObject | None) -> None:
    if data is None:  # one fixed case, so that a run always checks at least this
        text = "x = 1 AND y IN (1, 2"
    else:
        text = data.draw(q_texts().flatmap(mutations), label="text")
    assert_same_tokens(text)
    assert_agree(text)


@property_settings(100)
@given(text=st.lists(
    st.one_of(st.sampled_from(VOCABULARY), st.characters(codec=None)), max_size=12
).map(" ".join))
def test_engines_agree_on_token_soup(text: str) -> None:
    assert_same_tokens(text)
    assert_agree(text)


# Text built from characters and fragments where lexers typically differ.
ALPHABET = (
    "abdehimnorstwxyzABDEINORSTW_"  # identifiers, keyword letters, duration units
    "0123456789.eE+-"  # numbers
    "\"'\\/bfnrtu"  # strings and escapes
    "()[],=!<>&|"  # punctuation, foreign operators
    " \t\r\n"  # whitespace
    "\x00\x01\x1f\x7f\u00a0\u2028é\U0001f600\ud800\udc00\udfff;#*?"  # odd characters
)
FRAGMENTS = [
    *KEYWORDS, "AND", "Or", "nOt", "STARTS_WITH", "Ends_With", "now()", "any(", "ALL(",
    "a", "_x1", "metadata", "in_", "andy", "eq", "gte",
    "0", "7", "42", "1.5", "1.", ".5", "1e", "1e5", "1E+5", "2e-3", "1e+", "7d", "7D", "250ms",
    "90m", "1h", "2w", "3s", "7dx", "1.5d", "1AND", "12_3", "9.9.9",
    '"', "'", '"abc"', "'abc'", '"a\\"b"', '"\\u00e9"', '"\\u12"', '"\\x"', '"\\', "\\",
    '"\\uD800"', '"\\uD83D\\uDE00"', '"\x01"', "'it\\'s'", '"\\/"',
    "(", ")", "[", "]", ",", ".", "-", "+", "=", "!=", "<", "<=", ">", ">=",
    "==", "<>", "&&", "||", "!", "&", "|", "===", "<=>", "!==",
    " ", "  ", "\t", "\n", "\r\n", "\x00", "\ud800", "\U0001f600", "é",
]



@property_settings(300)
@given(text=st.one_of(
    st.text(alphabet=ALPHABET, max_size=80),
    st.lists(st.sampled_from(FRAGMENTS), max_size=20).map("".join),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=40),  # surrogates too
    st.text(alphabet="0123456789eE+-.dmswhx_A ", max_size=12),
))
def test_engines_agree_on_rich_text(text: str) -> None:
    assert_same_tokens(text)
    assert_agree(text)
