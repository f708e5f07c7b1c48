"""The tree-level limits of spec section 6 (predicate count, IN-list size), checked after a
clean parse by every engine."""

from __future__ import annotations

from qexpr.errors import ErrorCode, QError
from qexpr.limits import Limits
from qexpr.syntax import ast


def check_tree_limits(text: str, tree: ast.Expr, limits: Limits) -> None:
    """Enforce the predicate count and IN-list size (the AST is already depth-bounded)."""
    stack: list[ast.Expr] = [tree]
    order: list[ast.Expr] = []
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.And, ast.Or)):
            stack.extend(reversed(node.operands))
            continue
        if isinstance(node, ast.Not):
            stack.append(node.operand)
            continue
        if isinstance(node, ast.MatchAll):
            continue
        order.append(node)
        if isinstance(node, ast.Quantified):
            stack.append(node.condition)
    # ``order`` is in source order (pre-order, left to right).
    for count, node in enumerate(order, start=1):
        if count > limits.max_predicates:
            raise QError(
                ErrorCode.LIMIT_EXCEEDED,
                f"the filter has more than {limits.max_predicates} conditions",
                source=text,
                start=node.start,
                end=node.end,
                hint=f"limit predicates = {limits.max_predicates}",
            )
        if isinstance(node, ast.InList) and len(node.values) > limits.max_in_values:
            extra = node.values[limits.max_in_values]
            raise QError(
                ErrorCode.LIMIT_EXCEEDED,
                f"an IN list may hold at most {limits.max_in_values} values",
                source=text,
                start=extra.start,
                end=extra.end,
                hint=f"limit in_values = {limits.max_in_values}",
            )
