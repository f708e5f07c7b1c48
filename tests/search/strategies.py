"""Compact Hypothesis strategies for search tests: runs with many ties and nulls on the sortable
fields, filters over them, and sort specifications (mixed directions, nullable keys).

Every generated run comes with its *truth*: the native value of each sortable field, so tests
can compute the expected order independently of the library. Runs are API-shaped (strings for
timestamps, decimals and UUIDs, with assorted offsets and spellings) or, at random, carry
native values (``datetime``, ``Decimal``, ``UUID``). Values stay within what every backend
stores exactly: decimals of at most 15 significant digits (SQLite keeps them as doubles),
text without U+0000 or lone surrogates (PostgreSQL).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

SCOPES = frozenset({"evaluations:read"})


def scaled(examples: int) -> int:
    """``examples`` times ``QEXPR_HYPOTHESIS_SCALE`` (default 1), at least 1."""
    try:
        scale = float(os.environ.get("QEXPR_HYPOTHESIS_SCALE", "") or 1)
    except ValueError:
        scale = 1.0
    return max(1, int(examples * (scale if scale > 0 else 1.0)))


_BASE = datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC)
INSTANTS = (
    _BASE,
    _BASE + timedelta(microseconds=1),
    _BASE + timedelta(seconds=1, microseconds=500000),
    _BASE + timedelta(days=3),
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
)
DECIMALS = ("0.5", "0.50", "-3", "10", "1.25", "0", "123456789.012345", "-0.001")
STRINGS = ("a", "B", "b", "É", "é", "z", "~", "", "a b", "€", "\U0001f600", "aa", "A")
FLOATS = (0.5, -0.0, 0.0, 0.1, 2.5, -1e-300, 1e300)
INTS = (0, 1, -1, 7, 1000, 2**62)

MODELS: tuple[dict[str, Any] | None, ...] = (
    None,
    {"id": "00000000-0000-4000-8000-00000000000a", "slug": "alpha", "name": "Alpha",
     "is_public": True, "created_at": "2024-01-01T00:00:00Z", "inputs": [
         {"id": "00000000-0000-4000-8000-0000000000a2", "name": "prompt", "sort_order": 2,
          "model_id": "00000000-0000-4000-8000-00000000000a"},
         {"id": "00000000-0000-4000-8000-0000000000a1", "name": "seed", "sort_order": 1,
          "model_id": "00000000-0000-4000-8000-00000000000a"}],
     "outputs": [], "examples": [], "faq_entries": [], "pricing": [
         {"id": "00000000-0000-4000-8000-0000000000a3", "price": "0.010",
          "model_id": "00000000-0000-4000-8000-00000000000a", "match_value": {"w": 1}}],
     "related_links": []},
    {"id": "00000000-0000-4000-8000-00000000000b", "slug": "Beta", "inputs": [], "outputs": [],
     "examples": [], "faq_entries": [], "pricing": [], "related_links": []},
    {"id": "00000000-0000-4000-8000-00000000000c", "slug": None, "inputs": [], "outputs": [],
     "examples": [], "faq_entries": [], "pricing": [], "related_links": []},
)

#: Sortable paths and how to read their true (native) value from a run's truth.
SORTABLE: dict[str, str] = {
    "created_at": "timestamp",
    "started_at": "timestamp",
    "duration_ms": "integer",
    "cost": "decimal",
    "client_ref": "string",
    "failure_code": "string",
    "has_logs": "boolean",
    "model.slug": "string",
    "current_evaluation_summary.score": "float",
    "current_evaluation_summary.passed": "boolean",
    "id": "uuid",
}

FILTERS = (
    "",
    "",
    "duration_ms > 0",
    "client_ref IS NOT NULL",
    "cost >= 0.5 OR cost IS NULL",
    "NOT has_logs",
    'model.slug STARTS_WITH "a" OR model.slug IS NULL',
    "any(node_runs, retry_count >= 1)",
    'created_at >= "2024-03-01T12:00:00.000001Z"',
    "current_evaluation_summary.score < 0.5 OR duration_ms IS NULL",
    'client_ref > "a"',
)


@dataclass(frozen=True)
class Run:
    """A generated run: the record handed to the library and the truth of its sort values."""

    record: dict[str, Any]
    truth: dict[str, Any]


def _timestamp_forms(value: datetime) -> st.SearchStrategy[Any]:
    shifted = value.astimezone(timezone(timedelta(hours=5, minutes=30)))
    return st.sampled_from([
        value.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        shifted.isoformat(),
        value.isoformat().replace("+00:00", "Z"),
        value,
        shifted,
    ])


@st.composite
def runs(draw: st.DrawFn, max_size: int = 14) -> list[Run]:
    """A list of runs with unique ids and heavily tied sort values."""
    ids = draw(st.lists(st.uuids(version=4), min_size=0, max_size=max_size, unique=True))
    out: list[Run] = []
    for index, rid in enumerate(ids):
        truth: dict[str, Any] = {"id": str(rid)}
        rec: dict[str, Any] = {"id": draw(st.sampled_from([str(rid), str(rid).upper(), rid]))}
        for name in ("created_at", "started_at"):
            instant = draw(st.none() | st.sampled_from(INSTANTS))
            truth[name] = instant
            rec[name] = None if instant is None else draw(_timestamp_forms(instant))
        duration = draw(st.none() | st.sampled_from(INTS))
        truth["duration_ms"] = duration
        rec["duration_ms"] = duration
        cost = draw(st.none() | st.sampled_from(DECIMALS))
        truth["cost"] = None if cost is None else Decimal(cost)
        rec["cost"] = None if cost is None else draw(st.sampled_from([cost, Decimal(cost)]))
        for name in ("client_ref", "failure_code"):
            text = draw(st.none() | st.sampled_from(STRINGS))
            truth[name] = text
            rec[name] = text
        has_logs = draw(st.none() | st.booleans())
        truth["has_logs"] = has_logs
        rec["has_logs"] = has_logs
        model = draw(st.sampled_from(MODELS))
        rec["model"] = model
        rec["model_id"] = None if model is None else model["id"]
        truth["model.slug"] = None if model is None else model["slug"]
        summary = draw(st.none() | st.fixed_dictionaries({
            "passed": st.none() | st.booleans(),
            "status_code": st.sampled_from(["done", "pending"]),
            "score": st.none() | st.sampled_from(FLOATS),
        }))
        rec["current_evaluation_summary"] = summary
        truth["current_evaluation_summary.score"] = None if summary is None else summary["score"]
        truth["current_evaluation_summary.passed"] = (
            None if summary is None else summary["passed"])
        rec["node_runs"] = [
            {"id": str(uuid.uuid5(rid, f"node-{k}")),
             "run_id": draw(st.sampled_from([str(rid), None, str(uuid.uuid5(rid, "x"))])),
             "state_code": "completed",
             "retry_count": draw(st.sampled_from([0, 1, 2])), "cost": "0.0100",
             "created_at": "2024-03-01T12:00:00Z", "input": {"k": k}}
            for k in range(draw(st.integers(0, 2)))
        ]
        rec["logs"] = []
        rec["comfyui_workflow"] = None
        rec["metadata"] = {"index": index, "tags": ["x", None, 1.5]}
        rec["nodes_total"] = index
        out.append(Run(rec, truth))
    return out


@st.composite
def sort_specs(draw: st.DrawFn) -> str | None:
    """A ``sort_by`` value (None: the default), 1 to 3 distinct keys, mixed directions."""
    if draw(st.integers(0, 5)) == 0:
        return None
    keys = draw(st.lists(st.sampled_from(list(SORTABLE)), min_size=1, max_size=3, unique=True))
    parts = [k + draw(st.sampled_from(["", ":asc", ":desc", ":DESC"])) for k in keys]
    return ",".join(parts)


def expected_ids(runs_: list[Run], matching: set[str], sort_by: str | None) -> list[str]:
    """The ids of the matching runs in the documented order, computed from the truth."""
    spec = sort_by or "created_at:desc"
    keys: list[tuple[str, bool]] = []
    for part in spec.split(","):
        name, _, direction = part.partition(":")
        keys.append((name, direction.lower() == "desc"))
    if not any(name == "id" for name, _ in keys):
        keys.append(("id", keys[-1][1]))
    rows = [r for r in runs_ if r.truth["id"] in matching]
    for name, descending in reversed(keys):
        rows.sort(key=_null_last(lambda r, n=name: r.truth[n]), reverse=descending)
    return [r.truth["id"] for r in rows]


def _null_last(read: Callable[[Run], Any]) -> Callable[[Run], tuple[bool, Any]]:
    def key(run: Run) -> tuple[bool, Any]:
        value = read(run)
        return (value is None, _Box(value))

    return key


class _Box:
    """Wraps a possibly-None value so tuples with None compare (None only meets None)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Box) -> bool:
        if self.value is None or other.value is None:
            return False
        return bool(self.value < other.value)
