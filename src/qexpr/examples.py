"""The bundled example runs: API-shaped run objects a server or a test can learn from.

``qexpr.example_runs()`` reads ``qexpr/data/example_runs.jsonl`` (made by
``scripts/make_example_runs.py``): runs as ``GET /v1/runs`` returns them, with their model,
node runs, logs and evaluation summary embedded, in the form :func:`qexpr.load_records` takes.
Only the standard library is imported.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

EXAMPLE_RUNS = "example_runs.jsonl"
"""The data file's name inside the ``qexpr.data`` package."""


@lru_cache(maxsize=1)
def _text() -> str:
    return resources.files("qexpr.data").joinpath(EXAMPLE_RUNS).read_text(encoding="utf-8")


def example_runs() -> list[dict[str, Any]]:
    """The bundled example runs, in the data file's order (one JSON line each).

    Every call returns fresh objects, so callers may change them freely.
    """
    return [json.loads(line) for line in _text().splitlines() if line.strip()]
