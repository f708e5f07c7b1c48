"""The Run schema against the run object of the seed: nothing invented, nothing forgotten."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

import qexpr
from qexpr import QError, compile_search
from qexpr.schema import (
    EVALUATIONS_READ,
    RUN_SCHEMA,
    Field,
    FieldType,
    RecordType,
    Relation,
    Schema,
)
from qexpr.schema.run import SERVER_SIDE

SHARED_SEED = (
    Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_0bb5e5188b908d18.txt"
)
#: A copy of the seed kept with the tests, so the walk always runs; see test_seed_copy_is_current.
SEED_COPY = Path(__file__).resolve().parent / "data" / "seed_runs_api.txt"
SEED = Path(os.environ.get("QEXPR_SEED", SHARED_SEED if SHARED_SEED.is_file() else SEED_COPY))

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
DATETIME_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", re.I)
MONEY = {"cost", "price"}
PLAIN_STRINGS = {"request_id", "comfyui_node_id"}
BACK_REFERENCES = {("RunLog", "run")}
# Embeds the seed's ``embed`` parameter lists ("Available values: ..., flow, ...") but its
# example item does not show: in the schema, absent from the example.
EMBED_ONLY = {("Run", "flow")}
# The server-side storage of the evaluation_* parameters: not in the run object.
SERVER_ONLY = {("Run", "evaluations")}


def test_seed_copy_is_current() -> None:
    if not SHARED_SEED.is_file():
        pytest.skip("the shared seed is not beside this checkout; the copy is used")
    assert SEED_COPY.read_bytes() == SHARED_SEED.read_bytes()


@pytest.fixture(scope="module")
def seed_run() -> dict[str, Any]:
    if not SEED.is_file():
        pytest.skip(f"seed file not found at {SEED} (set QEXPR_SEED)")
    text = SEED.read_text(encoding="utf-8")
    start = text.index("{", text.index("curl"))
    document, _ = json.JSONDecoder().raw_decode(text, start)  # stops at the matching brace
    run = document["items"][0]
    assert isinstance(run, dict)
    return run


def expected_kind(key: str, value: object) -> str:
    """The schema entry a seed example value calls for (spec section 9)."""
    if value is None:
        return FieldType.JSON
    if isinstance(value, bool):
        return FieldType.BOOLEAN
    if isinstance(value, int):
        return FieldType.INTEGER
    if isinstance(value, float):
        return FieldType.FLOAT
    if isinstance(value, str):
        if key in MONEY:
            return FieldType.DECIMAL
        if key not in PLAIN_STRINGS and UUID_RE.fullmatch(value):
            return FieldType.UUID
        if DATETIME_RE.fullmatch(value):
            return FieldType.TIMESTAMP
        return FieldType.STRING
    if isinstance(value, dict):
        return "to_one" if value else FieldType.JSON
    assert isinstance(value, list)
    if value and all(isinstance(item, dict) for item in value):
        return "to_many"
    return FieldType.JSON


def walk(
    schema: Schema, rec: RecordType, obj: dict[str, Any], where: str, seen: list[str]
) -> None:
    """Check ``obj`` against ``rec`` both ways, recursing into relations."""
    assert rec.name not in seen, f"{rec.name} is reached twice; give each place its own type"
    seen.append(rec.name)
    keys = [k for k in obj if (rec.name, k) not in BACK_REFERENCES]
    for key in obj:
        if (rec.name, key) in BACK_REFERENCES:
            assert rec.member(key) is None, f"back-reference {where}.{key} must be left out"
    extra = {name for name in rec.member_names()
             if (rec.name, name) in EMBED_ONLY | SERVER_ONLY}
    assert set(rec.member_names()) - extra == set(keys), f"{where}: schema and seed keys differ"
    for key in keys:
        value, member, path = obj[key], rec.member(key), f"{where}.{key}"
        kind = expected_kind(key, value)
        if kind == "to_one":
            assert isinstance(member, Relation) and not member.many, path
            walk(schema, schema.target(member), value, path, seen)
        elif kind == "to_many":
            assert isinstance(member, Relation) and member.many, path
            assert len(value) == 1, path
            walk(schema, schema.target(member), value[0], path, seen)
        else:
            assert isinstance(member, Field), path
            assert member.type == kind, f"{path}: {member.type} but the seed says {kind}"


def test_every_key_of_the_seed_is_in_the_schema_and_back(seed_run: dict[str, Any]) -> None:
    seen: list[str] = []
    walk(RUN_SCHEMA, RUN_SCHEMA.root_record, seed_run, "run", seen)
    embed_only = {RUN_SCHEMA.target(RUN_SCHEMA.root_record.member(name)).name  # type: ignore[arg-type]
                  for rec, name in EMBED_ONLY}
    server_only = {"Evaluation", "EvaluationIssue"}
    assert sorted(seen) == sorted(r.name for r in RUN_SCHEMA
                                  if r.name not in embed_only | server_only), \
        "record types not in the seed"


def test_embed_lists_exactly_the_seeds_values() -> None:
    """The seed: "Available values: comfyui_workflow, current_evaluation_summary, flow, logs,
    model, node_runs"."""
    names = {r.name for r in RUN_SCHEMA.root_record.relations if r.scope != SERVER_SIDE}
    assert names == {"comfyui_workflow", "current_evaluation_summary", "flow", "logs", "model",
                     "node_runs"}
    # the server-side relation is not the caller's to embed, whatever the caller's scopes
    with pytest.raises(QError) as caught:
        compile_search({"embed": "evaluations"}, scopes=[EVALUATIONS_READ])
    assert (caught.value.code, caught.value.param) == ("forbidden_field", "embed")


def test_q_cannot_name_the_server_side_evaluations() -> None:
    for q in ('any(evaluations, status = "completed")',
              'any(evaluations, any(issues, category = "x"))'):
        with pytest.raises(QError) as caught:
            qexpr.compile(q, scopes=[EVALUATIONS_READ])
        assert (caught.value.code, caught.value.start) == ("forbidden_field", 4)
        assert qexpr.compile(q, scopes=[SERVER_SIDE]).to_q() == q  # a server may grant it


def seed_paths(
    obj: dict[str, Any], prefix: str = "", quantified: tuple[str, ...] = ()
) -> list[str]:
    """Every path the seed object implies, written as describe() shows them."""

    def show(path: str) -> str:
        for rel in reversed(quantified):
            path = f"any({rel}, {path})"
        return path

    out = []
    for key, value in obj.items():
        if key == "run" and value is None:
            continue
        kind, path = expected_kind(key, value), prefix + key
        if kind == "to_one":
            out += [show(path), *seed_paths(value, path + ".", quantified)]
        elif kind == "to_many":
            out += [show(f"any({path}, ...)"), *seed_paths(value[0], "", (*quantified, path))]
        else:
            out.append(show(path))
            if kind == FieldType.JSON:
                out.append(show(path + ".<key>"))
    return out


def test_describe_mentions_every_path(seed_run: dict[str, Any]) -> None:
    text = RUN_SCHEMA.describe()
    shown = {line.split("  ")[0] for line in text.splitlines()}
    expected = seed_paths(seed_run)
    for path in ("model.slug", "any(node_runs, state_code)", "any(model.pricing, price)",
                 "current_evaluation_summary.score", "metadata.<key>",
                 "any(comfyui_workflow.inputs, comfyui_node_id)"):
        assert path in expected
    missing = [p for p in expected if p not in shown]
    assert not missing
    # the embed-only flow relation comes last, with the one field the schema knows of it
    server_side = [p.path for p in RUN_SCHEMA.paths() if SERVER_SIDE in p.scopes]
    assert [p.path for p in RUN_SCHEMA.paths() if SERVER_SIDE not in p.scopes] == \
        [*expected, "flow", "flow.id"]
    assert "any(evaluations, any(issues, subcategory))" in server_side


def test_scopes_of_the_evaluation_summary() -> None:
    rel = RUN_SCHEMA.root_record.relation("current_evaluation_summary")
    assert rel is not None and rel.scope == EVALUATIONS_READ == "evaluations:read"
    summary = RUN_SCHEMA.target(rel)
    assert [(f.name, f.type, f.scope) for f in summary.fields] == [
        ("passed", FieldType.BOOLEAN, EVALUATIONS_READ),
        ("status_code", FieldType.STRING, EVALUATIONS_READ),
        ("score", FieldType.FLOAT, EVALUATIONS_READ),
    ]
    server = RUN_SCHEMA.root_record.relation("evaluations")
    assert server is not None and server.scope == SERVER_SIDE
    for p in RUN_SCHEMA.paths():
        under = p.path.startswith("current_evaluation_summary")
        hidden = p.path.startswith("any(evaluations")
        assert p.scopes == ((EVALUATIONS_READ,) if under else (SERVER_SIDE,) if hidden
                            else ()), p.path
    for rec in RUN_SCHEMA:
        if rec is not summary:
            assert all(f.scope is None for f in rec.fields)
            assert all(r.scope is None for r in rec.relations if r not in (rel, server))


def test_tables_and_keys() -> None:
    tables = [r.table for r in RUN_SCHEMA]
    assert len(tables) == len(set(tables))
    assert RUN_SCHEMA.root == "Run" and RUN_SCHEMA.root_record.table == "runs"
    summary = RUN_SCHEMA.record("EvaluationSummary")
    assert (summary.table, summary.key, summary.key_column) == (
        "run_evaluation_summaries", "run_id", "run_id",
    )
    assert RUN_SCHEMA.extra_columns("EvaluationSummary") == (("run_id", FieldType.UUID),)
    assert all(RUN_SCHEMA.extra_columns(r.name) == () for r in RUN_SCHEMA if r is not summary)
    assert RUN_SCHEMA.record("ModelInput").table == "model_inputs"
    assert RUN_SCHEMA.record("WorkflowInput").table == "comfyui_workflow_inputs"
    assert RUN_SCHEMA.record("NodeRun").table == "node_runs"


@pytest.mark.parametrize(
    ("record_name", "relation", "local_key", "remote_key"),
    [
        ("Run", "model", "model_id", "id"),
        ("Run", "comfyui_workflow", "comfyui_workflow_id", "id"),
        ("Run", "current_evaluation_summary", "id", "run_id"),
        ("Run", "node_runs", "id", "run_id"),
        ("Run", "logs", "id", "run_id"),
        ("Model", "pricing", "id", "model_id"),
        ("Model", "inputs", "id", "model_id"),
        ("ComfyuiWorkflow", "inputs", "id", "comfyui_workflow_id"),
        ("ComfyuiWorkflow", "gpu_explicit_models", "id", "comfyui_workflow_id"),
    ],
)
def test_join_keys(record_name: str, relation: str, local_key: str, remote_key: str) -> None:
    rel = RUN_SCHEMA.record(record_name).relation(relation)
    assert rel is not None
    assert (rel.local_key, rel.remote_key) == (local_key, remote_key)


def test_operators_of_a_few_run_fields() -> None:
    run = RUN_SCHEMA.root_record

    def ops(name: str) -> frozenset[str]:
        f = run.field(name)
        assert f is not None
        return f.operators

    assert {">", "BETWEEN", "IN"} <= ops("duration_ms") and "LIKE" not in ops("duration_ms")
    assert "bare" in ops("has_logs") and "<" not in ops("has_logs")
    assert "STARTS_WITH" in ops("client_ref") and "ILIKE" in ops("failure_message")
    assert ops("metadata") == {"IS NULL"}
    assert ops("id") == {"=", "!=", "IN", "IS NULL"}
    assert run.field("metadata") is not None and not run.field("metadata").sortable  # type: ignore[union-attr]


def test_the_run_schema_is_plain_data() -> None:
    assert hash(RUN_SCHEMA) == hash(Schema.from_dict(RUN_SCHEMA.to_dict()))
    assert Schema.from_dict(json.loads(json.dumps(RUN_SCHEMA.to_dict()))) == RUN_SCHEMA
    assert {RUN_SCHEMA: 1}[Schema("Run", tuple(RUN_SCHEMA))] == 1
