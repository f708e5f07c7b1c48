"""The lark engine against the native one: same tokens, same ASTs (spans included), same errors.

The native engine is the reference: for every text, the lark engine must produce exactly its
token list, an AST equal to its AST with equal spans everywhere, or a parse failure at the same
token index with the same expected kinds (so ``parse()`` raises the same error).
"""

from __future__ import annotations

import ast as python_ast
import dataclasses
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from qexpr.errors import QError
from qexpr.limits import DEFAULT_LIMITS, MAX_SUPPORTED_DEPTH, Limits
from qexpr.operators import Operator
from qexpr.syntax import ast
from qexpr.syntax.engine import ParseFailure
from qexpr.syntax.engines.lark_engine import LarkEngine, grammar_text
from qexpr.syntax.engines.native import NativeEngine
from qexpr.syntax.parser import parse
from qexpr.syntax.scan import scan_tokens
from qexpr.syntax.tokens import TokenKind as K

REPO = Path(__file__).resolve().parents[2]
LARK = LarkEngine()
NATIVE = NativeEngine()


# --------------------------------------------------------------------------- helpers


def dump(node: object) -> object:
    """Every field of an AST, spans and segment spans included (plain equality skips them)."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return (type(node).__name__, *((f.name, dump(getattr(node, f.name)))
                                       for f in dataclasses.fields(node)))
    if isinstance(node, tuple):
        return tuple(dump(item) for item in node)
    return node


#: Limits as high as they go, so that the engines' parsers see as much input as possible.
HIGH_LIMITS = Limits(max_length=10**6, max_depth=MAX_SUPPORTED_DEPTH, max_predicates=10**6,
                     max_in_values=10**6, max_quantifier_depth=MAX_SUPPORTED_DEPTH)


def engine_outcome(engine: LarkEngine | NativeEngine, text: str) -> object:
    """The engine's AST (dumped) or where and why its parser stopped, on the shared scan."""
    tokens = engine.tokenize(text)
    try:
        literals = scan_tokens(text, tokens, HIGH_LIMITS).literals
    except QError as error:  # a limit, found on the (identical) tokens before parsing
        return ("limit", error.to_dict())
    try:
        return dump(engine.parse_tokens(text, tokens, literals))
    except ParseFailure as failure:
        return ("failure", failure.index, sorted(kind.name for kind in failure.expected))


def is_failure(outcome: object) -> bool:
    return isinstance(outcome, tuple) and outcome[0] == "failure"


def parse_outcome(text: str, engine: str) -> object:
    """What ``parse()`` gives: the AST (dumped), or the error's every public detail."""
    try:
        return dump(parse(text, engine=engine))
    except QError as error:
        return error.to_dict()


def assert_same_tokens(text: str) -> None:
    assert LARK.tokenize(text) == NATIVE.tokenize(text), repr(text)


def assert_same_parse(text: str) -> None:
    assert LARK.tokenize(text) == NATIVE.tokenize(text), repr(text)
    assert engine_outcome(LARK, text) == engine_outcome(NATIVE, text), repr(text)
    assert parse_outcome(text, "lark") == parse_outcome(text, "native"), repr(text)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind.name, t.text) for t in LARK.tokenize(text)[:-1]]


# --------------------------------------------------------------------------- packaging


def test_grammar_is_a_relative_symlink_in_the_package() -> None:
    link = REPO / "src" / "qexpr" / "syntax" / "grammar" / "q.lark"
    assert link.is_symlink()
    assert str(link.readlink()) == "../../../../grammar/q.lark"
    assert grammar_text() == (REPO / "grammar" / "q.lark").read_text(encoding="utf-8")


def test_lark_is_imported_lazily() -> None:
    code = (
        "import sys, qexpr, qexpr.syntax, qexpr.syntax.parser\n"
        "import qexpr.syntax.engines.lark_engine as m\n"
        "assert 'lark' not in sys.modules, 'lark imported too early'\n"
        "m.LarkEngine()\n"
        "assert 'lark' not in sys.modules, 'lark imported by the constructor'\n"
        "m.LarkEngine().tokenize('a')\n"
        "assert 'lark' in sys.modules\n"
    )
    env_path = str(REPO / "src")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True,
        env={"PYTHONPATH": env_path, "PATH": ""}, check=False,
    )
    assert result.returncode == 0, result.stderr


#: The lark modules whose documented API the engine may use.
PUBLIC_LARK_MODULES = {"lark", "lark.exceptions", "lark.lexer"}
ENGINE_SOURCE = REPO / "src" / "qexpr" / "syntax" / "engines" / "lark_engine.py"


def private_uses(source: str) -> list[str]:
    """What ``source`` reaches that is private to lark (or to any object): underscore
    attributes, underscore names imported or looked up by string, modules outside lark's
    public ones."""
    found: list[str] = []
    for node in python_ast.walk(python_ast.parse(source)):
        if isinstance(node, python_ast.Attribute) and node.attr.startswith("_"):
            if not (node.attr.startswith("__") and node.attr.endswith("__")):
                found.append(f"attribute {node.attr} (line {node.lineno})")
        elif isinstance(node, python_ast.ImportFrom) and (node.module or "").startswith("lark"):
            if node.module not in PUBLIC_LARK_MODULES:
                found.append(f"module {node.module} (line {node.lineno})")
            found += [f"name {alias.name} (line {node.lineno})" for alias in node.names
                      if alias.name.startswith("_")]
        elif isinstance(node, python_ast.Import):
            found += [f"module {alias.name} (line {node.lineno})" for alias in node.names
                      if alias.name.startswith("lark") and alias.name not in PUBLIC_LARK_MODULES]
        elif (isinstance(node, python_ast.Call) and isinstance(node.func, python_ast.Name)
              and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
              and len(node.args) > 1 and isinstance(node.args[1], python_ast.Constant)
              and str(node.args[1].value).startswith("_")):
            found.append(f"{node.func.id} {node.args[1].value} (line {node.lineno})")
    return found


def test_engine_uses_only_lark_public_api() -> None:
    """No underscore attribute of any object, only lark's documented modules."""
    assert private_uses(ENGINE_SOURCE.read_text(encoding="utf-8")) == []


def test_private_uses_are_found() -> None:
    """The scan above catches what the engine used to do."""
    source = (
        "from lark.parsers.lalr_parser_state import ParseConf\n"
        "import lark.parse_tree_builder\n"
        "from lark.lexer import _Lex\n"
        "patterns = lexer.lexer.scanner._mres\n"
        "x = getattr(scanner, '_mres')\n"
        "y = parser.parser.parser.parser.callbacks.__len__()\n"
    )
    assert [use.split(" (")[0] for use in private_uses(source)] == [
        "module lark.parsers.lalr_parser_state", "module lark.parse_tree_builder",
        "name _Lex", "attribute _mres", "getattr _mres"]


def test_engine_is_reached_through_parse() -> None:
    assert LARK.name == "lark"
    tree = parse("a = 1", engine="lark")
    assert tree == ast.Comparison(ast.Path(("a",)), Operator.EQ, ast.Number(Decimal(1)))


# --------------------------------------------------------------------------- tokens

TOKEN_CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("AnD andx starts_withx STARTS_WITH _x x1", [
        ("AND", "AnD"), ("IDENT", "andx"), ("IDENT", "starts_withx"),
        ("STARTS_WITH", "STARTS_WITH"), ("IDENT", "_x"), ("IDENT", "x1")]),
    ("or Or OR not in between like ilike contains ends_with is null true false any all now", [
        ("OR", "or"), ("OR", "Or"), ("OR", "OR"), ("NOT", "not"), ("IN", "in"),
        ("BETWEEN", "between"), ("LIKE", "like"), ("ILIKE", "ilike"),
        ("CONTAINS", "contains"), ("ENDS_WITH", "ends_with"), ("IS", "is"), ("NULL", "null"),
        ("TRUE", "true"), ("FALSE", "false"), ("ANY", "any"), ("ALL", "all"), ("NOW", "now")]),
    ("eq ne gt lte", [("IDENT", "eq"), ("IDENT", "ne"), ("IDENT", "gt"), ("IDENT", "lte")]),
    ("1 1.5 1e3 1E+3 2.5e-3 007", [
        ("NUMBER", "1"), ("NUMBER", "1.5"), ("NUMBER", "1e3"), ("NUMBER", "1E+3"),
        ("NUMBER", "2.5e-3"), ("NUMBER", "007")]),
    ("7d 90m 250ms 1s 2h 3w", [
        ("DURATION", "7d"), ("DURATION", "90m"), ("DURATION", "250ms"), ("DURATION", "1s"),
        ("DURATION", "2h"), ("DURATION", "3w")]),
    ("7dx 1.5d 1. 1e 1AND 7D 1e+ 1.2.3 1_0 5msx 1e5e5", [
        ("ERROR", "7dx"), ("ERROR", "1.5d"), ("ERROR", "1."), ("ERROR", "1e"),
        ("ERROR", "1AND"), ("ERROR", "7D"), ("ERROR", "1e+"), ("ERROR", "1.2.3"),
        ("ERROR", "1_0"), ("ERROR", "5msx"), ("ERROR", "1e5e5")]),
    ("1e5-3 7d-3d 1+2 .5 a.5", [
        ("NUMBER", "1e5"), ("MINUS", "-"), ("NUMBER", "3"), ("DURATION", "7d"),
        ("MINUS", "-"), ("DURATION", "3d"), ("NUMBER", "1"), ("PLUS", "+"), ("NUMBER", "2"),
        ("DOT", "."), ("NUMBER", "5"), ("IDENT", "a"), ("DOT", "."), ("NUMBER", "5")]),
    ("()[],.-+= != < <= > >=", [
        ("LPAREN", "("), ("RPAREN", ")"), ("LBRACKET", "["), ("RBRACKET", "]"),
        ("COMMA", ","), ("DOT", "."), ("MINUS", "-"), ("PLUS", "+"), ("EQ", "="),
        ("NE", "!="), ("LT", "<"), ("LE", "<="), ("GT", ">"), ("GE", ">=")]),
    ("== <> && || ! & | === <=> !== &&& |||", [
        ("ERROR", "=="), ("ERROR", "<>"), ("ERROR", "&&"), ("ERROR", "||"), ("ERROR", "!"),
        ("ERROR", "&"), ("ERROR", "|"), ("ERROR", "=="), ("EQ", "="), ("LE", "<="),
        ("GT", ">"), ("NE", "!="), ("EQ", "="), ("ERROR", "&&"), ("ERROR", "&"),
        ("ERROR", "||"), ("ERROR", "|")]),
    ('"a" \'b\' "x\\"y" \'it\\\'s\' "\\q" "line\nbreak" "\\\n"', [
        ("STRING", '"a"'), ("STRING", "'b'"), ("STRING", '"x\\"y"'),
        ("STRING", "'it\\'s'"), ("STRING", '"\\q"'), ("STRING", '"line\nbreak"'),
        ("STRING", '"\\\n"')]),
    ('a = "unterminated AND b', [("IDENT", "a"), ("EQ", "="), ("ERROR", '"unterminated AND b')]),
    ("x = 'ends in backslash\\", [("IDENT", "x"), ("EQ", "="), ("ERROR", "'ends in backslash\\")]),
    ('"escaped quote\\"', [("ERROR", '"escaped quote\\"')]),
    ("@ # é \x00 \ud800 \x0b \xa0 \u212a", [
        ("ERROR", "@"), ("ERROR", "#"), ("ERROR", "é"), ("ERROR", "\x00"),
        ("ERROR", "\ud800"), ("ERROR", "\x0b"), ("ERROR", "\xa0"), ("ERROR", "\u212a")]),
    ("a\t\r\nb", [("IDENT", "a"), ("IDENT", "b")]),
]


@pytest.mark.parametrize(("text", "expected"), TOKEN_CASES)
def test_tokens(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected
    assert_same_tokens(text)


def test_token_offsets_and_eof() -> None:
    text = ' é"x"\n  ab '
    tokens = LARK.tokenize(text)
    assert [(t.kind, t.start, t.end) for t in tokens] == [
        (K.ERROR, 1, 2), (K.STRING, 2, 5), (K.IDENT, 8, 10), (K.EOF, 11, 11)]
    assert LARK.tokenize("") == NATIVE.tokenize("")
    assert [t.kind for t in LARK.tokenize("")] == [K.EOF]


def test_the_catch_all_terminal_lexes_every_code_point() -> None:
    """``BAD_CHAR`` matches any single code point, so lark's lexer never meets a character it
    has no terminal for (nothing to recover from)."""
    assert "BAD_CHAR.-2: /./s" in grammar_text()
    for text in ["a @ b", "@", "é=1 ", "x\x00", "\ud800\ud800 y", "a = 1 ¤", "\U0001f600"]:
        assert LARK.tokenize(text) == NATIVE.tokenize(text)
        assert K.ERROR in {token.kind for token in LARK.tokenize(text)}


# --------------------------------------------------------------------------- ASTs

AST_CASES = [
    "",
    "  \n\t ",
    "duration_ms > 1000",
    'failure_code IN ("timeout", "oom") AND created_at >= "2024-01-01"',
    'model.slug = "flux-dev" AND NOT has_logs',
    "created_at > now() - 7d AND cost BETWEEN 0.01 AND 0.5",
    'metadata.customer.tier = "gold" OR metadata["team-id"] = 42',
    'client_ref STARTS_WITH "batch-" AND failure_message ILIKE "%out of memory%"',
    'any(node_runs, state_code = "failed" AND retry_count >= 2)',
    'all(logs, level_code != "error")',
    "nodes_completed < nodes_total",
    "current_evaluation_summary.score < 0.5",
    'client_ref LIKE "50\\\\%%"',
    # every comparison operator, operand kinds
    "a = 1", "a != 1", "a < 1", "a <= 1", "a > 1", "a >= 1",
    "a = -5", "a = - 5", "a = -\n0.5e-3", "a = 1E+3", "a = 007",
    'a = "x"', "a = 'y'", 'a = "\\u00e9\\n"', "a = true", "a = FALSE", "a = Null",
    "a = now()", "a = NOW ( )", "a > now() - 7d + 1h - 30m", 'a >= "2024-01-01" + 250ms',
    "a < 'x' - 2w", "a = b", "a = b.c[\"d\"]", "a.b = c.d",
    # bare paths and paths
    "has_logs", "a.b.c", 'metadata["team-id"]', "a.b[\"c.d\"].e", "metadata.in", "metadata.IN",
    "metadata.AND.or.Not.now.any.ALL.null.TRUE.false.is.between.like.ilike", "_x.y_1",
    "a['k'][\"l\"]", "NOT a.b",
    # IN / BETWEEN / patterns / IS NULL, with and without NOT
    "a IN (1)", "a IN (1,)", "a IN (1, -2, \"x\", true, null, now() - 1d,)",
    "a NOT IN ('x')", "a not in (1, 2)",
    "a BETWEEN 1 AND 2", "a NOT BETWEEN -1 AND now()", "a BETWEEN \"x\" + 1d AND \"y\" - 2d",
    'a LIKE "x%"', 'a NOT LIKE "x"', 'a ILIKE "x"', 'a NOT ILIKE "x"', 'a CONTAINS "x"',
    'a NOT CONTAINS "x"', 'a STARTS_WITH "x"', 'a NOT STARTS_WITH "x"', 'a ENDS_WITH "x"',
    'a not ends_with "x"',
    "a IS NULL", "a IS NOT NULL", "a is not null", "metadata.x IS NULL",
    # logic, precedence, flattening, parentheses
    "a AND b", "a OR b", "a AND b AND c", "a OR b OR c", "a AND b OR c", "a OR b AND c",
    "(a AND b) AND c", "a AND (b AND c)", "(a OR b) OR (c OR d)", "(a OR b) AND c",
    "((a))", "(((a = 1)))", "NOT a = 1 AND b = 2 OR c = 3", "NOT NOT a", "NOT (a OR b)",
    "x BETWEEN 1 AND 2 AND y = 3", "(a AND b) OR (c AND (d AND e))", "NOT (a) AND (NOT b)",
    "a AND NOT b OR NOT c AND d",
    # quantifiers
    "any(a, b)", "ALL(a.b, c = 1 OR d)", "any(a, all(b, any(c, d = 1)))",
    "any(a, (b))", "NOT any(a, b) AND all(c, NOT d)", "Any ( rel , x IS NULL )",
    "any(a[\"x\"], b)",
    # whitespace everywhere it is allowed
    "\n a\t=\r\n1\n", "a IN(1,2)", "a=1 AND(b=2)OR(c)",
]


@pytest.mark.parametrize("text", AST_CASES)
def test_ast_matches_native(text: str) -> None:
    assert not is_failure(engine_outcome(LARK, text))
    assert_same_parse(text)


def test_ast_shapes() -> None:
    """A few shapes spelled out (the native comparison checks all the rest)."""
    tree = parse("(a AND b) AND c", engine="lark")
    assert isinstance(tree, ast.And) and len(tree.operands) == 3
    assert (tree.start, tree.end) == (1, 15)

    tree = parse("a = -  5", engine="lark")
    assert isinstance(tree, ast.Comparison)
    assert tree.operand == ast.Number(Decimal(-5))
    assert (tree.operand.start, tree.operand.end) == (4, 8)

    tree = parse('metadata.IN["k"]', engine="lark")
    assert isinstance(tree, ast.Comparison)
    assert tree.path.segments == ("metadata", "IN", "k")
    assert tree.path.segment_spans == ((0, 8), (9, 11), (12, 15))
    assert (tree.path.start, tree.path.end) == (0, 16)
    assert tree.operand == ast.Boolean(True)
    assert (tree.operand.start, tree.operand.end) == (0, 16)

    tree = parse("t > now() - 7d", engine="lark")
    assert isinstance(tree, ast.Comparison) and isinstance(tree.operand, ast.TimeExpr)
    shift = tree.operand.shifts[0]
    assert (shift.sign, shift.duration) == (-1, ast.Duration(7, ast.DurationUnit.D))
    assert (shift.start, shift.end, tree.operand.start, tree.operand.end) == (10, 14, 4, 14)

    tree = parse("x = now()", engine="lark")
    assert isinstance(tree, ast.Comparison)
    assert tree.operand == ast.TimeExpr(ast.Now(), ())

    assert parse("   ", engine="lark") == ast.MatchAll()
    empty = parse("   ", engine="lark")
    assert (empty.start, empty.end) == (0, 3)


LONG = "1.000000000000000000000000000000001"  # 34 significant digits, the most q allows


def test_negative_numbers_keep_every_digit() -> None:
    tree = parse(f"a = -{LONG} OR b BETWEEN - {LONG}e-300 AND 1", engine="lark")
    assert isinstance(tree, ast.Or)
    first, second = tree.operands
    assert isinstance(first, ast.Comparison) and isinstance(second, ast.Between)
    assert first.operand == ast.Number(Decimal("-" + LONG))
    assert second.low == ast.Number(Decimal(f"-{LONG}e-300"))


def test_negative_long_numbers_match_native() -> None:
    assert_same_parse(f"a = -{LONG} OR b IN (- {LONG}e-300, -{LONG}E+300)")


# --------------------------------------------------------------------------- syntax errors

BAD_CASES: list[tuple[str, int]] = [
    # (text, index of the token where the parse stops)
    ("a b", 1), ("(a b", 2), ("a =", 2), ("a = = b", 2), ("a = b = c", 3), ("(", 1),
    (")", 0), ("a AND", 2), ("NOT", 1), ("a AND OR b", 2), ("a IN ()", 3), ("a IN (1", 4),
    ("a IN (1,", 5), ("a IN (1 2)", 4), ("a IN (1,,)", 5), ("a IN 1", 2),
    ("a BETWEEN 1", 3), ("a BETWEEN 1 AND", 4), ("a BETWEEN 1 OR 2", 3),
    ("a LIKE 1", 2), ("a LIKE x", 2), ("a IS", 2), ("a IS NOT", 3), ("a IS 1", 2),
    ("a NOT", 2), ("a NOT = 1", 2), ("a NOT IS NULL", 2),
    ("any(", 2), ("any(a", 3), ("any(a,", 4), ("any(a, b", 5), ("any(a, b c", 5),
    ("any a", 1), ("any(1, b)", 2), ("any", 1), ("now() = 1", 0), ("now", 0),
    ("a.", 2), ("a.1", 2), ("a[", 2), ('a["x"', 3), ("a[1]", 2), ("a[x]", 2), ('a."x"', 2),
    ("a = now(", 4), ("a = now() -", 6), ("a = now() - 1", 6), ('a = "x" + ', 4),
    ("a = now() - 7d 1d", 7), ("a = 7d", 2), ("a = - x", 3), ("a = -", 3), ("a = --1", 3),
    ("a = +1", 2), ("1 = a", 0), ('"x" = a', 0), ("true", 0), ("and", 0), ("in = 1", 0),
    ("a == 1", 1), ("a <> 1", 1), ("a = 1 && b", 3), ("a = 1 || b", 3), ("!a", 0),
    ("a = 1 )", 3), ("(a))", 3), ("a = 1 b = 2", 3), ("NOT NOT", 2), ("a = true false", 3),
    ("a = now() + 1d b", 7), ("any(a.b, x) y", 8), ("a = 1.5e3 AND (b OR NOT c) d", 10),
    ('a = "x', 2), ("x = 7dx", 2), ("a = 1 @", 3), ("a @ 1", 1), ("a = b.c.", 6),
    ("a IN (1) IN (2)", 5), ("a IS NULL NULL", 3), ("a = 1 NOT b", 3), ("(", 1), ("()", 1),
    ("a = ()", 2), ("a BETWEEN (1) AND 2", 2), ("a IN ((1))", 3),
]


@pytest.mark.parametrize(("text", "index"), BAD_CASES)
def test_syntax_errors_match_native(text: str, index: int) -> None:
    lark_outcome = engine_outcome(LARK, text)
    assert lark_outcome == engine_outcome(NATIVE, text)
    assert isinstance(lark_outcome, tuple) and lark_outcome[:2] == ("failure", index)
    assert parse_outcome(text, "lark") == parse_outcome(text, "native")


@pytest.mark.parametrize("text", [text for text, _ in BAD_CASES])
def test_errors_name_no_lark_internals(text: str) -> None:
    with pytest.raises(QError) as caught:
        parse(text, engine="lark")
    rendered = str(caught.value) + repr(caught.value.to_dict())
    for internal in ("__ANON", "$END", "Unexpected", "lark", "Token(", "RPAREN", "BAD_",
                     "FOREIGN_OP", "IDENT"):
        assert internal not in rendered


def test_failure_index_and_expected_on_the_token_list() -> None:
    tokens = LARK.tokenize("a IN (1 2)")
    literals = scan_tokens("a IN (1 2)", tokens, DEFAULT_LIMITS).literals
    with pytest.raises(ParseFailure) as caught:
        LARK.parse_tokens("a IN (1 2)", tokens, literals)
    assert caught.value.index == 4
    assert caught.value.expected == frozenset({K.COMMA, K.RPAREN})
    with pytest.raises(ParseFailure) as caught:
        LARK.parse_tokens("a.", LARK.tokenize("a."), {})
    assert caught.value.index == 2
    assert caught.value.expected == frozenset({K.IDENT})  # any name, keywords included


def test_undecoded_literals_do_not_break_the_parse() -> None:
    """A literal the scanner rejected has no value; the parse still runs to report its index."""
    for text in ['a = "\\q"', 'a IN ("\\x", 1e999999)', 'a["\\z"] = 1', "a = 1e99999999",
                 'a LIKE "\x01"', "a > now() - 1d"]:
        assert parse_outcome(text, "lark") == parse_outcome(text, "native")
        tokens = LARK.tokenize(text)
        LARK.parse_tokens(text, tokens, {})  # no literals at all: still an AST, no KeyError


def test_expected_at_end_of_input_is_before_lark_reduces() -> None:
    """At end of input lark reduces before it fails; what was expected is what could follow
    the last token (here an operator as well as `)`), as with native."""
    for text in ["( a", "(a.b", "any(x, (y)", "(a = 1"]:
        assert engine_outcome(LARK, text) == engine_outcome(NATIVE, text)
    outcome = engine_outcome(LARK, "( a")
    assert isinstance(outcome, tuple) and outcome[:2] == ("failure", 2)
    assert {"RPAREN", "EQ", "AND", "OR", "DOT"} <= set(outcome[2])


# --------------------------------------------------------------------------- robustness


def test_deep_nesting_raises_no_recursion_error() -> None:
    """lark's LALR parser and the callbacks are iterative: any depth parses, stack or not."""
    depth = 5000
    cases: list[tuple[str, str]] = [
        ("(" * depth + "a = 1" + ")" * depth, "parens"),
        ("NOT " * depth + "a", "nots"),
        (" AND ".join(f"x{i} = {i}" for i in range(depth)), "chain"),
    ]
    for text, shape in cases:
        tree: Any = LARK.parse_tokens(text, LARK.tokenize(text), {})  # no scan: no depth limit
        if shape == "parens":
            assert tree == ast.Comparison(ast.Path(("a",)), Operator.EQ,
                                          ast.Number(Decimal(0)))  # literals were not given
        elif shape == "nots":
            for _ in range(depth):
                assert isinstance(tree, ast.Not)
                tree = tree.operand
            assert tree == parse("a")
        else:
            assert isinstance(tree, ast.And) and len(tree.operands) == depth
    with pytest.raises(ParseFailure) as caught:
        text = "(" * depth + "a = 1" + ")" * (depth - 1)
        LARK.parse_tokens(text, LARK.tokenize(text), {})
    assert caught.value.index == 2 * depth + 2
    deepest = "(" * MAX_SUPPORTED_DEPTH + "a" + ")" * MAX_SUPPORTED_DEPTH
    assert parse(deepest, engine="lark", limits=HIGH_LIMITS) == parse("a")
    assert parse_outcome("(" * 200 + "a" + ")" * 200, "lark") == parse_outcome(
        "(" * 200 + "a" + ")" * 200, "native")


def test_limits_apply_as_with_native() -> None:
    for text in ["(" * 40 + "a" + ")" * 40, "a" * 5000, " AND ".join(["a"] * 130),
                 "a IN (" + ", ".join(["1"] * 300) + ")", "any(a, any(b, any(c, any(d, e))))"]:
        assert parse_outcome(text, "lark") == parse_outcome(text, "native")
        assert parse_outcome(text, "lark")["code"] == "limit_exceeded"  # type: ignore[index]


def test_threads_share_the_engine() -> None:
    texts = [text for text in AST_CASES if text.strip()]
    expected = [dump(parse(text, engine="native")) for text in texts]
    failures: list[str] = []

    def work() -> None:
        for _ in range(5):
            for text, want in zip(texts, expected, strict=True):
                if dump(parse(text, engine="lark")) != want:
                    failures.append(text)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
