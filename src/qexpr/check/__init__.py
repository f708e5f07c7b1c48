"""Stage 2: a parsed tree checked against a schema (paths, types, scopes, literals)."""

from qexpr.check.checker import check
from qexpr.check.resolve import ResolvedPath, resolve

__all__ = ["ResolvedPath", "check", "resolve"]
