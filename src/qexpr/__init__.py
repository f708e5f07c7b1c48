"""qexpr: parse, validate and compile the ``q`` filter language of the runs search API.

``qexpr.parse(q)`` gives the syntax tree; ``qexpr.compile(q)`` checks it against a schema and
gives a :class:`Filter` that prints canonical q, SQL for PostgreSQL and SQLite, or a predicate.
Heavy parts (lark, ANTLR, psycopg) are imported only when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qexpr.errors import ErrorCode, QError
from qexpr.limits import Limits
from qexpr.syntax import ast
from qexpr.syntax.canonical import to_q
from qexpr.syntax.parser import parse
from qexpr.syntax.visitor import NodeVisitor

__version__ = "0.1.0"

# Public names provided by later stages, imported on first access to keep `import qexpr` fast.
_LAZY: dict[str, str] = {
    "compile": "qexpr.filter",
    # client tooling: builder, quoting, completion
    "runs": "qexpr.builder",
    "handles": "qexpr.builder",
    "any_": "qexpr.builder",
    "all_": "qexpr.builder",
    "and_": "qexpr.builder",
    "or_": "qexpr.builder",
    "not_": "qexpr.builder",
    "now": "qexpr.builder",
    "Condition": "qexpr.builder",
    "quote": "qexpr.quote",
    "escape_like": "qexpr.quote",
    "complete": "qexpr.complete",
    "Completion": "qexpr.complete",
    "from_tree": "qexpr.filter",
    "Filter": "qexpr.filter",
    "RUN_SCHEMA": "qexpr.schema.run",
    "Schema": "qexpr.schema.model",
    "RecordType": "qexpr.schema.model",
    "Field": "qexpr.schema.model",
    "FieldType": "qexpr.schema.model",
    "Relation": "qexpr.schema.model",
    "compile_search": "qexpr.search.request",
    "Search": "qexpr.search.request",
    "Page": "qexpr.search.request",
}

if TYPE_CHECKING:  # pragma: no cover
    from qexpr.builder import (
        Condition,
        RecordHandle,
        all_,
        and_,
        any_,
        handles,
        not_,
        now,
        or_,
    )
    from qexpr.complete import Completion, complete
    from qexpr.filter import Filter, compile, from_tree
    from qexpr.quote import escape_like, quote
    from qexpr.schema.model import Field, FieldType, RecordType, Relation, Schema
    from qexpr.schema.run import RUN_SCHEMA
    from qexpr.search.request import Page, Search, compile_search

    runs: RecordHandle


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'qexpr' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


__all__ = [
    "RUN_SCHEMA",
    "Completion",
    "Condition",
    "ErrorCode",
    "Field",
    "FieldType",
    "Filter",
    "Limits",
    "NodeVisitor",
    "Page",
    "QError",
    "RecordType",
    "Relation",
    "Schema",
    "Search",
    "all_",
    "and_",
    "any_",
    "ast",
    "compile",
    "compile_search",
    "complete",
    "escape_like",
    "from_tree",
    "handles",
    "not_",
    "now",
    "or_",
    "parse",
    "quote",
    "runs",
    "to_q",
]
