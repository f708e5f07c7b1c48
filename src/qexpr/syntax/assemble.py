"""AST nodes from the grammar's productions, built alike for the lark and the ANTLR engine.

Both reference engines hand each production's children here in source order and flattened:
common tokens (a literal one carrying its decoded value, see :func:`with_values`) and the nodes
already built for sub-productions. Productions are named as in ``grammar/q.lark``; the ANTLR
engine maps the rules and labels of ``Q.g4`` onto them. So one function per production builds
every node, with the same span, whichever engine parsed the text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from qexpr.operators import Operator
from qexpr.syntax import ast
from qexpr.syntax.engine import LiteralValues
from qexpr.syntax.tokens import COMPARE_OPS, PATTERN_OPS, Token, TokenKind

K = TokenKind

#: The value a literal token stands for when the scanner could not decode it (the scanner's
#: error is reported instead of any AST, but the parse has to go on to find where it stops).
LITERAL_FALLBACK: dict[TokenKind, object] = {
    K.STRING: "",
    K.NUMBER: Decimal(0),
    K.DURATION: (0, ast.DurationUnit.S),
}


def with_values(tokens: Sequence[Token], literals: LiteralValues) -> list[Token]:
    """``tokens``, each literal one carrying its decoded value (``literals[token.start]``)."""
    fallback = LITERAL_FALLBACK
    return [
        Token(token.kind, token.text, token.start, token.end,
              literals.get(token.start, fallback[token.kind]))
        if token.kind in fallback else token
        for token in tokens
    ]


def root(tree: ast.Expr | None, text: str) -> ast.Expr:
    """The query's tree; the empty query (no condition) matches everything."""
    return ast.MatchAll(start=0, end=len(text)) if tree is None else tree


# --------------------------------------------------------------------------- logic


def query(items: Sequence[Any]) -> ast.Expr | None:
    """``query: or_expr?`` (the end-of-input token left out)."""
    return items[0] if items else None


def chain(items: Sequence[Any]) -> ast.Expr:
    """``or_expr`` / ``and_expr``: operands separated by OR or AND tokens."""
    operands: list[ast.Expr] = list(items[0::2])
    if len(operands) == 1:
        return operands[0]
    combine = ast.disjoin if items[1].kind is K.OR else ast.conjoin
    return combine(operands, start=operands[0].start, end=operands[-1].end)


def negation(items: Sequence[Any]) -> ast.Expr:
    """``NOT not_expr`` (or the predicate alone)."""
    if len(items) == 1:
        only: ast.Expr = items[0]
        return only
    not_token, operand = items
    return ast.Not(operand, start=not_token.start, end=operand.end)


def group(items: Sequence[Any]) -> ast.Expr:
    """``( or_expr )``: the inner condition, its span without the parentheses."""
    inner: ast.Expr = items[1]
    return inner


# --------------------------------------------------------------------------- predicates


def bare_path(items: Sequence[Any]) -> ast.Comparison:
    """A path alone is ``path = true``."""
    path: ast.Path = items[0]
    true = ast.Boolean(True, start=path.start, end=path.end)
    return ast.Comparison(path, Operator.EQ, true, start=path.start, end=path.end)


def comparison(items: Sequence[Any]) -> ast.Comparison:
    """``path cmp_op operand``."""
    path, op, operand = items
    return ast.Comparison(path, COMPARE_OPS[op.kind], operand, start=path.start, end=operand.end)


def _negated(items: Sequence[Any]) -> bool:
    """Whether ``path NOT? ...`` has the NOT."""
    return isinstance(items[1], Token) and items[1].kind is K.NOT


def in_list(items: Sequence[Any]) -> ast.InList:
    """``path NOT? IN ( value (, value)* ,? )``."""
    path: ast.Path = items[0]
    values: tuple[ast.Value, ...] = tuple(item for item in items[1:] if not isinstance(item, Token))
    return ast.InList(path, values, _negated(items), start=path.start, end=items[-1].end)


def between(items: Sequence[Any]) -> ast.Between:
    """``path NOT? BETWEEN value AND value``."""
    path: ast.Path = items[0]
    low, high = items[-3], items[-1]
    return ast.Between(path, low, high, _negated(items), start=path.start, end=high.end)


def pattern_match(items: Sequence[Any]) -> ast.PatternMatch:
    """``path NOT? pattern_op STRING``."""
    path: ast.Path = items[0]
    op, token = items[-2], items[-1]
    pattern = ast.String(token.value, start=token.start, end=token.end)
    return ast.PatternMatch(path, PATTERN_OPS[op.kind], pattern, _negated(items),
                            start=path.start, end=token.end)


def is_null(items: Sequence[Any]) -> ast.IsNull:
    """``path IS NOT? NULL``."""
    path: ast.Path = items[0]
    negated = items[2].kind is K.NOT
    return ast.IsNull(path, negated, start=path.start, end=items[-1].end)


def quantifier(items: Sequence[Any]) -> ast.Quantified:
    """``(any | all) ( path , or_expr )``."""
    head, _open, path, _comma, condition, close = items
    kind = ast.QuantifierKind.ANY if head.kind is K.ANY else ast.QuantifierKind.ALL
    return ast.Quantified(kind, path, condition, start=head.start, end=close.end)


# --------------------------------------------------------------------------- values


def value(items: Sequence[Any]) -> ast.Value:
    """A literal value, ``- NUMBER``, or a time expression built already."""
    first = items[0]
    if not isinstance(first, Token):  # a time expression
        built: ast.Value = first
        return built
    kind, start, end, literal = first.kind, first.start, items[-1].end, items[-1].value
    if kind is K.STRING:
        return ast.String(literal, start=start, end=end)
    if kind is K.NUMBER:
        return ast.Number(literal, start=start, end=end)
    if kind is K.MINUS:
        # copy_negate() is exact; unary minus would round to the context's 28 digits.
        return ast.Number(literal.copy_negate(), start=start, end=end)
    if kind is K.TRUE or kind is K.FALSE:
        return ast.Boolean(kind is K.TRUE, start=start, end=end)
    return ast.Null(start=start, end=end)


def time_expr(items: Sequence[Any]) -> ast.TimeExpr:
    """``(now ( ) | STRING) ((+ | -) DURATION)*``, as tokens."""
    head = items[0]
    base: ast.Now | ast.String
    if head.kind is K.NOW:
        base = ast.Now(start=head.start, end=items[2].end)
        rest = items[3:]
    else:
        base = ast.String(head.value, start=head.start, end=head.end)
        rest = items[1:]
    shifts: list[ast.Shift] = []
    for sign, token in zip(rest[0::2], rest[1::2], strict=True):
        amount, unit = token.value
        duration = ast.Duration(amount, unit, start=token.start, end=token.end)
        shifts.append(ast.Shift(1 if sign.kind is K.PLUS else -1, duration, start=sign.start,
                                end=token.end))
    end = shifts[-1].end if shifts else base.end
    return ast.TimeExpr(base, tuple(shifts), start=base.start, end=end)


def path(items: Sequence[Any]) -> ast.Path:
    """``IDENT (. name | [ STRING ])*``, as tokens: names as written, keys decoded."""
    first = items[0]
    segments = [first.text]
    spans = [(first.start, first.end)]
    index = 1
    while index < len(items):
        segment = items[index + 1]  # after DOT: the name; after LBRACKET: the STRING
        segments.append(segment.text if items[index].kind is K.DOT else segment.value)
        spans.append((segment.start, segment.end))
        index += 2 if items[index].kind is K.DOT else 3
    return ast.Path(tuple(segments), tuple(spans), start=first.start, end=items[-1].end)


#: Every production by its name in ``q.lark`` (the lark rule or ``-> alias``).
PRODUCTIONS: dict[str, Callable[[Sequence[Any]], Any]] = {
    "query": query,
    "or_expr": chain,
    "and_expr": chain,
    "negation": negation,
    "group": group,
    "bare_path": bare_path,
    "comparison": comparison,
    "in_list": in_list,
    "between": between,
    "pattern_match": pattern_match,
    "is_null": is_null,
    "quantifier": quantifier,
    "string": value,
    "number": value,
    "negative_number": value,
    "true": value,
    "false": value,
    "null": value,
    "time_expr": time_expr,
    "path": path,
}
