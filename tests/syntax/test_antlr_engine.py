"""The ANTLR engine on hand-written cases: its tokens, trees, spans and failures are the native
engine's (generated inputs for every engine: ``test_engines_agree.py``)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from qexpr.errors import QError
from qexpr.limits import DEFAULT_LIMITS, Limits
from qexpr.syntax import ast
from qexpr.syntax.engine import Engine, ParseFailure
from qexpr.syntax.parser import get_engine, parse
from qexpr.syntax.scan import scan_tokens
from qexpr.syntax.tokens import Token, TokenKind
from tests.syntax.strategies import scaled

NATIVE: Engine = get_engine("native")
ANTLR: Engine = get_engine("antlr")

PROPERTY = settings(
    max_examples=scaled(300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
#: For the slower properties (generated queries, parsed by both engines and by parse()).
SLOW_PROPERTY = settings(
    max_examples=scaled(150), deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --------------------------------------------------------------------------- helpers


def full(node: Any) -> Any:
    """A node as nested tuples, spans included (AST equality ignores them)."""
    if isinstance(node, ast.Node):
        fields = []
        for f in dataclasses.fields(node):
            if f.name == "instant":
                continue
            fields.append((f.name, full(getattr(node, f.name))))
        return (type(node).__name__, *fields)
    if isinstance(node, tuple):
        return tuple(full(item) for item in node)
    return node


def outcome(engine: Engine, text: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """What the engine makes of ``text``: its tokens, then its tree or its failure."""
    tokens = engine.tokenize(text)
    try:
        scanned = scan_tokens(text, tokens, limits)
    except QError as error:
        return ("limit", tokens, error.to_dict())
    try:
        tree = engine.parse_tokens(text, tokens, scanned.literals)
    except ParseFailure as failure:
        return ("fail", tokens, failure.index, sorted(failure.expected))
    return ("ok", tokens, full(tree))


def public(text: str, engine: str) -> Any:
    """What ``parse()`` returns or raises, spans included."""
    try:
        return ("ok", full(parse(text, engine=engine)))
    except QError as error:
        return ("error", error.to_dict())


def assert_same(text: str) -> Any:
    expected = outcome(NATIVE, text)
    actual = outcome(ANTLR, text)
    assert actual == expected, text
    assert public(text, "antlr") == public(text, "native"), text
    return actual


# --------------------------------------------------------------------------- tokens



@pytest.mark.parametrize(
    "text",
    [
        "", " \t\r\n", "a", "AND", "andy", "starts_with", "STARTS_WITHx", "now()", "NOW ( )",
        "7d", "7dx", "7D", "1.5d", "1.", "1e", "1e+", "1e+5", "1E-5x", "1AND", "250ms", "250msx",
        "0.5", "00.00e00", "1..2", "1.e5", "a.1", "a.1b", ".5", "-5", "- 5", "+5",
        '"abc"', "'abc'", '"a\\"b"', "'a\\'b'", '"it\'s"', "'say \"hi\"'", '"\\u00E9"',
        '"\\u12"', '"\\x"', '"abc', '"abc\\', '"abc\\"', "'", '"', '"\\', '"a\x01b"',
        '"a\nb"', '"\\uD800"', '"\x00"', "'\x00", '"a""b"', "\"a\"'b'",
        "==", "===", "!", "!!", "!=", "!==", "<>", "<=>", "&&", "&&&", "||", "|", "&",
        "\x00", "\ud800", "\udc00\ud800", "\U0001f600", "a\U0001f600b", '"\U0001f600" = x',
        "\u00a0", "\f", "\v", "é", "a.b[\"c\"].d", "metadata . x", "x[ 'k' ]",
    ],
)
def test_tokens_table(text: str) -> None:
    assert ANTLR.tokenize(text) == NATIVE.tokenize(text)


def test_token_offsets_are_code_points() -> None:
    text = '"\U0001f600" = \ud800 x'
    assert ANTLR.tokenize(text) == [
        Token(TokenKind.STRING, '"\U0001f600"', 0, 3),
        Token(TokenKind.EQ, "=", 4, 5),
        Token(TokenKind.ERROR, "\ud800", 6, 7),
        Token(TokenKind.IDENT, "x", 8, 9),
        Token(TokenKind.EOF, "", 9, 9),
    ]


def test_bad_strings() -> None:
    # A closed string with a bad escape is a STRING (the scanner reports the escape); an
    # unclosed one runs to the end of the input, a final lone backslash included.
    assert [t.kind for t in ANTLR.tokenize('"a\\qb" x')] == [
        TokenKind.STRING, TokenKind.IDENT, TokenKind.EOF,
    ]
    assert ANTLR.tokenize('x = "ab\\') == [
        Token(TokenKind.IDENT, "x", 0, 1),
        Token(TokenKind.EQ, "=", 2, 3),
        Token(TokenKind.ERROR, '"ab\\', 4, 8),
        Token(TokenKind.EOF, "", 8, 8),
    ]
    assert ANTLR.tokenize('"ab\\"')[0] == Token(TokenKind.ERROR, '"ab\\"', 0, 5)


# --------------------------------------------------------------------------- trees

VALID = [
    "",
    "   \n\t",
    "has_logs",
    "a.b.c",
    "model.slug = \"flux-dev\" AND NOT has_logs",
    "duration_ms > 1000",
    "x = 1 AND y != 2 AND z < 3 AND w <= 4 AND v > 5 AND u >= 6",
    'failure_code IN ("timeout", "oom") AND created_at >= "2024-01-01"',
    "x IN (1)",
    "x IN (1,)",
    "x IN ( 1 , 2 , 3 , )",
    "x NOT IN (true, false, null, -1, 'a', now(), now() - 1d)",
    "created_at > now() - 7d AND cost BETWEEN 0.01 AND 0.5",
    "x NOT BETWEEN -1 AND - 2.5e3",
    "x BETWEEN 1 AND 2 AND y = 3",
    'metadata.customer.tier = "gold" OR metadata["team-id"] = 42',
    'a.b["c.d"].e = 1',
    'a["x"]["y"].z["w"]',
    "metadata.in = 1",
    "metadata.IN.Not.and.STARTS_WITH.now.any.ALL.null.True.false.is = 1",
    'client_ref STARTS_WITH "batch-" AND failure_message ILIKE "%out of memory%"',
    'x LIKE "a" AND x NOT LIKE "b" AND x ILIKE \'c\' AND x NOT ILIKE "d"',
    'x CONTAINS "a" OR x NOT CONTAINS "b" OR x ENDS_WITH "c" OR x NOT ENDS_WITH "d"',
    'x NOT STARTS_WITH "e"',
    "x IS NULL",
    "x IS NOT NULL",
    "x is not null and y Is Null",
    'any(node_runs, state_code = "failed" AND retry_count >= 2)',
    'all(logs, level_code != "error")',
    "ANY(a, b) OR All(c.d, NOT e)",
    "any(a, any(b, all(c, x = 1)))",
    "nodes_completed < nodes_total",
    "current_evaluation_summary.score < 0.5",
    'client_ref LIKE "50\\\\%%"',
    "NOT a = 1 AND b = 2 OR c = 3",
    "NOT NOT NOT a",
    "not (a or b)",
    "(a)",
    "((a))",
    "(a AND b) AND c",
    "a AND (b AND c)",
    "(a OR b) OR (c OR d)",
    "(a AND b) OR (c AND d)",
    "a OR b AND c OR d",
    "NOT (a AND b) AND NOT (c OR d)",
    "created_at > now()",
    "created_at > NOW( )",
    "created_at > now() + 1h - 30m + 250ms - 2w + 3s",
    'created_at < "2024-01-01T00:00:00Z" - 1d',
    "created_at < '2024-01-01' + 1d + 1d",
    "x = -5",
    "x = - 5",
    "x = -0",
    "x = -1.0000000000000000000000000000000001",  # 34 digits: negated exactly
    "x = 1.50",
    "x = 1e5",
    "x = 2E-3",
    "x = 1.5e+10",
    "x = true",
    "x = FALSE",
    "x = null",
    "x != NULL",
    'x = "\\u00e9\\n\\t\\"\\\\\\/"',
    "x = '\\uD83D\\uDE00'",
    "x = \"\U0001f600\" AND \U0001f600y = 1".replace("\U0001f600y", "y"),
    "a = b.c",
    "a.b = c[\"d\"]",
    "state_code = failed",
    "x\n=\n1\nAND\ny",
    "_ = 1",
    "a = 1 OR b = 2 OR c = 3 OR d = 4",
]


@pytest.mark.parametrize("text", VALID)
def test_valid_inputs_match_native(text: str) -> None:
    result = assert_same(text)
    assert result[0] == "ok", result


def test_spans_by_hand() -> None:
    tree = parse('NOT (a.b["c"] = - 5 AND x) OR y > now() - 7d', engine="antlr")
    assert isinstance(tree, ast.Or)
    assert (tree.start, tree.end) == (0, 44)
    first, second = tree.operands
    assert isinstance(first, ast.Not)
    assert (first.start, first.end) == (0, 25)  # NOT to the operand's end
    inner = first.operand
    assert isinstance(inner, ast.And)
    assert (inner.start, inner.end) == (5, 25)  # the parentheses are not part of the And
    comparison, bare = inner.operands
    assert isinstance(comparison, ast.Comparison)
    assert comparison.path.segments == ("a", "b", "c")
    assert comparison.path.segment_spans == ((5, 6), (7, 8), (9, 12))
    assert (comparison.path.start, comparison.path.end) == (5, 13)
    assert comparison.operand == ast.Number(Decimal(-5))
    assert (comparison.operand.start, comparison.operand.end) == (16, 19)
    assert isinstance(bare, ast.Comparison)
    assert bare.operand == ast.Boolean(True)
    assert (bare.operand.start, bare.operand.end) == (24, 25)
    assert isinstance(second, ast.Comparison)
    time = second.operand
    assert isinstance(time, ast.TimeExpr)
    assert (time.start, time.end) == (34, 44)
    assert (time.base.start, time.base.end) == (34, 39)
    (shift,) = time.shifts
    assert (shift.sign, shift.start, shift.end) == (-1, 40, 44)
    assert (shift.duration.amount, shift.duration.unit) == (7, ast.DurationUnit.D)
    assert (shift.duration.start, shift.duration.end) == (42, 44)


def test_empty_query_spans_whole_text() -> None:
    tree = parse("  \n ", engine="antlr")
    assert isinstance(tree, ast.MatchAll)
    assert (tree.start, tree.end) == (0, 4)


def test_keyword_segments_keep_their_case() -> None:
    tree = parse("metadata.IN.Now = 1", engine="antlr")
    assert isinstance(tree, ast.Comparison)
    assert tree.path.segments == ("metadata", "IN", "Now")


# --------------------------------------------------------------------------- errors

INVALID = [
    "a b",
    "a = = 1",
    "a = b = c",
    "a == 1",
    "a <> 1",
    "a && b",
    "a || b",
    "!a",
    "a = 1 AND",
    "a = 1 AND AND b",
    "AND",
    "OR a",
    "NOT",
    "NOT NOT",
    "a NOT",
    "a NOT = 1",
    "a NOT IS NULL",
    "a IS",
    "a IS NOT",
    "a IS NOT 1",
    "a IS TRUE",
    "a.",
    "a..b",
    "a.1",
    "a.\"b\"",
    "a[",
    "a[1]",
    "a[\"x\"",
    "a[\"x\".y]",
    "a = ",
    "a = 7d",
    "a = now",
    "a = now(",
    "a = now() -",
    "a = now() - 1",
    "a = now() - 1d -",
    'a = "x" +',
    'a = "x" - x',
    "a = -",
    "a = - x",
    "a = -true",
    "a IN",
    "a IN 1",
    "a IN ()",
    "a IN (,)",
    "a IN (1,,)",
    "a IN (1,,2)",
    "a IN (1 2)",
    "a IN (1",
    "a IN (1,",
    "a IN (x)",
    "a BETWEEN 1",
    "a BETWEEN 1 OR 2",
    "a BETWEEN 1 AND",
    "a BETWEEN 1 AND 2 AND",
    "a BETWEEN x AND 2",
    "a LIKE",
    "a LIKE 1",
    "a LIKE x",
    "a NOT LIKE",
    "a STARTS_WITH \"x\" \"y\"",
    "(",
    "()",
    "(a",
    "(a))",
    ")",
    "a)",
    "any",
    "any(",
    "any()",
    "any(a",
    "any(a,",
    "any(a, )",
    "any(a, b",
    "any(a b)",
    "any(1, b)",
    "any(a.b[\"c\"], x) = 1",
    "all(a, b) c",
    "now() = a",
    "true",
    "1 = a",
    '"a" = b',
    "a = 1 b = 2",
    "in = 1",
    "x = 1.5d",
    "x = 1.",
    "x = 1e",
    "x = 1AND y",
    "x = \"abc",
    "x = \"a\\qb\"",
    "x = \"\\uD800\"",
    "x = \"\\u0000\"",
    "x = \"a\x01\"",
    "x = 'é' AND \x00",
    "x = \ud800",
    "x = 1 ;",
    "metadata . x = 1",
    "x [\"k\"] = 1",
    "x = 1 AND y IN (1, 2) AND z BETWEEN 1 AND 2 AND w LIKE 'a' AND v IS NULL AND u u",
    "(((a = 1) AND (b = 2)) OR (c = 3",
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid_inputs_fail_like_native(text: str) -> None:
    assert_same(text)  # lexical errors are reported by parse() even when the tokens parse
    with pytest.raises(QError):
        parse(text, engine="antlr")


# --------------------------------------------------------------------------- limits, imports


@pytest.mark.parametrize(
    "text",
    [
        "(" * 32 + "a" + ")" * 32,
        "NOT " * 32 + "a",
        "(NOT " * 16 + "a" + ")" * 16,
        "any(a, all(b, any(c, " + "(" * 26 + "x = 1" + ")" * 26 + ")))",
        " AND ".join(f"x{i} IN (1, 2)" for i in range(128)),
        "x IN (" + ", ".join(str(i) for i in range(256)) + ")",
        "(" * 33 + "a" + ")" * 33,  # over the depth limit
        "x IN (" + ", ".join(str(i) for i in range(257)) + ")",  # over the IN list limit
    ],
)
def test_limits_like_native(text: str) -> None:
    assert_same(text)


def test_deep_nesting_with_raised_limits_never_leaks_recursion_error() -> None:
    from qexpr.limits import MAX_SUPPORTED_DEPTH

    limits = Limits(max_depth=MAX_SUPPORTED_DEPTH, max_length=1_000_000)
    for depth in (MAX_SUPPORTED_DEPTH, MAX_SUPPORTED_DEPTH + 1, 400, 3000):
        text = "(" * depth + "a" + ")" * depth
        try:
            tree = parse(text, engine="antlr", limits=limits)
        except QError:
            continue
        assert tree == parse("a")


def test_long_input_parses_and_fails_near_its_end() -> None:
    """A filter at the length limit parses, and one failing near its end is simulated on the
    ATN over its whole prefix to the failing token (its time is bench_parse's to measure)."""
    groups = [f'(a{i} = "v" AND b{i} IN (1, 2, 3))' for i in range(120)]
    text = " OR ".join(groups)[:4070]
    text = text[: text.rfind(" OR ")]
    assert len(text) > 4000
    limits = Limits(max_predicates=1000)
    assert public(text, "antlr") == public(text, "native")
    assert isinstance(parse(text, engine="antlr", limits=limits), ast.Or)
    bad = text + " OR x = = 1"
    with pytest.raises(QError) as caught:
        parse(bad, engine="antlr", limits=limits)
    assert (caught.value.code, caught.value.start) == ("syntax_error", len(bad) - 3)


def test_antlr_runtime_is_imported_lazily() -> None:
    code = (
        "import sys, qexpr, qexpr.syntax.parser, qexpr.syntax.engines.antlr_engine\n"
        "assert 'antlr4' not in sys.modules, 'imported at import time'\n"
        "from qexpr.syntax.parser import parse\n"
        "parse('a = 1', engine='antlr')\n"
        "assert 'antlr4' in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr


def test_no_antlr_names_in_errors() -> None:
    for text in INVALID:
        try:
            parse(text, engine="antlr")
        except QError as error:
            rendered = str(error) + repr(error.to_dict())
            for leak in ("BAD_", "FOREIGN_", "ERROR_CHAR", "Exception", "QParser", "<EOF>"):
                assert leak not in rendered, (text, rendered)
