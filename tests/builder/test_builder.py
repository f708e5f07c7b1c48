"""The builder: what it writes, and the mistakes it refuses at once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest

import qexpr
from qexpr import QError, all_, and_, any_, handles, not_, now, or_, runs
from qexpr.builder import Condition, FieldHandle, JsonHandle, RecordHandle, RelationHandle
from qexpr.schema.model import Schema, fields, record, to_many
from qexpr.syntax import ast

EVAL = "evaluations:read"
NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)
UID = "3c90c3cc-0d44-4b50-8888-8dd25736052a"


def q(condition: Condition) -> str:
    return condition.to_q()


# --------------------------------------------------------------------------- the examples

@pytest.mark.parametrize(("built", "text"), [
    (lambda: (runs.duration_ms > 1000) & runs.failure_code.in_(["timeout", "oom"])
     & ~runs.has_logs,
     'duration_ms > 1000 AND failure_code IN ("timeout", "oom") AND NOT has_logs = true'),
    (lambda: any_(runs.node_runs, (runs.node_runs.state_code == "failed")
                  & (runs.node_runs.retry_count >= 2)),
     'any(node_runs, state_code = "failed" AND retry_count >= 2)'),
    (lambda: runs.metadata["team-id"] == 42, 'metadata["team-id"] = 42'),
    (lambda: runs.created_at > now() - timedelta(days=7), "created_at > now() - 7d"),
    (lambda: runs.nodes_completed < runs.nodes_total, "nodes_completed < nodes_total"),
    (lambda: any_(runs.model.pricing, runs.model.pricing.price > 1),
     "any(model.pricing, price > 1)"),
    (lambda: runs.metadata.customer.tier == "gold", 'metadata.customer.tier = "gold"'),
    (lambda: runs.metadata["a.b"] == "x", 'metadata["a.b"] = "x"'),
    (lambda: runs.model.slug == "flux-dev", 'model.slug = "flux-dev"'),
    (lambda: all_(runs.logs, runs.logs.level_code != "error"), 'all(logs, level_code != "error")'),
    (lambda: runs.cost.between(Decimal("0.01"), 0.5), "cost BETWEEN 0.01 AND 0.5"),
    (lambda: runs.client_ref.starts_with("batch-")
     & runs.failure_message.ilike("%out of memory%"),
     'client_ref STARTS_WITH "batch-" AND failure_message ILIKE "%out of memory%"'),
    (lambda: runs.has_logs, "has_logs = true"),
    (lambda: runs.has_logs == False, "has_logs = false"),  # noqa: E712
    (lambda: runs.has_logs & (runs.cost > 1), "has_logs = true AND cost > 1"),
    (lambda: (runs.cost > 1) | runs.has_logs, "cost > 1 OR has_logs = true"),
    (lambda: ((runs.cost > 1) | (runs.cost < 0)) & runs.has_logs,
     "(cost > 1 OR cost < 0) AND has_logs = true"),
    (lambda: ~((runs.cost > 1) & runs.has_logs), "NOT (cost > 1 AND has_logs = true)"),
    (lambda: runs.duration_ms > 5, "duration_ms > 5"),
    (lambda: runs.failure_code.is_null() | runs.failure_code.is_not_null(),
     "failure_code IS NULL OR failure_code IS NOT NULL"),
    (lambda: runs.failure_code.not_in(["a"]), 'failure_code NOT IN ("a")'),
    (lambda: runs.cost.not_between(1, 2), "cost NOT BETWEEN 1 AND 2"),
    (lambda: runs.client_ref.not_like("a%") & runs.client_ref.not_ilike("b%")
     & runs.client_ref.contains("c") & runs.client_ref.not_contains("d")
     & runs.client_ref.not_starts_with("e") & runs.client_ref.ends_with("f")
     & runs.client_ref.not_ends_with("g") & runs.client_ref.like("h"),
     'client_ref NOT LIKE "a%" AND client_ref NOT ILIKE "b%" AND client_ref CONTAINS "c" AND '
     'client_ref NOT CONTAINS "d" AND client_ref NOT STARTS_WITH "e" AND client_ref ENDS_WITH '
     '"f" AND client_ref NOT ENDS_WITH "g" AND client_ref LIKE "h"'),
    (lambda: runs.id == UID.upper(), f'id = "{UID}"'),
    (lambda: runs.id.in_([UUID(UID)]), f'id IN ("{UID}")'),
    (lambda: runs.created_at >= date(2024, 1, 1), 'created_at >= "2024-01-01T00:00:00Z"'),
    (lambda: runs.created_at < datetime(2024, 1, 1, 2, tzinfo=timezone(timedelta(hours=2))),
     'created_at < "2024-01-01T00:00:00Z"'),
    (lambda: runs.created_at < datetime(2024, 1, 1, 0, 0, 0, 5, tzinfo=UTC),
     'created_at < "2024-01-01T00:00:00.000005Z"'),
    (lambda: runs.created_at > datetime(2024, 1, 8, tzinfo=UTC) - timedelta(days=7),
     'created_at > "2024-01-01T00:00:00Z"'),
    (lambda: runs.created_at > "2024-01-01T01:00:00+01:00", 'created_at > "2024-01-01T00:00:00Z"'),
    (lambda: runs.created_at > now() - timedelta(hours=1, minutes=30) + timedelta(seconds=1),
     "created_at > now() - 90m + 1s"),
    (lambda: runs.created_at > now() - timedelta(weeks=2), "created_at > now() - 14d"),
    (lambda: runs.created_at > now() - timedelta(days=-1), "created_at > now() + 1d"),
    (lambda: runs.created_at > now() - timedelta(milliseconds=250), "created_at > now() - 250ms"),
    (lambda: runs.created_at > now() - timedelta(0), "created_at > now() - 0s"),
    (lambda: runs.created_at.between(now() - timedelta(days=1), now()),
     "created_at BETWEEN now() - 1d AND now()"),
    (lambda: runs.cost > 0.1, "cost > 0.1"),
    (lambda: runs.cost > 1e20, "cost > 100000000000000000000"),
    (lambda: runs.cost > 1e-10, "cost > 1e-10"),
    (lambda: runs.cost > -0.0, "cost > 0"),
    (lambda: runs.cost > Decimal("1.500"), "cost > 1.5"),
    (lambda: runs.duration_ms > 1.5, "duration_ms > 1.5"),
    (lambda: runs.metadata.flag, "metadata.flag = true"),
    (lambda: runs.metadata.flag == True, "metadata.flag = true"),  # noqa: E712
    (lambda: runs.metadata.n.in_([1, 2.5]), "metadata.n IN (1, 2.5)"),
    (lambda: runs.metadata["like"] == 1, "metadata.like = 1"),
    (lambda: runs.metadata["_x"]["a b"] == 1, 'metadata._x["a b"] = 1'),
    (lambda: runs.metadata.is_null(), "metadata IS NULL"),
    (lambda: runs["duration_ms"] > 1, "duration_ms > 1"),
    (lambda: any_(runs.node_runs, lambda n: n.retry_count > 1), "any(node_runs, retry_count > 1)"),
    (lambda: and_(runs.cost > 1), "cost > 1"),
    (lambda: and_(), ""),
    (lambda: and_(and_(), runs.cost > 1, and_()), "cost > 1"),
    (lambda: or_(runs.cost > 1, runs.cost < 0, runs.has_logs),
     "cost > 1 OR cost < 0 OR has_logs = true"),
    (lambda: not_(runs.has_logs), "NOT has_logs = true"),
    (lambda: any_(runs.model.inputs, runs.model.inputs.is_required & (
        runs.model.inputs.sort_order < runs.model.inputs.sort_order)),
     "any(model.inputs, is_required = true AND sort_order < sort_order)"),
    (lambda: ~any_(runs.node_runs, runs.node_runs.state_code == "x"),
     'NOT any(node_runs, state_code = "x")'),
    (lambda: runs.current_evaluation_summary.score < 0.5,
     "current_evaluation_summary.score < 0.5"),
])
def test_builds(built: object, text: str) -> None:
    condition = built()  # type: ignore[operator]
    if not isinstance(condition, Condition):
        condition = and_(condition)
    assert condition.to_q() == text
    assert str(condition) == text
    assert condition.to_filter(scopes=(EVAL,), now=NOW) == qexpr.compile(text, scopes=(EVAL,),
                                                                          now=NOW)


def test_filter_is_the_compiled_filter() -> None:
    built = (runs.duration_ms > 1000) & ~runs.has_logs
    f = built.to_filter()
    assert isinstance(f, qexpr.Filter)
    assert f == qexpr.compile(built.to_q())
    assert f.to_q() == built.to_q()
    assert f.tree == built.tree


def test_typed_literals_in_the_tree() -> None:
    c = (runs.id == UID) & (runs.created_at > date(2024, 1, 1)) & (runs.cost > 1)
    assert isinstance(c.tree, ast.And)
    ident, created, cost = (op.operand for op in c.tree.operands)  # type: ignore[union-attr]
    assert ident == ast.Uuid(UUID(UID))
    assert created == ast.Timestamp(datetime(2024, 1, 1, tzinfo=UTC))
    assert cost == ast.Number(Decimal(1))
    assert isinstance(cost.value, Decimal)


def test_scopes_are_checked_when_the_filter_is_made() -> None:
    c = runs.current_evaluation_summary.score < 0.5
    assert c.to_q() == "current_evaluation_summary.score < 0.5"
    with pytest.raises(QError) as info:
        c.to_filter()
    assert info.value.code == "forbidden_field"
    assert c.to_filter(scopes=[EVAL]) == qexpr.compile(c.to_q(), scopes=[EVAL])
    assert c.to_filter(scopes=EVAL) == qexpr.compile(c.to_q(), scopes=[EVAL])


def test_limits_are_checked_when_the_filter_is_made() -> None:
    c = runs.duration_ms.in_(range(300))
    with pytest.raises(QError) as info:
        c.to_filter()
    assert info.value.code == "limit_exceeded"
    assert c.to_filter(limits=qexpr.Limits(max_in_values=300, max_length=10_000)).tree == c.tree


def test_now_is_folded_with_the_given_clock() -> None:
    f = (runs.created_at > now() - timedelta(days=1)).to_filter(now=NOW)
    assert isinstance(f.tree, ast.Comparison)
    assert isinstance(f.tree.operand, ast.TimeExpr)
    assert f.tree.operand.instant == NOW - timedelta(days=1)


def test_handles_for_any_schema() -> None:
    schema = Schema("Shop", (
        record("Shop", fields("id:integer name:string"), to_many("items", "Item")),
        record("Item", fields("id:integer price:decimal")),
    ))
    shops = handles(schema)
    assert repr(shops) == "<shops: Shop>"
    c = (shops.name == "x") & any_(shops.items, shops.items.price > 2)
    assert c.to_q() == 'name = "x" AND any(items, price > 2)'
    assert c.to_filter() == qexpr.compile(c.to_q(), schema=schema)
    with pytest.raises(TypeError, match="different schemas"):
        _ = c & (runs.cost > 1)
    assert handles(schema, name="s").name._where == "s.name"


def test_handle_kinds_and_reprs() -> None:
    assert isinstance(runs, RecordHandle)
    assert isinstance(runs.model, RecordHandle)
    assert isinstance(runs.node_runs, RelationHandle)
    assert isinstance(runs.cost, FieldHandle)
    assert isinstance(runs.metadata, JsonHandle)
    assert isinstance(runs.metadata.a, JsonHandle)
    assert repr(runs.cost) == "<runs.cost: decimal>"
    assert repr(runs.node_runs) == "<runs.node_runs: list of NodeRun>"
    assert repr(runs.metadata["a b"]) == '<runs.metadata["a b"]: json path>'
    assert repr(runs.node_runs.state_code == "x") == \
        "Condition('state_code = \"x\"', within='runs.node_runs')"
    assert "duration_ms" in dir(runs)
    assert "slug" in dir(runs.model)
    assert qexpr.runs is runs


def test_conditions_compare_and_hash_by_meaning() -> None:
    assert (runs.cost > 1) == (runs.cost > 1.0)
    assert (runs.cost > 1) != (runs.cost > 2)
    assert len({runs.cost > 1, runs.cost > Decimal("1.0")}) == 1
    assert (runs.node_runs.cost > 1) != (runs.cost > 1)  # different records
    with pytest.raises(TypeError, match="to_filter"):
        _ = qexpr.compile("cost > 1") == (runs.cost > 1)


# --------------------------------------------------------------------------- mistakes

def test_misspelled_field_suggests() -> None:
    with pytest.raises(AttributeError, match=r"did you mean runs\.duration_ms\?"):
        _ = runs.duraton_ms
    with pytest.raises(AttributeError, match=r"did you mean runs\.model\.slug\?"):
        _ = runs.model.slgu
    with pytest.raises(AttributeError, match=r"did you mean runs\.node_runs\.state_code\?"):
        _ = runs.node_runs.state_cod
    with pytest.raises(AttributeError, match="its members are"):
        _ = runs.zzzzzz
    with pytest.raises(AttributeError, match="did you mean"):
        _ = runs["Duration_MS"]


@pytest.mark.parametrize("make", [
    lambda: runs.id < UID,
    lambda: runs.id.between(UID, UID),
    lambda: runs.id.like("a"),
    lambda: runs.cost.like("1"),
    lambda: runs.has_logs > True,
    lambda: runs.has_logs.in_([True]),
    lambda: runs.created_at.contains("2024"),
    lambda: runs.metadata == 1,
    lambda: runs.metadata.in_([1]),
    lambda: runs.duration_ms & runs.has_logs,
    lambda: ~runs.cost,
    lambda: runs.model == 1,
    lambda: runs.model & (runs.cost > 1),
    lambda: runs.node_runs == 1,
    lambda: ~runs.node_runs,
    lambda: runs == 1,
])
def test_operator_not_allowed_raises_type_error(make: object) -> None:
    with pytest.raises(TypeError):
        make()  # type: ignore[operator]


@pytest.mark.parametrize("make", [
    lambda: runs.client_ref == 5,
    lambda: runs.duration_ms == "5",
    lambda: runs.duration_ms == True,  # noqa: E712
    lambda: runs.has_logs == 1,
    lambda: runs.id == 5,
    lambda: runs.created_at > 5,
    lambda: runs.created_at > timedelta(days=1),
    lambda: runs.cost > now(),
    lambda: runs.metadata.x == datetime(2024, 1, 1, tzinfo=UTC),
    lambda: runs.metadata.x == [1],
    lambda: runs.metadata.x.in_([1, "a"]),
    lambda: runs.metadata.x.between(1, "a"),
    lambda: runs.failure_code.in_("timeout"),
    lambda: runs.failure_code.in_(5),
    lambda: runs.client_ref.like(5),
    lambda: runs.cost == None,  # noqa: E711
    lambda: runs.cost != None,  # noqa: E711
    lambda: runs.failure_code.in_(["a", None]),
    lambda: runs.cost == runs.client_ref,
    lambda: runs.has_logs == runs.has_logs,
    lambda: runs.metadata.a == runs.metadata.b,
    lambda: runs.cost == runs.node_runs.cost,
    lambda: (runs.node_runs.cost > 1) & (runs.cost > 1),
    lambda: any_(runs.node_runs, runs.cost > 1),
    lambda: any_(runs.model, runs.cost > 1),
    lambda: any_(runs.cost, runs.cost > 1),
    lambda: any_(runs.node_runs, 5),
    lambda: (runs.cost > 1) & 5,
    lambda: True & (runs.cost > 1),
    lambda: now() - 5,
    lambda: (runs.node_runs.cost > 1).to_q(),
    lambda: (runs.node_runs.cost > 1).to_filter(),
])
def test_wrong_values_raise_type_error(make: object) -> None:
    with pytest.raises(TypeError):
        make()  # type: ignore[operator]


def test_none_hints_is_null() -> None:
    with pytest.raises(TypeError, match=r"runs\.cost\.is_null\(\)"):
        _ = runs.cost == None  # noqa: E711
    with pytest.raises(TypeError, match=r"runs\.cost\.is_not_null\(\)"):
        _ = runs.cost != None  # noqa: E711


@pytest.mark.parametrize("make", [
    lambda: runs.created_at > datetime(2024, 1, 1),
    lambda: runs.created_at.in_([datetime(2024, 1, 1)]),
    lambda: runs.id == "not-a-uuid",
    lambda: runs.created_at > "2024-01-01T00:00:00",
    lambda: runs.created_at > datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
    lambda: runs.cost > float("nan"),
    lambda: runs.cost > float("inf"),
    lambda: runs.cost > Decimal("Infinity"),
    lambda: runs.cost > 1e308,
    lambda: runs.cost > 5e-324,
    lambda: runs.cost > 10**40 + 1,
    lambda: runs.created_at > now() - timedelta(microseconds=1),
    lambda: runs.client_ref == "a\x00b",
    lambda: runs.client_ref.contains("\ud800"),
    lambda: runs.client_ref.like("50\\"),
    lambda: runs.metadata["a\x00"],
    lambda: runs.failure_code.in_([]),
    lambda: or_(),
    lambda: ~and_(),
    lambda: any_(runs.node_runs, and_()),
])
def test_bad_content_raises_value_error(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]


def test_naive_datetime_message() -> None:
    with pytest.raises(ValueError, match="naive"):
        _ = runs.created_at > datetime(2024, 1, 1)


def test_python_logic_cannot_silently_drop_parts() -> None:
    with pytest.raises(TypeError, match="between"):
        _ = 1 < runs.duration_ms < 5
    with pytest.raises(TypeError):
        _ = (runs.cost > 1) and (runs.cost < 5)
    with pytest.raises(TypeError):
        _ = not (runs.cost > 1)
    with pytest.raises(TypeError):
        bool(runs.has_logs)
    with pytest.raises(TypeError):
        bool(runs)
    with pytest.raises(TypeError):
        bool(now())
    with pytest.raises(TypeError, match=r"in_\("):
        _ = "x" in runs.failure_code
    with pytest.raises(TypeError):
        list(runs.metadata)


def test_sub_fields_of_scalars_raise() -> None:
    with pytest.raises(AttributeError, match="no sub-fields"):
        _ = runs.cost.amount
    with pytest.raises(TypeError, match="no sub-fields"):
        _ = runs.cost["amount"]
    with pytest.raises(AttributeError, match=r"\['_x'\]"):
        _ = runs.metadata._x
    with pytest.raises(TypeError):
        _ = runs.metadata[1]
    with pytest.raises(TypeError):
        _ = runs[1]
