"""Loading records into the reference layout (:mod:`qexpr.backends.sql.ddl`), relations included.

Records are run objects as the API returns them (JSON-decoded: timestamps, decimals and UUIDs
as strings) or with native values (``datetime``, ``Decimal``, ``UUID``). Every nested relation
is stored in its own table:

- to-many children (``node_runs``, ``model.pricing``) get their join column from the parent
  (``node_runs.run_id`` = the run's ``id``), whatever they say themselves;
- a to-one record joined on the parent's key (``current_evaluation_summary``, keyed by
  ``run_id``) is owned by the parent and gets the parent's key the same way;
- a to-one record with a key of its own (``model``, ``comfyui_workflow``) is shared: it is
  inserted once (``ON CONFLICT DO NOTHING`` / ``INSERT OR IGNORE``; within one call, later
  copies and their nested records are skipped), and sets the parent's join column
  (``runs.model_id``) when the parent has none; without a key of its own it is skipped.

A run record's ``evaluations`` (Run schema: a list of evaluations, each with its ``issues``)
fill ``run_evaluations`` and ``run_evaluation_issues`` like any to-many relation; its
``current_evaluation_summary`` is then derived from the current evaluation
(:func:`qexpr.schema.run.derive_summary`).

Every other record needs its key (the primary key of its table): ``ValueError`` otherwise.

A relation absent from a record, ``null`` or ``[]`` inserts nothing. A top-level JSON ``null``
is stored as SQL NULL. Values are read as the in-memory predicate reads them: a value of
another type than its field's (text in an integer field, a malformed UUID, decimal or
timestamp, a boolean anywhere but a boolean field) is null; timestamps without an offset are
UTC; a float for a decimal is its shortest repr. A number no integer column can hold (``1.5``,
beyond 64 bits) raises ``ValueError`` naming the column. All rows go in one transaction (see
:func:`load_records`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal
from typing import Any

from qexpr.backends.predicate.values import COERCERS
from qexpr.backends.sql.dialects import Dialect, get_dialect
from qexpr.schema.model import FieldType, RecordType, Schema

_INT64 = range(-(2**63), 2**63)


def native_value(ftype: FieldType, value: Any, where: str = "value") -> Any:
    """An API-shaped or native value as the native Python value of ``ftype`` (UUIDs as their
    canonical text, timestamps in UTC), read exactly as the in-memory predicate reads it
    (:data:`qexpr.backends.predicate.values.COERCERS`): None for null and for a value of
    another type. A number that an integer column cannot hold raises ``ValueError``."""
    if value is None or ftype is FieldType.JSON:
        return value
    native = COERCERS[ftype](value)
    if native is None:
        return None
    if ftype is FieldType.INTEGER:
        if isinstance(native, int):
            number = native
        elif native != int(native):
            raise ValueError(f"{where}: {value!r} is not an integer and an integer column "
                             "cannot hold it")
        else:
            number = int(native)
        if number not in _INT64:
            raise ValueError(f"{where}: {value!r} does not fit a 64-bit integer column")
        return number
    if ftype is FieldType.DECIMAL:
        return Decimal(native)
    if ftype is FieldType.TIMESTAMP:
        try:
            return native.astimezone(UTC)
        except OverflowError:
            raise ValueError(f"{where}: {value!r} is outside the years 0001-9999 in UTC") from None
    return native


Converter = Callable[[Any], Any]


def _converter(dialect: Dialect, ftype: FieldType, where: str) -> Converter:
    """Raw record value (not None) -> stored value, for one column."""
    store = dialect.codec.store
    if ftype is FieldType.STRING:
        return lambda v: store(ftype, v) if isinstance(v, str) else None

    def convert(value: Any) -> Any:
        return store(ftype, native_value(ftype, value, where))

    return convert


@dataclass(frozen=True, slots=True)
class _Link:
    """How one relation of a record type is stored."""

    name: str
    target: str
    kind: str  # "many", "owned" (child points at the parent) or "shared" (parent at child)
    local: int  # index of the join column in the parent's row
    remote: int  # index of the join column in the child's row
    remote_key: str  # the child's key name in the record (shared)
    remote_convert: Converter


@dataclass(frozen=True, slots=True)
class _Plan:
    """How records of one type become rows."""

    rec: RecordType
    columns: tuple[str, ...]
    cells: tuple[tuple[int, str, Converter], ...]  # (row index, record key, converter)
    key: int
    key_convert: Converter
    links: tuple[_Link, ...]


def _plans(schema: Schema, dialect: Dialect) -> dict[str, _Plan]:
    layouts: dict[str, list[tuple[str, FieldType, str]]] = {}
    for rec in schema.records:
        layout = [(f.column, f.type, f.name) for f in rec.fields]
        layout += [(column, ftype, column) for column, ftype in schema.extra_columns(rec.name)]
        layouts[rec.name] = layout

    def index(rec: RecordType, column: str) -> int:
        return [c for c, _, _ in layouts[rec.name]].index(column)

    def convert(rec: RecordType, column: str) -> Converter:
        ftype = layouts[rec.name][index(rec, column)][1]
        return _converter(dialect, ftype, f"{rec.table}.{column}")

    plans: dict[str, _Plan] = {}
    for rec in schema.records:
        links = []
        for rel in rec.relations:
            target = schema.target(rel)
            remote_column = target.column_of(rel.remote_key)
            kind = "many" if rel.many else "owned" if rel.local_key == rec.key else "shared"
            links.append(_Link(rel.name, target.name, kind,
                               index(rec, rec.column_of(rel.local_key)),
                               index(target, remote_column), rel.remote_key,
                               convert(target, remote_column)))
        plans[rec.name] = _Plan(
            rec,
            tuple(c for c, _, _ in layouts[rec.name]),
            tuple((i, name, _converter(dialect, ftype, f"{rec.table}.{column}"))
                  for i, (column, ftype, name) in enumerate(layouts[rec.name])),
            index(rec, rec.key_column),
            convert(rec, rec.key_column),
            tuple(links),
        )
    return plans


class _Collector:
    """Flattens nested records into rows per (record type, insert-or-ignore)."""

    def __init__(self, schema: Schema, dialect: Dialect) -> None:
        self.plans = _plans(schema, dialect)
        self.rows: dict[tuple[str, bool], list[tuple[Any, ...]]] = {}
        self.seen: dict[str, set[Any]] = {name: set() for name in self.plans}

    def add(self, plan: _Plan, data: Any, forced: tuple[int, Any] | None, shared: bool) -> None:
        if not isinstance(data, Mapping):
            raise ValueError(f"a {plan.rec.name} record must be an object, got {data!r:.200}")
        get = data.get
        if shared:  # inserted once: look at the key before anything else
            if forced is not None and forced[0] == plan.key:
                key = forced[1]
            else:
                raw = get(plan.rec.key)
                key = None if raw is None else plan.key_convert(raw)
            seen = self.seen[plan.rec.name]
            if key is None or key in seen:
                return  # without a key no record can point at it
            seen.add(key)
        row: list[Any] = [None] * len(plan.columns)
        for i, name, convert in plan.cells:
            value = get(name)
            if value is not None:
                row[i] = convert(value)
        if forced is not None:
            row[forced[0]] = forced[1]
        nested: list[tuple[_Link, Sequence[Any]]] = []
        for link in plan.links:
            related = get(link.name)
            if related is None:
                continue
            where = f"{plan.rec.name}.{link.name}"
            if link.kind == "many":
                if isinstance(related, str | bytes | Mapping) or not isinstance(related, Sequence):
                    raise ValueError(f"{where} must be a list, got {related!r:.200}")
                nested.append((link, related))
                continue
            if not isinstance(related, Mapping):
                raise ValueError(f"{where} must be an object, got {related!r:.200}")
            if link.kind == "shared" and row[link.local] is None:
                raw = related.get(link.remote_key)
                row[link.local] = None if raw is None else link.remote_convert(raw)
            nested.append((link, (related,)))
        if row[plan.key] is None:
            raise ValueError(f"a {plan.rec.name} record without {plan.rec.key!r} cannot be "
                             f"stored (it is the primary key of {plan.rec.table}): "
                             f"{dict(data)!r:.200}")
        self.rows.setdefault((plan.rec.name, shared), []).append(tuple(row))
        for link, items in nested:
            target = self.plans[link.target]
            if link.kind == "shared":
                for item in items:
                    self.add(target, item, None, True)
            else:
                child_forced = (link.remote, row[link.local])
                for item in items:
                    self.add(target, item, child_forced, shared)


def load_records(conn: Any, records: Iterable[Mapping[str, Any]], dialect: str | Dialect,
                 schema: Schema | None = None) -> None:
    """Insert ``records`` (root records of ``schema``, nested relations included) through the
    DB-API connection ``conn`` (psycopg 3 for PostgreSQL, ``sqlite3`` for SQLite), in one
    transaction (psycopg: a savepoint if one is open; sqlite3: committed at the end).

    Rows go in with one ``executemany`` per table; in PostgreSQL the rows that are not
    insert-or-ignore use ``COPY`` instead (several times faster than ``executemany``).
    """
    d = get_dialect(dialect)
    if schema is None:
        from qexpr.schema.run import RUN_SCHEMA

        schema = RUN_SCHEMA
    collector = _Collector(schema, d)
    root = collector.plans[schema.root]
    from qexpr.schema.run import derive_summary, derives_summary

    if derives_summary(schema):  # the summary is the current evaluation's (schema/run.py)
        records = (derive_summary(r) if isinstance(r, Mapping) else r for r in records)
    for record in records:
        collector.add(root, record, None, False)
    batches = [(collector.plans[rec.name], ignore, rows)
               for rec in schema.records for ignore in (False, True)
               if (rows := collector.rows.get((rec.name, ignore)))]
    if d.write_batches(conn, ((plan.rec.table, plan.columns, plan.key, ignore, rows)
                              for plan, ignore, rows in batches)):
        return  # the dialect loads rows itself (ClickHouse)
    if hasattr(conn, "transaction"):  # psycopg 3
        copy = d.supports_copy
        with conn.transaction(), conn.cursor() as cur:
            for plan, ignore, rows in batches:
                if copy and not ignore:
                    columns = ", ".join(d.quote(c) for c in plan.columns)
                    with cur.copy(f"COPY {d.quote(plan.rec.table)} ({columns}) FROM STDIN") as out:
                        for row in rows:
                            out.write_row(row)
                else:
                    cur.executemany(d.insert(plan.rec.table, plan.columns, ignore=ignore), rows)
        return
    cur = conn.cursor()
    try:
        for plan, ignore, rows in batches:
            cur.executemany(d.insert(plan.rec.table, plan.columns, ignore=ignore), rows)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        cur.close()
