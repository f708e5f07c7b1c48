"""``any_`` and ``all_``: conditions over the records of a to-many relation."""

from __future__ import annotations

from collections.abc import Callable

from qexpr.builder.condition import Condition, Conditional, as_condition
from qexpr.builder.handles import RecordHandle, RelationHandle
from qexpr.errors import ErrorCode
from qexpr.misuse import QTypeError, invalid
from qexpr.syntax import ast
from qexpr.syntax.canonical import quantified_nesting

__all__ = ["all_", "any_"]

ConditionLike = Conditional | Callable[[RelationHandle], Conditional]


def any_(relation: RelationHandle, condition: ConditionLike) -> Condition:
    """``any(relation, condition)``: at least one related record makes ``condition`` TRUE.

    Inside, paths are the related record's: ``any_(runs.node_runs, runs.node_runs.retry_count
    >= 2)``; ``condition`` may also be a function of the relation handle:
    ``any_(runs.node_runs, lambda n: n.retry_count >= 2)``.
    """
    return _quantify(ast.QuantifierKind.ANY, relation, condition)


def all_(relation: RelationHandle, condition: ConditionLike) -> Condition:
    """``all(relation, condition)``: every related record makes ``condition`` TRUE (and no
    records at all is TRUE)."""
    return _quantify(ast.QuantifierKind.ALL, relation, condition)


def _quantify(kind: ast.QuantifierKind, relation: object, condition: object) -> Condition:
    name = f"{kind}_"
    if not isinstance(relation, RelationHandle):
        if isinstance(relation, RecordHandle):
            where = relation._where
            raise QTypeError(f"{name}() ranges over a list of records; {where} is a single "
                            f"record: test its fields directly, e.g. {where}.id.is_not_null()")
        raise QTypeError(f"{name}() takes a to-many relation handle such as runs.node_runs, "
                        f"not {type(relation).__name__}")
    if callable(condition) and not isinstance(condition, Conditional):
        condition = condition(relation)
    inner = as_condition(condition, f"a condition in {name}()")
    if isinstance(inner.tree, ast.MatchAll):
        raise invalid(f"{name}() needs a condition on the related records",
                      ErrorCode.SYNTAX_ERROR)
    where = relation._where
    if inner.frame != relation._inner:
        assert inner.frame is not None
        raise QTypeError(
            f"the condition in {name}({where}, ...) must test the fields of {where} "
            f"(e.g. {where}.{relation._record.member_names()[0]}), but it tests "
            f"{inner.frame.display()}: inside a quantifier only the related record's fields "
            "are in reach"
        )
    node = ast.Quantified(kind, ast.Path(relation._path), inner.tree)
    return Condition(node, relation._frame, quantified_nesting(inner._nesting))
