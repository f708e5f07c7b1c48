"""The visitor that turns a validated tree into closures (see :mod:`.leaves` for the model).

Paths are resolved with :func:`qexpr.check.resolve.resolve`, exactly as validation read them;
typed literals (``Uuid``, ``Timestamp``, folded ``TimeExpr``) are converted once, here, into
the form record values are coerced to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qexpr.backends.predicate import leaves
from qexpr.backends.predicate.access import (
    Items,
    Place,
    Reader,
    Record,
    items_reader,
    raw_reader,
    typed_reader,
)
from qexpr.backends.predicate.leaves import Check, Test
from qexpr.backends.predicate.patterns import compile_pattern
from qexpr.backends.predicate.values import (
    COERCERS,
    EXACT_TYPES,
    JSON_COERCERS,
    json_any,
    json_kind,
    json_literal,
    scalar_literal,
    to_double,
)
from qexpr.check.resolve import ResolvedPath, resolve
from qexpr.operators import Operator
from qexpr.schema.model import FieldType, RecordType, Relation, Schema
from qexpr.syntax import ast
from qexpr.syntax.visitor import NodeVisitor


@dataclass(frozen=True, slots=True)
class CompiledFilter:
    """The root test of a filter and the relations the root record must carry."""

    test: Test
    relations: tuple[Relation, ...]


def compile_tree(
    tree: ast.Expr,
    schema: Schema,
    scopes: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> CompiledFilter:
    """Compile a validated tree over records of ``schema``'s root type."""
    compiler = PredicateCompiler(schema, schema.root_record, Place(), scopes, now)
    test = compiler.visit(tree)
    return CompiledFilter(test, tuple(compiler.root_relations.values()))


# --------------------------------------------------------------------------- logic


def all_of(checks: Sequence[Check]) -> Check:
    """TRUE when every check is (short-circuit, left to right)."""
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        a, b = checks

        def both(record: Record) -> bool:
            return a(record) and b(record)

        return both
    if len(checks) == 3:
        a, b, c = checks

        def all3(record: Record) -> bool:
            return a(record) and b(record) and c(record)

        return all3
    frozen = tuple(checks)

    def every(record: Record) -> bool:
        return all(check(record) for check in frozen)

    return every


def any_of(checks: Sequence[Check]) -> Check:
    """TRUE when one check is (short-circuit, left to right)."""
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        a, b = checks

        def either(record: Record) -> bool:
            return a(record) or b(record)

        return either
    if len(checks) == 3:
        a, b, c = checks

        def any3(record: Record) -> bool:
            return a(record) or b(record) or c(record)

        return any3
    frozen = tuple(checks)

    def some(record: Record) -> bool:
        return any(check(record) for check in frozen)

    return some


def quantify(kind: ast.QuantifierKind, items: Items, condition: Check) -> Test:
    """``any``/``all`` over related records: never UNKNOWN (UNKNOWN counts as not TRUE)."""
    if kind is ast.QuantifierKind.ANY:
        def some(record: Record) -> bool:
            for item in items(record):
                if (type(item) is dict or isinstance(item, Mapping)) and condition(item):
                    return True
            return False

        def no_item(record: Record) -> bool:
            return not some(record)

        return Test(some, no_item)

    def every(record: Record) -> bool:
        for item in items(record):
            if (type(item) is dict or isinstance(item, Mapping)) and not condition(item):
                return False
        return True

    def not_every(record: Record) -> bool:
        return not every(record)

    return Test(every, not_every)


# --------------------------------------------------------------------------- the visitor


class PredicateCompiler(NodeVisitor[Test]):
    """Builds the :class:`Test` of each node for records of one type (``record``)."""

    def __init__(self, schema: Schema, record: RecordType, place: Place,
                 scopes: frozenset[str], now: datetime | None) -> None:
        self.schema = schema
        self.record = record
        self.place = place
        self.scopes = scopes
        self.now = now
        self.root_relations: dict[str, Relation] = {}

    def _resolve_path(self, path: ast.Path) -> ResolvedPath:
        resolved = resolve(self.schema, self.record, path, self.scopes)
        if self.place.is_root and resolved.hops:
            self.root_relations.setdefault(resolved.hops[0].name, resolved.hops[0])
        return resolved

    # -- logic -----------------------------------------------------------------------------

    def visit_match_all(self, node: ast.MatchAll) -> Test:
        return Test(leaves.always(True), leaves.always(False))

    def visit_not(self, node: ast.Not) -> Test:
        return self.visit(node.operand).negated()

    def visit_and(self, node: ast.And) -> Test:
        tests = [self.visit(operand) for operand in node.operands]
        return Test(all_of([t.true for t in tests]), any_of([t.false for t in tests]))

    def visit_or(self, node: ast.Or) -> Test:
        tests = [self.visit(operand) for operand in node.operands]
        return Test(any_of([t.true for t in tests]), all_of([t.false for t in tests]))

    def visit_quantified(self, node: ast.Quantified) -> Test:
        resolved = self._resolve_path(node.path)
        relation = resolved.relation
        if relation is None or not relation.many:
            raise TypeError(f"{node.path.dotted} is not a to-many relation")
        inner = PredicateCompiler(self.schema, self.schema.target(relation),
                                  self.place.below(resolved.hops), self.scopes, self.now)
        condition = inner.visit(node.condition)
        return quantify(node.kind, items_reader(self.place, resolved), condition.true)

    # -- predicates ------------------------------------------------------------------------

    def visit_comparison(self, node: ast.Comparison) -> Test:
        left = self._field(node.path)
        if isinstance(node.operand, ast.Path):
            return self._field_to_field(left, node.op, self._field(node.operand))
        if left.is_json_path:
            read = self._json(left, json_kind(node.operand))
            return leaves.compare(read, node.op, json_literal(node.operand))
        ftype = self._type(left)
        literal = scalar_literal(ftype, node.operand, self.now)
        direct = self._direct(left)
        if direct is not None:
            key, exact = direct
            return leaves.compare_direct(key, exact, COERCERS[ftype], node.op, literal)
        return leaves.compare(typed_reader(self.place, left, COERCERS[ftype]), node.op, literal)

    def visit_in_list(self, node: ast.InList) -> Test:
        left = self._field(node.path)
        test: Test
        if left.is_json_path:
            read = self._json(left, json_kind(node.values[0]))
            test = leaves.member(read, [json_literal(v) for v in node.values])
        else:
            ftype = self._type(left)
            values = [scalar_literal(ftype, v, self.now) for v in node.values]
            direct = self._direct(left)
            if direct is not None:
                test = leaves.member_direct(*direct, COERCERS[ftype], values)
            else:
                test = leaves.member(typed_reader(self.place, left, COERCERS[ftype]), values)
        return test.negated() if node.negated else test

    def visit_between(self, node: ast.Between) -> Test:
        left = self._field(node.path)
        low: Any
        high: Any
        if left.is_json_path:
            read = self._json(left, json_kind(node.low))
            low, high = json_literal(node.low), json_literal(node.high)
        else:
            ftype = self._type(left)
            read = typed_reader(self.place, left, COERCERS[ftype])
            low = scalar_literal(ftype, node.low, self.now)
            high = scalar_literal(ftype, node.high, self.now)
        test = leaves.between(read, low, high)
        return test.negated() if node.negated else test

    def visit_pattern_match(self, node: ast.PatternMatch) -> Test:
        left = self._field(node.path)
        text = node.pattern.value
        matches = compile_pattern(node.op, text)
        if not left.is_json_path and self._type(left) is not FieldType.STRING:
            raise TypeError(f"{node.op} needs a string field, not {node.path.dotted}")
        direct = None if left.is_json_path else self._direct(left)
        if direct is not None:
            test = leaves.pattern_direct(direct[0], node.op, text, matches)
        else:
            test = leaves.pattern(self._json(left, "string") if left.is_json_path else
                                  typed_reader(self.place, left, COERCERS[FieldType.STRING]),
                                  matches)
        return test.negated() if node.negated else test

    def visit_is_null(self, node: ast.IsNull) -> Test:
        resolved = self._field(node.path)
        ftype = self._type(resolved)
        read: Reader
        if resolved.is_json_path or ftype is FieldType.JSON:
            read = raw_reader(self.place, resolved)  # any JSON value but null is not null
        else:
            read = typed_reader(self.place, resolved, COERCERS[ftype])
        test = leaves.is_null(read)
        return test.negated() if node.negated else test

    # -- helpers ---------------------------------------------------------------------------

    def _field(self, path: ast.Path) -> ResolvedPath:
        resolved = self._resolve_path(path)
        if resolved.field is None:
            raise TypeError(f"{path.dotted} is a relation, not a field")
        return resolved

    @staticmethod
    def _type(resolved: ResolvedPath) -> FieldType:
        assert resolved.field is not None
        return resolved.field.type

    @staticmethod
    def _direct(resolved: ResolvedPath) -> tuple[str, type] | None:
        """``(key, exact class)`` when the field is read straight from the record and its
        values of one class need no coercion."""
        if resolved.hops or resolved.json_keys or resolved.field is None:
            return None
        exact = EXACT_TYPES.get(resolved.field.type)
        return None if exact is None else (resolved.field.name, exact)

    def _json(self, resolved: ResolvedPath, kind: str) -> Reader:
        return typed_reader(self.place, resolved, JSON_COERCERS.get(kind, json_any))

    def _field_to_field(self, left: ResolvedPath, op: Operator,
                        right: ResolvedPath) -> Test:
        left_type, right_type = self._type(left), self._type(right)
        floats = FieldType.FLOAT in (left_type, right_type)

        def reader(resolved: ResolvedPath, ftype: FieldType) -> Reader:
            coerce = COERCERS[ftype]
            if floats and ftype is not FieldType.FLOAT:
                exact = coerce

                def as_double(value: Any) -> float | None:
                    number = exact(value)
                    return None if number is None else to_double(number)

                coerce = as_double
            return typed_reader(self.place, resolved, coerce)

        return leaves.compare_fields(reader(left, left_type), op, reader(right, right_type))
