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
_LAZY: dict[str, str] = {}

if TYPE_CHECKING:  # pragma: no cover
    pass


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'qexpr' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


__all__ = [
    "ErrorCode",
    "Limits",
    "NodeVisitor",
    "QError",
    "ast",
    "parse",
    "to_q",
]
