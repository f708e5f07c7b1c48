"""The native engine: one regular-expression scanner and one recursive-descent parser.

:func:`scan` lexes into parallel lists (kinds, texts, starts); :func:`parse_fast` runs the
parser of :mod:`qexpr.syntax.engines.descent` once over them, and ``parse_tokens`` (the shared
pipeline's diagnostic pass, when the one pass gave up) runs the same parser again over the
pipeline's tokens, recording what was expected where it stopped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qexpr.limits import Limits
from qexpr.syntax import ast
from qexpr.syntax.engine import Engine, LiteralValues
from qexpr.syntax.engines.descent import GiveUp, Lists, Parser
from qexpr.syntax.tokens import KEYWORDS, PUNCTUATION, Token, TokenKind
from qexpr.syntax.tokens import Kinds as K

# (gap, word, number, duration, string, error): a word or an operator (longest match); a number
# or duration only as a whole digit run; a string closed by its first unescaped quote; else an
# unterminated string to the end, a malformed digit run, or any other character.
_TOKEN_RE = re.compile(
    r"""
    ([ \t\r\n]*+)
    (?:
      ([A-Za-z_][A-Za-z0-9_]*+|[(),\[\].+]|[<>!]=|==|<>|&&|\|\||[=<>!&|\-])
    | ([0-9]++(?:\.[0-9]++)?(?:[eE][+-]?[0-9]++)?)(?![A-Za-z0-9_.])
    | ([0-9]++(?:ms|[smhdw]))(?![A-Za-z0-9_.])
    | ("[^"\\]*+(?:\\.[^"\\]*+)*+"|'[^'\\]*+(?:\\.[^'\\]*+)*+')
    | (["'].*|[0-9](?:[eE][+-]|[A-Za-z0-9_.])*+|.)
    )
    """,
    re.VERBOSE | re.DOTALL,
)

#: Kinds of word tokens by their text: punctuation, keywords in the usual spellings, then
#: words as met (field names, odd keyword spellings), bounded -- a vocabulary is small.
_FIXED: dict[str, TokenKind] = dict(PUNCTUATION)
for _word, _kind in KEYWORDS.items():
    for _spelling in (_word, _word.upper(), _word.title()):
        _FIXED[_spelling] = _kind
_WORDS = dict(_FIXED)
_WORD_CACHE_SIZE = 4096
_WORD_CACHE_LENGTH = 64

def scan(text: str) -> Lists:
    """The tokens of ``text`` as parallel lists (kinds, texts, starts), ending with EOF.

    Longest match, independent of any parser state; text that is no token is an ERROR token.
    Two more EOF entries pad the lists so that looking two tokens ahead stays in range.
    """
    # Trailing whitespace is cut first: a failing match would rescan it at every position.
    found = _TOKEN_RE.findall(text.rstrip(" \t\r\n"))
    kinds: list[TokenKind] = []
    texts: list[str] = []
    starts: list[int] = []
    add_kind, add_text, add_start = kinds.append, texts.append, starts.append
    words = _WORDS
    position = 0
    for gap, word, number, duration, string, error in found:
        if gap:
            position += len(gap)
        add_start(position)
        if word:
            kind = words.get(word)
            add_kind(_word_kind(word) if kind is None else kind)
            add_text(word)
            position += len(word)
        elif string:
            add_kind(K.STRING)
            add_text(string)
            position += len(string)
        elif number:
            add_kind(K.NUMBER)
            add_text(number)
            position += len(number)
        elif duration:
            add_kind(K.DURATION)
            add_text(duration)
            position += len(duration)
        else:
            add_kind(K.ERROR)
            add_text(error)
            position += len(error)
    if kinds and kinds[-1] is K.ERROR and texts[-1][0] in "\"'":
        texts[-1] = text[starts[-1]:]  # an unterminated string runs to the very end
    end = len(text)
    kinds += (K.EOF, K.EOF, K.EOF)
    texts += ("", "", "")
    starts += (end, end, end)
    return kinds, texts, starts


def _word_kind(word: str) -> TokenKind:
    """IDENT or the keyword a word spells (remembered, bounded); ERROR for a foreign operator."""
    if not word[0].isalpha() and word[0] != "_":
        return K.ERROR
    kind = KEYWORDS.get(word.lower(), K.IDENT)
    if len(_WORDS) < _WORD_CACHE_SIZE and len(word) <= _WORD_CACHE_LENGTH:
        _WORDS[word] = kind
    return kind


def tokenize(text: str) -> list[Token]:
    """:func:`scan` as common :class:`Token` objects (what the shared pipeline checks)."""
    kinds, texts, starts = scan(text)
    count = len(kinds) - 2
    return [Token(kinds[i], texts[i], starts[i], starts[i] + len(texts[i])) for i in range(count)]


def parse_fast(text: str, limits: Limits) -> ast.Expr | None:
    """The one pass: the tree of a valid filter (every limit enforced), else ``None``."""
    try:
        return Parser(scan(text), None, limits).query()
    except GiveUp:
        return None

class NativeEngine(Engine):
    """Hand-written recursive descent over one regular-expression tokenizer."""

    name = "native"

    def tokenize(self, text: str) -> list[Token]:
        return tokenize(text)

    def parse_tokens(self, text: str, tokens: Sequence[Token], literals: LiteralValues) -> ast.Expr:
        lists: Lists = (
            [t.kind for t in tokens] + [K.EOF, K.EOF],
            [t.text for t in tokens] + ["", ""],
            [t.start for t in tokens] + [len(text), len(text)],
        )
        return Parser(lists, literals, None).query()

    #: The one pass; ``parse`` runs the diagnostic pipeline when it returns None.
    parse_fast = staticmethod(parse_fast)
