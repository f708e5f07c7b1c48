"""Pattern operators (spec 5.3): LIKE / ILIKE without backtracking, and plain substring tests.

A LIKE pattern is split on its unescaped ``%`` into segments of fixed length (literal code
points and ``_``). The first segment must match at the start, the last at the end, and each
middle segment is matched at its leftmost place after the previous one: with fixed-length
segments this greedy choice is always right, so matching takes one left-to-right pass
(``str.find`` for literal segments, a quantifier-free regular expression for segments with
``_``), never exponential backtracking. ILIKE folds ASCII ``A-Z`` to ``a-z`` in the pattern
and in the text and nothing else (``"É"`` does not match ``"é"``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from qexpr.operators import Operator

Matcher = Callable[[str], bool]

_ASCII_FOLD = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def fold_ascii(text: str) -> str:
    """``text`` with ASCII ``A-Z`` lowered; every other code point unchanged."""
    return text.lower() if text.isascii() else text.translate(_ASCII_FOLD)


def parse_like(pattern: str) -> list[list[str | None]]:
    """The ``%``-separated segments of a LIKE pattern; ``None`` stands for ``_``.

    ``\\`` makes the next character literal; a trailing lone ``\\`` is a ``ValueError``
    (validation reports it as ``invalid_literal`` first).
    """
    segments: list[list[str | None]] = [[]]
    escaped = False
    for char in pattern:
        if escaped:
            segments[-1].append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            segments.append([])
        elif char == "_":
            segments[-1].append(None)
        else:
            segments[-1].append(char)
    if escaped:
        raise ValueError("a LIKE pattern cannot end with a lone backslash")
    return segments


class _Segment:
    """A fixed-length run of literal code points and ``_`` wildcards."""

    __slots__ = ("length", "literal", "regex")

    def __init__(self, items: list[str | None]) -> None:
        self.length = len(items)
        self.literal: str | None = None
        self.regex: re.Pattern[str] | None = None
        if None in items:
            source = "".join("." if c is None else re.escape(c) for c in items)
            self.regex = re.compile(source, re.DOTALL)
        else:
            self.literal = "".join(c for c in items if c is not None)

    def at(self, text: str, pos: int) -> bool:
        """Whether the segment matches at ``pos`` (the caller checked the length)."""
        if self.literal is not None:
            return text.startswith(self.literal, pos)
        assert self.regex is not None
        return self.regex.match(text, pos) is not None

    def find(self, text: str, low: int, high: int) -> int:
        """The leftmost ``p >= low`` where the segment matches within ``text[:high]``, or -1."""
        if self.literal is not None:
            return text.find(self.literal, low, high)
        assert self.regex is not None
        match = self.regex.search(text, low, high)
        return -1 if match is None else match.start()


@lru_cache(maxsize=512)
def compile_like(pattern: str, case_insensitive: bool = False) -> Matcher:
    """A function telling whether a whole string matches the LIKE (or ILIKE) ``pattern``."""
    parsed = parse_like(fold_ascii(pattern) if case_insensitive else pattern)
    matcher = _build(parsed)
    if not case_insensitive:
        return matcher

    def ilike(text: str) -> bool:
        return matcher(fold_ascii(text))

    return ilike


def _build(parsed: list[list[str | None]]) -> Matcher:
    segments = [_Segment(items) for items in parsed]
    first, last = segments[0], segments[-1]
    if len(segments) == 1:
        return _exact(first)
    middle = [s for s in segments[1:-1] if s.length]
    simple = first.literal is not None and last.literal is not None
    if simple and not middle:
        return _prefix_suffix(first.literal or "", last.literal or "")
    if simple and len(middle) == 1 and not first.length and not last.length:
        needle = middle[0].literal
        if needle is not None:
            return lambda text: needle in text
    minimum = sum(s.length for s in segments)
    first_length, last_length = first.length, last.length

    def like(text: str) -> bool:
        size = len(text)
        if size < minimum or not first.at(text, 0):
            return False
        low, high = first_length, size - last_length
        for segment in middle:
            found = segment.find(text, low, high)
            if found < 0:
                return False
            low = found + segment.length
        return last.at(text, high)

    return like


def _exact(segment: _Segment) -> Matcher:
    literal = segment.literal
    if literal is not None:
        return lambda text: text == literal
    length = segment.length
    return lambda text: len(text) == length and segment.at(text, 0)


def _prefix_suffix(prefix: str, suffix: str) -> Matcher:
    if not suffix:
        return lambda text: text.startswith(prefix)
    if not prefix:
        return lambda text: text.endswith(suffix)
    minimum = len(prefix) + len(suffix)
    return lambda text: (
        len(text) >= minimum and text.startswith(prefix) and text.endswith(suffix)
    )


def compile_pattern(op: Operator, pattern: str) -> Matcher:
    """The test of ``value op pattern`` on a non-null string value."""
    if op is Operator.LIKE:
        return compile_like(pattern)
    if op is Operator.ILIKE:
        return compile_like(pattern, True)
    if op is Operator.CONTAINS:
        return lambda text: pattern in text
    if op is Operator.STARTS_WITH:
        return lambda text: text.startswith(pattern)
    if op is Operator.ENDS_WITH:
        return lambda text: text.endswith(pattern)
    raise ValueError(f"unknown pattern operator {op!r}")
