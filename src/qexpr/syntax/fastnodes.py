"""Cheap construction of AST nodes (and tokens) for the parsers.

The AST classes are frozen slots dataclasses: their generated ``__init__`` takes keyword-only
spans and stores every field with ``object.__setattr__``, which costs about a microsecond per
node -- more than all the lexing of a typical filter. The builders here make the very same
objects another way: ``object.__new__`` and then each slot's own member descriptor (what
``object.__setattr__`` ends up calling anyway). A node is complete before it is returned and
never changes afterwards, so it is indistinguishable from one built by its constructor: same
type, same field values, equal, same hash.

This is only sound while the classes stay plain dataclasses: every field a slot, all set here,
no ``__post_init__``. :data:`AVAILABLE` checks that when the module is imported (the field names
of each class must be those the builders set); when it does not hold, the public builders are
the constructors and the native fast path is off (``tests/syntax/test_fastpath.py`` fails).
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from qexpr.operators import Operator
from qexpr.syntax import ast
from qexpr.syntax.tokens import Token

#: The fields each builder sets, per class (in any order): checked against ``dataclasses``.
_BUILT_FIELDS: dict[type, tuple[str, ...]] = {
    ast.String: ("value", "start", "end"),
    ast.Number: ("value", "start", "end"),
    ast.Boolean: ("value", "start", "end"),
    ast.Null: ("start", "end"),
    ast.Now: ("start", "end"),
    ast.Duration: ("amount", "unit", "start", "end"),
    ast.Shift: ("sign", "duration", "start", "end"),
    ast.TimeExpr: ("base", "shifts", "instant", "start", "end"),
    ast.Path: ("segments", "segment_spans", "start", "end"),
    ast.Comparison: ("path", "op", "operand", "start", "end"),
    ast.InList: ("path", "values", "negated", "start", "end"),
    ast.Between: ("path", "low", "high", "negated", "start", "end"),
    ast.PatternMatch: ("path", "op", "pattern", "negated", "start", "end"),
    ast.IsNull: ("path", "negated", "start", "end"),
    ast.Quantified: ("kind", "path", "condition", "start", "end"),
    ast.Not: ("operand", "start", "end"),
    ast.And: ("operands", "start", "end"),
    ast.Or: ("operands", "start", "end"),
    ast.MatchAll: ("start", "end"),
    Token: ("kind", "text", "start", "end"),
}


def _plain(cls: type) -> bool:
    """Whether ``cls`` is a frozen slots dataclass whose fields are exactly the built ones."""
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__"):
        return False
    names = {f.name for f in dataclasses.fields(cls)}
    if names != set(_BUILT_FIELDS[cls]):
        return False
    return all(isinstance(_descriptor(cls, name), types.MemberDescriptorType) for name in names)


def _descriptor(cls: type, name: str) -> object:
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


#: Whether the builders make nodes identical to the constructors' (see the module docstring).
AVAILABLE: bool = all(_plain(cls) for cls in _BUILT_FIELDS)


def _setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    descriptor = _descriptor(cls, name)
    if not isinstance(descriptor, types.MemberDescriptorType):  # pragma: no cover - see AVAILABLE
        def refuse(node: Any, value: Any) -> None:
            raise TypeError(f"{cls.__name__}.{name} is not a slot")

        return refuse
    setter: Callable[[Any, Any], None] = descriptor.__set__
    return setter


_new = object.__new__
set_start = _setter(ast.Node, "start")
set_end = _setter(ast.Node, "end")
set_value_str = _setter(ast.String, "value")
set_value_num = _setter(ast.Number, "value")
set_value_bool = _setter(ast.Boolean, "value")
set_amount = _setter(ast.Duration, "amount")
set_unit = _setter(ast.Duration, "unit")
set_sign = _setter(ast.Shift, "sign")
set_duration = _setter(ast.Shift, "duration")
set_base = _setter(ast.TimeExpr, "base")
set_shifts = _setter(ast.TimeExpr, "shifts")
set_instant = _setter(ast.TimeExpr, "instant")
set_segments = _setter(ast.Path, "segments")
set_segment_spans = _setter(ast.Path, "segment_spans")
set_cmp_path = _setter(ast.Comparison, "path")
set_cmp_op = _setter(ast.Comparison, "op")
set_cmp_operand = _setter(ast.Comparison, "operand")
set_in_path = _setter(ast.InList, "path")
set_in_values = _setter(ast.InList, "values")
set_in_negated = _setter(ast.InList, "negated")
set_bt_path = _setter(ast.Between, "path")
set_bt_low = _setter(ast.Between, "low")
set_bt_high = _setter(ast.Between, "high")
set_bt_negated = _setter(ast.Between, "negated")
set_pm_path = _setter(ast.PatternMatch, "path")
set_pm_op = _setter(ast.PatternMatch, "op")
set_pm_pattern = _setter(ast.PatternMatch, "pattern")
set_pm_negated = _setter(ast.PatternMatch, "negated")
set_isn_path = _setter(ast.IsNull, "path")
set_isn_negated = _setter(ast.IsNull, "negated")
set_q_kind = _setter(ast.Quantified, "kind")
set_q_path = _setter(ast.Quantified, "path")
set_q_condition = _setter(ast.Quantified, "condition")
set_not_operand = _setter(ast.Not, "operand")
set_and_operands = _setter(ast.And, "operands")
set_or_operands = _setter(ast.Or, "operands")
set_token_kind = _setter(Token, "kind")
set_token_text = _setter(Token, "text")
set_token_start = _setter(Token, "start")
set_token_end = _setter(Token, "end")

_String = ast.String
_Number = ast.Number
_Boolean = ast.Boolean
_Null = ast.Null
_Now = ast.Now
_Duration = ast.Duration
_Shift = ast.Shift
_TimeExpr = ast.TimeExpr
_Path = ast.Path
_Comparison = ast.Comparison
_InList = ast.InList
_Between = ast.Between
_PatternMatch = ast.PatternMatch
_IsNull = ast.IsNull
_Quantified = ast.Quantified
_Not = ast.Not
_And = ast.And
_Or = ast.Or
_MatchAll = ast.MatchAll


def _fast_string(value: str, start: int, end: int) -> ast.String:
    node = _new(_String)
    set_value_str(node, value)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_number(value: Decimal, start: int, end: int) -> ast.Number:
    node = _new(_Number)
    set_value_num(node, value)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_boolean(value: bool, start: int, end: int) -> ast.Boolean:
    node = _new(_Boolean)
    set_value_bool(node, value)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_null(start: int, end: int) -> ast.Null:
    node = _new(_Null)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_now(start: int, end: int) -> ast.Now:
    node = _new(_Now)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_duration(amount: int, unit: ast.DurationUnit, start: int, end: int) -> ast.Duration:
    node = _new(_Duration)
    set_amount(node, amount)
    set_unit(node, unit)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_shift(sign: int, duration: ast.Duration, start: int, end: int) -> ast.Shift:
    node = _new(_Shift)
    set_sign(node, sign)
    set_duration(node, duration)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_time_expr(
    base: ast.Now | ast.String, shifts: tuple[ast.Shift, ...], start: int, end: int
) -> ast.TimeExpr:
    node = _new(_TimeExpr)
    set_base(node, base)
    set_shifts(node, shifts)
    set_instant(node, None)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_path(
    segments: tuple[str, ...], spans: tuple[tuple[int, int], ...], start: int, end: int
) -> ast.Path:
    node = _new(_Path)
    set_segments(node, segments)
    set_segment_spans(node, spans)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_comparison(
    path: ast.Path, op: Operator, operand: ast.Value | ast.Path, start: int, end: int
) -> ast.Comparison:
    node = _new(_Comparison)
    set_cmp_path(node, path)
    set_cmp_op(node, op)
    set_cmp_operand(node, operand)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_in_list(
    path: ast.Path, values: tuple[ast.Value, ...], negated: bool, start: int, end: int
) -> ast.InList:
    node = _new(_InList)
    set_in_path(node, path)
    set_in_values(node, values)
    set_in_negated(node, negated)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_between(
    path: ast.Path, low: ast.Value, high: ast.Value, negated: bool, start: int, end: int
) -> ast.Between:
    node = _new(_Between)
    set_bt_path(node, path)
    set_bt_low(node, low)
    set_bt_high(node, high)
    set_bt_negated(node, negated)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_pattern_match(
    path: ast.Path, op: Operator, pattern: ast.String, negated: bool, start: int, end: int
) -> ast.PatternMatch:
    node = _new(_PatternMatch)
    set_pm_path(node, path)
    set_pm_op(node, op)
    set_pm_pattern(node, pattern)
    set_pm_negated(node, negated)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_is_null(path: ast.Path, negated: bool, start: int, end: int) -> ast.IsNull:
    node = _new(_IsNull)
    set_isn_path(node, path)
    set_isn_negated(node, negated)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_quantified(
    kind: ast.QuantifierKind, path: ast.Path, condition: ast.Expr, start: int, end: int
) -> ast.Quantified:
    node = _new(_Quantified)
    set_q_kind(node, kind)
    set_q_path(node, path)
    set_q_condition(node, condition)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_negation(operand: ast.Expr, start: int, end: int) -> ast.Not:
    node = _new(_Not)
    set_not_operand(node, operand)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_match_all(start: int, end: int) -> ast.MatchAll:
    node = _new(_MatchAll)
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_token(kind: Any, text: str, start: int, end: int) -> Token:
    node = _new(Token)
    set_token_kind(node, kind)
    set_token_text(node, text)
    set_token_start(node, start)
    set_token_end(node, end)
    return node


def _fast_conjoin(operands: list[ast.Expr], start: int, end: int) -> ast.Expr:
    """:func:`qexpr.syntax.ast.conjoin` for two or more parsed operands (never a MatchAll)."""
    flat: list[ast.Expr] = []
    for operand in operands:
        if type(operand) is _And:
            flat.extend(operand.operands)
        else:
            flat.append(operand)
    node = _new(_And)
    set_and_operands(node, tuple(flat))
    set_start(node, start)
    set_end(node, end)
    return node


def _fast_disjoin(operands: list[ast.Expr], start: int, end: int) -> ast.Expr:
    """:func:`qexpr.syntax.ast.disjoin` for two or more parsed operands."""
    flat: list[ast.Expr] = []
    for operand in operands:
        if type(operand) is _Or:
            flat.extend(operand.operands)
        else:
            flat.append(operand)
    node = _new(_Or)
    set_or_operands(node, tuple(flat))
    set_start(node, start)
    set_end(node, end)
    return node


# --------------------------------------------------------------------------- the builders

def _constructing(cls: Callable[..., Any]) -> Callable[..., Any]:
    """A builder calling the constructor (positional fields, then start and end)."""

    def build(*args: Any) -> Any:
        return cls(*args[:-2], start=args[-2], end=args[-1])

    return build


def _slow_conjoin(operands: list[ast.Expr], start: int, end: int) -> ast.Expr:
    return ast.conjoin(operands, start=start, end=end)


def _slow_disjoin(operands: list[ast.Expr], start: int, end: int) -> ast.Expr:
    return ast.disjoin(operands, start=start, end=end)


#: The builders (positional fields, then ``start`` and ``end``): the fast ones above when
#: :data:`AVAILABLE`, else the classes' constructors.
if AVAILABLE:
    string = _fast_string
    number = _fast_number
    boolean = _fast_boolean
    null = _fast_null
    now = _fast_now
    duration = _fast_duration
    shift = _fast_shift
    time_expr = _fast_time_expr
    path = _fast_path
    comparison = _fast_comparison
    in_list = _fast_in_list
    between = _fast_between
    pattern_match = _fast_pattern_match
    is_null = _fast_is_null
    quantified = _fast_quantified
    negation = _fast_negation
    match_all = _fast_match_all
    conjoin = _fast_conjoin
    disjoin = _fast_disjoin
    token = _fast_token
else:  # pragma: no cover - only if the AST classes stop being plain (see AVAILABLE)
    string = _constructing(ast.String)
    number = _constructing(ast.Number)
    boolean = _constructing(ast.Boolean)
    null = _constructing(ast.Null)
    now = _constructing(ast.Now)
    duration = _constructing(ast.Duration)
    shift = _constructing(ast.Shift)
    time_expr = _constructing(ast.TimeExpr)
    path = _constructing(ast.Path)
    comparison = _constructing(ast.Comparison)
    in_list = _constructing(ast.InList)
    between = _constructing(ast.Between)
    pattern_match = _constructing(ast.PatternMatch)
    is_null = _constructing(ast.IsNull)
    quantified = _constructing(ast.Quantified)
    negation = _constructing(ast.Not)
    match_all = _constructing(ast.MatchAll)
    conjoin = _slow_conjoin
    disjoin = _slow_disjoin
    token = _constructing(Token)
