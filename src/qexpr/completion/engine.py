"""``complete()``: what may be typed at a cursor position in q text, ranked for an editor.

The text before the cursor is tokenized once (the native tokenizer), the partial word under
the cursor set aside, and the remaining tokens run through a small state machine
(:mod:`qexpr.completion.machine`); the machine's state names what may come next. Nothing is
parsed twice and no exception is raised for any text.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING

from qexpr.completion.candidates import Candidate, candidates
from qexpr.completion.machine import Machine, ResKind, State
from qexpr.completion.model import Completion, make_completion
from qexpr.syntax.engines.native import tokenize
from qexpr.syntax.tokens import NAME_KINDS, Token, TokenKind

if TYPE_CHECKING:
    from qexpr.schema.model import Schema

__all__ = ["complete"]

K = TokenKind
_PARTIAL_KINDS = frozenset({*NAME_KINDS, K.NUMBER, K.DURATION})
_WORD_TAIL = re.compile(r"[A-Za-z0-9_]*")
_NO_SPACE_AFTER = frozenset({K.LPAREN, K.LBRACKET, K.DOT})
_CALLS = frozenset({K.ANY, K.ALL, K.NOW, K.LPAREN})
_SEGMENT = re.compile(r"[_ .]")
_RANK = itemgetter(0, 1)


def complete(
    q: str,
    cursor: int | None = None,
    schema: Schema | None = None,
    scopes: Collection[str] = (),
) -> list[Completion]:
    """The completions at ``cursor`` (default: the end of ``q``), best first.

    Each :class:`Completion` replaces ``q[start:end]``, the partial word under the cursor (or
    nothing), with its ``text``. Suggested: the fields and relations of the record in scope
    (inside ``any(node_runs, ...)`` the node run's; after ``model.`` the model's; nothing
    inside json values), to-many relations as ``any(rel, `` snippets, the operators the type
    of the field just typed allows, keywords, ``)`` and ``,`` where they fit, and values where
    they help (``true``/``false``, ``now()``, ``NULL`` after IS). Fields needing a scope not in
    ``scopes`` are left out. Inside a string literal, or after a syntax error before the
    cursor, the list is empty. Raises ``ValueError`` only for a cursor outside ``0..len(q)``.
    """
    if not isinstance(q, str):
        raise TypeError(f"q must be a str, not {type(q).__name__}")
    if cursor is None:
        cursor = len(q)
    elif isinstance(cursor, bool) or not isinstance(cursor, int):
        raise TypeError(f"cursor must be an int, not {type(cursor).__name__}")
    if not 0 <= cursor <= len(q):
        raise ValueError(f"cursor {cursor} is outside the text (0..{len(q)})")
    if schema is None:
        from qexpr.schema.run import RUN_SCHEMA

        schema = RUN_SCHEMA
    scope_set = frozenset((scopes,)) if isinstance(scopes, str) else frozenset(scopes)

    tokens = tokenize(q[:cursor])
    tokens.pop()  # EOF
    partial: Token | None = None
    if tokens and tokens[-1].end == cursor and tokens[-1].kind in _PARTIAL_KINDS:
        partial = tokens.pop()
    machine = Machine(schema, scope_set)
    for token in tokens:
        if not machine.feed(token):
            return []

    ranked: list[tuple[int, int, Candidate, int, int]] = []
    if partial is None:
        _add(ranked, machine, q, cursor, cursor, "", 0)
    else:
        tail = _WORD_TAIL.match(q, cursor)
        end = tail.end() if tail is not None else cursor
        _add(ranked, machine, q, partial.start, end, partial.text, 0)
        if end == cursor:  # a whole word: also what may follow it
            after = machine.copy()
            if after.feed(partial) and _is_whole(after):
                _add(ranked, after, q, cursor, cursor, "", 4)
    if partial is not None:
        ranked.sort(key=_RANK)
    out: list[Completion] = []
    seen: set[tuple[str, int, int]] = set()
    for _, _, (label, text, kind, detail), start, end in ranked:
        key = (text, start, end)
        if key in seen:
            continue
        seen.add(key)
        out.append(make_completion(text, kind, start, end, detail, label, len(out)))
    return out


def _is_whole(machine: Machine) -> bool:
    """After feeding the word: it is a complete token here (a known name, a keyword, ...)."""
    if machine.state == State.PATH:
        return machine.path.kind not in (ResKind.UNKNOWN, ResKind.FORBIDDEN)
    return True


def _add(
    out: list[tuple[int, int, Candidate, int, int]],
    machine: Machine,
    q: str,
    start: int,
    end: int,
    word: str,
    base: int,
) -> None:
    last = machine.last
    adjacent = last is not None and last.end == start
    lowered = word.lower()
    replacing = bool(word)
    for index, candidate in enumerate(candidates(machine, q, start, adjacent)):
        label, text, kind, detail = candidate
        span_start = start
        if replacing:
            label_lower, text_lower, parts = _folded(label, text)
            if label_lower == lowered:
                match = 0
            elif label_lower.startswith(lowered) or text_lower.startswith(lowered):
                match = 1
            elif any(part.startswith(lowered) for part in parts):
                match = 2
            else:
                continue
        else:
            match = 0
            if adjacent and last is not None and _needs_space(last.kind, text):
                text = " " + text
                candidate = (label, text, kind, detail)
        if machine.state == State.PATH_DOT and kind == "relation" and text.endswith(", "):
            span_start = machine.path_start  # any(model.pricing, replaces model.pr
        out.append((base + match, index, candidate, span_start, end))


@lru_cache(maxsize=4096)
def _folded(label: str, text: str) -> tuple[str, str, tuple[str, ...]]:
    """Lower-case label and text, and the label's later words (``failure_code`` -> ``code``),
    which a partial word may also match."""
    lowered = label.lower()
    return lowered, text.lower(), tuple(_SEGMENT.split(lowered)[1:])


def _needs_space(previous: TokenKind, text: str) -> bool:
    """Whether ``text`` typed right after a token of kind ``previous`` needs a space first
    (so that it does not merge with it, and reads as canonical q)."""
    first = text[0]
    if first in "),].[":
        return False
    if first == "(":
        return previous not in _CALLS
    return previous not in _NO_SPACE_AFTER
