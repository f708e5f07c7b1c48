"""The reference layout in ClickHouse: one MergeTree table per record type.

Every field column is ``Nullable`` (NULL must stay NULL), except the record key, which is in
the sort key. The root table is sorted by ``(org_id, created_at, key)`` when it has those
fields (a tenant's page in the default order is one range of the primary index); a table joined
by a column other than its key is sorted by ``(that column, key)`` (``node_runs`` by
``run_id``: the rows of a page's runs are adjacent, and a cluster shards them with their run).
Nullable columns in a sort key need ``allow_nullable_key``.

The root table also carries a projection sorted by the same key without ``org_id``
(:func:`page_projection`): a page across tenants in the default order (``created_at``, key)
is then read in order from the newest granule and stops after ``limit + 1`` matches
(``optimize_read_in_order``; the other columns are read for those rows only, by lazy
materialisation), instead of sorting every match. Measured with chdb 26.9 at 100k runs: a
first page of ``metadata.tier = "gold"`` 89 -> 16 ms, of a selective filter 66 -> 22 ms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qexpr.schema.model import FieldType, Schema

if TYPE_CHECKING:
    from qexpr.backends.sql.dialects import Dialect


def sort_keys(schema: Schema) -> dict[str, list[str]]:
    """Table -> its sort key columns."""
    joined: dict[str, list[str]] = {}
    for rec in schema.records:
        for rel in rec.relations:
            target = schema.target(rel)
            column = target.column_of(rel.remote_key)
            if column != target.key_column and column not in joined.setdefault(target.table, []):
                joined[target.table].append(column)
    keys: dict[str, list[str]] = {}
    root = schema.root_record
    for rec in schema.records:
        order = list(joined.get(rec.table, [])[:1])
        if rec is root:
            for name in ("org_id", "created_at"):
                f = rec.field(name)
                if f is not None and f.type is not FieldType.JSON:
                    order.append(f.column)
        keys[rec.table] = [*[c for c in order if c != rec.key_column], rec.key_column]
    return keys


def page_projection(schema: Schema) -> list[str]:
    """Sort key of the root table's page projection (empty: none, the key already starts
    with the page order)."""
    root = schema.root_record
    tenant = root.field("org_id")
    key = sort_keys(schema)[root.table]
    if tenant is None or not key or key[0] != tenant.column:
        return []
    return key[1:]


def reference_ddl(d: Dialect, schema: Schema) -> str:
    """CREATE TABLE statements (``;``-terminated) of the ClickHouse layout."""
    statements: list[str] = []
    orders = sort_keys(schema)
    for rec in schema.records:
        columns = [(f.column, f.type) for f in rec.fields]
        columns += list(schema.extra_columns(rec.name))
        lines = []
        for column, ftype in columns:
            kind = d.column_type(ftype)
            if column == rec.key_column:
                kind = d.codec.column_types[ftype]
            lines.append(f"  {d.quote(column)} {kind}")
        if rec is schema.root_record and (projection := page_projection(schema)):
            by = ", ".join(d.quote(c) for c in projection)
            lines.append(f"  PROJECTION {d.quote('page_order')} (SELECT * ORDER BY ({by}))")
        order = ", ".join(d.quote(c) for c in orders[rec.table])
        statements.append(f"CREATE TABLE {d.quote(rec.table)} (\n" + ",\n".join(lines)
                          + f"\n) ENGINE = MergeTree ORDER BY ({order}) "
                          "SETTINGS allow_nullable_key = 1")
    return "".join(statement + ";\n" for statement in statements)
