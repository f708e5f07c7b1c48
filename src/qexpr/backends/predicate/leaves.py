"""Closures for the predicates of a filter, as pairs of two-valued tests.

Every predicate compiles to a :class:`Test`: ``true(record)`` tells whether it is TRUE and
``false(record)`` whether it is FALSE; UNKNOWN is neither. This is SQL's three-valued logic
without a third value at run time: ``NOT`` swaps the pair, ``AND`` is TRUE when all operands
are TRUE and FALSE when one is FALSE, ``OR`` the other way round, and a root that only asks
"TRUE?" never computes UNKNOWN at all. A comparison is UNKNOWN exactly when its value (read
and coerced by :mod:`.values`) is null, so ``false`` tests "not null and the complementary
comparison holds" (``<`` is FALSE when ``>=`` holds).

The closures are written out per operator (no generated source, no ``eval``): on fields read
straight from the record whose values usually need no coercion (``string``, ``integer``,
``boolean``), a value of that exact class is compared at once and anything else goes through
the coercer.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from qexpr.backends.predicate.access import Reader, Record
from qexpr.backends.predicate.patterns import Matcher
from qexpr.backends.predicate.values import Coercer
from qexpr.operators import Operator

Check = Callable[[Record], bool]

#: The comparison that holds exactly when ``op`` does not (on non-null values).
COMPLEMENT = {
    Operator.EQ: Operator.NE, Operator.NE: Operator.EQ,
    Operator.LT: Operator.GE, Operator.GE: Operator.LT,
    Operator.LE: Operator.GT, Operator.GT: Operator.LE,
}

OPERATORS: dict[Operator, Callable[[Any, Any], bool]] = {
    Operator.EQ: operator.eq, Operator.NE: operator.ne,
    Operator.LT: operator.lt, Operator.LE: operator.le,
    Operator.GT: operator.gt, Operator.GE: operator.ge,
}


@dataclass(frozen=True, slots=True)
class Test:
    """Whether a predicate is TRUE, and whether it is FALSE, for one record."""

    true: Check
    false: Check

    def negated(self) -> Test:
        """The test of ``NOT`` this predicate."""
        return Test(self.false, self.true)


def always(result: bool) -> Check:
    """A check that ignores the record."""
    def constant(record: Record) -> bool:
        return result

    return constant


# --------------------------------------------------------------------------- comparisons


def compare(read: Reader, op: Operator, literal: Any) -> Test:
    """``value op literal``; ``read`` gives the comparable value or None."""
    return Test(_compare(read, op, literal), _compare(read, COMPLEMENT[op], literal))


def _compare(read: Reader, op: Operator, lit: Any) -> Check:
    if op is Operator.EQ:
        def eq(record: Record) -> bool:
            value = read(record)
            return value is not None and value == lit
        return eq
    if op is Operator.NE:
        def ne(record: Record) -> bool:
            value = read(record)
            return value is not None and value != lit
        return ne
    if op is Operator.LT:
        def lt(record: Record) -> bool:
            value = read(record)
            return value is not None and value < lit
        return lt
    if op is Operator.LE:
        def le(record: Record) -> bool:
            value = read(record)
            return value is not None and value <= lit
        return le
    if op is Operator.GT:
        def gt(record: Record) -> bool:
            value = read(record)
            return value is not None and value > lit
        return gt

    def ge(record: Record) -> bool:
        value = read(record)
        return value is not None and value >= lit
    return ge


def compare_direct(key: str, exact: type, coerce: Coercer, op: Operator, literal: Any) -> Test:
    """``record[key] op literal`` where values of class ``exact`` need no coercion."""
    return Test(_direct(key, exact, coerce, op, literal),
                _direct(key, exact, coerce, COMPLEMENT[op], literal))


def _direct(key: str, exact: type, coerce: Coercer, op: Operator, lit: Any) -> Check:
    # Each closure: a value of the exact class is compared at once; null is UNKNOWN; anything
    # else is coerced (None when it is of the wrong type).
    if op is Operator.EQ:
        if exact is str and isinstance(lit, str):
            def eq_text(record: Record) -> bool:
                return record.get(key) == lit  # only a string equals a string
            return eq_text

        def eq(record: Record) -> bool:
            value = record.get(key)
            if value.__class__ is not exact and (
                value is None or (value := coerce(value)) is None
            ):
                return False
            return value == lit  # type: ignore[no-any-return]
        return eq
    if op is Operator.NE:
        def ne(record: Record) -> bool:
            value = record.get(key)
            if value.__class__ is not exact and (
                value is None or (value := coerce(value)) is None
            ):
                return False
            return value != lit  # type: ignore[no-any-return]
        return ne
    if op is Operator.LT:
        def lt(record: Record) -> bool:
            value = record.get(key)
            if value.__class__ is not exact and (
                value is None or (value := coerce(value)) is None
            ):
                return False
            return value < lit  # type: ignore[no-any-return]
        return lt
    if op is Operator.LE:
        def le(record: Record) -> bool:
            value = record.get(key)
            if value.__class__ is not exact and (
                value is None or (value := coerce(value)) is None
            ):
                return False
            return value <= lit  # type: ignore[no-any-return]
        return le
    if op is Operator.GT:
        def gt(record: Record) -> bool:
            value = record.get(key)
            if value.__class__ is not exact and (
                value is None or (value := coerce(value)) is None
            ):
                return False
            return value > lit  # type: ignore[no-any-return]
        return gt

    def ge(record: Record) -> bool:
        value = record.get(key)
        if value.__class__ is not exact and (
            value is None or (value := coerce(value)) is None
        ):
            return False
        return value >= lit  # type: ignore[no-any-return]
    return ge


def compare_fields(left: Reader, op: Operator, right: Reader) -> Test:
    """Field-to-field ``left op right``: UNKNOWN when either side is null."""
    def make(test: Callable[[Any, Any], bool]) -> Check:
        def check(record: Record) -> bool:
            a = left(record)
            if a is None:
                return False
            b = right(record)
            return b is not None and test(a, b)
        return check

    return Test(make(OPERATORS[op]), make(OPERATORS[COMPLEMENT[op]]))


# --------------------------------------------------------------------------- IN, BETWEEN


def member(read: Reader, values: Collection[Any]) -> Test:
    """``value IN (values)``: TRUE when one equals the value (the values are hashable)."""
    choices = frozenset(values)

    def true(record: Record) -> bool:
        value = read(record)
        return value is not None and value in choices

    def false(record: Record) -> bool:
        value = read(record)
        return value is not None and value not in choices

    return Test(true, false)


def member_direct(key: str, exact: type, coerce: Coercer, values: Collection[Any]) -> Test:
    """``record[key] IN (values)`` where values of class ``exact`` need no coercion."""
    choices = frozenset(values)

    def true(record: Record) -> bool:
        value = record.get(key)
        if value.__class__ is not exact and (
            value is None or (value := coerce(value)) is None
        ):
            return False
        return value in choices

    def false(record: Record) -> bool:
        value = record.get(key)
        if value.__class__ is not exact and (
            value is None or (value := coerce(value)) is None
        ):
            return False
        return value not in choices

    return Test(true, false)


def between(read: Reader, low: Any, high: Any) -> Test:
    """``value BETWEEN low AND high`` (inclusive; nothing when ``low > high``)."""
    def true(record: Record) -> bool:
        value = read(record)
        return value is not None and low <= value <= high

    def false(record: Record) -> bool:
        value = read(record)
        return value is not None and not low <= value <= high

    return Test(true, false)


# --------------------------------------------------------------------------- patterns, IS NULL


def pattern(read: Reader, matches: Matcher) -> Test:
    """``value LIKE/ILIKE/CONTAINS/... pattern`` on a string value."""
    def true(record: Record) -> bool:
        value = read(record)
        return value is not None and matches(value)

    def false(record: Record) -> bool:
        value = read(record)
        return value is not None and not matches(value)

    return Test(true, false)


def pattern_direct(key: str, op: Operator, text: str, matches: Matcher) -> Test:
    """A pattern test on a string field read straight from the record.

    The plain substring tests call the ``str`` method themselves; a value that is not a
    string is null.
    """
    if op is Operator.STARTS_WITH:
        def starts(record: Record) -> bool:
            value = record.get(key)
            return isinstance(value, str) and value.startswith(text)

        def not_starts(record: Record) -> bool:
            value = record.get(key)
            return isinstance(value, str) and not value.startswith(text)

        return Test(starts, not_starts)
    if op is Operator.ENDS_WITH:
        def ends(record: Record) -> bool:
            value = record.get(key)
            return isinstance(value, str) and value.endswith(text)

        def not_ends(record: Record) -> bool:
            value = record.get(key)
            return isinstance(value, str) and not value.endswith(text)

        return Test(ends, not_ends)
    if op is Operator.CONTAINS:
        def contains(record: Record) -> bool:
            value = record.get(key)
            return isinstance(value, str) and text in value

        def not_contains(record: Record) -> bool:
            value = record.get(key)
            return isinstance(value, str) and text not in value

        return Test(contains, not_contains)

    def like(record: Record) -> bool:
        value = record.get(key)
        return isinstance(value, str) and matches(value)

    def not_like(record: Record) -> bool:
        value = record.get(key)
        return isinstance(value, str) and not matches(value)

    return Test(like, not_like)


def is_null(read: Reader) -> Test:
    """``value IS NULL`` (never UNKNOWN)."""
    def true(record: Record) -> bool:
        return read(record) is None

    def false(record: Record) -> bool:
        return read(record) is not None

    return Test(true, false)
