"""The lark engine: ``grammar/q.lark`` run by lark's basic lexer and LALR(1) parser.

Only lark's documented API is used, so any ``lark>=1.2,<2`` runs it:

* tokenizing is ``Lark.lex()`` on a lexer-only ``Lark(parser=None, lexer="basic")``: lark keeps
  every terminal only in this mode, and the grammar's error terminals (``BAD_STRING``,
  ``BAD_NUMBER``, ``FOREIGN_OP``, ``BAD_CHAR``) are used by no rule;
* parsing is ``Lark.parse()`` on ``Lark(parser="lalr", lexer=TokenFeed, transformer=...)``: the
  custom lexer (a documented ``lark.lexer.Lexer`` subclass) hands lark the common tokens as lark
  ``Token`` objects, and the transformer builds the AST while parsing (no parse tree is built);
* a failure is lark's ``UnexpectedToken``: its ``token`` says where the parse stopped; an
  interactive parser (``Lark.parse_interactive``) fed the tokens before it says, by
  ``accepts()`` (the terminals that really advance the parser, unlike the table's
  ``expected``), what could have come instead.

Limits, literal decoding and lexical errors stay in the shared scanner: a literal token reaches
the parser with its decoded value (``literals[token.start]``) as its ``value``.

The fast path (:meth:`LarkEngine.parse_fast`, tried first by ``parse``) skips the common tokens
and the scan in between: lark's own tokens from ``Lark.lex()`` go to the same parser once
:func:`fast_checks` finds nothing the scanner would report. It gives up on anything else, so
the pipeline alone reports errors and both give the same AST.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator, Sequence
from decimal import Decimal
from importlib import resources
from typing import Any

from qexpr.errors import QError
from qexpr.limits import Limits
from qexpr.operators import Operator
from qexpr.syntax import ast
from qexpr.syntax.engine import Engine, LiteralValues, ParseFailure
from qexpr.syntax.literals import LiteralError, decode_string, parse_duration, parse_number
from qexpr.syntax.scan import scan_tokens
from qexpr.syntax.tokens import NAME_KINDS, Token, TokenKind
from qexpr.syntax.tree_limits import check_tree_limits

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

#: The value a literal token stands for when the scanner could not decode it (the scanner's
#: error is reported instead of any AST, but the parse still has to go on to find its index).
LITERAL_FALLBACK: dict[TokenKind, object] = {
    K.STRING: "",
    K.NUMBER: Decimal(0),
    K.DURATION: (0, ast.DurationUnit.S),
}

COMPARE_OPS: dict[str, Operator] = {
    "EQ": Operator.EQ,
    "NE": Operator.NE,
    "LT": Operator.LT,
    "LE": Operator.LE,
    "GT": Operator.GT,
    "GE": Operator.GE,
}
PATTERN_OPS: dict[str, Operator] = {
    "LIKE": Operator.LIKE,
    "ILIKE": Operator.ILIKE,
    "CONTAINS": Operator.CONTAINS,
    "STARTS_WITH": Operator.STARTS_WITH,
    "ENDS_WITH": Operator.ENDS_WITH,
}


def grammar_text() -> str:
    """The text of ``q.lark`` as installed with the package."""
    resource = resources.files(GRAMMAR_PACKAGE)
    for part in GRAMMAR_RESOURCE:
        resource = resource.joinpath(part)
    return resource.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- AST building


class AstMethods:
    """The transformer's methods: one per rule or ``-> alias`` of ``q.lark``.

    Each receives the rule's children: lark tokens (``type``; ``value`` = the text, or the
    decoded literal; ``start_pos`` and ``end_pos`` = code-point span) and the nodes built for
    sub-rules. ``?`` rules with a single child never get here (lark passes the child up), and
    the helper rules of ``(...)*`` are spliced into their parent's children by lark. Stateless,
    so one instance serves every thread. Mixed into a ``lark.Transformer`` when lark is loaded.
    """

    # -- logic --------------------------------------------------------------------------------

    def query(self, children: list[Any]) -> ast.Expr | None:
        return children[0] if children else None

    def or_expr(self, children: list[Any]) -> ast.Expr:
        operands: list[ast.Expr] = children[0::2]
        return ast.disjoin(operands, start=operands[0].start, end=operands[-1].end)

    def and_expr(self, children: list[Any]) -> ast.Expr:
        operands: list[ast.Expr] = children[0::2]
        return ast.conjoin(operands, start=operands[0].start, end=operands[-1].end)

    def negation(self, children: list[Any]) -> ast.Not:
        not_token, operand = children
        return ast.Not(operand, start=not_token.start_pos, end=operand.end)

    def group(self, children: list[Any]) -> ast.Expr:
        inner: ast.Expr = children[1]
        return inner

    # -- predicates ---------------------------------------------------------------------------

    def bare_path(self, children: list[Any]) -> ast.Comparison:
        path: ast.Path = children[0]
        start, end = path.start, path.end
        true = ast.Boolean(True, start=start, end=end)
        return ast.Comparison(path, Operator.EQ, true, start=start, end=end)

    def comparison(self, children: list[Any]) -> ast.Comparison:
        path, op, operand = children
        return ast.Comparison(path, COMPARE_OPS[op.type], operand, start=path.start,
                              end=operand.end)

    def in_list(self, children: list[Any]) -> ast.InList:
        path: ast.Path = children[0]
        negated = children[1].type == "NOT"
        # ... IN ( value , value ,? ): the values are every other child from the first one
        values: tuple[ast.Value, ...] = tuple(children[4 if negated else 3 : -1 : 2])
        return ast.InList(path, values, negated, start=path.start, end=children[-1].end_pos)

    def between(self, children: list[Any]) -> ast.Between:
        path: ast.Path = children[0]
        negated = children[1].type == "NOT"
        low, high = children[-3], children[-1]
        return ast.Between(path, low, high, negated, start=path.start, end=high.end)

    def pattern_match(self, children: list[Any]) -> ast.PatternMatch:
        path: ast.Path = children[0]
        negated = children[1].type == "NOT"
        op, string = children[-2], children[-1]
        pattern = ast.String(string.value, start=string.start_pos, end=string.end_pos)
        return ast.PatternMatch(path, PATTERN_OPS[op.type], pattern, negated, start=path.start,
                                end=string.end_pos)

    def is_null(self, children: list[Any]) -> ast.IsNull:
        path: ast.Path = children[0]
        negated = children[2].type == "NOT"
        return ast.IsNull(path, negated, start=path.start, end=children[-1].end_pos)

    def quantifier(self, children: list[Any]) -> ast.Quantified:
        head, _open, path, _comma, condition, close = children
        kind = ast.QuantifierKind.ANY if head.type == "ANY" else ast.QuantifierKind.ALL
        return ast.Quantified(kind, path, condition, start=head.start_pos, end=close.end_pos)

    # -- values -------------------------------------------------------------------------------

    def string(self, children: list[Any]) -> ast.String:
        token = children[0]
        return ast.String(token.value, start=token.start_pos, end=token.end_pos)

    def number(self, children: list[Any]) -> ast.Number:
        token = children[0]
        return ast.Number(token.value, start=token.start_pos, end=token.end_pos)

    def negative_number(self, children: list[Any]) -> ast.Number:
        minus, token = children
        # copy_negate() is exact; unary minus would round to the context's 28 digits.
        value: Decimal = token.value.copy_negate()
        return ast.Number(value, start=minus.start_pos, end=token.end_pos)

    def true(self, children: list[Any]) -> ast.Boolean:
        token = children[0]
        return ast.Boolean(True, start=token.start_pos, end=token.end_pos)

    def false(self, children: list[Any]) -> ast.Boolean:
        token = children[0]
        return ast.Boolean(False, start=token.start_pos, end=token.end_pos)

    def null(self, children: list[Any]) -> ast.Null:
        token = children[0]
        return ast.Null(start=token.start_pos, end=token.end_pos)

    def now(self, children: list[Any]) -> ast.Now:
        return ast.Now(start=children[0].start_pos, end=children[-1].end_pos)

    def time_expr(self, children: list[Any]) -> ast.TimeExpr:
        first = children[0]
        base: ast.Now | ast.String
        if isinstance(first, ast.Now):
            base = first
        else:  # a STRING token
            base = ast.String(first.value, start=first.start_pos, end=first.end_pos)
        shifts: tuple[ast.Shift, ...] = tuple(children[1:])
        end = shifts[-1].end if shifts else base.end
        return ast.TimeExpr(base, shifts, start=base.start, end=end)

    def shift(self, children: list[Any]) -> ast.Shift:
        sign, token = children
        amount, unit = token.value
        duration = ast.Duration(amount, unit, start=token.start_pos, end=token.end_pos)
        return ast.Shift(1 if sign.type == "PLUS" else -1, duration, start=sign.start_pos,
                         end=token.end_pos)

    def path(self, children: list[Any]) -> ast.Path:
        first = children[0]
        segments: list[str] = [first.value]
        spans: list[tuple[int, int]] = [(first.start_pos, first.end_pos)]
        index, count = 1, len(children)
        while index < count:
            segment = children[index + 1]  # after DOT: the name; after LBRACKET: the STRING
            segments.append(segment.value)
            spans.append((segment.start_pos, segment.end_pos))
            index += 2 if children[index].type == "DOT" else 3
        return ast.Path(tuple(segments), tuple(spans), start=first.start_pos,
                        end=children[-1].end_pos)


# --------------------------------------------------------------------------- lark objects


class LarkParts:
    """The two ``Lark`` objects and the lark classes the engine uses (lark imported here)."""

    def __init__(self) -> None:
        from lark import Lark, Token, Transformer
        from lark.exceptions import UnexpectedCharacters, UnexpectedToken
        from lark.lexer import Lexer

        class AstBuilder(AstMethods, Transformer):  # type: ignore[misc]
            """The AST-building transformer, applied by the LALR parser on each reduction."""

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
        self.token: Any = Token
        self.unexpected_token: type[Exception] = UnexpectedToken
        self.unexpected_characters: Any = UnexpectedCharacters


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
    """Common tokens (no EOF) from ``lexer.lex(text)`` (a lexer-only ``Lark``); never raises.

    The grammar's ``BAD_CHAR`` terminal matches any code point, so lark cannot meet a character
    it has no terminal for; were it to (``UnexpectedCharacters``), that character becomes an
    ERROR token and lexing resumes after it.
    """
    unexpected = lark_parts().unexpected_characters
    kinds = KIND_OF_TERMINAL
    tokens: list[Token] = []
    offset = 0
    while True:
        try:
            for item in lexer.lex(text[offset:] if offset else text):
                tokens.append(Token(kinds[item.type], item.value, offset + item.start_pos,
                                    offset + item.end_pos))
        except unexpected as exc:
            position = offset + int(exc.pos_in_stream)
            tokens.append(Token(K.ERROR, text[position], position, position + 1))
            offset = position + 1
        else:
            return tokens


# --------------------------------------------------------------------------- parsing


def lark_tokens(parts: LarkParts, tokens: Sequence[Token], literals: LiteralValues) -> list[Any]:
    """The common tokens (a final EOF left out: lark adds its own) as lark ``Token`` objects.

    Types are the grammar's terminal names; ERROR is a name no parser state has an action for,
    so the parse stops at the first ERROR token it reaches. A literal's value is the decoded
    one.
    """
    make = parts.token
    fallback = LITERAL_FALLBACK
    out: list[Any] = []
    for token in tokens:
        kind = token.kind
        if kind is K.EOF:
            break
        value: object = token.text
        if kind in fallback:
            value = literals.get(token.start, fallback[kind])
        out.append(make(kind.name, value, token.start, None, None, None, None, token.end))
    return out


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


def conventional(found: set[TokenKind], index: int) -> frozenset[TokenKind]:
    """Word the expected set as every engine does (so error messages do not depend on it).

    * After a dot, any identifier (keywords included) is a path segment: say "a field name"
      (IDENT) rather than listing every keyword.
    * The empty query is valid, so lark would accept end of input in place of the first token;
      a non-empty query that fails there wanted a condition, and end of input is not listed.
    """
    if found >= NAME_KINDS:
        found = (found - NAME_KINDS) | {K.IDENT}
    if index == 0:
        found.discard(K.EOF)
    return frozenset(found)


# --------------------------------------------------------------------------- the fast path

#: What the fast path checks of each lark terminal it meets (an unlisted one: nothing).
_STRING, _NUMBER, _DURATION, _OPEN, _HEAD, _PATH_INNER, _PATH_CLOSE, _ERROR = range(8)
FAST_ROLES: dict[str, int] = {
    "STRING": _STRING,
    "NUMBER": _NUMBER,
    "DURATION": _DURATION,
    "LPAREN": _OPEN,  # parentheses and NOTs: what the nesting count may count
    "NOT": _OPEN,
    "ANY": _HEAD,
    "ALL": _HEAD,
    "DOT": _PATH_INNER,  # no whitespace before or after
    "LBRACKET": _PATH_INNER,
    "RBRACKET": _PATH_CLOSE,  # no whitespace before (a path may end after it)
    "BAD_STRING": _ERROR,
    "BAD_NUMBER": _ERROR,
    "FOREIGN_OP": _ERROR,
    "BAD_CHAR": _ERROR,
}


def fast_checks(engine: LarkEngine, text: str, items: list[Any], limits: Limits) -> bool:
    """Whether the shared scanner would find nothing wrong with lark's tokens ``items`` of
    ``text``; on the way, each literal token's ``value`` becomes the decoded literal.

    The scanner's checks (:func:`qexpr.syntax.scan.scan_tokens`) for the one case that matters
    here, a filter without any error: no error terminal; every literal decodes, by the same
    functions, within the string length limit; no whitespace next to path punctuation (in a
    filter that parses, ``.``, ``[`` and ``]`` only occur inside paths, where the scanner
    rejects it). Nesting is bounded by the number of parentheses and NOTs, quantifier nesting
    by the number of quantifier heads; only when a bound exceeds its limit is the exact count
    asked of the scanner itself.
    """
    roles = FAST_ROLES
    max_string = limits.max_string_length
    opens = heads = 0
    end = items[0].start_pos if items else 0  # where the previous token ended
    inner = False  # the previous token was a DOT or an LBRACKET
    try:
        for item in items:
            role = roles.get(item.type)
            if item.start_pos != end and (inner or role in (_PATH_INNER, _PATH_CLOSE)):
                return False
            end = item.end_pos
            inner = role == _PATH_INNER
            if role is None or role >= _PATH_INNER:
                if role == _ERROR:
                    return False
            elif role == _STRING:
                value = decode_string(item.value, item.start_pos)
                if len(value) > max_string:
                    return False
                item.value = value
            elif role == _NUMBER:
                item.value = parse_number(item.value, item.start_pos)
            elif role == _DURATION:
                item.value = parse_duration(item.value)
            elif role == _OPEN:
                opens += 1
            else:
                heads += 1
    except LiteralError:
        return False
    if opens > limits.max_depth or heads > limits.max_quantifier_depth:
        try:
            scanned = scan_tokens(text, engine.tokenize(text), limits)
        except QError:
            return False
        return scanned.first_error is None
    return True


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
        if result is None:
            return ast.MatchAll(start=0, end=len(text))
        tree: ast.Expr = result
        return tree

    def parse_fast(self, text: str, limits: Limits) -> ast.Expr | None:
        """A valid filter's AST with lark's own tokens, or None to leave it to the pipeline.

        lark's tokens of ``text`` go to the parser as they are (literals decoded in place,
        :func:`fast_checks`), without the common tokens and the shared scan in between; the
        AST is the pipeline's. Anything :func:`fast_checks` doubts, a syntax error or an
        exceeded tree limit gives up: every error is the pipeline's to report.
        """
        parts = lark_parts()
        try:
            items = list(parts.lexer.lex(text))
        except parts.unexpected_characters:  # pragma: no cover - BAD_CHAR matches anything
            return None
        if not fast_checks(self, text, items, limits):
            return None
        try:
            result = parts.parser.parse(items)
        except parts.unexpected_token:
            return None
        tree: ast.Expr = ast.MatchAll(start=0, end=len(text)) if result is None else result
        try:
            check_tree_limits(text, tree, limits)
        except QError:
            return None
        return tree
