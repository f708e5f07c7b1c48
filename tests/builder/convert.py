"""Rebuild a checked (typed) syntax tree through the builder, and the normal form to compare.

:func:`rebuild` walks a tree as ``qexpr.compile`` returns it and makes the same filter with
builder calls (handles, operators, Python values). :func:`builder_form` rewrites a checked tree
into what the builder writes for it: a duration in its largest exact unit of ``d h m s ms``
(``1w`` -> ``7d``, ``60s`` -> ``1m``, ``0d`` -> ``0s``), and a time expression on a timestamp
string folded into one timestamp literal (Python folds ``datetime - timedelta`` itself).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from qexpr.builder import Condition, RecordHandle, all_, and_, any_, now, or_
from qexpr.builder.condition import as_condition
from qexpr.operators import Operator
from qexpr.quoting import to_duration
from qexpr.syntax import ast
from qexpr.syntax.canonical import format_timestamp


def rebuild(tree: ast.Expr, root: RecordHandle, rng: random.Random) -> Condition:
    """The builder's version of the checked ``tree``; ``rng`` varies the spelling."""
    return _Rebuilder(rng).expr(tree, root)


class _Rebuilder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def handle(self, base: Any, path: ast.Path) -> Any:
        handle = base
        for segment in path.segments:
            if segment.isidentifier() and not segment.startswith("_") and self.rng.random() < .7:
                attribute = getattr(handle, segment)
                if not callable(attribute):  # a json key named like a method: use an item
                    handle = attribute
                    continue
            handle = handle[segment]
        return handle

    def expr(self, node: ast.Expr, base: Any) -> Condition:
        if isinstance(node, ast.MatchAll):
            return and_()
        if isinstance(node, ast.And):
            parts = [self.expr(op, base) for op in node.operands]
            if self.rng.random() < .5:
                return and_(*parts)
            result = parts[0]
            for part in parts[1:]:
                result = result & part
            return result
        if isinstance(node, ast.Or):
            parts = [self.expr(op, base) for op in node.operands]
            if self.rng.random() < .5:
                return or_(*parts)
            result = parts[0]
            for part in parts[1:]:
                result = result | part
            return result
        if isinstance(node, ast.Not):
            return ~self.expr(node.operand, base)
        if isinstance(node, ast.Quantified):
            relation = self.handle(base, node.path)
            quantifier = any_ if node.kind is ast.QuantifierKind.ANY else all_
            if self.rng.random() < .3:
                return quantifier(relation, lambda inner: self.expr(node.condition, inner))
            return quantifier(relation, self.expr(node.condition, relation))
        return self.predicate(node, base)

    def predicate(self, node: ast.Expr, base: Any) -> Condition:
        rng = self.rng
        if isinstance(node, ast.Comparison):
            left = self.handle(base, node.path)
            operand = node.operand
            if isinstance(operand, ast.Path):
                right: Any = self.handle(base, operand)
            elif (isinstance(operand, ast.Boolean) and operand.value
                  and node.op is Operator.EQ and rng.random() < .5):
                return as_condition(left)  # the bare boolean path
            else:
                right = self.value(operand)
            op = node.op
            if op is Operator.EQ:
                return left == right  # type: ignore[no-any-return]
            if op is Operator.NE:
                return left != right  # type: ignore[no-any-return]
            if rng.random() < .5 and not isinstance(operand, ast.Path):
                return _flipped(op, left, right)
            return {
                Operator.LT: lambda: left < right,
                Operator.LE: lambda: left <= right,
                Operator.GT: lambda: left > right,
                Operator.GE: lambda: left >= right,
            }[op]()
        if isinstance(node, ast.InList):
            left = self.handle(base, node.path)
            values = [self.value(v) for v in node.values]
            container = values if rng.random() < .5 else tuple(values)
            return left.not_in(container) if node.negated else left.in_(container)
        if isinstance(node, ast.Between):
            left = self.handle(base, node.path)
            low, high = self.value(node.low), self.value(node.high)
            return left.not_between(low, high) if node.negated else left.between(low, high)
        if isinstance(node, ast.PatternMatch):
            left = self.handle(base, node.path)
            name = node.op.value.lower()
            method = getattr(left, f"not_{name}" if node.negated else name)
            return method(node.pattern.value)  # type: ignore[no-any-return]
        if isinstance(node, ast.IsNull):
            left = self.handle(base, node.path)
            return left.is_not_null() if node.negated else left.is_null()
        raise AssertionError(f"unexpected node {node!r}")

    def value(self, node: ast.Value) -> Any:
        rng = self.rng
        if isinstance(node, ast.String):
            return node.value
        if isinstance(node, ast.Boolean):
            return node.value
        if isinstance(node, ast.Number):
            number = node.value
            choice = rng.random()
            if choice < .3 and number == number.to_integral_value() and abs(number) < 10**30:
                return int(number)
            if choice < .6:
                as_float = float(number)
                if Decimal(repr(as_float)) == number:
                    return as_float
            return number
        if isinstance(node, ast.Uuid):
            return node.value if rng.random() < .5 else str(node.value).upper()
        if isinstance(node, ast.Timestamp):
            return _spelled_instant(node.value, rng)
        if isinstance(node, ast.TimeExpr):
            if isinstance(node.base, ast.Timestamp):
                assert node.instant is not None
                return _spelled_instant(node.instant, rng)
            result = now()
            for shift in node.shifts:
                delta = timedelta(microseconds=shift.duration.microseconds)
                result = result + delta if shift.sign > 0 else result - delta
            return result
        raise AssertionError(f"unexpected value {node!r}")


def _flipped(op: Operator, left: Any, right: Any) -> Condition:
    """``5 < field`` instead of ``field > 5`` (Python reflects it)."""
    return {  # type: ignore[no-any-return]
        Operator.LT: lambda: right > left,
        Operator.LE: lambda: right >= left,
        Operator.GT: lambda: right < left,
        Operator.GE: lambda: right <= left,
    }[op]()


def _spelled_instant(value: datetime, rng: random.Random) -> Any:
    """The instant as an aware datetime in some zone, a date, or RFC 3339 text."""
    choice = rng.random()
    if choice < .2 and value.time() == datetime.min.time():
        return value.date()
    if choice < .4:
        return format_timestamp(value)
    if choice < .7:
        offset = timedelta(minutes=rng.randrange(-14 * 60, 14 * 60))
        try:
            return value.astimezone(timezone(offset))
        except OverflowError:
            return value
    return value.astimezone(UTC)


# --------------------------------------------------------------------------- normal form

def builder_form(node: ast.Expr) -> ast.Expr:
    """``node`` (checked) as the builder writes it (see the module docstring)."""
    return _normal(node)  # type: ignore[no-any-return]


def _normal(node: Any) -> Any:
    if isinstance(node, ast.TimeExpr):
        if isinstance(node.base, ast.Timestamp):
            assert node.instant is not None
            return ast.Timestamp(node.instant)
        shifts = []
        for shift in node.shifts:
            amount, unit = to_duration(timedelta(microseconds=shift.duration.microseconds))
            shifts.append(ast.Shift(shift.sign, ast.Duration(amount, unit)))
        return ast.TimeExpr(node.base, tuple(shifts))
    if isinstance(node, ast.And):
        return ast.And(tuple(_normal(op) for op in node.operands))
    if isinstance(node, ast.Or):
        return ast.Or(tuple(_normal(op) for op in node.operands))
    if isinstance(node, ast.Not):
        return ast.Not(_normal(node.operand))
    if isinstance(node, ast.Quantified):
        return ast.Quantified(node.kind, node.path, _normal(node.condition))
    if isinstance(node, ast.Comparison):
        return ast.Comparison(node.path, node.op, _normal(node.operand))
    if isinstance(node, ast.InList):
        return ast.InList(node.path, tuple(_normal(v) for v in node.values), node.negated)
    if isinstance(node, ast.Between):
        return ast.Between(node.path, _normal(node.low), _normal(node.high), node.negated)
    return node
