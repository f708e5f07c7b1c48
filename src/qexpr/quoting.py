"""``quote()``: the q literal for a Python value, safe to splice into filter text.

``f"client_ref = {qexpr.quote(ref)}"`` is safe for any ``ref``: a string always comes back as
one complete, canonically escaped string literal, so user input can never end the literal and
add operators of its own. The conversions here (numbers, instants, durations) are the ones the
filter builder uses for its literals too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from qexpr.misuse import QTypeError, invalid
from qexpr.syntax.ast import DurationUnit
from qexpr.syntax.canonical import format_timestamp
from qexpr.syntax.literals import (
    MAX_DURATION_DIGITS,
    LiteralError,
    check_number,
    encode_string,
    format_number,
)

__all__ = [
    "escape_like",
    "quote",
    "to_decimal",
    "to_duration",
    "to_utc",
]

#: Units a timedelta is written in, largest first (weeks are never chosen: ``timedelta`` keeps
#: no weeks, and ``7d`` reads better than ``1w``).
_UNITS: tuple[tuple[DurationUnit, int], ...] = (
    (DurationUnit.D, 86_400_000_000),
    (DurationUnit.H, 3_600_000_000),
    (DurationUnit.M, 60_000_000),
    (DurationUnit.S, 1_000_000),
    (DurationUnit.MS, 1_000),
)


def quote(value: object) -> str:
    """The q literal for ``value``.

    ``str`` -> a double-quoted string with minimal escapes; ``int``/``Decimal``/``float`` -> a
    number (a float is written as its shortest round-trip ``repr``); ``bool`` -> ``true`` /
    ``false``; ``None`` -> ``null``; an aware ``datetime`` -> ``"YYYY-MM-DDThh:mm:ss[.ffffff]Z"``
    (UTC); a ``date`` -> ``"YYYY-MM-DD"`` (midnight UTC in q); ``UUID`` -> its lower-case string;
    ``timedelta`` -> a duration such as ``7d``, ``90m``, ``250ms``; ``qexpr.now() - ...`` -> its
    time expression.

    Raises ``ValueError`` for a value q cannot hold (U+0000 or a lone surrogate in text -- the
    text is refused rather than written as q that does not parse --, NaN or an infinity, more
    than 34 significant digits, a naive datetime, a negative or sub-millisecond timedelta, or
    one of more than 15 digits in its unit) and ``TypeError`` for any other type.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return encode_string(value)
    if isinstance(value, (int, float, Decimal)):
        return format_number(to_decimal(value))
    if isinstance(value, datetime):
        return f'"{format_timestamp(to_utc(value))}"'
    if isinstance(value, date):
        return f'"{value.isoformat()}"'
    if isinstance(value, UUID):
        return f'"{value}"'
    if isinstance(value, timedelta):
        amount, unit = to_duration(value)
        return f"{amount}{unit}"
    literal = getattr(type(value), "__q_literal__", None)
    if literal is not None:  # qexpr.now() - timedelta(...): a time expression
        return str(literal(value))
    raise QTypeError(
        f"cannot write a {type(value).__name__} as a q literal; quote() takes str, int, "
        "Decimal, float, bool, None, datetime, date, UUID or timedelta"
    )


def escape_like(text: str) -> str:
    """``text`` with the LIKE/ILIKE wildcards ``%`` ``_`` and the escape ``\\`` escaped, so that
    ``field.like(escape_like(prefix) + "%")`` matches ``prefix`` literally."""
    if not isinstance(text, str):
        raise QTypeError(f"escape_like() takes a str, not {type(text).__name__}")
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def to_decimal(value: int | float | Decimal) -> Decimal:
    """The exact decimal q writes for a Python number.

    A float becomes the decimal of its shortest round-trip ``repr`` (``0.1`` -> ``0.1``, not the
    binary expansion), which reads back as the very same double. NaN, infinities, more than 34
    significant digits and decimal exponents beyond +-307 raise ``ValueError``; ``bool`` raises
    ``TypeError`` (write it as ``true``/``false``).
    """
    if isinstance(value, bool):
        raise QTypeError("a bool is not a number; use it with a boolean field")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise invalid(f"{value!r} is not a finite number; q numbers are finite")
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise invalid(f"{value!r} is not a finite number; q numbers are finite")
        number = value
    else:
        raise QTypeError(f"expected a number, not {type(value).__name__}")
    try:
        check_number(number, 0, 0)
    except LiteralError as error:
        raise invalid(f"{value!r}: {error.message}") from None
    return number


def to_utc(value: datetime | date) -> datetime:
    """The instant of an aware ``datetime`` (or a ``date`` at midnight UTC), in UTC.

    A naive datetime raises ``ValueError``: q timestamps always carry an offset.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise invalid(
                f"{value!r} is a naive datetime; q timestamps need a time zone, e.g. "
                "value.replace(tzinfo=timezone.utc)"
            )
        try:
            return value.astimezone(UTC)
        except (OverflowError, ValueError):
            raise invalid(f"{value!r} falls outside the years 0001-9999 in UTC") from None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise QTypeError(f"expected a datetime or a date, not {type(value).__name__}")


def to_duration(value: timedelta) -> tuple[int, DurationUnit]:
    """``(amount, unit)`` of a non-negative ``timedelta`` in the largest exact unit of
    ``d h m s ms``; sub-millisecond parts, negative values and amounts of more digits than a q
    duration holds (15) raise ``ValueError``."""
    if not isinstance(value, timedelta):
        raise QTypeError(f"expected a timedelta, not {type(value).__name__}")
    micros = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    if micros < 0:
        raise invalid(f"{value!r} is negative; a q duration is never negative")
    if micros == 0:
        return 0, DurationUnit.S
    for unit, size in _UNITS:
        if micros % size == 0:
            amount = micros // size
            if len(str(amount)) > MAX_DURATION_DIGITS:
                raise invalid(f"{value!r} is {amount}{unit}: a q duration has at most "
                                 f"{MAX_DURATION_DIGITS} digits")
            return amount, unit
    raise invalid(f"{value!r} has a sub-millisecond part; q durations count whole ms")
