"""``parse()``: q text to AST with any engine, with one error model for all of them.

Steps, the same for every engine: length limit; the engine's lexer; the shared scan (token
limits, literal decoding, lexical errors); the engine's parser; the first error in source order
wins; then the AST-level limits (predicate count, IN list size).

The native engine offers a one-pass parse (its ``parse_fast(text, limits)``) that does all of
the above for a valid filter in one go and returns ``None`` for anything else -- any error, any
limit exceeded, token-level or AST-level; ``parse`` tries it first and runs the steps above only
when it gives up, so every error still comes from them: they rerun the same parser in its
diagnostic mode (see :mod:`qexpr.syntax.engines.native`). The lark and ANTLR engines, exact
references of the grammars, have no one pass.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Literal

from qexpr.errors import CODE_PRECEDENCE, ErrorCode, QError
from qexpr.limits import DEFAULT_LIMITS, Limits
from qexpr.syntax import ast
from qexpr.syntax.engine import Engine, ParseFailure
from qexpr.syntax.scan import clip, scan_tokens
from qexpr.syntax.tokens import (
    COMPARE_OPS,
    FOREIGN_OPERATORS,
    KEYWORDS,
    PATTERN_OPS,
    Token,
    TokenKind,
    friendly,
)

EngineName = Literal["native", "lark", "antlr"]
ENGINE_NAMES: tuple[str, ...] = ("native", "lark", "antlr")

#: The native engine's one pass (``parse_fast(text, limits)``): exactly the AST the steps
#: below would return -- every limit enforced -- or ``None`` to run them (they alone report
#: errors). ``text`` is within the length limit.
FastPath = Callable[[str, Limits], "ast.Expr | None"]

_engines: dict[str, Engine] = {}
_fast_paths: dict[str, FastPath | None] = {}
_engines_lock = threading.Lock()


def get_engine(name: str) -> Engine:
    """The engine called ``name``, created on first use (lark and ANTLR import lazily)."""
    engine = _engines.get(name)
    if engine is not None:
        return engine
    with _engines_lock:
        engine = _engines.get(name)
        if engine is None:
            engine = _create_engine(name)
            _fast_paths[name] = getattr(engine, "parse_fast", None)
            _engines[name] = engine
    return engine


def _create_engine(name: str) -> Engine:
    if name == "native":
        from qexpr.syntax.engines.native import NativeEngine

        return NativeEngine()
    if name == "lark":
        from qexpr.syntax.engines.lark_engine import LarkEngine

        return LarkEngine()
    if name == "antlr":
        from qexpr.syntax.engines.antlr_engine import AntlrEngine

        return AntlrEngine()
    raise ValueError(f"unknown parser engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}")


def parse(text: str, engine: EngineName | str = "native", limits: Limits | None = None) -> ast.Expr:
    """Parse q text into an AST (syntax only, no schema). Raises :class:`QError`."""
    limits = _admit(text, limits)
    parser = get_engine(engine)
    fast = _fast_paths.get(engine)
    if fast is not None:
        tree = fast(text, limits)
        if tree is not None:
            return tree
    return _pipeline(text, parser, limits)


def parse_full(
    text: str, engine: EngineName | str = "native", limits: Limits | None = None
) -> ast.Expr:
    """:func:`parse` without the engine's fast path: the reference every fast path must match."""
    limits = _admit(text, limits)
    return _pipeline(text, get_engine(engine), limits)


def _admit(text: str, limits: Limits | None) -> Limits:
    """The limits to apply, once ``text`` is known to be a string within the length limit."""
    if not isinstance(text, str):
        raise TypeError(f"q must be a str, not {type(text).__name__}")
    limits = limits or DEFAULT_LIMITS
    if len(text) > limits.max_length:
        raise QError(
            ErrorCode.LIMIT_EXCEEDED,
            f"the filter is longer than {limits.max_length} characters",
            source=text,
            start=limits.max_length,
            end=len(text),
            hint=f"limit length = {limits.max_length}",
        )
    return limits


def _pipeline(text: str, parser: Engine, limits: Limits) -> ast.Expr:
    """The steps of the module docstring, after the length limit."""
    tokens = parser.tokenize(text)
    scanned = scan_tokens(text, tokens, limits)
    try:
        tree = parser.parse_tokens(text, tokens, scanned.literals)
    except ParseFailure as failure:
        lexical = scanned.first_error
        if lexical is not None and lexical.index <= failure.index:
            parse_error = syntax_error(text, tokens, failure)
            if lexical.index < failure.index or lexical.before or (
                CODE_PRECEDENCE[lexical.error.code] <= CODE_PRECEDENCE[parse_error.code]
            ):
                raise lexical.error from None
            raise parse_error from None
        raise syntax_error(text, tokens, failure) from None
    if scanned.first_error is not None:
        raise scanned.first_error.error
    check_tree_limits(text, tree, limits)
    return tree


# --------------------------------------------------------------------------- syntax errors

_OPERATOR_KINDS = frozenset({*COMPARE_OPS, *PATTERN_OPS, TokenKind.IN, TokenKind.BETWEEN,
                             TokenKind.IS})
_VALUE_KINDS = frozenset({
    TokenKind.STRING, TokenKind.NUMBER, TokenKind.TRUE, TokenKind.FALSE, TokenKind.NULL,
    TokenKind.NOW,
})
_ORDER = (
    "a field name", "a value", "an operator", "a string", "a duration", "a number",
    "`(`", "`)`", "`,`", "`]`", "AND", "OR", "NOT", "any(", "all(", "NULL", "end of input",
)


def describe_expected(expected: frozenset[TokenKind]) -> tuple[str, ...]:
    """A short, friendly list of what could come next."""
    names: set[str] = set()
    if len(expected & _OPERATOR_KINDS) >= 3:
        names.add("an operator")
        expected = expected - _OPERATOR_KINDS - {TokenKind.NOT}
    if len(expected & _VALUE_KINDS) >= 3:
        names.add("a value")
        expected = expected - _VALUE_KINDS - {TokenKind.MINUS}
    quiet = {TokenKind.DOT, TokenKind.LBRACKET, TokenKind.PLUS, TokenKind.MINUS}
    if expected - quiet:
        expected = expected - quiet
    for kind in expected:
        names.add(friendly(kind))
    rank = {name: i for i, name in enumerate(_ORDER)}
    return tuple(sorted(names, key=lambda n: (rank.get(n, len(rank)), n)))


def syntax_error(text: str, tokens: Sequence[Token], failure: ParseFailure) -> QError:
    """The ``syntax_error`` for a parse that stopped at ``tokens[failure.index]``."""
    token = tokens[min(failure.index, len(tokens) - 1)]
    expected = describe_expected(failure.expected)
    hint: str | None = None
    if token.kind is TokenKind.EOF:
        message = "unexpected end of input"
        if expected:
            message += f", expected {_or_list(expected)}"
    else:
        message = f"unexpected {_describe_token(token)}"
        if expected:
            message += f", expected {_or_list(expected)}"
        lowered = token.text.lower()
        if token.kind is TokenKind.IDENT and lowered in FOREIGN_OPERATORS:
            hint = f"use {FOREIGN_OPERATORS[lowered]} instead of {token.text}"
        elif token.kind is TokenKind.IDENT and "a value" in expected:
            hint = f'to compare with text, quote it: "{token.text}"'
        elif token.kind is TokenKind.IDENT and "an operator" in expected:
            hint = "conditions are combined with AND / OR; there is no implicit AND"
        elif token.kind is TokenKind.DURATION and "a value" in expected:
            hint = "a duration only shifts a time: now() - " + token.text
        elif token.kind in _VALUE_KINDS and "a field name" in expected:
            hint = "a condition starts with a field name, e.g. duration_ms > 1000"
    return QError(
        ErrorCode.SYNTAX_ERROR,
        message,
        source=text,
        start=token.start,
        end=token.end,
        expected=expected,
        hint=hint,
    )


def _describe_token(token: Token) -> str:
    if token.kind is TokenKind.STRING:
        return "string " + clip(token.text)
    if token.kind in (TokenKind.NUMBER, TokenKind.DURATION):
        return f"{'number' if token.kind is TokenKind.NUMBER else 'duration'} {clip(token.text)}"
    if token.kind is TokenKind.IDENT:
        return f"name `{clip(token.text)}`"
    if token.text.lower() in KEYWORDS:
        return f"keyword {token.text.upper()}"
    return f"`{clip(token.text)}`"


def _or_list(items: tuple[str, ...]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


# --------------------------------------------------------------------------- AST limits


def check_tree_limits(text: str, tree: ast.Expr, limits: Limits) -> None:
    """Enforce the predicate count and IN-list size (the AST is already depth-bounded)."""
    stack: list[ast.Expr] = [tree]
    order: list[ast.Expr] = []
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.And, ast.Or)):
            stack.extend(reversed(node.operands))
            continue
        if isinstance(node, ast.Not):
            stack.append(node.operand)
            continue
        if isinstance(node, ast.MatchAll):
            continue
        order.append(node)
        if isinstance(node, ast.Quantified):
            stack.append(node.condition)
    # ``order`` is in source order (pre-order, left to right).
    for count, node in enumerate(order, start=1):
        if count > limits.max_predicates:
            raise QError(
                ErrorCode.LIMIT_EXCEEDED,
                f"the filter has more than {limits.max_predicates} conditions",
                source=text,
                start=node.start,
                end=node.end,
                hint=f"limit predicates = {limits.max_predicates}",
            )
        if isinstance(node, ast.InList) and len(node.values) > limits.max_in_values:
            extra = node.values[limits.max_in_values]
            raise QError(
                ErrorCode.LIMIT_EXCEEDED,
                f"an IN list may hold at most {limits.max_in_values} values",
                source=text,
                start=extra.start,
                end=extra.end,
                hint=f"limit in_values = {limits.max_in_values}",
            )
