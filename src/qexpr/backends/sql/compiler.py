"""The SQL compiler: a :class:`~qexpr.syntax.visitor.NodeVisitor` from a validated tree to one
boolean SQL expression over the root table (spec section 5, with the traps of section 11).

- Three-valued logic is SQL's own: every predicate maps to an expression that is NULL exactly
  when q says UNKNOWN, and NOT/AND/OR are SQL's.
- A to-one sub-path is a scalar subquery (``(SELECT t1."slug" FROM "models" AS t1 WHERE
  t1."id" = "runs"."model_id")``): a missing related record gives NULL, never FALSE.
- ``any(r, c)`` is ``EXISTS (SELECT 1 FROM child AS tN WHERE <join> AND (c))`` and
  ``all(r, c)`` is ``NOT EXISTS (... AND (c) IS NOT TRUE)``; to-one hops before the to-many
  one are joined inside the same subquery. Every subquery gets its own alias.
- Integer fields compare exactly with any number literal: the literal is turned into an
  integer bound (``x > 1.5`` is ``x >= 2``; out-of-range bounds become always/never tests),
  so only 64-bit integers are ever bound. Float fields, JSON numbers and mixed float
  comparisons are doubles.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from qexpr.backends.sql.dialects import Dialect, JsonKind
from qexpr.backends.sql.fragment import Sql, sql
from qexpr.check.resolve import ResolvedPath, resolve
from qexpr.operators import Operator
from qexpr.schema.model import FieldType, RecordType, Relation, Schema
from qexpr.syntax import ast
from qexpr.syntax.visitor import NodeVisitor

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

_SQL_OPS = {
    Operator.EQ: "=",
    Operator.NE: "<>",
    Operator.LT: "<",
    Operator.LE: "<=",
    Operator.GT: ">",
    Operator.GE: ">=",
}

IntTest = tuple[str, int] | bool
"""An integer comparison ``(sql_operator, int64)``, or True/False: always/never (non-null)."""


def _upper(bound: int) -> IntTest:
    """``x <= bound`` for a 64-bit x."""
    if bound < INT64_MIN:
        return False
    return True if bound >= INT64_MAX else ("<=", bound)


def _lower(bound: int) -> IntTest:
    """``x >= bound`` for a 64-bit x."""
    if bound > INT64_MAX:
        return False
    return True if bound <= INT64_MIN else (">=", bound)


def int_test(op: Operator, value: Decimal) -> IntTest:
    """``x op value`` for a 64-bit integer x as an integer comparison, exactly."""
    floor, ceil = math.floor(value), math.ceil(value)
    exact = floor == ceil and INT64_MIN <= floor <= INT64_MAX
    if op is Operator.EQ:
        return ("=", floor) if exact else False
    if op is Operator.NE:
        return ("<>", floor) if exact else True
    if op is Operator.LT:
        return _upper(ceil - 1)
    if op is Operator.LE:
        return _upper(floor)
    if op is Operator.GT:
        return _lower(floor + 1)
    return _lower(ceil)


def _json_kind(value: ast.Value) -> JsonKind:
    if isinstance(value, ast.String):
        return "string"
    if isinstance(value, ast.Number):
        return "number"
    if isinstance(value, ast.Boolean):
        return "boolean"
    raise TypeError(f"{type(value).__name__} cannot be compared with a json path")


def _alias_prefix(schema: Schema, extra: str | None) -> str:
    names = {r.table.lower() for r in schema.records}
    if extra:
        names.add(extra.lower())
    prefix = "t"
    while any(n.startswith(prefix) and n[len(prefix):].isdigit() for n in names):
        prefix += "_"
    return prefix


class SqlCompiler(NodeVisitor[Sql]):
    """Compiles a validated tree for one dialect; use a fresh instance per filter."""

    def __init__(self, schema: Schema, scopes: frozenset[str], dialect: Dialect,
                 root_alias: str | None = None) -> None:
        self.schema = schema
        self.scopes = scopes
        self.d = dialect
        self.record: RecordType = schema.root_record
        self.ref = dialect.ident(root_alias or self.record.table)
        self._prefix = _alias_prefix(schema, root_alias)
        self._aliases = 0

    def new_alias(self) -> str:
        """A fresh table alias, unique within the statement."""
        self._aliases += 1
        return f"{self._prefix}{self._aliases}"

    # -- logic ----------------------------------------------------------------------------------

    def visit_match_all(self, node: ast.MatchAll) -> Sql:
        return Sql(self.d.true)

    def visit_and(self, node: ast.And) -> Sql:
        return sql("({})", Sql(" AND ").join(self.visit(op) for op in node.operands))

    def visit_or(self, node: ast.Or) -> Sql:
        return sql("({})", Sql(" OR ").join(self.visit(op) for op in node.operands))

    def visit_not(self, node: ast.Not) -> Sql:
        # NOT is an involution in three-valued logic (NOT NOT UNKNOWN is UNKNOWN), so chains
        # collapse; this keeps the SQL shallow (SQLite's parser stack holds ~40 nested groups).
        negated = True
        operand = node.operand
        while isinstance(operand, ast.Not):
            negated = not negated
            operand = operand.operand
        inner = self.visit(operand)
        if not negated:
            return inner
        if isinstance(operand, (ast.And, ast.Or)):
            return sql("(NOT {})", inner)  # And/Or are already parenthesised
        return sql("(NOT ({}))", inner)

    # -- predicates -----------------------------------------------------------------------------

    def visit_comparison(self, node: ast.Comparison) -> Sql:
        left = self._lookup(node.path)
        op = _SQL_OPS[node.op]
        if isinstance(node.operand, ast.Path):
            return self._field_to_field(left, op, self._lookup(node.operand))
        value = node.operand
        if left.is_json_path:
            kind = _json_kind(value)
            return sql(f"{{}} {op} {{}}", self._json(left, kind), self._json_param(value))
        ftype = self._type(left)
        x = self._scalar(left)
        if ftype is FieldType.INTEGER:
            assert isinstance(value, ast.Number)
            return self._int(x, int_test(node.op, value.value))
        if ftype is FieldType.STRING:
            x = self.d.collate(x)
        return sql(f"{{}} {op} {{}}", x, self._param(ftype, value))

    def visit_in_list(self, node: ast.InList) -> Sql:
        left = self._lookup(node.path)
        params: list[Sql]
        if left.is_json_path:
            x = self._json(left, _json_kind(node.values[0]))
            params = [self._json_param(v) for v in node.values]
        else:
            ftype = self._type(left)
            x = self._scalar(left)
            if ftype is FieldType.INTEGER:
                ints = dict.fromkeys(
                    int(v.value) for v in node.values
                    if isinstance(v, ast.Number) and int_test(Operator.EQ, v.value)
                )
                if not ints:
                    return self._negate(self._int(x, False), node.negated)
                params = [self.d.param(i) for i in ints]
            else:
                if ftype is FieldType.STRING:
                    x = self.d.collate(x)
                params = [self._param(ftype, v) for v in node.values]
        test = sql("{} IN ({})", x, Sql(", ").join(params))
        return self._negate(test, node.negated)

    def visit_between(self, node: ast.Between) -> Sql:
        left = self._lookup(node.path)
        if left.is_json_path:
            x = self._json(left, _json_kind(node.low))
            low, high = self._json_param(node.low), self._json_param(node.high)
        else:
            ftype = self._type(left)
            x = self._scalar(left)
            if ftype is FieldType.INTEGER:
                assert isinstance(node.low, ast.Number) and isinstance(node.high, ast.Number)
                lo, hi = math.ceil(node.low.value), math.floor(node.high.value)
                if lo > INT64_MAX or hi < INT64_MIN:
                    return self._negate(self._int(x, False), node.negated)
                low = self.d.param(max(lo, INT64_MIN))
                high = self.d.param(min(hi, INT64_MAX))
            else:
                if ftype is FieldType.STRING:
                    x = self.d.collate(x)
                low, high = self._param(ftype, node.low), self._param(ftype, node.high)
        return self._negate(sql("({} BETWEEN {} AND {})", x, low, high), node.negated)

    def visit_pattern_match(self, node: ast.PatternMatch) -> Sql:
        left = self._lookup(node.path)
        x = self._json(left, "string") if left.is_json_path else self._scalar(left)
        return self._negate(self.d.pattern(node.op, x, node.pattern.value), node.negated)

    def visit_is_null(self, node: ast.IsNull) -> Sql:
        left = self._lookup(node.path)
        if left.is_json_path or left.type is FieldType.JSON:
            return self.d.json_is_null(self._json(left, "type"), node.negated)
        return sql("{} IS NOT NULL" if node.negated else "{} IS NULL", self._scalar(left))

    def visit_quantified(self, node: ast.Quantified) -> Sql:
        resolved = self._lookup(node.path)
        relation = resolved.relation
        assert relation is not None and relation.many, "validation guarantees a to-many path"
        from_sql, join_sql, last = self._chain(resolved.hops)
        outer_record, outer_ref = self.record, self.ref
        self.record, self.ref = self.schema.target(relation), last
        try:
            condition = self.visit(node.condition)
        finally:
            self.record, self.ref = outer_record, outer_ref
        if node.kind is ast.QuantifierKind.ANY:
            return sql("EXISTS (SELECT 1 FROM {} WHERE {} AND ({}))", from_sql, join_sql, condition)
        return sql("NOT EXISTS (SELECT 1 FROM {} WHERE {} AND ({}) IS NOT TRUE)",
                   from_sql, join_sql, condition)

    # -- paths ----------------------------------------------------------------------------------

    def _lookup(self, path: ast.Path) -> ResolvedPath:
        return resolve(self.schema, self.record, path, self.scopes)

    @staticmethod
    def _type(resolved: ResolvedPath) -> FieldType:
        ftype = resolved.type
        assert ftype is not None, "validation guarantees a field"
        return ftype

    def _column(self, ref: str, resolved: ResolvedPath) -> Sql:
        assert resolved.field is not None
        return Sql(f"{ref}.{self.d.ident(resolved.field.column)}")

    def _chain(self, hops: Sequence[Relation]) -> tuple[str, str, str]:
        """FROM list and join condition for relations followed from the current record;
        returns them with the alias of the last record reached."""
        record, ref = self.record, self.ref
        from_sql = where = ""
        for rel in hops:
            target = self.schema.target(rel)
            alias = self.new_alias()
            table = f"{self.d.ident(target.table)} AS {alias}"
            on = (f"{alias}.{self.d.ident(target.column_of(rel.remote_key))} = "
                  f"{ref}.{self.d.ident(record.column_of(rel.local_key))}")
            if not from_sql:
                from_sql, where = table, on
            else:
                from_sql += f" JOIN {table} ON {on}"
            record, ref = target, alias
        return from_sql, where, ref

    def _through(self, resolved: ResolvedPath, leaf: Callable[[str], Sql]) -> Sql:
        """``leaf`` (an expression over the record the path ends in) read from the current
        record: itself, or a scalar subquery over the to-one hops (NULL when one is missing)."""
        if not resolved.hops:
            return leaf(self.ref)
        from_sql, where, last = self._chain(resolved.hops)
        return sql("(SELECT {} FROM {} WHERE {})", leaf(last), from_sql, where)

    def _scalar(self, resolved: ResolvedPath) -> Sql:
        return self._through(resolved, lambda ref: self._column(ref, resolved))

    def _json(self, resolved: ResolvedPath, kind: JsonKind) -> Sql:
        def leaf(ref: str) -> Sql:
            value = self.d.json_leaf(self._column(ref, resolved), resolved.json_keys, kind,
                                     self.new_alias)
            return value

        value = self._through(resolved, leaf)
        return self.d.collate(value) if kind == "string" else value

    # -- values ---------------------------------------------------------------------------------

    def _param(self, ftype: FieldType, value: ast.Value) -> Sql:
        native: Any
        if isinstance(value, ast.String | ast.Uuid | ast.Timestamp | ast.Boolean):
            native = value.value
        elif isinstance(value, ast.TimeExpr):
            assert value.instant is not None, "validation folds time expressions"
            native = value.instant
        elif isinstance(value, ast.Number):
            native = float(value.value) if ftype is FieldType.FLOAT else value.value
        else:
            raise TypeError(f"{type(value).__name__} is not a value for a {ftype} field")
        if ftype is FieldType.STRING:
            return self.d.text_param(native)
        return self.d.param(self.d.value(ftype, native))

    def _json_param(self, value: ast.Value) -> Sql:
        if isinstance(value, ast.String):
            return self.d.text_param(value.value)
        if isinstance(value, ast.Number):
            return self.d.param(float(value.value))
        if isinstance(value, ast.Boolean):
            return self.d.param(self.d.value(FieldType.BOOLEAN, value.value))
        raise TypeError(f"{type(value).__name__} cannot be compared with a json path")

    def _int(self, x: Sql, test: IntTest) -> Sql:
        if test is True:
            return sql("{} = {}", x, x)  # TRUE, or NULL when x is
        if test is False:
            return sql("{} <> {}", x, x)  # FALSE, or NULL when x is
        op, bound = test
        return sql(f"{{}} {op} {{}}", x, self.d.param(bound))

    def _field_to_field(self, left: ResolvedPath, op: str, right: ResolvedPath) -> Sql:
        lt, rt = self._type(left), self._type(right)
        x, y = self._scalar(left), self._scalar(right)
        if lt is FieldType.STRING:
            x, y = self.d.collate(x), self.d.collate(y)
        elif FieldType.FLOAT in (lt, rt) and lt is not rt:
            # A float on either side: both as doubles (what PostgreSQL does implicitly).
            x = x if lt is FieldType.FLOAT else self.d.to_double(x)
            y = y if rt is FieldType.FLOAT else self.d.to_double(y)
        return sql(f"{{}} {op} {{}}", x, y)

    @staticmethod
    def _negate(test: Sql, negated: bool) -> Sql:
        return sql("(NOT ({}))", test) if negated else test


def compile_filter(tree: ast.Expr, schema: Schema, scopes: frozenset[str], dialect: Dialect,
                   root_alias: str | None = None) -> Sql:
    """The SQL of a validated tree."""
    return SqlCompiler(schema, scopes, dialect, root_alias).visit(tree)
