"""Validation: a parsed tree checked against a schema becomes a typed tree, or errors.

Each predicate is checked on its own; every error found is kept (at most one per predicate,
the most important by the precedence of spec section 7), and all of them are reported
together, in source order, at most ten.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import TypeVar

from qexpr.check.resolve import ResolvedPath, article, q_path, resolve
from qexpr.check.values import fold_time, timestamp_literal, uuid_literal
from qexpr.errors import CODE_PRECEDENCE, ErrorCode, QError
from qexpr.operators import Operator, ordered
from qexpr.schema.model import FieldType, RecordType, Relation, Schema
from qexpr.syntax import ast
from qexpr.syntax.literals import encode_string, format_number
from qexpr.syntax.visitor import NodeVisitor

MAX_REPORTED_ERRORS = 10

N = TypeVar("N", ast.Comparison, ast.InList, ast.Between, ast.PatternMatch, ast.IsNull)

_NUMERIC = frozenset({FieldType.INTEGER, FieldType.DECIMAL, FieldType.FLOAT})
_ORDERING = frozenset({"<", "<=", ">", ">=", "BETWEEN"})


class _Invalid(Exception):
    """One predicate broke a rule; carries every error found in it."""

    def __init__(self, errors: list[QError]) -> None:
        super().__init__(errors[0].message)
        self.errors = errors


def check(
    tree: ast.Expr,
    schema: Schema,
    scopes: Collection[str],
    now: datetime,
    source: str = "",
) -> ast.Expr:
    """Return the typed tree, or raise the first :class:`QError` carrying all of them."""
    checker = Checker(schema, frozenset(scopes), now, source)
    checked = checker.visit(tree)
    if checker.errors:
        errors = sorted(checker.errors, key=lambda e: e.start)[:MAX_REPORTED_ERRORS]
        raise errors[0].with_errors(errors)
    return checked


def _best(errors: list[QError]) -> QError:
    """The error a predicate reports: the first code in the precedence of spec section 7,
    then the first in source order."""
    return min(errors, key=lambda e: (CODE_PRECEDENCE[e.code], e.start))


def _q(path: ast.Path) -> str:
    return q_path(path.segments)


class Checker(NodeVisitor[ast.Expr]):
    """Walks logic nodes, checks each predicate, rebuilds the tree with typed literals."""

    def __init__(self, schema: Schema, scopes: frozenset[str], now: datetime, source: str):
        self.schema = schema
        self.scopes = scopes
        self.now = now
        self.source = source
        self.record: RecordType = schema.root_record
        self.errors: list[QError] = []

    # -- logic ---------------------------------------------------------------------------------

    def visit_match_all(self, node: ast.MatchAll) -> ast.Expr:
        return node

    def visit_and(self, node: ast.And) -> ast.Expr:
        return ast.And(tuple(self.visit(op) for op in node.operands), start=node.start,
                       end=node.end)

    def visit_or(self, node: ast.Or) -> ast.Expr:
        return ast.Or(tuple(self.visit(op) for op in node.operands), start=node.start,
                      end=node.end)

    def visit_not(self, node: ast.Not) -> ast.Expr:
        return ast.Not(self.visit(node.operand), start=node.start, end=node.end)

    # -- predicates ----------------------------------------------------------------------------

    def _predicate(self, node: N, check: Callable[[N], ast.Expr]) -> ast.Expr:
        try:
            result: ast.Expr = check(node)
        except _Invalid as invalid:
            self.errors.append(_best(invalid.errors))
            return node
        except QError as error:
            self.errors.append(error)
            return node
        return result

    def visit_comparison(self, node: ast.Comparison) -> ast.Expr:
        return self._predicate(node, self._comparison)

    def visit_in_list(self, node: ast.InList) -> ast.Expr:
        return self._predicate(node, self._in_list)

    def visit_between(self, node: ast.Between) -> ast.Expr:
        return self._predicate(node, self._between)

    def visit_pattern_match(self, node: ast.PatternMatch) -> ast.Expr:
        return self._predicate(node, self._pattern_match)

    def visit_is_null(self, node: ast.IsNull) -> ast.Expr:
        return self._predicate(node, self._is_null)

    def visit_quantified(self, node: ast.Quantified) -> ast.Expr:
        try:
            resolved = resolve(self.schema, self.record, node.path, self.scopes, self.source)
        except QError as error:
            self.errors.append(error)
            return node
        relation = resolved.relation
        if relation is None or not relation.many:
            what = "a single record" if relation is not None else f"a {resolved.type} field"
            self.errors.append(self._error(
                ErrorCode.UNSUPPORTED_OPERATOR,
                f"{node.kind}() ranges over a list of records; {_q(node.path)} is {what}",
                node.path,
                hint=f"compare {_q(node.path)} directly" if relation is None else
                f"test one of its fields, e.g. {self._example_field(node.path, relation)}",
            ))
            return node
        outer = self.record
        self.record = self.schema.target(relation)
        try:
            condition = self.visit(node.condition)
        finally:
            self.record = outer
        return ast.Quantified(node.kind, node.path, condition, start=node.start, end=node.end)

    # -- predicate checks (raise _Invalid with every error found) ------------------------------

    def _comparison(self, node: ast.Comparison) -> ast.Expr:
        errors: list[QError] = []
        bare = (
            isinstance(node.operand, ast.Boolean)
            and node.operand.start == node.path.start
            and node.operand.end == node.path.end
            and node.path.end > node.path.start
        )
        operator = "bare" if bare else str(node.op)
        left = self._target(node.path, operator, errors)
        if isinstance(node.operand, ast.Path):
            right = self._operand_path(node.operand, errors)
            if left is not None and right is not None:
                self._field_to_field(node, left, right, errors)
            _raise_if(errors)
            return node
        if isinstance(node.operand, ast.Null):
            errors.append(self._null(node.operand, str(node.op)))
            _raise_if(errors)
        value = (self._value(left, node.operand, errors, bare=bare, operator=str(node.op))
                 if left else node.operand)
        _raise_if(errors)
        return ast.Comparison(node.path, node.op, value, start=node.start, end=node.end)

    def _in_list(self, node: ast.InList) -> ast.Expr:
        errors: list[QError] = []
        left = self._target(node.path, "IN", errors)
        values = tuple(self._value(left, v, errors) if left else v for v in node.values)
        if left is not None and left.is_json_path:
            self._same_json_kind(values, errors)
        _raise_if(errors)
        return ast.InList(node.path, values, node.negated, start=node.start, end=node.end)

    def _between(self, node: ast.Between) -> ast.Expr:
        errors: list[QError] = []
        left = self._target(node.path, "BETWEEN", errors)
        low = self._value(left, node.low, errors, operator="BETWEEN") if left else node.low
        high = self._value(left, node.high, errors, operator="BETWEEN") if left else node.high
        if left is not None and left.is_json_path:
            self._same_json_kind((low, high), errors)
        _raise_if(errors)
        return ast.Between(node.path, low, high, node.negated, start=node.start, end=node.end)

    def _pattern_match(self, node: ast.PatternMatch) -> ast.Expr:
        errors: list[QError] = []
        self._target(node.path, str(node.op), errors)
        if node.op in (Operator.LIKE, Operator.ILIKE):
            pattern = node.pattern.value
            trailing = len(pattern) - len(pattern.rstrip("\\"))
            if trailing % 2 == 1:
                errors.append(self._error(
                    ErrorCode.INVALID_LITERAL,
                    f"a {node.op} pattern cannot end with a lone backslash",
                    node.pattern,
                    hint="a backslash escapes the next character; match a backslash with \\\\ "
                    'in the pattern (written "\\\\\\\\" in q)',
                ))
        _raise_if(errors)
        return node

    def _is_null(self, node: ast.IsNull) -> ast.Expr:
        errors: list[QError] = []
        self._target(node.path, "IS NULL", errors)
        _raise_if(errors)
        return node

    # -- helpers -------------------------------------------------------------------------------

    def _error(self, code: ErrorCode, message: str, node: ast.Node, *,
               hint: str | None = None, suggestion: str | None = None) -> QError:
        return QError(code, message, source=self.source, start=node.start, end=node.end,
                      hint=hint, suggestion=suggestion)

    def _target(self, path: ast.Path, operator: str, errors: list[QError]) -> ResolvedPath | None:
        """Resolve the predicate's path and check ``operator`` is allowed on it."""
        try:
            resolved = resolve(self.schema, self.record, path, self.scopes, self.source)
        except QError as error:
            errors.append(error)
            return None
        shown = "a bare field name" if operator == "bare" else operator
        if operator == "bare":
            operator = "="  # a bare path is `path = true`: a boolean on another type mismatches
        relation = resolved.relation
        if relation is not None:
            if relation.many:
                errors.append(self._error(
                    ErrorCode.QUANTIFIER_REQUIRED,
                    f"{_q(path)} is a list of records; test its items with any() or all()",
                    path, hint=f"write any({_q(path)}, <condition on its fields>)",
                ))
            else:
                errors.append(self._error(
                    ErrorCode.UNSUPPORTED_OPERATOR,
                    f"{_q(path)} is a record and cannot be used with {shown}",
                    path,
                    hint=f"test one of its fields, e.g. {self._example_field(path, relation)}",
                ))
            return None
        field = resolved.field
        assert field is not None
        if resolved.is_json_path:
            return resolved
        if operator not in field.operators:
            allowed = ", ".join(_ordered(field.operators))
            if field.type is FieldType.JSON:
                message = (f"{_q(path)} is a json field; only IS NULL / IS NOT NULL "
                           "apply to it as a whole")
                hint = f"compare a key inside it, e.g. {_q(path)}.some_key = \"value\""
            else:
                message = f"{shown} is not allowed on the {field.type} field {_q(path)}"
                hint = f"{field.type} fields allow: {allowed}"
            errors.append(self._error(ErrorCode.UNSUPPORTED_OPERATOR, message, path, hint=hint))
            return None
        return resolved

    def _operand_path(self, path: ast.Path, errors: list[QError]) -> ResolvedPath | None:
        try:
            resolved = resolve(self.schema, self.record, path, self.scopes, self.source)
        except QError as error:
            if error.code is ErrorCode.UNKNOWN_FIELD and len(path.segments) == 1:
                word = path.segments[0]
                error.hint = f"to compare with text, quote it: {encode_string(word)}"
            errors.append(error)
            return None
        if resolved.relation is not None:
            relation = resolved.relation
            if relation.many:
                errors.append(self._error(
                    ErrorCode.QUANTIFIER_REQUIRED,
                    f"{_q(path)} is a list of records, not a field; test its items with "
                    "any() or all()", path,
                    hint=f"write any({_q(path)}, <condition on its fields>)"))
            else:
                errors.append(self._error(
                    ErrorCode.UNSUPPORTED_OPERATOR,
                    f"{_q(path)} is a record, not a field, and cannot be compared", path,
                    hint=f"compare one of its fields, e.g. {self._example_field(path, relation)}"))
            return None
        return resolved

    def _field_to_field(self, node: ast.Comparison, left: ResolvedPath, right: ResolvedPath,
                        errors: list[QError]) -> None:
        assert left.field is not None and right.field is not None
        assert isinstance(node.operand, ast.Path)
        for side, path in ((left, node.path), (right, node.operand)):
            if side.is_json_path or side.type in (FieldType.JSON, FieldType.BOOLEAN):
                kind = "json paths" if side.is_json_path or side.type is FieldType.JSON \
                    else "boolean fields"
                errors.append(self._error(
                    ErrorCode.TYPE_MISMATCH,
                    f"{kind} cannot be compared with another field ({_q(path)})",
                    node.operand,
                ))
                return
        lt, rt = left.field.type, right.field.type
        if lt.family != rt.family:
            errors.append(self._error(
                ErrorCode.TYPE_MISMATCH,
                f"cannot compare the {lt} field {_q(node.path)} with the {rt} field "
                f"{_q(node.operand)}",
                node.operand,
            ))
            return
        if str(node.op) not in right.field.operators:
            errors.append(self._error(
                ErrorCode.UNSUPPORTED_OPERATOR,
                f"{node.op} is not allowed on the {rt} field {_q(node.operand)}",
                node.operand,
            ))

    def _example_field(self, path: ast.Path, relation: Relation) -> str:
        """A valid condition on a field of the relation's record type, for hints."""
        target = self.schema.target(relation)
        key = target.field(target.key)
        field = key if key is not None else (target.fields[0] if target.fields else None)
        if field is None:
            return f"{_q(path)}.<field> IS NULL"
        return f"{q_path((*path.segments, field.name))} IS NULL"

    def _null(self, node: ast.Node, operator: str) -> QError:
        if operator == "=":
            hint = "write IS NULL"
        elif operator == "!=":
            hint = "write IS NOT NULL"
        else:
            hint = "test for a missing value with IS NULL / IS NOT NULL"
        return self._error(ErrorCode.NULL_COMPARISON,
                           "null cannot be compared with an operator; nothing equals null",
                           node, hint=hint)

    def _value(self, field: ResolvedPath, value: ast.Value, errors: list[QError], *,
               bare: bool = False, operator: str = "=") -> ast.Value:
        """Check one literal against the field's type; return its typed form."""
        if isinstance(value, ast.Null):
            errors.append(self._null(value, "IN/BETWEEN"))
            return value
        ftype = field.type
        assert ftype is not None
        try:
            if field.is_json_path:
                if isinstance(value, ast.Boolean) and operator in _ORDERING:
                    raise QError(
                        ErrorCode.UNSUPPORTED_OPERATOR,
                        f"true and false can only be compared with = and != ({operator} given)",
                        source=self.source, start=value.start, end=value.end,
                        hint="booleans have no order",
                    )
                if isinstance(value, (ast.String, ast.Number, ast.Boolean)):
                    return value
                if isinstance(value, ast.TimeExpr):
                    raise self._mismatch(field, value, "a time expression")
                raise self._mismatch(field, value, "this value")
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
                    return fold_time(value, self.now, self.source)
            raise self._mismatch(field, value, _kind(value), bare=bare)
        except QError as error:
            errors.append(error)
            return value

    def _mismatch(self, field: ResolvedPath, value: ast.Value, kind: str, *,
                  bare: bool = False) -> QError:
        ftype = field.type
        name = q_path((*(h.name for h in field.hops),
                       *((field.field.name,) if field.field else ()), *field.json_keys))
        if bare:
            return QError(
                ErrorCode.TYPE_MISMATCH,
                f"{name} is {article(str(ftype))} field; a field alone is only a condition "
                "when it is boolean",
                source=self.source, start=value.start, end=value.end,
                hint=f"compare it, e.g. {name} IS NOT NULL",
            )
        target = "json path" if field.is_json_path else f"{ftype} field"
        hint = _mismatch_hint(ftype, value) if not field.is_json_path else \
            "a json path compares with a string, a number, true or false"
        return QError(
            ErrorCode.TYPE_MISMATCH,
            f"{kind} cannot be compared with the {target} {name}",
            source=self.source, start=value.start, end=value.end, hint=hint,
        )

    def _same_json_kind(self, values: tuple[ast.Value, ...], errors: list[QError]) -> None:
        kinds = [_kind(v) for v in values]
        for value, kind in zip(values, kinds, strict=True):
            if kind != kinds[0]:
                errors.append(self._error(
                    ErrorCode.TYPE_MISMATCH,
                    f"on a json path all values must be of one kind; {kind} after {kinds[0]}",
                    value,
                ))
                return


def _raise_if(errors: list[QError]) -> None:
    if errors:
        raise _Invalid(errors)


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


def _ordered(operators: frozenset[Operator]) -> list[str]:
    return [str(op) for op in ordered(operators)]
