"""Generate the bundled example data set: realistic, API-shaped runs (deterministic).

    python scripts/make_example_runs.py > src/qexpr/data/example_runs.jsonl

The runs belong to three organisations, run models, some run ComfyUI workflows and flows,
and carry evaluation histories of every kind the ``evaluation_*`` parameters distinguish
(none, pending only, errored, superseded only, completed without a verdict, passed, failed,
a retried run whose older evaluation failed with issues and whose current one passed, and
category and subcategory on different issue rows), their ``current_evaluation_summary``
derived from the current evaluation. What the first version drew from ``RNG`` is drawn in
the same order (the same values); what was added draws from ``EXTRA``.
"""

from __future__ import annotations

import json
import random
import sys
import uuid
from datetime import UTC, datetime, timedelta

RNG = random.Random(20241107)
EXTRA = random.Random(20261203)
ORG = "7d1c0a52-2f7e-4b8a-9c55-1f4f4d8f0a01"
ORGS = [ORG, "5b0e2c3d-8f41-4e6a-a7c2-3d9e1f0b7a02", "c4a7e913-1d2b-4f8e-9a60-8b3c5d2e4f03"]
BASE = datetime(2024, 11, 1, tzinfo=UTC)


def uid() -> str:
    return str(uuid.UUID(int=RNG.getrandbits(128), version=4))


def ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + (
        f".{moment.microsecond:06d}Z" if moment.microsecond else "Z"
    )


def make_model(slug: str, name: str, category: str, price: str) -> dict[str, object]:
    model_id = uid()
    created = BASE - timedelta(days=RNG.randint(30, 300))
    return {
        "id": model_id, "org_id": ORG, "model_creator_id": uid(), "slug": slug, "name": name,
        "description": f"{name}, hosted", "version": f"{RNG.randint(1, 3)}.{RNG.randint(0, 9)}",
        "is_public": True, "is_open_source": RNG.random() < 0.6, "icon_url": None,
        "cover_url": None, "category_code": category, "status_code": "active",
        "family_id": None, "family_variant_code": None, "param_count": f"{RNG.randint(1, 70)}B",
        "architecture": RNG.choice(["diffusion", "transformer", "dit"]),
        "license_code": RNG.choice(["apache-2.0", "mit", "proprietary"]),
        "max_resolution": RNG.choice(["1024x1024", "2048x2048", None]),
        "lora_support": RNG.random() < 0.5, "fine_tuning": RNG.random() < 0.3,
        "supports_streaming": False, "paper_url": None, "github_url": None,
        "is_official": RNG.random() < 0.4, "availability_status": "available",
        "seo": {"title": name}, "notable_features": ["fast", "sharp"][: RNG.randint(0, 2)],
        "content": None, "pricing_note": None, "created_by": uid(), "created_at": ts(created),
        "updated_at": ts(created + timedelta(days=3)), "deleted_at": None, "deleted_by": None,
        "inputs": [
            {"id": uid(), "model_id": model_id, "name": "prompt", "display_name": "Prompt",
             "description": None, "variable_type_code": "string",
             "default_behavior_code": "required", "validator_code": None,
             "validator_attrs": {}, "is_required": True, "default_value": None,
             "sort_order": 0, "is_featured": True, "created_at": ts(created),
             "updated_at": ts(created)},
        ],
        "outputs": [],
        "examples": [],
        "faq_entries": [],
        "pricing": [
            {"id": uid(), "model_id": model_id, "pricing_model_code": "per_image",
             "rule_effect_code": "base", "model_input_id": None, "match_value": None,
             "dimension_code": "images", "min_value": None, "max_value": None,
             "price": price, "currency_code": "USD", "unit_code": "image",
             "multiplier_label": None, "description": None, "sort_order": 0,
             "disabled_at": None, "measurement_source": "count", "created_at": ts(created),
             "updated_at": ts(created)},
        ],
        "related_links": [],
    }


MODELS = [
    make_model("flux-dev", "FLUX.1 [dev]", "image", "0.025"),
    make_model("flux-schnell", "FLUX.1 [schnell]", "image", "0.003"),
    make_model("sdxl", "Stable Diffusion XL", "image", "0.0045"),
    make_model("whisper-large", "Whisper large-v3", "audio", "0.0061"),
]
FAILURES = [
    ("timeout", "Node exceeded its 300 s time limit"),
    ("oom", "CUDA out of memory while allocating 2.1 GiB"),
    ("invalid_input", "prompt must not be empty"),
    ("upstream_error", "Upstream returned 502 Bad Gateway"),
]
TEAMS = ["team-a", "team-b", "växjö", "東京"]


def extra_uid() -> str:
    return str(uuid.UUID(int=EXTRA.getrandbits(128), version=4))


def make_workflow(slug: str, name: str, org: str, gpus: list[str]) -> dict[str, object]:
    wf_id = extra_uid()
    created = BASE - timedelta(days=EXTRA.randint(10, 200))
    port = {"comfyui_workflow_id": wf_id, "description": None, "validator_code": None,
            "validator_attrs": {}, "created_at": ts(created), "updated_at": ts(created)}
    return {
        "id": wf_id, "org_id": org, "slug": slug, "name": name, "description": f"{name} graph",
        "workflow_json": {"nodes": EXTRA.randint(4, 30)}, "version": "1.0", "is_public": False,
        "status_code": "active", "created_by": extra_uid(), "environment": {"python": "3.11"},
        "models": {"checkpoint": slug}, "custom_nodes": {}, "graph": {}, "resources": {},
        "created_at": ts(created), "updated_at": ts(created + timedelta(days=1)),
        "deleted_at": None, "deleted_by": None, "category_code": "image",
        "gpu_current_tier_code": EXTRA.choice(["a10g", "a100", "h100"]),
        "inputs": [{**port, "id": extra_uid(), "name": "prompt", "display_name": "Prompt",
                    "variable_type_code": "string", "default_behavior_code": "required",
                    "is_required": True, "default_value": None, "sort_order": 0,
                    "comfyui_node_id": "6", "comfyui_field_name": "text"}],
        "outputs": [{**port, "id": extra_uid(), "name": "image", "display_name": "Image",
                     "variable_type_code": "image", "sort_order": 0,
                     "comfyui_node_id": "9", "comfyui_field_name": "images"}],
        "gpu_explicit_models": [{"id": extra_uid(), "comfyui_workflow_id": wf_id,
                                 "gpu_model_code": gpu, "created_at": ts(created)}
                                for gpu in gpus],
    }


WORKFLOWS = [
    make_workflow("portrait-upscale", "Portrait upscale", ORGS[0], ["a100"]),
    make_workflow("product-shot", "Product shot", ORGS[1], ["a10g", "h100"]),
    make_workflow("sketch-to-image", "Sketch to image", ORGS[2], []),
]
FLOWS = [{"id": extra_uid()} for _ in range(5)]
EVALUATION_KINDS = ["none", "pending", "errored", "superseded", "no_verdict", "passed",
                    "failed", "retried", "split_issue"]
ISSUES = [("quality", "blur"), ("quality", "artifacts"), ("safety", "nsfw"),
          ("prompt_adherence", "missing_object"), ("prompt_adherence", None)]


def make_evaluation(run_id: str, created: datetime, status: str, superseded: bool,
                    verdict: bool | None, issues: list[tuple[str | None, str | None]]
                    ) -> dict[str, object]:
    eval_id = extra_uid()
    score = None if verdict is None else round(EXTRA.random() if verdict else
                                               EXTRA.random() / 2, 3)
    return {"id": eval_id, "run_id": run_id, "status": status, "superseded": superseded,
            "overall_passed": verdict if status == "completed" else None,
            "status_code": status, "score": score if status == "completed" else None,
            "created_at": ts(created),
            "issues": [{"id": extra_uid(), "evaluation_id": eval_id, "category": c,
                        "subcategory": sub} for c, sub in issues]}


def make_evaluations(run_id: str, created: datetime, index: int, failed: bool
                     ) -> list[dict[str, object]]:
    kind = EVALUATION_KINDS[index % len(EVALUATION_KINDS)]
    at = created + timedelta(minutes=5)
    later = created + timedelta(minutes=30)
    some = EXTRA.sample(ISSUES, EXTRA.randint(1, 2))
    if kind == "none":
        return []
    if kind in ("pending", "errored"):
        return [make_evaluation(run_id, at, kind, False, None, [])]
    if kind == "superseded":
        return [make_evaluation(run_id, at, "completed", True, not failed, some)]
    if kind == "no_verdict":
        return [make_evaluation(run_id, at, "completed", False, None, [])]
    if kind == "retried":
        return [make_evaluation(run_id, at, "completed", True, False, some),
                make_evaluation(run_id, later, "completed", False, True, [])]
    if kind == "split_issue":
        return [make_evaluation(run_id, at, "completed", False, False,
                                [("quality", None), (None, "blur")])]
    passed = kind == "passed"
    return [make_evaluation(run_id, at, "errored", False, None, []),
            make_evaluation(run_id, later, "completed", False, passed, [] if passed else some)]


def summary_of(evaluations: list[dict[str, object]]) -> dict[str, object] | None:
    """The current evaluation's summary (as qexpr.schema.run.derive_summary gives it)."""
    for e in evaluations:
        if e["status"] == "completed" and e["superseded"] is False:
            return {"passed": e["overall_passed"], "status_code": e["status_code"],
                    "score": e["score"]}
    return None


def make_run(index: int) -> dict[str, object]:
    run_id = uid()
    model = RNG.choice(MODELS)
    created = BASE + timedelta(minutes=17 * index, seconds=RNG.randint(0, 59),
                               microseconds=RNG.choice([0, RNG.randint(0, 999_999)]))
    failed = RNG.random() < 0.22
    failure_code, failure_message = RNG.choice(FAILURES) if failed else (None, None)
    duration = RNG.choice([None, RNG.randint(80, 900), RNG.randint(900, 20_000)])
    started = created + timedelta(milliseconds=RNG.randint(5, 800))
    nodes_total = RNG.randint(1, 6)
    nodes_completed = nodes_total if not failed else RNG.randint(0, nodes_total - 1)
    node_runs = []
    for n in range(nodes_total):
        state = "completed" if n < nodes_completed else ("failed" if n == nodes_completed
                                                         else "skipped")
        node_created = started + timedelta(milliseconds=200 * n)
        node_runs.append({
            "id": uid(), "run_id": run_id, "node_id": uid(), "flow_id": None,
            "state_code": state, "input": {"seed": RNG.randint(0, 99999)},
            "output": {"ok": state == "completed"}, "input_signature": f"sig-{n}",
            "preview_type": None, "preview_value": None,
            "duration_ms": RNG.randint(10, 5000), "cost": f"{RNG.randint(0, 400) / 10000:.4f}",
            "retry_count": RNG.choice([0, 0, 0, 1, 2, 3]),
            "error_message": failure_message if state == "failed" else None,
            "created_at": ts(node_created), "started_at": ts(node_created),
            "completed_at": ts(node_created + timedelta(milliseconds=150)),
        })
    logs = [
        {"id": uid(), "run_id": run_id, "level_code": level, "message": message,
         "timestamp": ts(started + timedelta(milliseconds=100 * k)), "meta": {}}
        for k, (level, message) in enumerate(
            [("info", "run started")]
            + ([("error", failure_message)] if failed else [])
            + ([("warning", "retrying node")] if RNG.random() < 0.2 else [])
        )
    ]
    completed = started + timedelta(milliseconds=duration) if duration else None
    tier = RNG.choice(["gold", "silver", "bronze", None])
    metadata: dict[str, object] = {"team-id": RNG.choice([42, 7, 13]),
                                   "team": RNG.choice(TEAMS)}
    if tier:
        metadata["customer"] = {"tier": tier}
    run: dict[str, object] = {
        "id": run_id, "flow_id": uid(), "model_id": model["id"], "comfyui_workflow_id": None,
        "target_version": RNG.choice(["v1", "v2", None]), "org_id": ORG,
        "input": {"prompt": RNG.choice(["a red fox", "a café at night", "50% off sign",
                                        'a "quoted" title', "雪の山"])},
        "output": {"images": RNG.randint(0, 4)} if not failed else {},
        "context": {}, "duration_ms": duration,
        "cost": None if failed else f"{RNG.randint(1, 900) / 1000:.3f}",
        "cost_breakdown": {"gpu": RNG.randint(1, 90) / 100}, "nodes_total": nodes_total,
        "nodes_completed": nodes_completed, "resolved_template_id": None,
        "batch_id": uid() if RNG.random() < 0.3 else None,
        "client_ref": RNG.choice([f"batch-{RNG.randint(1, 40):03d}",
                                  f"web-{RNG.randint(1000, 9999)}", None]),
        "jurisdiction_code": RNG.choice(["EU", "US", None]), "flow_version_id": None,
        "request_id": f"req_{RNG.getrandbits(40):010x}", "created_by": uid(),
        "created_at": ts(created), "started_at": ts(started),
        "completed_at": ts(completed) if completed else None, "callback_url": None,
        "metadata": metadata, "has_logs": bool(logs), "has_node_runs": bool(node_runs),
        "links": {"self": f"/v1/runs/{run_id}"}, "failure_code": failure_code,
        "failure_message": failure_message,
        "feedback_is_positive": RNG.choice([True, False, None, None]),
        "feedback_reason": None, "source_chat_message_id": None,
        "current_evaluation_summary": (
            {"passed": not failed, "status_code": "completed",
             "score": round(RNG.random(), 3)} if RNG.random() < 0.6 else None
        ),
        "node_runs": node_runs, "logs": logs, "model": model, "comfyui_workflow": None,
    }
    org = ORGS[0] if index % 4 == 0 else EXTRA.choice(ORGS)
    workflow = EXTRA.choice([w for w in WORKFLOWS if w["org_id"] == org] + [None, None])
    flow = EXTRA.choice([*FLOWS, None])
    evaluations = make_evaluations(run_id, created, index, failed)
    run.update({
        "org_id": org, "flow_id": None if flow is None else flow["id"], "flow": flow,
        "comfyui_workflow_id": None if workflow is None else workflow["id"],
        "comfyui_workflow": workflow, "evaluations": evaluations,
        "current_evaluation_summary": summary_of(evaluations),
    })
    return run


def main() -> None:
    out = sys.stdout
    for index in range(160):
        out.write(json.dumps(make_run(index), ensure_ascii=False, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
