"""Resource limits of spec section 6, enforced while parsing."""

from __future__ import annotations

from dataclasses import dataclass, fields

#: The deepest nesting any stage supports: parsing, validation and every backend walk the
#: tree recursively, and Python's stack must hold that with room to spare.
MAX_SUPPORTED_DEPTH = 100


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

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"Limits.{f.name} must be a positive integer, not {value!r}")
        for name in ("max_depth", "max_quantifier_depth"):
            if getattr(self, name) > MAX_SUPPORTED_DEPTH:
                raise ValueError(
                    f"Limits.{name} may be at most {MAX_SUPPORTED_DEPTH}: every stage walks "
                    "the tree recursively"
                )


DEFAULT_LIMITS = Limits()
