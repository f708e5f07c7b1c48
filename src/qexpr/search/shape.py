"""Values and items in the API's shape, the same whether they come from a database or memory.

Every value goes through one comparable form (the predicate's coercers: UUIDs as lower-case
text, timestamps as aware datetimes, decimals as ``Decimal``...) and then into the API's
JSON form: timestamps ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z`` (UTC), decimals as canonical number
text (``"0.58"``: no superfluous zeros, since SQLite keeps decimals as doubles), UUIDs in
lower case, booleans as booleans, json fields decoded. A value of the wrong type is null.
An integer field holding an integral float or decimal (``5.0``) gives that integer (``5``).

JSON numbers are what spec section 5.4 says they are, doubles: an integer within
``±2**53`` stays an exact ``int``, any other number is a ``float`` (an infinity beyond the
double range). PostgreSQL's ``jsonb`` keeps numbers as ``numeric`` (``1e23`` comes back as
``100000000000000000000000``), SQLite keeps the text and memory has what the caller decoded:
all three give the same items that way.

An embedded record carries all its fields and all its relations the caller may see (``[]`` or
``null`` when the record has none), their records ordered by their key (UUID text order for
``id``) and carrying the null members the seed shows (a log's ``"run": null``,
:data:`qexpr.schema.run.NULL_MEMBERS`), in every backend.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from qexpr.backends.predicate.access import MissingRelationError
from qexpr.backends.predicate.values import COERCERS, is_record
from qexpr.schema.model import FieldType, RecordType, Relation, Schema
from qexpr.schema.run import NULL_MEMBERS
from qexpr.syntax.canonical import format_timestamp
from qexpr.syntax.literals import format_number


def comparable(ftype: FieldType, value: Any) -> Any:
    """A raw value (API-shaped or native) in comparable form, None when null or ill-typed."""
    if ftype is FieldType.JSON:
        return value
    out = COERCERS[ftype](value)
    if ftype is FieldType.DECIMAL and isinstance(out, int):
        return Decimal(out)
    if ftype is FieldType.INTEGER and isinstance(out, float | Decimal) and out == int(out):
        return int(out)
    return out


SAFE_INTEGER = 2**53
"""Largest magnitude of a JSON integer kept exact (every double beyond is a float)."""


def json_number(value: int | float) -> int | float:
    """A JSON number as a double, or as an exact ``int`` within :data:`SAFE_INTEGER`."""
    if isinstance(value, float) or -SAFE_INTEGER <= value <= SAFE_INTEGER:
        return value
    try:
        return float(value)
    except OverflowError:  # beyond the double range: an infinity (copysign would overflow too)
        return math.inf if value > 0 else -math.inf


def _json_int(text: str) -> int | float:
    if len(text) <= 17:
        return json_number(int(text))
    return float(text)  # no int() of a huge digit string: a double (or an infinity) anyway


def parse_json(text: str) -> Any:
    """JSON text (as a database returns it) decoded with :func:`json_number` numbers."""
    return json.loads(text, parse_int=_json_int)


def canonical_json(value: Any) -> Any:
    """A decoded JSON value with :func:`json_number` numbers (other values unchanged)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return json_number(value)
    if isinstance(value, dict):
        return {k: canonical_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical_json(v) for v in value]
    return value


def api_value(ftype: FieldType, value: Any) -> Any:
    """A comparable value in the API's JSON form."""
    if value is None:
        return None
    if ftype is FieldType.JSON:
        return canonical_json(value)
    if ftype is FieldType.TIMESTAMP:
        return format_timestamp(value)
    if ftype is FieldType.DECIMAL:
        return format_number(value)
    if ftype is FieldType.INTEGER and not isinstance(value, int):
        return int(value) if value == int(value) else float(value)
    if ftype is FieldType.FLOAT:
        return value + 0.0  # -0.0 is 0.0 (SQLite does not keep the sign)
    return value


def compare_values(a: Any, b: Any) -> int:
    """Order of two comparable values of one key, NULL (None) being the largest."""
    if a is None or b is None:
        return 0 if a is b else (1 if a is None else -1)
    return -1 if a < b else (1 if a > b else 0)


def compare_keys(descending: tuple[bool, ...]) -> Callable[[tuple[Any, ...], tuple[Any, ...]],
                                                           int]:
    """A comparison of sort-value tuples in the order of keys with these directions."""
    directions = tuple(-1 if d else 1 for d in descending)

    def compare(a: tuple[Any, ...], b: tuple[Any, ...]) -> int:
        for x, y, sign in zip(a, b, directions, strict=True):
            c = compare_values(x, y)
            if c:
                return c * sign
        return 0

    return compare


def null_members(rec: RecordType) -> dict[str, None]:
    """The members an item of ``rec`` carries as null beyond its fields and relations."""
    return dict.fromkeys(NULL_MEMBERS.get(rec.name, ()))


def order_related(target: RecordType, items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Related records (already shaped) in their embedded order: by key, nulls last; each
    carries the :func:`null_members` of ``target``."""
    key = target.key
    key_field = target.field(key)
    ftype = key_field.type if key_field is not None else FieldType.STRING

    def by_key(a: Mapping[str, Any], b: Mapping[str, Any]) -> int:
        return compare_values(comparable(ftype, a.get(key)), comparable(ftype, b.get(key)))

    extra = null_members(target)
    if extra:
        items = ({**item, **extra} for item in items)
    return sorted(items, key=functools.cmp_to_key(by_key))


class Shaper:
    """Shapes records given in memory (API-shaped or native) as the API returns them."""

    def __init__(self, schema: Schema, scopes: frozenset[str]) -> None:
        self.schema = schema
        self.scopes = scopes

    def visible(self, relation: Relation) -> bool:
        """Whether the caller may see ``relation``."""
        return relation.scope is None or relation.scope in self.scopes

    def item(self, record: Mapping[str, Any], fields: tuple[str, ...],
             embeds: tuple[str, ...]) -> dict[str, Any]:
        """A root record projected on ``fields`` and carrying ``embeds``."""
        root = self.schema.root_record
        out: dict[str, Any] = {}
        for name in fields:
            f = root.field(name)
            assert f is not None
            out[name] = api_value(f.type, comparable(f.type, record.get(name)))
        for name in embeds:
            rel = root.relation(name)
            assert rel is not None
            if name not in record:
                raise MissingRelationError(name, name, "", rel.scope)
            out[name] = self.related(root, record, rel, (root.name,))
        return out

    def related(self, parent: RecordType, data: Mapping[str, Any], rel: Relation,
                seen: tuple[str, ...]) -> Any:
        """An embedded relation's value: a record (or None) or a list of records.

        As in storage (:func:`qexpr.backends.sql.load_records`), records that point at their
        parent (to-many children, a to-one keyed by the parent's key) take their join field
        from the parent, whatever they say themselves.
        """
        target = self.schema.target(rel)
        value = data.get(rel.name)
        forced: dict[str, Any] = {}
        join_field = target.field(rel.remote_key)
        if (rel.many or rel.local_key == parent.key) and join_field is not None:
            raw = data.get(rel.local_key)
            forced[join_field.name] = api_value(join_field.type,
                                                comparable(join_field.type, raw))
        if rel.many:
            if not isinstance(value, list | tuple):
                return []
            return order_related(target, ({**self.record(target, v, seen), **forced}
                                          for v in value if is_record(v)))
        if not isinstance(value, Mapping):
            return None
        return {**self.record(target, value, seen), **forced}

    def record(self, rec: RecordType, data: Mapping[str, Any], seen: tuple[str, ...]
               ) -> dict[str, Any]:
        """A nested record: all its fields and its visible relations (empty when absent
        from ``data``) unless its type was seen above it."""
        out: dict[str, Any] = {f.name: api_value(f.type, comparable(f.type, data.get(f.name)))
                               for f in rec.fields}
        if rec.name not in seen:
            for rel in rec.relations:
                if self.visible(rel):
                    out[rel.name] = self.related(rec, data, rel, (*seen, rec.name))
        return out
