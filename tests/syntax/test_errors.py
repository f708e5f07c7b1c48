"""The errors the syntax stage owns (spec sections 6 and 7), for every engine: codes, exact spans,
line/column, friendly ``expected`` lists, hints for foreign operators, caret rendering,
``to_dict()``, errors at the end of input, and every limit (default and configured)."""

from __future__ import annotations

import json
import pickle

import pytest
from hypothesis import given

from qexpr import Limits, QError, parse
from qexpr.syntax.tokens import TokenKind, friendly
from tests.syntax.strategies import engine_params, mutations, property_settings, q_texts
from tests.syntax.test_line_column import reference

per_engine = pytest.mark.parametrize("engine", engine_params())


def error_of(text: str, engine: str, limits: Limits | None = None) -> QError:
    with pytest.raises(QError) as info:
        parse(text, engine=engine, limits=limits)
    return info.value


# Internal names that must never reach a user (engine token names, rule names, class names).
INTERNAL = ("__ANON", "ANON_", "Token(", "TokenKind", "lark", "antlr", "ANTLR", "$END",
            "<EOF>", "mismatched input", "extraneous input", "no viable alternative",
            "Traceback", "RULE")
INTERNAL_KIND_NAMES = frozenset(k.name for k in TokenKind if friendly(k) != k.name)
ALLOWED_EXPECTED = frozenset(friendly(k) for k in TokenKind if k is not TokenKind.ERROR) | {
    "a value", "an operator",
}


def assert_friendly(error: QError, source: str) -> None:
    """No internal names in the error; ``expected`` only lists friendly names."""
    for item in error.expected:
        assert item in ALLOWED_EXPECTED, f"unfriendly expected item {item!r}"
        assert item not in INTERNAL_KIND_NAMES, item
    texts = [error.message, error.hint or "", error.suggestion or "", *error.expected]
    for text in texts:
        for word in INTERNAL:
            if word.lower() not in source.lower():
                assert word not in text, f"{word!r} in {text!r}"
        for name in INTERNAL_KIND_NAMES:
            if name.lower() not in source.lower():
                assert name not in text.replace("end of input", ""), f"{name!r} in {text!r}"


def assert_well_formed(error: QError, source: str) -> None:
    assert isinstance(error, ValueError)
    assert 0 <= error.start <= error.end <= len(source)
    assert error.source == source
    assert (error.line, error.column) == reference(source, error.start)
    body = error.to_dict()
    assert json.loads(json.dumps(body)) == body
    assert body["code"] == str(error.code)
    assert (body["start"], body["end"], body["line"], body["column"]) == (
        error.start, error.end, error.line, error.column)
    assert body["message"] == error.message
    assert error.message and "\n" not in error.message
    assert isinstance(str(error), str)
    assert_friendly(error, source)


# --------------------------------------------------------------------------- syntax errors

SYNTAX_ERRORS = [
    # text, start, end
    ("x = ", 4, 4),
    ("x =", 3, 3),
    ("(x = 1", 6, 6),
    ("x = 1 AND", 9, 9),
    ("x IN (1,", 8, 8),
    ("x IN (1", 7, 7),
    ("x BETWEEN 1 AND", 15, 15),
    ("any(r, x", 8, 8),
    ("x IS", 4, 4),
    ("x =   \n\t ", 9, 9),
    ("NOT ", 4, 4),
    ("x = 1)", 5, 6),
    ("x = = 1", 4, 5),
    ("a = b = c", 6, 7),
    ("x = @", 4, 5),
    ("x = 1 ; y = 2", 6, 7),
    ("x = 'abc", 4, 8),
    ('x = "a\\qb"', 6, 8),
]


@per_engine
@pytest.mark.parametrize(("text", "start", "end"), SYNTAX_ERRORS,
                         ids=[t for t, _, _ in SYNTAX_ERRORS])
def test_syntax_error_spans(engine: str, text: str, start: int, end: int) -> None:
    error = error_of(text, engine)
    assert (error.code, error.start, error.end) == ("syntax_error", start, end), repr(error)
    assert_well_formed(error, text)


END_OF_INPUT = ["x =", "x = ", "(x = 1", "x = 1 AND  ", "x IN (1, 2", "any(r,", "NOT",
                "x BETWEEN 1 AND", "x > now() -", "x IS NOT", "a.b.", 'a["b"', "a[", "x = -",
                "x = 1 OR\n"]


@per_engine
@pytest.mark.parametrize("text", END_OF_INPUT)
def test_an_error_at_the_end_of_input_is_an_empty_span_at_len(engine: str, text: str) -> None:
    error = error_of(text, engine)
    assert error.code == "syntax_error"
    assert error.start == error.end == len(text), repr(error)
    assert "end of input" in error.message
    assert_well_formed(error, text)


@per_engine
def test_expected_lists_are_short_and_friendly(engine: str) -> None:
    assert set(error_of("x =", engine).expected) == {"a field name", "a value"}
    assert set(error_of("(x = 1", engine).expected) == {"`)`", "AND", "OR"}
    assert set(error_of("x = 1 y", engine).expected) == {"AND", "OR", "end of input"}
    assert "an operator" in error_of("x y", engine).expected
    assert "a string" in error_of("x LIKE 1", engine).expected
    assert "a duration" in error_of("x > now() - 1", engine).expected
    assert "null" in [item.lower() for item in error_of("x IS 1", engine).expected]
    for text in ("", "x", "x = 1"):
        parse(text, engine=engine)  # fine: no error


# --------------------------------------------------------------------------- foreign operators

FOREIGN = [
    # text, the operator written, what to write instead, span
    ("a == 1", "==", "=", (2, 4)),
    ("a <> 1", "<>", "!=", (2, 4)),
    ("a = 1 && b = 2", "&&", "AND", (6, 8)),
    ("a = 1 || b = 2", "||", "OR", (6, 8)),
    ("a eq 1", "eq", "=", (2, 4)),
    ("a EQ 1", "EQ", "=", (2, 4)),
    ("a ne 1", "ne", "!=", (2, 4)),
    ('a = 1 AND b ne "x"', "ne", "!=", (12, 14)),
]


@per_engine
@pytest.mark.parametrize(("text", "written", "instead", "span"), FOREIGN,
                         ids=[t for t, *_ in FOREIGN])
def test_foreign_operators_get_a_hint(
    engine: str, text: str, written: str, instead: str, span: tuple[int, int]
) -> None:
    error = error_of(text, engine)
    assert error.code == "syntax_error"
    assert (error.start, error.end) == span
    assert error.hint is not None
    assert f"use {instead} instead of {written}" in error.hint
    assert_well_formed(error, text)


@per_engine
@pytest.mark.parametrize("text", ["!a", "a = 1 AND !b", "!(a = 1)"])
def test_exclamation_mark_hint_names_not(engine: str, text: str) -> None:
    error = error_of(text, engine)
    assert error.code == "syntax_error"
    assert (error.start, error.end) == (text.index("!"), text.index("!") + 1)
    assert error.hint is not None and "NOT" in error.hint and "!" in error.hint
    assert_well_formed(error, text)


@per_engine
def test_eq_and_ne_are_still_field_names(engine: str) -> None:
    parse("eq = 1 AND ne != 2 AND x = eq", engine=engine)


@per_engine
def test_bare_word_value_hint_suggests_quotes(engine: str) -> None:
    """``state_code = failed`` parses (as a field); ``x IN (failed)`` is a syntax error."""
    parse("state_code = failed", engine=engine)
    error = error_of("state_code IN (failed)", engine)
    assert (error.start, error.end) == (15, 21)
    assert error.hint is not None and '"failed"' in error.hint


# --------------------------------------------------------------------------- lines, carets


@per_engine
def test_line_and_column_on_multi_line_input(engine: str) -> None:
    text = 'state_code = "failed"\n  AND retry_count >= 2\n  AND x == 1'
    error = error_of(text, engine)
    assert (error.start, error.end) == (text.index("=="), text.index("==") + 2)
    assert (error.line, error.column) == (3, 9)
    text = 'x = 1 AND\ny = "never\nclosed'
    error = error_of(text, engine)
    assert (error.line, error.column, error.end) == (2, 5, len(text))
    text = "x = 1\r\nAND\ty ==\t2"
    error = error_of(text, engine)
    assert (error.line, error.column) == (2, 7)


def caret_line(error: QError) -> tuple[str, str]:
    """The source line and the caret line of ``str(error)``."""
    lines = str(error).split("\n")
    carets = [i for i, line in enumerate(lines) if line.strip() and set(line.strip()) == {"^"}]
    assert len(carets) == 1, str(error)
    return lines[carets[0] - 1], lines[carets[0]]


CARETS = [
    "x = 1 AND y == 2",
    "a = b = c",
    "x = 1 AND",
    'x = "abc',
    "metadata . x = 1",
    "x = 1e308",
    "x = 1\nAND y <> 2\nOR z",
    "x = 1\n\nAND (",
    "x\t= 1 AND\ty &&\tz",
    "x = 'é\U0001f600' AND y == 1",
]


@per_engine
@pytest.mark.parametrize("text", CARETS)
def test_str_puts_a_caret_line_under_the_span(engine: str, text: str) -> None:
    error = error_of(text, engine)
    shown, carets = caret_line(error)
    line_start = text.rfind("\n", 0, error.start) + 1
    line_end = text.find("\n", error.start)
    line_end = len(text) if line_end == -1 else line_end
    source_line = text[line_start:line_end]
    assert str(error).split("\n")[0].endswith(error.message)
    # the source line is shown, one cell per code point (tabs and controls as one cell)
    assert len(shown) == 2 + len(source_line)
    assert shown[2:].replace("\N{REPLACEMENT CHARACTER}", "\t") == source_line
    # the carets sit under start..end (at least one caret; clipped to the line)
    indent = len(carets) - len(carets.lstrip(" "))
    assert indent - 2 == error.column - 1
    width = len(carets.strip())
    assert width == max(1, min(error.end, line_end) - error.start)


@per_engine
def test_str_includes_expected_and_hint(engine: str) -> None:
    error = error_of("a == 1", engine)
    assert "use = instead of ==" in str(error)
    error = error_of("x =", engine)
    assert "a field name" in str(error) and "a value" in str(error)


@per_engine
def test_to_dict_is_json_ready(engine: str) -> None:
    error = error_of("x = 1 AND y == 2", engine)
    body = error.to_dict()
    assert json.loads(json.dumps(body)) == body
    assert body == {
        "code": "syntax_error",
        "message": error.message,
        "start": 12,
        "end": 14,
        "line": 1,
        "column": 13,
        "hint": "use = instead of ==",
    } | ({"expected": list(error.expected)} if error.expected else {})
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.start, copy.end, copy.message) == (
        error.code, error.start, error.end, error.message)


# --------------------------------------------------------------------------- limits

N_AND = " AND ".join


LIMIT_CASES = [
    # id, text, limits, (start, end), the limit's value (named in message or hint)
    ("length default", "x = " + "1" * 4093, None, (4096, 4097), 4096),
    ("length configured", "x = 123456789", Limits(max_length=10), (10, 13), 10),
    ("depth parentheses", "(" * 33 + "x" + ")" * 33, None, (32, 33), 32),
    ("depth NOT", "NOT " * 33 + "x", None, (128, 131), 32),
    ("depth mixed", "NOT (" * 16 + "NOT x" + ")" * 16, None, (80, 83), 32),
    ("depth configured", "((x))", Limits(max_depth=1), (1, 2), 1),
    ("depth configured NOT", "NOT NOT x", Limits(max_depth=1), (4, 7), 1),
    ("depth configured quantifier", "any(r, (x))", Limits(max_depth=1), (7, 8), 1),
    ("predicates default", N_AND(["x = 1"] * 129), None, (1280, 1285), 128),
    ("predicates configured", "a AND b OR c", Limits(max_predicates=2), (11, 12), 2),
    ("predicates count quantifiers", "any(r, x)", Limits(max_predicates=1), (7, 8), 1),
    ("in values default", "x IN (" + ", ".join(["1"] * 257) + ")", None,
     (6 + 3 * 256, 6 + 3 * 256 + 1), 256),
    ("in values configured", "x IN (1, 2, 3)", Limits(max_in_values=2), (12, 13), 2),
    ("string default", 'x = "' + "a" * 1025 + '"', None, (4, 4 + 1027), 1024),
    ("string decoded length", 'x = "\\u0041\\u0042\\u0043"', Limits(max_string_length=2),
     (4, 24), 2),
    ("string in a path", 'a["xyz"] = 1', Limits(max_string_length=2), (2, 7), 2),
    ("quantifier nesting default", "any(a, any(b, any(c, any(d, x))))", None, (21, 24), 3),
    ("quantifier nesting configured", "all(a, any(b, x))", Limits(max_quantifier_depth=1),
     (7, 10), 1),
]


@per_engine
@pytest.mark.parametrize(("text", "limits", "span", "value"),
                         [case[1:] for case in LIMIT_CASES], ids=[c[0] for c in LIMIT_CASES])
def test_limits(engine: str, text: str, limits: Limits | None, span: tuple[int, int],
                value: int) -> None:
    error = error_of(text, engine, limits)
    assert error.code == "limit_exceeded", repr(error)
    assert (error.start, error.end) == span, repr(error)
    assert str(value) in error.message + " " + (error.hint or "")
    assert_well_formed(error, text)


AT_THE_LIMIT = [
    ("length", "x = " + "1" * 34 + " AND y" + " " * (4096 - 44), None),
    ("depth", "(" * 32 + "x" + ")" * 32, None),
    ("depth NOT", "NOT " * 32 + "x", None),
    ("predicates", N_AND(["x = 1"] * 128), None),
    ("in values", "x IN (" + ", ".join(["1"] * 256) + ")", None),
    ("string", 'x = "' + "a" * 1024 + '"', None),
    ("escaped string", 'x = "' + "\\n" * 1024 + '"', None),
    ("quantifiers", "any(a, any(b, any(c, x)))", None),
    ("configured", "x IN (1, 2) AND y", Limits(max_in_values=2, max_predicates=2, max_depth=1,
                                               max_length=17)),
]


@per_engine
@pytest.mark.parametrize(("text", "limits"), [c[1:] for c in AT_THE_LIMIT],
                         ids=[c[0] for c in AT_THE_LIMIT])
def test_inputs_exactly_at_a_limit_are_accepted(engine: str, text: str,
                                                limits: Limits | None) -> None:
    parse(text, engine=engine, limits=limits)


@per_engine
def test_limits_come_before_syntax_errors(engine: str) -> None:
    """Spec 7: limit_exceeded wins (limits are checked first)."""
    error = error_of("x == 1 AND " + "(" * 40 + "y" + ")" * 40, engine)
    assert error.code == "limit_exceeded"
    error = error_of("x == " + "y" * 5000, engine)
    assert error.code == "limit_exceeded"


# --------------------------------------------------------------------------- number literals


@per_engine
@pytest.mark.parametrize(("literal", "span"), [
    ("12345678901234567890123456789012345", (4, 39)),
    ("1e308", (4, 9)),
    ("1e-308", (4, 10)),
    ("123456789012345678901234567890.12345", (4, 40)),
])
def test_invalid_number_literals(engine: str, literal: str, span: tuple[int, int]) -> None:
    text = f"x = {literal}"
    error = error_of(text, engine)
    assert error.code == "invalid_literal"
    assert (error.start, error.end) == span
    assert_well_formed(error, text)


# --------------------------------------------------------------------------- generated


@per_engine
@property_settings(120)
@given(text=q_texts().flatmap(mutations))
def test_every_error_on_mutated_input_is_well_formed(engine: str, text: str) -> None:
    try:
        parse(text, engine=engine)
    except QError as error:
        assert error.code in ("syntax_error", "limit_exceeded", "invalid_literal"), repr(error)
        assert_well_formed(error, text)
