"""The abstract syntax tree: immutable nodes whose spans stay out of equality and hashing.

Every node carries ``start``/``end`` (code-point offsets into the q text, ``end`` exclusive).
Two trees compare equal when they mean the same filter text, wherever it was written.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self, TypeAlias, TypeVar, dataclass_transform
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


_N = TypeVar("_N", bound=type)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def _node(cls: _N) -> _N:
    """A frozen slotted dataclass, constructed cheaply.

    The dataclass gives the fields, equality and hashing (spans left out), ``repr`` and
    frozenness (assigning raises ``FrozenInstanceError``). Its own ``__init__`` stores each
    field through ``object.__setattr__``, which made node construction the largest cost of
    parsing; instead a generated ``__new__`` (same signature) fills an instance of a private
    subclass that adds no slots and keeps the default, plain attribute assignment, then makes
    it an instance of the frozen class (``__class__`` assignment between equal layouts) before
    anyone sees it.
    """
    made: Any = dataclass(frozen=True, slots=True, init=False)(cls)
    names = [f.name for f in fields(made)]
    params: list[str] = []
    keyword: list[str] = []
    defaults: dict[str, object] = {}
    for f in fields(made):
        spelled = f.name
        if f.default is not MISSING:
            defaults[f.name] = f.default
            spelled = f"{f.name}=_d[{f.name!r}]"
        (keyword if f.kw_only else params).append(spelled)
    builder = type(f"_{made.__name__}Builder", (made,),
                   {"__slots__": (), "__setattr__": object.__setattr__,
                    "__delattr__": object.__delattr__})
    body = "".join(f"\n    self.{name} = {name}" for name in names)
    signature = ", ".join(["cls", *params, "*", *keyword])
    namespace: dict[str, Any] = {"_new": object.__new__, "_builder": builder, "_d": defaults,
                                 "_made": made}
    ordered = [f.name for f in fields(made) if not f.kw_only]
    ordered += [f.name for f in fields(made) if f.kw_only]
    exec(  # the source is built from the dataclass's field names only
        f"def __new__({signature}):\n    self = _new(_builder){body}"
        "\n    self.__class__ = cls\n    return self"
        f"\ndef make({', '.join(ordered)}):\n    self = _new(_builder){body}"
        "\n    self.__class__ = _made\n    return self",
        namespace,
    )
    made.__new__ = namespace["__new__"]
    made.make = staticmethod(namespace["make"])
    made.__init__ = object.__init__
    made.__reduce__ = lambda self: (_rebuild, (type(self), *(getattr(self, n) for n in names)))
    made._field_names = tuple(names)
    return made  # type: ignore[no-any-return]


def _rebuild(cls: type, *values: object) -> object:
    """Unpickle a node (``__reduce__``): the fields in ``dataclasses.fields`` order."""
    made: Any = cls
    return made(**dict(zip(made._field_names, values, strict=True)))


@dataclass(frozen=True, slots=True)
class Node:
    """Base of every node.

    ``Cls.make(*fields, start, end)`` builds the same node as ``Cls(...)`` from every field
    given positionally (spans last), without the cost of a class call: for parsers.
    """

    if TYPE_CHECKING:

        @classmethod
        def make(cls, *values: Any) -> Self:
            """Set on every node class by ``_node``."""

    start: int = field(default=0, compare=False, hash=False, repr=False, kw_only=True)
    end: int = field(default=0, compare=False, hash=False, repr=False, kw_only=True)


# --------------------------------------------------------------------------- values


@_node
class String(Node):
    """A string literal, decoded."""

    value: str


@_node
class Number(Node):
    """A number literal (a leading ``-`` folded in), exact."""

    value: Decimal


@_node
class Boolean(Node):
    """``true`` or ``false``."""

    value: bool


@_node
class Null(Node):
    """``null`` (only valid where validation says so; see ``null_comparison``)."""


@_node
class Now(Node):
    """``now()``."""


@_node
class Duration(Node):
    """A duration literal such as ``7d``, kept as written."""

    amount: int
    unit: DurationUnit

    @property
    def microseconds(self) -> int:
        """Length of the duration in microseconds."""
        return self.amount * UNIT_MICROSECONDS[self.unit]


@_node
class Shift(Node):
    """``+ duration`` or ``- duration`` inside a time expression."""

    sign: int  # +1 or -1
    duration: Duration


@_node
class Uuid(Node):
    """A UUID literal, produced by validation from a string against a uuid field."""

    value: UUID


@_node
class Timestamp(Node):
    """A timestamp literal (timezone-aware, UTC), produced by validation from a string."""

    value: datetime


@_node
class TimeExpr(Node):
    """``now()`` or a timestamp string shifted by durations: ``now() - 7d``.

    ``instant`` is filled in by validation (the folded value) and stays out of equality.
    """

    base: Now | String | Timestamp
    shifts: tuple[Shift, ...] = ()
    instant: datetime | None = field(default=None, compare=False, hash=False, repr=False)


Value: TypeAlias = String | Number | Boolean | Null | TimeExpr | Uuid | Timestamp


@_node
class Path(Node):
    """A field path: ``model.slug``, ``metadata["team-id"]``. Segments are as written.

    ``segment_spans`` gives each segment's (start, end) and stays out of equality.
    """

    segments: tuple[str, ...]
    segment_spans: tuple[tuple[int, int], ...] = field(
        default=(), compare=False, hash=False, repr=False
    )


# --------------------------------------------------------------------------- predicates


@_node
class Comparison(Node):
    """``path op value`` or ``path op path`` (field-to-field). A bare path is ``path = true``."""

    path: Path
    op: Operator  # a comparison operator
    operand: Value | Path


@_node
class InList(Node):
    """``path [NOT] IN (v1, v2, ...)``."""

    path: Path
    values: tuple[Value, ...]
    negated: bool = False


@_node
class Between(Node):
    """``path [NOT] BETWEEN low AND high`` (inclusive)."""

    path: Path
    low: Value
    high: Value
    negated: bool = False


@_node
class PatternMatch(Node):
    """``path [NOT] LIKE|ILIKE|CONTAINS|STARTS_WITH|ENDS_WITH "text"``."""

    path: Path
    op: Operator  # a pattern operator
    pattern: String
    negated: bool = False


@_node
class IsNull(Node):
    """``path IS [NOT] NULL``."""

    path: Path
    negated: bool = False


@_node
class Quantified(Node):
    """``any(relation, condition)`` or ``all(relation, condition)``."""

    kind: QuantifierKind
    path: Path
    condition: Expr


@_node
class Not(Node):
    """``NOT operand``."""

    operand: Expr


@_node
class And(Node):
    """``a AND b AND ...`` (n-ary, at least two operands, none of them an ``And``)."""

    operands: tuple[Expr, ...]


@_node
class Or(Node):
    """``a OR b OR ...`` (n-ary, at least two operands, none of them an ``Or``)."""

    operands: tuple[Expr, ...]


@_node
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
    return And.make(tuple(flat), start, end)


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
    return Or.make(tuple(flat), start, end)
