"""The typed plan: what validation hands to every backend (cel-go's "checked AST").

A plan node carries everything a backend needs and nothing it must look up again: the field a
path reaches (its record type, the to-one relations crossed with their target records, the
field with its type and storage column), literal values in one exact native form, the JSON
kind a sub-path is read as, integer bounds, quantifiers with their relation chain, and time
expressions already folded to an instant. Backends print a plan; they never see a schema,
scopes or q text, and never resolve a name.

Native value forms: ``str`` (string), ``UUID`` (uuid), ``Decimal`` (integer, decimal and float
fields, and JSON numbers: exact as written), ``bool`` (boolean), an aware UTC ``datetime``
(timestamp). Nodes are frozen and hashable (field references by identity, see :class:`FieldRef`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeAlias

from qexpr.operators import Operator
from qexpr.schema.model import Field, FieldType, RecordType, Relation

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


class JsonKind(StrEnum):
    """What a JSON sub-path is read as: the kind of the literal it is compared with."""

    STRING = "string"
    NUMBER = "number"
    BOOLEAN = "boolean"


class Quantifier(StrEnum):
    """The two quantifiers over to-many relations."""

    ANY = "any"
    ALL = "all"


@dataclass(frozen=True, slots=True, eq=False)
class Hop:
    """One relation crossed: from ``source`` records to ``target`` records."""

    relation: Relation
    source: RecordType
    target: RecordType

    @property
    def local_column(self) -> str:
        """Storage column of the join key on the source side."""
        return self.source.column_of(self.relation.local_key)

    @property
    def remote_column(self) -> str:
        """Storage column of the join key on the target side."""
        return self.target.column_of(self.relation.remote_key)


@dataclass(frozen=True, slots=True, eq=False)
class FieldRef:
    """A resolved path: from ``record``, across the to-one ``hops``, to ``field``; below a
    json field, ``json_keys`` name the object keys of a sub-path.

    Compared and hashed by identity: resolution is memoised, so one path in one schema and
    scope set is one object, and hashing it never walks the schema.

    ``field`` is None only for a path that ends at a relation (the last hop); plan
    predicates always hold a field.
    """

    record: RecordType
    hops: tuple[Hop, ...]
    field: Field | None
    json_keys: tuple[str, ...] = ()

    @property
    def relation(self) -> Relation | None:
        """The relation the path ends at, if it ends at one."""
        return self.hops[-1].relation if self.field is None and self.hops else None

    @property
    def owner(self) -> RecordType:
        """The record type the field belongs to (after the hops)."""
        return self.hops[-1].target if self.hops else self.record

    @property
    def is_json_path(self) -> bool:
        """A sub-path inside a json field (``metadata.tier``)."""
        return bool(self.json_keys)

    @property
    def type(self) -> FieldType | None:
        """The field's type (None for a relation)."""
        return self.field.type if self.field is not None else None

    @property
    def column(self) -> str:
        """The field's storage column."""
        assert self.field is not None, "plan predicates always reach a field"
        return self.field.column

    @property
    def name(self) -> str:
        """The field's name in API records."""
        assert self.field is not None, "plan predicates always reach a field"
        return self.field.name


IntTest: TypeAlias = tuple[Operator, int] | bool
"""An integer comparison ``(operator, int64)``, or True/False: always/never (for non-null)."""


def _upper(bound: int) -> IntTest:
    if bound < INT64_MIN:
        return False
    return True if bound >= INT64_MAX else (Operator.LE, bound)


def _lower(bound: int) -> IntTest:
    if bound > INT64_MAX:
        return False
    return True if bound <= INT64_MIN else (Operator.GE, bound)


def int_test(op: Operator, value: Decimal) -> IntTest:
    """``x op value`` for a 64-bit integer x, as an exact integer comparison."""
    if not value.is_finite():
        raise ValueError("number literals are finite")
    floor, ceil = math.floor(value), math.ceil(value)
    exact = floor == ceil and INT64_MIN <= floor <= INT64_MAX
    if op is Operator.EQ:
        return (Operator.EQ, floor) if exact else False
    if op is Operator.NE:
        return (Operator.NE, floor) if exact else True
    if op is Operator.LT:
        return _upper(ceil - 1)
    if op is Operator.LE:
        return _upper(floor)
    if op is Operator.GT:
        return _lower(floor + 1)
    if op is Operator.GE:
        return _lower(ceil)
    raise ValueError(f"{op} is not a comparison operator")


def int_range(low: Decimal, high: Decimal) -> tuple[int, int] | None:
    """The int64 bounds of ``x BETWEEN low AND high``, or None when no int64 lies inside."""
    lo, hi = math.ceil(low), math.floor(high)
    if lo > INT64_MAX or hi < INT64_MIN or lo > hi:
        return None
    return max(lo, INT64_MIN), min(hi, INT64_MAX)


def int_members(values: tuple[Any, ...]) -> tuple[int, ...]:
    """The distinct int64 values among number literals (others can never be equal)."""
    members: dict[int, None] = {}
    for value in values:
        test = int_test(Operator.EQ, value)
        if test is not False and test is not True:
            members[test[1]] = None
    return tuple(members)


# --------------------------------------------------------------------------- nodes


@dataclass(frozen=True, slots=True)
class MatchAll:
    """The empty filter: every record."""


@dataclass(frozen=True, slots=True)
class Not:
    """Three-valued NOT."""

    operand: Plan


@dataclass(frozen=True, slots=True)
class And:
    """Three-valued AND of two or more operands."""

    operands: tuple[Plan, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """Three-valued OR of two or more operands."""

    operands: tuple[Plan, ...]


@dataclass(frozen=True, slots=True)
class Compare:
    """``left op value``. For an integer field ``bound`` is the exact integer test; for a
    json sub-path ``json`` is the kind the leaf is read as."""

    left: FieldRef
    op: Operator
    value: Any
    json: JsonKind | None = None
    bound: IntTest | None = None


@dataclass(frozen=True, slots=True)
class CompareFields:
    """``left op right``, two fields of one family (never json, never boolean)."""

    left: FieldRef
    op: Operator
    right: FieldRef


@dataclass(frozen=True, slots=True)
class InSet:
    """``left [NOT] IN (values)``; for an integer field ``members`` are the int64 values
    that can match (an empty tuple: none can)."""

    left: FieldRef
    values: tuple[Any, ...]
    negated: bool = False
    json: JsonKind | None = None
    members: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class Range:
    """``left [NOT] BETWEEN low AND high`` (inclusive); for an integer field ``bounds`` are
    the int64 bounds, None when no integer lies inside."""

    left: FieldRef
    low: Any
    high: Any
    negated: bool = False
    json: JsonKind | None = None
    bounds: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Pattern:
    """``left [NOT] LIKE|ILIKE|CONTAINS|STARTS_WITH|ENDS_WITH text`` on a string field or a
    json sub-path read as a string."""

    left: FieldRef
    op: Operator
    text: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class NullTest:
    """``left IS [NOT] NULL`` (a json value is null when missing or JSON null)."""

    left: FieldRef
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Quantified:
    """``any``/``all`` over the records reached by ``hops`` (to-one hops, then the to-many
    one); ``condition`` is a plan over the last hop's target records."""

    kind: Quantifier
    hops: tuple[Hop, ...]
    condition: Plan

    @property
    def record(self) -> RecordType:
        """The record type the condition is evaluated on."""
        return self.hops[-1].target


Predicate: TypeAlias = Compare | CompareFields | InSet | Range | Pattern | NullTest | Quantified
Plan: TypeAlias = Predicate | Not | And | Or | MatchAll
