"""The lark engine: ``grammar/q.lark`` run by lark's basic lexer and LALR(1) parser.

Only lark's documented API is used, so any ``lark>=1.2,<2`` runs it:

* tokenizing is ``Lark.lex()`` on a lexer-only ``Lark(parser=None, lexer="basic")``: lark keeps
  every terminal only in this mode, and the grammar's error terminals (``BAD_STRING``,
  ``BAD_NUMBER``, ``FOREIGN_OP``, ``BAD_CHAR``) are used by no rule;
* parsing is ``Lark.parse()`` on ``Lark(parser="lalr", lexer=TokenFeed, transformer=...)``: the
  custom lexer (a documented ``lark.lexer.Lexer`` subclass) hands lark the common tokens as lark
  ``Token`` objects, and the transformer builds the AST while parsing (no parse tree is built)
  by calling, for each production, its function in :mod:`qexpr.syntax.assemble`;
* a failure is lark's ``UnexpectedToken``: its ``token`` says where the parse stopped; an
  interactive parser (``Lark.parse_interactive``) fed the tokens before it says, by
  ``accepts()`` (the terminals that really advance the parser, unlike the table's
  ``expected``), what could have come instead.

Limits, literal decoding and lexical errors stay in the shared scanner: each lark token's
``value`` is the common token, a literal one carrying its decoded value.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator, Sequence
from importlib import resources
from typing import Any

from qexpr.syntax import ast
from qexpr.syntax.assemble import PRODUCTIONS, root, with_values
from qexpr.syntax.engine import Engine, LiteralValues, ParseFailure, conventional
from qexpr.syntax.tokens import Token, TokenKind

K = TokenKind

#: Where the grammar lives inside the package (a symlink to the repository's grammar/q.lark).
GRAMMAR_PACKAGE = "qexpr.syntax"
GRAMMAR_RESOURCE = ("grammar", "q.lark")

#: lark terminal name -> common token kind. Valid terminals are named like their kind; the
#: error terminals all become ERROR.
KIND_OF_TERMINAL: dict[str, TokenKind] = {
    **{kind.name: kind for kind in TokenKind if kind not in (K.ERROR, K.EOF)},
    "BAD_STRING": K.ERROR,
    "BAD_NUMBER": K.ERROR,
    "FOREIGN_OP": K.ERROR,
    "BAD_CHAR": K.ERROR,
    "$END": K.EOF,
}

#: The lark terminal of an end of input (lark adds it after the last token it is given).
END = "$END"


def grammar_text() -> str:
    """The text of ``q.lark`` as installed with the package."""
    resource = resources.files(GRAMMAR_PACKAGE)
    for part in GRAMMAR_RESOURCE:
        resource = resource.joinpath(part)
    return resource.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- lark objects


class LarkParts:
    """The two ``Lark`` objects and the lark classes the engine uses (lark imported here)."""

    def __init__(self) -> None:
        from lark import Lark, Transformer, Tree
        from lark import Token as LarkToken
        from lark.exceptions import UnexpectedToken
        from lark.lexer import Lexer

        class AstBuilder(Transformer):  # type: ignore[misc]
            """The AST-building transformer, applied by the LALR parser on each reduction."""

            def __default__(self, data: str, children: list[Any], meta: object) -> Any:
                """Build rule ``data``'s node from its children by :mod:`assemble`. A rule
                without a node of its own (``now``, ``shift``, lark's helper rules) stays a
                ``Tree`` whose tokens are spliced into its parent's children."""
                items: list[Any] = []
                for child in children:
                    if isinstance(child, Tree):
                        items.extend(child.children)
                    else:
                        items.append(child.value if isinstance(child, LarkToken) else child)
                production = PRODUCTIONS.get(data)
                return Tree(data, items) if production is None else production(items)

        class TokenFeed(Lexer):  # type: ignore[misc]
            """A custom lexer that yields the lark tokens ``Lark.parse`` is given."""

            def __init__(self, lexer_conf: object) -> None:
                """Nothing to configure: the tokens come ready."""

            def lex(self, data: Sequence[Any]) -> Iterator[Any]:
                return iter(data)

        grammar = grammar_text()
        self.lexer: Any = Lark(grammar, start="query", parser=None, lexer="basic")
        self.parser: Any = Lark(
            grammar,
            start="query",
            parser="lalr",
            lexer=TokenFeed,
            maybe_placeholders=False,
            transformer=AstBuilder(),
        )
        self.token: Any = LarkToken
        self.unexpected_token: type[Exception] = UnexpectedToken


_parts: LarkParts | None = None
_parts_lock = threading.Lock()


def lark_parts() -> LarkParts:
    """The lark objects, built on first use (so ``import qexpr`` never imports lark)."""
    global _parts
    parts = _parts
    if parts is None:
        with _parts_lock:
            parts = _parts
            if parts is None:
                parts = _parts = LarkParts()
    return parts


# --------------------------------------------------------------------------- lexing


def lex(lexer: Any, text: str) -> list[Token]:
    """Common tokens (no EOF) from ``lexer.lex(text)`` (a lexer-only ``Lark``). It never raises:
    the grammar's ``BAD_CHAR`` terminal matches any code point no other terminal matches."""
    kinds = KIND_OF_TERMINAL
    return [Token(kinds[item.type], item.value, item.start_pos, item.end_pos)
            for item in lexer.lex(text)]


# --------------------------------------------------------------------------- parsing


def lark_tokens(parts: LarkParts, tokens: Sequence[Token], literals: LiteralValues) -> list[Any]:
    """The common tokens (a final EOF left out: lark adds its own) as lark ``Token`` objects.

    Types are the grammar's terminal names; ERROR is a name no parser state has an action for,
    so the parse stops at the first ERROR token it reaches. The value is the common token.
    """
    make = parts.token
    return [make(token.kind.name, token, token.start, None, None, None, None, token.end)
            for token in with_values(tokens, literals) if token.kind is not K.EOF]


def failure(parts: LarkParts, stream: Sequence[Any], error: Any) -> ParseFailure:
    """The :class:`ParseFailure` for lark's ``UnexpectedToken`` ``error`` on ``stream``.

    The expected kinds are those the parser accepts (``InteractiveParser.accepts()``) after the
    tokens before the failure: lark may reduce before it finds that a token has no action
    (always so at end of input), so a new interactive parser is fed those tokens rather than
    the failed one taken as it stopped.
    """
    stopped = error.token
    if stopped.type == END:
        index = len(stream)
    else:  # the tokens' starts are increasing (every token but EOF is non-empty)
        index = bisect.bisect_left([item.start_pos for item in stream], stopped.start_pos)
    interactive = parts.parser.parse_interactive()
    for item in stream[:index]:
        interactive.feed_token(item)
    found = {KIND_OF_TERMINAL[name] for name in interactive.accepts() if name in KIND_OF_TERMINAL}
    return ParseFailure(index, conventional(found, index))


class LarkEngine(Engine):
    """``grammar/q.lark`` run by lark: basic lexer, LALR(1) parser with an AST transformer."""

    name = "lark"

    def tokenize(self, text: str) -> list[Token]:
        tokens = lex(lark_parts().lexer, text)
        tokens.append(Token(K.EOF, "", len(text), len(text)))
        return tokens

    def parse_tokens(self, text: str, tokens: Sequence[Token], literals: LiteralValues) -> ast.Expr:
        parts = lark_parts()
        stream = lark_tokens(parts, tokens, literals)
        try:
            result = parts.parser.parse(stream)
        except parts.unexpected_token as error:
            raise failure(parts, stream, error) from None
        return root(result, text)
