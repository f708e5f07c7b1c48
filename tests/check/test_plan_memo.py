"""The checker's plan memo: a predicate that passed is checked once per (schema, record type,
scopes) and its plan reused; everything the plan or an error depends on stays in the key."""

from __future__ import annotations

from decimal import Decimal

import pytest

import qexpr
from qexpr import ErrorCode, QError
from qexpr.plan import nodes as plan
from tests.check._util import EVAL, NOW, err, ok


def _operands(f: qexpr.Filter) -> tuple[plan.Plan, ...]:
    assert isinstance(f.plan, plan.And)
    return f.plan.operands


def test_a_predicate_seen_before_reuses_its_plan_while_the_varied_one_is_checked() -> None:
    first = _operands(ok('duration_ms > 1 AND failure_code IN ("a", "b") AND has_logs'))
    second = _operands(ok('duration_ms > 2 AND failure_code IN ("a", "b") AND has_logs'))
    assert first[1] is second[1] and first[2] is second[2]
    assert first[0] is not second[0]
    assert isinstance(second[0], plan.Compare) and second[0].value == 2


def test_numbers_equal_as_decimals_keep_their_own_plan_value() -> None:
    assert str(ok("cost > 1000").plan.value) == "1000"  # type: ignore[union-attr]
    assert str(ok("cost > 1e3").plan.value) == "1E+3"  # type: ignore[union-attr]
    assert ok("cost > 1e3").plan.value == Decimal(1000)  # type: ignore[union-attr]


def test_a_literal_class_is_part_of_the_key() -> None:
    ok('metadata.x = 1')
    assert ok('metadata.x = true').plan.json is plan.JsonKind.BOOLEAN  # type: ignore[union-attr]
    assert ok('metadata.x = "1"').plan.json is plan.JsonKind.STRING  # type: ignore[union-attr]
    error = err('duration_ms = "1"')
    assert error.code is ErrorCode.TYPE_MISMATCH


def test_scopes_are_part_of_the_key() -> None:
    q = "current_evaluation_summary.passed = true"
    ok(q, scopes=[EVAL])
    with pytest.raises(QError) as info:
        qexpr.compile(q, now=NOW)
    assert info.value.code is ErrorCode.FORBIDDEN_FIELD


def test_the_record_type_is_part_of_the_key() -> None:
    ok('any(node_runs, state_code = "failed")', scopes=())
    q = 'any(node_runs, state_code = "failed") AND state_code = "failed"'
    error = err(q)
    assert error.code is ErrorCode.UNKNOWN_FIELD
    assert (error.start, error.end) == (q.rindex("state_code"), q.rindex("state_code") + 10)


def test_a_bare_field_and_its_comparison_with_true_report_their_own_errors() -> None:
    assert ok("has_logs").plan == ok("has_logs = true").plan
    bare, explicit = err("duration_ms"), err("duration_ms = true")
    assert bare.message != explicit.message
    assert (bare.start, bare.end) == (0, 11)
    assert (explicit.start, explicit.end) == (14, 18)


def test_errors_keep_their_spans_after_the_same_predicate_passed_elsewhere() -> None:
    ok('failure_code = "x"')
    q = 'failure_code = "x" AND nope = 1'
    error = err(q)
    assert error.code is ErrorCode.UNKNOWN_FIELD
    assert (error.start, error.end) == (q.index("nope"), q.index("nope") + 4)


def test_typed_literals_keep_their_spans_and_now_its_instant() -> None:
    q1 = 'id = "3c90c3cc-0d44-4b50-8888-8dd25736052a"'
    q2 = ' ' + q1
    t1, t2 = ok(q1).tree, ok(q2).tree
    assert isinstance(t1, qexpr.ast.Comparison) and isinstance(t2, qexpr.ast.Comparison)
    assert (t2.operand.start - t1.operand.start) == 1
    a = ok("created_at > now() - 1d")
    b = ok("created_at > now() - 1d", now=NOW.replace(year=2025))
    assert a.plan != b.plan
