"""The typed plan as a SQLAlchemy boolean expression, node for node as the text printer
(:mod:`qexpr.backends.sql.compiler`) writes it: the same three-valued mapping, the same
scalar subqueries for to-one paths, the same ``EXISTS`` / ``NOT EXISTS ... IS NOT TRUE`` for
quantifiers, exact integer bounds, doubles for floats and JSON numbers, the code-point
collation for order and patterns. Tables and columns come from :class:`~.tables.Tables`;
every subquery gets an anonymous alias and correlates explicitly to the table it reads.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.expression import FromClause

from qexpr.backends.sql.compiler import code_point_column, field_type, plan_depth, sql_nesting
from qexpr.backends.sqlalchemy.dialects import Expr, SaDialect, const, sa_dialect_for
from qexpr.backends.sqlalchemy.tables import Tables
from qexpr.operators import Operator
from qexpr.plan import nodes as plan
from qexpr.plan.nodes import FieldRef, Hop, IntTest, JsonKind
from qexpr.schema.model import FieldType, RecordType
from qexpr.syntax.visitor import NodeVisitor

_OPS: dict[Operator, Callable[[Any, Any], Any]] = {
    Operator.EQ: operator.eq,
    Operator.NE: operator.ne,
    Operator.LT: operator.lt,
    Operator.LE: operator.le,
    Operator.GT: operator.gt,
    Operator.GE: operator.ge,
}


class SaCompiler(NodeVisitor[Expr]):
    """Prints one plan; ``root`` is the root record's table (or an alias of it)."""

    def __init__(self, dialect: SaDialect, tables: Tables, root: FromClause) -> None:
        self.d = dialect
        self.t = tables
        self.schema = tables.schema
        self.ref: FromClause = root
        self.rec: RecordType = tables.schema.root_record
        #: Tables of the enclosing queries: a table met again is aliased, others are used
        #: as they are (aliasing a wide table costs SQLAlchemy a proxy per column).
        self.scope: list[FromClause] = [root]

    # -- logic ----------------------------------------------------------------------------------

    def visit_match_all(self, node: plan.MatchAll) -> Expr:
        return sa.true()

    def _parts(self, operands: tuple[plan.Plan, ...]) -> list[Expr]:
        # deepest first, as the text printer does (SQLite's parser stack)
        return [self.visit(op) for op in sorted(operands, key=plan_depth, reverse=True)]

    def visit_and(self, node: plan.And) -> Expr:
        return sa.and_(*self._parts(node.operands))

    def visit_or(self, node: plan.Or) -> Expr:
        return sa.or_(*self._parts(node.operands))

    def visit_not(self, node: plan.Not) -> Expr:
        negated = True
        operand = node.operand
        while isinstance(operand, plan.Not):
            negated = not negated
            operand = operand.operand
        inner = self.visit(operand)
        return sa.not_(inner) if negated else inner

    # -- predicates -----------------------------------------------------------------------------

    def visit_compare(self, node: plan.Compare) -> Expr:
        left = node.left
        op = _OPS[node.op]
        if node.json is not None:
            return op(self._json(left, node.json), self.d.json_param(node.json, node.value))  # type: ignore[no-any-return]
        ftype = field_type(left)
        x = self._scalar(left)
        if node.bound is not None:
            return self._int(x, node.bound)
        if ftype is FieldType.STRING:
            x = self.d.collate_compare(x, node.op, code_point_column(left))
        return op(x, self.d.param(ftype, node.value))  # type: ignore[no-any-return]

    def visit_compare_fields(self, node: plan.CompareFields) -> Expr:
        lt, rt = field_type(node.left), field_type(node.right)
        x, y = self._scalar(node.left), self._scalar(node.right)
        if lt is FieldType.STRING:
            x = self.d.collate_compare(x, node.op, code_point_column(node.left))
            y = self.d.collate_compare(y, node.op, code_point_column(node.right))
        elif FieldType.FLOAT in (lt, rt) and lt is not rt:
            x = x if lt is FieldType.FLOAT else self.d.to_double(x)
            y = y if rt is FieldType.FLOAT else self.d.to_double(y)
        return _OPS[node.op](x, y)  # type: ignore[no-any-return]

    def visit_in_set(self, node: plan.InSet) -> Expr:
        left = node.left
        params: list[Expr]
        if node.json is not None:
            x = self._json(left, node.json)
            kind = node.json
            params = [self.d.json_param(kind, v) for v in node.values]
        else:
            ftype = field_type(left)
            x = self._scalar(left)
            if node.members is not None:
                if not node.members:
                    return _negate(self._int(x, False), node.negated)
                params = [self.d.int_param(i) for i in node.members]
            else:
                if ftype is FieldType.STRING:
                    x = self.d.collate_compare(x, Operator.EQ, code_point_column(left))
                params = [self.d.param(ftype, v) for v in node.values]
        return _negate(x.in_(params), node.negated)

    def visit_range(self, node: plan.Range) -> Expr:
        left = node.left
        if node.json is not None:
            x = self._json(left, node.json)
            low = self.d.json_param(node.json, node.low)
            high = self.d.json_param(node.json, node.high)
        else:
            ftype = field_type(left)
            x = self._scalar(left)
            if ftype is FieldType.INTEGER:
                if node.bounds is None:
                    return _negate(self._int(x, False), node.negated)
                low, high = self.d.int_param(node.bounds[0]), self.d.int_param(node.bounds[1])
            else:
                if ftype is FieldType.STRING:
                    x = self.d.collate_compare(x, Operator.BETWEEN, code_point_column(left))
                low, high = self.d.param(ftype, node.low), self.d.param(ftype, node.high)
        return _negate(sa.between(x, low, high), node.negated)

    def visit_pattern(self, node: plan.Pattern) -> Expr:
        left = node.left
        x = self._json(left, JsonKind.STRING) if left.is_json_path else self._scalar(left)
        return _negate(self.d.pattern(node.op, x, node.text, code_point_column(left)), node.negated)

    def visit_null_test(self, node: plan.NullTest) -> Expr:
        left = node.left
        if left.is_json_path or left.type is FieldType.JSON:
            return self.d.json_is_null(self._json(left, None), node.negated)
        x = self._scalar(left)
        return x.is_not(None) if node.negated else x.is_(None)

    def visit_quantified(self, node: plan.Quantified) -> Expr:
        outer, outer_rec, depth = self.ref, self.rec, len(self.scope)
        source, join, last, rec = self._chain(node.hops)
        self.ref, self.rec = last, rec
        try:
            condition = self.visit(node.condition)
        finally:
            self.ref, self.rec = outer, outer_rec
            del self.scope[depth:]
        if node.kind is plan.Quantifier.ANY:
            where = sa.and_(join, condition)
        else:
            where = sa.and_(join, condition.is_not(sa.true()))
        found = (sa.select(const("1")).select_from(source).where(where).correlate(outer)
                 .exists())
        return found if node.kind is plan.Quantifier.ANY else sa.not_(found)

    # -- paths ----------------------------------------------------------------------------------

    def _key(self, table: FromClause, rec: RecordType, name: str) -> Expr:
        """A join column of ``rec`` (a field's column, or an extra join column)."""
        return self.t.column(table, rec, rec.column_of(name), self.schema.key_type(rec, name))

    def _chain(self, hops: Sequence[Hop]) -> tuple[FromClause, Expr, FromClause, RecordType]:
        """FROM clause and join condition of relations followed from the current record,
        with the alias and record type reached (its tables join :attr:`scope`)."""
        ref, rec = self.ref, self.rec
        source: FromClause | None = None
        where: Expr | None = None
        for hop in hops:
            table = self.t.table(hop.target)
            alias = table.alias() if any(t is table or t.is_derived_from(table)
                                         for t in self.scope) else table
            self.scope.append(alias)
            rel = hop.relation
            on = (self._key(alias, hop.target, rel.remote_key)
                  == self._key(ref, hop.source, rel.local_key))
            if source is None:
                source, where = alias, on
            else:
                source = source.join(alias, on)
            ref, rec = alias, hop.target
        assert source is not None and where is not None, "a chain crosses a relation"
        return source, where, ref, rec

    def _through(self, ref: FieldRef, leaf: Callable[[FromClause, RecordType], Expr]) -> Expr:
        """``leaf`` read from the current record: itself, or a correlated scalar subquery over
        the to-one hops (NULL when one is missing)."""
        if not ref.hops:
            return leaf(self.ref, self.rec)
        depth = len(self.scope)
        try:
            source, where, last, rec = self._chain(ref.hops)
            value = leaf(last, rec)
        finally:
            del self.scope[depth:]
        return (sa.select(value).select_from(source).where(where)
                .correlate(self.ref).scalar_subquery())

    def _column(self, table: FromClause, rec: RecordType, ref: FieldRef) -> Expr:
        return self.t.column(table, rec, ref.column, field_type(ref))

    def _scalar(self, ref: FieldRef) -> Expr:
        return self._through(ref, lambda table, rec: self._column(table, rec, ref))

    def _json(self, ref: FieldRef, kind: JsonKind | None) -> Expr:
        def leaf(table: FromClause, rec: RecordType) -> Expr:
            return self.d.json_leaf(self._column(table, rec, ref), ref.json_keys, kind, table)

        value = self._through(ref, leaf)
        return self.d.collate(value) if kind is JsonKind.STRING else value

    def _int(self, x: Expr, test: IntTest) -> Expr:
        if test is True:
            return x == x  # TRUE, or NULL when x is
        if test is False:
            return x != x  # FALSE, or NULL when x is
        op, bound = test
        return _OPS[op](x, self.d.int_param(bound))  # type: ignore[no-any-return]


def _negate(test: Expr, negated: bool) -> Expr:
    return sa.not_(test) if negated else test


def compile_plan(tree: plan.Plan, tables: Tables, root: FromClause | None = None) -> Expr:
    """The SQLAlchemy expression of a plan over ``tables`` (root: the root record's table)."""
    from qexpr.backends.sql.dialects import get_dialect

    text_dialect = get_dialect(tables.dialect)
    text_dialect.check_nesting(sql_nesting(tree))
    start = root if root is not None else tables.table(tables.schema.root_record)
    return SaCompiler(sa_dialect_for(text_dialect), tables, start).visit(tree)
