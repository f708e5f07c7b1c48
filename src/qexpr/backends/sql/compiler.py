"""The SQL printer: a plan (:mod:`qexpr.plan.nodes`) as one boolean SQL expression over the
root table (spec section 5, with the traps of section 11). It never sees a schema or q text.

- Three-valued logic is SQL's own: every predicate maps to an expression that is NULL exactly
  when q says UNKNOWN, and NOT/AND/OR are SQL's.
- A to-one sub-path is a scalar subquery (``(SELECT t1."slug" FROM "models" AS t1 WHERE
  t1."id" = "runs"."model_id")``): a missing related record gives NULL, never FALSE. Where
  the dialect says so (``to_one_key_sets``), a predicate whose fields all lie across the same
  to-one hops is printed at the related record instead and tested by key
  (:meth:`Dialect.to_one_test`).
- ``any(r, c)`` is ``EXISTS (SELECT 1 FROM child AS tN WHERE <join> AND (c))`` and
  ``all(r, c)`` is ``NOT EXISTS (... AND (c) IS NOT TRUE)``; to-one hops before the to-many
  one are joined inside the same subquery. Every subquery gets its own alias.
- Integer fields compare with the plan's exact integer bounds, so only 64-bit integers are
  ever bound. Float fields, JSON numbers and mixed float comparisons are doubles.
- The operands of AND and OR are written deepest first: SQL parsers (SQLite's LALR stack
  above all) need far less stack for ``((...) AND x)`` than for ``(x AND (...))``, and the
  operators are commutative in three-valued logic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from qexpr.backends.sql.dialects import Dialect
from qexpr.backends.sql.fragment import Sql, sql
from qexpr.operators import Operator
from qexpr.plan import nodes as plan
from qexpr.plan.nodes import FieldRef, Hop, IntTest, JsonKind, Quantifier
from qexpr.schema.model import FieldType
from qexpr.syntax.visitor import NodeVisitor

_SQL_OPS = {
    Operator.EQ: "=",
    Operator.NE: "<>",
    Operator.LT: "<",
    Operator.LE: "<=",
    Operator.GT: ">",
    Operator.GE: ">=",
}


def plan_depth(node: plan.Plan) -> int:
    """Nesting of logic and quantifiers in a plan (a predicate is 1)."""
    kind = type(node)
    if kind is plan.And or kind is plan.Or:
        return 1 + max(map(plan_depth, node.operands))  # type: ignore[union-attr]
    if kind is plan.Not:
        return 1 + plan_depth(node.operand)  # type: ignore[union-attr]
    if kind is plan.Quantified:
        return 1 + plan_depth(node.condition)  # type: ignore[union-attr]
    return 1


#: How much deeper a quantifier nests the SQL than a parenthesised group: an EXISTS subquery
#: costs SQL parsers about six times the stack of a group (SQLite: 13 nested EXISTS against
#: 90 nested groups).
QUANTIFIER_WEIGHT = 6


def sql_nesting(node: plan.Plan) -> int:
    """How deeply a plan's SQL nests, in parenthesised groups (quantifiers weigh more)."""
    kind = type(node)
    if kind is plan.And or kind is plan.Or:
        return 1 + max(map(sql_nesting, node.operands))  # type: ignore[union-attr]
    if kind is plan.Not:
        return 1 + sql_nesting(node.operand)  # type: ignore[union-attr]
    if kind is plan.Quantified:
        return QUANTIFIER_WEIGHT + sql_nesting(node.condition)  # type: ignore[union-attr]
    return 1


_NESTING = frozenset({plan.And, plan.Or, plan.Not, plan.Quantified})
#: ``{} op {}`` for each comparison operator.
_COMPARE = {op: f"{{}} {text} {{}}" for op, text in _SQL_OPS.items()}
#: (dialect, name) -> the quoted identifier as the dialect writes it in a statement.
_IDENTS: dict[tuple[Dialect, str], str] = {}
_PREDICATES = (plan.Compare, plan.CompareFields, plan.InSet, plan.Range, plan.Pattern,
               plan.NullTest, plan.Quantified)
_FRAGMENTS_SIZE = 8192
#: (predicate, dialect, root ref, alias prefix, first alias) -> (its SQL, aliases it used).
#: Predicates recur across requests (a server compiles the same filters with other values
#: in one or two places), so each is printed once.
_fragments: dict[tuple[Any, ...], tuple[Sql, int]] = {}
_PREDICATE_TYPES = frozenset(_PREDICATES)


def ident(dialect: Dialect, name: str) -> str:
    """``dialect.ident(name)``, computed once per (dialect, name): identifiers come from
    schemas, a bounded set."""
    key = (dialect, name)
    text = _IDENTS.get(key)
    if text is None:
        text = dialect.ident(name)
        if len(_IDENTS) >= _FRAGMENTS_SIZE:
            _IDENTS.clear()
        _IDENTS[key] = text
    return text


class SqlCompiler(NodeVisitor[Sql]):
    """Prints one plan for one dialect; use a fresh instance per filter.

    ``root_table`` is the root record's table and ``root_ref`` how the surrounding query names
    it; ``alias_prefix`` starts every alias this compiler makes (unique in the statement).
    """

    def __init__(self, dialect: Dialect, root_ref: str, alias_prefix: str = "t") -> None:
        self.d = dialect
        self.ref = ident(dialect, root_ref)
        self._prefix = alias_prefix
        self._aliases = 0
        #: Printing a predicate at the record its to-one path ends in (``self.ref`` is that
        #: record's alias): field references read it directly, their hops already followed.
        self._at_record = False

    def visit(self, node: Any) -> Sql:
        """Print ``node``; a predicate's SQL comes from the fragment cache when it was printed
        before in the same position (dialect, root, aliases)."""
        kind = type(node)
        method = self._dispatch.get(kind) or self._visitor_method_for(kind)
        if kind not in _PREDICATE_TYPES:
            return method(self, node)  # type: ignore[no-any-return]
        key = (node, self.d, self.ref, self._prefix, self._aliases)
        hit = _fragments.get(key)
        if hit is not None:
            self._aliases += hit[1]
            return hit[0]
        first = self._aliases
        printed = self._predicate(method, node)
        if len(_fragments) >= _FRAGMENTS_SIZE:
            _fragments.clear()
        _fragments[key] = (printed, self._aliases - first)
        return printed

    def print_root(self, node: Any) -> Sql:
        """Print ``node`` past the fragment cache (the caller caches the whole plan's SQL)."""
        kind = type(node)
        method = self._dispatch.get(kind) or self._visitor_method_for(kind)
        if kind in _PREDICATE_TYPES:
            return self._predicate(method, node)
        return method(self, node)  # type: ignore[no-any-return]

    def _predicate(self, method: Callable[[SqlCompiler, Any], Sql], node: Any) -> Sql:
        hops = _key_set_hops(node) if self.d.to_one_key_sets and not self._at_record else ()
        return self._to_one(method, node, hops) if hops else method(self, node)

    def new_alias(self) -> str:
        """A fresh table alias, unique within the statement."""
        self._aliases += 1
        return f"{self._prefix}{self._aliases}"

    # -- logic ----------------------------------------------------------------------------------

    def visit_match_all(self, node: plan.MatchAll) -> Sql:
        return Sql(self.d.true)

    def _deepest_first(self, operands: tuple[plan.Plan, ...]) -> Sequence[plan.Plan]:
        if not any(type(op) in _NESTING for op in operands):
            return operands  # all predicates of depth 1: the (stable) sort keeps the order
        return sorted(operands, key=plan_depth, reverse=True)

    def visit_and(self, node: plan.And) -> Sql:
        parts = (self.visit(op) for op in self._deepest_first(node.operands))
        return sql("({})", Sql(" AND ").join(parts))

    def visit_or(self, node: plan.Or) -> Sql:
        parts = (self.visit(op) for op in self._deepest_first(node.operands))
        return sql("({})", Sql(" OR ").join(parts))

    def visit_not(self, node: plan.Not) -> Sql:
        # NOT is an involution in three-valued logic (NOT NOT UNKNOWN is UNKNOWN): collapse.
        negated = True
        operand = node.operand
        while isinstance(operand, plan.Not):
            negated = not negated
            operand = operand.operand
        inner = self.visit(operand)
        if not negated:
            return inner
        if isinstance(operand, plan.And | plan.Or):
            return sql("(NOT {})", inner)  # And/Or are already parenthesised
        return sql("(NOT ({}))", inner)

    # -- predicates -----------------------------------------------------------------------------

    def visit_compare(self, node: plan.Compare) -> Sql:
        left = node.left
        template = _COMPARE[node.op]
        if node.json is not None:
            return sql(template, self._json(left, node.json),
                       self._json_param(node.json, node.value))
        ftype = field_type(left)
        x = self._scalar(left)
        if node.bound is not None:
            return self._int(x, node.bound)
        if ftype is FieldType.DECIMAL:
            folded = self.d.decimal_test(node.op, node.value)
            if folded is not None:
                return self._int(x, folded)
        if ftype is FieldType.STRING:
            x = self.d.collate_compare(x, node.op, code_point_column(left))
        return sql(template, x, self._param(ftype, node.value))

    def visit_compare_fields(self, node: plan.CompareFields) -> Sql:
        lt, rt = field_type(node.left), field_type(node.right)
        x, y = self._scalar(node.left), self._scalar(node.right)
        if lt is FieldType.STRING:
            x = self.d.collate_compare(x, node.op, code_point_column(node.left))
            y = self.d.collate_compare(y, node.op, code_point_column(node.right))
        elif FieldType.FLOAT in (lt, rt) and lt is not rt:
            # A float on either side: both as doubles (what PostgreSQL does implicitly).
            x = x if lt is FieldType.FLOAT else self.d.to_double(x)
            y = y if rt is FieldType.FLOAT else self.d.to_double(y)
        return sql(_COMPARE[node.op], x, y)

    def visit_in_set(self, node: plan.InSet) -> Sql:
        left = node.left
        params: list[Sql]
        if node.json is not None:
            x = self._json(left, node.json)
            params = [self._json_param(node.json, v) for v in node.values]
        else:
            ftype = field_type(left)
            x = self._scalar(left)
            if node.members is not None:
                if not node.members:
                    return _negate(self._int(x, False), node.negated)
                params = [self.d.param(i) for i in node.members]
            elif ftype is FieldType.DECIMAL and self.d.decimal_test(Operator.EQ, Decimal(0)) \
                    is not None:
                members = [t[1] for v in node.values
                           if isinstance(t := self.d.decimal_test(Operator.EQ, v), tuple)]
                if not members:
                    return _negate(self._int(x, False), node.negated)
                params = [self.d.param(m) for m in dict.fromkeys(members)]
            else:
                if ftype is FieldType.STRING:
                    x = self.d.collate_compare(x, Operator.EQ, code_point_column(left))
                params = [self._param(ftype, v) for v in node.values]
        return _negate(self.d.in_list(x, params), node.negated)

    def visit_range(self, node: plan.Range) -> Sql:
        left = node.left
        if node.json is not None:
            x = self._json(left, node.json)
            low = self._json_param(node.json, node.low)
            high = self._json_param(node.json, node.high)
        else:
            ftype = field_type(left)
            x = self._scalar(left)
            if ftype is FieldType.INTEGER:
                if node.bounds is None:
                    return _negate(self._int(x, False), node.negated)
                low, high = self.d.param(node.bounds[0]), self.d.param(node.bounds[1])
            elif ftype is FieldType.DECIMAL and (
                    lo := self.d.decimal_test(Operator.GE, node.low)) is not None:
                hi = self.d.decimal_test(Operator.LE, node.high)
                assert hi is not None, "a dialect folds every decimal literal or none"
                if lo is False or hi is False:
                    return _negate(self._int(x, False), node.negated)
                parts = [self._int(x, b) for b in (lo, hi) if b is not True]
                test = parts[0] if len(parts) == 1 else (
                    sql("({} AND {})", *parts) if parts else self._int(x, True))
                return _negate(test, node.negated)
            else:
                if ftype is FieldType.STRING:
                    x = self.d.collate_compare(x, Operator.BETWEEN, code_point_column(left))
                low, high = self._param(ftype, node.low), self._param(ftype, node.high)
        return _negate(sql("({} BETWEEN {} AND {})", x, low, high), node.negated)

    def visit_pattern(self, node: plan.Pattern) -> Sql:
        left = node.left
        x = self._json(left, JsonKind.STRING) if left.is_json_path else self._scalar(left)
        return _negate(self.d.pattern(node.op, x, node.text, code_point_column(left)), node.negated)

    def visit_null_test(self, node: plan.NullTest) -> Sql:
        left = node.left
        if left.is_json_path or left.type is FieldType.JSON:
            return self.d.json_is_null(self._json(left, None), node.negated)
        return sql("{} IS NOT NULL" if node.negated else "{} IS NULL", self._scalar(left))

    def visit_quantified(self, node: plan.Quantified) -> Sql:
        outer_key, inner_key, from_sql, join_sql, last = self._keyed_chain(node.hops)
        outer = self.ref
        self.ref = last
        try:
            condition = self.visit(node.condition)
        finally:
            self.ref = outer
        return self.d.quantified(node.kind, from_sql, join_sql, condition, outer_key, inner_key)

    # -- paths ----------------------------------------------------------------------------------

    def _to_one(self, method: Callable[[SqlCompiler, Any], Sql], node: Any,
                hops: tuple[Hop, ...]) -> Sql:
        """A predicate over fields across to-one ``hops``, as a test of the current record's
        key against the keys of the related records where it is TRUE and where it is FALSE
        (:meth:`Dialect.to_one_test`)."""
        outer_key, inner_key, from_sql, join_sql, last = self._keyed_chain(hops)
        null_test = type(node) is plan.NullTest
        outer = self.ref
        self.ref, self._at_record = last, True
        try:
            # A null test is never UNKNOWN, and TRUE for a missing record: ``x IS NULL`` is
            # ``NOT any(related, x IS NOT NULL)``.
            test = method(self, plan.NullTest(node.left, True) if null_test else node)
        finally:
            self.ref, self._at_record = outer, False
        if null_test:
            exists = self.d.quantified(Quantifier.ANY, from_sql, join_sql, test, outer_key,
                                       inner_key)
            return exists if node.negated else sql("(NOT {})", exists)
        return self.d.to_one_test(outer_key, inner_key, from_sql, test)

    def _keyed_chain(self, hops: Sequence[Hop]) -> tuple[Sql, Sql, Sql, Sql, str]:
        """:meth:`_chain` with the join key of its first hop on either side: the current
        record's (outer) and the first related record's (inner)."""
        first = hops[0]
        outer_key = Sql(f"{self.ref}.{ident(self.d, first.local_column)}")
        inner_key = Sql(f"{self._prefix}{self._aliases + 1}.{ident(self.d, first.remote_column)}")
        from_sql, join_sql, last = self._chain(hops)
        return outer_key, inner_key, from_sql, join_sql, last

    def _chain(self, hops: Sequence[Hop]) -> tuple[Sql, Sql, str]:
        """FROM list and join condition for relations followed from the current record;
        returns them with the alias of the last record reached."""
        ref = self.ref
        tables: list[str] = []
        where = ""
        for index, hop in enumerate(hops):
            alias = self.new_alias()
            table = f"{ident(self.d, hop.target.table)} AS {alias}"
            on = (f"{alias}.{ident(self.d, hop.remote_column)} = "
                  f"{ref}.{ident(self.d, hop.local_column)}")
            if index == 0:
                tables.append(table)
                where = on
            else:
                tables.append(f" JOIN {table} ON {on}")
            ref = alias
        return Sql("".join(tables)), Sql(where), ref

    def _through(self, ref: FieldRef, leaf: Callable[[str], Sql]) -> Sql:
        """``leaf`` (an expression over the record the path ends in) read from the current
        record: itself, or a scalar subquery over the to-one hops (NULL when one is missing)."""
        if not ref.hops or self._at_record:
            return leaf(self.ref)
        from_sql, where, last = self._chain(ref.hops)
        return sql("(SELECT {} FROM {} WHERE {})", leaf(last), from_sql, where)

    def _scalar(self, ref: FieldRef) -> Sql:
        column = ident(self.d, ref.column)
        if not ref.hops or self._at_record:
            return Sql(f"{self.ref}.{column}")
        return self._through(ref, lambda alias: Sql(f"{alias}.{column}"))

    def _json(self, ref: FieldRef, kind: JsonKind | None) -> Sql:
        column = ident(self.d, ref.column)

        def leaf(alias: str) -> Sql:
            return self.d.json_leaf(Sql(f"{alias}.{column}"), ref.json_keys, kind,
                                    self.new_alias)

        value = self._through(ref, leaf)
        return self.d.collate(value) if kind is JsonKind.STRING else value

    # -- values ---------------------------------------------------------------------------------

    def _param(self, ftype: FieldType, native: Any) -> Sql:
        if ftype is FieldType.STRING:
            return self.d.text_param(native)
        return self.d.param(self.d.codec.literal(ftype, native))

    def _json_param(self, kind: JsonKind, native: Any) -> Sql:
        if kind is JsonKind.STRING:
            return self.d.text_param(native)
        if kind is JsonKind.NUMBER:
            return self.d.param(float(native))
        return self.d.param(self.d.codec.literal(FieldType.BOOLEAN, native))

    def _int(self, x: Sql, test: IntTest | tuple[Operator, Decimal]) -> Sql:
        if test is True:
            return sql("{} = {}", x, x)  # TRUE, or NULL when x is
        if test is False:
            return sql("{} <> {}", x, x)  # FALSE, or NULL when x is
        op, bound = test
        return sql(_COMPARE[op], x, self.d.param(bound))


def field_type(ref: FieldRef) -> FieldType:
    """The type of the field a plan predicate reaches."""
    ftype = ref.type
    assert ftype is not None, "plan predicates always reach a field"
    return ftype


def code_point_column(ref: FieldRef) -> bool:
    """Whether the column itself already orders by code point (no COLLATE needed)."""
    return ref.field is not None and ref.field.code_point_collation and not ref.is_json_path


def _key_set_hops(node: Any) -> tuple[Hop, ...]:
    """The to-one hops every field of a predicate is read across, when it can be printed as a
    key-set test (:meth:`SqlCompiler._to_one`); () for a quantifier and for two fields on
    different paths."""
    kind = type(node)
    if kind is plan.Quantified:
        return ()
    if kind is plan.CompareFields:
        hops: tuple[Hop, ...] = node.left.hops
        return hops if hops == node.right.hops else ()
    return node.left.hops  # type: ignore[no-any-return]


def _negate(test: Sql, negated: bool) -> Sql:
    return sql("(NOT ({}))", test) if negated else test


def compile_plan(tree: plan.Plan, dialect: Dialect, root_ref: str,
                 alias_prefix: str = "t") -> Sql:
    """The SQL of a plan."""
    if dialect.max_plan_depth is not None or \
            type(dialect).check_nesting is not Dialect.check_nesting:
        dialect.check_nesting(sql_nesting(tree))  # the base check has nothing to refuse
    # The root is printed past the fragment cache: the whole plan's SQL is cached by the caller.
    compiler = SqlCompiler(dialect, root_ref, alias_prefix)
    return dialect.finish(compiler.print_root(tree))
