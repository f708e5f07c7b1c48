"""The pieces of SQL that differ between PostgreSQL and SQLite, as SQLAlchemy constructs.

Each class follows the decisions of its text twin in :mod:`qexpr.backends.sql.dialects`
(the same collation, the same pattern tests, the same JSON leaves and guards, the same
storage forms from its codec); only the spelling is SQLAlchemy's. Every value is a
``bindparam`` with an explicit type, so neither the column's Python-side processors nor type
inference change what is bound; constants the backend writes itself (JSON type names, the
double range) are ``literal_column``. Where SQLAlchemy has no construct for the text form, an
equivalent one is used: ``strpos(x, p)`` for ``POSITION(p IN x)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.expression import ColumnElement, FromClause

from qexpr.backends.sql.codec import json_text
from qexpr.backends.sql.dialects import (
    POSTGRESQL,
    SQLITE,
    SQLITE_NESTED_KEYS,
    Dialect,
    like_to_glob,
)
from qexpr.operators import Operator
from qexpr.plan.nodes import JsonKind
from qexpr.schema.model import FieldType

Expr = ColumnElement[Any]
_MAX_DOUBLE = "1.7976931348623157e308"


def const(sql_text: str, type_: Any = None) -> Expr:
    """SQL the backend writes itself (never a value from a filter)."""
    return sa.literal_column(sql_text, type_)


class SaDialect:
    """SQL both databases share, as SQLAlchemy constructs; subclasses override what differs."""

    q: ClassVar[Dialect]
    bind_types: ClassVar[dict[FieldType, Any]]
    double: ClassVar[Any] = sa.Double

    def bind(self, value: Any, type_: Any) -> Expr:
        """A parameter bound to ``value`` as ``type_``."""
        return sa.bindparam(None, value, type_=type_() if isinstance(type_, type) else type_)

    def text_param(self, value: str) -> Expr:
        """A text parameter."""
        return self.bind(value, sa.Text)

    def param(self, ftype: FieldType, native: Any) -> Expr:
        """A plan literal bound against a ``ftype`` column in its storage form."""
        if ftype is FieldType.STRING:
            return self.text_param(native)
        return self.bind(self.q.codec.literal(ftype, native), self.bind_types[ftype])

    def int_param(self, value: int) -> Expr:
        """A 64-bit integer parameter."""
        return self.bind(value, self.bind_types[FieldType.INTEGER])

    def json_param(self, kind: JsonKind, native: Any) -> Expr:
        """A literal compared with a JSON leaf read as ``kind``."""
        if kind is JsonKind.STRING:
            return self.text_param(native)
        if kind is JsonKind.NUMBER:
            return self.bind(float(native), sa.Double)
        return self.param(FieldType.BOOLEAN, native)

    def collate(self, expr: Expr, code_point: bool = False) -> Expr:
        """``expr`` ordered by code point (see :meth:`Dialect.collate`)."""
        name = self.q.code_point_collation
        if code_point or name is None:
            return expr
        return sa.collate(expr, name.strip('"'))

    def collate_compare(self, expr: Expr, op: Operator, code_point: bool = False) -> Expr:
        """No collation for equality, the code-point one for order."""
        if op in (Operator.EQ, Operator.NE, Operator.IN):
            return expr
        return self.collate(expr, code_point)

    def to_double(self, expr: Expr) -> Expr:
        """A numeric expression as a double."""
        return sa.cast(expr, self.double())

    def pattern(self, op: Operator, expr: Expr, text: str, code_point: bool = False) -> Expr:
        """``expr`` tested by a pattern operator."""
        method: Callable[[Expr, str], Expr] = {
            Operator.LIKE: self.like,
            Operator.ILIKE: self.ilike,
            Operator.CONTAINS: self.contains,
            Operator.STARTS_WITH: self.starts_with,
            Operator.ENDS_WITH: self.ends_with,
        }[op]
        return method(self.collate(expr, code_point), text)

    def like(self, expr: Expr, pattern: str) -> Expr:
        """Case-sensitive LIKE with q's backslash escapes."""
        return expr.like(self.text_param(pattern), escape="\\")

    def ilike(self, expr: Expr, pattern: str) -> Expr:
        """LIKE with ASCII-only case folding."""
        return expr.ilike(self.text_param(pattern), escape="\\")

    def contains(self, expr: Expr, text: str) -> Expr:
        """Substring test."""
        raise NotImplementedError

    def starts_with(self, expr: Expr, text: str) -> Expr:
        """Prefix test."""
        return sa.func.substr(expr, const("1"), sa.func.length(self.text_param(text))) \
            == self.text_param(text)

    def ends_with(self, expr: Expr, text: str) -> Expr:
        """Suffix test (right for the empty suffix)."""
        start = sa.func.length(expr) - sa.func.length(self.text_param(text)) + const("1")
        return sa.func.substr(expr, start) == self.text_param(text)

    def json_leaf(self, doc: Expr, keys: Sequence[str], kind: JsonKind | None,
                  outer: FromClause) -> Expr:
        """The leaf at ``keys`` in ``doc`` read as ``kind`` (None: its JSON type name);
        ``outer`` is the table ``doc`` is read from (subqueries correlate to it)."""
        raise NotImplementedError

    def json_is_null(self, leaf_type: Expr, negated: bool) -> Expr:
        """IS [NOT] NULL of a JSON value from its type name."""
        value = sa.func.coalesce(leaf_type, const("'null'"))
        return value != const("'null'") if negated else value == const("'null'")


class SaPostgres(SaDialect):
    """PostgreSQL (psycopg 3 under SQLAlchemy)."""

    q: ClassVar[Dialect] = POSTGRESQL
    bind_types: ClassVar[dict[FieldType, Any]] = {
        FieldType.UUID: sa.Uuid, FieldType.INTEGER: sa.BigInteger,
        FieldType.DECIMAL: sa.Numeric, FieldType.FLOAT: sa.Double,
        FieldType.BOOLEAN: sa.Boolean, FieldType.TIMESTAMP: sa.DateTime(timezone=True),
    }

    def contains(self, expr: Expr, text: str) -> Expr:
        return sa.func.strpos(expr, self.text_param(text)) > const("0")

    def starts_with(self, expr: Expr, text: str) -> Expr:
        return sa.func.starts_with(expr, self.text_param(text), type_=sa.Boolean)

    def ends_with(self, expr: Expr, text: str) -> Expr:
        return sa.func.right(expr, sa.func.length(self.text_param(text))) \
            == self.text_param(text)

    def json_leaf(self, doc: Expr, keys: Sequence[str], kind: JsonKind | None,
                  outer: FromClause) -> Expr:
        jsonb = postgresql.JSONB()
        if not isinstance(doc.type, postgresql.JSONB):
            doc = sa.cast(doc, jsonb)
        if not keys:
            if kind is not None:
                raise ValueError("a json field itself is only null-tested")
            return sa.func.jsonb_typeof(doc)
        parent = doc
        for key in keys[:-1]:
            parent = parent.op("->", return_type=jsonb)(self.text_param(key))
        last = self.text_param(keys[-1])
        v = parent.op("->", return_type=jsonb)(last)
        typeof = sa.func.jsonb_typeof(v)
        if kind is None:
            return typeof
        if kind is JsonKind.STRING:
            return sa.case((typeof == const("'string'"),
                            parent.op("->>", return_type=sa.Text())(last)))
        if kind is JsonKind.BOOLEAN:
            return sa.case((typeof == const("'boolean'"), sa.cast(v, sa.Boolean)))
        clamped = sa.func.least(sa.func.greatest(sa.cast(v, sa.Numeric),
                                                 const("-" + _MAX_DOUBLE)), const(_MAX_DOUBLE))
        return sa.case((typeof == const("'number'"), sa.cast(clamped, sa.Double)))


class SaSqlite(SaDialect):
    """SQLite 3.38+ (pysqlite or aiosqlite under SQLAlchemy)."""

    q: ClassVar[Dialect] = SQLITE
    bind_types: ClassVar[dict[FieldType, Any]] = {
        FieldType.UUID: sa.Text, FieldType.INTEGER: sa.Integer,
        FieldType.DECIMAL: sa.Double, FieldType.FLOAT: sa.Double,
        FieldType.BOOLEAN: sa.Integer, FieldType.TIMESTAMP: sa.Text,
    }
    double: ClassVar[Any] = sa.REAL

    def like(self, expr: Expr, pattern: str) -> Expr:
        # SQLite's LIKE ignores ASCII case; GLOB is case-sensitive.
        return expr.op("GLOB", is_comparison=True)(self.text_param(like_to_glob(pattern)))

    def ilike(self, expr: Expr, pattern: str) -> Expr:
        # SQLite's LIKE folds ASCII letters only: exactly q's ILIKE (SQLAlchemy's ilike()
        # would write lower(x) LIKE lower(p)).
        return expr.like(self.text_param(pattern), escape="\\")

    def contains(self, expr: Expr, text: str) -> Expr:
        return sa.func.instr(expr, self.text_param(text)) > const("0")

    def json_leaf(self, doc: Expr, keys: Sequence[str], kind: JsonKind | None,
                  outer: FromClause) -> Expr:
        if not keys:
            if kind is not None:
                raise ValueError("a json field itself is only null-tested")
            return sa.func.json_type(doc)
        if len(keys) > SQLITE_NESTED_KEYS:
            return self._json_walk(doc, keys, kind, outer)
        for index, key in enumerate(keys):
            j = sa.func.json_each(doc).table_valued("key", "value", "type").alias()
            if index < len(keys) - 1:
                leaf: Expr = sa.case((j.c.type == const("'object'"), j.c.value))
            else:
                leaf = _sqlite_leaf(kind, j.c.type, j.c.value)
            doc = (sa.select(leaf).select_from(j).where(j.c.key == self.text_param(key))
                   .correlate(outer).scalar_subquery())
        return doc

    def _json_walk(self, doc: Expr, keys: Sequence[str], kind: JsonKind | None,
                   outer: FromClause) -> Expr:
        """The recursive walk of the text twin: constant SQL nesting for any path length."""
        count = self.bind(len(keys), sa.Integer)
        anchor = sa.select(const("0").label("i"), doc.label("v"),
                           const("'object'").label("t")).correlate(outer)
        w = anchor.cte(recursive=True, nesting=True)
        j = sa.func.json_each(sa.case((w.c.t == const("'object'"), w.c.v))) \
            .table_valued("key", "value", "type").alias()
        position = const("'$['").op("||")(w.c.i).op("||")(const("']'"))
        step = (sa.select(w.c.i + const("1"), j.c.value, j.c.type).select_from(w)
                .join(j, sa.true())
                .where(w.c.i < count,
                       j.c.key == sa.func.json_extract(self.text_param(json_text(list(keys))),
                                                       position)))
        walk = w.union_all(step)
        return (sa.select(_sqlite_leaf(kind, walk.c.t, walk.c.v)).select_from(walk)
                .where(walk.c.i == count).scalar_subquery())


def _sqlite_leaf(kind: JsonKind | None, type_: Expr, value: Expr) -> Expr:
    """A json_each element's value read as ``kind`` (its type name for None)."""
    if kind is None:
        return type_
    if kind is JsonKind.STRING:
        return sa.case((type_ == const("'text'"), value))
    if kind is JsonKind.NUMBER:
        return sa.case((type_.in_([const("'integer'"), const("'real'")]),
                        sa.cast(value, sa.REAL)))
    return sa.case((type_.in_([const("'true'"), const("'false'")]), value))  # 1/0


SA_POSTGRESQL = SaPostgres()
SA_SQLITE = SaSqlite()


def sa_dialect_for(dialect: Dialect) -> SaDialect:
    """The SQLAlchemy twin of a text dialect."""
    if dialect.name == "postgresql":
        return SA_POSTGRESQL
    if dialect.name == "sqlite":
        return SA_SQLITE
    raise ValueError(f"no SQLAlchemy printer for the {dialect.name} dialect")
