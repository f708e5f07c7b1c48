"""Page cursors (``pq``): an opaque, URL-safe, typed and optionally signed keyset position.

A cursor is ``base64url(payload)`` or, when the server has a secret,
``base64url(payload) "." base64url(HMAC-SHA256(secret, base64url(payload)))`` (no padding).
The payload is compact JSON with exactly these members::

    {"v": 1, "d": "n" | "p", "k": [value, ...] | null, "f": "<fingerprint>"}

``d`` is the direction the cursor pages in (``n`` next/forward, ``p`` previous/backward),
``k`` the sort values of the boundary row (null: no boundary, i.e. the first page forward or
the last page backward) and ``f`` the fingerprint of the search it belongs to (canonical q,
sort keys and schema; see :func:`fingerprint`). Values are typed by their sort key:
timestamps as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, decimals and UUIDs as canonical text, floats
and integers as JSON numbers, booleans as JSON booleans, strings as strings, null as null.

Decoding never trusts a cursor beyond validation: it is size-capped, parsed as plain JSON
(no pickle, no eval, no NaN, no duplicate members) and every value is checked against its
key's type; with a secret its signature is checked first, in constant time.
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
from qexpr.syntax.literals import format_number

VERSION = 1
MAX_CURSOR_LENGTH = 32_768
"""Longest ``pq`` accepted, in characters (a string sort key's value travels whole)."""
MAX_DECIMAL_TEXT = 200
"""Longest decimal value text in a cursor."""
INT64 = 2**63

_CURSOR = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]{43})?")
_MAC = re.compile(r"[A-Za-z0-9_-]{43}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e-?[1-9][0-9]*)?")
_FINGERPRINT = re.compile(r"[A-Za-z0-9_-]{22}")
_SURROGATE = re.compile(r"[\ud800-\udfff\x00]")

FORWARD = "n"
BACKWARD = "p"


@dataclass(frozen=True, slots=True)
class Cursor:
    """A decoded cursor: direction, boundary values (typed, or None: no boundary), fingerprint.

    ``values`` hold one comparable value per sort key: ``datetime`` (UTC), ``Decimal``,
    lower-case UUID text, ``int``, ``float``, ``bool``, ``str`` or None (null).
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


def fingerprint(canonical_q: str, keys: Sequence[SortKey], schema: Schema) -> str:
    """Digest of what a cursor's position means: the filter, the order and the schema."""
    spec = ",".join(str(k) for k in keys)
    text = "\n".join(("qexpr-search", str(VERSION), schema_identity(schema), spec, canonical_q))
    return _b64(hashlib.sha256(text.encode()).digest()[:16])


# --------------------------------------------------------------------------- encoding


def encode(cursor: Cursor, keys: Sequence[SortKey], secret: bytes | None) -> str:
    """The cursor text for ``cursor`` (values typed by ``keys``), signed when ``secret``."""
    values = None if cursor.values is None else [
        encode_value(k.field.type, v) for k, v in zip(keys, cursor.values, strict=True)]
    payload = {"v": VERSION, "d": BACKWARD if cursor.backward else FORWARD, "k": values,
               "f": cursor.fingerprint}
    body = _b64(json.dumps(payload, separators=(",", ":"), ensure_ascii=False,
                           allow_nan=False).encode())
    if secret is None:
        return body
    return body + "." + _b64(_mac(secret, body))


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
        return format_number(Decimal(value))
    if ftype is FieldType.INTEGER:
        if isinstance(value, int):
            return value
        return format_number(Decimal(value))  # an integer field holding a non-integer
    if ftype is FieldType.FLOAT:
        return float(value) + 0.0  # -0.0 is 0.0 (SQLite does not keep the sign)
    if ftype is FieldType.UUID:
        return str(value).lower()
    return value


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _mac(secret: bytes, body: str) -> bytes:
    return hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest()


# --------------------------------------------------------------------------- decoding


class CursorError(Exception):
    """Why a cursor was refused (turned into a ``QError`` on ``pq`` by :func:`decode`)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


_RESTART = "start again from the first page (leave pq out)"


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
                     end=len(text), hint=why.hint or _RESTART, param="pq") from None


def _decode(text: str, secret: bytes | None, keys: Sequence[SortKey] | None,
            expected_fingerprint: str | None) -> Cursor:
    if len(text) > MAX_CURSOR_LENGTH:
        raise CursorError(f"the page cursor is longer than {MAX_CURSOR_LENGTH} characters")
    if _CURSOR.fullmatch(text) is None:
        raise CursorError("the page cursor is malformed",
                          "pass the next or previous cursor of a page exactly as received")
    body, _, mac = text.partition(".")
    if secret is not None:
        if not mac or not hmac.compare_digest(_unb64(mac), _mac(secret, body)):
            raise CursorError("the page cursor's signature does not match: it was altered "
                              "or issued by another server")
    elif mac and _MAC.fullmatch(mac) is None:  # pragma: no cover - the pattern ensures it
        raise CursorError("the page cursor is malformed")
    payload = _parse(_unb64(body))
    backward, values, fp = _shape(payload)
    if expected_fingerprint is not None and not hmac.compare_digest(fp, expected_fingerprint):
        raise CursorError("the page cursor belongs to another search (a different q or "
                          "sort_by)", "keep q and sort_by as they were for the first page, "
                          "or " + _RESTART)
    typed: tuple[Any, ...] | None = None
    if values is not None and keys is not None:
        if len(values) != len(keys):
            raise CursorError("the page cursor does not fit the sort keys")
        typed = tuple(decode_value(k, v) for k, v in zip(keys, values, strict=True))
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
        raise CursorError("the page cursor is malformed",
                          "pass the next or previous cursor of a page exactly as received"
                          ) from None


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
