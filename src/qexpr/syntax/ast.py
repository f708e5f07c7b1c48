"""The abstract syntax tree: immutable nodes whose spans stay out of equality and hashing.

Every node carries ``start``/``end`` (code-point offsets into the q text, ``end`` exclusive).
Two trees compare equal when they mean the same filter text, wherever it was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TypeAlias
from uuid import UUID

from qexpr.operators import Operator


class QuantifierKind(StrEnum):
    """The two quantifiers over to-many relations."""

    ANY = "any"
    ALL = "all"


class DurationUnit(StrEnum):
    """Units of a duration literal; values are the unit's length in microseconds."""

    MS = "ms"
    S = "s"
    M = "m"
    H = "h"
    D = "d"
    W = "w"


UNIT_MICROSECONDS: dict[DurationUnit, int] = {
    DurationUnit.MS: 1_000,
    DurationUnit.S: 1_000_000,
    DurationUnit.M: 60_000_000,
    DurationUnit.H: 3_600_000_000,
    DurationUnit.D: 86_400_000_000,
    DurationUnit.W: 7 * 86_400_000_000,
}


@dataclass(frozen=True, slots=True)
class Node:
    """Base of every node."""

    start: int = field(default=0, compare=False, hash=False, repr=False, kw_only=True)
    end: int = field(default=0, compare=False, hash=False, repr=False, kw_only=True)


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class String(Node):
    """A string literal, decoded."""

    value: str


@dataclass(frozen=True, slots=True)
class Number(Node):
    """A number literal (a leading ``-`` folded in), exact."""

    value: Decimal


@dataclass(frozen=True, slots=True)
class Boolean(Node):
    """``true`` or ``false``."""

    value: bool


@dataclass(frozen=True, slots=True)
class Null(Node):
    """``null`` (only valid where validation says so; see ``null_comparison``)."""


@dataclass(frozen=True, slots=True)
class Now(Node):
    """``now()``."""


@dataclass(frozen=True, slots=True)
class Duration(Node):
    """A duration literal such as ``7d``, kept as written."""

    amount: int
    unit: DurationUnit

    @property
    def microseconds(self) -> int:
        """Length of the duration in microseconds."""
        return self.amount * UNIT_MICROSECONDS[self.unit]


@dataclass(frozen=True, slots=True)
class Shift(Node):
    """``+ duration`` or ``- duration`` inside a time expression."""

    sign: int  # +1 or -1
    duration: Duration


@dataclass(frozen=True, slots=True)
class Uuid(Node):
    """A UUID literal, produced by validation from a string against a uuid field."""

    value: UUID


@dataclass(frozen=True, slots=True)
class Timestamp(Node):
    """A timestamp literal (timezone-aware, UTC), produced by validation from a string."""

    value: datetime


@dataclass(frozen=True, slots=True)
class TimeExpr(Node):
    """``now()`` or a timestamp string shifted by durations: ``now() - 7d``.

    ``instant`` is filled in by validation (the folded value) and stays out of equality.
    """

    base: Now | String | Timestamp
    shifts: tuple[Shift, ...] = ()
    instant: datetime | None = field(default=None, compare=False, hash=False, repr=False)


Value: TypeAlias = String | Number | Boolean | Null | TimeExpr | Uuid | Timestamp


@dataclass(frozen=True, slots=True)
class Path(Node):
    """A field path: ``model.slug``, ``metadata["team-id"]``. Segments are as written.

    ``segment_spans`` gives each segment's (start, end) and stays out of equality.
    """

    segments: tuple[str, ...]
    segment_spans: tuple[tuple[int, int], ...] = field(
        default=(), compare=False, hash=False, repr=False
    )

    @property
    def dotted(self) -> str:
        """The path joined with dots, for messages."""
        return ".".join(self.segments)


# --------------------------------------------------------------------------- predicates


@dataclass(frozen=True, slots=True)
class Comparison(Node):
    """``path op value`` or ``path op path`` (field-to-field). A bare path is ``path = true``."""

    path: Path
    op: Operator  # a comparison operator
    operand: Value | Path


@dataclass(frozen=True, slots=True)
class InList(Node):
    """``path [NOT] IN (v1, v2, ...)``."""

    path: Path
    values: tuple[Value, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Between(Node):
    """``path [NOT] BETWEEN low AND high`` (inclusive)."""

    path: Path
    low: Value
    high: Value
    negated: bool = False


@dataclass(frozen=True, slots=True)
class PatternMatch(Node):
    """``path [NOT] LIKE|ILIKE|CONTAINS|STARTS_WITH|ENDS_WITH "text"``."""

    path: Path
    op: Operator  # a pattern operator
    pattern: String
    negated: bool = False


@dataclass(frozen=True, slots=True)
class IsNull(Node):
    """``path IS [NOT] NULL``."""

    path: Path
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Quantified(Node):
    """``any(relation, condition)`` or ``all(relation, condition)``."""

    kind: QuantifierKind
    path: Path
    condition: Expr


@dataclass(frozen=True, slots=True)
class Not(Node):
    """``NOT operand``."""

    operand: Expr


@dataclass(frozen=True, slots=True)
class And(Node):
    """``a AND b AND ...`` (n-ary, at least two operands, none of them an ``And``)."""

    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or(Node):
    """``a OR b OR ...`` (n-ary, at least two operands, none of them an ``Or``)."""

    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class MatchAll(Node):
    """The empty filter: matches every record."""


Predicate: TypeAlias = Comparison | InList | Between | PatternMatch | IsNull | Quantified
Expr: TypeAlias = Predicate | Not | And | Or | MatchAll

PREDICATE_TYPES = (Comparison, InList, Between, PatternMatch, IsNull, Quantified)


def conjoin(operands: tuple[Expr, ...] | list[Expr], *, start: int = 0, end: int = 0) -> Expr:
    """AND the operands together, flattening nested ``And`` nodes (one operand: itself)."""
    flat: list[Expr] = []
    for op in operands:
        if isinstance(op, And):
            flat.extend(op.operands)
        elif not isinstance(op, MatchAll):
            flat.append(op)
    if not flat:
        return MatchAll(start=start, end=end)
    if len(flat) == 1:
        return flat[0]
    return And(tuple(flat), start=start, end=end)


def disjoin(operands: tuple[Expr, ...] | list[Expr], *, start: int = 0, end: int = 0) -> Expr:
    """OR the operands together, flattening nested ``Or`` nodes (one operand: itself)."""
    flat: list[Expr] = []
    for op in operands:
        if isinstance(op, Or):
            flat.extend(op.operands)
        else:
            flat.append(op)
    if len(flat) == 1:
        return flat[0]
    return Or(tuple(flat), start=start, end=end)
