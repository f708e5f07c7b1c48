"""The page query of a :class:`~qexpr.search.Search` as a SQLAlchemy ``Select``: the statement
:mod:`qexpr.search.sql` writes as text, over the caller's tables.

Columns: the root record's selected columns (the projected fields, its key, the join keys of
the embeds; JSON read as text in PostgreSQL), then one column per sort key, labelled
``c0, c1, ...`` and ``k0, k1, ...``. ``WHERE (q) AND (keyset condition)``, ``ORDER BY`` each
key ``ASC NULLS LAST`` / ``DESC NULLS FIRST`` (flipped for a backward page, whose rows the
caller reverses), ``LIMIT limit + 1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.sql.expression import FromClause, Select

from qexpr.backends.sqlalchemy.compiler import compile_plan
from qexpr.backends.sqlalchemy.dialects import Expr, SaDialect, sa_dialect_for
from qexpr.backends.sqlalchemy.tables import Tables
from qexpr.schema.model import FieldType
from qexpr.search.boundary import key_index, needs_row, unresolved
from qexpr.search.params import SortKey
from qexpr.search.request import Search
from qexpr.search.sql import page_columns


@dataclass(frozen=True, slots=True)
class _Frame:
    source: FromClause
    columns: tuple[Expr, ...]
    exprs: tuple[Expr, ...]
    key: Expr


def _frame(search: Search, t: Tables, d: SaDialect, fields: Sequence[str],
           embeds: Sequence[str]) -> _Frame:
    schema = search.schema
    root = schema.root_record
    table = t.table(root)
    wanted = page_columns(schema, fields, embeds)
    columns: list[Expr] = []
    for index, (column, ftype) in enumerate(wanted.items()):
        col = t.column(table, root, column, ftype)
        if ftype is FieldType.JSON and d.q.codec.json_as_text:
            col = sa.cast(col, sa.Text)
        columns.append(col.label(f"c{index}"))
    source: FromClause = table
    aliases: dict[tuple[str, ...], FromClause] = {}
    exprs: list[Expr] = []
    for key in search.sort:
        ref, rec = table, root
        for index, hop in enumerate(key.hops):
            chain = tuple(h.name for h in key.hops[: index + 1])
            target = schema.target(hop)
            if chain not in aliases:
                alias = t.table(target).alias()
                on = (t.column(alias, target, target.column_of(hop.remote_key),
                               schema.key_type(target, hop.remote_key))
                      == t.column(ref, rec, rec.column_of(hop.local_key),
                                  schema.key_type(rec, hop.local_key)))
                source = source.outerjoin(alias, on)
                aliases[chain] = alias
            ref, rec = aliases[chain], target
        expr = t.column(ref, rec, key.field.column, key.field.type)
        if key.field.type is FieldType.STRING:
            expr = d.collate(expr, key.field.code_point_collation)
        exprs.append(expr)
    key_column = root.column_of(root.key)
    key_col = t.column(table, root, key_column, wanted[key_column])
    return _Frame(source, tuple(columns), tuple(exprs), key_col)


def _bind(d: SaDialect, ftype: FieldType, value: Any) -> Expr:
    """A comparable value (see :mod:`qexpr.search.shape`) bound in its storage form."""
    if ftype is FieldType.UUID:
        native: Any = UUID(value)
    elif ftype is FieldType.INTEGER and not isinstance(value, int):
        bound = d.q.codec.integer_bound(value)
        return d.bind(bound, sa.Numeric if isinstance(bound, Decimal) else sa.Double)
    else:
        native = value
    stored = d.q.value(ftype, native)
    return d.text_param(stored) if ftype is FieldType.STRING else \
        d.bind(stored, d.bind_types[ftype])


def _after(d: SaDialect, key: SortKey, expr: Expr, value: Any, descending: bool
           ) -> Expr | None:
    if not descending:
        if value is None:
            return None
        test = expr > _bind(d, key.field.type, value)
        return sa.or_(test, expr.is_(None)) if key.nullable else test
    if value is None:
        return expr.is_not(None)
    return expr < _bind(d, key.field.type, value)


def _equal(d: SaDialect, key: SortKey, expr: Expr, value: Any) -> Expr:
    if value is None:
        return expr.is_(None)
    return expr == _bind(d, key.field.type, value)


def _leading_bound(d: SaDialect, key: SortKey, expr: Expr, value: Any, descending: bool
                   ) -> Expr | None:
    if value is None:
        return None if descending else expr.is_(None)
    if descending:
        return expr <= _bind(d, key.field.type, value)
    if not key.nullable:
        return expr >= _bind(d, key.field.type, value)
    return None


def keyset_condition(d: SaDialect, keys: Sequence[SortKey], exprs: Sequence[Expr],
                     values: Sequence[Any], flipped: bool) -> Expr:
    """Rows after the boundary ``values`` (as :func:`qexpr.search.sql.keyset_condition`)."""
    disjuncts: list[Expr] = []
    equal: list[Expr] = []
    for key, expr, value in zip(keys, exprs, values, strict=True):
        after = _after(d, key, expr, value, key.descending != flipped)
        if after is not None:
            disjuncts.append(sa.and_(*equal, after) if equal else after)
        equal.append(_equal(d, key, expr, value))
    if not disjuncts:
        return sa.false()
    condition = disjuncts[0] if len(disjuncts) == 1 else sa.or_(*disjuncts)
    bound = _leading_bound(d, keys[0], exprs[0], values[0], keys[0].descending != flipped)
    return condition if bound is None else sa.and_(bound, condition)


def page_select(search: Search, tables: Tables) -> Select[Any]:
    """The page ``Select`` of ``search`` (its boundary row already looked up)."""
    if needs_row(search.position):
        raise unresolved()
    d = sa_dialect_for_tables(tables)
    frame = _frame(search, tables, d, search.fields, search.embeds)
    root = tables.table(search.schema.root_record)
    conditions = [compile_plan(search.condition.plan, tables, root)]
    if search.position is not None:
        conditions.append(keyset_condition(d, search.sort, frame.exprs, search.position,
                                           search.backward))
    order = [e.desc().nulls_first() if k.descending != search.backward
             else e.asc().nulls_last() for k, e in zip(search.sort, frame.exprs, strict=True)]
    keys = [e.label(f"k{i}") for i, e in enumerate(frame.exprs)]
    return (sa.select(*frame.columns, *keys).select_from(frame.source)
            .where(sa.and_(*conditions)).order_by(*order).limit(search.limit + 1))


def boundary_select(search: Search, tables: Tables) -> Select[Any] | None:
    """The sort values of the boundary row, when the position needs them (else None)."""
    if not needs_row(search.position):
        return None
    assert search.position is not None
    d = sa_dialect_for_tables(tables)
    frame = _frame(search, tables, d, (), ())
    index = key_index(search.sort)
    key = search.sort[index]
    root = tables.table(search.schema.root_record)
    where = compile_plan(search.condition.plan, tables, root)
    keys = [e.label(f"k{i}") for i, e in enumerate(frame.exprs)]
    return (sa.select(*keys).select_from(frame.source)
            .where(where, frame.key == _bind(d, key.field.type, search.position[index]))
            .limit(1))


def sa_dialect_for_tables(tables: Tables) -> SaDialect:
    """The SQLAlchemy printer of the tables' dialect."""
    from qexpr.backends.sql.dialects import get_dialect

    return sa_dialect_for(get_dialect(tables.dialect))
