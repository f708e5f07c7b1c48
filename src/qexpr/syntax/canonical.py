"""``to_q()``: the one canonical q text of an AST (spec section 8)."""

from __future__ import annotations

from datetime import UTC, datetime

from qexpr.syntax import ast
from qexpr.syntax.literals import encode_string, format_number, is_identifier
from qexpr.syntax.tokens import KEYWORDS
from qexpr.syntax.visitor import NodeVisitor

# Binding strength of each expression kind (higher binds tighter).
_OR, _AND, _NOT, _ATOM = 1, 2, 3, 4


def to_q(node: ast.Node) -> str:
    """Print ``node`` as canonical q text; ``parse(to_q(tree)) == tree`` for parsed trees."""
    return _PRINTER.visit(node)


def format_timestamp(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS[.ffffff]Z`` in UTC."""
    utc = value.astimezone(UTC) if value.tzinfo is not None else value
    text = (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}"
        f"T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}"
    )
    if utc.microsecond:
        text += f".{utc.microsecond:06d}"
    return text + "Z"


def format_path(path: ast.Path) -> str:
    """``a.b["c d"]``: dots for identifier segments, brackets for the rest."""
    first = path.segments[0]
    if not is_identifier(first) or first.lower() in KEYWORDS:
        raise ValueError(f"a path cannot start with {first!r}")
    parts = [first]
    for segment in path.segments[1:]:
        if is_identifier(segment):
            parts.append("." + segment)
        else:
            parts.append("[" + encode_string(segment) + "]")
    return "".join(parts)


def _strength(node: ast.Node) -> int:
    if isinstance(node, ast.Or):
        return _OR
    if isinstance(node, ast.And):
        return _AND
    if isinstance(node, ast.Not):
        return _NOT
    return _ATOM


class CanonicalPrinter(NodeVisitor[str]):
    """Prints nodes; parenthesises a child only when its binding is weaker than needed."""

    def _child(self, node: ast.Node, needed: int) -> str:
        text = self.visit(node)
        return f"({text})" if _strength(node) < needed else text

    # -- logic ---------------------------------------------------------------------------------

    def visit_match_all(self, node: ast.MatchAll) -> str:
        return ""

    def visit_or(self, node: ast.Or) -> str:
        return " OR ".join(self._child(op, _AND) for op in node.operands)

    def visit_and(self, node: ast.And) -> str:
        return " AND ".join(self._child(op, _NOT) for op in node.operands)

    def visit_not(self, node: ast.Not) -> str:
        return "NOT " + self._child(node.operand, _NOT)

    # -- predicates ----------------------------------------------------------------------------

    def visit_comparison(self, node: ast.Comparison) -> str:
        return f"{format_path(node.path)} {node.op} {self.visit(node.operand)}"

    def visit_in_list(self, node: ast.InList) -> str:
        op = "NOT IN" if node.negated else "IN"
        values = ", ".join(self.visit(v) for v in node.values)
        return f"{format_path(node.path)} {op} ({values})"

    def visit_between(self, node: ast.Between) -> str:
        op = "NOT BETWEEN" if node.negated else "BETWEEN"
        low, high = self.visit(node.low), self.visit(node.high)
        return f"{format_path(node.path)} {op} {low} AND {high}"

    def visit_pattern_match(self, node: ast.PatternMatch) -> str:
        op = f"NOT {node.op}" if node.negated else str(node.op)
        return f"{format_path(node.path)} {op} {self.visit(node.pattern)}"

    def visit_is_null(self, node: ast.IsNull) -> str:
        return f"{format_path(node.path)} IS {'NOT NULL' if node.negated else 'NULL'}"

    def visit_quantified(self, node: ast.Quantified) -> str:
        return f"{node.kind}({format_path(node.path)}, {self.visit(node.condition)})"

    # -- values --------------------------------------------------------------------------------

    def visit_path(self, node: ast.Path) -> str:
        return format_path(node)

    def visit_string(self, node: ast.String) -> str:
        return encode_string(node.value)

    def visit_number(self, node: ast.Number) -> str:
        return format_number(node.value)

    def visit_boolean(self, node: ast.Boolean) -> str:
        return "true" if node.value else "false"

    def visit_null(self, node: ast.Null) -> str:
        return "null"

    def visit_now(self, node: ast.Now) -> str:
        return "now()"

    def visit_duration(self, node: ast.Duration) -> str:
        return f"{node.amount}{node.unit}"

    def visit_shift(self, node: ast.Shift) -> str:
        return f"{'+' if node.sign > 0 else '-'} {self.visit(node.duration)}"

    def visit_time_expr(self, node: ast.TimeExpr) -> str:
        parts = [self.visit(node.base)]
        parts.extend(self.visit(shift) for shift in node.shifts)
        return " ".join(parts)

    def visit_uuid(self, node: ast.Uuid) -> str:
        return f'"{node.value}"'

    def visit_timestamp(self, node: ast.Timestamp) -> str:
        return f'"{format_timestamp(node.value)}"'


_PRINTER = CanonicalPrinter()
