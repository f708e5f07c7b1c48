"""Reading the conformance suite (``conformance/*.jsonl``, format in conformance/README.md)."""

from __future__ import annotations

import importlib.util
import json
from datetime import datetime
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "conformance"


@cache
def cases(name: str) -> tuple[dict[str, Any], ...]:
    """The cases of ``conformance/<name>.jsonl`` in file order."""
    with (SUITE / f"{name}.jsonl").open(encoding="ascii") as fh:
        return tuple(json.loads(line) for line in fh if line.strip())


@cache
def dataset() -> tuple[dict[str, Any], ...]:
    """The fixed records the evaluation and search cases run on."""
    with (SUITE / "dataset.jsonl").open(encoding="utf-8") as fh:
        return tuple(json.loads(line) for line in fh if line.strip())


def now_of(case: dict[str, Any]) -> datetime:
    """The case's ``now`` as an aware datetime."""
    return datetime.fromisoformat(case["now"].replace("Z", "+00:00"))


def report(failures: list[str], total: int) -> str:
    """An assertion message listing the first disagreements."""
    shown = "\n".join(failures[:25])
    more = f"\n... and {len(failures) - 25} more" if len(failures) > 25 else ""
    return f"{len(failures)} of {total} cases disagree:\n{shown}{more}"


@cache
def generator() -> ModuleType:
    """``conformance/generate.py`` as a module (its ``build``, ``parse_cases``, ``_Grammar``)."""
    spec = importlib.util.spec_from_file_location("conformance_generate", SUITE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
