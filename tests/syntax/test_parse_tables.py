"""Table tests of the syntax stage (spec sections 2, 3 and 8), for every engine: precedence,
keyword case, keywords as path segments, numbers, durations, string escapes, whitespace in
paths, the canonical form, and AST spans."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from qexpr import QError, parse, to_q
from qexpr.operators import Operator
from qexpr.operators import Operator as Op
from qexpr.syntax import ast
from tests.syntax.strategies import engine_params

per_engine = pytest.mark.parametrize("engine", engine_params())

TRUE = ast.Boolean(True)


def P(*segments: str) -> ast.Path:
    return ast.Path(segments)


def N(text: str) -> ast.Number:
    return ast.Number(Decimal(text))


def S(text: str) -> ast.String:
    return ast.String(text)


def cmp(path: str | ast.Path, operand: ast.Value | ast.Path, op: Op = Op.EQ) -> ast.Comparison:
    return ast.Comparison(P(path) if isinstance(path, str) else path, op, operand)


def bare(name: str) -> ast.Comparison:
    return cmp(name, TRUE)


def eq(name: str, number: str) -> ast.Comparison:
    return cmp(name, N(number))


def error_of(text: str, engine: str) -> QError:
    with pytest.raises(QError) as info:
        parse(text, engine=engine)
    return info.value


# --------------------------------------------------------------------------- precedence

ONE_DAY_AGO = ast.Shift(-1, ast.Duration(1, ast.DurationUnit.D))

PRECEDENCE = [
    ("NOT a = 1 AND b = 2 OR c = 3",
     ast.Or((ast.And((ast.Not(eq("a", "1")), eq("b", "2"))), eq("c", "3")))),
    ("x BETWEEN 1 AND 2 AND y = 3",
     ast.And((ast.Between(P("x"), N("1"), N("2")), eq("y", "3")))),
    ("x NOT BETWEEN 1 AND 2 OR y",
     ast.Or((ast.Between(P("x"), N("1"), N("2"), negated=True), bare("y")))),
    ("a OR b AND c", ast.Or((bare("a"), ast.And((bare("b"), bare("c")))))),
    ("a AND b OR c AND d",
     ast.Or((ast.And((bare("a"), bare("b"))), ast.And((bare("c"), bare("d")))))),
    ("(a OR b) AND c", ast.And((ast.Or((bare("a"), bare("b"))), bare("c")))),
    ("a AND (b AND c)", ast.And((bare("a"), bare("b"), bare("c")))),
    ("(a AND b) AND (c AND d)", ast.And((bare("a"), bare("b"), bare("c"), bare("d")))),
    ("a OR (b OR c) OR d", ast.Or((bare("a"), bare("b"), bare("c"), bare("d")))),
    ("a AND (b OR c) AND d",
     ast.And((bare("a"), ast.Or((bare("b"), bare("c"))), bare("d")))),
    ("NOT NOT a", ast.Not(ast.Not(bare("a")))),
    ("NOT (a AND b)", ast.Not(ast.And((bare("a"), bare("b"))))),
    ("NOT a AND b", ast.And((ast.Not(bare("a")), bare("b")))),
    ("((a))", bare("a")),
    ("NOT x IN (1)", ast.Not(ast.InList(P("x"), (N("1"),)))),
    ("x NOT IN (1)", ast.InList(P("x"), (N("1"),), negated=True)),
    ("NOT x IS NULL", ast.Not(ast.IsNull(P("x")))),
    ("any(r, a AND b) OR c",
     ast.Or((ast.Quantified(ast.QuantifierKind.ANY, P("r"), ast.And((bare("a"), bare("b")))),
             bare("c")))),
    ("any(r, a OR b)",
     ast.Quantified(ast.QuantifierKind.ANY, P("r"), ast.Or((bare("a"), bare("b"))))),
    ("all(a.b, any(c, d = 1))",
     ast.Quantified(ast.QuantifierKind.ALL, P("a", "b"),
                    ast.Quantified(ast.QuantifierKind.ANY, P("c"), eq("d", "1")))),
    ("NOT any(r, x)", ast.Not(ast.Quantified(ast.QuantifierKind.ANY, P("r"), bare("x")))),
    ("x > now() - 7d + 12h",
     cmp("x", ast.TimeExpr(ast.Now(), (
         ast.Shift(-1, ast.Duration(7, ast.DurationUnit.D)),
         ast.Shift(1, ast.Duration(12, ast.DurationUnit.H)))), Op.GT)),
    ('x >= "2024-01-01" - 1w',
     cmp("x", ast.TimeExpr(S("2024-01-01"), (ast.Shift(-1, ast.Duration(1, ast.DurationUnit.W)),)),
         Op.GE)),
    ("x < now()", cmp("x", ast.TimeExpr(ast.Now(), ()), Op.LT)),
    ("x BETWEEN -2 AND -1", ast.Between(P("x"), N("-2"), N("-1"))),
    ("x BETWEEN now() - 1d AND now() AND y",
     ast.And((ast.Between(P("x"), ast.TimeExpr(ast.Now(), (ONE_DAY_AGO,)),
                          ast.TimeExpr(ast.Now(), ())),
              bare("y")))),
    ("x = y.z", cmp("x", P("y", "z"))),
    ("nodes_completed < nodes_total", cmp("nodes_completed", P("nodes_total"), Op.LT)),
    ("x", bare("x")),
    ("x = true", bare("x")),
    ("NOT x", ast.Not(bare("x"))),
    ("x IN (1, 2,)", ast.InList(P("x"), (N("1"), N("2")))),
    ('x IN ("a")', ast.InList(P("x"), (S("a"),))),
    ("x IN (null, true, false, now())",
     ast.InList(P("x"), (ast.Null(), TRUE, ast.Boolean(False), ast.TimeExpr(ast.Now(), ())))),
    ('x NOT LIKE "a%"', ast.PatternMatch(P("x"), Operator.LIKE, S("a%"), negated=True)),
    ('x ENDS_WITH ""', ast.PatternMatch(P("x"), Operator.ENDS_WITH, S(""))),
    ("x IS NOT NULL", ast.IsNull(P("x"), negated=True)),
    ("x != null", cmp("x", ast.Null(), Op.NE)),
    ("", ast.MatchAll()),
    ("  \t\r\n ", ast.MatchAll()),
]


@per_engine
@pytest.mark.parametrize(("text", "tree"), PRECEDENCE, ids=[t for t, _ in PRECEDENCE])
def test_precedence_and_structure(engine: str, text: str, tree: ast.Expr) -> None:
    assert parse(text, engine=engine) == tree


SYNTAX_ERRORS = [
    # text, start, end (the first token at which no parse can continue)
    ("a = b = c", 6, 7),
    ("a = 1 = 2", 6, 7),
    ("a IS NULL = 1", 10, 11),
    ("a = 1 b = 2", 6, 7),
    ("x BETWEEN 1 AND 2 AND 3", 22, 23),
    ("x BETWEEN 1 OR 2", 12, 14),
    ("x BETWEEN 1", 11, 11),
    ("x = 5 - 7d", 6, 7),
    ("x = now() - 5", 12, 13),
    ("x = now() - -7d", 12, 13),
    ("x IN ()", 6, 7),
    ("x IN (,)", 6, 7),
    ("x IN (1,,2)", 8, 9),
    ("x IN 1", 5, 6),
    ("x LIKE 5", 7, 8),
    ("x LIKE now()", 7, 10),
    ("x NOT = 1", 6, 7),
    ("x IS 1", 5, 6),
    ("x IS NOT", 8, 8),
    ("any(x)", 5, 6),
    ("any(x, )", 7, 8),
    ("any(1, x)", 4, 5),
    ("in = 1", 0, 2),
    ("AND = 1", 0, 3),
    ("now() = x", 0, 3),
    ("true", 0, 4),
    ("x = now", 7, 7),
    ("()", 1, 2),
    ("(x", 2, 2),
    ("x)", 1, 2),
    ("x = ", 4, 4),
    ("x = 1 AND", 9, 9),
    ("x = 1 OR OR y", 9, 11),
    ("NOT", 3, 3),
    ("x.1 = 2", 2, 3),
    ("x.= 2", 2, 3),
    ("x[1] = 2", 2, 3),
    ("x = -y", 5, 6),
    ("x = - true", 6, 10),
    ("-5 = x", 0, 1),
    ("x = 7d", 4, 6),
]


@per_engine
@pytest.mark.parametrize(("text", "start", "end"), SYNTAX_ERRORS,
                         ids=[t for t, _, _ in SYNTAX_ERRORS])
def test_syntax_errors(engine: str, text: str, start: int, end: int) -> None:
    error = error_of(text, engine)
    assert (error.code, error.start, error.end) == ("syntax_error", start, end), repr(error)


# --------------------------------------------------------------------------- keyword case

KEYWORD_CASE = [
    ("a = 1 and b = 2", ast.And((eq("a", "1"), eq("b", "2")))),
    ("a = 1 AnD b = 2 oR c = 3", ast.Or((ast.And((eq("a", "1"), eq("b", "2"))), eq("c", "3")))),
    ("not a", ast.Not(bare("a"))),
    ("x is not null", ast.IsNull(P("x"), negated=True)),
    ("x Is NoT nUlL", ast.IsNull(P("x"), negated=True)),
    ("x not in (1)", ast.InList(P("x"), (N("1"),), negated=True)),
    ("x between 1 and 2", ast.Between(P("x"), N("1"), N("2"))),
    ('x like "a"', ast.PatternMatch(P("x"), Operator.LIKE, S("a"))),
    ('x iLiKe "a"', ast.PatternMatch(P("x"), Operator.ILIKE, S("a"))),
    ('x contains "a"', ast.PatternMatch(P("x"), Operator.CONTAINS, S("a"))),
    ('x Starts_With "a"', ast.PatternMatch(P("x"), Operator.STARTS_WITH, S("a"))),
    ('x ENDS_with "a"', ast.PatternMatch(P("x"), Operator.ENDS_WITH, S("a"))),
    ("x = TRUE", bare("x")),
    ("x = False", cmp("x", ast.Boolean(False))),
    ("x = NULL", cmp("x", ast.Null())),
    ("Any(r, x)", ast.Quantified(ast.QuantifierKind.ANY, P("r"), bare("x"))),
    ("ALL(r, x)", ast.Quantified(ast.QuantifierKind.ALL, P("r"), bare("x"))),
    ("x > NOW()", cmp("x", ast.TimeExpr(ast.Now(), ()), Op.GT)),
    ("x > Now ( ) - 1d", cmp("x", ast.TimeExpr(ast.Now(), (ONE_DAY_AGO,)), Op.GT)),
    # Longer identifiers that start with a keyword are plain names.
    ("android AND nowhere OR island", ast.Or((ast.And((bare("android"), bare("nowhere"))),
                                              bare("island")))),
    ("Notes = 1 AND in_x = 2 AND is_ = 3 AND nulls = 4",
     ast.And((eq("Notes", "1"), eq("in_x", "2"), eq("is_", "3"), eq("nulls", "4")))),
]


@per_engine
@pytest.mark.parametrize(("text", "tree"), KEYWORD_CASE, ids=[t for t, _ in KEYWORD_CASE])
def test_keywords_are_case_insensitive(engine: str, text: str, tree: ast.Expr) -> None:
    assert parse(text, engine=engine) == tree


KEYWORD_SEGMENTS = [
    ("metadata.in = 1", eq_path := P("metadata", "in")),
    ("metadata.AND = 1", P("metadata", "AND")),
    ("metadata.And.Or = 1", P("metadata", "And", "Or")),
    ("metadata.not.null = 1", P("metadata", "not", "null")),
    ("metadata.any = 1", P("metadata", "any")),
    ("metadata.NOW = 1", P("metadata", "NOW")),
    ("a.is.between.like.ilike.contains.starts_with.ends_with.true.false.all = 1",
     P("a", "is", "between", "like", "ilike", "contains", "starts_with", "ends_with", "true",
       "false", "all")),
    ('metadata["in"] = 1', eq_path),
    ('metadata["team-id"] = 1', P("metadata", "team-id")),
    ('a.b["c.d"].e = 1', P("a", "b", "c.d", "e")),
    ("a['x'][\"y\"] = 1", P("a", "x", "y")),
    ('a[""] = 1', P("a", "")),
]


@per_engine
@pytest.mark.parametrize(("text", "path"), KEYWORD_SEGMENTS, ids=[t for t, _ in KEYWORD_SEGMENTS])
def test_keywords_are_path_segments_after_a_dot(engine: str, text: str, path: ast.Path) -> None:
    tree = parse(text, engine=engine)
    assert tree == cmp(path, N("1"))
    assert isinstance(tree, ast.Comparison)
    assert tree.path.segments == path.segments  # case kept as written


@per_engine
def test_keyword_segments_keep_their_case_in_canonical_form(engine: str) -> None:
    assert to_q(parse("metadata.AND = 1", engine=engine)) == "metadata.AND = 1"
    assert to_q(parse('metadata["In"].Null', engine=engine)) == "metadata.In.Null = true"


# --------------------------------------------------------------------------- numbers

NUMBERS = [
    ("1", "1"),
    ("0", "0"),
    ("007", "7"),
    ("1.5", "1.5"),
    ("1.50", "1.5"),
    ("1e3", "1000"),
    ("1E3", "1000"),
    ("1e+3", "1000"),
    ("1E-3", "0.001"),
    ("2.5e-3", "0.0025"),
    ("0.0", "0"),
    ("-0", "0"),
    ("- 0.0", "0"),
    ("-5", "-5"),
    ("- 5", "-5"),
    ("-\n5", "-5"),
    ("-1.5e2", "-150"),
    ("1" + "0" * 33, "1e33"),  # trailing zeros are not significant digits
    ("1234567890123456789012345678901234", "1234567890123456789012345678901234"),  # 34 digits
    ("-1234567890123456789012345678901234", "-1234567890123456789012345678901234"),
    ("1.234567890123456789012345678901234", "1.234567890123456789012345678901234"),
    ("-1.234567890123456789012345678901234", "-1.234567890123456789012345678901234"),
    ("1e307", "1e307"),
    ("9.999e307", "9.999e307"),
    ("1e-307", "1e-307"),
    ("-1e-307", "-1e-307"),
    ("0.1e-306", "1e-307"),
    ("1000e304", "1e307"),
]


@per_engine
@pytest.mark.parametrize(("text", "value"), NUMBERS, ids=[t for t, _ in NUMBERS])
def test_numbers_are_exact_decimals(engine: str, text: str, value: str) -> None:
    tree = parse(f"x = {text}", engine=engine)
    assert isinstance(tree, ast.Comparison)
    assert isinstance(tree.operand, ast.Number)
    assert type(tree.operand.value) is Decimal
    assert tree.operand.value == Decimal(value)  # exact: Decimal equality never rounds


@pytest.mark.parametrize("value", [
    "1.0000000000000000000000000001",  # 29 significant digits
    "1234567890.123456789012345678901234",  # 34
    "-0.1234567890123456789012345678901234",
    "9999999999999999999999999999999999e-20",
    "1.234567890123456789012345678901234e300",
])
def test_canonical_numbers_keep_every_digit(value: str) -> None:
    """``to_q`` of a builder-made tree: numbers up to 34 digits print without rounding."""
    text = to_q(cmp("x", ast.Number(Decimal(value))))
    assert Decimal(text.removeprefix("x = ")) == Decimal(value), text


BAD_NUMBERS = [
    # text (after "x = "), code, start, end (absolute in "x = " + text)
    ("1.", "syntax_error", 4, 6),
    (".5", "syntax_error", 4, 5),
    ("1e", "syntax_error", 4, 6),
    ("1e+", "syntax_error", 4, 7),
    ("1.5.2", "syntax_error", 4, 9),
    ("+1", "syntax_error", 4, 5),
    ("1AND y", "syntax_error", 4, 8),
    ("1_000", "syntax_error", 4, 9),
    ("0x1F", "syntax_error", 4, 8),
    ("12345678901234567890123456789012345", "invalid_literal", 4, 39),  # 35 digits
    ("1.2345678901234567890123456789012345", "invalid_literal", 4, 40),
    ("-12345678901234567890123456789012345", "invalid_literal", 5, 40),
    ("1e308", "invalid_literal", 4, 9),
    ("10e307", "invalid_literal", 4, 10),
    ("1e-308", "invalid_literal", 4, 10),
    ("-1e308", "invalid_literal", 5, 10),
    ("1e99999999999999999999", "invalid_literal", 4, 26),
]


@per_engine
@pytest.mark.parametrize(("text", "code", "start", "end"), BAD_NUMBERS,
                         ids=[t for t, *_ in BAD_NUMBERS])
def test_bad_numbers(engine: str, text: str, code: str, start: int, end: int) -> None:
    error = error_of(f"x = {text}", engine)
    assert (error.code, error.start, error.end) == (code, start, end), repr(error)


# --------------------------------------------------------------------------- durations

DURATIONS = [
    ("250ms", 250, ast.DurationUnit.MS),
    ("30s", 30, ast.DurationUnit.S),
    ("90m", 90, ast.DurationUnit.M),
    ("12h", 12, ast.DurationUnit.H),
    ("7d", 7, ast.DurationUnit.D),
    ("2w", 2, ast.DurationUnit.W),
    ("0s", 0, ast.DurationUnit.S),
    ("007d", 7, ast.DurationUnit.D),
]


@per_engine
@pytest.mark.parametrize(("text", "amount", "unit"), DURATIONS, ids=[t for t, *_ in DURATIONS])
def test_durations(engine: str, text: str, amount: int, unit: ast.DurationUnit) -> None:
    tree = parse(f"x > now() - {text}", engine=engine)
    expected = ast.TimeExpr(ast.Now(), (ast.Shift(-1, ast.Duration(amount, unit)),))
    assert tree == cmp("x", expected, Op.GT)


def test_duration_lengths() -> None:
    assert ast.Duration(7, ast.DurationUnit.D).microseconds == 7 * 86_400 * 10**6
    assert ast.Duration(2, ast.DurationUnit.W).microseconds == 14 * 86_400 * 10**6
    assert ast.Duration(250, ast.DurationUnit.MS).microseconds == 250_000


BAD_DURATIONS = ["7D", "1.5d", "7dx", "7 d", "1e3d", "7ms2", "7mss", "7Ms", "-7d", "d7"]


@per_engine
@pytest.mark.parametrize("text", BAD_DURATIONS)
def test_bad_durations_are_syntax_errors(engine: str, text: str) -> None:
    q = f"x > now() - {text}"
    error = error_of(q, engine)
    assert error.code == "syntax_error"
    assert 12 <= error.start < len(q)


@per_engine
@pytest.mark.parametrize(("text", "end"), [("7D", 14), ("1.5d", 16), ("7dx", 15)])
def test_bad_duration_runs_are_one_error_token(engine: str, text: str, end: int) -> None:
    error = error_of(f"x > now() - {text}", engine)
    assert (error.code, error.start, error.end) == ("syntax_error", 12, end)


# --------------------------------------------------------------------------- strings

STRINGS = [
    (r'"plain"', "plain"),
    (r"'single'", "single"),
    (r'""', ""),
    (r'"\""', '"'),
    (r"'\''", "'"),
    (r'"\'"', "'"),
    (r"'\"'", '"'),
    (r"""'say "hi"'""", 'say "hi"'),
    (r'''"it's"''', "it's"),
    (r'"\\"', "\\"),
    (r'"\/"', "/"),
    (r'"\b"', "\b"),
    (r'"\f"', "\f"),
    (r'"\n"', "\n"),
    (r'"\r"', "\r"),
    (r'"\t"', "\t"),
    (r'"\u00e9"', "é"),
    (r'"\u00E9"', "é"),
    (r'"\u0001"', "\x01"),
    (r'"\uFFFF"', "\uffff"),
    (r'"\uD83D\uDE00"', "\U0001f600"),
    (r'"\ud83d\ude00"', "\U0001f600"),
    (r'"\uDBFF\uDFFF"', "\U0010ffff"),
    ('"\U0001f600 raw"', "\U0001f600 raw"),
    (r'"50\\%%"', "50\\%%"),
    (r'"a\\nb"', "a\\nb"),
    ('"\x7f\u2028\u00a0"', "\x7f\u2028\u00a0"),
    (r'"\\\""', '\\"'),
]


@per_engine
@pytest.mark.parametrize(("literal", "value"), STRINGS, ids=[s for s, _ in STRINGS])
def test_string_escapes_decode(engine: str, literal: str, value: str) -> None:
    assert parse(f"x = {literal}", engine=engine) == cmp("x", S(value))


BAD_STRINGS = [
    # literal (after "x = "), start, end of the offending text (absolute)
    (r'"\u0000"', 5, 11),
    (r'"a\u0000b"', 6, 12),
    ('"\x00"', 5, 6),
    (r'"\uD800"', 5, 11),
    (r'"\uD800x"', 5, 11),
    (r'"\uD800\u0041"', 5, 11),
    (r'"\uDC00"', 5, 11),
    (r'"\uDE00\uD83D"', 5, 11),
    (r'"\q"', 5, 7),
    (r'"\x41"', 5, 7),
    (r'"\U0001F600"', 5, 7),
    (r'"\u12"', 5, 9),
    (r'"\u12G4"', 5, 11),
    ('"a\x01b"', 6, 7),
    ('"a\nb"', 6, 7),
    ('"a\tb"', 6, 7),
    ('"\x1f"', 5, 6),
    ('"abc', 4, 8),
    ('"abc\\"', 4, 10),
    ("'abc", 4, 8),
    ('"abc\' = 1', 4, 13),
]


@per_engine
@pytest.mark.parametrize(("literal", "start", "end"), BAD_STRINGS,
                         ids=[repr(s) for s, _, _ in BAD_STRINGS])
def test_bad_strings_are_syntax_errors(engine: str, literal: str, start: int, end: int) -> None:
    error = error_of(f"x = {literal}", engine)
    assert (error.code, error.start, error.end) == ("syntax_error", start, end), repr(error)


@per_engine
def test_unterminated_string_spans_to_the_end(engine: str) -> None:
    q = 'a = 1 AND b = "never closed AND c = 2'
    error = error_of(q, engine)
    assert (error.code, error.start, error.end) == ("syntax_error", 14, len(q))


@per_engine
def test_raw_nul_outside_strings_is_a_syntax_error(engine: str) -> None:
    error = error_of("x = 1 \x00", engine)
    assert (error.code, error.start, error.end) == ("syntax_error", 6, 7)


# --------------------------------------------------------------------------- paths

PATH_WHITESPACE = [
    ("metadata . x = 1", 8, 9),
    ("metadata. x = 1", 9, 10),
    ("metadata .x = 1", 8, 9),
    ('metadata ["a"] = 1', 8, 9),
    ('metadata[ "a"] = 1', 9, 10),
    ('metadata["a" ] = 1', 12, 13),
    ("a.b .c = 1", 3, 4),
    ("a.in .c = 1", 4, 5),
    ('a["x"] .c = 1', 6, 7),
    ("a.\nb = 1", 2, 3),
]


@per_engine
@pytest.mark.parametrize(("text", "start", "end"), PATH_WHITESPACE,
                         ids=[t for t, _, _ in PATH_WHITESPACE])
def test_whitespace_inside_a_path_is_an_error(engine: str, text: str, start: int, end: int) -> None:
    error = error_of(text, engine)
    assert (error.code, error.start, error.end) == ("syntax_error", start, end), repr(error)


@per_engine
def test_whitespace_around_a_path_is_fine(engine: str) -> None:
    assert parse(' ( a.b["c"] = 1 ) ', engine=engine) == cmp(P("a", "b", "c"), N("1"))
    assert parse("x IN(1)", engine=engine) == ast.InList(P("x"), (N("1"),))


# --------------------------------------------------------------------------- canonical form

CANONICAL = [
    # keyword case and spacing
    ("a=1 and   b=2", "a = 1 AND b = 2"),
    ("a   =\n1\tOR b!=2", "a = 1 OR b != 2"),
    ("x is not null", "x IS NOT NULL"),
    ("x is null", "x IS NULL"),
    ("x not in(1,2,)", "x NOT IN (1, 2)"),
    ("x IN ( 1 ,2 )", "x IN (1, 2)"),
    ("x not between 1 and 2", "x NOT BETWEEN 1 AND 2"),
    ("x not like 'a%'", 'x NOT LIKE "a%"'),
    ("x ilike 'a'", 'x ILIKE "a"'),
    ("x starts_with 'a' and x ends_with 'b' and x contains 'c'",
     'x STARTS_WITH "a" AND x ENDS_WITH "b" AND x CONTAINS "c"'),
    ("x = TRUE or y = FALSE or z = NULL", "x = true OR y = false OR z = null"),
    ("ANY(r,x=1)", "any(r, x = 1)"),
    ("All ( r , x = 1 )", "all(r, x = 1)"),
    ("x>NOW()-7d+12h", "x > now() - 7d + 12h"),
    ("x < Now ( )", "x < now()"),
    ("x <= '2024-01-01' - 250ms", 'x <= "2024-01-01" - 250ms'),
    ("x>=y", "x >= y"),
    ("  x  ", "x = true"),
    ("", ""),
    # parentheses only where needed
    ("NOT(a = 1)", "NOT a = 1"),
    ("NOT (a = 1 AND b = 2)", "NOT (a = 1 AND b = 2)"),
    ("NOT (a OR b)", "NOT (a = true OR b = true)"),
    ("NOT (NOT a)", "NOT NOT a = true"),
    ("(a = 1 OR b = 2) AND c = 3", "(a = 1 OR b = 2) AND c = 3"),
    ("a = 1 OR (b = 2 AND c = 3)", "a = 1 OR b = 2 AND c = 3"),
    ("(a = 1 AND b = 2) OR c = 3", "a = 1 AND b = 2 OR c = 3"),
    ("((a = 1))", "a = 1"),
    ("a AND (b AND c)", "a = true AND b = true AND c = true"),
    ("(a OR b) OR (c OR d)", "a = true OR b = true OR c = true OR d = true"),
    ("(NOT a) AND b", "NOT a = true AND b = true"),
    ("any(r, (a OR b))", "any(r, a = true OR b = true)"),
    ("(any(r, a)) AND b", "any(r, a = true) AND b = true"),
    ("NOT x IN (1)", "NOT x IN (1)"),
    # strings: double quotes, minimal escapes
    ("x = 'a\"b'", 'x = "a\\"b"'),
    ("x = 'it\\'s'", "x = \"it's\""),
    ('x = "a\\/b"', 'x = "a/b"'),
    ('x = "\\u00e9\\u00E9"', 'x = "éé"'),
    ('x = "\\uD83D\\uDE00"', 'x = "\U0001f600"'),
    ('x = "\\\\"', 'x = "\\\\"'),
    ('x = "\\b\\f\\n\\r\\t"', 'x = "\\b\\f\\n\\r\\t"'),
    ('x = "\\u0008\\u000C\\u000a\\u000D\\u0009"', 'x = "\\b\\f\\n\\r\\t"'),
    ('x = "\x7f\u2028"', 'x = "\x7f\u2028"'),
    # numbers
    ("x = 1.50", "x = 1.5"),
    ("x = 1.0", "x = 1"),
    ("x = 100", "x = 100"),
    ("x = 1e2", "x = 100"),
    ("x = 1E+3", "x = 1000"),
    ("x = 0.1e1", "x = 1"),
    ("x = 007", "x = 7"),
    ("x = -0", "x = 0"),
    ("x = - 0.000", "x = 0"),
    ("x = 0e5", "x = 0"),
    ("x = - 5", "x = -5"),
    ("x = 0.0000001", "x = 0.0000001"),
    ("x = 1e-7", "x = 0.0000001"),
    ("x = 0.00000001", "x = 1e-8"),
    ("x = 0.000000015", "x = 1.5e-8"),
    ("x = -0.00000001", "x = -1e-8"),
    ("x = 1e21", "x = 1e21"),
    ("x = 999999999999999999999", "x = 999999999999999999999"),
    ("x = 123e20", "x = 1.23e22"),
    ("x = 12345678901234567890.5", "x = 12345678901234567890.5"),
    ("x = 1.5e-10", "x = 1.5e-10"),
    ("x = -1.5e300", "x = -1.5e300"),
    ("x = 1e-307", "x = 1e-307"),
    ("x = 1" + "0" * 33, "x = 1e33"),
    ("x = 1.234567890123456789012345678901234",
     "x = 1.234567890123456789012345678901234"),
    ("x = -1.234567890123456789012345678901234",
     "x = -1.234567890123456789012345678901234"),
    ("x = 1234567890123456789012345678901234", "x = 1.234567890123456789012345678901234e33"),
    ("x IN (-1, 2.50, 3e0)", "x IN (-1, 2.5, 3)"),
    # paths
    ('a["b"] = 1', "a.b = 1"),
    ("a['b']['c'] = 1", "a.b.c = 1"),
    ('a["b c"] = 1', 'a["b c"] = 1'),
    ('a["in"] = 1', "a.in = 1"),
    ("a.AND = 1", "a.AND = 1"),
    ('a["1b"] = 1', 'a["1b"] = 1'),
    ('a["b.c"] = 1', 'a["b.c"] = 1'),
    ('a["-"] = 1', 'a["-"] = 1'),
    ("a['x\"y'] = 1", 'a["x\\"y"] = 1'),
    ('a[""] = 1', 'a[""] = 1'),
    ('a["é"] = 1', 'a["é"] = 1'),
    ('a["\\n"] = 1', 'a["\\n"] = 1'),
    # bare booleans
    ("has_logs", "has_logs = true"),
    ("NOT has_logs", "NOT has_logs = true"),
    ("a.b OR c", "a.b = true OR c = true"),
]


@per_engine
@pytest.mark.parametrize(("text", "canonical"), CANONICAL, ids=[t for t, _ in CANONICAL])
def test_canonical_form(engine: str, text: str, canonical: str) -> None:
    tree = parse(text, engine=engine)
    assert to_q(tree) == canonical
    assert parse(canonical, engine=engine) == tree
    assert to_q(parse(canonical, engine=engine)) == canonical


@per_engine
@pytest.mark.parametrize("char", [chr(c) for c in range(1, 32) if chr(c) not in "\b\f\n\r\t"])
def test_other_control_characters_are_written_as_u_escapes(engine: str, char: str) -> None:
    tree = parse(f'x = "\\u{ord(char):04x}"', engine=engine)
    text = to_q(tree)
    assert re.fullmatch(r'x = "\\u[0-9a-fA-F]{4}"', text), text
    assert int(text[7:11], 16) == ord(char)
    assert parse(text, engine=engine) == tree


def test_canonical_form_of_typed_literals() -> None:
    import uuid
    from datetime import UTC, datetime

    u = uuid.UUID("0BB5E518-8B90-8D18-0000-000000000000")
    assert to_q(cmp("id", ast.Uuid(u))) == 'id = "0bb5e518-8b90-8d18-0000-000000000000"'
    stamp = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert to_q(cmp("t", ast.Timestamp(stamp), Op.GT)) == 't > "2024-01-02T03:04:05Z"'
    stamp = datetime(2024, 1, 2, 3, 4, 5, 60, tzinfo=UTC)
    assert to_q(cmp("t", ast.Timestamp(stamp), Op.GT)) == 't > "2024-01-02T03:04:05.000060Z"'


# --------------------------------------------------------------------------- spans


@per_engine
def test_spans_of_a_comparison(engine: str) -> None:
    tree = parse('  a.b["c d"] >= "x"  ', engine=engine)
    assert isinstance(tree, ast.Comparison)
    assert (tree.start, tree.end) == (2, 19)
    assert (tree.path.start, tree.path.end) == (2, 12)
    assert tree.path.segment_spans == ((2, 3), (4, 5), (6, 11))
    assert (tree.operand.start, tree.operand.end) == (16, 19)


@per_engine
def test_spans_of_logic(engine: str) -> None:
    q = "NOT a = 1 AND (b = 2 OR c = 3)"
    tree = parse(q, engine=engine)
    assert isinstance(tree, ast.And)
    assert tree.start == 0
    assert tree.end in (29, 30)  # with or without the closing parenthesis
    first, second = tree.operands
    assert isinstance(first, ast.Not)
    assert (first.start, first.end) == (0, 9)
    assert (first.operand.start, first.operand.end) == (4, 9)
    assert isinstance(second, ast.Or)
    assert (second.operands[0].start, second.operands[0].end) == (15, 20)
    assert (second.operands[1].start, second.operands[1].end) == (24, 29)


@per_engine
def test_spans_of_predicates(engine: str) -> None:
    cases = {
        "x IN (1, -2)": (0, 12),
        "x NOT IN (1)": (0, 12),
        "x BETWEEN 1 AND 2": (0, 17),
        'x NOT LIKE "a"': (0, 14),
        "x IS NOT NULL": (0, 13),
        "x IS NULL": (0, 9),
        "has_logs": (0, 8),
        "any(r, x = 1)": (0, 13),
        "x = y.z": (0, 7),
    }
    for q, span in cases.items():
        tree = parse(q, engine=engine)
        assert (tree.start, tree.end) == span, q


@per_engine
def test_spans_of_values(engine: str) -> None:
    tree = parse("x IN (1, - 2, 'a', true, null, now(), now() - 7d + 1h)", engine=engine)
    assert isinstance(tree, ast.InList)
    spans = [(v.start, v.end) for v in tree.values]
    assert spans == [(6, 7), (9, 12), (14, 17), (19, 23), (25, 29), (31, 36), (38, 53)]
    time_expr = tree.values[-1]
    assert isinstance(time_expr, ast.TimeExpr)
    assert (time_expr.base.start, time_expr.base.end) == (38, 43)
    assert [(s.start, s.end) for s in time_expr.shifts] == [(44, 48), (49, 53)]
    assert [(s.duration.start, s.duration.end) for s in time_expr.shifts] == [(46, 48), (51, 53)]


@per_engine
def test_spans_of_a_quantifier(engine: str) -> None:
    tree = parse("all(model.pricing, price > 1)", engine=engine)
    assert isinstance(tree, ast.Quantified)
    assert (tree.start, tree.end) == (0, 29)
    assert (tree.path.start, tree.path.end) == (4, 17)
    assert (tree.condition.start, tree.condition.end) == (19, 28)


@per_engine
def test_spans_count_code_points(engine: str) -> None:
    tree = parse('x = "\U0001f600\U0001f600" AND y', engine=engine)
    assert isinstance(tree, ast.And)
    assert (tree.operands[0].end, tree.operands[1].start) == (8, 13)
