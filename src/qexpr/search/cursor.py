"""Page cursors (``pq``): an opaque, URL-safe, typed, versioned keyset position, at most
:data:`MAX_CURSOR_LENGTH` characters whatever the sort values.

A cursor is ``base64url(seal(payload))`` (no padding). Without a secret ``seal`` is the
identity; with one it is AES-256-GCM (:mod:`qexpr.search.seal`), which hides the values and
refuses any changed byte. The payload is compact JSON with exactly these members::

    {"v": 2, "d": "n" | "p", "k": [value, ...] | null, "f": "<fingerprint>"}

``d`` is the direction the cursor pages in (``n`` next/forward, ``p`` previous/backward),
``k`` the sort values of the boundary row (null: no boundary, i.e. the first page forward or
the last page backward) and ``f`` the fingerprint of the search it belongs to (canonical q,
sort keys and schema; see :func:`fingerprint`). Values are typed by their sort key:
timestamps as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, decimals and UUIDs as canonical text, floats
and integers as JSON numbers, booleans as JSON booleans, strings as strings, null as null.

A value whose JSON form is longer than :data:`INLINE_LIMIT` bytes, or that would not come back
exactly (a string with U+0000 or a lone surrogate, an infinity, an integer beyond 64 bits...),
travels as ``{"h": "<digest>"}``: a 128-bit SHA-256 digest of its typed form. The key of the
root record (``id``, always a sort key) is never digested: following such a cursor looks the
boundary row up by its key (:mod:`qexpr.search.boundary`), takes its values and checks them
against the digests, so a cursor stays followable and short however long the values are.

Decoding never trusts a cursor beyond validation: it is size-capped, parsed as plain JSON
(no pickle, no eval, no NaN, no duplicate members) and every value is checked against its
key's type; with a secret it must first decrypt and authenticate.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from uuid import UUID

from qexpr.errors import ErrorCode, QError
from qexpr.schema.model import FieldType, Schema
from qexpr.search.params import SortKey
from qexpr.search.seal import sealer
from qexpr.syntax.literals import format_number

VERSION = 2
MAX_CURSOR_LENGTH = 2048
"""Longest ``pq`` issued or accepted, in characters (fits any URL limit)."""
INLINE_LIMIT = 128
"""Longest JSON form (UTF-8 bytes) of a value carried in a cursor; longer ones are digested."""
MAX_KEY_FORM = 256
"""Longest JSON form of the root record's key in a cursor (it is never digested)."""
MAX_DECIMAL_TEXT = 200
"""Longest decimal value text in a cursor."""
INT64 = 2**63

_CURSOR = re.compile(r"[A-Za-z0-9_-]+")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e-?[1-9][0-9]*)?")
_DIGEST_TEXT = re.compile(r"[A-Za-z0-9_-]{22}")
_FINGERPRINT = _DIGEST_TEXT
_SURROGATE = re.compile(r"[\ud800-\udfff\x00]")

FORWARD = "n"
BACKWARD = "p"


@dataclass(frozen=True, slots=True)
class Digest:
    """A boundary value a cursor carries as its digest (resolved from the boundary row)."""

    text: str

    def __repr__(self) -> str:
        return f"Digest({self.text})"


@dataclass(frozen=True, slots=True)
class Cursor:
    """A decoded cursor: direction, boundary values (typed, or None: no boundary), fingerprint.

    ``values`` hold one comparable value per sort key: ``datetime`` (UTC), ``Decimal``,
    lower-case UUID text, ``int``, ``float``, ``bool``, ``str``, None (null) or a
    :class:`Digest` (a value to take from the boundary row).
    """

    backward: bool
    values: tuple[Any, ...] | None
    fingerprint: str


# --------------------------------------------------------------------------- fingerprint


@lru_cache(maxsize=64)
def schema_identity(schema: Schema) -> str:
    """A stable digest of a schema (its JSON form), the same in every process."""
    text = json.dumps(schema.to_dict(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(canonical_q: str, keys: Sequence[SortKey], schema: Schema,
                server: str = "") -> str:
    """Digest of what a cursor's position means: the filter, the order, the schema and the
    server's condition (canonical q; none leaves the digest as it was without one)."""
    spec = ",".join(str(k) for k in keys)
    parts = ("qexpr-search", str(VERSION), schema_identity(schema), spec, canonical_q)
    text = "\n".join((*parts, "server", server) if server else parts)
    return _b64(hashlib.sha256(text.encode()).digest()[:16])


def digest_of(ftype: FieldType, value: Any) -> Digest:
    """The digest of a comparable value of a field type (as a cursor carries it)."""
    form = json.dumps(encode_value(ftype, value), ensure_ascii=True, allow_nan=True,
                      separators=(",", ":"))
    data = b"qexpr-cursor-value\x00" + ftype.value.encode() + b"\x00" + form.encode()
    return Digest(_b64(hashlib.sha256(data).digest()[:16]))


# --------------------------------------------------------------------------- encoding


def encode(cursor: Cursor, keys: Sequence[SortKey], secret: bytes | None) -> str:
    """The cursor text for ``cursor`` (values typed by ``keys``), encrypted when ``secret``."""
    values = None if cursor.values is None else [
        _form(k, v) for k, v in zip(keys, cursor.values, strict=True)]
    payload = {"v": VERSION, "d": BACKWARD if cursor.backward else FORWARD, "k": values,
               "f": cursor.fingerprint}
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    text = _b64(sealer(secret).seal(body.encode()))
    if len(text) > MAX_CURSOR_LENGTH:  # pragma: no cover - bounded by INLINE_LIMIT, MAX_KEY_FORM
        raise AssertionError(f"a cursor of {len(text)} characters")
    return text


def _form(key: SortKey, value: Any) -> Any:
    """A value's JSON form in a cursor: itself when short and exact, else its digest."""
    if value is None:
        return None
    if isinstance(value, Digest):
        return {"h": value.text}
    ftype = key.field.type
    if not key.key and isinstance(value, str) and len(value) > INLINE_LIMIT:
        return {"h": digest_of(ftype, value).text}  # longer than the limit in any encoding
    form = encode_value(ftype, value)
    try:
        size = len(json.dumps(form, ensure_ascii=False, allow_nan=False).encode())
        exact = decode_value(key, form) == value
    except (ValueError, CursorError):  # NaN/infinity, lone surrogates, out-of-range values
        size, exact = 0, False
    if key.key:
        if not exact or size > MAX_KEY_FORM:
            raise QError(ErrorCode.LIMIT_EXCEEDED, f"the key {key.path} of a row on this page "
                         "cannot be written in a page cursor (too long, or not exact text)",
                         hint=f"keep {key.path} values short, plain text")
        return form
    if exact and size <= INLINE_LIMIT:
        return form
    return {"h": digest_of(ftype, value).text}


def encode_value(ftype: FieldType, value: Any) -> Any:
    """A comparable value in its cursor (JSON) form."""
    if value is None:
        return None
    if ftype is FieldType.TIMESTAMP:
        assert isinstance(value, datetime)
        v = value.astimezone(UTC)
        return (f"{v.year:04d}-{v.month:02d}-{v.day:02d}T{v.hour:02d}:{v.minute:02d}:"
                f"{v.second:02d}.{v.microsecond:06d}Z")
    if ftype is FieldType.DECIMAL:
        return _number_text(Decimal(value))
    if ftype is FieldType.INTEGER:
        if isinstance(value, int):
            return value
        return _number_text(Decimal(value))  # an integer field holding a non-integer
    if ftype is FieldType.FLOAT:
        return float(value) + 0.0  # -0.0 is 0.0 (SQLite does not keep the sign)
    if ftype is FieldType.UUID:
        return str(value).lower()
    return value


def _number_text(value: Decimal) -> Any:
    return format_number(value) if value.is_finite() else str(value)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# --------------------------------------------------------------------------- decoding


class CursorError(Exception):
    """Why a cursor was refused (turned into a ``QError`` on ``pq`` by :func:`decode`)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


RESTART = "start again from the first page (leave pq out)"
_AS_RECEIVED = "pass the next or previous cursor of a page exactly as received"


def decode(text: str, *, secret: bytes | None, keys: Sequence[SortKey] | None,
           expected_fingerprint: str | None) -> Cursor:
    """The cursor ``text`` encodes; ``invalid_literal`` on ``pq`` when it is not acceptable.

    ``keys`` types the values (None: check the structure only, e.g. when ``sort_by`` itself
    is invalid); ``expected_fingerprint`` (None: not checked) must match the cursor's.
    """
    try:
        return _decode(text, secret, keys, expected_fingerprint)
    except CursorError as why:
        raise QError(ErrorCode.INVALID_LITERAL, why.message, source=text, start=0,
                     end=len(text), hint=why.hint or RESTART, param="pq") from None


def _decode(text: str, secret: bytes | None, keys: Sequence[SortKey] | None,
            expected_fingerprint: str | None) -> Cursor:
    if len(text) > MAX_CURSOR_LENGTH:
        raise CursorError(f"the page cursor is longer than {MAX_CURSOR_LENGTH} characters")
    if _CURSOR.fullmatch(text) is None:
        raise CursorError("the page cursor is malformed", _AS_RECEIVED)
    data = sealer(secret).open(_unb64(text))
    if data is None:
        raise CursorError("the page cursor does not decrypt with this server's key: it was "
                          "altered or issued by another server")
    payload = _parse(data)
    backward, values, fp = _shape(payload)
    if expected_fingerprint is not None and not hmac.compare_digest(fp, expected_fingerprint):
        raise CursorError("the page cursor belongs to another search (a different q or "
                          "sort_by)", "keep q and sort_by as they were for the first page, "
                          "or " + RESTART)
    typed: tuple[Any, ...] | None = None
    if values is not None and keys is not None:
        if len(values) != len(keys):
            raise CursorError("the page cursor does not fit the sort keys")
        typed = tuple(_typed(k, v) for k, v in zip(keys, values, strict=True))
    elif values is not None:
        typed = tuple(values)
    return Cursor(backward, typed, fp)


def _unb64(text: str) -> bytes:
    if len(text) % 4 == 1:
        raise CursorError("the page cursor is malformed (truncated?)")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):  # pragma: no cover - the pattern ensures it
        raise CursorError("the page cursor is malformed") from None
    if _b64(data) != text:  # unused trailing bits set: not a cursor this library wrote
        raise CursorError("the page cursor is malformed")
    return data


def _no_constant(name: str) -> Any:
    raise CursorError("the page cursor is malformed")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise CursorError("the page cursor is malformed")
    return out


def _parse(data: bytes) -> Any:
    try:
        text = data.decode("utf-8")
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CursorError("the page cursor is malformed", _AS_RECEIVED) from None


def _shape(payload: Any) -> tuple[bool, list[Any] | None, str]:
    if not isinstance(payload, dict) or set(payload) != {"v", "d", "k", "f"}:
        raise CursorError("the page cursor is malformed")
    if payload["v"] != VERSION or type(payload["v"]) is not int:
        raise CursorError("the page cursor was issued by another version of the API")
    direction, values, fp = payload["d"], payload["k"], payload["f"]
    if direction not in (FORWARD, BACKWARD):
        raise CursorError("the page cursor is malformed")
    if not isinstance(fp, str) or _FINGERPRINT.fullmatch(fp) is None:
        raise CursorError("the page cursor is malformed")
    if values is not None and (not isinstance(values, list) or not values
                               or len(values) > 64):
        raise CursorError("the page cursor is malformed")
    return direction == BACKWARD, values, fp


def _typed(key: SortKey, value: Any) -> Any:
    """A cursor entry: a digest (never for the key) or a value of the key's type."""
    if isinstance(value, dict):
        text = value.get("h")
        if (key.key or set(value) != {"h"} or not isinstance(text, str)
                or _DIGEST_TEXT.fullmatch(text) is None):
            raise CursorError(f"the page cursor holds an invalid value for {key.path}")
        return Digest(text)
    return decode_value(key, value)

def decode_value(key: SortKey, value: Any) -> Any:
    """A cursor value checked against its sort key's type, in comparable form."""
    bad = CursorError(f"the page cursor holds an invalid value for {key.path}")
    if value is None:
        if not key.nullable:
            raise bad
        return None
    ftype = key.field.type
    if ftype is FieldType.STRING:
        if not isinstance(value, str) or _SURROGATE.search(value):
            raise bad
        return value
    if ftype is FieldType.BOOLEAN:
        if not isinstance(value, bool):
            raise bad
        return value
    if ftype is FieldType.INTEGER:
        if type(value) is int:
            if not -INT64 <= value < INT64:
                raise bad
            return value
        if isinstance(value, str):  # a non-integer held by an integer field
            return _decimal(value, bad)
        raise bad
    if ftype is FieldType.FLOAT:
        if type(value) is float or type(value) is int:
            number = float(value)
            if math.isfinite(number):
                return number
        raise bad
    if ftype is FieldType.DECIMAL:
        if not isinstance(value, str):
            raise bad
        return _decimal(value, bad)
    if ftype is FieldType.UUID:
        if not isinstance(value, str) or _UUID.fullmatch(value) is None:
            raise bad
        return str(UUID(value))
    if ftype is FieldType.TIMESTAMP:
        match = _TIMESTAMP.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            raise bad
        try:
            y, mo, d, h, mi, sec, micro = (int(g) for g in match.groups())
            return datetime(y, mo, d, h, mi, sec, micro, tzinfo=UTC)
        except ValueError:
            raise bad from None
    raise bad  # pragma: no cover - json keys cannot be sort keys


def _decimal(value: str, bad: CursorError) -> Decimal:
    if len(value) > MAX_DECIMAL_TEXT or _DECIMAL.fullmatch(value) is None:
        raise bad
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern ensures it
        raise bad from None
    if not number.is_finite() or abs(number.adjusted()) > 1000:
        raise bad
    return number
