"""Tokens shared by every parser engine.

Each engine lexes with its own machinery (one regular expression, lark, ANTLR) and converts the
result into this common form, so limits, literal decoding and error reporting are computed once,
identically, for all engines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from qexpr.operators import Family, Operator


class TokenKind(IntEnum):
    """Kinds of token; ``ERROR`` is any text that is not a token (reported as ``syntax_error``)."""

    LPAREN = 1
    RPAREN = 2
    LBRACKET = 3
    RBRACKET = 4
    COMMA = 5
    DOT = 6
    MINUS = 7
    PLUS = 8
    EQ = 9
    NE = 10
    LT = 11
    LE = 12
    GT = 13
    GE = 14
    AND = 20
    OR = 21
    NOT = 22
    IN = 23
    BETWEEN = 24
    LIKE = 25
    ILIKE = 26
    CONTAINS = 27
    STARTS_WITH = 28
    ENDS_WITH = 29
    IS = 30
    NULL = 31
    TRUE = 32
    FALSE = 33
    ANY = 34
    ALL = 35
    NOW = 36
    IDENT = 40
    STRING = 41
    NUMBER = 42
    DURATION = 43
    ERROR = 50
    EOF = 60


class Kinds:
    """``TokenKind``'s members as plain class attributes, for hot loops: reading
    ``TokenKind.X`` goes through the enum metaclass, several times slower than this."""

    LPAREN = TokenKind.LPAREN
    RPAREN = TokenKind.RPAREN
    LBRACKET = TokenKind.LBRACKET
    RBRACKET = TokenKind.RBRACKET
    COMMA = TokenKind.COMMA
    DOT = TokenKind.DOT
    MINUS = TokenKind.MINUS
    PLUS = TokenKind.PLUS
    EQ = TokenKind.EQ
    NE = TokenKind.NE
    LT = TokenKind.LT
    LE = TokenKind.LE
    GT = TokenKind.GT
    GE = TokenKind.GE
    AND = TokenKind.AND
    OR = TokenKind.OR
    NOT = TokenKind.NOT
    IN = TokenKind.IN
    BETWEEN = TokenKind.BETWEEN
    LIKE = TokenKind.LIKE
    ILIKE = TokenKind.ILIKE
    CONTAINS = TokenKind.CONTAINS
    STARTS_WITH = TokenKind.STARTS_WITH
    ENDS_WITH = TokenKind.ENDS_WITH
    IS = TokenKind.IS
    NULL = TokenKind.NULL
    TRUE = TokenKind.TRUE
    FALSE = TokenKind.FALSE
    ANY = TokenKind.ANY
    ALL = TokenKind.ALL
    NOW = TokenKind.NOW
    IDENT = TokenKind.IDENT
    STRING = TokenKind.STRING
    NUMBER = TokenKind.NUMBER
    DURATION = TokenKind.DURATION
    ERROR = TokenKind.ERROR
    EOF = TokenKind.EOF


#: Keywords and reserved names, by their lower-case spelling (the kinds from AND to NOW).
KEYWORDS: dict[str, TokenKind] = {
    kind.name.lower(): kind for kind in TokenKind if TokenKind.AND <= kind <= TokenKind.NOW
}

#: The comparison operator each token kind stands for (token kinds are named like operators).
COMPARE_OPS: dict[TokenKind, Operator] = {
    TokenKind[op.name]: op for op in Operator if op.family is Family.COMPARISON
}
#: The pattern operator each token kind stands for.
PATTERN_OPS: dict[TokenKind, Operator] = {
    TokenKind[op.name]: op for op in Operator if op.family is Family.PATTERN
}

#: Kinds that may serve as a path segment after a dot (any identifier, keywords included).
NAME_KINDS = frozenset({TokenKind.IDENT, *KEYWORDS.values()})

#: Fixed spellings of punctuation and operators.
PUNCTUATION: dict[str, TokenKind] = {
    "(": TokenKind.LPAREN,
    ")": TokenKind.RPAREN,
    "[": TokenKind.LBRACKET,
    "]": TokenKind.RBRACKET,
    ",": TokenKind.COMMA,
    ".": TokenKind.DOT,
    "-": TokenKind.MINUS,
    "+": TokenKind.PLUS,
    "=": TokenKind.EQ,
    "!=": TokenKind.NE,
    "<": TokenKind.LT,
    "<=": TokenKind.LE,
    ">": TokenKind.GT,
    ">=": TokenKind.GE,
}

#: Operators from other languages, lexed as ERROR tokens, with what to write instead.
FOREIGN_OPERATORS: dict[str, str] = {
    "==": "=",
    "<>": "!=",
    "&&": "AND",
    "||": "OR",
    "!": "NOT (or != for inequality)",
    "&": "AND",
    "|": "OR",
    "eq": "=",
    "ne": "!=",
    "neq": "!=",
    "gt": ">",
    "ge": ">=",
    "gte": ">=",
    "lt": "<",
    "le": "<=",
    "lte": "<=",
}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its exact text, and its code-point span in the q text.

    ``value`` is a literal's decoded value where a parser needs it (see
    :func:`qexpr.syntax.assemble.with_values`); it stays out of equality.
    """

    kind: TokenKind
    text: str
    start: int
    end: int
    value: object = field(default=None, compare=False, hash=False, repr=False)

    def __str__(self) -> str:
        """The token's text (a lark token made from this one is a string of it)."""
        return self.text


def friendly(kind: TokenKind) -> str:
    """How an error message names a token kind (never an internal token name)."""
    return _FRIENDLY.get(kind, kind.name)


_FRIENDLY: dict[TokenKind, str] = {
    **{kind: f"`{text}`" for text, kind in PUNCTUATION.items()},
    **{kind: word.upper() for word, kind in KEYWORDS.items()},
    TokenKind.NULL: "null",
    TokenKind.TRUE: "true",
    TokenKind.FALSE: "false",
    TokenKind.ANY: "any(",
    TokenKind.ALL: "all(",
    TokenKind.NOW: "now()",
    TokenKind.IDENT: "a field name",
    TokenKind.STRING: "a string",
    TokenKind.NUMBER: "a number",
    TokenKind.DURATION: "a duration",
    TokenKind.EOF: "end of input",
}
