"""The visitor that turns a plan into closures (see :mod:`.leaves` for the model).

Paths come resolved in the plan (:class:`~qexpr.plan.nodes.FieldRef`) and literals in their
exact native form; they are converted once, here, into the form record values are coerced to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qexpr.backends.predicate import leaves
from qexpr.backends.predicate.access import (
    Items,
    Place,
    Reader,
    Record,
    items_reader,
    raw_reader,
    relations,
    typed_reader,
)
from qexpr.backends.predicate.leaves import Check, Test
from qexpr.backends.predicate.patterns import compile_pattern
from qexpr.backends.predicate.values import (
    COERCERS,
    EXACT_TYPES,
    JSON_COERCERS,
    json_any,
    to_double,
)
from qexpr.operators import Operator
from qexpr.plan import nodes as plan
from qexpr.plan.nodes import FieldRef, JsonKind
from qexpr.schema.model import FieldType, Relation
from qexpr.syntax.visitor import NodeVisitor


@dataclass(frozen=True, slots=True)
class CompiledFilter:
    """The root test of a filter and the relations the root record must carry."""

    test: Test
    relations: tuple[Relation, ...]


def compile_plan(tree: plan.Plan) -> CompiledFilter:
    """Compile a plan over records of its root type."""
    compiler = PredicateCompiler(Place())
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


def quantify(kind: plan.Quantifier, items: Items, condition: Check) -> Test:
    """``any``/``all`` over related records: never UNKNOWN (UNKNOWN counts as not TRUE)."""
    if kind is plan.Quantifier.ANY:
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


# --------------------------------------------------------------------------- literals


def literal(ftype: FieldType, native: Any) -> Any:
    """A plan literal in the comparable form of ``ftype`` (the form the coercer gives)."""
    if ftype is FieldType.UUID:
        return str(native)
    if ftype is FieldType.FLOAT:
        return to_double(native)
    if ftype is FieldType.INTEGER and native == native.to_integral_value():
        return int(native)
    return native


def json_literal(kind: JsonKind, native: Any) -> Any:
    """A plan literal in the form JSON leaves of its kind are compared in."""
    return to_double(native) if kind is JsonKind.NUMBER else native


# --------------------------------------------------------------------------- the visitor


class PredicateCompiler(NodeVisitor[Test]):
    """Builds the :class:`Test` of each plan node for records at one ``place``."""

    def __init__(self, place: Place) -> None:
        self.place = place
        self.root_relations: dict[str, Relation] = {}

    def note(self, ref: FieldRef | tuple[plan.Hop, ...]) -> None:
        """Record the root relation ``ref`` crosses (the record must carry its key)."""
        hops = ref if isinstance(ref, tuple) else ref.hops
        if self.place.is_root and hops:
            relation = hops[0].relation
            self.root_relations.setdefault(relation.name, relation)

    # -- logic -----------------------------------------------------------------------------

    def visit_match_all(self, node: plan.MatchAll) -> Test:
        return Test(leaves.always(True), leaves.always(False))

    def visit_not(self, node: plan.Not) -> Test:
        return self.visit(node.operand).negated()

    def visit_and(self, node: plan.And) -> Test:
        tests = [self.visit(operand) for operand in node.operands]
        return Test(all_of([t.true for t in tests]), any_of([t.false for t in tests]))

    def visit_or(self, node: plan.Or) -> Test:
        tests = [self.visit(operand) for operand in node.operands]
        return Test(any_of([t.true for t in tests]), all_of([t.false for t in tests]))

    def visit_quantified(self, node: plan.Quantified) -> Test:
        self.note(node.hops)
        inner = PredicateCompiler(self.place.below(relations(node.hops)))
        condition = inner.visit(node.condition)
        return quantify(node.kind, items_reader(self.place, node.hops), condition.true)

    # -- predicates ------------------------------------------------------------------------

    def visit_compare(self, node: plan.Compare) -> Test:
        left = self._field(node.left)
        if node.json is not None:
            read = self._json(left, node.json)
            return leaves.compare(read, node.op, json_literal(node.json, node.value))
        ftype = _type(left)
        value = literal(ftype, node.value)
        direct = _direct(left)
        if direct is not None:
            key, exact = direct
            return leaves.compare_direct(key, exact, COERCERS[ftype], node.op, value)
        return leaves.compare(typed_reader(self.place, left, COERCERS[ftype]), node.op, value)

    def visit_compare_fields(self, node: plan.CompareFields) -> Test:
        left, right = self._field(node.left), self._field(node.right)
        return self._field_to_field(left, node.op, right)

    def visit_in_set(self, node: plan.InSet) -> Test:
        left = self._field(node.left)
        test: Test
        if node.json is not None:
            kind = node.json
            read = self._json(left, kind)
            test = leaves.member(read, [json_literal(kind, v) for v in node.values])
        else:
            ftype = _type(left)
            values = [literal(ftype, v) for v in node.values]
            direct = _direct(left)
            if direct is not None:
                test = leaves.member_direct(*direct, COERCERS[ftype], values)
            else:
                test = leaves.member(typed_reader(self.place, left, COERCERS[ftype]), values)
        return test.negated() if node.negated else test

    def visit_range(self, node: plan.Range) -> Test:
        left = self._field(node.left)
        low: Any
        high: Any
        if node.json is not None:
            read = self._json(left, node.json)
            low, high = json_literal(node.json, node.low), json_literal(node.json, node.high)
        else:
            ftype = _type(left)
            read = typed_reader(self.place, left, COERCERS[ftype])
            low, high = literal(ftype, node.low), literal(ftype, node.high)
        test = leaves.between(read, low, high)
        return test.negated() if node.negated else test

    def visit_pattern(self, node: plan.Pattern) -> Test:
        left = self._field(node.left)
        text = node.text
        matches = compile_pattern(node.op, text)
        direct = None if left.is_json_path else _direct(left)
        if direct is not None:
            test = leaves.pattern_direct(direct[0], node.op, text, matches)
        else:
            test = leaves.pattern(self._json(left, JsonKind.STRING) if left.is_json_path else
                                  typed_reader(self.place, left, COERCERS[FieldType.STRING]),
                                  matches)
        return test.negated() if node.negated else test

    def visit_null_test(self, node: plan.NullTest) -> Test:
        left = self._field(node.left)
        ftype = _type(left)
        read: Reader
        if left.is_json_path or ftype is FieldType.JSON:
            read = raw_reader(self.place, left)  # any JSON value but null is not null
            read = _json_nan_is_null(read)
        else:
            read = typed_reader(self.place, left, COERCERS[ftype])
        test = leaves.is_null(read)
        return test.negated() if node.negated else test

    # -- helpers ---------------------------------------------------------------------------

    def _field(self, ref: FieldRef) -> FieldRef:
        self.note(ref)
        return ref

    def _json(self, ref: FieldRef, kind: JsonKind) -> Reader:
        return typed_reader(self.place, ref, JSON_COERCERS.get(str(kind), json_any))

    def _field_to_field(self, left: FieldRef, op: Operator, right: FieldRef) -> Test:
        left_type, right_type = _type(left), _type(right)
        floats = FieldType.FLOAT in (left_type, right_type)

        def reader(resolved: FieldRef, ftype: FieldType) -> Reader:
            coerce = COERCERS[ftype]
            if floats and ftype is not FieldType.FLOAT:
                exact = coerce

                def as_double(value: Any) -> float | None:
                    number = exact(value)
                    return None if number is None else to_double(number)

                coerce = as_double
            return typed_reader(self.place, resolved, coerce)

        return leaves.compare_fields(reader(left, left_type), op, reader(right, right_type))


def _type(ref: FieldRef) -> FieldType:
    assert ref.field is not None, "plan predicates always reach a field"
    return ref.field.type


def _direct(ref: FieldRef) -> tuple[str, type] | None:
    """``(key, exact class)`` when the field is read straight from the record and its values
    of one class need no coercion."""
    if ref.hops or ref.json_keys or ref.field is None:
        return None
    exact = EXACT_TYPES.get(ref.field.type)
    return None if exact is None else (ref.field.name, exact)


def _json_nan_is_null(read: Reader) -> Reader:
    """NaN is no JSON value (a lenient decoder's ``NaN``): a JSON leaf holding it is null, as
    it is stored (see :mod:`qexpr.backends.sql.codec`)."""
    def read_json(record: Mapping[str, Any]) -> Any:
        value = read(record)
        return None if type(value) is float and value != value else value

    return read_json

