"""Benchmark: the compiled in-memory predicate against hand-written Python.

    python benchmarks/bench_predicate.py [--runs 100000] [--repeat 7] [--chunk 5000] [--json]

Builds API-shaped runs (JSON-decoded: UUIDs, timestamps and decimals as strings; nulls and
absent keys included; the ``model`` relation embedded; seeded random), then times, interleaved
in one process, for each filter of ``FILTERS`` (plain fields; a to-one path) its predicate and
two hand-written functions (``list(filter(fn, chunk))`` per chunk of runs,
contenders alternating; each chunk's time is its minimum over the repeats, summed over all
runs):

- ``hand_tristate``: the same three-valued semantics written out plainly (each comparison
  TRUE/FALSE/None, Kleene AND/OR);
- ``hand_shortcut``: a hand-optimised version that only asks "TRUE?" and returns early, the
  baseline of the 1.5x target (the worst filter counts).

All three must select the same runs. ``--strict`` exits with status 1 when the target is
missed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import qexpr

QUERY = 'duration_ms > 1000 AND (failure_code = "timeout" OR client_ref STARTS_WITH "batch-")'
PATH_QUERY = 'failure_code = "timeout" AND (model.slug = "flux" OR duration_ms > 1000)'
TARGET = 1.5

Run = Mapping[str, Any]


def hand_tristate(run: Run) -> bool:
    """QUERY with explicit three-valued logic (None = UNKNOWN)."""
    duration = run.get("duration_ms")
    slow = None if duration is None else duration > 1000
    code = run.get("failure_code")
    timeout = None if code is None else code == "timeout"
    ref = run.get("client_ref")
    batch = None if ref is None else ref.startswith("batch-")
    if timeout is True or batch is True:
        either: bool | None = True
    elif timeout is False and batch is False:
        either = False
    else:
        either = None
    if slow is False or either is False:
        return False
    return slow is True and either is True


def hand_shortcut(run: Run) -> bool:
    """QUERY, TRUE-only and returning as early as possible."""
    duration = run.get("duration_ms")
    if duration is None or not duration > 1000:
        return False
    code = run.get("failure_code")
    if code is not None and code == "timeout":
        return True
    ref = run.get("client_ref")
    return ref is not None and ref.startswith("batch-")


def hand_tristate_path(run: Run) -> bool:
    """PATH_QUERY with explicit three-valued logic (None = UNKNOWN)."""
    code = run.get("failure_code")
    timeout = None if code is None else code == "timeout"
    model = run["model"]
    slug = model.get("slug") if isinstance(model, dict) else None
    flux = None if slug is None else slug == "flux"
    duration = run.get("duration_ms")
    slow = None if duration is None else duration > 1000
    if flux is True or slow is True:
        either: bool | None = True
    elif flux is False and slow is False:
        either = False
    else:
        either = None
    if timeout is False or either is False:
        return False
    return timeout is True and either is True


def hand_shortcut_path(run: Run) -> bool:
    """PATH_QUERY, TRUE-only and returning as early as possible."""
    if run.get("failure_code") != "timeout":
        return False
    model = run["model"]
    if model is not None and model.get("slug") == "flux":
        return True
    duration = run.get("duration_ms")
    return duration is not None and duration > 1000


FILTERS: dict[str, tuple[str, Callable[[Run], bool], Callable[[Run], bool]]] = {
    "plain": (QUERY, hand_tristate, hand_shortcut),
    "to-one path": (PATH_QUERY, hand_tristate_path, hand_shortcut_path),
}
"""Each filter: its text, the hand-written three-valued and TRUE-only functions."""


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def make_run(rng: random.Random) -> dict[str, Any]:
    """One run object shaped like ``GET /v1/runs`` items (no embeds)."""
    created = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(0, 30_000_000))
    finished = rng.random() < 0.9
    duration = int(rng.lognormvariate(7, 1.3)) if finished else None
    failed = finished and rng.random() < 0.2
    roll = rng.random()
    if roll < 0.3:
        client_ref: str | None = f"batch-{rng.randrange(10_000)}-{rng.randrange(100)}"
    elif roll < 0.6:
        client_ref = f"job-{rng.randrange(1_000_000)}"
    else:
        client_ref = None
    nodes_total = rng.randrange(1, 40)
    run: dict[str, Any] = {
        "id": _uuid(rng),
        "flow_id": _uuid(rng),
        "model_id": _uuid(rng) if rng.random() < 0.7 else None,
        "comfyui_workflow_id": _uuid(rng) if rng.random() < 0.2 else None,
        "target_version": rng.choice(["v1", "v2", "latest"]),
        "org_id": _uuid(rng),
        "input": {"prompt": "a cat " * rng.randrange(1, 8), "steps": rng.randrange(10, 60)},
        "output": {"images": [f"https://cdn.example/{rng.randrange(10**9)}.png"]}
        if finished and not failed else {},
        "context": {},
        "duration_ms": duration,
        "cost": f"{rng.random() * 0.8:.6f}" if finished else None,
        "cost_breakdown": {"gpu": f"{rng.random() * 0.5:.6f}"},
        "nodes_total": nodes_total,
        "nodes_completed": nodes_total if finished else rng.randrange(0, nodes_total),
        "resolved_template_id": None,
        "batch_id": _uuid(rng) if client_ref and client_ref.startswith("batch-") else None,
        "client_ref": client_ref,
        "jurisdiction_code": rng.choice(["eu", "us", None]),
        "flow_version_id": _uuid(rng),
        "request_id": f"req_{rng.getrandbits(64):016x}",
        "created_by": _uuid(rng),
        "created_at": _stamp(created),
        "started_at": _stamp(created + timedelta(seconds=1)),
        "completed_at": _stamp(created + timedelta(milliseconds=duration or 0))
        if finished else None,
        "callback_url": None,
        "metadata": {"customer": {"tier": rng.choice(["gold", "free"])},
                     "team-id": rng.randrange(100)},
        "has_logs": rng.random() < 0.5,
        "has_node_runs": True,
        "links": {"self": "/v1/runs/x"},
        "failure_code": rng.choice(["timeout", "oom", "node_error", "cancelled"])
        if failed else None,
        "failure_message": "worker timed out" if failed else None,
        "feedback_is_positive": rng.choice([True, False, None]),
        "feedback_reason": None,
        "source_chat_message_id": None,
    }
    if rng.random() < 0.05:  # some clients drop null keys altogether
        for key in [k for k, v in run.items() if v is None]:
            del run[key]
    # the embedded to-one relation (never dropped: an absent relation key is an error)
    run["model"] = {"id": run["model_id"], "slug": rng.choice(["flux", "sdxl", "sd3"])} \
        if run.get("model_id") else None
    return run


def make_runs(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [make_run(rng) for _ in range(count)]


def _time(fn: Callable[[Run], bool], runs: list[dict[str, Any]]) -> tuple[float, list[Any]]:
    start = time.perf_counter()
    selected = list(filter(fn, runs))
    return time.perf_counter() - start, selected


def measure(
    contenders: dict[str, Callable[[Run], bool]], runs: list[dict[str, Any]],
    repeat: int, chunk: int,
) -> tuple[dict[str, float], int]:
    """µs per run of each contender, and how many runs they select (they must agree)."""
    # Interleaved at the grain of chunks: each chunk is timed for every contender in turn
    # (alternating the order), and each (contender, chunk) keeps its minimum over the
    # repeats, so a burst of load on the machine spoils one sample, not a whole pass.
    chunks = [runs[i:i + chunk] for i in range(0, len(runs), chunk)]
    best = {name: [float("inf")] * len(chunks) for name in contenders}
    chosen: dict[str, list[int]] = {}
    for round_ in range(repeat):
        picked: dict[str, list[int]] = {name: [] for name in contenders}
        for index, part in enumerate(chunks):
            order = list(contenders)
            if (round_ + index) % 2:
                order.reverse()
            for name in order:
                seconds, selected = _time(contenders[name], part)
                best[name][index] = min(best[name][index], seconds)
                picked[name].extend(id(run) for run in selected)
        chosen = picked
    if len({tuple(ids) for ids in chosen.values()}) != 1:
        counts = {name: len(ids) for name, ids in chosen.items()}
        raise AssertionError(f"the functions select different runs: {counts}")
    per_run = {name: sum(seconds) / len(runs) * 1e6 for name, seconds in best.items()}
    return per_run, len(next(iter(chosen.values())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=5_000, help="runs per timed sample")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--strict", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args(argv)

    runs = make_runs(args.runs, args.seed)
    results: dict[str, dict[str, Any]] = {}
    for label, (query, tristate, shortcut) in FILTERS.items():
        contenders = {"compiled": qexpr.compile(query).to_predicate(),
                      "hand_tristate": tristate, "hand_shortcut": shortcut}
        per_run, selected = measure(contenders, runs, args.repeat, args.chunk)
        ratio = per_run["compiled"] / per_run["hand_shortcut"]
        results[label] = {
            "query": query,
            "selected": selected,
            "us_per_run": {name: round(value, 4) for name, value in per_run.items()},
            "ratio_vs_hand_shortcut": round(ratio, 3),
            "ratio_vs_hand_tristate": round(per_run["compiled"] / per_run["hand_tristate"], 3),
            "meets_target": ratio <= TARGET,
        }
    worst = max(result["ratio_vs_hand_shortcut"] for result in results.values())
    summary = {
        "runs": len(runs), "repeat": args.repeat, "chunk": args.chunk,
        "python": sys.version.split()[0], "filters": results,
        "target": TARGET, "worst_ratio_vs_hand_shortcut": worst, "meets_target": worst <= TARGET,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"{len(runs)} API-shaped runs, min of {args.repeat} interleaved repeats per chunk "
              f"of {args.chunk} runs (Python {summary['python']})")
        for label, result in results.items():
            print(f"{label}: {result['query']}  ({result['selected']} selected)")
            for name, value in result["us_per_run"].items():
                print(f"  {name:<14} {value:8.4f} µs/run")
            print(f"  compiled / hand_shortcut = {result['ratio_vs_hand_shortcut']:.2f}x "
                  f"(target <= {TARGET}x: {'met' if result['meets_target'] else 'MISSED'})")
            print(f"  compiled / hand_tristate = {result['ratio_vs_hand_tristate']:.2f}x")
        print(f"worst compiled / hand_shortcut = {worst:.2f}x "
              f"(target <= {TARGET}x: {'met' if worst <= TARGET else 'MISSED'})")
    return 1 if args.strict and worst > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
