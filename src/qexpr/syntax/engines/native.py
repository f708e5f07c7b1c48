"""The native engine: one compiled regular expression for tokens, recursive descent for the rest.

This is the default and fast path. The grammar it implements is spec section 3; the comments
name the production each method parses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from qexpr.operators import Operator
from qexpr.syntax import ast
from qexpr.syntax import fastnodes as nodes
from qexpr.syntax.engine import Engine, LiteralValues, ParseFailure
from qexpr.syntax.fastpath import parse_valid
from qexpr.syntax.literals import is_duration_text, is_number_text
from qexpr.syntax.tokens import (
    COMPARE_OPS,
    KEYWORDS,
    NAME_KINDS,
    PATTERN_OPS,
    PUNCTUATION,
    Token,
    TokenKind,
)
from qexpr.syntax.tokens import Kinds as K

# One alternation, tried left to right at each position; each branch is a longest match.
_TOKEN_RE = re.compile(
    r"""
      (?P<ws>[ \t\r\n]+)
    | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<unterminated>["'].*)
    | (?P<digits>[0-9](?:[eE][+-]|[A-Za-z0-9_.])*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op><=|>=|!=|==|<>|&&|\|\||[=<>!&|()\[\],.+\-])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_FOREIGN_SYMBOLS = frozenset({"==", "<>", "&&", "||", "!", "&", "|"})

_COMPARE_OPS = COMPARE_OPS
_PATTERN_OPS = PATTERN_OPS
_AFTER_NOT = frozenset({K.IN, K.BETWEEN, *_PATTERN_OPS})
_PREDICATE_OPS = frozenset({*_COMPARE_OPS, *_AFTER_NOT, K.NOT, K.IS})
_VALUE_START = frozenset({K.STRING, K.NUMBER, K.MINUS, K.TRUE, K.FALSE, K.NULL, K.NOW})


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens by longest match; text that is no token becomes ERROR."""
    tokens: list[Token] = []
    append = tokens.append
    keywords = KEYWORDS
    punctuation = PUNCTUATION
    make = nodes.token
    ident, error, string = K.IDENT, K.ERROR, K.STRING
    for match in _TOKEN_RE.finditer(text):
        group = match.lastgroup
        if group == "ws":
            continue
        value = match.group()
        start, end = match.span()
        if group == "word":
            append(make(keywords.get(value.lower(), ident), value, start, end))
        elif group == "op":
            kind = punctuation.get(value)
            append(make(error if kind is None else kind, value, start, end))
        elif group == "string":
            append(make(string, value, start, end))
        elif group == "digits":
            if is_number_text(value):
                kind = K.NUMBER
            elif is_duration_text(value):
                kind = K.DURATION
            else:
                kind = error
            append(make(kind, value, start, end))
        else:  # unterminated string, or any other character
            append(make(error, value, start, end))
    append(make(K.EOF, "", len(text), len(text)))
    return tokens


class _Parser:
    """Recursive descent over a token list; records what was expected at the furthest token."""

    __slots__ = ("expected", "literals", "pos", "tokens")

    def __init__(self, tokens: Sequence[Token], literals: LiteralValues) -> None:
        self.tokens = tokens
        self.literals = literals
        self.pos = 0
        self.expected: set[TokenKind] = set()

    # -- helpers ------------------------------------------------------------------------------

    def _peek(self) -> TokenKind:
        return self.tokens[self.pos].kind

    def _advance(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        self.expected = set()
        return token

    def _accept(self, kind: TokenKind) -> Token | None:
        if self.tokens[self.pos].kind is kind:
            return self._advance()
        self.expected.add(kind)
        return None

    def _expect(self, kind: TokenKind) -> Token:
        if self.tokens[self.pos].kind is kind:
            return self._advance()
        self.expected.add(kind)
        raise self._fail()

    def _fail(self, *also: TokenKind) -> ParseFailure:
        self.expected.update(also)
        return ParseFailure(self.pos, frozenset(self.expected))

    # -- grammar ------------------------------------------------------------------------------

    def query(self) -> ast.Expr:
        """query := or_expr? EOF"""
        if self._peek() is K.EOF:
            return ast.MatchAll(start=0, end=self.tokens[-1].end)
        expr = self.or_expr()
        if self._peek() is not K.EOF:
            raise self._fail(K.EOF)
        return expr

    def or_expr(self) -> ast.Expr:
        """or_expr := and_expr ("OR" and_expr)*"""
        first = self.and_expr()
        if self._accept(K.OR) is None:
            return first
        operands = [first, self.and_expr()]
        while self._accept(K.OR) is not None:
            operands.append(self.and_expr())
        return ast.disjoin(operands, start=first.start, end=operands[-1].end)

    def and_expr(self) -> ast.Expr:
        """and_expr := not_expr ("AND" not_expr)*"""
        first = self.not_expr()
        if self._accept(K.AND) is None:
            return first
        operands = [first, self.not_expr()]
        while self._accept(K.AND) is not None:
            operands.append(self.not_expr())
        return ast.conjoin(operands, start=first.start, end=operands[-1].end)

    def not_expr(self) -> ast.Expr:
        """not_expr := "NOT" not_expr | predicate"""
        not_token = self._accept(K.NOT)
        if not_token is None:
            return self.predicate()
        operand = self.not_expr()
        return ast.Not(operand, start=not_token.start, end=operand.end)

    def predicate(self) -> ast.Expr:
        """predicate := "(" or_expr ")" | quantifier | path [operator ...]"""
        kind = self._peek()
        if kind is K.LPAREN:
            self._advance()
            inner = self.or_expr()
            self._expect(K.RPAREN)
            return inner
        if kind is K.ANY or kind is K.ALL:
            return self.quantifier()
        if kind is not K.IDENT:
            raise self._fail(K.LPAREN, K.ANY, K.ALL, K.IDENT, K.NOT)
        path = self.path()
        return self.predicate_tail(path)

    def predicate_tail(self, path: ast.Path) -> ast.Expr:
        """The part of a predicate after its path."""
        kind = self._peek()
        compare = _COMPARE_OPS.get(kind)
        if compare is not None:
            self._advance()
            operand: ast.Value | ast.Path = (
                self.path() if self._peek() is K.IDENT else self.value(also=(K.IDENT,))
            )
            return ast.Comparison(path, compare, operand, start=path.start, end=operand.end)
        if kind is K.IS:
            self._advance()
            negated = self._accept(K.NOT) is not None
            null = self._expect(K.NULL)
            return ast.IsNull(path, negated, start=path.start, end=null.end)
        negated = False
        if kind is K.NOT:
            self._advance()
            negated = True
            kind = self._peek()
            if kind not in _AFTER_NOT:
                raise self._fail(*_AFTER_NOT)
        if kind is K.IN:
            return self.in_list(path, negated)
        if kind is K.BETWEEN:
            self._advance()
            low = self.value()
            self._expect(K.AND)
            high = self.value()
            return ast.Between(path, low, high, negated, start=path.start, end=high.end)
        pattern_op = _PATTERN_OPS.get(kind)
        if pattern_op is not None:
            self._advance()
            token = self._expect(K.STRING)
            pattern = ast.String(
                self._literal_str(token), start=token.start, end=token.end
            )
            return ast.PatternMatch(
                path, pattern_op, pattern, negated, start=path.start, end=token.end
            )
        # A bare path: the boolean field is true.
        self.expected.update(_PREDICATE_OPS)
        true = ast.Boolean(True, start=path.start, end=path.end)
        return ast.Comparison(path, Operator.EQ, true, start=path.start, end=path.end)

    def in_list(self, path: ast.Path, negated: bool) -> ast.InList:
        """path "NOT"? "IN" "(" value ("," value)* ","? ")" """
        self._advance()
        self._expect(K.LPAREN)
        values = [self.value()]
        while self._accept(K.COMMA) is not None:
            if self._peek() is K.RPAREN:
                break
            values.append(self.value(also=(K.RPAREN,)))
        close = self._expect(K.RPAREN)
        return ast.InList(path, tuple(values), negated, start=path.start, end=close.end)

    def quantifier(self) -> ast.Quantified:
        """quantifier := ("any" | "all") "(" path "," or_expr ")" """
        head = self._advance()
        kind = ast.QuantifierKind.ANY if head.kind is K.ANY else ast.QuantifierKind.ALL
        self._expect(K.LPAREN)
        if self._peek() is not K.IDENT:
            raise self._fail(K.IDENT)
        relation = self.path()
        self._expect(K.COMMA)
        condition = self.or_expr()
        close = self._expect(K.RPAREN)
        return ast.Quantified(kind, relation, condition, start=head.start, end=close.end)

    def path(self) -> ast.Path:
        """path := IDENT ("." NAME | "[" string "]")*"""
        first = self._advance()  # callers checked it is an IDENT
        segments = [first.text]
        spans = [(first.start, first.end)]
        end = first.end
        tokens = self.tokens
        while True:
            kind = tokens[self.pos].kind
            if kind is K.DOT:
                self._advance()
                name = tokens[self.pos]
                if name.kind not in NAME_KINDS:
                    raise self._fail(K.IDENT)
                self._advance()
                segments.append(name.text)
                spans.append((name.start, name.end))
                end = name.end
            elif kind is K.LBRACKET:
                self._advance()
                key = self._expect(K.STRING)
                close = self._expect(K.RBRACKET)
                segments.append(self._literal_str(key))
                spans.append((key.start, key.end))
                end = close.end
            else:
                self.expected.update((K.DOT, K.LBRACKET))
                return ast.Path(
                    tuple(segments), tuple(spans), start=first.start, end=end
                )

    def value(self, also: tuple[TokenKind, ...] = ()) -> ast.Value:
        """value := string | "-"? number | "true" | "false" | "null" | time_expr"""
        token = self.tokens[self.pos]
        kind = token.kind
        if kind is K.STRING:
            self._advance()
            text = ast.String(self._literal_str(token), start=token.start, end=token.end)
            if self._peek() in (K.PLUS, K.MINUS):
                return self.time_shifts(text)
            self.expected.update((K.PLUS, K.MINUS))
            return text
        if kind is K.NUMBER:
            self._advance()
            return ast.Number(self._literal_number(token), start=token.start, end=token.end)
        if kind is K.MINUS:
            self._advance()
            number = self._expect(K.NUMBER)
            return ast.Number(
                self._literal_number(number).copy_negate(), start=token.start, end=number.end
            )
        if kind is K.TRUE or kind is K.FALSE:
            self._advance()
            return ast.Boolean(kind is K.TRUE, start=token.start, end=token.end)
        if kind is K.NULL:
            self._advance()
            return ast.Null(start=token.start, end=token.end)
        if kind is K.NOW:
            self._advance()
            self._expect(K.LPAREN)
            close = self._expect(K.RPAREN)
            now = ast.Now(start=token.start, end=close.end)
            if self._peek() in (K.PLUS, K.MINUS):
                return self.time_shifts(now)
            self.expected.update((K.PLUS, K.MINUS))
            return ast.TimeExpr(now, (), start=now.start, end=now.end)
        raise self._fail(*_VALUE_START, *also)

    def time_shifts(self, base: ast.Now | ast.String) -> ast.TimeExpr:
        """time_expr := (now() | string) (("+" | "-") duration)+"""
        shifts: list[ast.Shift] = []
        while self._peek() in (K.PLUS, K.MINUS):
            sign_token = self._advance()
            token = self._expect(K.DURATION)
            amount, unit = self._literal_duration(token)
            duration = ast.Duration(amount, unit, start=token.start, end=token.end)
            sign = 1 if sign_token.kind is K.PLUS else -1
            shifts.append(ast.Shift(sign, duration, start=sign_token.start, end=token.end))
        self.expected.update((K.PLUS, K.MINUS))
        return ast.TimeExpr(base, tuple(shifts), start=base.start, end=shifts[-1].end)

    def _literal_str(self, token: Token) -> str:
        value = self.literals.get(token.start, "")
        return value if isinstance(value, str) else ""

    def _literal_duration(self, token: Token) -> tuple[int, ast.DurationUnit]:
        value = self.literals.get(token.start)
        if isinstance(value, tuple):
            return value[0], value[1]
        return 0, ast.DurationUnit.S

    def _literal_number(self, token: Token) -> Decimal:
        value = self.literals.get(token.start)
        return value if isinstance(value, Decimal) else Decimal(0)


class NativeEngine(Engine):
    """Hand-written recursive descent over one regular-expression tokenizer."""

    name = "native"

    def tokenize(self, text: str) -> list[Token]:
        return tokenize(text)

    def parse_tokens(self, text: str, tokens: Sequence[Token], literals: LiteralValues) -> ast.Expr:
        return _Parser(tokens, literals).query()

    #: The fused fast path (:mod:`qexpr.syntax.fastpath`): a valid filter's AST, or None.
    parse_fast = staticmethod(parse_valid)
