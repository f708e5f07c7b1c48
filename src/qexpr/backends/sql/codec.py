"""Storage codecs: values to and from a database's storage forms, apart from expression printing.

A :class:`Codec` knows how each field type is stored (and so how literals are bound), how a
stored value reads back in the form the in-memory coercers take, and how a column must be
selected for that. Each dialect has one; nothing else converts values for a database.

========== ===================================== ==============================================
type       PostgreSQL                            SQLite
========== ===================================== ==============================================
string     ``text``                              ``TEXT``
uuid       ``uuid`` (``uuid.UUID`` parameters)   ``TEXT``, canonical lower case
integer    ``bigint``                            ``INTEGER``
decimal    ``numeric`` (``Decimal``, exact)      ``REAL``: compared as doubles
float      ``double precision``                  ``REAL``
boolean    ``boolean``                           ``INTEGER`` 0/1
timestamp  ``timestamptz`` (aware ``datetime``)  ``TEXT`` ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC,
                                                 fixed width, so text order is time order)
json       ``jsonb`` (read back as text)         ``TEXT`` JSON
========== ===================================== ==============================================

JSON documents are written as compact JSON text; a decoded infinity is written as an integer
beyond the double range (``10**309``, which every backend compares as the infinity), and NaN,
which JSON cannot carry, as ``null``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

from qexpr.schema.model import FieldType

#: An integer beyond the double range: how a decoded infinity is written in JSON text (read back
#: by every backend as the infinity of its sign).
_BEYOND_DOUBLE = 10**309


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        if value != value:
            return None
        return _BEYOND_DOUBLE if value > 0 else -_BEYOND_DOUBLE
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def json_text(value: Any) -> str:
    """Compact JSON text of a decoded JSON value; infinities beyond the double range, NaN null."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:
        return json.dumps(_finite(value), ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False)


def parse_json(text: str) -> Any:
    """JSON text as stored, decoded as the in-memory backend reads documents."""
    return json.loads(text)


def timestamp_text(value: datetime) -> str:
    """Fixed-width UTC text of an aware datetime: ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
    v = value.astimezone(UTC)
    return (f"{v.year:04d}-{v.month:02d}-{v.day:02d}T{v.hour:02d}:{v.minute:02d}:"
            f"{v.second:02d}.{v.microsecond:06d}Z")


class Codec:
    """Storage forms of one database; subclasses override what differs."""

    column_types: ClassVar[Mapping[FieldType, str]] = {}
    #: Whether the column type of a JSON field must be read back as text.
    json_as_text: ClassVar[bool] = False

    def store(self, ftype: FieldType, native: Any) -> Any:
        """A native value (str, UUID, int, Decimal, float, bool, aware datetime, decoded JSON)
        in the form it is stored and bound in; None stays None."""
        if ftype is FieldType.JSON and native is not None:
            return json_text(native)
        return native

    def literal(self, ftype: FieldType, native: Any) -> Any:
        """A plan literal (``Decimal`` for every number) bound against a ``ftype`` column."""
        if ftype is FieldType.FLOAT:
            return float(native)
        return self.store(ftype, native)

    def integer_bound(self, value: int | float | Decimal) -> Any:
        """A number bound against an integer column, exactly where the database can."""
        return value

    def decode(self, ftype: FieldType, raw: Any) -> Any:
        """A stored value as read back, in the form the in-memory coercers take."""
        if raw is None:
            return None
        if ftype is FieldType.JSON and isinstance(raw, str):
            return parse_json(raw)
        return raw


class PostgresCodec(Codec):
    """psycopg 3 adapts UUID, Decimal, datetime and bool natively."""

    column_types: ClassVar[Mapping[FieldType, str]] = {
        FieldType.STRING: "text",
        FieldType.UUID: "uuid",
        FieldType.INTEGER: "bigint",
        FieldType.DECIMAL: "numeric",
        FieldType.FLOAT: "double precision",
        FieldType.BOOLEAN: "boolean",
        FieldType.TIMESTAMP: "timestamptz",
        FieldType.JSON: "jsonb",
    }
    json_as_text: ClassVar[bool] = True

    def store(self, ftype: FieldType, native: Any) -> Any:
        if ftype is FieldType.JSON and native is not None:
            from psycopg.types.json import Jsonb

            return Jsonb(native, dumps=json_text)
        return native


class SqliteCodec(Codec):
    """``sqlite3`` binds str, int, float, bytes and None only."""

    column_types: ClassVar[Mapping[FieldType, str]] = {
        FieldType.STRING: "TEXT",
        FieldType.UUID: "TEXT",
        FieldType.INTEGER: "INTEGER",
        FieldType.DECIMAL: "REAL",
        FieldType.FLOAT: "REAL",
        FieldType.BOOLEAN: "INTEGER",
        FieldType.TIMESTAMP: "TEXT",
        FieldType.JSON: "TEXT",
    }

    def store(self, ftype: FieldType, native: Any) -> Any:
        if native is None:
            return None
        if ftype is FieldType.UUID:
            return str(native).lower()
        if ftype is FieldType.TIMESTAMP:
            return timestamp_text(native)
        if ftype is FieldType.DECIMAL:
            return float(native)
        if ftype is FieldType.BOOLEAN:
            return int(native)
        if ftype is FieldType.JSON:
            return json_text(native)
        return native

    def integer_bound(self, value: int | float | Decimal) -> Any:
        return value if isinstance(value, int) else float(value)

    def decode(self, ftype: FieldType, raw: Any) -> Any:
        if raw is not None and ftype is FieldType.BOOLEAN:
            return bool(raw)
        return super().decode(ftype, raw)
