"""The one operator vocabulary of q: spelling, family and canonical order.

Every stage names operators through :class:`Operator`: the syntax tree, the schema (which
operators a field type allows), the checker, the builder, completion, the CLI and the docs.
A member's value is its spelling in q (``"bare"`` stands for a bare boolean path); members are
declared in canonical (display) order. Negated forms (``NOT IN``, ``NOT BETWEEN``, ``NOT LIKE``,
..., ``IS NOT NULL``) are not members: they go with their positive form and a ``negated`` flag.
"""

from __future__ import annotations

from enum import StrEnum


class Family(StrEnum):
    """What kind of predicate an operator forms."""

    COMPARISON = "comparison"
    LIST = "list"
    RANGE = "range"
    PATTERN = "pattern"
    NULL_TEST = "null_test"
    BARE = "bare"


class Operator(StrEnum):
    """An operator of q; its value is its spelling. Declared in canonical order."""

    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    IN = "IN"
    BETWEEN = "BETWEEN"
    LIKE = "LIKE"
    ILIKE = "ILIKE"
    CONTAINS = "CONTAINS"
    STARTS_WITH = "STARTS_WITH"
    ENDS_WITH = "ENDS_WITH"
    IS_NULL = "IS NULL"
    BARE = "bare"

    @property
    def family(self) -> Family:
        """The family of predicate this operator forms."""
        return _FAMILY[self]

    @property
    def order(self) -> int:
        """Position in canonical order (for listing operators to people)."""
        return _ORDER[self]

    @property
    def negated_spelling(self) -> str:
        """How the negated form is written (``NOT IN``, ``IS NOT NULL``); ``""`` if none."""
        return _NEGATED.get(self, "")

    @property
    def is_ordering(self) -> bool:
        """Whether the operator compares by order (``<``, ``<=``, ``>``, ``>=``, BETWEEN)."""
        return self in ORDERING_OPERATORS


_FAMILY: dict[Operator, Family] = {
    **{op: Family.COMPARISON for op in (Operator.EQ, Operator.NE, Operator.LT, Operator.LE,
                                        Operator.GT, Operator.GE)},
    Operator.IN: Family.LIST,
    Operator.BETWEEN: Family.RANGE,
    **{op: Family.PATTERN for op in (Operator.LIKE, Operator.ILIKE, Operator.CONTAINS,
                                     Operator.STARTS_WITH, Operator.ENDS_WITH)},
    Operator.IS_NULL: Family.NULL_TEST,
    Operator.BARE: Family.BARE,
}
_ORDER: dict[Operator, int] = {op: i for i, op in enumerate(Operator)}
_NEGATED: dict[Operator, str] = {
    Operator.IN: "NOT IN",
    Operator.BETWEEN: "NOT BETWEEN",
    Operator.LIKE: "NOT LIKE",
    Operator.ILIKE: "NOT ILIKE",
    Operator.CONTAINS: "NOT CONTAINS",
    Operator.STARTS_WITH: "NOT STARTS_WITH",
    Operator.ENDS_WITH: "NOT ENDS_WITH",
    Operator.IS_NULL: "IS NOT NULL",
}

#: ``= != < <= > >=`` in canonical order.
COMPARISON_OPERATORS: tuple[Operator, ...] = tuple(
    op for op in Operator if _FAMILY[op] is Family.COMPARISON)
#: ``LIKE ILIKE CONTAINS STARTS_WITH ENDS_WITH`` in canonical order.
PATTERN_OPERATORS: tuple[Operator, ...] = tuple(
    op for op in Operator if _FAMILY[op] is Family.PATTERN)
#: The operators that compare by order.
ORDERING_OPERATORS: frozenset[Operator] = frozenset(
    {Operator.LT, Operator.LE, Operator.GT, Operator.GE, Operator.BETWEEN})
#: Every operator, in canonical order.
OPERATOR_ORDER: tuple[Operator, ...] = tuple(Operator)


def ordered(operators: frozenset[Operator] | set[Operator]) -> tuple[Operator, ...]:
    """The given operators in canonical order."""
    return tuple(sorted(operators, key=_ORDER.__getitem__))
