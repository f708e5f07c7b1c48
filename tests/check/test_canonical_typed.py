"""The typed canonical form (spec 8) and the folding of ``now()`` (spec 4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest

import qexpr
from qexpr.syntax import ast
from tests.check._util import EVAL, NOW, ok

U = "3c90c3cc-0d44-4b50-8888-8dd25736052a"


@pytest.mark.parametrize(("q", "canonical"), [
    # UUIDs lower-cased, wherever they are
    (f'id = "{U.upper()}"', f'id = "{U}"'),
    (f"id = '{U.upper()}'", f'id = "{U}"'),
    ('id != "3C90c3cc-0D44-4b50-8888-8dd25736052A"', f'id != "{U}"'),
    (f'org_id IN ("{U.upper()}", "{U}")', f'org_id IN ("{U}", "{U}")'),
    (f'org_id NOT IN ("{U.upper()}",)', f'org_id NOT IN ("{U}")'),
    (f'any(node_runs, node_id = "{U.upper()}")', f'any(node_runs, node_id = "{U}")'),
    (f'model.family_id = "{U.upper()}"', f'model.family_id = "{U}"'),
    # ... but only for uuid fields
    (f'request_id = "{U.upper()}"', f'request_id = "{U.upper()}"'),
    (f'metadata.id = "{U.upper()}"', f'metadata.id = "{U.upper()}"'),
    (f'any(comfyui_workflow.inputs, comfyui_node_id = "{U.upper()}")',
     f'any(comfyui_workflow.inputs, comfyui_node_id = "{U.upper()}")'),
    # timestamps in UTC, YYYY-MM-DDTHH:MM:SS[.ffffff]Z
    ('created_at > "2024-01-01"', 'created_at > "2024-01-01T00:00:00Z"'),
    ('created_at > "2024-01-01T10:20:30Z"', 'created_at > "2024-01-01T10:20:30Z"'),
    ('created_at > "2024-01-01t10:20:30z"', 'created_at > "2024-01-01T10:20:30Z"'),
    ('created_at > "2024-01-01T10:20:30+02:00"', 'created_at > "2024-01-01T08:20:30Z"'),
    ('created_at > "2024-01-01T00:30:00+01:00"', 'created_at > "2023-12-31T23:30:00Z"'),
    ('created_at > "2024-12-31T23:30:00-01:00"', 'created_at > "2025-01-01T00:30:00Z"'),
    ('created_at > "2024-01-01T10:20:30-00:00"', 'created_at > "2024-01-01T10:20:30Z"'),
    ('created_at > "2024-01-01T10:20:30+05:45"', 'created_at > "2024-01-01T04:35:30Z"'),
    ('created_at > "2024-01-01T10:20:30.5Z"', 'created_at > "2024-01-01T10:20:30.500000Z"'),
    ('created_at > "2024-01-01T10:20:30.123z"', 'created_at > "2024-01-01T10:20:30.123000Z"'),
    ('created_at > "2024-01-01T10:20:30.000001Z"', 'created_at > "2024-01-01T10:20:30.000001Z"'),
    ('created_at > "2024-01-01T10:20:30.0Z"', 'created_at > "2024-01-01T10:20:30Z"'),
    ('created_at > "2024-01-01T10:20:30.000000+00:00"', 'created_at > "2024-01-01T10:20:30Z"'),
    ('created_at > "2024-02-29T23:59:59.999999-23:59"',
     'created_at > "2024-03-01T23:58:59.999999Z"'),
    ('created_at > "0001-01-01"', 'created_at > "0001-01-01T00:00:00Z"'),
    ('created_at IN ("2024-01-01", "2024-01-01T00:00:00Z")',
     'created_at IN ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z")'),
    ('created_at BETWEEN "2024-01-01" AND "2024-02-01T00:00:00+00:00"',
     'created_at BETWEEN "2024-01-01T00:00:00Z" AND "2024-02-01T00:00:00Z"'),
    ('any(logs, timestamp >= "2024-05-05T05:05:05+05:00")',
     'any(logs, timestamp >= "2024-05-05T00:05:05Z")'),
    ('metadata.when = "2024-01-01"', 'metadata.when = "2024-01-01"'),
    ('failure_code = "2024-01-01"', 'failure_code = "2024-01-01"'),
    # durations and now() stay as written (keywords in canonical case)
    ("created_at > NOW() - 7d", "created_at > now() - 7d"),
    ("created_at > Now( ) - 90m + 0s", "created_at > now() - 90m + 0s"),
    ("created_at > now() - 168h", "created_at > now() - 168h"),
    ("created_at > now() - 1w - 7d", "created_at > now() - 1w - 7d"),
    ("created_at > now()", "created_at > now()"),
    ("created_at > now() + 86400000ms", "created_at > now() + 86400000ms"),
    # a time expression's timestamp base is typed, its durations kept
    ('created_at < "2024-01-01" + 12h', 'created_at < "2024-01-01T00:00:00Z" + 12h'),
    ('created_at < "2024-01-01T00:00:00+01:00" - 1d',
     'created_at < "2023-12-31T23:00:00Z" - 1d'),
    # numbers: canonical by value, whatever the field
    ("cost = 1.50", "cost = 1.5"),
    ("duration_ms = -0", "duration_ms = 0"),
    ("duration_ms = - 5", "duration_ms = -5"),
    ("duration_ms > 1.5E+3", "duration_ms > 1500"),
    ("current_evaluation_summary.score < 5e-1", "current_evaluation_summary.score < 0.5"),
    # booleans
    ("has_logs", "has_logs = true"),
    ("NOT has_logs", "NOT has_logs = true"),
    ("has_logs = FALSE", "has_logs = false"),
])
def test_typed_canonical_form(q: str, canonical: str) -> None:
    compiled = ok(q)
    assert compiled.to_q() == canonical
    assert str(compiled) == canonical
    again = ok(canonical)
    assert again.to_q() == canonical
    assert again == compiled


def test_the_typed_tree_holds_typed_values_with_their_spans() -> None:
    q = f'id = "{U.upper()}" AND created_at > "2024-01-01T02:00:00+02:00"'
    tree = ok(q).tree
    assert isinstance(tree, ast.And)
    uuid_cmp, ts_cmp = tree.operands
    assert isinstance(uuid_cmp, ast.Comparison) and isinstance(uuid_cmp.operand, ast.Uuid)
    assert uuid_cmp.operand.value == UUID(U)
    assert q[uuid_cmp.operand.start:uuid_cmp.operand.end] == f'"{U.upper()}"'
    assert isinstance(ts_cmp, ast.Comparison) and isinstance(ts_cmp.operand, ast.Timestamp)
    assert ts_cmp.operand.value == datetime(2024, 1, 1, tzinfo=UTC)
    assert ts_cmp.operand.value.utcoffset() == timedelta(0)
    assert q[ts_cmp.operand.start:ts_cmp.operand.end] == '"2024-01-01T02:00:00+02:00"'


def test_unchanged_literals_stay_as_parsed() -> None:
    tree = ok('failure_code = "x" AND duration_ms > 1 AND metadata.a = true').tree
    assert tree == qexpr.parse('failure_code = "x" AND duration_ms > 1 AND metadata.a = true')


# --------------------------------------------------------------------------- now()

def instants(compiled: qexpr.Filter) -> list[datetime | None]:
    found: list[datetime | None] = []

    def walk(node: object) -> None:
        if isinstance(node, ast.TimeExpr):
            found.append(node.instant)
        if isinstance(node, ast.Node):
            for name in getattr(node, "__dataclass_fields__", ()):
                walk(getattr(node, name))
        elif isinstance(node, tuple):
            for item in node:
                walk(item)

    walk(compiled.tree)
    return found


def test_now_folds_with_the_callers_clock() -> None:
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    compiled = qexpr.compile(
        'created_at > now() - 7d AND created_at < now() + 1h - 30m AND created_at != now() '
        'AND created_at < "2024-01-01" + 1w', now=now)
    assert instants(compiled) == [
        now - timedelta(days=7),
        now + timedelta(minutes=30),
        now,
        datetime(2024, 1, 8, tzinfo=UTC),
    ]
    assert compiled.now == now
    assert compiled.to_q() == ('created_at > now() - 7d AND created_at < now() + 1h - 30m '
                               'AND created_at != now() AND created_at < "2024-01-01T00:00:00Z" '
                               "+ 1w")


def test_every_duration_unit() -> None:
    now = datetime(2024, 5, 1, tzinfo=UTC)
    units = {"ms": timedelta(milliseconds=1), "s": timedelta(seconds=1),
             "m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1),
             "w": timedelta(weeks=1)}
    for unit, length in units.items():
        compiled = qexpr.compile(f"created_at > now() - 3{unit}", now=now)
        assert instants(compiled) == [now - 3 * length]


def test_an_aware_now_in_another_zone_is_converted_to_utc() -> None:
    now = datetime(2024, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    compiled = qexpr.compile("created_at > now() - 1d", now=now)
    (instant,) = instants(compiled)
    assert instant == datetime(2024, 4, 30, 12, 0, tzinfo=UTC)
    assert instant is not None and instant.utcoffset() == timedelta(0)
    assert compiled.now is not None and compiled.now.utcoffset() == timedelta(0)


def test_a_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone"):
        qexpr.compile("created_at > now()", now=datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="timezone"):
        qexpr.compile("duration_ms > 1", now=datetime(2024, 1, 1))


def test_the_default_now_is_the_current_utc_time() -> None:
    before = datetime.now(UTC)
    compiled = qexpr.compile("created_at > now() - 1h")
    after = datetime.now(UTC)
    (instant,) = instants(compiled)
    assert instant is not None
    assert before - timedelta(hours=1) <= instant <= after - timedelta(hours=1)
    assert compiled.now is not None and before <= compiled.now <= after


def test_now_is_not_part_of_equality_or_text() -> None:
    first = qexpr.compile("created_at > now() - 1d", now=NOW)
    second = qexpr.compile("created_at > now() - 1d", now=NOW + timedelta(days=400))
    assert first == second
    assert first.to_q() == second.to_q() == "created_at > now() - 1d"
    assert instants(first) != instants(second)


def test_time_expressions_inside_quantifiers_and_lists_are_folded() -> None:
    compiled = qexpr.compile(
        'any(logs, timestamp BETWEEN now() - 2h AND now()) AND created_at IN (now() - 1s)',
        now=NOW)
    assert instants(compiled) == [NOW - timedelta(hours=2), NOW, NOW - timedelta(seconds=1)]


# --------------------------------------------------------------------------- laws

@pytest.mark.parametrize("q", [
    "",
    "   ",
    'failure_code IN ("timeout", "oom") AND created_at >= "2024-01-01"',
    'model.slug = "flux-dev" AND NOT has_logs',
    "created_at > now() - 7d AND cost BETWEEN 0.01 AND 0.5",
    'metadata.customer.tier = "gold" OR metadata["team-id"] = 42',
    'client_ref STARTS_WITH "batch-" AND failure_message ILIKE "%out of memory%"',
    'any(node_runs, state_code = "failed" AND retry_count >= 2)',
    'all(logs, level_code != "error")',
    "nodes_completed < nodes_total",
    "current_evaluation_summary.score < 0.5",
    'client_ref LIKE "50\\\\%%"',
    f'(id = "{U.upper()}" OR NOT (has_logs OR has_node_runs)) AND created_at > "2024-01-01"',
])
def test_compile_to_q_is_a_fixed_point(q: str) -> None:
    compiled = ok(q, scopes=(EVAL,))
    text = compiled.to_q()
    again = ok(text, scopes=(EVAL,))
    assert again.to_q() == text
    assert again == compiled
    assert hash(again) == hash(compiled)


@pytest.mark.parametrize(("written", "canonical"), [
    ("10000000000000000000000000000001", "1.0000000000000000000000000000001e31"),
    ("1.234567890123456789012345678901234", "1.234567890123456789012345678901234"),
    ("1234567890123456789012345678901234", "1.234567890123456789012345678901234e33"),
    ("0.1234567890123456789012345678901234", "0.1234567890123456789012345678901234"),
])
def test_numbers_keep_all_34_significant_digits(written: str, canonical: str) -> None:
    """Numbers are exact decimals (spec 2): neither printing nor a leading ``-`` rounds them."""
    assert ok(f"cost = {written}").to_q() == f"cost = {canonical}"
    assert ok(f"cost = -{written}").to_q() == f"cost = -{canonical}"
    assert ok(f"cost = - {written}").to_q() == f"cost = -{canonical}"
