"""A typed filter builder: handles from a schema, so building a filter reads like q.

>>> from datetime import timedelta
>>> from qexpr import runs, any_, now
>>> f = (runs.duration_ms > 1000) & runs.failure_code.in_(["timeout", "oom"]) & ~runs.has_logs
>>> f.to_q()
'duration_ms > 1000 AND failure_code IN ("timeout", "oom") AND NOT has_logs = true'
>>> any_(runs.node_runs, runs.node_runs.retry_count >= 2).to_q()
'any(node_runs, retry_count >= 2)'

A :class:`Condition` prints canonical q with ``to_q()`` (no scopes needed) and becomes a
:class:`qexpr.Filter` with ``to_filter(scopes=..., now=...)``, which runs the same checker as
``qexpr.compile``: ``qexpr.compile(c.to_q(), scopes=s) == c.to_filter(scopes=s)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qexpr.builder.condition import Condition, Frame, and_, not_, or_
from qexpr.builder.fields import FieldHandle, JsonHandle
from qexpr.builder.handles import RecordHandle, RelationHandle, handles
from qexpr.builder.quantifiers import all_, any_
from qexpr.builder.timeexpr import TimeValue, now

if TYPE_CHECKING:  # pragma: no cover
    runs: RecordHandle

__all__ = [
    "Condition",
    "FieldHandle",
    "Frame",
    "JsonHandle",
    "RecordHandle",
    "RelationHandle",
    "TimeValue",
    "all_",
    "and_",
    "any_",
    "handles",
    "not_",
    "now",
    "or_",
    "runs",
]


def __getattr__(name: str) -> Any:
    if name == "runs":
        from qexpr.schema.run import RUN_SCHEMA

        value = handles(RUN_SCHEMA)
        globals()["runs"] = value
        return value
    raise AttributeError(f"module 'qexpr.builder' has no attribute {name!r}")
