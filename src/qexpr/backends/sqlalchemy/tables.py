"""Which SQLAlchemy tables and columns a schema's records are stored in, checked on use.

The caller names tables as a ``Table`` (or an ORM class: its ``__table__``) for the root
record, a ``MetaData``, a mapping of record type (or table) names to tables, or a sequence of
tables; tables it does not name are looked up by the schema's table names in the root table's
``MetaData``; None means :func:`reference_metadata`. Columns are found by the schema's storage
names (:meth:`Schema.with_storage`), only when a filter or page reads them, and their types
are checked against the storage form the SQL assumes for the dialect (a SQLite timestamp is
text in qexpr's fixed-width form, not SQLAlchemy's ``DateTime``, for instance).

Misuse is a :class:`~qexpr.QError`: a record with no table, or a table without the column,
``unknown_field``; a column of the wrong type ``type_mismatch``; an argument that is no table
at all, :class:`~qexpr.QTypeError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect as SaDialect
from sqlalchemy.sql import sqltypes
from sqlalchemy.sql.expression import FromClause

from qexpr.backends.sql.ddl import reference_indexes, table_columns
from qexpr.errors import ErrorCode, QError
from qexpr.misuse import QTypeError
from qexpr.schema.model import FieldType, RecordType, Schema

_SA_DIALECTS: dict[str, SaDialect] = {
    "postgresql": postgresql.dialect(),  # type: ignore[no-untyped-call,unused-ignore]
    "sqlite": sqlite.dialect(),  # type: ignore[no-untyped-call,unused-ignore]
}

#: Column types (after variants and TypeDecorators) whose storage is the form qexpr's SQL
#: compares with, by dialect and field type; NullType (untyped ``sa.column()``) always passes.
_ACCEPTED: dict[str, dict[FieldType, tuple[type[Any], ...]]] = {
    "postgresql": {
        FieldType.STRING: (sqltypes.String,),
        FieldType.UUID: (sqltypes.Uuid,),
        FieldType.INTEGER: (sqltypes.Integer,),
        FieldType.DECIMAL: (sqltypes.Numeric,),
        FieldType.FLOAT: (sqltypes.Float,),
        FieldType.BOOLEAN: (sqltypes.Boolean,),
        FieldType.TIMESTAMP: (sqltypes.DateTime,),
        FieldType.JSON: (sqltypes.JSON,),
    },
    "sqlite": {
        FieldType.STRING: (sqltypes.String,),
        FieldType.UUID: (sqltypes.String,),
        FieldType.INTEGER: (sqltypes.Integer,),
        FieldType.DECIMAL: (sqltypes.Numeric, sqltypes.Float),
        FieldType.FLOAT: (sqltypes.Numeric, sqltypes.Float),
        FieldType.BOOLEAN: (sqltypes.Boolean, sqltypes.Integer),
        FieldType.TIMESTAMP: (sqltypes.String,),
        FieldType.JSON: (sqltypes.String, sqltypes.JSON),
    },
}

_HINTS: dict[tuple[str, FieldType], str] = {
    ("postgresql", FieldType.TIMESTAMP): "declare it DateTime(timezone=True) (timestamptz)",
    ("postgresql", FieldType.DECIMAL): "declare it Numeric (numeric), not Float",
    ("sqlite", FieldType.UUID): "SQLite stores uuids as canonical lower-case text: declare it "
                                "String/Text (SQLAlchemy's Uuid stores 32 hex digits)",
    ("sqlite", FieldType.TIMESTAMP): "SQLite stores timestamps as fixed-width UTC text "
                                     "YYYY-MM-DDTHH:MM:SS.ffffffZ: declare it String/Text",
}


def sa_dialect(name: str) -> SaDialect:
    """A SQLAlchemy dialect object of that name (for resolving type variants)."""
    return _SA_DIALECTS[name]


def _storage_type(ftype: FieldType) -> sa.types.TypeEngine[Any]:
    """The reference layout's column type, per dialect (see :mod:`qexpr.backends.sql.ddl`)."""
    text = sa.Text()
    types: dict[FieldType, tuple[sa.types.TypeEngine[Any], sa.types.TypeEngine[Any]]] = {
        FieldType.STRING: (sa.Text(collation="C"), text),
        FieldType.UUID: (sa.Uuid(), text),
        FieldType.INTEGER: (sa.BigInteger(), sa.Integer()),
        FieldType.DECIMAL: (sa.Numeric(), sa.REAL()),
        FieldType.FLOAT: (sa.Double(), sa.REAL()),
        FieldType.BOOLEAN: (sa.Boolean(), sa.Integer()),
        FieldType.TIMESTAMP: (sa.DateTime(timezone=True), text),
        FieldType.JSON: (postgresql.JSONB(), text),
    }
    pg, lite = types[ftype]
    return pg.with_variant(lite, "sqlite")


def reference_metadata(schema: Schema | None = None) -> sa.MetaData:
    """The reference layout of ``schema`` (default: the Run schema) as a ``MetaData``: the
    tables, columns, types, primary keys and indexes of :func:`qexpr.reference_ddl`, for
    PostgreSQL and SQLite alike (``metadata.create_all(engine)``). One object per schema
    (what ``to_sqlalchemy`` uses by default, so its tables are yours): treat it as read-only.
    """
    if schema is None:
        from qexpr.schema.run import RUN_SCHEMA

        schema = RUN_SCHEMA
    return _reference_metadata(schema)


@lru_cache(maxsize=32)
def _reference_metadata(schema: Schema) -> sa.MetaData:
    metadata = sa.MetaData()
    for rec in schema.records:
        sa.Table(rec.table, metadata, *(
            sa.Column(c, _storage_type(t), primary_key=c == rec.key_column, nullable=True)
            for c, t in table_columns(schema, rec)))
    for index in reference_indexes(schema):
        table = metadata.tables[index.table]
        sa.Index(index.name, *(table.c[c] for c in index.columns))
    return metadata


def _as_from(value: Any, what: str) -> FromClause:
    if isinstance(value, FromClause):
        return value
    table = getattr(value, "__table__", None)
    if isinstance(table, FromClause):
        return table
    raise QTypeError(f"{what} must be a SQLAlchemy Table (or an ORM class), not "
                     f"{type(value).__name__}")


class Tables:
    """The tables of one schema's records, for one dialect; columns checked as they are used."""

    def __init__(self, schema: Schema, tables: Any, dialect: str) -> None:
        self.schema = schema
        self.dialect = dialect
        self._sa_dialect = sa_dialect(dialect)
        self._given: dict[str, FromClause] = {}
        self._metadata: sa.MetaData | None = None
        root = schema.root_record
        if tables is None:
            self._metadata = reference_metadata(schema)
        elif isinstance(tables, sa.MetaData):
            self._metadata = tables
        elif isinstance(tables, Mapping):
            for name, value in tables.items():
                rec = self._record_named(str(name))
                self._given[rec.name] = _as_from(value, f"the table of {rec.name}")
        elif isinstance(tables, Sequence) and not isinstance(tables, str | bytes):
            by_table = {r.table: r for r in schema.records}
            for value in tables:
                table = _as_from(value, "each table")
                rec_ = by_table.get(getattr(table, "name", ""))
                if rec_ is None:
                    raise QError(ErrorCode.UNKNOWN_FIELD, f"table {table.description!r} "
                                 "stores no record type of the schema",
                                 hint="tables: " + ", ".join(sorted(by_table)))
                self._given[rec_.name] = table
        else:
            self._given[root.name] = _as_from(tables, "table_or_tables")
        if self._metadata is None:
            first = self._given.get(root.name)
            base = getattr(first, "element", first)  # an alias: its table's MetaData
            self._metadata = getattr(first, "metadata", None) or getattr(base, "metadata", None)

    def _record_named(self, name: str) -> RecordType:
        for rec in self.schema.records:
            if name in (rec.name, rec.table):
                return rec
        raise QError(ErrorCode.UNKNOWN_FIELD, f"{name!r} is no record type or table of the "
                     "schema", hint="record types: " + ", ".join(
                         r.name for r in self.schema.records))

    def table(self, rec: RecordType) -> FromClause:
        """The table ``rec`` is stored in."""
        found = self._given.get(rec.name)
        if found is None and self._metadata is not None:
            found = self._metadata.tables.get(rec.table)
            if found is None:
                found = next((t for t in self._metadata.tables.values()
                              if t.name == rec.table), None)
        if found is None:
            raise QError(ErrorCode.UNKNOWN_FIELD, f"no table {rec.table!r} for {rec.name} "
                         "records", hint=f"pass it, e.g. tables={{{rec.name!r}: <Table>}}, "
                                         "or put it in the same MetaData")
        self._given[rec.name] = found
        return found

    def column(self, table: FromClause, rec: RecordType, name: str,
               ftype: FieldType) -> sa.ColumnElement[Any]:
        """Column ``name`` of ``table`` (or an alias of it), checked to hold ``ftype`` values."""
        try:
            col = table.c[name]
        except KeyError:
            shown = getattr(table, "name", None) or rec.table
            raise QError(ErrorCode.UNKNOWN_FIELD,
                         f"table {shown!r} has no column {name!r} ({rec.name} storage)",
                         hint="name the column with Schema.with_storage(columns=...) or add "
                              "it to the table") from None
        self._check_type(col, rec, name, ftype)
        return col

    def _check_type(self, col: sa.ColumnElement[Any], rec: RecordType, name: str,
                    ftype: FieldType) -> None:
        declared = col.type
        if isinstance(declared, sqltypes.NullType):
            return
        actual = declared.dialect_impl(self._sa_dialect)
        if isinstance(actual, sa.types.TypeDecorator):
            actual = actual.load_dialect_impl(self._sa_dialect)
        accepted = _ACCEPTED[self.dialect][ftype]
        bad = not isinstance(actual, accepted)
        if ftype is FieldType.DECIMAL and self.dialect == "postgresql":
            bad = bad or isinstance(actual, sqltypes.Float)
        if ftype is FieldType.TIMESTAMP and self.dialect == "postgresql":
            bad = bad or not getattr(actual, "timezone", False)
        if bad:
            raise QError(ErrorCode.TYPE_MISMATCH,
                         f"column {rec.table}.{name} is {declared!r}, which does not hold "
                         f"{ftype.value} values as {self.dialect} SQL of qexpr compares them",
                         hint=_HINTS.get((self.dialect, ftype),
                                         "see qexpr.reference_metadata(schema) for the types"))
