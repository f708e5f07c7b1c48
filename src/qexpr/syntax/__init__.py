"""Stage 1: q text to AST. Tokens, three parser engines, the canonical printer."""

from qexpr.syntax.canonical import to_q
from qexpr.syntax.parser import ENGINE_NAMES, parse

__all__ = ["ENGINE_NAMES", "parse", "to_q"]
