"""``to_q()``: the one canonical q text of an AST (spec section 8), and how deep that text nests.

The nesting depth of spec section 6 is counted on the tokens: open parentheses (groups,
quantifiers, IN lists, ``now()``) plus the prefix NOTs still pending (a NOT stays pending up to
the next AND, OR or comma outside parentheses, BETWEEN's AND included). :class:`Nesting`
computes that count for the canonical text of a tree from its parts, so the builder knows the
depth of every condition it makes, and ``to_q`` measures any tree (iteratively) before it
recurses into it: a tree deeper than any stage supports is a ``limit_exceeded`` error, never a
``RecursionError``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from qexpr.errors import ErrorCode, QError
from qexpr.limits import MAX_SUPPORTED_DEPTH
from qexpr.syntax import ast
from qexpr.syntax.literals import encode_string, format_number, is_identifier
from qexpr.syntax.tokens import KEYWORDS
from qexpr.syntax.visitor import NodeVisitor

# Binding strength of each expression kind (higher binds tighter).
_OR, _AND, _NOT, _ATOM = 1, 2, 3, 4


def to_q(node: ast.Node) -> str:
    """Print ``node`` as canonical q text; ``parse(to_q(tree)) == tree`` for parsed trees.

    Raises :class:`qexpr.QError` ``limit_exceeded`` for a tree whose text would nest deeper
    than ``qexpr.limits.MAX_SUPPORTED_DEPTH`` (no limits allow compiling it)."""
    check_depth(nesting(node).depth)
    return unchecked_q(node)


@dataclass(frozen=True, slots=True)
class Nesting:
    """How deep the canonical text of a node nests, as the parser counts it.

    With ``pending`` prefix NOTs written just before the text, the count reaches
    ``max(pending + lead, rest)``: the NOTs stay pending over the ``lead`` part and are released
    before the ``rest`` (only BETWEEN's AND releases them inside one predicate). ``depth`` is
    the count of the text on its own.
    """

    lead: int = 0
    rest: int = 0

    @property
    def depth(self) -> int:
        """The nesting depth of the text by itself."""
        return max(self.lead, self.rest)


def check_depth(depth: int) -> None:
    """Raise ``limit_exceeded`` when ``depth`` is beyond what any stage can process."""
    if depth > MAX_SUPPORTED_DEPTH:
        raise QError(
            ErrorCode.LIMIT_EXCEEDED,
            f"the condition nests {depth} levels deep (parentheses, NOT and quantifiers); "
            f"qexpr processes at most {MAX_SUPPORTED_DEPTH} (nesting depth)",
            hint="flatten it: a & b & c needs no nesting, and ~~x is x",
        )


def _opens(value: ast.Node) -> int:
    """Parentheses a value opens: ``now()`` has one."""
    return 1 if isinstance(value, ast.TimeExpr) and isinstance(value.base, ast.Now) else 0


_FLAT, _ONE, _TWO = Nesting(), Nesting(1), Nesting(2)


def predicate_nesting(node: ast.Node) -> Nesting:
    """The nesting of a predicate without sub-conditions (``Quantified`` aside)."""
    if isinstance(node, ast.Comparison):
        return _ONE if _opens(node.operand) else _FLAT
    if isinstance(node, ast.InList):
        return _TWO if any(_opens(v) for v in node.values) else _ONE
    if isinstance(node, ast.Between):
        return Nesting(_opens(node.low), _opens(node.high))
    return _FLAT


def not_nesting(operand: ast.Node, inner: Nesting) -> Nesting:
    """The nesting of ``NOT operand``, given the operand's."""
    if _strength(operand) < _NOT:  # NOT (a AND b): the NOT is pending over the parenthesis
        return Nesting(2 + inner.depth)
    return Nesting(inner.lead + 1, inner.rest)


def quantified_nesting(inner: Nesting) -> Nesting:
    """The nesting of ``any(path, condition)``, given the condition's."""
    return Nesting(1 + inner.depth)


def chain_nesting(chain: type[ast.And] | type[ast.Or],
                  operands: Iterable[tuple[ast.Node, Nesting]], *,
                  flattened: bool = False) -> Nesting:
    """The nesting of an AND/OR chain of ``operands`` (node, its nesting); ``flattened``:
    operands of the chain's own kind are spliced in (as ``ast.conjoin``/``disjoin`` do)
    rather than parenthesised. A chain always starts where no NOT is pending."""
    needed = _NOT if chain is ast.And else _AND
    depth = 0
    for node, inner in operands:
        grouped = _strength(node) < needed and not (flattened and isinstance(node, chain))
        depth = max(depth, inner.depth + 1 if grouped else inner.depth)
    return Nesting(depth)


_LOGIC = (ast.And, ast.Or, ast.Not, ast.Quantified)


def _sub_conditions(node: ast.Node) -> tuple[ast.Node, ...]:
    if isinstance(node, (ast.And, ast.Or)):
        return tuple(node.operands)
    if isinstance(node, ast.Not):
        return (node.operand,)
    if isinstance(node, ast.Quantified):
        return (node.condition,)
    return ()


def nesting(node: ast.Node) -> Nesting:
    """The nesting of ``to_q(node)``, measured without recursion (for a tree of any depth)."""
    done: list[Nesting] = []
    todo: list[tuple[ast.Node, bool]] = [(node, False)]
    while todo:
        current, ready = todo.pop()
        parts = _sub_conditions(current)
        if not ready:
            todo.append((current, True))
            for part in reversed(parts):
                if isinstance(part, _LOGIC):
                    todo.append((part, False))
                else:  # a predicate: its nesting at once, in order
                    todo.append((part, True))
        elif not parts:
            done.append(predicate_nesting(current))
        else:
            inner = done[len(done) - len(parts):]
            del done[len(done) - len(parts):]
            if isinstance(current, ast.Not):
                done.append(not_nesting(current.operand, inner[0]))
            elif isinstance(current, ast.Quantified):
                done.append(quantified_nesting(inner[0]))
            else:
                chain = ast.And if isinstance(current, ast.And) else ast.Or
                done.append(chain_nesting(chain, zip(parts, inner, strict=True)))
    return done[0]


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


def unchecked_q(node: ast.Node) -> str:
    """The canonical text of ``node`` without :func:`to_q`'s depth check, for a tool that must
    see the text of a tree no limit admits (the parser refuses it). AND, OR, NOT and
    quantifiers are laid out with an explicit stack (so no depth of nesting recurses),
    predicates and values by :class:`CanonicalPrinter`."""
    out: list[str] = []
    todo: list[ast.Node | str] = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        pieces: list[ast.Node | str]
        if isinstance(item, (ast.And, ast.Or)):
            separator, needed = (" AND ", _NOT) if isinstance(item, ast.And) else (" OR ", _AND)
            pieces = []
            for index, operand in enumerate(item.operands):
                if index:
                    pieces.append(separator)
                pieces.extend(_wrapped(operand, needed))
        elif isinstance(item, ast.Not):
            pieces = ["NOT ", *_wrapped(item.operand, _NOT)]
        elif isinstance(item, ast.Quantified):
            pieces = [f"{item.kind}({format_path(item.path)}, ", item.condition, ")"]
        else:
            out.append(_PRINTER.visit(item))
            continue
        todo.extend(reversed(pieces))
    return "".join(out)


def _wrapped(node: ast.Node, needed: int) -> tuple[ast.Node | str, ...]:
    """``node`` in parentheses when it binds more weakly than ``needed``."""
    return ("(", node, ")") if _strength(node) < needed else (node,)


class CanonicalPrinter(NodeVisitor[str]):
    """Prints predicates and values (logic nodes go to the iterative layout of ``to_q``)."""

    # -- logic ---------------------------------------------------------------------------------

    def visit_match_all(self, node: ast.MatchAll) -> str:
        return ""

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
