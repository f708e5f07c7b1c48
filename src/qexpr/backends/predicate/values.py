"""Reading record values: one comparable Python form per field type, for records as the API
sends them (JSON-decoded: timestamps, decimals and UUIDs as strings) or with native values.

Every coercer maps a raw record value to its comparable form, or to ``None`` when the value is
null. Leniency rules (a value of the wrong type is *null*, never an error):

- ``string``: any ``str``; anything else is null.
- ``integer``: ``int`` (never ``bool``), finite ``float`` and finite ``Decimal`` (compared
  exactly by value); strings (even ``"12"``), booleans, NaN and infinities are null.
- ``decimal``: decimal text as the API sends it (``"0.25"``, ``"-1e-3"``, ``"+.5"``; ASCII
  digits, no spaces, no ``NaN``/``Infinity``) becomes a ``Decimal``; an ``int`` stays exact;
  a ``float`` is read as its shortest repr (``0.1`` -> ``Decimal("0.1")``, what a JSON number
  ``0.1`` means and what PostgreSQL stores when it casts the double to ``numeric``).
- ``float``: ``float``, ``int`` and ``Decimal``, as doubles (an int beyond the double range
  becomes an infinity); NaN is null (JSON has no NaN).
- ``boolean``: ``True``/``False`` only (``1``, ``"true"`` are null).
- ``uuid``: a ``UUID``, or a string :class:`uuid.UUID` accepts (any case, with or without
  hyphens, braces or ``urn:uuid:``); compared as the canonical lower-case text.
- ``timestamp``: an aware ``datetime``; a naive one is taken as UTC; a ``date`` is midnight
  UTC; a string is RFC 3339 / ISO 8601 read leniently (``Z`` or an offset, ``T``/``t``/space,
  any number of fraction digits truncated to microseconds, no offset = UTC, a leap second
  ``:60`` rolls over); text that is not a timestamp is null.

JSON leaves (spec 5.4) are typed by the literal they meet: a string literal needs a ``str``,
a number literal an ``int``/``float``/``Decimal`` that is not a ``bool`` (compared as a
double), a boolean literal a ``bool``; a leaf of any other type is null for that comparison.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

from qexpr.check.values import parse_timestamp, parse_uuid
from qexpr.schema.model import FieldType
from qexpr.syntax import ast

Coercer = Callable[[Any], Any]
"""Maps a raw value to its comparable form, or None (null)."""

_DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_UUID_TEXT = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_TIMESTAMP_TEXT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?)?"
    r" ?(?:([Zz])|([+-])([0-9]{2})(?::?([0-9]{2}))?)?"
)


def is_record(value: object) -> bool:
    """A nested record: a ``dict`` or any other mapping."""
    return type(value) is dict or isinstance(value, Mapping)


# --------------------------------------------------------------------------- scalar fields


def as_string(value: Any) -> str | None:
    """A ``str``, else null."""
    return value if isinstance(value, str) else None


def as_integer(value: Any) -> int | float | Decimal | None:
    """An exact number (int, finite float or Decimal), never a bool."""
    if type(value) is int:
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


def as_decimal(value: Any) -> int | Decimal | None:
    """Decimal text or a number, exactly (a float as its shortest repr)."""
    if isinstance(value, str):
        if _DECIMAL_TEXT.fullmatch(value) is None:
            return None
        return Decimal(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return int(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    return None


def to_double(value: int | float | Decimal) -> float:
    """A number as an IEEE double (ints beyond the range become infinities)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def as_float(value: Any) -> float | None:
    """A number as a double; NaN and non-numbers are null."""
    if type(value) is float:
        return None if value != value else value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if isinstance(value, Decimal) and value.is_nan():
        return None
    double = to_double(value)
    return None if double != double else double


def as_boolean(value: Any) -> bool | None:
    """``True`` or ``False`` only."""
    return value if value is True or value is False else None


def as_uuid(value: Any) -> str | None:
    """The canonical lower-case text of a UUID (object or string), else null."""
    if isinstance(value, str):
        if _UUID_TEXT.fullmatch(value) is not None:
            return value.lower()
        try:
            return str(UUID(value))
        except ValueError:
            return None
    if isinstance(value, UUID):
        return str(value)
    return None


def as_timestamp(value: Any) -> datetime | None:
    """An aware datetime (naive ones are UTC), from a datetime, a date or text."""
    if isinstance(value, str):
        return parse_api_timestamp(value)
    if isinstance(value, datetime):
        tz = value.tzinfo
        if tz is UTC:
            return value
        if tz is None or value.utcoffset() is None:
            return value.replace(tzinfo=UTC)
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None


def parse_api_timestamp(text: str) -> datetime | None:
    """Read an API timestamp leniently (see the module docstring); None if it is not one."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return _parse_timestamp_fallback(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed


def _parse_timestamp_fallback(text: str) -> datetime | None:
    match = _TIMESTAMP_TEXT.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, _zulu, sign, off_h, off_m = match.groups()
    try:
        tz: timezone = UTC
        if sign is not None:
            offset = timedelta(hours=int(off_h), minutes=int(off_m or 0))
            if offset >= timedelta(hours=24):
                return None
            tz = timezone(offset if sign == "+" else -offset)
        seconds = int(second or 0)
        leap = seconds == 60
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        result = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                          59 if leap else seconds, micro, tzinfo=tz)
        if leap:
            result += timedelta(seconds=1)
    except (ValueError, OverflowError):
        return None
    return result


COERCERS: Mapping[FieldType, Coercer] = {
    FieldType.STRING: as_string,
    FieldType.UUID: as_uuid,
    FieldType.INTEGER: as_integer,
    FieldType.DECIMAL: as_decimal,
    FieldType.FLOAT: as_float,
    FieldType.BOOLEAN: as_boolean,
    FieldType.TIMESTAMP: as_timestamp,
}
"""The coercer of each scalar field type (json fields are read by :data:`JSON_COERCERS`)."""

EXACT_TYPES: Mapping[FieldType, type] = {
    FieldType.STRING: str,
    FieldType.INTEGER: int,
    FieldType.BOOLEAN: bool,
}
"""Field types whose values of this exact Python class need no coercion (hot paths)."""


# --------------------------------------------------------------------------- json leaves


def json_string(value: Any) -> str | None:
    """A JSON string leaf, else null."""
    return value if isinstance(value, str) else None


def json_number(value: Any) -> float | None:
    """A JSON number leaf (never a boolean) as a double, else null."""
    if type(value) is float:
        return None if value != value else value
    if type(value) is int:
        return to_double(value)
    return as_float(value)


def json_boolean(value: Any) -> bool | None:
    """A JSON boolean leaf, else null."""
    return value if value is True or value is False else None


def json_any(value: Any) -> Any:
    """Any JSON leaf that is not null (for IS NULL)."""
    return value


JSON_COERCERS: Mapping[str, Coercer] = {
    "string": json_string,
    "number": json_number,
    "boolean": json_boolean,
}


def json_kind(node: ast.Value) -> str:
    """The JSON type a literal compares with: ``string``, ``number`` or ``boolean``."""
    if isinstance(node, ast.String):
        return "string"
    if isinstance(node, ast.Number):
        return "number"
    if isinstance(node, ast.Boolean):
        return "boolean"
    raise TypeError(f"a {type(node).__name__} literal cannot be compared with a json path")


def json_literal(node: ast.Value) -> Any:
    """A literal in the form JSON leaves of its kind are compared in."""
    if isinstance(node, ast.Number):
        return to_double(node.value)
    if isinstance(node, ast.String | ast.Boolean):
        return node.value
    raise TypeError(f"a {type(node).__name__} literal cannot be compared with a json path")


# --------------------------------------------------------------------------- literals


def scalar_literal(ftype: FieldType, node: ast.Value, now: datetime | None) -> Any:
    """A validated literal in the comparable form of ``ftype`` (the form the coercer gives)."""
    if ftype is FieldType.TIMESTAMP:
        return timestamp_literal(node, now)
    if ftype is FieldType.UUID:
        if isinstance(node, ast.Uuid):
            return str(node.value)
        if isinstance(node, ast.String) and (parsed := parse_uuid(node.value)) is not None:
            return str(parsed)
    elif isinstance(node, ast.Number):
        if ftype is FieldType.FLOAT:
            return to_double(node.value)
        if ftype is FieldType.INTEGER and node.value == node.value.to_integral_value():
            return int(node.value)
        if ftype in (FieldType.INTEGER, FieldType.DECIMAL):
            return node.value
    elif (isinstance(node, ast.String) and ftype is FieldType.STRING) or (
        isinstance(node, ast.Boolean) and ftype is FieldType.BOOLEAN
    ):
        return node.value
    raise TypeError(f"a {type(node).__name__} literal does not fit a {ftype} field "
                    "(compile the filter with qexpr.compile)")


def timestamp_literal(node: ast.Value, now: datetime | None) -> datetime:
    """The instant of a timestamp literal or of a time expression (folded by validation)."""
    if isinstance(node, ast.Timestamp):
        return node.value
    if isinstance(node, ast.TimeExpr):
        if node.instant is not None:
            return node.instant
        base: datetime
        if isinstance(node.base, ast.Now):
            if now is None:
                raise TypeError("now() is not folded and the filter has no clock")
            base = now
        else:
            base = timestamp_literal(node.base, now)
        total = sum(shift.sign * shift.duration.microseconds for shift in node.shifts)
        return base + timedelta(microseconds=total)
    if isinstance(node, ast.String):
        parsed = parse_timestamp(node.value)
        if isinstance(parsed, datetime):
            return parsed
    raise TypeError(f"a {type(node).__name__} literal is not a timestamp")
