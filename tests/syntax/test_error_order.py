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

import qexpr
from qexpr import Limits, QError, parse
from qexpr.limits import DEFAULT_LIMITS
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


# --------------------------------------------------------------------------- order of the stage


@dataclass(frozen=True)
class Boundary:
    """A limit, a filter whose measure is ``n``, and where exceeding it is reported."""

    name: str
    limit: int
    token_level: bool  # counted on the tokens before parsing (else on the tree after)

    def body(self, n: int, room: int) -> str:
        """A valid filter measuring ``n``; ``room`` is the length of the text around it."""
        if self.name == "length":
            return "a = 1".ljust(n - room)
        if self.name == "depth (parentheses)":
            return "(" * n + "a" + ")" * n
        if self.name == "depth (NOT)":
            return "NOT " * n + "a"
        if self.name == "depth (mixed)":  # ( NOT ( NOT ...: one level each
            return "".join(_mixed(i) for i in range(n)) + "a" + ")" * ((n + 1) // 2)
        if self.name == "quantifier nesting":
            return "".join(f"any(r{i}, " for i in range(n)) + "a" + ")" * n
        if self.name == "string length":
            # decoded code points: a surrogate-pair escape is one, ``\\n`` is one
            pieces = "\\ud83d\\ude00" + "x\\u0041\\n" * ((n - 1) // 3) + "y" * ((n - 1) % 3)
            return f'a = "{pieces}"'
        if self.name == "predicates":
            return " AND ".join(f"a{i} = 1" for i in range(n))
        assert self.name == "IN values"
        return "a IN (" + ", ".join(str(i) for i in range(n)) + ")"

    def exceeded_at(self, body: str, offset: int, text: str) -> tuple[int, int]:
        """The span of the limit error for the body with measure ``limit + 1`` at ``offset``."""
        n = self.limit
        if self.name == "length":
            return (n, len(text))
        if self.name == "depth (parentheses)":
            return (offset + n, offset + n + 1)
        if self.name == "depth (NOT)":
            return (offset + 4 * n, offset + 4 * n + 3)
        if self.name == "depth (mixed)":
            start = offset + len("".join(_mixed(i) for i in range(n)))
            return (start, start + len(_mixed(n).strip()))
        if self.name == "quantifier nesting":
            start = offset + body.index(f"any(r{n},")
            return (start, start + 3)
        if self.name == "string length":
            return (offset + 4, offset + len(body))
        if self.name == "predicates":
            start = offset + body.index(f"a{n} = 1")
            return (start, start + len(f"a{n} = 1"))
        assert self.name == "IN values"
        start = offset + body.index(f", {n})") + 2
        return (start, start + len(str(n)))


def _mixed(level: int) -> str:
    return "NOT " if level % 2 else "("


BOUNDARIES = [
    Boundary("length", DEFAULT_LIMITS.max_length, True),
    Boundary("depth (parentheses)", DEFAULT_LIMITS.max_depth, True),
    Boundary("depth (NOT)", DEFAULT_LIMITS.max_depth, True),
    Boundary("depth (mixed)", DEFAULT_LIMITS.max_depth, True),
    Boundary("quantifier nesting", DEFAULT_LIMITS.max_quantifier_depth, True),
    Boundary("string length", DEFAULT_LIMITS.max_string_length, True),
    Boundary("predicates", DEFAULT_LIMITS.max_predicates, False),
    Boundary("IN values", DEFAULT_LIMITS.max_in_values, False),
]

#: (name, prefix, suffix, code, span in the prefix or the suffix, is it in the prefix)
OTHER_ERRORS = [
    ("none", "", "", "ok", (0, 0), True),
    ("lexical before", "b == 1 AND ", "", "syntax_error", (2, 4), True),
    ("parse before", "b = = 1 AND ", "", "syntax_error", (4, 5), True),
    ("literal before", "b = 1e999 AND ", "", "invalid_literal", (4, 9), True),
    ("string escape before", 'b = "\\q" AND ', "", "syntax_error", (5, 7), True),
    ("lexical after", "", " AND b == 1", "syntax_error", (7, 9), False),
    ("parse after", "", " AND )", "syntax_error", (5, 6), False),
    ("end after", "", " AND", "syntax_error", (4, 4), False),
    ("literal after", "", " AND b = 1e999", "invalid_literal", (9, 14), False),
]


@per_engine
@pytest.mark.parametrize("boundary", BOUNDARIES, ids=[b.name for b in BOUNDARIES])
@pytest.mark.parametrize("delta", [-1, 0, 1], ids=["N-1", "N", "N+1"])
@pytest.mark.parametrize("other", OTHER_ERRORS, ids=[o[0] for o in OTHER_ERRORS])
def test_limits_and_other_errors_in_the_order_of_section_7(
    engine: str, boundary: Boundary, delta: int,
    other: tuple[str, str, str, str, tuple[int, int], bool],
) -> None:
    _, prefix, suffix, code, span, in_prefix = other
    n = boundary.limit + delta
    body = boundary.body(n, len(prefix) + len(suffix))
    text = prefix + body + suffix
    if boundary.name == "length":
        assert len(text) == n
    found = outcome(text, engine)
    exceeded = delta > 0
    if exceeded and (boundary.token_level or code == "ok"):
        # token-level limits win over any other error; tree limits need a clean parse
        start, end = boundary.exceeded_at(body, len(prefix), text)
        assert found[:3] == ("limit_exceeded", start, end), found
    elif code == "ok":
        assert found[0] == "ok", found
    else:
        shift = 0 if in_prefix else len(prefix) + len(body)
        assert found[:3] == (code, span[0] + shift, span[1] + shift), found


@per_engine
@pytest.mark.parametrize("extra", [1, 2, 50])
def test_a_syntax_error_anywhere_beats_the_tree_limits(engine: str, extra: int) -> None:
    """129 or more conditions and then ``AND ==``: a syntax error, not limit_exceeded."""
    n = DEFAULT_LIMITS.max_predicates + extra
    conditions = " AND ".join(["a = 1"] * n)
    text = conditions + " AND =="
    assert outcome(text, engine)[:3] == ("syntax_error", len(text) - 2, len(text))
    values = ", ".join(["1"] * (DEFAULT_LIMITS.max_in_values + extra))
    text = f"a IN ({values}) AND b IN (1,)) AND a IN ({values})"
    start = text.index("))") + 1
    assert outcome(text, engine)[:3] == ("syntax_error", start, start + 1)


@per_engine
@property_settings(40)
@given(st.data())
def test_configured_limits_follow_the_same_order(engine: str, data: st.DataObject) -> None:
    """Small configured limits: the same order at each boundary, for every kind of limit."""
    limit = data.draw(st.integers(1, 6), label="limit")
    delta = data.draw(st.sampled_from([-1, 0, 1]), label="delta")
    if limit + delta < 1:
        delta = 0
    base = data.draw(st.sampled_from([b for b in BOUNDARIES if b.name != "length"]),
                     label="limit kind")
    boundary = Boundary(base.name, limit, base.token_level)
    other = data.draw(st.sampled_from(OTHER_ERRORS), label="other error")
    _, prefix, suffix, code, span, in_prefix = other
    body = boundary.body(limit + delta, len(prefix) + len(suffix))
    text = prefix + body + suffix
    field = {
        "depth (parentheses)": "max_depth", "depth (NOT)": "max_depth",
        "depth (mixed)": "max_depth", "quantifier nesting": "max_quantifier_depth",
        "string length": "max_string_length", "predicates": "max_predicates",
        "IN values": "max_in_values",
    }[boundary.name]
    # the prefix or suffix condition counts as one more predicate: leave room for it
    room = {"max_predicates": limit + delta + 1} if field != "max_predicates" else {}
    limits = Limits(**{field: limit, **room})
    found = outcome(text, engine, limits)
    if delta > 0 and (boundary.token_level or code == "ok"):
        start, end = boundary.exceeded_at(body, len(prefix), text)
        assert found[:3] == ("limit_exceeded", start, end), (text, found)
    elif code == "ok":
        assert found[0] == "ok", (text, found)
    else:
        shift = 0 if in_prefix else len(prefix) + len(body)
        assert found[:3] == (code, span[0] + shift, span[1] + shift), (text, found)


@pytest.mark.parametrize("engine", ["native", "lark", "antlr"])
def test_compile_reports_the_syntax_stage_first(engine: str) -> None:
    """Through ``qexpr.compile``: limits and syntax errors come before any field is looked up."""
    if engine not in available_engines():
        pytest.skip(f"engine {engine!r} is not available")
    n = DEFAULT_LIMITS.max_predicates
    unknown = " AND ".join(f"nope{i} = 1" for i in range(n + 1))
    with pytest.raises(QError) as info:
        qexpr.compile(unknown, engine=engine)
    assert str(info.value.code) == "limit_exceeded"
    with pytest.raises(QError) as info:
        qexpr.compile(unknown + " AND ==", engine=engine)
    assert (str(info.value.code), info.value.start) == ("syntax_error", len(unknown) + 5)
    known = " AND ".join(["duration_ms = 1"] * n)
    assert qexpr.compile(known, engine=engine).to_q()
