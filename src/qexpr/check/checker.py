"""Validation: a parsed tree checked against a schema becomes a typed tree and a plan, or errors.

Each predicate is checked on its own inside the diagnostics sink, which keeps its most
important error (spec section 7); every error found is reported together, in source order,
at most ten. The typed tree (literals in their typed form, time expressions folded) prints
canonical q; the plan (:mod:`qexpr.plan.nodes`) is what every backend prints.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from operator import is_
from typing import Any, NamedTuple, TypeVar

from qexpr.check import messages
from qexpr.check.diagnostics import Diagnostics
from qexpr.check.messages import Message
from qexpr.check.resolve import q_path, resolve
from qexpr.check.values import fold_time, timestamp_literal, uuid_literal
from qexpr.errors import ErrorCode, QError
from qexpr.operators import Operator, ordered
from qexpr.plan import nodes as plan
from qexpr.plan.nodes import FieldRef, JsonKind
from qexpr.schema.model import FieldType, RecordType, Relation, Schema
from qexpr.syntax import ast
from qexpr.syntax.literals import encode_string, format_number
from qexpr.syntax.visitor import NodeVisitor

N = TypeVar("N", ast.Comparison, ast.InList, ast.Between, ast.PatternMatch, ast.IsNull)

_NUMERIC = frozenset({FieldType.INTEGER, FieldType.DECIMAL, FieldType.FLOAT})

Checked = tuple[ast.Expr, plan.Plan]
"""A node's typed form and its plan."""


class CheckedFilter(NamedTuple):
    """What validation gives: the typed tree (for canonical q), the plan (for backends), and
    whether the plan depends on the instant ``now()`` folded to."""

    tree: ast.Expr
    plan: plan.Plan
    uses_now: bool


#: A predicate's plan, memoised by everything it depends on: (schema, record type, scopes,
#: the predicate's key from :func:`_predicate_key`). Only predicates that passed and whose
#: typed form is the parsed node itself are kept (errors carry spans and are never reused), so
#: a server checking the same predicates with other values elsewhere checks each once.
_PLAN_MEMO_SIZE = 4096
_plans: dict[tuple[Any, ...], tuple[Schema, RecordType, plan.Plan]] = {}


def _literal_key(value: ast.Node) -> tuple[Any, ...] | None:
    """A literal as a memo key: its class and exact value (a Number by its text: equal
    Decimals such as 1000 and 1E+3 are different plan values)."""
    kind = type(value)
    if kind is ast.Number:
        return (kind, str(value.value))  # type: ignore[attr-defined]
    if kind is ast.String or kind is ast.Boolean:
        return (kind, value.value)  # type: ignore[attr-defined]
    return None


def _predicate_key(node: ast.Node) -> tuple[Any, ...] | None:
    """What a predicate's check depends on besides schema, record and scopes; None for
    predicates never memoised (time expressions, typed literals, null operands)."""
    kind = type(node)
    if kind is ast.Comparison:
        assert isinstance(node, ast.Comparison)
        operand = node.operand
        if type(operand) is ast.Path:
            right: tuple[Any, ...] | None = (ast.Path, operand.segments)
        else:
            right = _literal_key(operand)
            if right is None:
                return None
        bare = (operand.start == node.path.start and operand.end == node.path.end
                and node.path.end > node.path.start)
        return (kind, node.path.segments, node.op, bare, right)
    if kind is ast.PatternMatch:
        assert isinstance(node, ast.PatternMatch)
        return (kind, node.path.segments, node.op, node.negated, node.pattern.value)
    if kind is ast.IsNull:
        assert isinstance(node, ast.IsNull)
        return (kind, node.path.segments, node.negated)
    if kind is ast.InList:
        assert isinstance(node, ast.InList)
        values = tuple(_literal_key(v) for v in node.values)
        if None in values:
            return None
        return (kind, node.path.segments, node.negated, values)
    if kind is ast.Between:
        assert isinstance(node, ast.Between)
        low, high = _literal_key(node.low), _literal_key(node.high)
        if low is None or high is None:
            return None
        return (kind, node.path.segments, node.negated, low, high)
    return None


class _Rejected(Exception):
    """A predicate reported an error (the sink has it); unwinds to the predicate's end."""


def check(
    tree: ast.Expr,
    schema: Schema,
    scopes: Collection[str],
    now: datetime,
    source: str = "",
) -> CheckedFilter:
    """The typed tree and the plan of ``tree``, or raise the first :class:`QError` carrying
    every error found."""
    checker = Checker(schema, frozenset(scopes), now, Diagnostics(source))
    typed, planned = checker.visit(tree)
    checker.sink.raise_if_any()
    return CheckedFilter(typed, planned, checker.uses_now)


def _q(path: ast.Path) -> str:
    return q_path(path.segments)


def _json_kind(value: ast.Value) -> JsonKind | None:
    if isinstance(value, ast.String):
        return JsonKind.STRING
    if isinstance(value, ast.Number):
        return JsonKind.NUMBER
    if isinstance(value, ast.Boolean):
        return JsonKind.BOOLEAN
    return None


def _native(value: ast.Value) -> Any:
    """The plan's native form of a typed literal."""
    if isinstance(value, ast.TimeExpr):
        return value.instant
    return value.value  # type: ignore[union-attr]


class Checker(NodeVisitor[Checked]):
    """Walks logic nodes, checks each predicate, builds the typed tree and the plan."""

    def __init__(self, schema: Schema, scopes: frozenset[str], now: datetime,
                 sink: Diagnostics) -> None:
        self.schema = schema
        self.scopes = scopes
        self.now = now
        self.sink = sink
        self.source = sink.source
        self.record: RecordType = schema.root_record
        self._schema_id = id(schema)
        self._record_id = id(self.record)
        self.uses_now = False

    # -- logic ---------------------------------------------------------------------------------

    def visit_match_all(self, node: ast.MatchAll) -> Checked:
        return node, plan.MatchAll()

    def visit_and(self, node: ast.And) -> Checked:
        parts = [self.visit(op) for op in node.operands]
        typed = tuple(t for t, _ in parts)
        same = all(map(is_, typed, node.operands))
        return (node if same else ast.And(typed, start=node.start, end=node.end),
                plan.And(tuple(p for _, p in parts)))

    def visit_or(self, node: ast.Or) -> Checked:
        parts = [self.visit(op) for op in node.operands]
        typed = tuple(t for t, _ in parts)
        same = all(map(is_, typed, node.operands))
        return (node if same else ast.Or(typed, start=node.start, end=node.end),
                plan.Or(tuple(p for _, p in parts)))

    def visit_not(self, node: ast.Not) -> Checked:
        typed, planned = self.visit(node.operand)
        if typed is not node.operand:
            node = ast.Not(typed, start=node.start, end=node.end)
        return node, plan.Not(planned)

    # -- predicates ----------------------------------------------------------------------------

    def visit_comparison(self, node: ast.Comparison) -> Checked:
        return self._memoised(node, self._comparison)

    def visit_in_list(self, node: ast.InList) -> Checked:
        return self._memoised(node, self._in_list)

    def visit_between(self, node: ast.Between) -> Checked:
        return self._memoised(node, self._between)

    def visit_pattern_match(self, node: ast.PatternMatch) -> Checked:
        return self._memoised(node, self._pattern_match)

    def visit_is_null(self, node: ast.IsNull) -> Checked:
        return self._memoised(node, self._is_null)

    def _memoised(self, node: N, checked: Callable[[N], Checked]) -> Checked:
        """Check a predicate, or reuse its plan when the same predicate passed before in the
        same schema, record type and scopes (see ``_plans``)."""
        key = _predicate_key(node)
        if key is None:
            return self._predicate(node, checked)
        schema, record = self.schema, self.record
        full = (self._schema_id, self._record_id, self.scopes, key)
        hit = _plans.get(full)
        if hit is not None and hit[0] is schema and hit[1] is record:
            return node, hit[2]
        typed, planned = self._predicate(node, checked)
        if typed is node and not isinstance(planned, plan.MatchAll):
            if len(_plans) >= _PLAN_MEMO_SIZE:
                _plans.clear()
            _plans[full] = (schema, record, planned)
        return typed, planned

    def _is_null(self, node: ast.IsNull) -> Checked:
        left = self._target(node.path, Operator.IS_NULL)
        self._stop_if_failing()
        assert left is not None
        return node, plan.NullTest(left, node.negated)

    def visit_quantified(self, node: ast.Quantified) -> Checked:
        try:
            resolved = resolve(self.schema, self.record, node.path, self.scopes, self.source)
        except QError as error:
            self.sink.add(error)
            return node, plan.MatchAll()
        relation = resolved.relation
        if relation is None or not relation.many:
            what = "a single record" if relation is not None else f"a {resolved.type} field"
            hint = (f"compare {_q(node.path)} directly" if relation is None else
                    f"test one of its fields, e.g. {self._example_field(node.path, relation)}")
            self._report(messages.not_a_list(str(node.kind), _q(node.path), what, hint),
                         node.path)
            return node, plan.MatchAll()
        outer = self.record
        self.record = resolved.hops[-1].target
        self._record_id = id(self.record)
        try:
            typed, condition = self.visit(node.condition)
        finally:
            self.record = outer
            self._record_id = id(outer)
        if typed is not node.condition:
            node = ast.Quantified(node.kind, node.path, typed, start=node.start, end=node.end)
        return (node, plan.Quantified(plan.Quantifier(str(node.kind)), resolved.hops, condition))

    # -- predicate checks ----------------------------------------------------------------------

    def _predicate(self, node: N, checked: Callable[[N], Checked]) -> Checked:
        outer = self.sink.begin_predicate()
        try:
            return checked(node)
        except _Rejected:
            return node, plan.MatchAll()
        finally:
            self.sink.end_predicate(outer)

    def _comparison(self, node: ast.Comparison) -> Checked:
        bare = (
            isinstance(node.operand, ast.Boolean)
            and node.operand.start == node.path.start
            and node.operand.end == node.path.end
            and node.path.end > node.path.start
        )
        left = self._target(node.path, Operator.BARE if bare else node.op)
        if isinstance(node.operand, ast.Path):
            right = self._operand_path(node.operand)
            if left is not None and right is not None:
                self._field_to_field(node, left, right)
            self._stop_if_failing()
            assert left is not None and right is not None
            return node, plan.CompareFields(left, node.op, right)
        if isinstance(node.operand, ast.Null):
            self._report(messages.null_comparison(str(node.op)), node.operand)
            raise _Rejected
        value = (self._value(left, node.operand, bare=bare, operator=node.op)
                 if left is not None else node.operand)
        self._stop_if_failing()
        assert left is not None
        typed = node if value is node.operand else ast.Comparison(
            node.path, node.op, value, start=node.start, end=node.end)
        native = _native(value)
        if left.is_json_path:
            return typed, plan.Compare(left, node.op, native, json=_json_kind(value))
        bound = plan.int_test(node.op, native) if left.type is FieldType.INTEGER else None
        return typed, plan.Compare(left, node.op, native, bound=bound)

    def _in_list(self, node: ast.InList) -> Checked:
        left = self._target(node.path, Operator.IN)
        values = tuple(self._value(left, v) if left is not None else v for v in node.values)
        if left is not None and left.is_json_path:
            self._same_json_kind(values)
        self._stop_if_failing()
        assert left is not None
        same = all(v is o for v, o in zip(values, node.values, strict=True))
        typed = node if same else ast.InList(node.path, values, node.negated,
                                              start=node.start, end=node.end)
        natives = tuple(_native(v) for v in values)
        if left.is_json_path:
            return typed, plan.InSet(left, natives, node.negated, json=_json_kind(values[0]))
        members = plan.int_members(natives) if left.type is FieldType.INTEGER else None
        return typed, plan.InSet(left, natives, node.negated, members=members)

    def _between(self, node: ast.Between) -> Checked:
        left = self._target(node.path, Operator.BETWEEN)
        low = self._value(left, node.low, operator=Operator.BETWEEN) if left else node.low
        high = self._value(left, node.high, operator=Operator.BETWEEN) if left else node.high
        if left is not None and left.is_json_path:
            self._same_json_kind((low, high))
        self._stop_if_failing()
        assert left is not None
        typed = node if low is node.low and high is node.high else ast.Between(
            node.path, low, high, node.negated, start=node.start, end=node.end)
        lo, hi = _native(low), _native(high)
        if left.is_json_path:
            return typed, plan.Range(left, lo, hi, node.negated, json=_json_kind(low))
        bounds = plan.int_range(lo, hi) if left.type is FieldType.INTEGER else None
        return typed, plan.Range(left, lo, hi, node.negated, bounds=bounds)

    def _pattern_match(self, node: ast.PatternMatch) -> Checked:
        left = self._target(node.path, node.op)
        if node.op in (Operator.LIKE, Operator.ILIKE):
            pattern = node.pattern.value
            trailing = len(pattern) - len(pattern.rstrip("\\"))
            if trailing % 2 == 1:
                self._report(messages.lone_backslash(str(node.op)), node.pattern)
        self._stop_if_failing()
        assert left is not None
        return node, plan.Pattern(left, node.op, node.pattern.value, node.negated)

    # -- helpers -------------------------------------------------------------------------------

    def _report(self, message: Message, node: ast.Node) -> None:
        self.sink.report(message, node.start, node.end)

    def _stop_if_failing(self) -> None:
        if self.sink.failing:
            raise _Rejected

    def _target(self, path: ast.Path, operator: Operator) -> FieldRef | None:
        """Resolve the predicate's path and check ``operator`` is allowed on it."""
        try:
            resolved = resolve(self.schema, self.record, path, self.scopes, self.source)
        except QError as error:
            self.sink.add(error)
            return None
        shown = "a bare field name" if operator is Operator.BARE else None
        if operator is Operator.BARE:
            operator = Operator.EQ  # a bare path is `path = true`: a boolean on another type
        field = resolved.field
        if field is not None and (resolved.json_keys or operator in field.operators):
            return resolved  # the common case, first
        shown = shown or str(operator)
        relation = resolved.relation
        if relation is not None:
            if relation.many:
                self._report(messages.list_needs_quantifier(_q(path)), path)
            else:
                self._report(messages.record_not_field(
                    _q(path), shown, self._example_field(path, relation)), path)
            return None
        field = resolved.field
        assert field is not None
        if resolved.is_json_path:
            return resolved
        if operator not in field.operators:
            if field.type is FieldType.JSON:
                self._report(messages.json_field_whole(_q(path)), path)
            else:
                allowed = ", ".join(str(op) for op in ordered(field.operators))
                self._report(messages.operator_not_allowed(shown, str(field.type), _q(path),
                                                           allowed), path)
            return None
        return resolved

    def _operand_path(self, path: ast.Path) -> FieldRef | None:
        try:
            resolved = resolve(self.schema, self.record, path, self.scopes, self.source)
        except QError as error:
            if error.code is ErrorCode.UNKNOWN_FIELD and len(path.segments) == 1:
                error.hint = f"to compare with text, quote it: {encode_string(path.segments[0])}"
            self.sink.add(error)
            return None
        relation = resolved.relation
        if relation is not None:
            if relation.many:
                self._report(messages.list_needs_quantifier(_q(path), as_operand=True), path)
            else:
                self._report(messages.record_not_field(
                    _q(path), "", self._example_field(path, relation), as_operand=True), path)
            return None
        return resolved

    def _field_to_field(self, node: ast.Comparison, left: FieldRef, right: FieldRef) -> None:
        assert left.field is not None and right.field is not None
        assert isinstance(node.operand, ast.Path)
        for side, path in ((left, node.path), (right, node.operand)):
            if side.is_json_path or side.type in (FieldType.JSON, FieldType.BOOLEAN):
                kind = ("json paths" if side.is_json_path or side.type is FieldType.JSON
                        else "boolean fields")
                self._report(messages.field_kind_not_comparable(kind, _q(path)), node.operand)
                return
        lt, rt = left.field.type, right.field.type
        if lt.family != rt.family:
            self._report(messages.field_families_differ(str(lt), _q(node.path), str(rt),
                                                        _q(node.operand)), node.operand)
            return
        if node.op not in right.field.operators:
            self._report(messages.operator_not_allowed(str(node.op), str(rt), _q(node.operand),
                                                       None), node.operand)

    def _example_field(self, path: ast.Path, relation: Relation) -> str:
        """A valid condition on a field of the relation's record type, for hints."""
        target = self.schema.target(relation)
        key = target.field(target.key)
        field = key if key is not None else (target.fields[0] if target.fields else None)
        if field is None:
            return f"{_q(path)}.<field> IS NULL"
        return f"{q_path((*path.segments, field.name))} IS NULL"

    def _value(self, field: FieldRef, value: ast.Value, *, bare: bool = False,
               operator: Operator = Operator.EQ) -> ast.Value:
        """Check one literal against the field's type; return its typed form."""
        if isinstance(value, ast.Null):
            self._report(messages.null_comparison("IN/BETWEEN"), value)
            return value
        ftype = field.type
        assert ftype is not None
        try:
            if field.is_json_path:
                if isinstance(value, ast.Boolean) and operator.is_ordering:
                    self._report(messages.boolean_order(str(operator)), value)
                    return value
                if isinstance(value, (ast.String, ast.Number, ast.Boolean)):
                    return value
                self._mismatch(field, value, "a time expression"
                               if isinstance(value, ast.TimeExpr) else "this value")
                return value
            if ftype is FieldType.STRING:
                if isinstance(value, ast.String):
                    return value
            elif ftype is FieldType.UUID:
                if isinstance(value, ast.String):
                    return uuid_literal(value, self.source)
                if isinstance(value, ast.Uuid):
                    return value
            elif ftype in _NUMERIC:
                if isinstance(value, ast.Number):
                    return value
            elif ftype is FieldType.BOOLEAN:
                if isinstance(value, ast.Boolean):
                    return value
            elif ftype is FieldType.TIMESTAMP:
                if isinstance(value, ast.String):
                    return timestamp_literal(value, self.source)
                if isinstance(value, ast.Timestamp):
                    return value
                if isinstance(value, ast.TimeExpr):
                    self.uses_now = self.uses_now or isinstance(value.base, ast.Now)
                    return fold_time(value, self.now, self.source)
        except QError as error:
            self.sink.add(error)
            return value
        self._mismatch(field, value, _kind(value), bare=bare)
        return value

    def _mismatch(self, field: FieldRef, value: ast.Value, kind: str, *,
                  bare: bool = False) -> None:
        ftype = field.type
        name = q_path((*(h.relation.name for h in field.hops),
                       *((field.field.name,) if field.field else ()), *field.json_keys))
        if bare:
            self._report(messages.bare_not_boolean(name, str(ftype)), value)
            return
        target = "json path" if field.is_json_path else f"{ftype} field"
        hint = (_mismatch_hint(ftype, value) if not field.is_json_path else
                "a json path compares with a string, a number, true or false")
        self._report(messages.value_mismatch(kind, target, name, hint), value)

    def _same_json_kind(self, values: tuple[ast.Value, ...]) -> None:
        kinds = [_kind(v) for v in values]
        for value, kind in zip(values, kinds, strict=True):
            if kind != kinds[0]:
                self._report(messages.json_kinds_differ(kind, kinds[0]), value)
                return


def _kind(value: ast.Node) -> str:
    if isinstance(value, ast.String):
        return "a string"
    if isinstance(value, ast.Number):
        return "a number"
    if isinstance(value, ast.Boolean):
        return "a boolean"
    if isinstance(value, ast.TimeExpr):
        return "a time expression"
    if isinstance(value, ast.Uuid):
        return "a UUID"
    if isinstance(value, ast.Timestamp):
        return "a timestamp"
    return "null"


def _mismatch_hint(ftype: FieldType | None, value: ast.Value) -> str | None:
    if ftype is FieldType.STRING and isinstance(value, ast.Number):
        return f"quote text: \"{format_number(value.value)}\""
    if ftype in _NUMERIC and isinstance(value, ast.String):
        return "write numbers without quotes, e.g. 1000"
    if ftype is FieldType.BOOLEAN:
        return "write true or false"
    if ftype is FieldType.TIMESTAMP:
        return 'write a timestamp as "2024-01-01T00:00:00Z" or a time such as now() - 7d'
    if ftype is FieldType.UUID:
        return 'write a UUID as a string: "3c90c3cc-0d44-4b50-8888-8dd25736052a"'
    if isinstance(value, ast.TimeExpr):
        return "time expressions only compare with timestamp fields"
    return None

