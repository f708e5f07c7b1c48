"""Hypothesis strategies: conditions built with the builder from random Python values.

:func:`built_conditions` draws builder calls over the Run schema (every field type, to-one
hops, json sub-paths, quantifiers, field-to-field comparisons, ``now() - timedelta``), with
Python values of every supported kind (aware datetimes in any offset, dates, floats, Decimals,
UUIDs, text with quotes, backslashes, control and non-BMP characters).
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from qexpr.builder import Condition, all_, and_, any_, handles, not_, now, or_
from qexpr.builder.condition import as_condition
from qexpr.builder.fields import ValueHandle
from qexpr.quoting import to_decimal
from qexpr.schema.model import Field, FieldType, RecordType
from qexpr.schema.run import RUN_SCHEMA


def scaled(examples: int) -> int:
    """``examples`` times ``QEXPR_HYPOTHESIS_SCALE`` (default 1), at least 1."""
    try:
        scale = float(os.environ.get("QEXPR_HYPOTHESIS_SCALE", "") or 1)
    except ValueError:
        scale = 1.0
    return max(1, round(examples * (scale if scale > 0 else 1.0)))


_SPECIAL = ('"', "'", "\\", "\n", "\t", "\x01", "\x1f", "%", "_", "é", "\U0001f600", "日", " ")
TEXT_CHARS = st.one_of(
    st.sampled_from(_SPECIAL),
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
)
texts = st.text(TEXT_CHARS, max_size=12)


def _finite_number(value: Any) -> bool:
    try:
        to_decimal(value)
    except ValueError:
        return False
    return True


numbers = st.one_of(
    st.integers(-(10**20), 10**20),
    st.decimals(allow_nan=False, allow_infinity=False, places=4,
                min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False).filter(_finite_number),
)
offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
aware_datetimes = st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31),
                               timezones=st.one_of(st.just(UTC), offsets))
deltas = st.one_of(
    st.integers(0, 10**6).map(lambda ms: timedelta(milliseconds=ms)),
    st.integers(0, 10**4).map(lambda d: timedelta(days=d)),
    st.integers(0, 10**5).map(lambda m: timedelta(minutes=m)),
)


@st.composite
def time_values(draw: st.DrawFn) -> Any:
    """``now()`` with 0-3 shifts."""
    value = now()
    for _ in range(draw(st.integers(0, 3))):
        delta = draw(deltas)
        value = value - delta if draw(st.booleans()) else value + delta
    return value


def values_for(ftype: FieldType | None) -> st.SearchStrategy[Any]:
    """Python values for a field of ``ftype`` (None: a json sub-path)."""
    if ftype is None:
        return st.one_of(texts, numbers, st.booleans())
    return {
        FieldType.STRING: texts,
        FieldType.UUID: st.one_of(st.uuids(), st.uuids().map(lambda u: str(u).upper())),
        FieldType.INTEGER: numbers,
        FieldType.DECIMAL: numbers,
        FieldType.FLOAT: numbers,
        FieldType.BOOLEAN: st.booleans(),
        FieldType.TIMESTAMP: st.one_of(aware_datetimes, st.dates(min_value=date(1, 1, 1)),
                                       time_values()),
    }[ftype]


def _reach(record: RecordType, hops: int = 1) -> list[tuple[tuple[str, ...], Field]]:
    out = [((f.name,), f) for f in record.fields if f.scope is None]
    if hops:
        for rel in record.relations:
            if not rel.many and rel.scope is None:
                target = RUN_SCHEMA.target(rel)
                out += [((rel.name, *p), f) for p, f in _reach(target, hops - 1)]
    return out


def _lists(record: RecordType) -> list[tuple[str, ...]]:
    out = [(rel.name,) for rel in record.relations if rel.many and rel.scope is None]
    for rel in record.relations:
        if not rel.many and rel.scope is None:
            out += [(rel.name, r.name) for r in RUN_SCHEMA.target(rel).relations
                    if r.many and r.scope is None]
    return out


def _walk(base: Any, path: tuple[str, ...]) -> Any:
    for segment in path:
        base = base[segment]
    return base


@st.composite
def _predicate(draw: st.DrawFn, base: Any, record: RecordType) -> Condition:
    path, field = draw(st.sampled_from(_reach(record)))
    handle = _walk(base, path)
    ftype: FieldType | None = field.type
    if ftype is FieldType.JSON:
        keys = draw(st.lists(st.one_of(st.sampled_from(("tier", "a.b", "team-id", "x")), texts),
                             min_size=0, max_size=2))
        if not keys:
            return handle.is_null() if draw(st.booleans()) else handle.is_not_null()
        for key in keys:
            handle = handle[key]
        ftype = None
    ops = handle._operators()
    forms = ["eq", "ne", "null"]
    if "<" in ops:
        forms += ["lt", "le", "gt", "ge", "between"]
    if "IN" in ops:
        forms.append("in")
    if "LIKE" in ops:
        forms += ["like", "contains"]
    if "bare" in ops:
        forms.append("bare")
    form = draw(st.sampled_from(forms))
    values = values_for(ftype)
    if ftype is None:  # a json path: values of one kind where the kind matters
        values = draw(st.sampled_from((texts, numbers, st.booleans())))
        if form in ("lt", "le", "gt", "ge", "between"):
            values = draw(st.sampled_from((texts, numbers)))
    if form in ("eq", "ne", "lt", "le", "gt", "ge"):
        value = draw(values)
        return {  # type: ignore[no-any-return]
            "eq": lambda: handle == value, "ne": lambda: handle != value,
            "lt": lambda: handle < value, "le": lambda: handle <= value,
            "gt": lambda: handle > value, "ge": lambda: handle >= value,
        }[form]()
    if form == "between":
        low, high = draw(values), draw(values)
        return handle.not_between(low, high) if draw(st.booleans()) else handle.between(low, high)
    if form == "in":
        items = draw(st.lists(values, min_size=1, max_size=4))
        return handle.not_in(items) if draw(st.booleans()) else handle.in_(items)
    if form == "like":
        pattern = draw(texts)
        if (len(pattern) - len(pattern.rstrip("\\"))) % 2:
            pattern += "\\"
        method = draw(st.sampled_from(("like", "not_like", "ilike", "not_ilike")))
        return getattr(handle, method)(pattern)  # type: ignore[no-any-return]
    if form == "contains":
        method = draw(st.sampled_from(("contains", "not_contains", "starts_with",
                                       "not_starts_with", "ends_with", "not_ends_with")))
        return getattr(handle, method)(draw(texts))  # type: ignore[no-any-return]
    if form == "bare":
        return as_condition(handle)
    return handle.is_null() if draw(st.booleans()) else handle.is_not_null()


@st.composite
def _field_to_field(draw: st.DrawFn, base: Any, record: RecordType) -> Condition:
    comparable = [(p, f) for p, f in _reach(record)
                  if f.type not in (FieldType.JSON, FieldType.BOOLEAN)]
    path, field = draw(st.sampled_from(comparable))
    same = [(p, f) for p, f in comparable if f.type.family == field.type.family]
    other, _ = draw(st.sampled_from(same))
    left, right = _walk(base, path), _walk(base, other)
    if field.type is FieldType.UUID:
        return left == right if draw(st.booleans()) else left != right  # type: ignore[no-any-return]
    return left < right if draw(st.booleans()) else left >= right  # type: ignore[no-any-return]


@st.composite
def _condition(draw: st.DrawFn, base: Any, record: RecordType, budget: int,
               depth: int) -> Condition:
    kinds = ["leaf", "leaf", "leaf", "f2f"]
    if budget > 1:
        kinds += ["and", "or", "not"]
    lists = _lists(record)
    if lists and depth < 2 and budget > 1:
        kinds.append("quant")
    kind = draw(st.sampled_from(kinds))
    if kind == "leaf":
        return draw(_predicate(base, record))
    if kind == "f2f":
        return draw(_field_to_field(base, record))
    if kind == "not":
        inner = draw(_condition(base, record, budget - 1, depth))
        return ~inner if draw(st.booleans()) else not_(inner)
    if kind == "quant":
        path = draw(st.sampled_from(lists))
        relation = _walk(base, path)
        inner = draw(_condition(relation, relation._record, budget - 1, depth + 1))
        quantifier = any_ if draw(st.booleans()) else all_
        return quantifier(relation, inner)
    count = draw(st.integers(2, 3))
    parts = [draw(_condition(base, record, budget // count, depth)) for _ in range(count)]
    if kind == "and":
        return and_(*parts) if draw(st.booleans()) else parts[0] & parts[1] if count == 2 \
            else parts[0] & parts[1] & parts[2]
    return or_(*parts) if draw(st.booleans()) else parts[0] | parts[1] if count == 2 \
        else parts[0] | parts[1] | parts[2]


def _target(ftype: FieldType) -> tuple[str, ValueHandle]:
    """The q path and handle of a field of ``ftype``: on the root or one to-one hop away."""
    root = RUN_SCHEMA.root_record
    places = [((), root)] + [((r.name,), RUN_SCHEMA.target(r)) for r in root.relations
                             if not r.many]
    for prefix, record in places:
        for field in record.fields:
            if field.type is ftype:
                handle: Any = handles(RUN_SCHEMA)
                for segment in (*prefix, field.name):
                    handle = handle[segment]
                return ".".join((*prefix, field.name)), handle
    raise AssertionError(f"the Run schema has no {ftype} field")


_RUNS: Any = handles(RUN_SCHEMA)
#: (the q path, the handle) of one field of each type, a json field and a json sub-path.
TARGETS: list[tuple[str, ValueHandle]] = [_target(t) for t in FieldType] + [
    ("metadata.x", _RUNS.metadata.x), ('metadata["a b"].c', _RUNS.metadata["a b"].c)]


def built_conditions(max_budget: int = 6) -> st.SearchStrategy[Condition]:
    """Conditions over the Run schema's root record, built with the builder."""
    root = handles(RUN_SCHEMA)
    return st.integers(1, max_budget).flatmap(
        lambda budget: _condition(root, RUN_SCHEMA.root_record, budget, 0))


__all__ = ["TARGETS", "TEXT_CHARS", "built_conditions", "scaled", "texts", "time_values",
           "values_for"]
