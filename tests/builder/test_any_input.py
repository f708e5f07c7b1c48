"""Any Python value into the builder and ``quote()``: only the documented exceptions come out.

``quote`` raises ``TypeError`` for a type it does not write and ``ValueError`` for a value q cannot
hold (a lone surrogate or U+0000 in text, NaN, a naive datetime, ...); what it returns always
reads back as a q value. Every builder method and operator raises ``TypeError``/``ValueError``
(or builds a condition whose text parses and whose ``to_filter`` raises nothing but ``QError``).
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import qexpr
from qexpr import ErrorCode, QError, now, quote, runs
from qexpr.builder import Condition
from qexpr.builder.fields import ValueHandle
from tests.builder.strategies import TARGETS, scaled

EVERYTHING: st.SearchStrategy[Any] = st.one_of(
    st.text(max_size=8),  # lone surrogates and U+0000 included
    st.integers(), st.integers(-(10**400), 10**400),
    st.floats(), st.decimals(), st.booleans(), st.none(),
    st.datetimes(), st.datetimes(timezones=st.timezones()), st.dates(), st.timedeltas(),
    st.uuids(), st.binary(max_size=4), st.complex_numbers(), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.integers(-(10**15) + 1, 10**15 - 1).map(
        lambda ms: now() + timedelta(milliseconds=ms) if ms >= 0 else now() - timedelta(
            milliseconds=-ms)),
    st.just(object()), st.just(runs.cost), st.just(runs), st.just(runs.node_runs),
)


@settings(max_examples=scaled(400), deadline=None)
@given(EVERYTHING)
def test_quote_takes_anything(value: Any) -> None:
    try:
        literal = quote(value)
    except (TypeError, ValueError):
        return
    if isinstance(value, timedelta):
        qexpr.parse(f"created_at > now() - {literal}")
    else:
        qexpr.parse(f"x = {literal}")


_METHODS = ("in_", "not_in", "like", "not_like", "ilike", "not_ilike", "contains",
            "not_contains", "starts_with", "not_starts_with", "ends_with", "not_ends_with")
_OPERATORS = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__and__", "__or__")


def _outcome(make: Any) -> None:
    try:
        made = make()
    except (TypeError, ValueError) as error:
        # every refusal is a QError with a stable code; a wrong Python type is a TypeError too
        assert isinstance(error, QError), repr(error)
        assert error.code in set(ErrorCode)
        return
    if made is NotImplemented:
        return
    assert isinstance(made, Condition)
    qexpr.parse(made.to_q())
    with contextlib.suppress(QError):  # e.g. a time beyond year 9999: but only QError
        made.to_filter(scopes=("evaluations:read",))


@settings(max_examples=scaled(400), deadline=None)
@given(st.sampled_from(TARGETS), st.sampled_from(_METHODS + _OPERATORS + ("between", "key")),
       EVERYTHING, EVERYTHING)
def test_builder_takes_anything(target: tuple[str, ValueHandle], name: str, value: Any,
                                other: Any) -> None:
    _, handle = target
    if name == "between":
        _outcome(lambda: handle.between(value, other))
    elif name == "key":
        _outcome(lambda: handle[value] == other)
    elif name in ("in_", "not_in"):
        _outcome(lambda: getattr(handle, name)(value))
        _outcome(lambda: getattr(handle, name)([value, other]))
    else:
        _outcome(lambda: getattr(handle, name)(value))
