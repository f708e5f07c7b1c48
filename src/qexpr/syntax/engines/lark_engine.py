"""The lark engine: ``grammar/q.lark`` with lark's basic lexer and LALR(1) parser.

Two lark objects are built from the one grammar file, once per process, on first use (lark is
imported only then, never by ``import qexpr``):

* a lexer-only ``Lark(parser=None, lexer="basic")``: lark keeps every terminal only in this mode,
  and the grammar's error terminals (``BAD_STRING``, ``BAD_NUMBER``, ``FOREIGN_OP``,
  ``BAD_CHAR``) are used by no rule; it also keeps its lexer, where a parsing ``Lark`` would
  rebuild one on every ``.lex()`` call;
* an LALR parser ``Lark(parser="lalr", lexer="basic")`` whose rule callbacks build the AST while
  parsing (an inline transformer: no parse tree is ever built).

The parser is fed the common tokens (converted back to lark tokens) through lark's interactive
parser, so limits, literal decoding and lexical errors stay in the shared scanner. A literal
token carries its decoded value (``literals[token.start]``) as its lark ``value``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from decimal import Decimal
from importlib import resources
from typing import Any

from qexpr.syntax import ast
from qexpr.syntax.engine import Engine, LiteralValues, ParseFailure
from qexpr.syntax.tokens import NAME_KINDS, Token, TokenKind

K = TokenKind

#: Where the grammar lives inside the package (a symlink to the repository's grammar/q.lark).
GRAMMAR_PACKAGE = "qexpr.syntax"
GRAMMAR_RESOURCE = ("grammar", "q.lark")

#: lark terminal name -> common token kind. Valid terminals are named like their kind; the
#: error terminals all become ERROR.
_KIND_OF_TERMINAL: dict[str, TokenKind] = {
    **{kind.name: kind for kind in TokenKind if kind not in (K.ERROR, K.EOF)},
    "BAD_STRING": K.ERROR,
    "BAD_NUMBER": K.ERROR,
    "FOREIGN_OP": K.ERROR,
    "BAD_CHAR": K.ERROR,
    "$END": K.EOF,
}

#: Common token kind -> lark terminal name for the parser. ERROR is a name no parser state has
#: an action for, so the parser stops at the first ERROR token it reaches.
_TERMINAL_OF_KIND: dict[TokenKind, str] = {
    **{kind: kind.name for kind in TokenKind},
    K.EOF: "$END",
}

#: The value a literal token stands for when the scanner could not decode it (the scanner's
#: error is reported instead of any AST, but the parse still has to go on to find its index).
_LITERAL_FALLBACK: dict[TokenKind, object] = {
    K.STRING: "",
    K.NUMBER: Decimal(0),
    K.DURATION: (0, ast.DurationUnit.S),
}

_COMPARE_OPS: dict[str, ast.CompareOp] = {
    "EQ": ast.CompareOp.EQ,
    "NE": ast.CompareOp.NE,
    "LT": ast.CompareOp.LT,
    "LE": ast.CompareOp.LE,
    "GT": ast.CompareOp.GT,
    "GE": ast.CompareOp.GE,
}
_PATTERN_OPS: dict[str, ast.PatternOp] = {
    "LIKE": ast.PatternOp.LIKE,
    "ILIKE": ast.PatternOp.ILIKE,
    "CONTAINS": ast.PatternOp.CONTAINS,
    "STARTS_WITH": ast.PatternOp.STARTS_WITH,
    "ENDS_WITH": ast.PatternOp.ENDS_WITH,
}


def grammar_text() -> str:
    """The text of ``q.lark`` as installed with the package."""
    resource = resources.files(GRAMMAR_PACKAGE)
    for part in GRAMMAR_RESOURCE:
        resource = resource.joinpath(part)
    return resource.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- AST callbacks


class _AstBuilder:
    """Rule callbacks, called by lark's LALR parser on each reduction (an inline transformer).

    Each method is named after a rule or an ``-> alias`` of ``q.lark`` and receives the rule's
    children: lark tokens (``value`` = the text, or the decoded literal; ``start_pos`` and
    ``end_pos`` = code-point span) and the nodes built for sub-rules. Rules marked ``?`` with a
    single child never get here (lark passes the child up). Stateless, so thread-safe.
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
        true = ast.Boolean(True, start=path.start, end=path.end)
        return ast.Comparison(path, ast.CompareOp.EQ, true, start=path.start, end=path.end)

    def comparison(self, children: list[Any]) -> ast.Comparison:
        path, op, operand = children
        return ast.Comparison(
            path, _COMPARE_OPS[op.type], operand, start=path.start, end=operand.end
        )

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
        return ast.PatternMatch(
            path, _PATTERN_OPS[op.type], pattern, negated, start=path.start, end=string.end_pos
        )

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
        return ast.Shift(
            1 if sign.type == "PLUS" else -1, duration, start=sign.start_pos, end=token.end_pos
        )

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
        return ast.Path(
            tuple(segments), tuple(spans), start=first.start_pos, end=children[-1].end_pos
        )


# --------------------------------------------------------------------------- lark objects


class _LarkParts:
    """The lark objects and classes the engine uses, built once."""

    def __init__(self) -> None:
        from lark import Lark
        from lark import Token as LarkToken
        from lark.exceptions import UnexpectedCharacters, UnexpectedInput
        from lark.parsers.lalr_analysis import Shift
        from lark.utils import TextSlice

        grammar = grammar_text()
        self.lexer: Any = Lark(grammar, start="query", parser=None, lexer="basic")
        self.parser: Any = Lark(
            grammar,
            start="query",
            parser="lalr",
            lexer="basic",
            maybe_placeholders=False,
            transformer=_AstBuilder(),
        )
        self.token: Any = LarkToken
        self.unexpected_input: type[Exception] = UnexpectedInput
        self.unexpected_characters: Any = UnexpectedCharacters
        self.text_slice: Any = TextSlice
        self.shift: Any = Shift


_parts: _LarkParts | None = None
_parts_lock = threading.Lock()


def _lark() -> _LarkParts:
    global _parts
    parts = _parts
    if parts is None:
        with _parts_lock:
            parts = _parts
            if parts is None:
                parts = _parts = _LarkParts()
    return parts


# --------------------------------------------------------------------------- lexing


def lex(lexer: Any, text: str) -> list[Token]:
    """Common tokens (no EOF) from the lark lexer-only ``Lark`` object ``lexer``; never raises.

    The grammar's ``BAD_CHAR`` terminal matches any code point, so lark cannot meet a character
    it has no terminal for; were it to (``UnexpectedCharacters``), that character becomes an
    ERROR token and lexing resumes after it.
    """
    parts = _lark()
    kinds = _KIND_OF_TERMINAL
    tokens: list[Token] = []
    append = tokens.append
    source: Any = text
    while True:
        try:
            for item in lexer.lex(source):
                append(Token(kinds[item.type], item.value, item.start_pos, item.end_pos))
        except parts.unexpected_characters as exc:
            position: int = exc.pos_in_stream
            append(Token(K.ERROR, text[position], position, position + 1))
            source = parts.text_slice(text, position + 1, len(text))
        else:
            return tokens


# --------------------------------------------------------------------------- parsing


def _lark_tokens(parts: _LarkParts, tokens: Sequence[Token], literals: LiteralValues) -> list[Any]:
    """The common tokens as lark tokens (EOF as ``$END``); literals carry their decoded value."""
    make = parts.token
    names = _TERMINAL_OF_KIND
    fallback = _LITERAL_FALLBACK
    out: list[Any] = []
    append = out.append
    for token in tokens:
        kind = token.kind
        value: object = token.text
        if kind in fallback:
            value = literals.get(token.start, fallback[kind])
        append(make(names[kind], value, token.start, None, None, None, None, token.end))
    if not tokens or tokens[-1].kind is not K.EOF:
        end = tokens[-1].end if tokens else 0
        append(make("$END", "", end, None, None, None, None, end))
    return out


def _expected(parts: _LarkParts, stream: list[Any], index: int) -> frozenset[TokenKind]:
    """The token kinds the parser could accept at ``stream[index]``.

    Replays the accepted tokens to get the LR stack before the failure, then tries each terminal
    the top state has an action for: LALR tables merge look-aheads, so an action may be a reduce
    that fails later; only terminals that reach a shift (or, for end of input, the accepting
    state) count.
    """
    interactive = parts.parser.parse_interactive()
    for item in stream[:index]:
        interactive.feed_token(item)
    conf = interactive.parser_state.parse_conf
    states, end_state, shift = conf.states, conf.end_state, parts.shift
    found: set[TokenKind] = set()
    for terminal in interactive.choices():
        kind = _KIND_OF_TERMINAL.get(terminal)
        if kind is None:
            continue  # a rule name (goto entry)
        stack = list(interactive.parser_state.state_stack)
        while True:
            action = states[stack[-1]].get(terminal)
            if action is None:
                break
            if action[0] is shift:
                found.add(kind)
                break
            rule = action[1]
            if rule.expansion:
                del stack[-len(rule.expansion) :]
            stack.append(states[stack[-1]][rule.origin.name][1])
            if terminal == "$END" and stack[-1] == end_state:
                found.add(kind)
                break
    return _conventional(found, index)


def _conventional(found: set[TokenKind], index: int) -> frozenset[TokenKind]:
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


class LarkEngine(Engine):
    """``grammar/q.lark`` run by lark: basic lexer, LALR(1) parser with AST callbacks."""

    name = "lark"

    def tokenize(self, text: str) -> list[Token]:
        tokens = lex(_lark().lexer, text)
        tokens.append(Token(K.EOF, "", len(text), len(text)))
        return tokens

    def parse_tokens(self, text: str, tokens: Sequence[Token], literals: LiteralValues) -> ast.Expr:
        parts = _lark()
        stream = _lark_tokens(parts, tokens, literals)
        feed = parts.parser.parse_interactive().parser_state.feed_token
        last = len(stream) - 1
        index = 0
        try:
            while index < last:
                feed(stream[index])
                index += 1
            result = feed(stream[last], True)
        except parts.unexpected_input:
            raise ParseFailure(index, _expected(parts, stream, index)) from None
        if result is None:
            return ast.MatchAll(start=0, end=len(text))
        tree: ast.Expr = result
        return tree
