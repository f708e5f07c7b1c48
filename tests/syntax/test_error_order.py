"""Which error the syntax stage reports (spec section 7), the same in every engine.

- The "whitespace inside a path" rule fires only where the tokens on both sides of the gap would
  form a path (spec sections 2 and 7): generated token sequences with gaps around ``.``, ``[``
  and ``]``, checked against an independent reading of the path grammar.
- The order of the syntax stage: the length limit, then the token-level limits (nesting depth,
  quantifier nesting, string length) winning over any other error, then lexical, literal and
  parse errors in source order, then -- after a clean parse only -- the tree limits (predicate
  count, IN list size); each limit at N-1, N and N+1, with a syntax error before or after.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qexpr import Limits, QError, parse
from tests.syntax.strategies import available_engines, engine_params, property_settings

per_engine = pytest.mark.parametrize("engine", engine_params())
GAP_MESSAGE = "whitespace is not allowed inside a path"


def outcome(text: str, engine: str, limits: Limits | None = None) -> tuple[str, int, int, str]:
    """``(code, start, end, message)`` of the error ``parse`` raises (``ok`` if none)."""
    try:
        parse(text, engine=engine, limits=limits)
    except QError as error:
        return (str(error.code), error.start, error.end, error.message)
    return ("ok", 0, 0, "")


# --------------------------------------------------------------------------- the path-gap rule


@dataclass(frozen=True)
class Piece:
    """A token of a generated sequence: its text and its letter in the oracle's alphabet."""

    text: str
    letter: str  # I identifier, K keyword, . [ ] as is, S string, o anything else


PIECES = (
    Piece("a", "I"), Piece("metadata", "I"), Piece("x_1", "I"),
    Piece("in", "K"), Piece("AND", "K"), Piece("not", "K"), Piece("Null", "K"),
    Piece(".", "."), Piece("[", "["), Piece("]", "]"),
    Piece('"k"', "S"), Piece("'k.l'", "S"), Piece('"\\q"', "S"),  # a bad escape is a STRING
    Piece("1", "o"), Piece("(", "o"), Piece(")", "o"), Piece(",", "o"), Piece("=", "o"),
    Piece("IS", "K"),
)
WORDY = re.compile(r"[A-Za-z0-9_]")
#: The path grammar over the oracle's letters: IDENT (. NAME | [ STRING ])*.
PATH = re.compile(r"I(?:\.[IK]|\[S\])*")
GAPS = ("", "", " ", "\n", "\t", "\r\n")


def must_separate(left: Piece, right: Piece) -> bool:
    """Would the two texts lex as one token (or as something else) if adjacent?"""
    if WORDY.match(left.text[-1]) and WORDY.match(right.text[0]):
        return True
    if left.text[-1].isdigit() and right.text[0] == ".":
        return True  # ``1.`` is one (bad) number run
    return left.text == "=" and right.text == "="


def path_gaps(pieces: list[Piece]) -> set[int]:
    """Indexes ``i`` such that pieces ``i - 1`` and ``i`` lie in one complete path."""
    letters = "".join(p.letter for p in pieces)
    inside: set[int] = set()
    for match in PATH.finditer(letters):
        inside.update(range(match.start() + 1, match.end()))
    return inside


@st.composite
def gapped_sequences(draw: st.DrawFn) -> tuple[list[Piece], list[str]]:
    """Pieces and the whitespace before each (``gaps[0]`` leads the text)."""
    pieces = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=10))
    gaps = [draw(st.sampled_from(GAPS))]
    for left, right in itertools.pairwise(pieces):
        gap = draw(st.sampled_from(GAPS))
        gaps.append(gap or (" " if must_separate(left, right) else ""))
    return pieces, gaps


def layout(pieces: list[Piece], gaps: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The text and the span of the gap before each piece."""
    text = ""
    spans: list[tuple[int, int]] = []
    for piece, gap in zip(pieces, gaps, strict=True):
        spans.append((len(text), len(text) + len(gap)))
        text += gap + piece.text
    return text, spans


@property_settings(600)
@given(gapped_sequences())
def test_the_gap_rule_fires_only_inside_a_path(sequence: tuple[list[Piece], list[str]]) -> None:
    pieces, gaps = sequence
    text, spans = layout(pieces, gaps)
    inside = path_gaps(pieces)
    found = {engine: outcome(text, engine) for engine in available_engines()}
    assert len(set(found.values())) == 1, (text, found)  # every engine reports the same
    code, start, end, message = found["native"]
    real_gaps = [i for i in sorted(inside) if gaps[i]]
    if message == GAP_MESSAGE:
        # reported at a gap that lies inside a path, never elsewhere
        assert (start, end) in [spans[i] for i in real_gaps], (text, found)
    if real_gaps:
        first = spans[real_gaps[0]]
        # the first path gap wins unless an error at an earlier token does
        assert code != "ok", text
        assert (start, end) == first or end <= first[0], (text, found)
        # closing every path gap leaves no gap error
        closed = [g if i not in inside else "" for i, g in enumerate(gaps)]
        assert outcome(layout(pieces, closed)[0], "native")[3] != GAP_MESSAGE
    else:
        assert message != GAP_MESSAGE, (text, found)


#: Gaps inside a path: the gap rule's error, at the gap.
INSIDE_A_PATH = [
    ("metadata . tier = 1", (8, 9)),
    ("metadata. tier = 1", (9, 10)),
    ('a [ "k" ] = 1', (1, 2)),
    ('a["k" ] = 1', (5, 6)),
    ("a.in .b = 1", (4, 5)),
    ('a.b["k"] .in = 1', (8, 9)),
    ("x = a .b", (5, 6)),
    ("any(a .b, c)", (5, 6)),
    ('a[ "\\q"]', (2, 3)),  # the gap comes before the bad escape
]
#: Gaps where the tokens around cannot form a path: the other error stands.
OUTSIDE_A_PATH = [
    ('x IN ("a" ]', (10, 11)),
    ('x = "a" ]', (8, 9)),
    ("a [ 1] = 1", (4, 5)),
    ("a . 1 = 1", (4, 5)),
    ("metadata .", (10, 10)),
    ("metadata [", (10, 10)),
    ('metadata [ "k"', (14, 14)),
    ("x = 1 . b", (6, 7)),
    ("NOT .b", (4, 5)),
    ('(a) ["k"]', (4, 5)),
    ("x IN (1, 2) .b", (12, 13)),
    ('a [ "abc', (4, 8)),  # the unterminated string, not the gap before it
]


@per_engine
@pytest.mark.parametrize(("text", "span"), INSIDE_A_PATH, ids=[t for t, _ in INSIDE_A_PATH])
def test_a_gap_inside_a_path_is_the_error(engine: str, text: str, span: tuple[int, int]) -> None:
    assert outcome(text, engine) == ("syntax_error", *span, GAP_MESSAGE)


@per_engine
@pytest.mark.parametrize(("text", "span"), OUTSIDE_A_PATH, ids=[t for t, _ in OUTSIDE_A_PATH])
def test_a_gap_outside_a_path_is_no_error(engine: str, text: str, span: tuple[int, int]) -> None:
    code, start, end, message = outcome(text, engine)
    assert (code, start, end) == ("syntax_error", *span), message
    assert message != GAP_MESSAGE
