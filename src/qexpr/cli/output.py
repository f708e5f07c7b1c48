"""How the CLI prints: JSON documents, errors with carets, one-line failures (a leaf module)."""

from __future__ import annotations

import json
import sys
from typing import Any

from qexpr.errors import QError


def one_line(error: BaseException) -> str:
    """An exception's message on one line (its class name when it has none)."""
    text = " ".join(str(error).split())
    return text or type(error).__name__


def report_error(error: QError, *, json_output: bool) -> None:
    """Print a QError: every error found, with carets (standard error); or, with ``--json``,
    exactly ``error.to_dict()`` (the API's 400 body) on standard output."""
    if json_output:
        print(json.dumps(error.to_dict(), ensure_ascii=False))
        return
    for index, each in enumerate(error.errors):
        if index:
            print(file=sys.stderr)
        print(each.render(), file=sys.stderr)


def print_json(value: Any) -> None:
    """One JSON document on stdout."""
    print(json.dumps(value, ensure_ascii=False, default=str))
