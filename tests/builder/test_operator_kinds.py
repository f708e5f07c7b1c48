"""The builder refuses at once exactly what the checker would refuse later (issue 10 item 13).

For every field type (and a json field and a json sub-path), every operator and Python values
of every kind, the builder must raise at once iff ``qexpr.compile`` of the same predicate written
as text fails with a typing error: ``TypeError`` for ``unsupported_operator``,
``type_mismatch`` and ``null_comparison``, ``ValueError`` for ``invalid_literal``, and build the
very filter ``compile`` gives otherwise. The text is written with ``qexpr.quote``.

One deliberate difference is left out of the comparison: a ``UUID``, ``datetime`` or ``date``
object is only taken by a uuid or timestamp field (elsewhere the builder asks for text, which
the printed string literal would be).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qexpr
from qexpr import QError, now, runs
from qexpr.builder.condition import as_condition
from qexpr.builder.fields import ValueHandle
from qexpr.errors import ErrorCode
from qexpr.operators import COMPARISON_OPERATORS, PATTERN_OPERATORS, Operator
from qexpr.schema.model import FieldType
from qexpr.schema.run import RUN_SCHEMA
from tests.builder.strategies import TARGETS, numbers, scaled, texts

NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)
SCOPES = frozenset(f.scope for f in RUN_SCHEMA.root_record.fields if f.scope) | {
    r.scope for r in RUN_SCHEMA.root_record.relations if r.scope}
UID = "3c90c3cc-0d44-4b50-8888-8dd25736052a"

_TYPE_ERRORS = frozenset({ErrorCode.UNSUPPORTED_OPERATOR, ErrorCode.TYPE_MISMATCH,
                          ErrorCode.NULL_COMPARISON})


#: Values of every kind, the awkward ones included.
VALUES: list[object] = [
    "text", "", UID, UID.upper(), "not-a-uuid", "2024-01-01", "2024-01-01T00:00:00Z",
    "2024-01-01T00:00:00", "2024-13-01", 0, -5, 10**20, Decimal("1.25"), 0.5, -0.0, True, False,
    None, UUID(UID), datetime(2024, 1, 1, tzinfo=UTC), date(2024, 1, 1),
    now(), now() - timedelta(days=7),
]

_COMPARE: dict[Operator, Callable[[Any, object], object]] = {
    Operator.EQ: lambda h, v: h == v, Operator.NE: lambda h, v: h != v,
    Operator.LT: lambda h, v: h < v, Operator.LE: lambda h, v: h <= v,
    Operator.GT: lambda h, v: h > v, Operator.GE: lambda h, v: h >= v,
}
_PATTERN_METHODS = {Operator.LIKE: "like", Operator.ILIKE: "ilike",
                    Operator.CONTAINS: "contains", Operator.STARTS_WITH: "starts_with",
                    Operator.ENDS_WITH: "ends_with"}


def _typed_object_elsewhere(handle: ValueHandle, values: tuple[object, ...]) -> bool:
    """A UUID/datetime/date for a field that is not uuid/timestamp (left out, see above)."""
    ftype = handle._value_type
    for value in values:
        if isinstance(value, UUID) and ftype is not FieldType.UUID:
            return True
        if isinstance(value, (datetime, date)) and ftype is not FieldType.TIMESTAMP:
            return True
    return False


def _tail(op: Operator, values: tuple[object, ...]) -> str:
    """The q text of ``op`` with ``values`` after the path (``""`` for a bare path)."""
    literals = [qexpr.quote(v) for v in values]
    if op is Operator.IN:
        return f"IN ({', '.join(literals)})"
    if op is Operator.BETWEEN:
        return f"BETWEEN {literals[0]} AND {literals[1]}"
    if op is Operator.IS_NULL:
        return "IS NULL"
    if op is Operator.BARE:
        return ""
    return f"{op} {literals[0]}"


def _build(op: Operator, handle: ValueHandle, values: tuple[object, ...]) -> object:
    """``op`` with ``values`` made with the builder."""
    if op in _COMPARE:
        return _COMPARE[op](handle, values[0])
    if op is Operator.IN:
        return handle.in_(list(values))
    if op is Operator.BETWEEN:
        return handle.between(values[0], values[1])
    if op is Operator.IS_NULL:
        return handle.is_null()
    if op is Operator.BARE:
        return as_condition(handle)
    return getattr(handle, _PATTERN_METHODS[op])(values[0])


def disagreement(path: str, handle: ValueHandle, op: Operator,
                 values: tuple[object, ...]) -> str | None:
    """How the builder and ``compile`` disagree on ``op`` with ``values`` (None: they agree)."""
    try:
        text = f"{path} {_tail(op, values)}".rstrip()
    except ValueError:  # a value q cannot hold: the builder must refuse it too
        try:
            _build(op, handle, values)
        except ValueError:
            return None
        return f"{path} {op} {values!r}: quote() refuses a value, the builder takes it"
    code: ErrorCode | None = None
    try:
        expected = qexpr.compile(text, scopes=SCOPES, now=NOW)
    except QError as error:
        code = error.code
    try:
        condition = _build(op, handle, values)
    except TypeError as error:
        if code in _TYPE_ERRORS:
            return None
        return f"{text}: the builder raises TypeError ({error}), compile gives {code}"
    except ValueError as error:
        if code is ErrorCode.INVALID_LITERAL:
            return None
        return f"{text}: the builder raises ValueError ({error}), compile gives {code}"
    if code is not None:
        return f"{text}: the builder builds it, compile raises {code}"
    built = as_condition(condition).to_filter(scopes=SCOPES, now=NOW)
    if built != expected:
        return f"{text}: built {built.to_q()!r}, compiled {expected.to_q()!r}"
    return None


def _cases() -> list[tuple[Operator, tuple[object, ...]]]:
    cases: list[tuple[Operator, tuple[object, ...]]] = [(Operator.IS_NULL, ()),
                                                        (Operator.BARE, ())]
    for value in VALUES:
        cases += [(op, (value,)) for op in (*COMPARISON_OPERATORS, Operator.IN)]
        cases += [(Operator.BETWEEN, (value, other)) for other in VALUES]
        if isinstance(value, str):  # q patterns are string literals by the grammar
            cases += [(op, (value,)) for op in PATTERN_OPERATORS]
    return cases


@pytest.mark.parametrize(("path", "handle"), TARGETS, ids=[p for p, _ in TARGETS])
def test_every_operator_and_value_kind(path: str, handle: ValueHandle) -> None:
    problems = [problem for op, values in _cases()
                if not _typed_object_elsewhere(handle, values)
                and (problem := disagreement(path, handle, op, values)) is not None]
    assert not problems, "\n".join(problems[:20])


def test_the_reported_member_fails_at_once() -> None:
    with pytest.raises(TypeError, match="booleans compare by equality only"):
        runs.metadata.x > True  # noqa: B015
    with pytest.raises(TypeError, match="booleans compare by equality only"):
        runs.metadata.x.between(False, True)
    assert (runs.metadata.x == True).to_q() == "metadata.x = true"  # noqa: E712
    assert runs.metadata.x.in_([True, False]).to_q() == "metadata.x IN (true, false)"


_any_value = st.one_of(texts, numbers, st.booleans(), st.none(), st.sampled_from(VALUES))
_ops = st.sampled_from([op for op in Operator if op not in PATTERN_OPERATORS])


@settings(max_examples=scaled(300), deadline=None)
@given(st.sampled_from(TARGETS), _ops, _any_value, _any_value)
def test_random_values_agree(target: tuple[str, ValueHandle], op: Operator, value: object,
                             other: object) -> None:
    path, handle = target
    values = (value, other) if op is Operator.BETWEEN else () if op in (
        Operator.IS_NULL, Operator.BARE) else (value,)
    if not _typed_object_elsewhere(handle, values):
        assert disagreement(path, handle, op, values) is None
