"""Reading and writing literal text: strings, numbers, durations (spec section 2 and 8).

Shared by every engine and by the canonical printer, so all of them decode and encode alike.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation
from typing import NoReturn

from qexpr.syntax.ast import DurationUnit

MAX_SIGNIFICANT_DIGITS = 34
MAX_DECIMAL_EXPONENT = 307
MAX_DURATION_DIGITS = 15

_EXACT = Context(prec=10_000, Emax=999_999_999, Emin=-999_999_999)

_SIMPLE_ESCAPES = {
    '"': '"',
    "'": "'",
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}
#: A string body holding any of these needs :func:`decode_string` (else it is its own value).
NEEDS_DECODING = _NEEDS_DECODING = re.compile(r"[\\\x00-\x1f\ud800-\udfff]")
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_NUMBER_PARTS = re.compile(r"([0-9]+)(?:\.([0-9]+))?(?:[eE][+-]?[0-9]+)?")
_ZERO = Decimal(0)
_DURATION = re.compile(r"([0-9]+)(ms|s|m|h|d|w)")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class LiteralError(Exception):
    """A literal's text is malformed; ``start``/``end`` are absolute offsets of the culprit."""

    def __init__(self, message: str, start: int, end: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end
        self.hint = hint


def decode_string(token_text: str, offset: int) -> str:
    """Decode a quoted string token (quotes included) that starts at ``offset`` in the q text."""
    body = token_text[1:-1]
    if not _NEEDS_DECODING.search(body):
        return body
    out: list[str] = []
    i = 0
    n = len(body)
    base = offset + 1
    while i < n:
        ch = body[i]
        if ch == "\\":
            if i + 1 >= n:  # cannot happen for a closed token, kept for safety
                raise LiteralError("a string cannot end with a lone backslash", base + i, base + n)
            esc = body[i + 1]
            if "\ud800" <= esc <= "\udfff":
                raise _raw_surrogate(esc, base + i + 1)
            if esc in _SIMPLE_ESCAPES:
                out.append(_SIMPLE_ESCAPES[esc])
                i += 2
                continue
            if esc == "u":
                code, width = _read_unicode_escape(body, i, base)
                out.append(chr(code))
                i += width
                continue
            raise LiteralError(
                f"invalid escape sequence \\{_show(esc)} in a string",
                base + i,
                base + i + 2,
                hint='valid escapes are \\" \\\' \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; '
                "write a backslash as \\\\",
            )
        if "\ud800" <= ch <= "\udfff":
            raise _raw_surrogate(ch, base + i)
        if ch < " ":
            if ch == "\x00":
                raise LiteralError("U+0000 is not allowed in a string", base + i, base + i + 1)
            raise LiteralError(
                f"a raw control character (U+{ord(ch):04X}) must be escaped in a string",
                base + i,
                base + i + 1,
                hint=f"write it as {_escape_control(ch)}",
            )
        out.append(ch)
        i += 1
    return "".join(out)


def _raw_surrogate(ch: str, at: int) -> LiteralError:
    return LiteralError(
        f"a raw surrogate code point (U+{ord(ch):04X}) is not allowed in a string",
        at,
        at + 1,
        hint="no database can store it: decode the text so that a character beyond U+FFFF "
        "is one code point, or drop the stray half",
    )


def _read_unicode_escape(body: str, i: int, base: int) -> tuple[int, int]:
    """Read ``\\uXXXX`` (and a following low surrogate) at ``body[i]``; return (code, width)."""
    hex_digits = body[i + 2 : i + 6]
    if not _HEX4.fullmatch(hex_digits):
        raise LiteralError(
            "\\u must be followed by four hexadecimal digits",
            base + i,
            base + min(i + 6, len(body)),
        )
    code = int(hex_digits, 16)
    if code == 0:
        raise LiteralError("U+0000 is not allowed in a string", base + i, base + i + 6)
    if 0xDC00 <= code <= 0xDFFF:
        raise LiteralError(
            f"lone low surrogate \\u{hex_digits} in a string", base + i, base + i + 6
        )
    if 0xD800 <= code <= 0xDBFF:
        low = body[i + 6 : i + 12]
        if len(low) == 6 and low[:2] == "\\u" and _HEX4.fullmatch(low[2:]):
            low_code = int(low[2:], 16)
            if 0xDC00 <= low_code <= 0xDFFF:
                return 0x10000 + ((code - 0xD800) << 10) + (low_code - 0xDC00), 12
        raise LiteralError(
            f"lone high surrogate \\u{hex_digits} in a string (a surrogate pair needs both halves)",
            base + i,
            base + i + 6,
        )
    return code, 6


def _show(ch: str) -> str:
    return ch if ch >= " " else f"u{ord(ch):04X}"


def _escape_control(ch: str) -> str:
    return _SHORT.get(ch, f"\\u{ord(ch):04x}")


_ENCODE = re.compile(r'["\\\x00-\x1f\ud800-\udfff]')
#: The short escape of each character the canonical form escapes so (not ' and /).
_SHORT = {value: "\\" + esc for esc, value in _SIMPLE_ESCAPES.items() if esc not in "'/"}


def encode_string(value: str) -> str:
    """The canonical literal for ``value``: double quotes, minimal escapes.

    Raises ``ValueError`` for text a q string cannot hold (U+0000, lone surrogates).
    """
    if not _ENCODE.search(value):
        return f'"{value}"'

    def repl(match: re.Match[str]) -> str:
        ch = match.group()
        if ch in _SHORT:
            return _SHORT[ch]
        if ch == "\x00":
            raise ValueError("U+0000 cannot be written in a q string")
        if "\ud800" <= ch <= "\udfff":
            raise ValueError(f"a lone surrogate (U+{ord(ch):04X}) cannot be written in a q string")
        return f"\\u{ord(ch):04x}"

    return '"' + _ENCODE.sub(repl, value) + '"'


def parse_number(text: str, offset: int) -> Decimal:
    """Decode a NUMBER token exactly (spec section 2), for an exponent of any length.

    Zero is ``Decimal(0)`` whatever its exponent; any other number must have at most 34
    significant digits and a normalised exponent within +-307, else :class:`LiteralError`.
    """
    try:
        value = Decimal(text)  # exact; fails only for an exponent beyond about 10**18
    except InvalidOperation:
        return _parse_huge_exponent(text, offset)
    if not value:
        return _ZERO
    check_number(value, offset, offset + len(text))
    return value


def _parse_huge_exponent(text: str, offset: int) -> Decimal:
    """``parse_number`` for an exponent ``Decimal`` cannot read (beyond about 10**18): zero,
    or out of range, since no text is long enough for its digits to shift it back."""
    match = _NUMBER_PARTS.fullmatch(text)
    if match is None:  # pragma: no cover - the lexer only hands over valid numbers
        raise LiteralError(f"{text!r} is not a number", offset, offset + len(text))
    whole, fraction = match.group(1, 2)
    if not (whole + (fraction or "")).strip("0"):
        return _ZERO
    check_number(Decimal(f"{whole}.{fraction or 0}"), offset, offset + len(text))
    _out_of_range(offset, offset + len(text))


def _out_of_range(start: int, end: int) -> NoReturn:
    raise LiteralError(
        f"a number's decimal exponent must be within \u00b1{MAX_DECIMAL_EXPONENT}", start, end
    )


def check_number(value: Decimal, start: int, end: int) -> None:
    """Enforce the 34 significant digits and the +-307 decimal exponent of spec section 2."""
    if not value.is_finite():
        raise LiteralError("a number must be finite", start, end)
    if value.is_zero():
        return
    digits = value.as_tuple().digits
    significant = len(digits)
    while significant > 1 and digits[significant - 1] == 0:
        significant -= 1
    if significant > MAX_SIGNIFICANT_DIGITS:
        raise LiteralError(
            f"a number may have at most {MAX_SIGNIFICANT_DIGITS} significant digits",
            start,
            end,
        )
    if not -MAX_DECIMAL_EXPONENT <= value.adjusted() <= MAX_DECIMAL_EXPONENT:
        _out_of_range(start, end)


def is_number_text(text: str) -> bool:
    """Whether ``text`` is exactly one NUMBER token."""
    return _NUMBER.fullmatch(text) is not None


def is_duration_text(text: str) -> bool:
    """Whether ``text`` is exactly one DURATION token."""
    return _DURATION.fullmatch(text) is not None


def parse_duration(text: str) -> tuple[int, DurationUnit]:
    """Split a DURATION token into its amount and unit."""
    match = _DURATION.fullmatch(text)
    if match is None:  # pragma: no cover - the lexer only hands over valid durations
        raise ValueError(f"{text!r} is not a duration")
    digits = match.group(1).lstrip("0")
    if len(digits) > MAX_DURATION_DIGITS:
        # Even 10**15 milliseconds is over 31,000 years: no such shift stays in 0001-9999.
        raise LiteralError(
            f"a duration may have at most {MAX_DURATION_DIGITS} digits", 0, len(text)
        )
    return int(digits or "0"), DurationUnit(match.group(2))


def format_number(value: Decimal) -> str:
    """Canonical number text: no superfluous zeros, ``-0`` is ``0``, exponents when huge/tiny."""
    if not value.is_finite():
        raise ValueError("a q number must be finite")
    if value.is_zero():
        return "0"
    norm = value.normalize(_EXACT)
    sign, digits, exponent = norm.as_tuple()
    assert isinstance(exponent, int)
    magnitude = norm.copy_abs()
    prefix = "-" if sign else ""
    if Decimal("1e-7") <= magnitude < Decimal("1e21"):
        text = format(magnitude, "f")
        return prefix + text
    mantissa = "".join(map(str, digits))
    adjusted = norm.adjusted()
    head = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
    return f"{prefix}{head}e{adjusted}"


def is_identifier(text: str) -> bool:
    """Whether ``text`` can be written as a bare path segment (``.name``)."""
    return _IDENTIFIER.fullmatch(text) is not None
