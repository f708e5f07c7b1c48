"""Running the client checks: find node/java, the ANTLR jar, or skip (fail under CI=1)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

from tests.conformance.suite import ROOT
from tests.conftest import in_ci

JAVASCRIPT = ROOT / "clients" / "javascript"
JAVA = ROOT / "clients" / "java"


def unavailable(why: str) -> NoReturn:
    """Skip locally; in CI a missing tool is a failure."""
    if in_ci():
        pytest.fail(f"{why} (CI needs it)", pytrace=False)
    pytest.skip(why)


def tool(name: str) -> str:
    """The path of ``name`` on PATH, or skip/fail."""
    found = shutil.which(name)
    if found is None:
        unavailable(f"{name} is not on PATH")
    return found


def antlr_jar() -> Path:
    """The ANTLR 4.13.2 tool jar (it holds the Java runtime too), found as
    scripts/generate_antlr.py finds it."""
    spec = importlib.util.spec_from_file_location(
        "generate_antlr", ROOT / "scripts" / "generate_antlr.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        jar: Path = module.find_jar()
    except module.GenerationError as exc:
        unavailable(str(exc))
    return jar
