"""The Run schema (spec section 9): the run object of ``GET /v1/runs``, field for field.

Types follow the seed's example values: a UUID example is ``uuid``, an RFC 3339 date-time is
``timestamp``, ``123`` is ``integer``, ``true`` is ``boolean``, ``0.5`` is ``float``, ``{}``,
arrays of scalars and ``null`` are ``json``, money sent as strings (``cost``, ``price``) is
``decimal``, and every other string is ``string``. A log's ``run`` back-reference is not a
field (items carry ``"run": null``, see :mod:`qexpr.search.shape`).

``evaluations`` (with their ``issues``) is the storage of the ``evaluation_*`` parameters
(:mod:`qexpr.search.evaluation`): a server-side relation, behind the scope
:data:`SERVER_SIDE` that no caller's token carries, so ``q``, ``fields`` and ``embed`` cannot
name it unless the server grants that scope; the server's own conditions see it.

``current_evaluation_summary`` is derived from the current evaluation when a run record
carries ``evaluations`` (:func:`derive_summary`, applied by ``load_records`` and by the
in-memory search), so the two cannot disagree; a record without ``evaluations`` keeps the
summary it gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qexpr.schema.model import RecordType, Schema, fields, record, to_many, to_one

EVALUATIONS_READ = "evaluations:read"
"""Scope needed for ``current_evaluation_summary`` and everything under it."""
SERVER_SIDE = "qexpr:server"
"""Scope of the server-side relations (``evaluations``): not for callers' tokens."""

_RUN = record(
    "Run",
    fields("""
        id:uuid flow_id:uuid model_id:uuid comfyui_workflow_id:uuid target_version:string
        org_id:uuid input:json output:json context:json duration_ms:integer cost:decimal
        cost_breakdown:json nodes_total:integer nodes_completed:integer
        resolved_template_id:uuid batch_id:uuid client_ref:string jurisdiction_code:string
        flow_version_id:uuid request_id:string created_by:uuid created_at:timestamp
        started_at:timestamp completed_at:timestamp callback_url:string metadata:json
        has_logs:boolean has_node_runs:boolean links:json failure_code:string
        failure_message:string feedback_is_positive:boolean feedback_reason:string
        source_chat_message_id:uuid
    """),
    to_one("current_evaluation_summary", "EvaluationSummary", local_key="id",
           remote_key="run_id", scope=EVALUATIONS_READ),
    to_many("node_runs", "NodeRun", remote_key="run_id"),
    to_many("logs", "RunLog", remote_key="run_id"),
    to_one("model", "Model"),
    to_one("comfyui_workflow", "ComfyuiWorkflow"),
    to_one("flow", "Flow"),
    to_many("evaluations", "Evaluation", remote_key="run_id", scope=SERVER_SIDE),
    table="runs",
)

_EVALUATION = record(
    "Evaluation",
    fields("""
        id:uuid run_id:uuid status:string superseded:boolean overall_passed:boolean
        status_code:string score:float created_at:timestamp
    """),
    to_many("issues", "EvaluationIssue", remote_key="evaluation_id"),
    table="run_evaluations",
)
"""An evaluation of a run: ``status`` ``pending`` / ``completed`` / ``errored``; the run's
current evaluation is the completed one that is not superseded (``superseded = false``; at
most one per run); ``overall_passed`` its verdict (null: none emitted)."""

_EVALUATION_ISSUE = record(
    "EvaluationIssue",
    fields("id:uuid evaluation_id:uuid category:string subcategory:string"),
    table="run_evaluation_issues",
)

_FLOW = record(
    "Flow",
    fields("id:uuid"),
    table="flows",
)
"""The seed lists ``embed=flow`` but shows no flow object: the schema knows its ``id`` only; a
server adds the fields its flows table has (``Schema`` with its own ``Flow`` record)."""

_EVALUATION_SUMMARY = record(
    "EvaluationSummary",
    fields("passed:boolean status_code:string score:float", scope=EVALUATIONS_READ),
    table="run_evaluation_summaries",
    key="run_id",
)

_NODE_RUN = record(
    "NodeRun",
    fields("""
        id:uuid run_id:uuid node_id:uuid flow_id:uuid state_code:string input:json output:json
        input_signature:string preview_type:string preview_value:string duration_ms:integer
        cost:decimal retry_count:integer error_message:string created_at:timestamp
        started_at:timestamp completed_at:timestamp
    """),
    table="node_runs",
)

_RUN_LOG = record(
    "RunLog",
    fields("id:uuid run_id:uuid level_code:string message:string timestamp:timestamp meta:json"),
    table="run_logs",
)

_MODEL = record(
    "Model",
    fields("""
        id:uuid org_id:uuid model_creator_id:uuid slug:string name:string description:string
        version:string is_public:boolean is_open_source:boolean icon_url:string
        cover_url:string category_code:string status_code:string family_id:uuid
        family_variant_code:string param_count:string architecture:string license_code:string
        max_resolution:string lora_support:boolean fine_tuning:boolean
        supports_streaming:boolean paper_url:string github_url:string is_official:boolean
        availability_status:string seo:json notable_features:json content:string
        pricing_note:string created_by:uuid created_at:timestamp updated_at:timestamp
        deleted_at:timestamp deleted_by:uuid
    """),
    to_many("inputs", "ModelInput", remote_key="model_id"),
    to_many("outputs", "ModelOutput", remote_key="model_id"),
    to_many("examples", "ModelExample", remote_key="model_id"),
    to_many("faq_entries", "ModelFaqEntry", remote_key="model_id"),
    to_many("pricing", "ModelPricing", remote_key="model_id"),
    to_many("related_links", "ModelRelatedLink", remote_key="model_id"),
    table="models",
)

_MODEL_INPUT = record(
    "ModelInput",
    fields("""
        id:uuid model_id:uuid name:string display_name:string description:string
        variable_type_code:string default_behavior_code:string validator_code:string
        validator_attrs:json is_required:boolean default_value:json sort_order:integer
        is_featured:boolean created_at:timestamp updated_at:timestamp
    """),
    table="model_inputs",
)

_MODEL_OUTPUT = record(
    "ModelOutput",
    fields("""
        id:uuid model_id:uuid name:string display_name:string description:string
        variable_type_code:string validator_code:string validator_attrs:json
        sort_order:integer created_at:timestamp updated_at:timestamp
    """),
    table="model_outputs",
)

_MODEL_EXAMPLE = record(
    "ModelExample",
    fields("""
        id:uuid model_id:uuid title:string description:string input:json output:json
        status_code:integer cost:decimal start_type:string timing:json duration_ms:integer
        total_ms:integer thumbnail_url:string category_code:string is_featured:boolean
        is_public:boolean sort_order:integer ran_at:timestamp created_at:timestamp
        updated_at:timestamp
    """),
    table="model_examples",
)

_MODEL_FAQ_ENTRY = record(
    "ModelFaqEntry",
    fields("""
        id:uuid model_id:uuid question:string answer:string sort_order:integer
        created_at:timestamp updated_at:timestamp
    """),
    table="model_faq_entries",
)

_MODEL_PRICING = record(
    "ModelPricing",
    fields("""
        id:uuid model_id:uuid pricing_model_code:string rule_effect_code:string
        model_input_id:uuid match_value:json dimension_code:string min_value:string
        max_value:string price:decimal currency_code:string unit_code:string
        multiplier_label:string description:string sort_order:integer disabled_at:timestamp
        measurement_source:string created_at:timestamp updated_at:timestamp
    """),
    table="model_pricing",
)

_MODEL_RELATED_LINK = record(
    "ModelRelatedLink",
    fields("id:uuid model_id:uuid related_model_id:uuid sort_order:integer created_at:timestamp"),
    table="model_related_links",
)

_COMFYUI_WORKFLOW = record(
    "ComfyuiWorkflow",
    fields("""
        id:uuid org_id:uuid slug:string name:string description:string workflow_json:json
        version:string is_public:boolean status_code:string created_by:uuid environment:json
        models:json custom_nodes:json graph:json resources:json created_at:timestamp
        updated_at:timestamp deleted_at:timestamp deleted_by:uuid category_code:string
        gpu_current_tier_code:string
    """),
    to_many("inputs", "WorkflowInput", remote_key="comfyui_workflow_id"),
    to_many("outputs", "WorkflowOutput", remote_key="comfyui_workflow_id"),
    to_many("gpu_explicit_models", "WorkflowGpuModel", remote_key="comfyui_workflow_id"),
    table="comfyui_workflows",
)

_WORKFLOW_INPUT = record(
    "WorkflowInput",
    fields("""
        id:uuid comfyui_workflow_id:uuid name:string display_name:string description:string
        variable_type_code:string default_behavior_code:string validator_code:string
        validator_attrs:json is_required:boolean default_value:json sort_order:integer
        comfyui_node_id:string comfyui_field_name:string created_at:timestamp
        updated_at:timestamp
    """),
    table="comfyui_workflow_inputs",
)

_WORKFLOW_OUTPUT = record(
    "WorkflowOutput",
    fields("""
        id:uuid comfyui_workflow_id:uuid name:string display_name:string description:string
        variable_type_code:string validator_code:string validator_attrs:json
        sort_order:integer comfyui_node_id:string comfyui_field_name:string
        created_at:timestamp updated_at:timestamp
    """),
    table="comfyui_workflow_outputs",
)

_WORKFLOW_GPU_MODEL = record(
    "WorkflowGpuModel",
    fields("id:uuid comfyui_workflow_id:uuid gpu_model_code:string created_at:timestamp"),
    table="comfyui_workflow_gpu_models",
)

RUN_RECORDS: tuple[RecordType, ...] = (
    _RUN, _EVALUATION_SUMMARY, _NODE_RUN, _RUN_LOG,
    _MODEL, _MODEL_INPUT, _MODEL_OUTPUT, _MODEL_EXAMPLE, _MODEL_FAQ_ENTRY, _MODEL_PRICING,
    _MODEL_RELATED_LINK,
    _COMFYUI_WORKFLOW, _WORKFLOW_INPUT, _WORKFLOW_OUTPUT, _WORKFLOW_GPU_MODEL, _FLOW,
    _EVALUATION, _EVALUATION_ISSUE,
)

RUN_SCHEMA = Schema("Run", RUN_RECORDS)
"""The default schema: runs with their evaluation summary, node runs, logs, model and
ComfyUI workflow and flow (spec section 9), and their server-side evaluations."""


NULL_MEMBERS: dict[str, tuple[str, ...]] = {"RunLog": ("run",)}
"""Members the seed's items carry as ``null`` that are no field nor relation (by record type):
a log's ``run`` back-reference (``"run": null`` in the seed's example)."""


def current_evaluation(record_: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The run's current evaluation: the first one completed and not superseded (None)."""
    evaluations = record_.get("evaluations")
    if not isinstance(evaluations, list | tuple):
        return None
    return next((e for e in evaluations if isinstance(e, Mapping)
                 and e.get("status") == "completed" and e.get("superseded") is False), None)


def derive_summary(record_: Mapping[str, Any]) -> Mapping[str, Any]:
    """``record_`` with ``current_evaluation_summary`` taken from its current evaluation
    (``passed`` = ``overall_passed``, ``status_code``, ``score``; null without one), when it
    carries ``evaluations``; otherwise ``record_`` itself."""
    if not isinstance(record_.get("evaluations"), list | tuple):
        return record_
    current = current_evaluation(record_)
    summary = None if current is None else {
        "passed": current.get("overall_passed"), "status_code": current.get("status_code"),
        "score": current.get("score")}
    return {**record_, "current_evaluation_summary": summary}


def derives_summary(schema: Schema) -> bool:
    """Whether ``schema``'s root has the Run schema's ``evaluations`` and summary relations."""
    root = schema.root_record
    evaluations, summary = root.relation("evaluations"), root.relation(
        "current_evaluation_summary")
    return evaluations is not None and evaluations.many and summary is not None \
        and summary.target == "EvaluationSummary" and evaluations.target == "Evaluation"
