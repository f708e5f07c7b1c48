"""``complete()``: what may be typed at a cursor position in q text, ranked for an editor.

The text before the cursor is tokenized once (the native tokenizer) and the partial word under
the cursor set aside; the native parser's diagnostic pass then says what may come after the
remaining tokens (:mod:`qexpr.completion.site`), and again after the partial word when it is
whole. There is no grammar here, and no exception is raised for any text.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING

from qexpr.completion.candidates import Candidate, candidates
from qexpr.completion.model import Completion, make_completion
from qexpr.completion.site import ResKind, Role, Site, locate, path_gap
from qexpr.syntax.engines.native import scan
from qexpr.syntax.tokens import NAME_KINDS, TokenKind

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
_EOF3 = [K.EOF] * 3
_EMPTY3 = [""] * 3


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

    lists = scan(q[:cursor])
    kinds, texts, starts = lists
    count = len(kinds) - 3  # scan pads with three EOF entries
    if path_gap(lists):
        return []
    ranked: list[tuple[int, int, Candidate, int, int]] = []
    if count and kinds[count - 1] in _PARTIAL_KINDS and \
            starts[count - 1] + len(texts[count - 1]) == cursor:
        word = texts[count - 1]
        start = starts[count - 1]
        before = (kinds[: count - 1] + _EOF3, texts[: count - 1] + _EMPTY3,
                  starts[: count - 1] + [start] * 3)
        tail = _WORD_TAIL.match(q, cursor)
        end = tail.end() if tail is not None else cursor
        site = locate(q, before, start, schema, scope_set)
        if site is not None:
            _add(ranked, site, q, start, end, word, 0)
        if end == cursor:  # a whole word: also what may follow it
            after = locate(q, lists, cursor, schema, scope_set)
            if after is not None and _is_whole(after):
                _add(ranked, after, q, cursor, cursor, "", 4)
        ranked.sort(key=_RANK)
    else:
        site = locate(q, lists, cursor, schema, scope_set)
        return [] if site is None else _inserted(site, q, cursor)
    out: list[Completion] = []
    seen: set[tuple[str, int, int]] = set()
    for _, _, (label, text, kind, detail), start, end in ranked:
        key = (text, start, end)
        if key in seen:
            continue
        seen.add(key)
        out.append(make_completion(text, kind, start, end, detail, label, len(out)))
    return out


def _is_whole(site: Site) -> bool:
    """After the word: it is a complete token here (a known name, a keyword, ...)."""
    if K.DOT in site.expected:  # it ends a path
        return site.path.kind not in (ResKind.UNKNOWN, ResKind.FORBIDDEN)
    return True


def _inserted(site: Site, q: str, at: int) -> list[Completion]:
    """The completions inserted at ``at`` (no partial word: one list, nothing to rank)."""
    out: list[Completion] = []
    last = site.last if site.adjacent else None
    snippet_from = _snippet_from(site, at)
    for label, text, kind, detail in candidates(site, q, at):
        if last is not None and _needs_space(last, text):
            text = " " + text
        start = snippet_from if kind == "relation" and text.endswith(", ") else at
        out.append(make_completion(text, kind, start, at, detail, label, len(out)))
    return out


def _snippet_from(site: Site, start: int) -> int:
    """Where a snippet ``any(path, `` starts: it replaces the path typed so far
    (``any(model.pricing, `` for ``model.pr``)."""
    return site.path_start if site.last is K.DOT and site.path_role == Role.PRED else start


def _add(
    out: list[tuple[int, int, Candidate, int, int]],
    site: Site,
    q: str,
    start: int,
    end: int,
    word: str,
    base: int,
) -> None:
    last = site.last
    adjacent = site.adjacent
    lowered = word.lower()
    spaced = " " + lowered  # a later word of the label starts with it (see _folded)
    replacing = bool(word)
    snippet_from = _snippet_from(site, start)
    for index, candidate in enumerate(candidates(site, q, start)):
        label, text, kind, detail = candidate
        span_start = start
        if replacing:
            label_lower, text_lower, parts = _folded(label, text)
            if label_lower == lowered:
                match = 0
            elif label_lower.startswith(lowered) or text_lower.startswith(lowered):
                match = 1
            elif spaced in parts:
                match = 2
            else:
                continue
        else:
            match = 0
            if adjacent and last is not None and _needs_space(last, text):
                text = " " + text
                candidate = (label, text, kind, detail)
        if kind == "relation" and text.endswith(", "):
            span_start = snippet_from
        out.append((base + match, index, candidate, span_start, end))


@lru_cache(maxsize=4096)
def _folded(label: str, text: str) -> tuple[str, str, str]:
    """Lower-case label and text, and the label's later words (``failure_code`` -> ``code``),
    which a partial word may also match, each after a space (``" code"``: a word of q's
    characters is in it after a space exactly when one of them starts with it)."""
    lowered = label.lower()
    return lowered, text.lower(), "".join(" " + part for part in _SEGMENT.split(lowered)[1:])


def _needs_space(previous: TokenKind, text: str) -> bool:
    """Whether ``text`` typed right after a token of kind ``previous`` needs a space first
    (so that it does not merge with it, and reads as canonical q)."""
    first = text[0]
    if first in "),].[":
        return False
    if first == "(":
        return previous not in _CALLS
    return previous not in _NO_SPACE_AFTER
