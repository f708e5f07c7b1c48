"""Typed literals: UUIDs, RFC 3339 timestamps and time expressions (spec section 4)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

from qexpr.check import messages
from qexpr.errors import QError
from qexpr.syntax import ast

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATETIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?"
    r"(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))"
)
_DATETIME_NO_OFFSET = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?"
)


def parse_uuid(text: str) -> UUID | None:
    """The UUID in its 36-character hyphenated form (any case), or None."""
    if _UUID.fullmatch(text) is None:
        return None
    return UUID(text)


def parse_timestamp(text: str) -> datetime | str:
    """An aware UTC datetime, or the reason the text is not a timestamp literal."""
    match = _DATE.fullmatch(text)
    if match is not None:
        year, month, day = (int(g) for g in match.groups())
        try:
            if year < 1:
                raise ValueError
            return datetime(year, month, day, tzinfo=UTC)
        except ValueError:
            return f"{text!r} is not a valid date"
    match = _DATETIME.fullmatch(text)
    if match is None:
        if _DATETIME_NO_OFFSET.fullmatch(text) is not None:
            return "no_offset"
        return f"{text!r} is not a timestamp"
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, zulu, sign, off_hour, off_minute = match.groups()[6:]
    micro = int((fraction or "0").ljust(6, "0"))
    try:
        if year < 1 or second > 59:
            raise ValueError
        if zulu:
            tz = UTC
        else:
            if int(off_hour) > 23 or int(off_minute) > 59:
                raise ValueError
            delta = timedelta(hours=int(off_hour), minutes=int(off_minute))
            tz = timezone(delta if sign == "+" else -delta)
        value = datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
        return value.astimezone(UTC)
    except (ValueError, OverflowError):
        return f"{text!r} is not a valid timestamp"


def timestamp_literal(node: ast.String, source: str) -> ast.Timestamp:
    """Check a string literal against a timestamp field."""
    parsed = parse_timestamp(node.value)
    if isinstance(parsed, datetime):
        return ast.Timestamp(parsed, start=node.start, end=node.end)
    if parsed == "no_offset":
        raise _error(messages.timestamp_without_offset(node.value), node, source)
    raise _error(messages.bad_timestamp(parsed), node, source)


def _error(message: messages.Message, node: ast.Node, source: str) -> QError:
    return QError(message.code, message.text, source=source, start=node.start, end=node.end,
                  hint=message.hint)


def uuid_literal(node: ast.String, source: str) -> ast.Uuid:
    """Check a string literal against a uuid field."""
    value = parse_uuid(node.value)
    if value is None:
        raise _error(messages.bad_uuid(node.value), node, source)
    return ast.Uuid(value, start=node.start, end=node.end)


def fold_time(node: ast.TimeExpr, now: datetime, source: str) -> ast.TimeExpr:
    """Check the base of a time expression and fold it to one instant."""
    base: ast.Now | ast.String | ast.Timestamp = node.base
    if isinstance(base, ast.String):
        base = timestamp_literal(base, source)
    start_value = now if isinstance(base, ast.Now) else base.value
    assert isinstance(base, (ast.Now, ast.Timestamp))
    total = sum(shift.sign * shift.duration.microseconds for shift in node.shifts)
    try:
        instant = start_value + timedelta(microseconds=total)
    except OverflowError:
        instant = None
    if instant is None or not 1 <= instant.year <= 9999:
        raise _error(messages.time_out_of_range(), node, source)
    return ast.TimeExpr(base, node.shifts, instant, start=node.start, end=node.end)
