"""qexpr: parse, validate and compile the ``q`` filter language of the runs search API.

``qexpr.parse(q)`` gives the syntax tree; ``qexpr.compile(q)`` checks it against a schema and
gives a :class:`Filter` that prints canonical q, SQL for PostgreSQL and SQLite, or a predicate.
Heavy parts (lark, ANTLR, psycopg) are imported only when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qexpr.errors import ErrorCode, QError
from qexpr.misuse import QTypeError

__version__ = "0.1.0"

# Every other public name is imported on first access, so `import qexpr` stays fast.
_LAZY: dict[str, str] = {
    "parse": "qexpr.syntax.parser",
    "to_q": "qexpr.syntax.canonical",
    "NodeVisitor": "qexpr.syntax.visitor",
    "Limits": "qexpr.limits",
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
    "quote": "qexpr.quoting",
    "escape_like": "qexpr.quoting",
    "complete": "qexpr.completion",
    "Completion": "qexpr.completion",
    "from_tree": "qexpr.filter",
    "reference_ddl": "qexpr.backends.sql",
    "load_records": "qexpr.backends.sql",
    "reference_metadata": "qexpr.backends.sqlalchemy.tables",
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
    "example_runs": "qexpr.examples",
}

if TYPE_CHECKING:  # pragma: no cover
    from qexpr.backends.sql import load_records, reference_ddl
    from qexpr.backends.sqlalchemy.tables import reference_metadata
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
    from qexpr.completion import Completion, complete
    from qexpr.examples import example_runs
    from qexpr.filter import Filter, compile, from_tree
    from qexpr.limits import Limits
    from qexpr.quoting import escape_like, quote
    from qexpr.schema.model import Field, FieldType, RecordType, Relation, Schema
    from qexpr.schema.run import RUN_SCHEMA
    from qexpr.search.request import Page, Search, compile_search
    from qexpr.syntax import ast
    from qexpr.syntax.canonical import to_q
    from qexpr.syntax.parser import parse
    from qexpr.syntax.visitor import NodeVisitor

    runs: RecordHandle


def __getattr__(name: str) -> Any:
    if name == "ast":
        import importlib

        module = importlib.import_module("qexpr.syntax.ast")
        globals()["ast"] = module
        return module
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
    "QTypeError",
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
    "example_runs",
    "from_tree",
    "handles",
    "load_records",
    "not_",
    "now",
    "or_",
    "parse",
    "quote",
    "reference_ddl",
    "reference_metadata",
    "runs",
    "to_q",
]
