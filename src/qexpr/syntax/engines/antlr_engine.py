"""The ANTLR engine: the lexer and parser generated from ``grammar/Q.g4`` (the normative grammar).

``tokenize`` runs the generated lexer and converts its tokens into the common form;
``parse_tokens`` feeds the common tokens back into the generated parser (no error recovery: the
first syntax error is fatal) and builds the AST from the parse tree, exactly as the native
engine does. Parsing is two-stage: fast SLL prediction first, full LL only if SLL fails.

The ANTLR runtime is slow to import, so it is imported on first use, never at ``import qexpr``.
No ANTLR exception, class or token name ever leaves this module: a syntax error becomes a
:class:`~qexpr.syntax.engine.ParseFailure` naming the first token at which no parse can continue
and the token kinds that could continue there (computed exactly on the grammar's ATN).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from qexpr.errors import ErrorCode, QError
from qexpr.syntax import ast
from qexpr.syntax.engine import Engine, LiteralValues, ParseFailure
from qexpr.syntax.tokens import NAME_KINDS, Token, TokenKind

K = TokenKind

_COMPARE_OPS: dict[TokenKind, ast.CompareOp] = {
    K.EQ: ast.CompareOp.EQ,
    K.NE: ast.CompareOp.NE,
    K.LT: ast.CompareOp.LT,
    K.LE: ast.CompareOp.LE,
    K.GT: ast.CompareOp.GT,
    K.GE: ast.CompareOp.GE,
}
_PATTERN_OPS: dict[TokenKind, ast.PatternOp] = {
    K.LIKE: ast.PatternOp.LIKE,
    K.ILIKE: ast.PatternOp.ILIKE,
    K.CONTAINS: ast.PatternOp.CONTAINS,
    K.STARTS_WITH: ast.PatternOp.STARTS_WITH,
    K.ENDS_WITH: ast.PatternOp.ENDS_WITH,
}

#: Common token kinds whose ANTLR token has the same name in ``Q.g4``.
_SAME_NAME = tuple(kind for kind in TokenKind if kind not in (K.ERROR, K.EOF))
#: ``Q.g4`` error tokens (never referenced by a parser rule), all ERROR in the common form.
_ERROR_NAMES = (
    "BAD_NUMBER", "FOREIGN_EQ", "FOREIGN_NE", "FOREIGN_ANDAND", "FOREIGN_OROR",
    "FOREIGN_NOT", "FOREIGN_AND", "FOREIGN_OR", "ERROR_CHAR",
)


class _Runtime:
    """The ANTLR runtime and the generated classes, loaded once, plus the tables built on them."""

    def __init__(self) -> None:
        from antlr4 import CommonTokenStream, InputStream
        from antlr4.atn.ATNState import RuleStopState
        from antlr4.atn.PredictionMode import PredictionMode
        from antlr4.error.Errors import ParseCancellationException, RecognitionException
        from antlr4.error.ErrorStrategy import BailErrorStrategy
        from antlr4.ListTokenSource import ListTokenSource
        from antlr4.Token import CommonToken
        from antlr4.Token import Token as AntlrToken

        from qexpr.syntax.antlr_generated.QLexer import QLexer
        from qexpr.syntax.antlr_generated.QParser import QParser

        class StrictStrategy(BailErrorStrategy):  # type: ignore[misc]
            """No recovery and no reporting: the first error cancels the parse."""

            def reportError(self, recognizer: Any, e: Any) -> None:
                return None

        self.InputStream: Any = InputStream
        self.CommonTokenStream: Any = CommonTokenStream
        self.ListTokenSource: Any = ListTokenSource
        self.CommonToken: Any = CommonToken
        self.QLexer: Any = QLexer
        self.QParser: Any = QParser
        self.StrictStrategy: Any = StrictStrategy
        self.SLL: Any = PredictionMode.SLL
        self.LL: Any = PredictionMode.LL
        self.ParseCancellationException: type[Exception] = ParseCancellationException
        self.RecognitionException: type[Exception] = RecognitionException
        self.eof_type: int = AntlrToken.EOF

        # ANTLR token type <-> common kind.
        self.kind_of_type: dict[int, TokenKind] = {}
        self.type_of_kind: dict[TokenKind, int] = {}
        for kind in _SAME_NAME:
            ttype = int(getattr(QLexer, kind.name))
            self.kind_of_type[ttype] = kind
            self.type_of_kind[kind] = ttype
        for name in _ERROR_NAMES:
            self.kind_of_type[int(getattr(QLexer, name))] = K.ERROR
        self.bad_string_type = int(QLexer.BAD_STRING)
        # An ERROR token is fed to the parser as ERROR_CHAR, which no parser rule accepts.
        self.type_of_kind[K.ERROR] = int(QLexer.ERROR_CHAR)
        self.type_of_kind[K.EOF] = self.eof_type
        self.kind_of_type[self.eof_type] = K.EOF

        self.viable = _ViablePrefix(QParser.atn, QParser.RULE_query, RuleStopState)

        # Parse-tree context classes, for dispatch.
        self.ctx = QParser


_runtime: _Runtime | None = None
_runtime_lock = threading.Lock()
#: The ANTLR runtime shares its DFA caches between all recognizers and is not documented as
#: thread-safe: one lock serializes its use.
_use_lock = threading.Lock()


def _load() -> _Runtime:
    global _runtime
    if _runtime is None:
        with _runtime_lock:
            if _runtime is None:
                _runtime = _Runtime()
    return _runtime


class AntlrEngine(Engine):
    """The lexer and parser generated by ANTLR 4.13.2 from the normative grammar ``Q.g4``."""

    name = "antlr"

    # -- lexing -------------------------------------------------------------------------------

    def tokenize(self, text: str) -> list[Token]:
        rt = _load()
        with _use_lock:
            return _tokenize(rt, text)

    # -- parsing ------------------------------------------------------------------------------

    def parse_tokens(self, text: str, tokens: Sequence[Token], literals: LiteralValues) -> ast.Expr:
        rt = _load()
        with _use_lock:
            try:
                return self._parse_tokens(rt, text, tokens, literals)
            except RecursionError:
                raise _too_deep(text) from None

    def _parse_tokens(
        self, rt: _Runtime, text: str, tokens: Sequence[Token], literals: LiteralValues
    ) -> ast.Expr:
        antlr_tokens = _antlr_tokens(rt, tokens)
        types = [token.type for token in antlr_tokens]
        # Two-stage parsing: fast SLL prediction first. SLL may fail on valid input where a
        # decision needs the full context; whether the error is genuine is checked on the ATN
        # (exactly: is the offending token the first one that cannot continue the input?) and
        # only if not is the input parsed again with full LL prediction.
        tree, error = _run_parser(rt, antlr_tokens, rt.SLL)
        if error is not None:
            index = _offending_index(error, tokens)
            dead, expected, genuine = rt.viable.first_dead(types, index)
            if not genuine:
                tree, error = _run_parser(rt, antlr_tokens, rt.LL)
                if error is not None:
                    dead, expected, _ = rt.viable.first_dead(types, len(types))
            if error is not None:
                # ANTLR's own expected set describes the state where it noticed the error,
                # which may be a decision several tokens back: the ATN simulation gives the
                # kinds that could really continue the input at the offending token.
                kinds = {rt.kind_of_type[t] for t in expected if t in rt.kind_of_type}
                raise ParseFailure(dead, _presented(kinds, dead))
        return _Builder(text, tokens, literals, rt).query(tree)


def _presented(kinds: set[TokenKind], index: int) -> frozenset[TokenKind]:
    """The expected kinds as every engine reports them (the conventions of the native engine).

    - Where any name may follow (after `.`), only IDENT is named ("a field name"), not every
      keyword that is also allowed there.
    - Before the first token, the end of input is not named (an empty filter is valid, but
      "expected ... or end of input" would not help anyone who wrote something).
    """
    if kinds >= NAME_KINDS:
        kinds = (kinds - NAME_KINDS) | {K.IDENT}
    if index == 0:
        kinds.discard(K.EOF)
    kinds.discard(K.ERROR)
    return frozenset(kinds)


def _too_deep(text: str) -> QError:
    return QError(
        ErrorCode.LIMIT_EXCEEDED,
        "the filter nests too deeply to be parsed",
        source=text,
        start=0,
        end=len(text),
        hint="lower the nesting (parentheses, NOT, quantifiers) or the max_depth limit",
    )


def _tokenize(rt: _Runtime, text: str) -> list[Token]:
    lexer = rt.QLexer(rt.InputStream(text))
    lexer.removeErrorListeners()
    eof = rt.eof_type
    kind_of_type = rt.kind_of_type
    bad_string = rt.bad_string_type
    tokens: list[Token] = []
    append = tokens.append
    while True:
        t = lexer.nextToken()
        ttype = t.type
        if ttype == eof:
            break
        start = t.start
        end = t.stop + 1  # ANTLR's stop index is inclusive
        value = text[start:end]
        if ttype == bad_string:
            kind = K.STRING if _is_closed(value) else K.ERROR
        else:
            kind = kind_of_type[ttype]
        append(Token(kind, value, start, end))
    tokens.append(Token(K.EOF, "", len(text), len(text)))
    return tokens


def _is_closed(quoted: str) -> bool:
    """Whether a BAD_STRING token ends with its (unescaped) closing quote."""
    quote = quoted[0]
    i = 1
    n = len(quoted)
    while i < n:
        ch = quoted[i]
        if ch == "\\":
            i += 2
        elif ch == quote:
            return i == n - 1
        else:
            i += 1
    return False


def _antlr_tokens(rt: _Runtime, tokens: Sequence[Token]) -> list[Any]:
    """The common tokens as ANTLR tokens (an ERROR token becomes ERROR_CHAR, which no parser
    rule accepts); ``tokenIndex`` is the index in ``tokens``."""
    out = []
    type_of_kind = rt.type_of_kind
    make = rt.CommonToken
    for index, token in enumerate(tokens):
        ct = make(type=type_of_kind[token.kind], start=token.start, stop=token.end - 1)
        ct.text = token.text
        ct.tokenIndex = index
        ct.line = 1
        ct.column = token.start
        out.append(ct)
    return out


def _run_parser(rt: _Runtime, antlr_tokens: list[Any], mode: Any) -> tuple[Any, Any]:
    """Parse with the given prediction mode; return (tree, None) or (None, the error)."""
    stream = rt.CommonTokenStream(rt.ListTokenSource(antlr_tokens))
    parser = rt.QParser(stream)
    parser.removeErrorListeners()
    parser._errHandler = rt.StrictStrategy()
    parser._interp.predictionMode = mode
    try:
        return parser.query(), None
    except rt.ParseCancellationException as exc:
        cause = exc.args[0] if exc.args else None
        return None, cause if isinstance(cause, rt.RecognitionException) else exc
    except RecursionError:
        raise
    except Exception as exc:  # pragma: no cover - never let an ANTLR error escape
        return None, exc


def _offending_index(error: Any, tokens: Sequence[Token]) -> int:
    token = getattr(error, "offendingToken", None)
    index = getattr(token, "tokenIndex", None)
    if isinstance(index, int) and 0 <= index < len(tokens):
        return index
    return len(tokens) - 1  # pragma: no cover - ANTLR always names the offending token


class _ViablePrefix:
    """Which token types may follow a prefix of the input, computed on the parser's ATN.

    A configuration is an ATN state that consumes a token plus a call stack (interned as an
    integer); the set of configurations after a prefix stands for all parses of it, so it is
    empty exactly when the prefix cannot be continued. The grammar is unambiguous, so the sets
    stay small. The epsilon closure of each state inside its own rule is computed once.
    """

    def __init__(self, atn: Any, start_rule: int, rule_stop_class: type) -> None:
        self._start = int(atn.ruleToStartState[start_rule].stateNumber)
        count = len(atn.states)
        #: Per state: token transitions (labels, target); epsilon targets; rule calls
        #: (entry, follow); whether it ends a rule.
        self._tokens: list[tuple[tuple[frozenset[int], int], ...]] = [()] * count
        self._epsilon: list[tuple[int, ...]] = [()] * count
        self._calls: list[tuple[tuple[int, int], ...]] = [()] * count
        self._stop: list[bool] = [False] * count
        for state in atn.states:
            if state is None:  # pragma: no cover - removed states
                continue
            number = int(state.stateNumber)
            toks: list[tuple[frozenset[int], int]] = []
            eps: list[int] = []
            calls: list[tuple[int, int]] = []
            for tr in state.transitions:
                target = int(tr.target.stateNumber)
                follow = getattr(tr, "followState", None)
                if follow is not None:
                    calls.append((target, int(follow.stateNumber)))
                elif tr.isEpsilon:
                    eps.append(target)
                else:
                    toks.append((frozenset(int(t) for t in tr.label), target))
            self._tokens[number] = tuple(toks)
            self._epsilon[number] = tuple(eps)
            self._calls[number] = tuple(calls)
            self._stop[number] = isinstance(state, rule_stop_class)
        self._local: dict[int, tuple[tuple[tuple[int, tuple[int, ...]], ...], bool]] = {}

    def _local_closure(self, state: int) -> tuple[tuple[tuple[int, tuple[int, ...]], ...], bool]:
        """Token-consuming states reachable from ``state`` without leaving its rule, each with
        the follow states pushed on the way (outermost first), and whether the rule's end is
        reachable (the caller's stack must then be popped)."""
        cached = self._local.get(state)
        if cached is not None:
            return cached
        found: set[tuple[int, tuple[int, ...]]] = set()
        exits = False
        seen: set[tuple[int, tuple[int, ...]]] = set()
        work: list[tuple[int, tuple[int, ...]]] = [(state, ())]
        while work:
            item = work.pop()
            if item in seen:
                continue
            seen.add(item)
            current, pushed = item
            if self._stop[current]:
                if pushed:
                    work.append((pushed[-1], pushed[:-1]))
                else:
                    exits = True
                continue
            if self._tokens[current]:
                found.add(item)
            for target in self._epsilon[current]:
                work.append((target, pushed))
            for entry, follow in self._calls[current]:
                work.append((entry, (*pushed, follow)))
        result = (tuple(sorted(found)), exits)
        self._local[state] = result
        return result

    def first_dead(self, types: Sequence[int], limit: int) -> tuple[int, frozenset[int], bool]:
        """Walk the token types up to index ``limit``; return the index where the walk stopped,
        the types that could come there, and whether the token there cannot continue the input
        (``False``: the walk reached ``limit`` and ``types[limit]`` is a valid continuation)."""
        stacks: dict[tuple[int, int], int] = {}
        frames: list[tuple[int, int]] = [(-1, 0)]  # stack id -> (return state, parent id)

        def push(ret: int, parent: int) -> int:
            key = (ret, parent)
            sid = stacks.get(key)
            if sid is None:
                sid = len(frames)
                frames.append(key)
                stacks[key] = sid
            return sid

        configs = self._closure([(self._start, 0)], frames, push)
        for index, ttype in enumerate(types):
            moved: list[tuple[int, int]] = []
            for state, stack in configs:
                for labels, target in self._tokens[state]:
                    if ttype in labels:
                        moved.append((target, stack))
            if not moved:
                return index, self._expected(configs), True
            if index >= limit:
                return index, self._expected(configs), False
            configs = self._closure(moved, frames, push)
        return len(types) - 1, frozenset(), False  # pragma: no cover - ends with EOF

    def _expected(self, configs: set[tuple[int, int]]) -> frozenset[int]:
        out: set[int] = set()
        for state, _stack in configs:
            for labels, _target in self._tokens[state]:
                out.update(labels)
        return frozenset(out)

    def _closure(
        self,
        seeds: list[tuple[int, int]],
        frames: list[tuple[int, int]],
        push: Callable[[int, int], int],
    ) -> set[tuple[int, int]]:
        """All token-consuming configurations reachable from ``seeds`` without a token."""
        out: set[tuple[int, int]] = set()
        seen: set[tuple[int, int]] = set()
        work = list(seeds)
        while work:
            config = work.pop()
            if config in seen:
                continue
            seen.add(config)
            state, stack = config
            found, exits = self._local_closure(state)
            for target, pushed in found:
                sid = stack
                for follow in pushed:
                    sid = push(follow, sid)
                out.add((target, sid))
            if exits and stack:  # return to the caller; the start rule's end accepts nothing
                ret, parent = frames[stack]
                work.append((ret, parent))
        return out


class _Builder:
    """Parse tree to AST, node for node and span for span as the native engine builds it."""

    __slots__ = ("literals", "rt", "text", "tokens")

    def __init__(
        self, text: str, tokens: Sequence[Token], literals: LiteralValues, rt: _Runtime
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.literals = literals
        self.rt = rt

    # -- helpers ------------------------------------------------------------------------------

    def tok(self, terminal: Any) -> Token:
        """The common token behind a parse-tree terminal."""
        index: int = terminal.symbol.tokenIndex
        return self.tokens[index]

    def string(self, token: Token) -> str:
        value = self.literals.get(token.start, "")
        return value if isinstance(value, str) else ""

    def number(self, token: Token) -> Decimal:
        value = self.literals.get(token.start)
        return value if isinstance(value, Decimal) else Decimal(0)

    def duration(self, token: Token) -> tuple[int, ast.DurationUnit]:
        value = self.literals.get(token.start)
        if isinstance(value, tuple) and len(value) == 2:
            amount, unit = value
            if isinstance(amount, int) and isinstance(unit, ast.DurationUnit):
                return amount, unit
        return 0, ast.DurationUnit.S

    # -- rules --------------------------------------------------------------------------------

    def query(self, ctx: Any) -> ast.Expr:
        inner = ctx.or_expr()
        if inner is None:
            return ast.MatchAll(start=0, end=len(self.text))
        return self.or_expr(inner)

    def or_expr(self, ctx: Any) -> ast.Expr:
        operands = [self.and_expr(c) for c in ctx.and_expr()]
        if len(operands) == 1:
            return operands[0]
        return ast.disjoin(operands, start=operands[0].start, end=operands[-1].end)

    def and_expr(self, ctx: Any) -> ast.Expr:
        operands = [self.not_expr(c) for c in ctx.not_expr()]
        if len(operands) == 1:
            return operands[0]
        return ast.conjoin(operands, start=operands[0].start, end=operands[-1].end)

    def not_expr(self, ctx: Any) -> ast.Expr:
        nots: list[Token] = []
        while ctx.NOT() is not None:  # NOT not_expr, iteratively
            nots.append(self.tok(ctx.NOT()))
            ctx = ctx.not_expr()
        expr = self.predicate(ctx.predicate())
        for token in reversed(nots):
            expr = ast.Not(expr, start=token.start, end=expr.end)
        return expr

    def predicate(self, ctx: Any) -> ast.Expr:
        q = self.rt.ctx
        if isinstance(ctx, q.ParenExprContext):
            return self.or_expr(ctx.or_expr())
        if isinstance(ctx, q.QuantifiedPredicateContext):
            return self.quantifier(ctx.quantifier())
        path = self.path(ctx.path())
        negated = getattr(ctx, "NOT", None) is not None and ctx.NOT() is not None
        if isinstance(ctx, q.ComparisonContext):
            op = _COMPARE_OPS[self.tok(ctx.cmp_op().getChild(0)).kind]
            operand = self.operand(ctx.operand())
            return ast.Comparison(path, op, operand, start=path.start, end=operand.end)
        if isinstance(ctx, q.InListContext):
            values = tuple(self.value(v) for v in ctx.value())
            close = self.tok(ctx.RPAREN())
            return ast.InList(path, values, negated, start=path.start, end=close.end)
        if isinstance(ctx, q.BetweenContext):
            low = self.value(ctx.low)
            high = self.value(ctx.high)
            return ast.Between(path, low, high, negated, start=path.start, end=high.end)
        if isinstance(ctx, q.PatternMatchContext):
            op_token = self.tokens[ctx.op.tokenIndex]
            token = self.tok(ctx.STRING())
            pattern = ast.String(self.string(token), start=token.start, end=token.end)
            return ast.PatternMatch(
                path, _PATTERN_OPS[op_token.kind], pattern, negated,
                start=path.start, end=token.end,
            )
        if isinstance(ctx, q.IsNullContext):
            null = self.tok(ctx.NULL())
            return ast.IsNull(path, negated, start=path.start, end=null.end)
        # BooleanFieldContext: a bare path is `path = true`.
        true = ast.Boolean(True, start=path.start, end=path.end)
        return ast.Comparison(path, ast.CompareOp.EQ, true, start=path.start, end=path.end)

    def quantifier(self, ctx: Any) -> ast.Quantified:
        head = self.tokens[ctx.kind.tokenIndex]
        kind = ast.QuantifierKind.ANY if head.kind is K.ANY else ast.QuantifierKind.ALL
        relation = self.path(ctx.path())
        condition = self.or_expr(ctx.or_expr())
        close = self.tok(ctx.RPAREN())
        return ast.Quantified(kind, relation, condition, start=head.start, end=close.end)

    def operand(self, ctx: Any) -> ast.Value | ast.Path:
        path = ctx.path()
        if path is not None:
            return self.path(path)
        return self.value(ctx.value())

    def value(self, ctx: Any) -> ast.Value:
        time_expr = ctx.time_expr()
        if time_expr is not None:
            return self.time_expr(time_expr)
        first = self.tok(ctx.getChild(0))
        kind = first.kind
        if kind is K.STRING:
            return ast.String(self.string(first), start=first.start, end=first.end)
        if kind is K.NUMBER:
            return ast.Number(self.number(first), start=first.start, end=first.end)
        if kind is K.MINUS:
            number = self.tok(ctx.NUMBER())
            # copy_negate() is exact; unary minus would round to the context's 28 digits.
            value = self.number(number).copy_negate()
            return ast.Number(value, start=first.start, end=number.end)
        if kind is K.TRUE or kind is K.FALSE:
            return ast.Boolean(kind is K.TRUE, start=first.start, end=first.end)
        return ast.Null(start=first.start, end=first.end)

    def time_expr(self, ctx: Any) -> ast.TimeExpr:
        children = [self.tok(child) for child in ctx.getChildren()]
        head = children[0]
        base: ast.Now | ast.String
        if head.kind is K.NOW:
            base = ast.Now(start=head.start, end=children[2].end)
            rest = children[3:]
        else:
            base = ast.String(self.string(head), start=head.start, end=head.end)
            rest = children[1:]
        shifts: list[ast.Shift] = []
        for sign_token, token in zip(rest[0::2], rest[1::2], strict=True):
            amount, unit = self.duration(token)
            duration = ast.Duration(amount, unit, start=token.start, end=token.end)
            sign = 1 if sign_token.kind is K.PLUS else -1
            shifts.append(ast.Shift(sign, duration, start=sign_token.start, end=token.end))
        end = shifts[-1].end if shifts else base.end
        return ast.TimeExpr(base, tuple(shifts), start=base.start, end=end)

    def path(self, ctx: Any) -> ast.Path:
        children = list(ctx.getChildren())
        first = self.tok(children[0])
        segments = [first.text]
        spans = [(first.start, first.end)]
        end = first.end
        i = 1
        while i < len(children):
            lead = self.tok(children[i])
            if lead.kind is K.DOT:
                name = self.tok(children[i + 1].getChild(0))
                segments.append(name.text)
                spans.append((name.start, name.end))
                end = name.end
                i += 2
            else:  # "[" STRING "]"
                key = self.tok(children[i + 1])
                close = self.tok(children[i + 2])
                segments.append(self.string(key))
                spans.append((key.start, key.end))
                end = close.end
                i += 3
        return ast.Path(tuple(segments), tuple(spans), start=first.start, end=end)
