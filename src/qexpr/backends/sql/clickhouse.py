"""The ClickHouse dialect (chdb in-process, or a clickhouse-server through clickhouse-connect).

Everything that differs from the SQL :class:`~qexpr.backends.sql.dialects.Dialect` writes is an
override or a flag here (measured on chdb-core 26.9, ClickHouse 26.9.2.1):

- Parameters are server-side ``{pN:Type}`` placeholders, typed from the bound Python value
  (``str`` String, ``int`` Int64, ``float`` Float64, ``bool`` Bool, ``Decimal``
  ``Decimal(38, 18)``, ``datetime`` ``DateTime64(6, 'UTC')``). Fragments are written with
  ``{p:Type}`` and numbered in order by :meth:`ClickhouseDialect.finish` (``p0``, ``p1``, ...:
  the ``params`` list, by position). Braces never appear in identifiers (written ``\\x7B``), so
  the numbering cannot touch anything but placeholders.
- Every field column is ``Nullable`` (a non-Nullable column turns NULL into ``''``/``0``);
  three-valued logic is then SQL's, provided ``transform_null_in = 0`` and
  ``join_use_nulls = 1`` (:data:`SETTINGS`, appended to every query this library runs).
- UUIDs are stored as lower-case text: ClickHouse's ``UUID`` does not sort in text order, and
  the search's key order must be the other backends'. Strings compare byte-wise, which is
  code-point order for UTF-8. Decimals are ``Decimal(38, 18)``; literals are folded to that
  scale exactly (:meth:`ClickhouseDialect.decimal_test`), since a parameter would be truncated.
- ``LIKE`` reads ``\\c`` as a backslash and ``c``: other escapes are written as the bare
  character. ``ILIKE`` folds Unicode: q's ASCII-only ILIKE is ``lower(x) LIKE lower-ASCII(p)``.
- JSON is text; leaves are read with ``JSONExtract*`` behind ``JSONType`` guards, keys bound as
  String (an integer key would mean a position). The stored text is normalised so every leaf
  stays readable (:func:`normalise_json`).
- Quantifiers are ``ifNull(key IN (SELECT ...), 0)`` rather than correlated ``EXISTS`` (what a
  cluster can run over Distributed tables, and faster). Predicates over a to-one path are
  key-set tests (``CASE WHEN model_id IN (SELECT id FROM models WHERE t) THEN 1 WHEN model_id
  IN (SELECT id ... WHERE NOT (t)) THEN 0 END``) rather than correlated scalar subqueries,
  which ClickHouse runs as a join per field (and refuses as an argument of ``IN``); a null
  test, TRUE for a missing record, is ``NOT ifNull(model_id IN (SELECT id ... WHERE x IS NOT
  NULL), 0)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from qexpr.backends.clickhouse import QUERY_SETTINGS
from qexpr.backends.sql.codec import Codec, json_text, parse_json
from qexpr.backends.sql.dialects import Dialect
from qexpr.backends.sql.fragment import Sql, sql
from qexpr.operators import Operator
from qexpr.plan.nodes import JsonKind, Quantifier
from qexpr.schema.model import FieldType, Schema

DECIMAL_PRECISION = 38
DECIMAL_SCALE = 18
DECIMAL_TYPE = f"Decimal({DECIMAL_PRECISION}, {DECIMAL_SCALE})"
TIMESTAMP_TYPE = "DateTime64(6, 'UTC')"
#: The settings appended to every query (defined with the runner, which applies them).
SETTINGS = QUERY_SETTINGS
#: The smallest engine whose DateTime64 covers the years 0001-9999 (older ones clamp).
MIN_VERSION = (26, 9)

_UNITS = 10**DECIMAL_PRECISION - 1  # largest |value| of the decimal type, in units of the scale
_MAX_DOUBLE = 1.7976931348623157e308
_UINT64_MAX = 2**64 - 1
_INT64_MIN = -(2**63)
_MARK = re.compile(r"\{p\d*:")
_NAME = re.compile(r"\{p(\d+):")


def ch_type(value: Any) -> str:
    """The ClickHouse type a Python value is bound as."""
    if isinstance(value, bool):
        return "Bool"
    if isinstance(value, int):
        return "Int64"
    if isinstance(value, float):
        return "Float64"
    if isinstance(value, Decimal):
        return DECIMAL_TYPE
    if isinstance(value, datetime):
        return TIMESTAMP_TYPE
    if isinstance(value, str | UUID):
        return "String"
    raise TypeError(f"cannot bind {type(value).__name__} in ClickHouse")


def number_placeholders(text: str) -> str:
    """``text`` with its placeholders named ``p0``, ``p1``, ... in order of appearance."""
    counter = iter(range(1 << 62))
    return _MARK.sub(lambda _: f"{{p{next(counter)}:", text)


def named(params: Sequence[Any]) -> dict[str, Any]:
    """The parameters of a numbered text (:meth:`ClickhouseDialect.finish`) by name."""
    return {f"p{i}": v for i, v in enumerate(params)}


def timestamp_param(value: datetime) -> str:
    """A DateTime64 value as ClickHouse parses it (``YYYY-MM-DD HH:MM:SS.ffffff``, UTC)."""
    v = value.astimezone(UTC)
    return (f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:"
            f"{v.second:02d}.{v.microsecond:06d}")


def decimal_text(value: Decimal) -> str:
    """A decimal in plain notation (no exponent)."""
    return format(value, "f")


def normalise_json(value: Any) -> Any:
    """A decoded JSON value as ClickHouse can read every leaf of: integers outside
    Int64/UInt64 become doubles (ClickHouse reads them as strings), numbers beyond the double
    range and infinities the largest double of their sign (one ``1e400`` makes every path of
    a document unreadable; PostgreSQL compares them so too), NaN null."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        if _INT64_MIN <= value <= _UINT64_MAX:
            return value
        try:
            return float(value)
        except OverflowError:
            return _MAX_DOUBLE if value > 0 else -_MAX_DOUBLE
    if isinstance(value, float):
        if value != value:
            return None
        return value if math.isfinite(value) else math.copysign(_MAX_DOUBLE, value)
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return normalise_json(int(value))
        return normalise_json(float(value))
    if isinstance(value, Mapping):
        return {k: normalise_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise_json(v) for v in value]
    return value


DecimalTest = tuple[Operator, Decimal] | bool


def _units_bound(units: int, upper: bool) -> DecimalTest:
    if upper:
        if units < -_UNITS:
            return False
        return True if units >= _UNITS else (Operator.LE, Decimal(units).scaleb(-DECIMAL_SCALE))
    if units > _UNITS:
        return False
    return True if units <= -_UNITS else (Operator.GE, Decimal(units).scaleb(-DECIMAL_SCALE))


def decimal_test(op: Operator, value: Decimal) -> DecimalTest:
    """``x op value`` for a ``Decimal(38, 18)`` x, as an exact test at that scale."""
    units = value.scaleb(DECIMAL_SCALE)
    floor, ceil = math.floor(units), math.ceil(units)
    exact = floor == ceil and -_UNITS <= floor <= _UNITS
    if op is Operator.EQ:
        return (Operator.EQ, Decimal(floor).scaleb(-DECIMAL_SCALE)) if exact else False
    if op is Operator.NE:
        return (Operator.NE, Decimal(floor).scaleb(-DECIMAL_SCALE)) if exact else True
    if op is Operator.LT:
        return _units_bound(ceil - 1, True)
    if op is Operator.LE:
        return _units_bound(floor, True)
    if op is Operator.GT:
        return _units_bound(floor + 1, False)
    if op is Operator.GE:
        return _units_bound(ceil, False)
    raise ValueError(f"{op} is not a comparison operator")


class ClickhouseCodec(Codec):
    """Storage forms: lower-case UUID text, exact ``Decimal`` at scale 18, aware UTC
    ``datetime``, ``bool``, normalised JSON text."""

    column_types: ClassVar[Mapping[FieldType, str]] = {
        FieldType.STRING: "String",
        FieldType.UUID: "String",
        FieldType.INTEGER: "Int64",
        FieldType.DECIMAL: DECIMAL_TYPE,
        FieldType.FLOAT: "Float64",
        FieldType.BOOLEAN: "Bool",
        FieldType.TIMESTAMP: TIMESTAMP_TYPE,
        FieldType.JSON: "String",
    }

    def store(self, ftype: FieldType, native: Any) -> Any:
        if native is None:
            return None
        if ftype is FieldType.UUID:
            return str(native).lower()
        if ftype is FieldType.DECIMAL:
            value = Decimal(native)
            units = value.scaleb(DECIMAL_SCALE)
            if units != units.to_integral_value() or abs(units) > _UNITS:
                raise ValueError(f"{value} does not fit {DECIMAL_TYPE} exactly")
            return value
        if ftype is FieldType.TIMESTAMP:
            return native.astimezone(UTC)
        if ftype is FieldType.FLOAT:
            return float(native)
        if ftype is FieldType.JSON:
            return json_text(normalise_json(native))
        return native

    def integer_bound(self, value: int | float | Decimal) -> Any:
        return value if isinstance(value, int) else float(value)

    def decode(self, ftype: FieldType, raw: Any) -> Any:
        if raw is None:
            return None
        if ftype is FieldType.TIMESTAMP and isinstance(raw, str):
            return datetime.fromisoformat(raw).replace(tzinfo=UTC)
        if ftype is FieldType.TIMESTAMP and isinstance(raw, datetime):
            return raw.replace(tzinfo=UTC) if raw.tzinfo is None else raw.astimezone(UTC)
        if ftype is FieldType.DECIMAL:
            return Decimal(str(raw))
        if ftype is FieldType.FLOAT:
            return float(raw)
        if ftype is FieldType.BOOLEAN:
            return bool(raw)
        if ftype is FieldType.JSON and isinstance(raw, str):
            return parse_json(raw)
        return raw


def _like_pattern(pattern: str) -> str:
    """A q LIKE pattern as ClickHouse reads it: ``\\%``, ``\\_``, ``\\\\`` kept, any other
    ``\\c`` written as ``c`` (ClickHouse would read a backslash and ``c``)."""
    out: list[str] = []
    chars = iter(pattern)
    for char in chars:
        if char == "\\":
            char = next(chars, "\\")
            out.append("\\" + char if char in "%_\\" else char)
        else:
            out.append(char)
    return "".join(out)


def _lower_ascii(text: str) -> str:
    return text.translate(_LOWER)


_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_JSON_NUMBER = "('Int64', 'UInt64', 'Double')"


class ClickhouseDialect(Dialect):
    """ClickHouse 26.9+ (MergeTree): chdb ``Session`` or a clickhouse-connect client."""

    name: ClassVar[str] = "clickhouse"
    placeholder: ClassVar[str] = "{p:String}"
    codec: ClassVar[Codec] = ClickhouseCodec()
    decimal_scale: ClassVar[int | None] = DECIMAL_SCALE
    to_one_key_sets: ClassVar[bool] = True

    # -- identifiers and parameters -----------------------------------------------------------

    def quote(self, name: str) -> str:
        escaped = (name.replace("\\", "\\\\").replace('"', '""')
                   .replace("{", "\\x7B").replace("}", "\\x7D"))
        return '"' + escaped + '"'

    def param(self, value: Any) -> Sql:
        return Sql(f"{{p:{ch_type(value)}}}", (value,))

    def text_param(self, value: str) -> Sql:
        return Sql("{p:String}", (value,))

    def column_type(self, ftype: FieldType) -> str:
        return f"Nullable({self.codec.column_types[ftype]})"

    def finish(self, query: Sql) -> Sql:
        return Sql(number_placeholders(query.text), query.params)

    # -- expressions ----------------------------------------------------------------------------

    def to_double(self, expr: Sql) -> Sql:
        return sql("toFloat64({})", expr)

    def decimal_test(self, op: Operator, value: Decimal) -> DecimalTest | None:
        return decimal_test(op, value)

    def like(self, expr: Sql, pattern: str) -> Sql:
        return sql("{} LIKE {}", expr, self.text_param(_like_pattern(pattern)))

    def ilike(self, expr: Sql, pattern: str) -> Sql:
        return sql("lower({}) LIKE {}", expr,
                   self.text_param(_lower_ascii(_like_pattern(pattern))))

    def contains(self, expr: Sql, text: str) -> Sql:
        return sql("position({}, {}) > 0", expr, self.text_param(text))

    def starts_with(self, expr: Sql, text: str) -> Sql:
        return sql("startsWith({}, {})", expr, self.text_param(text))

    def ends_with(self, expr: Sql, text: str) -> Sql:
        return sql("endsWith({}, {})", expr, self.text_param(text))

    def json_leaf(self, doc: Sql, keys: Sequence[str], kind: JsonKind | None,
                  new_alias: Callable[[], str]) -> Sql:
        if not keys and kind is not None:
            raise ValueError("a json field itself is only null-tested")
        args = Sql(", ").join([doc, *(self.text_param(k) for k in keys)])
        type_ = sql("JSONType({})", args)
        if kind is None:
            return type_
        if kind is JsonKind.STRING:
            return sql("(CASE WHEN {} = 'String' THEN JSONExtractString({}) END)", type_, args)
        if kind is JsonKind.NUMBER:
            return sql(f"(CASE WHEN {{}} IN {_JSON_NUMBER} THEN JSONExtractFloat({{}}) END)",
                       type_, args)
        return sql("(CASE WHEN {} = 'Bool' THEN JSONExtractBool({}) END)", type_, args)

    def json_is_null(self, leaf_type: Sql, negated: bool) -> Sql:
        return sql("COALESCE({}, 'Null') " + ("<>" if negated else "=") + " 'Null'", leaf_type)

    def quantified(self, kind: Quantifier, from_sql: Sql, join_sql: Sql, condition: Sql,
                   outer_key: Sql, inner_key: Sql) -> Sql:
        # join_sql (inner = outer) is replaced by the IN; ifNull: a NULL outer key (after a
        # to-one hop) reaches no records.
        if kind is Quantifier.ANY:
            return sql("ifNull({} IN (SELECT {} FROM {} WHERE {}), 0)",
                       outer_key, inner_key, from_sql, condition)
        return sql("(NOT ifNull({} IN (SELECT {} FROM {} WHERE ({}) IS NOT TRUE), 0))",
                   outer_key, inner_key, from_sql, condition)

    # -- statements and running -----------------------------------------------------------------

    def reference_ddl(self, schema: Schema) -> str | None:
        from qexpr.backends.clickhouse.layout import reference_ddl

        return reference_ddl(self, schema)

    def fetch(self, conn: Any, query: Sql) -> list[tuple[Any, ...]]:
        from qexpr.backends.clickhouse import rows

        done = self.finish(query)
        return rows(conn, done.text, list(done.params))

    def write_batches(self, conn: Any, batches: Iterable[tuple[str, Sequence[str], int, bool,
                                                              list[tuple[Any, ...]]]]) -> bool:
        from qexpr.backends.clickhouse import insert_batches

        insert_batches(conn, self, list(batches))
        return True


CLICKHOUSE = ClickhouseDialect()
