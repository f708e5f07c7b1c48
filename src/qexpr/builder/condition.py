"""Conditions: built filter expressions, combined with ``&`` ``|`` ``~``, printed with ``to_q()``
and checked into a :class:`qexpr.Filter` with ``to_filter(scopes=...)``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, NoReturn

from qexpr.errors import ErrorCode
from qexpr.misuse import QTypeError, invalid
from qexpr.syntax import ast
from qexpr.syntax.canonical import (
    Nesting,
    chain_nesting,
    check_depth,
    nesting,
    not_nesting,
    to_q,
)

if TYPE_CHECKING:
    from qexpr.filter import Filter
    from qexpr.limits import Limits
    from qexpr.schema.model import RecordType, Schema

__all__ = ["Condition", "Conditional", "Frame", "and_", "as_condition", "not_", "or_"]

_BOOL_HINT = (
    "a condition has no truth value: combine conditions with & (and), | (or), ~ (not), "
    "write a range as field.between(low, high), and test it with .to_filter().matches(record)"
)


@dataclass(frozen=True, slots=True)
class Frame:
    """Where paths resolve: the root record, or the records of a to-many relation (the inside
    of ``any_``/``all_``). ``trail`` lists the to-many relations crossed from the root, each as
    its path relative to the frame before it."""

    schema: Schema
    record: RecordType
    trail: tuple[tuple[str, ...], ...] = ()
    root_name: str = field(default="runs", compare=False)

    def inner(self, path: tuple[str, ...], record: RecordType) -> Frame:
        """The frame inside the to-many relation at ``path`` of this frame."""
        return Frame(self.schema, record, (*self.trail, path), self.root_name)

    def display(self, path: tuple[str, ...] = ()) -> str:
        """``runs.node_runs.state_code``: the path from the root, for messages."""
        parts = [self.root_name]
        for hop in self.trail:
            parts.extend(hop)
        parts.extend(path)
        return ".".join(parts)

    @property
    def is_root(self) -> bool:
        """Whether paths here resolve against the root record."""
        return not self.trail


class Conditional:
    """Something usable as a condition by itself (a boolean field, a json sub-path)."""

    __slots__ = ()

    def _condition(self) -> Condition:
        raise NotImplementedError


class Condition(Conditional):
    """A built condition. Combine with ``&``, ``|``, ``~``; print with :meth:`to_q`; check with
    :meth:`to_filter`, which gives the same :class:`qexpr.Filter` ``qexpr.compile`` gives for
    the printed text. ``bool(condition)`` raises: Python's ``and``/``or``/``not`` and chained
    comparisons (``1 < f < 5``) would silently drop a part of it.

    Every condition knows its :attr:`depth`; one nested deeper than any limits allow
    (``qexpr.limits.MAX_SUPPORTED_DEPTH``) is refused when it would be made, with
    :class:`qexpr.QError` ``limit_exceeded``.
    """

    __slots__ = ("_frame", "_nesting", "_tree")

    def __init__(self, tree: ast.Expr, frame: Frame | None, shape: Nesting | None = None) -> None:
        """``shape`` is the tree's nesting when the caller knows it (else it is measured)."""
        if shape is None:
            shape = nesting(tree)
        check_depth(shape.depth)
        self._tree = tree
        self._frame = frame
        self._nesting = shape

    @property
    def depth(self) -> int:
        """The nesting depth of :meth:`to_q`'s text as the parser counts it (parentheses,
        prefix NOT, quantifiers; spec section 6): ``to_filter`` needs ``max_depth`` at least
        this."""
        return self._nesting.depth

    @property
    def tree(self) -> ast.Expr:
        """The syntax tree, with typed literals (``Uuid``, ``Timestamp``, exact numbers)."""
        return self._tree

    @property
    def frame(self) -> Frame | None:
        """Where the condition's paths resolve (None: the empty condition, valid anywhere)."""
        return self._frame

    def _condition(self) -> Condition:
        return self

    # -- combining ---------------------------------------------------------------------------

    def __and__(self, other: object) -> Condition:
        return and_(self, _operand(other, "&"))

    def __rand__(self, other: object) -> Condition:
        return and_(_operand(other, "&"), self)

    def __or__(self, other: object) -> Condition:
        return or_(self, _operand(other, "|"))

    def __ror__(self, other: object) -> Condition:
        return or_(_operand(other, "|"), self)

    def __invert__(self) -> Condition:
        return not_(self)

    def __bool__(self) -> NoReturn:
        raise QTypeError(_BOOL_HINT)

    # -- output ------------------------------------------------------------------------------

    def _require_root(self, what: str) -> None:
        frame = self._frame
        if frame is not None and not frame.is_root:
            where = frame.display()
            raise QTypeError(
                f"this condition is about the records of {where}; {what} only a condition on "
                f"the whole record: wrap it in any_({where}, ...) or all_({where}, ...)"
            )

    def to_q(self) -> str:
        """The canonical q text (``""`` for the empty condition)."""
        self._require_root("to_q() prints")
        return to_q(self._tree)

    def to_filter(
        self,
        scopes: Iterable[str] = (),
        now: datetime | None = None,
        limits: Limits | None = None,
    ) -> Filter:
        """Check the condition against its schema with the caller's ``scopes`` and return the
        :class:`qexpr.Filter` (``now`` fixes the instant ``now()`` folds to). Raises
        :class:`qexpr.QError` as ``qexpr.compile`` would for the printed text, e.g.
        ``forbidden_field`` without a needed scope, or ``limit_exceeded``."""
        from qexpr.filter import from_tree

        self._require_root("to_filter() checks")
        scope_set = frozenset((scopes,)) if isinstance(scopes, str) else frozenset(scopes)
        schema = self._frame.schema if self._frame is not None else None
        return from_tree(self._tree, schema, scope_set, now, limits)

    def __str__(self) -> str:
        return to_q(self._tree)

    def __repr__(self) -> str:
        text = to_q(self._tree)
        if self._frame is not None and not self._frame.is_root:
            return f"Condition({text!r}, within={self._frame.display()!r})"
        return f"Condition({text!r})"

    # -- equality ----------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Condition):
            return self._tree == other._tree and self._frame == other._frame
        from qexpr.filter import Filter

        if isinstance(other, Filter):
            raise QTypeError("compare a Filter with condition.to_filter(scopes=...), not with "
                            "the condition itself")
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._tree, self._frame))


def _operand(value: object, op: str) -> Condition:
    if isinstance(value, Conditional):
        return value._condition()
    raise QTypeError(f"cannot combine a condition with {type(value).__name__} by {op}; both "
                    "sides must be conditions (or boolean fields)")


def as_condition(value: object, what: str = "a condition") -> Condition:
    """``value`` as a condition: a :class:`Condition`, or a boolean field / json sub-path."""
    if isinstance(value, Conditional):
        return value._condition()
    raise QTypeError(f"expected {what}, not {type(value).__name__}")


def _frame_of(conditions: list[Condition], op: str) -> Frame | None:
    frame: Frame | None = None
    for condition in conditions:
        other = condition._frame
        if other is None:
            continue
        if frame is None:
            frame = other
        elif other != frame:
            if other.schema != frame.schema:
                raise QTypeError(f"cannot {op} conditions built from different schemas")
            raise QTypeError(
                f"cannot {op} a condition on {frame.display()} with one on {other.display()}: "
                "inside any_()/all_() only the related record's fields are in reach, and "
                "outside them only the root record's"
            )
    return frame


def _chain(chain: type[ast.And] | type[ast.Or], tree: ast.Expr, operands: list[Condition],
           frame: Frame | None) -> Condition:
    """The condition for ``tree``, the conjunction/disjunction of ``operands``."""
    if isinstance(tree, chain):
        shape = chain_nesting(chain, ((c._tree, c._nesting) for c in operands), flattened=True)
        return Condition(tree, frame, shape)
    for operand in operands:  # one operand left: the tree is that operand's own
        if operand._tree is tree:
            return Condition(tree, frame, operand._nesting)
    return Condition(tree, frame)


def and_(*conditions: object) -> Condition:
    """All of the conditions (``&`` of them); no condition at all matches every record."""
    operands = [as_condition(c, "a condition in and_()") for c in conditions]
    frame = _frame_of(operands, "AND")
    return _chain(ast.And, ast.conjoin([c._tree for c in operands]), operands, frame)


def or_(*conditions: object) -> Condition:
    """Any of the conditions (``|`` of them); at least one is needed (q cannot say "nothing")."""
    operands = [as_condition(c, "a condition in or_()") for c in conditions]
    if not operands:
        raise invalid("or_() needs at least one condition; an empty OR matches nothing, "
                         "which q cannot express", ErrorCode.SYNTAX_ERROR)
    frame = _frame_of(operands, "OR")
    if any(isinstance(c._tree, ast.MatchAll) for c in operands):
        return Condition(ast.MatchAll(), frame)
    return _chain(ast.Or, ast.disjoin([c._tree for c in operands]), operands, frame)


def not_(condition: object) -> Condition:
    """The negation of the condition (``~condition``)."""
    operand = as_condition(condition, "a condition in not_()")
    if isinstance(operand._tree, ast.MatchAll):
        raise invalid("the empty condition matches everything; its negation matches "
                         "nothing, which q cannot express", ErrorCode.SYNTAX_ERROR)
    shape = not_nesting(operand._tree, operand._nesting)
    return Condition(ast.Not(operand._tree), operand._frame, shape)
