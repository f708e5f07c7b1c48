"""Checks on the token list shared by every engine: limits, literal decoding, lexical errors.

Runs after an engine has lexed and before it parses, so that limits are enforced before any
expensive work and all engines report the same error for the same text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from qexpr.errors import ErrorCode, QError
from qexpr.limits import Limits
from qexpr.syntax.literals import (
    LiteralError,
    decode_string,
    is_duration_text,
    is_number_text,
    parse_duration,
    parse_number,
)
from qexpr.syntax.tokens import FOREIGN_OPERATORS, KEYWORDS, NAME_KINDS, Token, TokenKind
from qexpr.syntax.tokens import Kinds as K

_PREFIX_NOT_AFTER = frozenset({K.LPAREN, K.COMMA, K.AND, K.OR, K.NOT})
_OPERAND_END = frozenset({K.AND, K.OR, K.COMMA})
_QUANTIFIER_HEADS = (K.ANY, K.ALL)
#: Any two adjacent tokens of a path: the left one opens a segment or the right one is
#: punctuation of a path (the gap rule's cheap pre-test).
_SEGMENT_OPENERS = frozenset({K.DOT, K.LBRACKET})
_PATH_PUNCTUATION = frozenset({K.DOT, K.LBRACKET, K.RBRACKET})
#: Kinds the loop has nothing to do for (but the path-gap test after it).
_PLAIN = frozenset(set(TokenKind) - {K.LPAREN, K.RPAREN, K.NOT, K.STRING, K.NUMBER,
                                     K.DURATION, K.ERROR} - _OPERAND_END)
_TOO_DEEP = "the filter nests more than {} levels deep (parentheses, NOT and quantifiers)"


@dataclass(slots=True)
class TokenError:
    """A lexical problem found at ``tokens[index]`` (``before`` = in the gap before it)."""

    index: int
    before: bool
    error: QError

    @property
    def order(self) -> tuple[int, int]:
        """Source order: a gap before a token comes before the token itself."""
        return (self.index, 0 if self.before else 1)


@dataclass(slots=True)
class ScanResult:
    """Decoded literal values by token start offset, and the first lexical error if any."""

    literals: dict[int, object] = field(default_factory=dict)
    first_error: TokenError | None = None


def scan_tokens(text: str, tokens: Sequence[Token], limits: Limits) -> ScanResult:
    """Enforce token-level limits (raising at once) and collect literals and the first error."""
    result = ScanResult()
    literals = result.literals
    errors: list[TokenError] = []
    # Nesting: one entry per open parenthesis: [pending prefix NOTs, is it a quantifier's?]
    stack: list[list[int]] = [[0, 0]]
    depth = 0  # open parentheses + pending prefix NOTs (a quantifier's parenthesis counts once)
    quantifiers = 0
    max_depth = limits.max_depth
    previous: Token | None = None
    joined: list[bool] | None = None  # _path_joins(tokens), computed at the first gap test
    for index, token in enumerate(tokens):
        kind = token.kind
        if kind in _PLAIN:
            pass
        elif kind is K.LPAREN:
            is_quantifier = previous is not None and previous.kind in _QUANTIFIER_HEADS
            stack.append([0, 1 if is_quantifier else 0])
            depth += 1
            if is_quantifier:
                quantifiers += 1
                if quantifiers > limits.max_quantifier_depth:
                    assert previous is not None
                    raise _limit(
                        text, previous, "quantifier nesting", limits.max_quantifier_depth,
                        "any()/all() may nest at most {} deep",
                    )
            if depth > max_depth:
                raise _limit(text, token, "nesting depth", max_depth, _TOO_DEEP)
        elif kind is K.RPAREN:
            if len(stack) > 1:
                pending, quantifier_paren = stack.pop()
                depth -= pending + 1
                quantifiers -= quantifier_paren
        elif kind is K.NOT and (previous is None or previous.kind in _PREFIX_NOT_AFTER):
            stack[-1][0] += 1
            depth += 1
            if depth > max_depth:
                raise _limit(text, token, "nesting depth", max_depth, _TOO_DEEP)
        elif kind in _OPERAND_END:
            depth -= stack[-1][0]
            stack[-1][0] = 0
        elif kind is K.STRING:
            try:
                value = decode_string(token.text, token.start)
            except LiteralError as exc:
                errors.append(TokenError(index, False, _literal(text, exc, ErrorCode.SYNTAX_ERROR)))
            else:
                if len(value) > limits.max_string_length:
                    raise _limit(text, token, "string length", limits.max_string_length,
                                 "a string literal may hold at most {} characters")
                literals[token.start] = value
        elif kind is K.NUMBER:
            try:
                literals[token.start] = parse_number(token.text, token.start)
            except LiteralError as exc:
                errors.append(TokenError(index, False, _literal(text, exc)))
        elif kind is K.DURATION:
            try:
                literals[token.start] = parse_duration(token.text)
            except LiteralError as exc:  # its span is relative to the token
                errors.append(TokenError(index, False, _literal(text, exc, offset=token.start)))
        elif kind is K.ERROR:
            errors.append(TokenError(index, False, _error_token(text, token)))
        if (
            previous is not None
            and previous.end != token.start
            and (kind in _PATH_PUNCTUATION or previous.kind in _SEGMENT_OPENERS)
        ):
            if joined is None:
                joined = _path_joins(tokens)
            if joined[index]:
                errors.append(TokenError(index, True, QError(
                    ErrorCode.SYNTAX_ERROR, "whitespace is not allowed inside a path",
                    source=text, start=previous.end, end=token.start,
                    hint="write paths without spaces, e.g. metadata.customer.tier or "
                         'metadata["team-id"]')))
        previous = token
    if errors:
        result.first_error = min(errors, key=lambda e: e.order)
    return result


def _path_joins(tokens: Sequence[Token]) -> list[bool]:
    """``joined[i]``: ``tokens[i - 1]`` and ``tokens[i]`` are consecutive tokens of one path.

    One pass: a path starts at an identifier (a keyword never lexes as one) and takes segments
    ``. NAME`` and ``[ STRING ]`` while they are complete. A later identifier inside a run is a
    segment of it, so the run from the first identifier covers every path through its tokens.
    """
    count = len(tokens)
    joined = [False] * (count + 1)
    i = 0
    while i < count:
        if tokens[i].kind is not K.IDENT:
            i += 1
            continue
        end = i + 1
        while end < count:
            kind = tokens[end].kind
            if kind is K.DOT and end + 1 < count and tokens[end + 1].kind in NAME_KINDS:
                end += 2
            elif (
                kind is K.LBRACKET
                and end + 2 < count
                and tokens[end + 1].kind is K.STRING
                and tokens[end + 2].kind is K.RBRACKET
            ):
                end += 3
            else:
                break
        for inside in range(i + 1, end):
            joined[inside] = True
        i = end
    return joined


def _limit(text: str, token: Token, name: str, value: int, message: str) -> QError:
    return QError(
        ErrorCode.LIMIT_EXCEEDED,
        message.format(value),
        source=text,
        start=token.start,
        end=token.end,
        hint=f"limit {name} = {value}",
    )


def _literal(text: str, exc: LiteralError, code: ErrorCode = ErrorCode.INVALID_LITERAL,
             offset: int = 0) -> QError:
    return QError(code, exc.message, source=text, start=offset + exc.start,
                  end=offset + exc.end, hint=exc.hint)


def _error_token(text: str, token: Token) -> QError:
    """Explain an ERROR token: unterminated string, bad number, foreign operator, odd character."""
    raw = token.text
    first = raw[0]
    start, end = token.start, token.end
    if first in "\"'":
        return QError(ErrorCode.SYNTAX_ERROR, "unterminated string (no closing quote)",
                      source=text, start=start, end=end,
                      hint=f"close the string with {first}")
    if first.isdigit():
        return QError(ErrorCode.SYNTAX_ERROR,
                      f"`{clip(raw)}` is not a number or a duration",
                      source=text, start=start, end=end, hint=_number_hint(raw))
    if raw in FOREIGN_OPERATORS:
        instead = FOREIGN_OPERATORS[raw]
        return QError(ErrorCode.SYNTAX_ERROR, f"`{raw}` is not an operator in q",
                      source=text, start=start, end=end, hint=f"use {instead} instead of {raw}")
    if first == "\x00":
        return QError(ErrorCode.SYNTAX_ERROR, "the character U+0000 is not allowed",
                      source=text, start=start, end=end)
    if "\ud800" <= first <= "\udfff":
        return QError(ErrorCode.SYNTAX_ERROR,
                      f"unexpected lone surrogate U+{ord(first):04X}",
                      source=text, start=start, end=end)
    shown = raw if raw.isprintable() else f"U+{ord(first):04X}"
    return QError(ErrorCode.SYNTAX_ERROR, f"unexpected character `{shown}`",
                  source=text, start=start, end=end, hint=_character_hint(first))


def _number_hint(raw: str) -> str:
    head = raw.rstrip("0123456789")
    lowered = raw.lower()
    if raw != lowered and (is_number_text(lowered) or is_duration_text(lowered)):
        return f"duration units are lower case: {lowered}"
    if raw.endswith("."):
        return "write a fraction with digits after the point, e.g. 1.0"
    if any(c.isalpha() for c in raw) and raw[0].isdigit():
        digits = raw.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
        if digits and is_number_text(digits) and raw[len(digits):].lower() in KEYWORDS:
            return f"put a space between {digits} and {raw[len(digits):]}"
    if head and "." in raw and is_duration_text(raw.replace(".", "", 1)):
        return "durations are whole numbers with a unit: ms s m h d w (e.g. 90m)"
    return "numbers look like 42, 1.5 or 2e-3; durations like 250ms, 90m, 7d"


def _character_hint(ch: str) -> str | None:
    if ch == ";":
        return "q has no statement separator; combine conditions with AND / OR"
    if ch == "*" or ch == "?":
        return 'use LIKE with % and _ for wildcards, e.g. name LIKE "abc%"'
    if ch == "#":
        return "q has no comments"
    if ch == "\u201c" or ch == "\u201d" or ch == "\u2018" or ch == "\u2019":
        return 'use straight quotes " or \' around strings'
    return None


def clip(raw: str, width: int = 30) -> str:
    """``raw``, cut to ``width`` characters with an ellipsis, for messages."""
    return raw if len(raw) <= width else raw[: width - 1] + "\u2026"
