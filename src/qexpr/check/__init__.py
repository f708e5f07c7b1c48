"""Stage 2: a parsed tree checked against a schema (paths, types, scopes, literals) into a typed
tree and a plan."""

from qexpr.check.checker import CheckedFilter, check
from qexpr.check.resolve import ResolvedPath, resolve

__all__ = ["CheckedFilter", "ResolvedPath", "check", "resolve"]
