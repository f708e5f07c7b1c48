"""Typing rules of spec sections 4 and 5: which operators and literals each field accepts.

The operator matrix walks every filterable path of the Run schema (``RUN_SCHEMA.paths()``),
so a field added to the schema is covered without touching this file.
"""

from __future__ import annotations

import re

import pytest

import qexpr
from qexpr import ErrorCode, QError
from qexpr.schema import (
    OPERATOR_ORDER,
    RUN_SCHEMA,
    Field,
    FieldType,
    Schema,
    SchemaPath,
    record,
    to_many,
    to_one,
)
from qexpr.syntax import ast
from tests.check._util import EVERY, NOW, err, ok

GOOD_LITERAL: dict[str, str] = {
    "string": '"x"',
    "uuid": '"3C90C3CC-0d44-4b50-8888-8dd25736052a"',
    "integer": "1",
    "decimal": "0.5",
    "float": "-2.5e3",
    "boolean": "true",
    "timestamp": '"2024-01-01T00:00:00+02:00"',
    "json": '"x"',
    "json path": '"x"',
}


def predicate(path: str, operator: str, literal: str) -> str:
    if operator == "bare":
        return path
    if operator == "IS NULL":
        return f"{path} IS NULL"
    if operator == "IN":
        return f"{path} IN ({literal}, {literal})"
    if operator == "BETWEEN":
        return f"{path} BETWEEN {literal} AND {literal}"
    if operator in ("LIKE", "ILIKE", "CONTAINS", "STARTS_WITH", "ENDS_WITH"):
        return f'{path} {operator} "x%"'
    return f"{path} {operator} {literal}"


def negated(text: str) -> str:
    for positive, negative in ((" IN (", " NOT IN ("), (" BETWEEN ", " NOT BETWEEN "),
                               (" IS NULL", " IS NOT NULL"), (" LIKE ", " NOT LIKE "),
                               (" ILIKE ", " NOT ILIKE "), (" CONTAINS ", " NOT CONTAINS "),
                               (" STARTS_WITH ", " NOT STARTS_WITH "),
                               (" ENDS_WITH ", " NOT ENDS_WITH ")):
        if positive in text:
            return text.replace(positive, negative, 1)
    return f"NOT {text}"


def in_context(schema_path: str) -> tuple[str, str, str]:
    """Split ``any(a, any(b, x))`` into the prefix ``any(a, any(b, ``, the innermost path ``x``
    and the suffix ``))``; a plain path has an empty prefix and suffix."""
    closing = len(schema_path) - len(schema_path.rstrip(")"))
    if closing and schema_path.startswith(("any(", "all(")):
        inner_start = schema_path.rindex(", ") + 2
        return (schema_path[:inner_start], schema_path[inner_start:len(schema_path) - closing],
                ")" * closing)
    return "", schema_path, ""


def scalar_paths() -> list[SchemaPath]:
    return [p for p in RUN_SCHEMA.paths() if p.kind == "field"]


def _id(p: SchemaPath) -> str:
    return p.path


def test_the_run_schema_has_every_type_and_kind() -> None:
    kinds = {p.kind for p in RUN_SCHEMA.paths()}
    types = {p.type for p in RUN_SCHEMA.paths() if p.kind == "field"}
    assert kinds == {"field", "json_path", "to_one", "to_many"}
    assert types == {t.value for t in FieldType}


@pytest.mark.parametrize("schema_path", scalar_paths(), ids=_id)
def test_operator_matrix(schema_path: SchemaPath) -> None:
    """Every operator the type allows compiles (and its NOT form); every other one is
    ``unsupported_operator`` on the path. Bare non-boolean paths are tested elsewhere."""
    prefix, path, suffix = in_context(schema_path.path)
    literal = GOOD_LITERAL[schema_path.type]
    for operator in OPERATOR_ORDER:
        text = predicate(path, operator, literal)
        q = prefix + text + suffix
        if operator in schema_path.operators:
            ok(q)
            ok(prefix + negated(text) + suffix)
        elif operator == "bare" and schema_path.type != "json":
            continue
        else:
            error = err(q, scopes=EVERY)
            assert error.code is ErrorCode.UNSUPPORTED_OPERATOR, (q, str(error))
            start = len(prefix)
            assert (error.start, error.end) == (start, start + len(path)), (q, str(error))


@pytest.mark.parametrize("schema_path", [p for p in RUN_SCHEMA.paths()
                                         if p.kind == "json_path"], ids=_id)
def test_json_sub_paths_allow_every_operator(schema_path: SchemaPath) -> None:
    for key in (".k", '.a["b c"].in', '["team-id"]', ".x.y.z"):
        prefix, path, suffix = in_context(schema_path.path.replace(".<key>", key))
        for operator in OPERATOR_ORDER:
            for literal in ('"x"', "1.5", "true"):
                if literal == "true" and operator not in ("=", "!=", "IN", "bare"):
                    continue
                ok(prefix + predicate(path, operator, literal) + suffix)


@pytest.mark.parametrize("schema_path", [p for p in RUN_SCHEMA.paths() if p.kind == "to_one"],
                         ids=_id)
def test_to_one_relations_only_through_sub_paths(schema_path: SchemaPath) -> None:
    for operator in ("=", "IS NULL", "bare", "IN"):
        error = err(predicate(schema_path.path, operator, "1"), scopes=EVERY)
        assert error.code is ErrorCode.UNSUPPORTED_OPERATOR
        assert (error.start, error.end) == (0, len(schema_path.path))


@pytest.mark.parametrize("schema_path", [p for p in RUN_SCHEMA.paths() if p.kind == "to_many"],
                         ids=_id)
def test_to_many_relations_through_quantifiers(schema_path: SchemaPath) -> None:
    if schema_path.path.count("any(") > 1:  # nested: any(evaluations, any(issues, ...))
        ok(schema_path.path.replace("...", "id IS NOT NULL"))
        ok("NOT " + schema_path.path.replace("...", "id IS NULL OR NOT id IS NULL"))
        return
    relation = re.fullmatch(r"any\((.*), \.\.\.\)", schema_path.path)
    assert relation is not None
    name = relation.group(1)
    for kind in ("any", "all", "ANY", "All"):
        ok(f"{kind}({name}, id IS NOT NULL)")
        ok(f"NOT {kind}({name}, id IS NULL OR NOT id IS NULL)")
    for q in (f"{name} IS NULL", f"{name}.id IS NULL", f'{name}.id = "x"'):
        assert err(q, scopes=EVERY).code is ErrorCode.QUANTIFIER_REQUIRED


def test_every_path_listed_compiles_with_is_null() -> None:
    listed = 0
    for p in RUN_SCHEMA.paths():
        if p.kind in ("field", "json_path"):
            prefix, path, suffix = in_context(p.path.replace("<key>", "k"))
            ok(f"{prefix}{path} IS NOT NULL{suffix}")
            listed += 1
    assert listed > 250


# --------------------------------------------------------------------------- literal kinds

@pytest.mark.parametrize("q", [
    # numbers compare by value across integer/decimal literals
    "duration_ms > 1.5",
    "duration_ms = 1e3",
    "duration_ms IN (1, 2.5, -3, 1E+2)",
    "nodes_total BETWEEN -1 AND 0.5",
    "cost = 0.1",
    "cost > 1e-300",
    "cost < 1234567890123456789012345678901234",
    "current_evaluation_summary.score < 1",
    "current_evaluation_summary.score >= -0",
    "any(node_runs, retry_count >= 2 AND cost < 0.005)",
    "any(model.pricing, price BETWEEN 0 AND 9.99)",
    # strings: anything that is a string, never coerced
    'failure_code = ""',
    'failure_code = "42"',
    'failure_code = "true"',
    'failure_code = "null"',
    "failure_code = 'single quoted'",
    'request_id = "3c90c3cc-0d44-4b50-8888-8dd25736052a"',
    'request_id = "not a uuid"',
    'client_ref < "b" AND client_ref >= "a"',
    'model.param_count = "12B"',
    'any(comfyui_workflow.inputs, comfyui_node_id = "17")',
    # uuids in any case
    'id = "3c90c3cc-0d44-4b50-8888-8dd25736052a"',
    'id = "3C90C3CC-0D44-4B50-8888-8DD25736052A"',
    'batch_id != "3c90C3cc-0D44-4b50-8888-8dd25736052A"',
    'flow_id IN ("3c90c3cc-0d44-4b50-8888-8dd25736052a", "00000000-0000-0000-0000-000000000000")',
    # booleans
    "has_logs = true",
    "has_logs = FALSE",
    "has_logs != True",
    "has_logs",
    "NOT has_logs",
    "feedback_is_positive IS NULL",
    "model.is_public AND NOT model.is_official",
    "all(model.examples, is_featured = false)",
    "current_evaluation_summary.passed",
    # timestamps: literals and time expressions in every position
    'created_at >= "2024-01-01"',
    'created_at >= "2024-01-01T10:20:30Z"',
    'created_at >= "2024-01-01t10:20:30z"',
    'created_at >= "2024-01-01T10:20:30.1+05:30"',
    'created_at >= "2024-01-01T10:20:30.123456-00:00"',
    'created_at < "2024-02-29T23:59:59Z"',
    "created_at > now()",
    "created_at > NOW() - 7d",
    "created_at > now() - 1w + 2d - 3h + 4m - 5s + 6ms",
    "created_at > now() - 0d",
    'created_at < "2024-01-01" + 12h',
    'created_at < "2024-01-01T00:00:00+02:00" - 90m',
    "created_at IN (now(), now() - 1d, \"2024-01-01\")",
    'created_at BETWEEN now() - 7d AND now()',
    'created_at BETWEEN "2024-01-01" AND now() + 250ms',
    'completed_at NOT BETWEEN "2024-01-01" - 1d AND "2024-01-02"',
    'any(logs, timestamp > now() - 1h)',
    'model.deleted_at IS NULL AND model.updated_at > now() - 30d',
])
def test_valid_literals(q: str) -> None:
    ok(q)


@pytest.mark.parametrize("q", [
    # json: the literal decides the comparison's type
    'metadata.customer.tier = "gold"',
    'metadata["team-id"] = 42',
    "metadata.score > 0.5",
    "metadata.flag = true",
    "metadata.flag != false",
    "metadata.flag",
    "NOT metadata.flag",
    'metadata.x IN ("a", "b")',
    "metadata.x IN (1, 2.5)",
    "metadata.x IN (true, false)",
    'metadata.x BETWEEN "a" AND "b"',
    "metadata.x BETWEEN 1 AND 2",
    'metadata.x LIKE "a%"',
    'metadata.x NOT ILIKE "A%"',
    'metadata.x CONTAINS "b"',
    'metadata.x STARTS_WITH "b"',
    'metadata.x ENDS_WITH "b"',
    "metadata.x IS NULL",
    "metadata IS NOT NULL",
    'metadata.when > "2024-01-01T00:00:00Z"',  # just a string inside JSON
    'metadata.id = "3C90C3CC-0D44-4B50-8888-8DD25736052A"',  # just a string inside JSON
    'metadata.in.and.or = 1',
    'metadata["a.b"].c = 1',
    'metadata[""] = 1',
    "metadata['x'].y = 1",
    'metadata["\\u00e9"] = 1',
    'input.prompt CONTAINS "cat" AND output.images IS NOT NULL',
    'context.x = 1 AND cost_breakdown.gpu > 0.01 AND links.self IS NOT NULL',
    'any(node_runs, output.score > 0.5)',
    'any(model.pricing, match_value.size = "large")',
    'model.seo.title = "x" AND model.notable_features.first = 1',
    'comfyui_workflow.graph.nodes.n1.type = "KSampler"',
    'any(logs, meta.request.path STARTS_WITH "/v1")',
])
def test_json_paths(q: str) -> None:
    ok(q)


def test_json_literals_keep_their_kind() -> None:
    tree = ok('metadata.x IN ("2024-01-01", "3C90C3CC-0D44-4B50-8888-8DD25736052A")').tree
    assert isinstance(tree, ast.InList)
    assert all(isinstance(v, ast.String) for v in tree.values)
    assert ok("metadata.x = 1.50").tree == ok("metadata.x = 1.5").tree


# --------------------------------------------------------------------------- field to field

@pytest.mark.parametrize("q", [
    "nodes_completed < nodes_total",
    "nodes_completed = nodes_total",
    "cost > duration_ms",
    "duration_ms <= cost",
    "current_evaluation_summary.score < cost",
    "current_evaluation_summary.score != nodes_total",
    "started_at < completed_at",
    "created_at >= model.created_at",
    "model.updated_at > comfyui_workflow.updated_at",
    "failure_code = failure_message",
    "client_ref < request_id",
    "model.slug = comfyui_workflow.slug",
    "model_id = model.id",
    "created_by != model.created_by",
    "comfyui_workflow_id = comfyui_workflow.id",
    "any(node_runs, started_at < completed_at)",
    "any(node_runs, duration_ms > retry_count)",
    "any(node_runs, flow_id = node_id)",
    "all(model.pricing, price > sort_order)",
    "any(model.examples, total_ms >= duration_ms)",
])
def test_field_to_field_of_one_family(q: str) -> None:
    ok(q)


def test_field_to_field_canonical_form_keeps_both_paths() -> None:
    assert ok("nodes_completed<nodes_total").to_q() == "nodes_completed < nodes_total"


# --------------------------------------------------------------------------- quantifiers

def nested_schema() -> Schema:
    """A schema whose to-many relations nest four deep (the Run schema nests only one)."""
    return Schema("Order", (
        record("Order", Field("id", "uuid"), Field("total", "decimal"),
               to_many("lines", "Line", remote_key="order_id"),
               to_one("customer", "Customer", local_key="customer_id"),
               Field("customer_id", "uuid")),
        record("Customer", Field("id", "uuid"), Field("name", "string"),
               to_many("addresses", "Address", remote_key="customer_id")),
        record("Address", Field("id", "uuid"), Field("customer_id", "uuid"),
               Field("city", "string")),
        record("Line", Field("id", "uuid"), Field("order_id", "uuid"), Field("qty", "integer"),
               to_many("parts", "Part", remote_key="line_id")),
        record("Part", Field("id", "uuid"), Field("line_id", "uuid"), Field("sku", "string"),
               to_many("notes", "Note", remote_key="part_id")),
        record("Note", Field("id", "uuid"), Field("part_id", "uuid"), Field("text", "string"),
               to_many("tags", "Tag", remote_key="note_id")),
        record("Tag", Field("id", "uuid"), Field("note_id", "uuid"), Field("name", "string")),
    ))


@pytest.mark.parametrize("q", [
    'any(lines, any(parts, sku = "a"))',
    'all(lines, qty > 1 AND any(parts, all(notes, text CONTAINS "x")))',
    'any(customer.addresses, city = "Paris") AND customer.name = "A"',
    'NOT any(lines, NOT all(parts, NOT any(notes, text = "y")))',
])
def test_nested_quantifiers_where_the_schema_allows(q: str) -> None:
    qexpr.compile(q, schema=nested_schema())


def test_quantifier_nesting_limit() -> None:
    with pytest.raises(QError) as info:
        qexpr.compile('any(lines, any(parts, any(notes, any(tags, name = "x"))))',
                      schema=nested_schema())
    assert info.value.code is ErrorCode.LIMIT_EXCEEDED


@pytest.mark.parametrize(("q", "outer"), [
    ("any(lines, total > 1)", "total"),
    ('any(lines, any(parts, qty > 1))', "qty"),
    ('any(lines, customer.name = "A")', "customer"),
    ("any(node_runs, nodes_total > 1)", "nodes_total"),
    ('any(node_runs, model.slug = "x")', "model"),
    ("any(model.pricing, model_id = model.id)", "model"),
])
def test_inside_a_quantifier_the_outer_record_is_out_of_reach(q: str, outer: str) -> None:
    schema = nested_schema() if "lines" in q else RUN_SCHEMA
    with pytest.raises(QError) as info:
        qexpr.compile(q, schema=schema, now=NOW)
    error = info.value
    assert error.code is ErrorCode.UNKNOWN_FIELD
    assert q[error.start:error.end] == outer
