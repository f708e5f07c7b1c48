"""Python values to typed q literals, checked against the field they are compared with.

The result is the node the checker would produce from the same text: ``Uuid`` for a uuid field,
``Timestamp`` for a timestamp, ``TimeExpr`` for ``now() - ...``, ``Number`` (an exact
``Decimal``) for numbers. Nothing is coerced across kinds: a number for a string field, a string
for a number field, a bool for anything but a boolean field is a ``TypeError``; the right kind
with bad content (a string that is no UUID, a naive datetime) is a ``ValueError``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from qexpr.builder.timeexpr import TimeValue
from qexpr.check.values import parse_timestamp, parse_uuid
from qexpr.errors import ErrorCode
from qexpr.misuse import QTypeError, invalid
from qexpr.quoting import to_decimal, to_utc
from qexpr.schema.model import FieldType
from qexpr.syntax import ast
from qexpr.syntax.literals import encode_string

__all__ = ["article", "json_kind", "literal"]

_NUMERIC = frozenset({FieldType.INTEGER, FieldType.DECIMAL, FieldType.FLOAT})

_EXPECTED: dict[FieldType | None, str] = {
    FieldType.STRING: "a str",
    FieldType.UUID: "a UUID (or its string)",
    FieldType.INTEGER: "an int, Decimal or float",
    FieldType.DECIMAL: "an int, Decimal or float",
    FieldType.FLOAT: "an int, Decimal or float",
    FieldType.BOOLEAN: "a bool",
    FieldType.TIMESTAMP: "an aware datetime, a date, an RFC 3339 string or now() +/- timedelta",
    None: "a str, int, Decimal, float or bool",
}


def literal(value: object, ftype: FieldType | None, where: str, op: str) -> ast.Value:
    """The literal for ``value`` compared by ``op`` with ``where`` (a field of type ``ftype``;
    ``None`` for a json sub-path)."""
    if value is None:
        raise QTypeError(_null_hint(where, op), ErrorCode.NULL_COMPARISON)
    if isinstance(value, bool):
        if ftype is FieldType.BOOLEAN or ftype is None:
            return ast.Boolean(value)
    elif ftype is None:
        if isinstance(value, str):
            return _string(value)
        if isinstance(value, (int, float, Decimal)):
            return ast.Number(to_decimal(value))
    elif ftype is FieldType.STRING:
        if isinstance(value, str):
            return _string(value)
    elif ftype in _NUMERIC:
        if isinstance(value, (int, float, Decimal)):
            return ast.Number(to_decimal(value))
    elif ftype is FieldType.UUID:
        if isinstance(value, UUID):
            return ast.Uuid(value)
        if isinstance(value, str):
            parsed = parse_uuid(value)
            if parsed is None:
                raise invalid(f"{value!r} is not a UUID (for {where})")
            return ast.Uuid(parsed)
    elif ftype is FieldType.TIMESTAMP:
        if isinstance(value, TimeValue):
            return value.to_ast()
        if isinstance(value, (datetime, date)):
            return ast.Timestamp(to_utc(value))
        if isinstance(value, str):
            parsed_time = parse_timestamp(value)
            if isinstance(parsed_time, datetime):
                return ast.Timestamp(parsed_time)
            raise invalid(f"{value!r} is not an RFC 3339 timestamp with an offset "
                             f"(for {where})")
    raise QTypeError(_mismatch(value, ftype, where))


def _string(value: str) -> ast.String:
    encode_string(value)  # ValueError for text q cannot hold (U+0000, lone surrogates)
    return ast.String(value)


def article(noun: str) -> str:
    """``noun`` with "a" or "an" before it."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def json_kind(value: ast.Value) -> str:
    """The JSON kind a literal compares as: "string", "number" or "boolean"."""
    if isinstance(value, ast.String):
        return "string"
    if isinstance(value, ast.Number):
        return "number"
    return "boolean"


def _null_hint(where: str, op: str) -> str:
    fix = f"{where}.is_not_null()" if op == "!=" else f"{where}.is_null()"
    return f"None cannot be compared with {op} (nothing equals null in q); write {fix}"


def _mismatch(value: object, ftype: FieldType | None, where: str) -> str:
    kind = type(value).__name__
    target = "json path" if ftype is None else f"{ftype} field"
    message = f"{where} is {article(target)}; compare it with {_EXPECTED[ftype]}, not " \
        f"{article(kind)}"
    if isinstance(value, timedelta) and ftype is FieldType.TIMESTAMP:
        message += " (a timedelta shifts a time: now() - timedelta(...))"
    elif isinstance(value, TimeValue):
        message += " (now() only compares with timestamp fields)"
    elif ftype is FieldType.STRING and isinstance(value, (int, float, Decimal)):
        message += f" (to compare with text, pass str({value!r}))"
    elif ftype is None and isinstance(value, (datetime, date, UUID)):
        message += (" (inside JSON a time or UUID is just a string: pass its text, e.g. "
                    "value.isoformat())")
    return message
