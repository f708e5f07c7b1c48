"""Every validation error code of spec sections 4, 5 and 7, with exact spans.

Rows are ``(q, code, fragment)``: the error must span the first occurrence of ``fragment`` in
``q`` (or the ``n``-th, written ``(fragment, n)``). Scopes are empty unless the test says so.
"""

from __future__ import annotations

import json
import pickle
from decimal import Decimal

import pytest

import qexpr
from qexpr import ErrorCode, Limits, QError
from qexpr.operators import Operator
from qexpr.syntax import ast
from tests.check._util import EVAL, err, marked, ok, span

UNKNOWN = ErrorCode.UNKNOWN_FIELD
FORBIDDEN = ErrorCode.FORBIDDEN_FIELD
QUANTIFIER = ErrorCode.QUANTIFIER_REQUIRED
UNSUPPORTED = ErrorCode.UNSUPPORTED_OPERATOR
NULL = ErrorCode.NULL_COMPARISON
MISMATCH = ErrorCode.TYPE_MISMATCH
INVALID = ErrorCode.INVALID_LITERAL


def check_row(q: str, code: ErrorCode, fragment: str | tuple[str, int],
              scopes: tuple[str, ...] = ()) -> QError:
    error = err(q, scopes)
    text, occurrence = fragment if isinstance(fragment, tuple) else (fragment, 0)
    assert (error.code, span(error)) == (code, marked(q, text, occurrence)), str(error)
    assert len(error.errors) == 1, [str(e) for e in error.errors]
    assert error.source == q
    assert isinstance(error, ValueError)
    return error


# --------------------------------------------------------------------------- unknown_field

UNKNOWN_ROWS = [
    ('duraton_ms > 1', "duraton_ms"),
    ('xyzzy = 1', "xyzzy"),
    ('DURATION_MS > 1', "DURATION_MS"),
    ('Model.slug = "x"', "Model"),
    ('model.slgu = "flux"', "slgu"),
    ('model.qqqq = "flux"', "qqqq"),
    ('comfyui_workflow.nmae = "w"', "nmae"),
    ('duration_ms.x = 1', "x"),
    ('model.slug.a = "x"', "a"),
    ('any(node_runs, stat_code = "failed")', "stat_code"),
    ('any(node_run, state_code = "failed")', "node_run"),
    ('any(model.pricng, price > 1)', "pricng"),
    ('any(node_runs, nodes_total > 1)', "nodes_total"),  # the outer record is out of reach
    ('any(logs, level_code = error)', "error"),
    ('failure_code = oom', "oom"),
    ('duration_ms < model.xx', "xx"),
    ('has_logs AND nope', "nope"),
    ('NOT (frobnicate IS NULL)', "frobnicate"),
]


@pytest.mark.parametrize(("q", "fragment"), UNKNOWN_ROWS)
def test_unknown_field(q: str, fragment: str) -> None:
    check_row(q, UNKNOWN, fragment)


def test_sub_field_spans_from_the_first_extra_segment_to_the_end() -> None:
    check_row('model.slug.a.b = "x"', UNKNOWN, "a.b")
    q = 'model.slug.a.b["c"] = "x"'  # the closing bracket belongs to the path too
    error = check_row(q, UNKNOWN, 'a.b["c"]')
    assert "model.slug" in error.message
    assert error.suggestion is None


@pytest.mark.parametrize(("q", "suggestion"), [
    ('duraton_ms > 1', "duration_ms"),
    ('DURATION_MS > 1', "duration_ms"),  # case-insensitive match
    ('Duration_Ms > 1', "duration_ms"),
    ('Model.slug = "x"', "model"),
    ('model.slgu = "flux"', "model.slug"),
    ('model.SLUG = "flux"', "model.slug"),
    ('comfyui_workflow.nmae = "w"', "comfyui_workflow.name"),
    ('any(node_runs, stat_code = "failed")', "state_code"),
    ('any(node_run, state_code = "failed")', "node_runs"),
    ('any(model.pricng, price > 1)', "model.pricing"),
    ('failur_code = "oom"', "failure_code"),
    ('when = "2024-01-01"', None),
    ('started = "2024-01-01"', "started_at"),
])
def test_unknown_field_did_you_mean(q: str, suggestion: str | None) -> None:
    error = err(q)
    assert error.code is UNKNOWN
    assert error.suggestion == suggestion
    if suggestion is not None:
        assert f"did you mean {suggestion}?" in str(error)
        assert error.to_dict()["suggestion"] == suggestion


def test_no_good_match_lists_the_valid_names_in_the_hint() -> None:
    error = err("xyzzy = 1")
    assert error.suggestion is None
    assert error.hint is not None and error.hint.startswith("fields of a run: ")
    for name in ("id", "flow_id", "duration_ms"):
        assert name in error.hint
    assert "more)" in error.hint


def test_no_good_match_under_a_relation_lists_that_records_names() -> None:
    error = err('model.qqqq = "x"')
    assert error.suggestion is None
    assert error.hint is not None and error.hint.startswith("fields of model: ")
    assert "slug" in error.hint
    inside = err('any(node_runs, qqqq = "x")')
    assert inside.hint is not None and "state_code" in inside.hint


def test_a_good_match_has_no_name_list() -> None:
    assert err("duraton_ms > 1").hint is None


@pytest.mark.parametrize("q", [
    "any(logs, level_code = error)",
    "any(node_runs, state_code = failed)",
    "failure_code = oom",
    "NOT failure_code != oom",
])
def test_a_bare_word_where_a_value_belongs_gets_a_hint_to_quote_it(q: str) -> None:
    error = err(q)
    assert error.code is UNKNOWN
    word = q[error.start:error.end]
    assert error.hint is not None and f'"{word}"' in error.hint and "quote" in error.hint


def test_an_unknown_path_operand_with_dots_is_not_taken_for_text() -> None:
    error = err("duration_ms < model.xx")
    assert error.hint is None or "quote" not in error.hint


def test_json_keys_are_never_unknown() -> None:
    ok('metadata.anything.at.all = 1 AND input["weird key"].in = "x" AND links.x IS NULL')


# --------------------------------------------------------------------------- forbidden_field

PREFIX = "current_evaluation_summary"

FORBIDDEN_ROWS = [
    'current_evaluation_summary.score < 0.5',
    'current_evaluation_summary.passed',
    'current_evaluation_summary.passed = false',
    'current_evaluation_summary.status_code IN ("done")',
    'current_evaluation_summary.scroe < 0.5',
    'current_evaluation_summary.x.y.z = 1',
    'current_evaluation_summary["weird key"] = 1',
    'current_evaluation_summary.score = null',
    'current_evaluation_summary.score = "high"',
    'current_evaluation_summary IS NULL',
    'current_evaluation_summary',
    'any(current_evaluation_summary, score > 1)',
    'nodes_total < current_evaluation_summary.score',
    'nodes_total < current_evaluation_summary.scroe',
    'has_logs AND NOT current_evaluation_summary.passed',
]


@pytest.mark.parametrize("q", FORBIDDEN_ROWS)
def test_forbidden_field_without_the_scope(q: str) -> None:
    error = check_row(q, FORBIDDEN, PREFIX)
    assert EVAL in error.message
    assert error.suggestion is None


@pytest.mark.parametrize(("q", "tail"), [
    ('current_evaluation_summary.scroe < 0.5', "scroe"),
    ('current_evaluation_summary.secret_tail.more = 1', "secret_tail"),
    ('current_evaluation_summary["hidden tail"] = 1', "hidden tail"),
    ('nodes_total < current_evaluation_summary.scroe', "scroe"),
    ('current_evaluation_summary.scor < 0.5', "scor"),
])
def test_forbidden_field_reveals_nothing_beyond_the_prefix(q: str, tail: str) -> None:
    error = err(q)
    assert error.code is FORBIDDEN
    body = json.dumps(error.to_dict(), ensure_ascii=False)
    head = str(error).splitlines()[0]
    for hidden in (tail, "score", "passed", "status_code", "did you mean"):
        assert hidden not in body, body
        assert hidden not in head, head
    assert error.suggestion is None and "suggestion" not in error.to_dict()


@pytest.mark.parametrize("q", [
    'current_evaluation_summary.score < 0.5',
    'current_evaluation_summary.passed',
    'current_evaluation_summary.passed = false',
    'current_evaluation_summary.status_code IN ("done")',
    'nodes_total < current_evaluation_summary.score',
    'has_logs AND NOT current_evaluation_summary.passed',
])
def test_the_same_filters_compile_with_the_scope(q: str) -> None:
    ok(q, scopes=(EVAL,))


# --------------------------------------------------------------------------- quantifier_required

QUANTIFIER_ROWS = [
    ('node_runs.state_code = "failed"', 'node_runs.state_code', "any(node_runs, state_code"),
    ('logs.level_code = "error"', 'logs.level_code', "any(logs, level_code"),
    ('model.pricing.price > 1', 'model.pricing.price', "any(model.pricing, price"),
    ('comfyui_workflow.inputs.is_required', 'comfyui_workflow.inputs.is_required',
     "any(comfyui_workflow.inputs, is_required"),
    ('node_runs IS NULL', 'node_runs', "any(node_runs,"),
    ('node_runs', 'node_runs', "any(node_runs,"),
    ('logs = 1', 'logs', "any(logs,"),
    ('model.inputs IS NOT NULL', 'model.inputs', "any(model.inputs,"),
    ('NOT node_runs.retry_count >= 2', 'node_runs.retry_count', "any(node_runs, retry_count"),
    ('duration_ms = node_runs.duration_ms', 'node_runs.duration_ms', "any(node_runs,"),
    ('duration_ms = node_runs', 'node_runs', "any(node_runs,"),
]


@pytest.mark.parametrize(("q", "fragment", "shown"), QUANTIFIER_ROWS)
def test_quantifier_required_shows_the_any_form(q: str, fragment: str, shown: str) -> None:
    error = check_row(q, QUANTIFIER, fragment)
    assert shown in f"{error.message} {error.hint or ''}", str(error)


# --------------------------------------------------------------------------- unsupported_operator

UNSUPPORTED_ROWS = [
    # an operator the field's type does not allow
    ('has_logs > true', "has_logs"),
    ('has_logs IN (true)', "has_logs"),
    ('has_logs BETWEEN false AND true', "has_logs"),
    ('has_logs LIKE "t%"', "has_logs"),
    ('id < "3c90c3cc-0d44-4b50-8888-8dd25736052a"', "id"),
    ('id BETWEEN "a" AND "b"', "id"),
    ('id LIKE "3c90%"', "id"),
    ('org_id STARTS_WITH "3c90"', "org_id"),
    ('duration_ms LIKE "1%"', "duration_ms"),
    ('cost CONTAINS "1"', "cost"),
    ('any(node_runs, retry_count ENDS_WITH "1")', "retry_count"),
    ('created_at ILIKE "2024%"', "created_at"),
    ('current_evaluation_summary.score NOT LIKE "0.%"', "current_evaluation_summary.score"),
    ('id < flow_id', "id"),
    # a json field itself
    ('metadata = 1', "metadata"),
    ('metadata != "x"', "metadata"),
    ('metadata IN (1, 2)', "metadata"),
    ('metadata BETWEEN 1 AND 2', "metadata"),
    ('metadata LIKE "x"', "metadata"),
    ('metadata', "metadata"),
    ('model.seo = "x"', "model.seo"),
    ('any(node_runs, input CONTAINS "x")', "input"),
    # a to-one relation compared or null-tested
    ('model IS NULL', "model"),
    ('model IS NOT NULL', "model"),
    ('model = "flux"', "model"),
    ('model', "model"),
    ('NOT comfyui_workflow', "comfyui_workflow"),
    ('comfyui_workflow IN ("x")', "comfyui_workflow"),
    ('model LIKE "x"', "model"),
    ('current_evaluation_summary IS NULL', "current_evaluation_summary"),
    ('duration_ms = model', "model"),
    # a quantifier over a to-one relation, a scalar or json field
    ('any(model, slug = "flux")', "model"),
    ('all(comfyui_workflow, name = "w")', "comfyui_workflow"),
    ('any(current_evaluation_summary, passed)', "current_evaluation_summary"),
    ('any(has_logs, x = 1)', "has_logs"),
    ('all(metadata, x = 1)', "metadata"),
    ('any(metadata.items, x = 1)', "metadata.items"),
    ('any(model.slug, x = 1)', "model.slug"),
    # booleans have no order, in json too (spec 5.2)
    ('metadata.flag < true', "true"),
    ('metadata.flag >= false', "false"),
    ('metadata.flag BETWEEN false AND true', "false"),
]


@pytest.mark.parametrize(("q", "fragment"), UNSUPPORTED_ROWS)
def test_unsupported_operator(q: str, fragment: str) -> None:
    check_row(q, UNSUPPORTED, fragment, scopes=(EVAL,))


def test_unsupported_operator_hint_lists_the_allowed_operators() -> None:
    error = err("has_logs > true")
    assert error.hint is not None
    for op in ("=", "!=", "IS NULL"):
        assert op in error.hint
    assert ">" not in error.hint


@pytest.mark.parametrize("q", [
    "model IS NULL",
    "comfyui_workflow = 1",
    "any(model, slug = 1)",
    "current_evaluation_summary IS NULL",
])
def test_relation_hint_names_a_field_that_exists(q: str) -> None:
    """The hint "test one of its fields, e.g. X IS NULL" must itself compile."""
    error = err(q, scopes=(EVAL,))
    assert error.code is UNSUPPORTED
    assert error.hint is not None and "e.g. " in error.hint
    example = error.hint.split("e.g. ", 1)[1]
    ok(example)


# --------------------------------------------------------------------------- null_comparison

NULL_ROWS = [
    ('failure_code = null', "null", "IS NULL"),
    ('failure_code != null', "null", "IS NOT NULL"),
    ('has_logs = NULL', "NULL", "IS NULL"),
    ('id != Null', "Null", "IS NOT NULL"),
    ('metadata.x = null', "null", "IS NULL"),
    ('model.slug != null', "null", "IS NOT NULL"),
    ('any(node_runs, error_message = null)', "null", "IS NULL"),
    ('duration_ms < null', "null", "IS NULL"),
    ('created_at >= null', "null", "IS NULL"),
    ('duration_ms IN (1, null)', "null", "IS NULL"),
    ('duration_ms NOT IN (null)', "null", "IS NULL"),
    ('duration_ms BETWEEN null AND 1', "null", "IS NULL"),
    ('duration_ms NOT BETWEEN 1 AND null', "null", "IS NULL"),
    ('metadata.x IN ("a", null)', "null", "IS NULL"),
]


@pytest.mark.parametrize(("q", "fragment", "suggested"), NULL_ROWS)
def test_null_comparison(q: str, fragment: str, suggested: str) -> None:
    error = check_row(q, NULL, fragment)
    advice = f"{error.message} {error.hint or ''}"
    assert suggested in advice, str(error)


def test_eq_null_suggests_is_null_not_is_not_null() -> None:
    advice = err("failure_code = null")
    assert "IS NOT NULL" not in f"{advice.message} {advice.hint or ''}"


# --------------------------------------------------------------------------- type_mismatch

MISMATCH_ROWS = [
    # every wrong literal kind per type
    ('failure_code = 1', "1"),
    ('failure_code = true', "true"),
    ('failure_code = now()', "now()"),
    ('failure_code IN ("a", 2)', "2"),
    ('failure_code BETWEEN "a" AND false', "false"),
    ('id = 1', "1"),
    ('id = true', "true"),
    ('id != now() - 1d', "now() - 1d"),
    ('id IN ("3c90c3cc-0d44-4b50-8888-8dd25736052a", 1)', "1"),
    ('duration_ms = "1"', '"1"'),
    ('duration_ms = true', "true"),
    ('duration_ms > now() - 1d', "now() - 1d"),
    ('duration_ms BETWEEN 1 AND "9"', '"9"'),
    ('cost = "0.5"', '"0.5"'),
    ('cost = false', "false"),
    ('cost IN (1, now())', "now()"),
    ('current_evaluation_summary.score > "0.5"', '"0.5"'),
    ('current_evaluation_summary.score < true', "true"),
    ('has_logs = "true"', '"true"'),
    ('has_logs = 1', "1"),
    ('has_logs != now()', "now()"),
    ('created_at = 1', "1"),
    ('created_at = true', "true"),
    ('created_at BETWEEN "2024-01-01" AND 20240201', "20240201"),
    ('created_at IN (now(), 5)', "5"),
    ('any(node_runs, retry_count >= "2")', '"2"'),
    ('any(logs, timestamp < 0)', "0"),
    ('model.is_public = "yes"', '"yes"'),
    # a time expression against a json path
    ('metadata.x = now()', "now()"),
    ('metadata.when > now() - 7d', "now() - 7d"),
    ('metadata.when > "2024-01-01" - 7d', '"2024-01-01" - 7d'),
    ('metadata.x IN (now())', "now()"),
    # field-to-field across families (the span is the right-hand field)
    ('created_at < duration_ms', "duration_ms"),
    ('failure_code = id', "id"),
    ('id = failure_code', "failure_code"),
    ('cost > created_at', "created_at"),
    ('client_ref = nodes_total', "nodes_total"),
    ('any(node_runs, started_at < retry_count)', "retry_count"),
    ('model.created_at = model.slug', "model.slug"),
    # booleans and json in field-to-field
    ('has_logs = has_node_runs', "has_node_runs"),
    ('failure_code = has_logs', "has_logs"),
    ('metadata.a = metadata.b', "metadata.b"),
    ('failure_code = metadata.x', "metadata.x"),
    ('metadata.x = failure_code', "failure_code"),
    ('failure_code = metadata', "metadata"),
    # mixed kinds in a json IN list or BETWEEN
    ('metadata.x IN ("a", 1)', "1"),
    ('metadata.x IN (1, 2, true)', "true"),
    ('metadata.x NOT IN (false, "false")', '"false"'),
    ('metadata.x BETWEEN 1 AND "b"', '"b"'),
    ('metadata.x NOT BETWEEN "a" AND 2', "2"),
]


@pytest.mark.parametrize(("q", "fragment"), MISMATCH_ROWS)
def test_type_mismatch(q: str, fragment: str) -> None:
    check_row(q, MISMATCH, fragment, scopes=(EVAL,))


@pytest.mark.parametrize(("q", "fragment"), [
    ("duration_ms", "duration_ms"),
    ("failure_code AND has_logs", "failure_code"),
    ("created_at OR has_logs", "created_at"),
    ("NOT model.slug", "model.slug"),
    ("any(node_runs, retry_count)", "retry_count"),
    ("id", "id"),
])
def test_a_bare_non_boolean_path_is_a_type_mismatch(q: str, fragment: str) -> None:
    """A bare path means ``path = true`` (spec 3): true for a non-boolean is type_mismatch."""
    error = check_row(q, MISMATCH, fragment)
    assert "boolean" in error.message


@pytest.mark.parametrize(("q", "hint_part"), [
    ('failure_code = 1', '"1"'),
    ('duration_ms = "1"', "without quotes"),
    ('has_logs = "true"', "true or false"),
    ('created_at = 1', "now() - 7d"),
    ('id = 1', "3c90c3cc-0d44-4b50-8888-8dd25736052a"),
])
def test_type_mismatch_hints(q: str, hint_part: str) -> None:
    error = err(q)
    assert error.hint is not None and hint_part in error.hint


# --------------------------------------------------------------------------- invalid_literal

INVALID_ROWS = [
    # UUIDs
    ('id = "nope"', '"nope"'),
    ('id = ""', '""'),
    ('id = "3c90c3cc0d444b5088888dd25736052a"', '"3c90c3cc0d444b5088888dd25736052a"'),
    ('id = "{3c90c3cc-0d44-4b50-8888-8dd25736052a}"', '"{3c90c3cc-0d44-4b50-8888-8dd25736052a}"'),
    ('id = "urn:uuid:3c90c3cc-0d44-4b50-8888-8dd25736052a"',
     '"urn:uuid:3c90c3cc-0d44-4b50-8888-8dd25736052a"'),
    ('id = "3c90c3cc-0d44-4b50-8888-8dd25736052g"', '"3c90c3cc-0d44-4b50-8888-8dd25736052g"'),
    ('id = " 3c90c3cc-0d44-4b50-8888-8dd25736052a"', '" 3c90c3cc-0d44-4b50-8888-8dd25736052a"'),
    ('id = "３c90c3cc-0d44-4b50-8888-8dd25736052a"', '"３c90c3cc-0d44-4b50-8888-8dd25736052a"'),
    ('org_id IN ("3c90c3cc-0d44-4b50-8888-8dd25736052a", "x")', '"x"'),
    ('any(node_runs, node_id != "123")', '"123"'),
    # timestamps
    ('created_at > "2024-01-01T00:00:00"', '"2024-01-01T00:00:00"'),
    ('created_at > "yesterday"', '"yesterday"'),
    ('created_at > ""', '""'),
    ('created_at > "2024-01-01T00:00:00.1234567Z"', '"2024-01-01T00:00:00.1234567Z"'),
    ('created_at > "2024-01-01 00:00:00Z"', '"2024-01-01 00:00:00Z"'),
    ('created_at > "2024-01-01T24:00:00Z"', '"2024-01-01T24:00:00Z"'),
    ('created_at > "2024-01-01T23:59:60Z"', '"2024-01-01T23:59:60Z"'),
    ('created_at > "0000-01-01"', '"0000-01-01"'),
    ('created_at > "0000-06-01T00:00:00Z"', '"0000-06-01T00:00:00Z"'),
    ('created_at > "10000-01-01"', '"10000-01-01"'),
    ('created_at > "2024-01-01T00:00:00+24:00"', '"2024-01-01T00:00:00+24:00"'),
    ('created_at > "2024-01-01T00:00:00+02:60"', '"2024-01-01T00:00:00+02:60"'),
    ('created_at > "2024-01-01T00:00:00-25:00"', '"2024-01-01T00:00:00-25:00"'),
    ('created_at > "2024-01-01T00:00:00+0200"', '"2024-01-01T00:00:00+0200"'),
    ('created_at > "2024-01-01T00:00Z"', '"2024-01-01T00:00Z"'),
    ('created_at > "2024-01-01T00:00:00.Z"', '"2024-01-01T00:00:00.Z"'),
    ('created_at > "2024-01-01T00:00:00,5Z"', '"2024-01-01T00:00:00,5Z"'),
    ('created_at > "2024-02-30"', '"2024-02-30"'),
    ('created_at > "2023-02-29T00:00:00Z"', '"2023-02-29T00:00:00Z"'),
    ('created_at > "2024-13-01"', '"2024-13-01"'),
    ('created_at > "2024-1-1"', '"2024-1-1"'),
    ('created_at > "20240101"', '"20240101"'),
    ('created_at > " 2024-01-01"', '" 2024-01-01"'),
    ('created_at > "２０２４-01-01"', '"２０２４-01-01"'),
    ('created_at > "2024-01-01T0１:00:00Z"', '"2024-01-01T0１:00:00Z"'),
    ('created_at BETWEEN "2024-01-01" AND "soon"', '"soon"'),
    ('any(logs, timestamp > "2024-01-01T00:00:00")', '"2024-01-01T00:00:00"'),
    # the base of a time expression
    ('created_at > "2024-01-01T00:00:00" - 1d', '"2024-01-01T00:00:00"'),
    ('created_at > "bad" - 1d', '"bad"'),
    # a time expression outside the years 0001-9999 (now = 2024-06-15)
    ('created_at > now() - 1000000w', "now() - 1000000w"),
    ('created_at > now() + 500000w', "now() + 500000w"),
    ('created_at > now() - 3000000d + 1d', "now() - 3000000d + 1d"),
    ('created_at > "9999-12-31T00:00:00Z" + 2d', '"9999-12-31T00:00:00Z" + 2d'),
    ('created_at > "0001-01-01" - 1ms', '"0001-01-01" - 1ms'),
    ('created_at IN (now(), now() - 999999999999w)', "now() - 999999999999w"),
    # LIKE / ILIKE with a trailing lone backslash
    ('failure_code LIKE "abc\\\\"', '"abc\\\\"'),
    ('failure_code NOT LIKE "\\\\"', '"\\\\"'),
    ('failure_code ILIKE "a\\\\\\\\\\\\"', '"a\\\\\\\\\\\\"'),
    ('metadata.x LIKE "50%\\\\"', '"50%\\\\"'),
    ('any(logs, message ILIKE "x\\\\")', '"x\\\\"'),
]


@pytest.mark.parametrize(("q", "fragment"), INVALID_ROWS)
def test_invalid_literal(q: str, fragment: str) -> None:
    check_row(q, INVALID, fragment)


@pytest.mark.parametrize(("literal", "fixed"), [
    ("2024-01-01T00:00:00", "2024-01-01T00:00:00Z"),
    ("2024-01-01t10:20:30.5", "2024-01-01t10:20:30.5Z"),
    ("1999-12-31T23:59:59.999999", "1999-12-31T23:59:59.999999Z"),
])
def test_a_missing_offset_gets_a_hint_with_the_z_form(literal: str, fixed: str) -> None:
    error = err(f'created_at > "{literal}"')
    assert error.code is INVALID
    assert error.hint is not None and f'"{fixed}"' in error.hint
    ok(f'created_at > "{fixed}"')


@pytest.mark.parametrize("q", [
    'failure_code LIKE "abc\\\\\\\\"',  # decodes to abc\\ : an escaped backslash
    'failure_code LIKE "50\\\\%%"',
    'failure_code CONTAINS "abc\\\\"',  # no escapes in CONTAINS
    'failure_code STARTS_WITH "\\\\"',
    'failure_code ENDS_WITH "\\\\"',
    'metadata.x CONTAINS "\\\\"',
])
def test_backslashes_that_are_fine(q: str) -> None:
    ok(q)


@pytest.mark.parametrize("q", [
    'created_at > "0001-01-01"',
    'created_at > "0001-01-01T00:00:00Z"',
    'created_at < "9999-12-31T23:59:59.999999Z"',
    'created_at > "0001-01-01" + 0d',
    'created_at < "9999-12-31T23:59:59.999999Z" + 0ms',
    'created_at > "9999-12-30" + 1d',
    'created_at > "0001-01-02" - 1d',
])
def test_the_edges_of_the_year_range_are_valid(q: str) -> None:
    ok(q)


@pytest.mark.parametrize("q", [
    # written within 0001-9999, but the instant in UTC is not (spec: years 0001-9999)
    'created_at > "0001-01-01T00:30:00+01:00"',
    'created_at > "9999-12-31T23:30:00-01:00"',
])
def test_offsets_that_leave_the_year_range(q: str) -> None:
    assert err(q).code is INVALID


# --------------------------------------------------------------------------- precedence

PRECEDENCE_ROWS = [
    # forbidden_field > unknown_field, unsupported_operator, null_comparison, type_mismatch
    ('current_evaluation_summary.scroe = 1', FORBIDDEN, PREFIX),
    ('current_evaluation_summary IS NULL', FORBIDDEN, PREFIX),
    ('current_evaluation_summary.score = null', FORBIDDEN, PREFIX),
    ('current_evaluation_summary.score = "x"', FORBIDDEN, PREFIX),
    ('current_evaluation_summary.score < now()', FORBIDDEN, PREFIX),
    # unknown_field > quantifier_required, ..., anywhere in the predicate
    ('xx = null', UNKNOWN, "xx"),
    ('xx = "bad" - 1d', UNKNOWN, "xx"),
    ('node_runs = xx', UNKNOWN, "xx"),
    ('model = xx', UNKNOWN, "xx"),
    ('has_logs > yy', UNKNOWN, "yy"),
    ('xx = yy', UNKNOWN, "xx"),
    ('node_runs.xx = 1', UNKNOWN, "xx"),
    ('model.pricing.xx IS NULL', UNKNOWN, "xx"),
    # quantifier_required > unsupported_operator, null_comparison, type_mismatch
    ('node_runs LIKE "x"', QUANTIFIER, "node_runs"),
    ('node_runs.state_code = null', QUANTIFIER, "node_runs.state_code"),
    ('model.pricing.price = "x"', QUANTIFIER, "model.pricing.price"),
    ('model = node_runs', QUANTIFIER, "node_runs"),
    # unsupported_operator > null_comparison, type_mismatch, invalid_literal
    ('model = null', UNSUPPORTED, "model"),
    ('has_logs > null', UNSUPPORTED, "has_logs"),
    ('metadata = null', UNSUPPORTED, "metadata"),
    ('has_logs > 1', UNSUPPORTED, "has_logs"),
    ('id < 5', UNSUPPORTED, "id"),
    ('id LIKE "a\\\\"', UNSUPPORTED, "id"),
    ('id BETWEEN "bad" AND "worse"', UNSUPPORTED, "id"),
    # null_comparison > type_mismatch, invalid_literal (wherever the null is)
    ('duration_ms IN ("a", null)', NULL, "null"),
    ('id IN ("bad", null)', NULL, "null"),
    ('created_at BETWEEN "bad" AND null', NULL, "null"),
    # type_mismatch > invalid_literal (wherever they are)
    ('id IN ("bad", 1)', MISMATCH, "1"),
    ('created_at BETWEEN "bad" AND 5', MISMATCH, "5"),
    ('created_at IN ("2024-13-01", true, "x")', MISMATCH, "true"),
]


@pytest.mark.parametrize(("q", "code", "fragment"), PRECEDENCE_ROWS)
def test_precedence_within_one_predicate(q: str, code: ErrorCode, fragment: str) -> None:
    check_row(q, code, fragment)


def test_limits_come_before_validation() -> None:
    with pytest.raises(QError) as info:
        qexpr.compile("xx = 1 AND yy = 2", limits=Limits(max_predicates=1))
    assert info.value.code is ErrorCode.LIMIT_EXCEEDED
    with pytest.raises(QError) as info:
        qexpr.compile("xx = 1 AND yy = 2", limits=Limits(max_length=5))
    assert info.value.code is ErrorCode.LIMIT_EXCEEDED


@pytest.mark.parametrize("q", ["xx = 1 AND (", "xx = = 1", "xx = 1 yy = 2", "xx == null"])
def test_syntax_errors_come_before_validation(q: str) -> None:
    error = err(q)
    assert error.code is ErrorCode.SYNTAX_ERROR
    assert len(error.errors) == 1


# --------------------------------------------------------------------------- several errors

SEVERAL = ('xx = 1 AND failure_code = 1 AND id = "bad" AND model = 1 '
           'AND duration_ms = null AND node_runs.retry_count = 2 '
           'AND current_evaluation_summary.score = 1')


def test_all_errors_in_source_order_the_first_raised() -> None:
    error = err(SEVERAL)
    found = [(e.code, SEVERAL[e.start:e.end]) for e in error.errors]
    assert found == [
        (UNKNOWN, "xx"),
        (MISMATCH, "1"),
        (INVALID, '"bad"'),
        (UNSUPPORTED, "model"),
        (NULL, "null"),
        (QUANTIFIER, "node_runs.retry_count"),
        (FORBIDDEN, PREFIX),
    ]
    assert error.errors[0] is error
    assert [e.start for e in error.errors] == sorted(e.start for e in error.errors)
    assert all(e.source == SEVERAL for e in error.errors)


def test_errors_inside_and_outside_quantifiers_are_in_source_order() -> None:
    q = 'zz = 1 OR any(node_runs, xx = 1 AND NOT yy = 2) AND any(logs, ww) AND vv'
    error = err(q)
    assert [q[e.start:e.end] for e in error.errors] == ["zz", "xx", "yy", "ww", "vv"]


def test_at_most_one_error_per_predicate() -> None:
    q = 'id IN ("bad", "worse", 1, null) AND created_at BETWEEN "x" AND "y"'
    error = err(q)
    assert [(e.code, q[e.start:e.end]) for e in error.errors] == [
        (NULL, "null"),
        (INVALID, '"x"'),
    ]


def test_at_most_ten_errors() -> None:
    q = " OR ".join(f"failure_code = {n}" for n in range(1, 13))
    error = err(q)
    assert len(error.errors) == 10
    assert [q[e.start:e.end] for e in error.errors] == [str(n) for n in range(1, 11)]


def test_a_quantifier_with_a_bad_relation_is_one_error() -> None:
    error = err("any(node_run, xx = 1 AND yy = 2)")
    assert [e.code for e in error.errors] == [UNKNOWN]


def test_several_errors_serialize_to_json() -> None:
    error = err(SEVERAL)
    body = error.to_dict()
    assert body["code"] == "unknown_field"
    assert [e["code"] for e in body["errors"]] == [str(e.code) for e in error.errors]
    assert all("errors" not in e for e in body["errors"])
    json.dumps(body)


def test_several_errors_render_each_with_a_caret() -> None:
    error = err("xx = 1 AND failure_code = 1")
    assert str(error.errors[1]).splitlines()[1:3] == [
        "  xx = 1 AND failure_code = 1",
        "                            ^",
    ]


def test_error_attributes_and_pickling() -> None:
    q = "has_logs AND\n  model.slgu = 1"
    error = err(q)
    assert (error.code, span(error)) == (UNKNOWN, marked(q, "slgu"))
    assert (error.line, error.column) == (2, 9)
    body = error.to_dict()
    assert body["start"] == error.start and body["end"] == error.end
    assert body["line"] == 2 and body["column"] == 9
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.start, copy.end, copy.message) == (
        error.code, error.start, error.end, error.message)


@pytest.mark.parametrize("q", [row[0] for row in UNKNOWN_ROWS[:6]] + FORBIDDEN_ROWS[:3])
def test_messages_are_one_sentence_without_internals(q: str) -> None:
    error = err(q)
    assert "\n" not in error.message
    for internal in ("__", "Token", "ANON", "Traceback", "None"):
        assert internal not in error.message


@pytest.mark.parametrize("q", ["duration_ms.x = 1", "any(node_runs, retry_count.x = 1)"])
def test_messages_use_the_right_article(q: str) -> None:
    message = err(q).message
    assert " a integer " not in message and " an integer " in message


@pytest.mark.parametrize(("q", "written"), [
    ('metadata["a.b"] = now()', 'metadata["a.b"]'),
    ('metadata["team id"].x IN (now())', 'metadata["team id"].x'),
    ('node_runs.input["a b"] = 1', 'input["a b"]'),
])
def test_messages_write_paths_as_q_does(q: str, written: str) -> None:
    """A path shown in a message or hint is written in q syntax (brackets where needed)."""
    error = err(q)
    assert written in f"{error.message} {error.hint or ''}", str(error)


# --------------------------------------------------------------------------- from_tree

@pytest.mark.parametrize("tree", [
    qexpr.parse("failure_code   =    1"),
    qexpr.parse("   xx = 1"),
    ast.Comparison(ast.Path(("xx",)), Operator.EQ, ast.Number(Decimal(1))),
])
def test_from_tree_errors_point_into_their_source(tree: ast.Expr) -> None:
    """``from_tree`` reports errors against the canonical text; spans must point into it."""
    with pytest.raises(QError) as info:
        qexpr.from_tree(tree)
    error = info.value
    assert error.source[error.start:error.end] in ("1", "xx"), (error.source, span(error))
