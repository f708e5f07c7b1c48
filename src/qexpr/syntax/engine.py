"""The contract every parser engine fulfils.

An engine does two things with its own machinery:

1. ``tokenize(text)`` lexes the whole text into common :class:`~qexpr.syntax.tokens.Token`
   objects (whitespace dropped, a final ``EOF`` token with ``start == end == len(text)``). It
   never raises: text that is not a token becomes an ``ERROR`` token (an unknown character, a
   foreign operator such as ``==``, a malformed number run such as ``7dx``, an unterminated
   string from its quote to the end). Tokens are formed by longest match, independently of any
   parser state, so every engine must produce exactly the same list for the same text.
2. ``parse_tokens(text, tokens, literals)`` parses that list into an AST
   (:mod:`qexpr.syntax.ast`), or raises :class:`ParseFailure` naming the index of the first token
   at which no parse can continue. ``ERROR`` tokens are never valid. ``literals`` maps a literal
   token's start offset to its decoded value (``str`` for STRING, ``Decimal`` for NUMBER,
   ``(amount, DurationUnit)`` for DURATION), already checked by the shared scanner.

Everything else (limits, literal decoding, whitespace inside paths, error messages and spans,
predicate counting) is done once in :mod:`qexpr.syntax.parser` for all engines.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

from qexpr.syntax.ast import Expr
from qexpr.syntax.tokens import NAME_KINDS, Token, TokenKind

LiteralValues = Mapping[int, object]


class ParseFailure(Exception):
    """An engine's parser stopped at ``tokens[index]``; ``expected`` lists what could follow."""

    def __init__(self, index: int, expected: frozenset[TokenKind] = frozenset()) -> None:
        super().__init__(index)
        self.index = index
        self.expected = expected


def conventional(found: set[TokenKind], index: int) -> frozenset[TokenKind]:
    """An engine's expected kinds at ``tokens[index]``, worded as every engine words them.

    * After a dot, any identifier (keywords included) is a path segment: say "a field name"
      (IDENT) rather than listing every keyword.
    * The empty query is valid, so end of input could replace the first token; a non-empty
      query that fails there wanted a condition, and end of input is not listed.
    * ERROR tokens are never valid, so never expected.
    """
    if found >= NAME_KINDS:
        found = (found - NAME_KINDS) | {TokenKind.IDENT}
    if index == 0:
        found.discard(TokenKind.EOF)
    found.discard(TokenKind.ERROR)
    return frozenset(found)


class Engine(ABC):
    """A lexer plus a parser producing the common AST."""

    name: str

    @abstractmethod
    def tokenize(self, text: str) -> list[Token]:
        """Lex ``text`` into common tokens ending with EOF; never raises."""

    @abstractmethod
    def parse_tokens(self, text: str, tokens: Sequence[Token], literals: LiteralValues) -> Expr:
        """Parse the tokens into an AST, or raise :class:`ParseFailure`."""
