"""The reference storage layout of a schema, as CREATE TABLE / CREATE INDEX statements.

One table per record type (``RecordType.table``; the Run record's is ``runs``), one column per
field (``Field.column``) typed by the dialect (PostgreSQL: text, uuid, bigint, numeric,
double precision, boolean, timestamptz, jsonb; SQLite: TEXT, TEXT holding the lower-case UUID,
INTEGER, REAL for decimals (compared as doubles), REAL, INTEGER 0/1, TEXT holding fixed-width
UTC timestamps ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, TEXT holding JSON), then the join columns that
are not fields (``Schema.extra_columns``, e.g. ``run_evaluation_summaries.run_id``).

Text columns are declared in the dialect's code-point collation (PostgreSQL: ``text COLLATE
"C"``; SQLite's BINARY default already is one), so that ordinary indexes on them serve q's
code-point order too: ordering comparisons, BETWEEN, prefix patterns and ``ORDER BY`` (the
compiler writes ``COLLATE "C"`` there, which PostgreSQL drops on a ``"C"`` column), as well as
equality, ``!=`` and ``IN`` (written without a COLLATE, so any deterministic collation's index
serves them). The fields' ``code_point_collation`` flag stays False for these columns: the
SQL is then right on any table a schema names, and loses no index on the reference one.

The record key is the primary key; every remote join key that is not a primary key gets an
index, so each relation step of a filter is an index lookup. When the root record has a
sortable ``created_at``, ``(created_at, key)`` is indexed too (``runs_created_at_id_idx``): it
serves the search's default order ``created_at:desc, id:desc`` (scanned backwards) and its
keyset condition, so a page is an index range scan rather than a sort. When the root record
also has an ``org_id`` field (the Run record has), ``(org_id, created_at, key)`` is indexed
(``runs_org_id_created_at_id_idx``): a tenant's page (``org_id = ?`` and the default order)
is then one index range, however many other tenants share the table. There are no foreign-key
constraints: records can be loaded in any order, and a to-one key may name a record that is
not stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from qexpr.backends.sql.dialects import Dialect, get_dialect
from qexpr.schema.model import FieldType, RecordType, Schema

_MAX_NAME_BYTES = 63  # PostgreSQL truncates longer identifiers


def index_name(table: str, column: str) -> str:
    """The reference name of an index on ``table`` (``column``: its columns joined by ``_``),
    shortened with a digest past PostgreSQL's 63-byte limit."""
    name = f"{table}_{column}_idx"
    if len(name.encode()) > _MAX_NAME_BYTES:
        digest = hashlib.sha1(name.encode()).hexdigest()[:10]
        name = name.encode()[: _MAX_NAME_BYTES - 11].decode(errors="ignore") + "_" + digest
    return name


@dataclass(frozen=True, slots=True)
class Index:
    """One index of the reference layout."""

    name: str
    table: str
    columns: tuple[str, ...]


def table_columns(schema: Schema, rec: RecordType) -> list[tuple[str, FieldType]]:
    """The columns of ``rec``'s table, with their types: its fields, then its join keys."""
    return [(f.column, f.type) for f in rec.fields] + list(schema.extra_columns(rec.name))


def reference_indexes(schema: Schema) -> list[Index]:
    """The indexes of the reference layout: every remote join key that is not a table's key,
    and on the root table ``(created_at, id)`` for the default order and ``(org_id,
    created_at, id)`` for a tenant's pages."""
    indexed: dict[tuple[str, str], None] = {}
    for rec in schema.records:
        for rel in rec.relations:
            target = schema.target(rel)
            column = target.column_of(rel.remote_key)
            if column != target.key_column:
                indexed[target.table, column] = None
    out = [Index(index_name(table, column), table, (column,)) for table, column in indexed]
    root = schema.root_record
    created = root.field("created_at")
    if created is not None and created.sortable:
        orders: list[tuple[str, ...]] = [(created.column, root.key_column)]
        org = root.field("org_id")
        if org is not None and org.type is not FieldType.JSON:
            orders.append((org.column, *orders[0]))
        out += [Index(index_name(root.table, "_".join(cols)), root.table, cols)
                for cols in orders]
    return out


def _column_type(d: Dialect, ftype: FieldType) -> str:
    """A column's type, text in the dialect's code-point collation."""
    collation = d.code_point_collation
    if ftype is FieldType.STRING and collation is not None:
        return f"{d.column_type(ftype)} COLLATE {collation}"
    return d.column_type(ftype)


def reference_ddl(dialect: str | Dialect, schema: Schema | None = None) -> str:
    """CREATE TABLE and CREATE INDEX statements (``;``-terminated) of the reference layout.

    Run it with ``sqlite3.Connection.executescript`` or psycopg's ``Connection.execute``.
    """
    d = get_dialect(dialect)
    if schema is None:
        from qexpr.schema.run import RUN_SCHEMA

        schema = RUN_SCHEMA
    own = d.reference_ddl(schema)  # a dialect with a layout of its own (ClickHouse)
    if own is not None:
        return own
    statements: list[str] = []
    for rec in schema.records:
        lines = [f"  {d.quote(column)} {_column_type(d, ftype)}"
                 for column, ftype in table_columns(schema, rec)]
        lines.append(f"  PRIMARY KEY ({d.quote(rec.key_column)})")
        statements.append(f"CREATE TABLE {d.quote(rec.table)} (\n" + ",\n".join(lines) + "\n)")
    for index in reference_indexes(schema):
        statements.append(f"CREATE INDEX {d.quote(index.name)} ON {d.quote(index.table)} "
                          f"({', '.join(d.quote(c) for c in index.columns)})")
    return "".join(statement + ";\n" for statement in statements)
