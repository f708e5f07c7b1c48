"""The reference storage layout of a schema, as CREATE TABLE / CREATE INDEX statements.

One table per record type (``RecordType.table``; the Run record's is ``runs``), one column per
field (``Field.column``) typed by the dialect (PostgreSQL: text, uuid, bigint, numeric,
double precision, boolean, timestamptz, jsonb; SQLite: TEXT, TEXT holding the lower-case UUID,
INTEGER, REAL for decimals (compared as doubles), REAL, INTEGER 0/1, TEXT holding fixed-width
UTC timestamps ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, TEXT holding JSON), then the join columns that
are not fields (``Schema.extra_columns``, e.g. ``run_evaluation_summaries.run_id``). The
record key is the primary key; every remote join key that is not a primary key gets an index,
so each relation step of a filter is an index lookup. When the root record has a sortable
``created_at``, ``(created_at, key)`` is indexed too (``runs_created_at_id_idx``): it serves
the search's default order ``created_at:desc, id:desc`` (scanned backwards) and its keyset
condition, so a page is an index range scan rather than a sort. There are no foreign-key
constraints: records can be loaded in any order, and a to-one key may name a record that is
not stored.
"""

from __future__ import annotations

import hashlib

from qexpr.backends.sql.dialects import Dialect, get_dialect
from qexpr.schema.model import Schema

_MAX_NAME_BYTES = 63  # PostgreSQL truncates longer identifiers


def _index_name(table: str, column: str) -> str:
    name = f"{table}_{column}_idx"
    if len(name.encode()) > _MAX_NAME_BYTES:
        digest = hashlib.sha1(name.encode()).hexdigest()[:10]
        name = name.encode()[: _MAX_NAME_BYTES - 11].decode(errors="ignore") + "_" + digest
    return name


def reference_ddl(dialect: str | Dialect, schema: Schema | None = None) -> str:
    """CREATE TABLE and CREATE INDEX statements (``;``-terminated) of the reference layout.

    Run it with ``sqlite3.Connection.executescript`` or psycopg's ``Connection.execute``.
    """
    d = get_dialect(dialect)
    if schema is None:
        from qexpr.schema.run import RUN_SCHEMA

        schema = RUN_SCHEMA
    statements: list[str] = []
    for rec in schema.records:
        columns = [(f.column, f.type) for f in rec.fields]
        columns += list(schema.extra_columns(rec.name))
        lines = [f"  {d.quote(column)} {d.column_type(ftype)}" for column, ftype in columns]
        lines.append(f"  PRIMARY KEY ({d.quote(rec.key_column)})")
        statements.append(f"CREATE TABLE {d.quote(rec.table)} (\n" + ",\n".join(lines) + "\n)")
    indexed: dict[tuple[str, str], None] = {}
    for rec in schema.records:
        for rel in rec.relations:
            target = schema.target(rel)
            column = target.column_of(rel.remote_key)
            if column != target.key_column:
                indexed[target.table, column] = None
    for table, column in indexed:
        statements.append(f"CREATE INDEX {d.quote(_index_name(table, column))} "
                          f"ON {d.quote(table)} ({d.quote(column)})")
    root = schema.root_record
    created = root.field("created_at")
    if created is not None and created.sortable:
        key = root.key_column
        name = _index_name(root.table, f"{created.column}_{key}")
        statements.append(f"CREATE INDEX {d.quote(name)} ON {d.quote(root.table)} "
                          f"({d.quote(created.column)}, {d.quote(key)})")
    return "".join(statement + ";\n" for statement in statements)
