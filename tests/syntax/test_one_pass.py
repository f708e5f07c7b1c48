"""The native one-pass parse returns exactly what the full pipeline returns, or gives up.

``parse`` first tries the native engine's one pass (:func:`qexpr.syntax.engines.native.
parse_fast`: the one parser over the tokenizer's lists, literals and limits inline) and runs the
full pipeline (``parse_full``: lexer, shared scan, parser, AST limits) only when it gives up, so
every error comes from the full pipeline. What must hold: the one pass never returns a tree the
full pipeline would not return, identical to the last span; it gives up on every error and every
exceeded limit; and it does not give up on ordinary valid filters (else it would be no fast path
at all). The lark and ANTLR engines have no one pass: they are references, not fast paths.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qexpr import QError, to_q
from qexpr.limits import DEFAULT_LIMITS, MAX_SUPPORTED_DEPTH, Limits
from qexpr.syntax import ast
from qexpr.syntax.engines import native
from qexpr.syntax.parser import get_engine, parse, parse_full
from qexpr.syntax.tokens import TokenKind
from tests.syntax.strategies import (
    VOCABULARY,
    asts,
    available_engines,
    mutations,
    noisy_texts,
    property_settings,
    q_texts,
)

FAST_ENGINES = ("native",)

#: Limits that never bind on generated filters, so a fast path has no reason to give up.
HIGH_LIMITS = Limits(max_length=10**6, max_depth=MAX_SUPPORTED_DEPTH, max_predicates=10**6,
                     max_in_values=10**6, max_quantifier_depth=MAX_SUPPORTED_DEPTH,
                     max_string_length=10**6)


# --------------------------------------------------------------------------- helpers


def dump(node: object) -> object:
    """Every field of an AST, spans and segment spans included (plain equality skips them)."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return (type(node).__name__, *((f.name, dump(getattr(node, f.name)))
                                       for f in dataclasses.fields(node)))
    if isinstance(node, tuple):
        return tuple(dump(item) for item in node)
    return node


def full_outcome(text: str, engine: str, limits: Limits) -> tuple[Any, ...]:
    """What the full pipeline makes of ``text``: the dumped tree, or the whole error."""
    try:
        tree = parse_full(text, engine=engine, limits=limits)
    except QError as error:
        return ("error", str(error.code), error.start, error.end, error.message,
                error.expected, error.hint, error.suggestion)
    return ("ok", dump(tree))


def parse_outcome(text: str, engine: str, limits: Limits) -> tuple[Any, ...]:
    """The same for ``parse`` (fast path first)."""
    try:
        tree = parse(text, engine=engine, limits=limits)
    except QError as error:
        return ("error", str(error.code), error.start, error.end, error.message,
                error.expected, error.hint, error.suggestion)
    return ("ok", dump(tree))


def fast_tree(text: str, engine: str, limits: Limits) -> ast.Expr | None:
    """The engine's fast path alone (``text`` must be within the length limit)."""
    engine_object: Any = get_engine(engine)
    tree: ast.Expr | None = engine_object.parse_fast(text, limits)
    return tree


def check(text: str, engine: str, limits: Limits = DEFAULT_LIMITS, *,
          fast: bool | None = None) -> None:
    """The fast path agrees with the full pipeline on ``text``; ``fast`` says whether it must
    (True) or must not (False) have produced the tree itself."""
    full = full_outcome(text, engine, limits)
    assert parse_outcome(text, engine, limits) == full, (engine, text)
    if len(text) > limits.max_length:
        return
    tree = fast_tree(text, engine, limits)
    if tree is not None:
        assert full == ("ok", dump(tree)), (engine, text)
    if fast is True:
        assert tree is not None, f"{engine} fast path gave up on {text!r}"
    elif fast is False:
        assert tree is None, f"{engine} fast path did not give up on {text!r}"


def check_all(text: str, limits: Limits = DEFAULT_LIMITS, *, fast: bool | None = None) -> None:
    for engine in FAST_ENGINES:
        check(text, engine, limits, fast=fast)


# --------------------------------------------------------------------------- the machinery


def test_only_native_has_a_fast_path() -> None:
    assert callable(getattr(get_engine("native"), "parse_fast", None))
    for engine in set(available_engines()) - {"native"}:
        assert getattr(get_engine(engine), "parse_fast", None) is None


# --------------------------------------------------------------------------- tokens


def native_fast_tokens(text: str) -> list[tuple[TokenKind, str, int, int]]:
    kinds, texts, starts = native.scan(text)
    count = len(kinds) - 3
    return [(kinds[i], texts[i], starts[i], starts[i] + len(texts[i])) for i in range(count)]


def assert_same_tokens(text: str) -> None:
    """Where a fast scan does not give up, it splits the text as the engine's lexer does."""
    native = get_engine("native").tokenize(text)[:-1]
    fast = native_fast_tokens(text)
    if fast is not None:
        assert fast == [(t.kind, t.text, t.start, t.end) for t in native], text


TRICKY = [
    "", "  \n", "x", "x ", " x", "a  =\t1", "x = -5", "x = - 5", "a.b.c", "a .b", "a. b",
    'a["b"]', 'a ["b"]', 'a[ "b"]', 'a["b" ]', 'a["b"] .c', "a.in.NOT", "a.AND = 1", "x == 1",
    "x <> 1", "x <= 1", "x >= 1", "x != 1", "x ! = 1", "x =", "x = = 1", "x < > 1", "a && b",
    "a & b", "x = 1.5", "x = 1.5.3", "x = 1e5", "x = 1e+5", "x = 1e", "x = 1e+", "x = 7d",
    "x = 7ms", "x = 7mss", "x = 7dx", "x = 1_0", "x = 1.", "x = .5", "x = 12345678901234",
    "x = 2e+5d", "x = 7D", 'x = "a\\"b"', "x = 'a\\'b'", 'x = "\\n\\t\\u00e9"', 'x = "a\x01b"',
    'x = "\\q"', 'x = "abc', "x = 'abc", 'x = "abc\\"', 'x = "a"b"', "x = é", "é", "\x00",
    "x;", "x = 1 # c", "AnD", "aNd = 1", "StArTs_WiTh", "x sTaRtS_wItH 'a'", "now() - 7d",
    "x > now() - 7d + 12h", 'x > "2024-01-01" - 250ms', "any(a, b)", "ALL(a.b, c = 1)",
    "x IN (1, 2,)", "x NOT IN (1)", "NOT NOT x", "((x))", "(x", "x)", "x = 1\n AND\n y",
]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_scans_split_like_the_lexers(text: str) -> None:
    assert_same_tokens(text)


@property_settings(150)
@given(text=st.one_of(
    q_texts(),
    q_texts().flatmap(mutations),
    st.lists(st.one_of(st.sampled_from(VOCABULARY), st.characters(codec=None)),
             max_size=12).map(" ".join),
))
def test_fast_scans_split_like_the_lexers_generated(text: str) -> None:
    assert_same_tokens(text)


# --------------------------------------------------------------------------- trees


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_inputs(text: str) -> None:
    check_all(text)


@property_settings(150)
@given(tree=asts())
def test_canonical_text_takes_the_fast_path(tree: ast.Expr) -> None:
    text = to_q(tree)
    check_all(text, fast=True)
    check_all(text, HIGH_LIMITS, fast=True)


@property_settings(150)
@given(pair=noisy_texts())
def test_noisy_text_takes_the_fast_path(pair: tuple[str, ast.Expr]) -> None:
    text, _ = pair
    check_all(text)
    check_all(text, HIGH_LIMITS, fast=True)


@property_settings(250)
@given(text=st.one_of(
    q_texts().flatmap(mutations),
    st.lists(st.one_of(st.sampled_from(VOCABULARY), st.characters(codec=None)),
             max_size=12).map(" ".join),
))
def test_damaged_text_agrees(text: str) -> None:
    check_all(text)


small_limits = st.builds(
    Limits,
    max_length=st.integers(1, 400),
    max_depth=st.integers(1, 6),
    max_predicates=st.integers(1, 6),
    max_in_values=st.integers(1, 4),
    max_string_length=st.integers(1, 6),
    max_quantifier_depth=st.integers(1, 3),
)


@property_settings(300)
@given(text=q_texts(), limits=small_limits)
def test_tight_limits_agree(text: str, limits: Limits) -> None:
    """Whatever limit binds, the fast path gives up exactly where the full pipeline fails."""
    check_all(text, limits)


# --------------------------------------------------------------------------- near the limits


def _limits(**changes: int) -> Limits:
    return dataclasses.replace(DEFAULT_LIMITS, **changes)


def _near(make: Any, limit: int) -> list[tuple[str, bool]]:
    """``make(n)`` at the limit (valid, so fast) and just over it (an error, so not fast)."""
    return [(make(limit), True), (make(limit + 1), False)]


DEPTH = 5
DEPTH_SHAPES: dict[str, Any] = {
    "parens": lambda n: "(" * n + "a" + ")" * n,
    "nots": lambda n: "NOT " * n + "a",
    "not_parens": lambda n: "NOT (" * (n // 2) + "NOT " * (n % 2) + "a" + ")" * (n // 2),
    "in_list": lambda n: "(" * (n - 1) + "a IN (1, 2)" + ")" * (n - 1),
    "now_in_list": lambda n: "(" * (n - 2) + "a IN (now(), 1)" + ")" * (n - 2),
    "now": lambda n: "(" * (n - 1) + "a > now() - 1d" + ")" * (n - 1),
    "quantifiers": lambda n: "any(r, " * (n - 2) + "NOT NOT a" + ")" * (n - 2),
    "and_nots": lambda n: "NOT a AND " + "(" * n + "b" + ")" * n + " OR NOT c",
}


@pytest.mark.parametrize("shape", list(DEPTH_SHAPES))
def test_nesting_limit(shape: str) -> None:
    limits = _limits(max_depth=DEPTH, max_quantifier_depth=DEPTH)
    for text, fast in _near(DEPTH_SHAPES[shape], DEPTH):
        check_all(text, limits, fast=fast)
    for text, fast in _near(DEPTH_SHAPES[shape], DEFAULT_LIMITS.max_depth):
        check_all(text, fast=None if shape == "quantifiers" else fast)


def test_nesting_the_scanner_counts_less_than_the_structure() -> None:
    """BETWEEN's AND ends the scanner's pending NOTs: the fast path may give up needlessly,
    never the other way round."""
    limits = _limits(max_depth=2)
    for text in ["NOT NOT x BETWEEN 1 AND now()", "NOT x BETWEEN now() AND now()",
                 "NOT NOT (x BETWEEN 1 AND now())", "NOT NOT x IN (1, now())"]:
        check_all(text, limits)


def test_quantifier_limit() -> None:
    limits = _limits(max_quantifier_depth=2)
    make = lambda n: "all(r, " * n + "a = 1" + ")" * n  # noqa: E731
    for text, fast in _near(make, 2):
        check_all(text, limits, fast=fast)
    # side by side, not nested: within the limit
    check_all("any(a, b) AND any(c, any(d, e)) OR all(f, g)", limits, fast=True)


def test_predicate_limit() -> None:
    limits = _limits(max_predicates=4)
    shapes = [
        lambda n: " AND ".join(["a"] * n),
        lambda n: " OR ".join(f"x{i} IN (1)" for i in range(n)),
        lambda n: "any(r, " + " AND ".join(["b = 1"] * (n - 1)) + ")",  # the quantifier counts
        lambda n: "NOT (" + " OR ".join(["c IS NULL"] * n) + ")",
    ]
    for make in shapes:
        for text, fast in _near(make, 4):
            check_all(text, limits, fast=fast)


def test_in_list_limit() -> None:
    limits = _limits(max_in_values=3)
    for trailing in ("", ","):
        make = lambda n, t=trailing: "a IN (" + ", ".join(["1"] * n) + t + ")"  # noqa: E731
        for text, fast in _near(make, 3):
            check_all(text, limits, fast=fast)
            check_all(f"b = 1 AND {text} AND c IN (1)", limits, fast=fast)


def test_string_length_limit() -> None:
    limits = _limits(max_string_length=4)
    shapes = [
        lambda n: 'a = "' + "x" * n + '"',
        lambda n: "a = '" + "\\n" * n + "'",  # longer as written than decoded
        lambda n: 'a = "' + "\\u00e9" * n + '"',
        lambda n: 'a["' + "k" * n + '"] = 1',
        lambda n: 'a LIKE "' + "%" * n + '"',
        lambda n: 'a IN ("x", "' + "y" * n + '")',
        lambda n: 'a > "' + "2" * n + '" - 1d',
    ]
    for make in shapes:
        for text, fast in _near(make, 4):
            check_all(text, limits, fast=fast)


def test_literal_limits() -> None:
    for text, fast in [
        ("a = " + "9" * 34, True), ("a = " + "9" * 35, False),
        ("a = 0." + "0" * 40 + "1", True), ("a = 1." + "0" * 40, True),
        ("a = 1" + "0" * 40, True), ("a = -" + "9" * 34, True),
        ("a = 1e307", True), ("a = 1e308", False), ("a = 1e-307", True), ("a = 1e-308", False),
        ("a = 0e999999", True), ("a = 1.5E+3", True),
        ("a > now() - " + "9" * 15 + "d", True), ("a > now() - " + "1" * 16 + "ms", False),
        ("a > now() - " + "0" * 20 + "7s", True),
    ]:
        check_all(text, fast=fast)


def test_length_limit() -> None:
    limits = _limits(max_length=30)
    for text in ["a = 1 AND b = 2 AND c = 3 AND d", "a = 1 AND b = 2 AND c = 3 AND d4"]:
        check_all(text, limits)


def test_whitespace_in_paths_is_left_to_the_full_pipeline() -> None:
    for text in ["a .b = 1", "a. b = 1", 'a ["b"] = 1', 'a[ "b"] = 1', 'a["b" ] = 1',
                 'a["b"] .c', "a.in .b", "a.in. b", "any(a .b, c)", "x = a .b"]:
        check_all(text, fast=False)
    for text in ["a.b = 1", 'a["b"].c = 1', "a.in.b", "x = a.b", "any(a.b, c.d)"]:
        check_all(text, fast=True)


# --------------------------------------------------------------------------- odd inputs


def test_long_trailing_whitespace_takes_the_fast_path() -> None:
    """Trailing whitespace of any length ends the scan cleanly (its cost per character is
    measured in ``benchmarks/bench_parse.py``, not here)."""
    for text in ["a" + " " * 4000 + "\n" * 90, "a = 1" + "\t " * 3000, " " * 5000]:
        check(text, "native", fast=True)


def test_many_distinct_words_keep_their_kinds() -> None:
    """More distinct words than any word cache holds: names stay names, keywords in any
    spelling stay keywords, long names are whole names."""
    text = " OR ".join(f"field_{i} = {i}" for i in range(5000))
    check(text, "native", _limits(max_predicates=5000), fast=True)
    for text in ["a = 1 oR b aNd NoT c", "a = 1 oR b aNd c", "a.aNd = 1", "aNd = 1"]:
        check(text, "native", fast=text != "aNd = 1")
    check("n" * 100 + " = 1", "native", fast=True)


BENCHMARK_FILTERS = [
    "duration_ms > 1000",
    'duration_ms > 1000 AND failure_code IN ("timeout", "oom") AND model.slug = "flux-dev"',
    'duration_ms > 1000 AND failure_code IN ("timeout", "oom") AND model.slug = "flux-dev" AND '
    'created_at > now() - 7d AND (metadata["team-id"] = 42 OR metadata.customer.tier = "gold")'
    ' AND client_ref STARTS_WITH "batch-" AND failure_message ILIKE "%out of memory%" AND NOT '
    "has_logs AND cost BETWEEN 0.01 AND 0.5 AND any(node_runs, state_code = \"failed\" AND "
    "retry_count >= 2)",
]


@pytest.mark.parametrize("text", BENCHMARK_FILTERS)
def test_the_benchmark_filters_take_the_fast_path(text: str) -> None:
    check_all(text, fast=True)
    check_all(" OR ".join(f"({text})" for _ in range(5)), fast=True)
