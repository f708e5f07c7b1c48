"""Resource limits of spec section 6, enforced while parsing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """Upper bounds on a filter's size; exceeding one raises ``limit_exceeded``."""

    max_length: int = 4096
    """Code points in the q text."""
    max_depth: int = 32
    """Nesting of parentheses, prefix NOT and quantifiers, counted on the tokens."""
    max_predicates: int = 128
    """Comparisons, IN, BETWEEN, pattern tests, IS NULL, bare paths and quantifiers."""
    max_in_values: int = 256
    """Values in one IN list."""
    max_string_length: int = 1024
    """Decoded code points in one string literal."""
    max_quantifier_depth: int = 3
    """Nesting of any()/all()."""


DEFAULT_LIMITS = Limits()
