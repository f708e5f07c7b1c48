"""The native engine's parser: one recursive descent over the scanner's token lists.

The parser (spec section 3; each method names the production it parses) runs in two modes:

* **one pass** (:func:`qexpr.syntax.engines.native.parse_fast`, tried first by ``parse``):
  over the scanner's parallel lists, decoding literals and counting every limit inline (string
  length, nesting, quantifier nesting, predicates, IN-list size, whitespace inside a path). It
  returns the tree of a valid filter, or gives up (:class:`GiveUp`) at the first irregularity,
  without any error bookkeeping;
* **diagnostic** (``parse_tokens``, run by the shared pipeline of :mod:`qexpr.syntax.parser`
  when the first pass gave up): the same methods over the same lists, with the literals the
  shared scanner decoded, recording what was expected at the furthest token and raising
  :class:`~qexpr.syntax.engine.ParseFailure` there -- as CPython's parser reruns itself to
  report an error. The pipeline then orders lexical, parse and limit errors (spec section 7).
  Completion (:func:`qexpr.completion.site.probe`) runs it over the text before the
  cursor and reads, where it stopped, the expected set, ``scopes`` (the enclosing groups and
  quantifiers' relations), ``left``/``op`` (the comparison in progress) and ``path_from``.

Why the first pass returns exactly the pipeline's tree: the tokens are the same lists; every
literal it accepts decodes as the scanner decodes it; the nesting it counts (every enclosing
parenthesis -- group, quantifier, IN list, ``now()`` -- and every enclosing prefix NOT) is never
less than the scanner's on a valid filter; predicates and IN lists are counted as
``check_tree_limits`` counts them; and on a valid filter ``.``, ``[`` and ``]`` occur only
inside paths, where the first pass refuses any gap. Anything else gives up, and the pipeline
decides (``tests/syntax/test_one_pass.py`` checks the agreement on generated filters).
"""

from __future__ import annotations

from decimal import Decimal

from qexpr.limits import Limits
from qexpr.operators import Operator
from qexpr.syntax import ast
from qexpr.syntax.engine import LiteralValues, ParseFailure
from qexpr.syntax.literals import NEEDS_DECODING as _NEEDS_DECODING
from qexpr.syntax.literals import LiteralError, decode_string, parse_duration, parse_number
from qexpr.syntax.tokens import COMPARE_OPS, NAME_KINDS, PATTERN_OPS, TokenKind
from qexpr.syntax.tokens import Kinds as K

_AFTER_NOT = frozenset({K.IN, K.BETWEEN, *PATTERN_OPS})
_PREDICATE_OPS = frozenset({*COMPARE_OPS, *_AFTER_NOT, K.NOT, K.IS})
_VALUE_START = (K.STRING, K.NUMBER, K.MINUS, K.TRUE, K.FALSE, K.NULL, K.NOW)
_SIGNS = (K.PLUS, K.MINUS)
_PATH_NEXT = (K.DOT, K.LBRACKET)
_UNLIMITED = 1 << 62
# Members bound once as module globals: ``K.X`` is an attribute lookup on every use.
_AND, _OR, _NOT, _IDENT, _LPAREN = K.AND, K.OR, K.NOT, K.IDENT, K.LPAREN
_STRING, _NUMBER, _EOF = K.STRING, K.NUMBER, K.EOF
_COMPARE_OPS = COMPARE_OPS
# The parser builds nodes with ``make`` (see :class:`~qexpr.syntax.ast.Node`).
_Path, _Comparison, _Number = ast.Path.make, ast.Comparison.make, ast.Number.make
_String = ast.String.make


class GiveUp(Exception):
    """The one pass met something irregular: the diagnostic pipeline decides."""


GIVE_UP = GiveUp()

Lists = tuple[list[TokenKind], list[str], list[int]]


class Parser:
    """Recursive descent over the parallel token lists, in one of the two modes above."""

    __slots__ = (
        "depth", "diag", "exp_pos", "expected", "kinds", "left", "literals", "max_depth",
        "max_in", "max_predicates", "max_quantifiers", "max_string", "op", "path_from", "pos",
        "predicates", "quantifiers", "scopes", "starts", "texts",
    )

    def __init__(self, lists: Lists, literals: LiteralValues | None, limits: Limits | None) -> None:
        self.kinds, self.texts, self.starts = lists
        self.literals = literals  # None: the one pass, decoding literals itself
        self.diag = literals is not None
        self.pos = 0
        self.exp_pos = -1
        self.expected: set[TokenKind] = set()
        self.depth = self.quantifiers = self.predicates = self.path_from = 0
        # What completion reads where the parser stopped: the open groups (None) and
        # quantifiers (their relation); the comparison in progress (its path and operator, or
        # None and ANY/ALL while a quantifier's relation is read); the last path's first token.
        self.scopes: list[ast.Path | None] = []
        self.left: ast.Path | None = None
        self.op: TokenKind | None = None
        if limits is None:  # diagnostic: the shared scanner and tree limits count them
            self.max_depth = self.max_quantifiers = self.max_predicates = _UNLIMITED
            self.max_in = self.max_string = _UNLIMITED
        else:
            self.max_depth = limits.max_depth
            self.max_quantifiers = limits.max_quantifier_depth
            self.max_predicates = limits.max_predicates
            self.max_in = limits.max_in_values
            self.max_string = limits.max_string_length

    # -- helpers ------------------------------------------------------------------------------

    def _miss(self, *kinds: TokenKind) -> None:
        """``kinds`` could have come at the current token (diagnostic mode records it)."""
        if self.diag:
            if self.exp_pos != self.pos:
                self.exp_pos = self.pos
                self.expected = set()
            self.expected.update(kinds)

    def _fail(self, *kinds: TokenKind) -> Exception:
        if self.literals is None:
            return GIVE_UP
        self._miss(*kinds)
        return ParseFailure(self.pos, frozenset(self.expected))

    def _accept(self, kind: TokenKind) -> bool:
        if self.kinds[self.pos] is kind:
            self.pos += 1
            return True
        self._miss(kind)
        return False

    def _expect(self, kind: TokenKind) -> int:
        """Consume a ``kind`` token and return its index, or fail."""
        pos = self.pos
        if self.kinds[pos] is kind:
            self.pos = pos + 1
            return pos
        raise self._fail(kind)

    def _end(self, index: int) -> int:
        return self.starts[index] + len(self.texts[index])

    def _nest(self, quantifier: bool = False) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise GIVE_UP
        if quantifier:
            self.quantifiers += 1
            if self.quantifiers > self.max_quantifiers:
                raise GIVE_UP

    def _count(self) -> None:
        self.predicates += 1
        if self.predicates > self.max_predicates:
            raise GIVE_UP

    # -- grammar ------------------------------------------------------------------------------

    def query(self) -> ast.Expr:
        """query := or_expr? EOF"""
        if self.kinds[0] is K.EOF:
            return ast.MatchAll.make(0, self.starts[0])
        expr = self.or_expr()
        if self.kinds[self.pos] is not K.EOF:
            raise self._fail(K.EOF)
        return expr

    def or_expr(self) -> ast.Expr:
        """or_expr := and_expr ("OR" and_expr)*"""
        first = self.and_expr()
        kinds = self.kinds
        if kinds[self.pos] is not _OR:
            if self.diag:
                self._miss(_OR)
            return first
        operands = [first]
        while kinds[self.pos] is _OR:
            self.pos += 1
            operands.append(self.and_expr())
        if self.diag:
            self._miss(_OR)
        return ast.disjoin(operands, start=first.start, end=operands[-1].end)

    def and_expr(self) -> ast.Expr:
        """and_expr := not_expr ("AND" not_expr)*"""
        kinds = self.kinds
        first = self.not_expr() if kinds[self.pos] is _NOT else self.predicate()
        if kinds[self.pos] is not _AND:
            if self.diag:
                self._miss(_AND)
            return first
        operands = [first]
        while kinds[self.pos] is _AND:
            self.pos += 1
            operands.append(self.not_expr() if kinds[self.pos] is _NOT else self.predicate())
        if self.diag:
            self._miss(_AND)
        return ast.conjoin(operands, start=first.start, end=operands[-1].end)

    def not_expr(self) -> ast.Expr:
        """not_expr := "NOT" not_expr | predicate"""
        pos = self.pos
        if self.kinds[pos] is not _NOT:
            if self.diag:
                self._miss(_NOT)
            return self.predicate()
        self.pos = pos + 1
        self._nest()
        operand = self.not_expr()
        self.depth -= 1
        return ast.Not.make(operand, self.starts[pos], operand.end)

    def predicate(self) -> ast.Expr:
        """predicate := "(" or_expr ")" | quantifier | path [operator ...]"""
        kinds = self.kinds
        pos = self.pos
        kind = kinds[pos]
        if kind is _IDENT:
            self.predicates += 1
            if self.predicates > self.max_predicates:
                raise GIVE_UP
            if self.diag or kinds[pos + 1] in _PATH_NEXT:
                self.left = self.op = None
                return self.predicate_tail(self.path())
            # The common case inline: a one-segment path, a comparison with a plain operand.
            name = self.texts[pos]
            start = self.starts[pos]
            end = start + len(name)
            path = _Path((name,), ((start, end),), start, end)
            pos += 1
            compare = _COMPARE_OPS.get(kinds[pos])
            if compare is None:
                self.pos = pos
                return self.predicate_tail(path)
            pos += 1
            kind = kinds[pos]
            operand: ast.Value | ast.Path
            if kind is _NUMBER:
                self.pos = pos + 1
                operand = _Number(self.number(pos), self.starts[pos], self._end(pos))
            elif kind is _STRING and kinds[pos + 1] not in _SIGNS:
                self.pos = pos + 1
                operand = self.string(pos)
            else:
                self.pos = pos
                operand = self.path() if kind is _IDENT else self.value(_IDENT)
            return _Comparison(path, compare, operand, start, operand.end)
        if kind is K.LPAREN:
            self.pos += 1
            self._nest()
            self.scopes.append(None)
            inner = self.or_expr()
            self._expect(K.RPAREN)
            self.scopes.pop()
            self.depth -= 1
            return inner
        if kind is K.ANY or kind is K.ALL:
            return self.quantifier()
        raise self._fail(K.LPAREN, K.ANY, K.ALL, K.IDENT, K.NOT)

    def predicate_tail(self, path: ast.Path) -> ast.Expr:
        """The part of a predicate after its path."""
        kinds = self.kinds
        kind = kinds[self.pos]
        self.left, self.op = path, kind
        compare = COMPARE_OPS.get(kind)
        if compare is not None:
            self.pos += 1
            operand: ast.Value | ast.Path = (
                self.path() if kinds[self.pos] is K.IDENT else self.value(K.IDENT)
            )
            return ast.Comparison.make(path, compare, operand, path.start, operand.end)
        if kind is K.IS:
            self.pos += 1
            negated = self._accept(K.NOT)
            null = self._expect(K.NULL)
            return ast.IsNull.make(path, negated, path.start, self._end(null))
        negated = False
        if kind is K.NOT:
            self.pos += 1
            negated = True
            kind = self.op = kinds[self.pos]
            if kind not in _AFTER_NOT:
                raise self._fail(*_AFTER_NOT)
        if kind is K.IN:
            return self.in_list(path, negated)
        if kind is K.BETWEEN:
            self.pos += 1
            low = self.value()
            self._expect(K.AND)
            high = self.value()
            return ast.Between.make(path, low, high, negated, path.start, high.end)
        pattern_op = PATTERN_OPS.get(kind)
        if pattern_op is not None:
            self.pos += 1
            pattern = self.string(self._expect(K.STRING))
            return ast.PatternMatch.make(
                path, pattern_op, pattern, negated, path.start, pattern.end
            )
        # A bare path: the boolean field is true.
        self._miss(*_PREDICATE_OPS)
        true = ast.Boolean.make(True, path.start, path.end)
        return ast.Comparison.make(path, Operator.EQ, true, path.start, path.end)

    def in_list(self, path: ast.Path, negated: bool) -> ast.InList:
        """path "NOT"? "IN" "(" value ("," value)* ","? ")" """
        self.pos += 1
        self._expect(K.LPAREN)
        self._nest()
        values = [self.value()]
        while self._accept(K.COMMA):
            if self.kinds[self.pos] is K.RPAREN:
                break
            values.append(self.value(K.RPAREN))
        close = self._expect(K.RPAREN)
        self.depth -= 1
        if len(values) > self.max_in:
            raise GIVE_UP
        return ast.InList.make(path, tuple(values), negated, path.start, self._end(close))

    def quantifier(self) -> ast.Quantified:
        """quantifier := ("any" | "all") "(" path "," or_expr ")" """
        head = self.pos
        self.pos += 1
        kind = ast.QuantifierKind.ANY if self.kinds[head] is K.ANY else ast.QuantifierKind.ALL
        self._expect(K.LPAREN)
        self._count()
        self._nest(quantifier=True)
        if self.kinds[self.pos] is not K.IDENT:
            raise self._fail(K.IDENT)
        self.left, self.op = None, self.kinds[head]
        relation = self.path()
        self._expect(K.COMMA)
        self.scopes.append(relation)
        condition = self.or_expr()
        close = self._expect(K.RPAREN)
        self.scopes.pop()
        self.depth -= 1
        self.quantifiers -= 1
        return ast.Quantified.make(
            kind, relation, condition, self.starts[head], self._end(close)
        )

    def path(self) -> ast.Path:
        """path := IDENT ("." NAME | "[" string "]")*"""
        kinds, texts, starts = self.kinds, self.texts, self.starts
        first = self.path_from = self.pos  # callers checked it is an IDENT
        name = texts[first]
        start = starts[first]
        end = start + len(name)
        pos = first + 1
        if kinds[pos] not in _PATH_NEXT:
            self.pos = pos
            if self.diag:
                self._miss(*_PATH_NEXT)
            return _Path((name,), ((start, end),), start, end)
        segments = [name]
        spans = [(start, end)]
        one_pass = not self.diag
        while True:
            kind = kinds[pos]
            if one_pass and kind in _PATH_NEXT and starts[pos] != end:
                raise GIVE_UP  # whitespace inside a path: the scanner reports it
            if kind is K.DOT:
                pos += 1
                self.pos = pos
                if kinds[pos] not in NAME_KINDS:
                    raise self._fail(K.IDENT)
                name = texts[pos]
                if one_pass and starts[pos] != end + 1:
                    raise GIVE_UP
                segments.append(name)
                end = starts[pos] + len(name)
                spans.append((starts[pos], end))
                pos += 1
            elif kind is K.LBRACKET:
                self.pos = pos + 1
                key = self._expect(K.STRING)
                close = self._expect(K.RBRACKET)
                if one_pass and (starts[key] != end + 1 or starts[close] != self._end(key)):
                    raise GIVE_UP
                segments.append(self.string(key).value)
                spans.append((starts[key], self._end(key)))
                end = starts[close] + 1
                pos = close + 1
            else:
                self.pos = pos
                self._miss(*_PATH_NEXT)
                return ast.Path.make(tuple(segments), tuple(spans), start, end)

    def value(self, *also: TokenKind) -> ast.Value:
        """value := string | "-"? number | "true" | "false" | "null" | time_expr"""
        pos = self.pos
        kind = self.kinds[pos]
        if kind is K.STRING:
            self.pos = pos + 1
            string = self.string(pos)
            if self.kinds[pos + 1] in _SIGNS:
                return self.time_shifts(string)
            if self.diag:
                self._miss(*_SIGNS)
            return string
        if kind is K.NUMBER:
            self.pos = pos + 1
            return _Number(self.number(pos), self.starts[pos],
                                self.starts[pos] + len(self.texts[pos]))
        if kind is K.MINUS:
            self.pos = pos + 1
            number = self._expect(K.NUMBER)
            return _Number(self.number(number).copy_negate(), self.starts[pos],
                                self._end(number))
        if kind is K.TRUE or kind is K.FALSE:
            self.pos = pos + 1
            return ast.Boolean.make(kind is K.TRUE, self.starts[pos], self._end(pos))
        if kind is K.NULL:
            self.pos = pos + 1
            return ast.Null.make(self.starts[pos], self._end(pos))
        if kind is K.NOW:
            self.pos = pos + 1
            self._expect(K.LPAREN)
            close = self._expect(K.RPAREN)
            if self.depth + 1 > self.max_depth:
                raise GIVE_UP  # the scanner counts now()'s parenthesis
            now = ast.Now.make(self.starts[pos], self._end(close))
            if self.kinds[close + 1] in _SIGNS:
                return self.time_shifts(now)
            self._miss(*_SIGNS)
            return ast.TimeExpr.make(now, (), None, now.start, now.end)
        raise self._fail(*_VALUE_START, *also)

    def time_shifts(self, base: ast.Now | ast.String) -> ast.TimeExpr:
        """time_expr := (now() | string) (("+" | "-") duration)+"""
        shifts: list[ast.Shift] = []
        kinds = self.kinds
        while kinds[self.pos] in _SIGNS:
            sign = self.pos
            self.pos += 1
            token = self._expect(K.DURATION)
            amount, unit = self.duration(token)
            start = self.starts[token]
            duration = ast.Duration.make(amount, unit, start, self._end(token))
            shifts.append(ast.Shift.make(1 if kinds[sign] is K.PLUS else -1, duration,
                                         self.starts[sign], duration.end))
        self._miss(*_SIGNS)
        return ast.TimeExpr.make(base, tuple(shifts), None, base.start, shifts[-1].end)

    # -- literals: decoded here in the one pass, the scanner's values in diagnostic mode ------

    def string(self, index: int) -> ast.String:
        raw = self.texts[index]
        start = self.starts[index]
        if self.literals is None:
            if _NEEDS_DECODING.search(raw, 1, len(raw) - 1) is None:
                text = raw[1:-1]  # what decode_string returns for it
            else:
                try:
                    text = decode_string(raw, start)
                except LiteralError:
                    raise GIVE_UP from None
            if len(text) > self.max_string:
                raise GIVE_UP
        else:
            value = self.literals.get(start, "")
            text = value if isinstance(value, str) else ""
        return _String(text, start, start + len(raw))

    def number(self, index: int) -> Decimal:
        start = self.starts[index]
        if self.literals is not None:
            value = self.literals.get(start)
            return value if isinstance(value, Decimal) else Decimal(0)
        raw = self.texts[index]
        if len(raw) <= 34 and raw.isdigit():  # what parse_number returns for it
            return Decimal(raw)
        try:
            return parse_number(raw, start)
        except LiteralError:
            raise GIVE_UP from None

    def duration(self, index: int) -> tuple[int, ast.DurationUnit]:
        if self.literals is not None:
            value = self.literals.get(self.starts[index])
            return (value[0], value[1]) if isinstance(value, tuple) else (0, ast.DurationUnit.S)
        try:
            return parse_duration(self.texts[index])
        except LiteralError:
            raise GIVE_UP from None
