"""The ANTLR engine: the lexer and parser generated from ``grammar/Q.g4`` (the normative grammar).

``tokenize`` runs the generated lexer and converts its tokens into the common form;
``parse_tokens`` feeds the common tokens back into the generated parser (a bail error strategy:
the first syntax error is fatal) and a visitor of the generated ``QVisitor`` builds the AST from
the parse tree with the production functions of :mod:`qexpr.syntax.assemble`.

The ANTLR runtime is slow to import, so it is imported on first use, never at ``import qexpr``.
No ANTLR exception, class or token name ever leaves this module: a syntax error becomes a
:class:`~qexpr.syntax.engine.ParseFailure` naming the first token at which no parse can continue
and the token kinds that could continue there (computed exactly on the grammar's ATN).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from qexpr.errors import ErrorCode, QError
from qexpr.syntax import assemble, ast
from qexpr.syntax.engine import Engine, LiteralValues, ParseFailure, conventional
from qexpr.syntax.tokens import Token, TokenKind

K = TokenKind

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
        from antlr4.error.Errors import ParseCancellationException
        from antlr4.error.ErrorStrategy import BailErrorStrategy
        from antlr4.ListTokenSource import ListTokenSource
        from antlr4.Token import CommonToken
        from antlr4.Token import Token as AntlrToken
        from antlr4.tree.Tree import TerminalNode

        from qexpr.syntax.antlr_generated.QLexer import QLexer
        from qexpr.syntax.antlr_generated.QParser import QParser
        from qexpr.syntax.antlr_generated.QVisitor import QVisitor

        #: ``Q.g4``'s rules and labelled alternatives by the ``q.lark`` production they are;
        #: the others (``name``, ``cmp_op``, ``operand``, a quantified predicate) pass their
        #: children up to their parent.
        productions: dict[type, Callable[[Sequence[Any]], Any]] = {
            QParser.QueryContext: assemble.query,
            QParser.Or_exprContext: assemble.chain,
            QParser.And_exprContext: assemble.chain,
            QParser.Not_exprContext: assemble.negation,
            QParser.ParenExprContext: assemble.group,
            QParser.ComparisonContext: assemble.comparison,
            QParser.InListContext: assemble.in_list,
            QParser.BetweenContext: assemble.between,
            QParser.PatternMatchContext: assemble.pattern_match,
            QParser.IsNullContext: assemble.is_null,
            QParser.BooleanFieldContext: assemble.bare_path,
            QParser.QuantifierContext: assemble.quantifier,
            QParser.ValueContext: assemble.value,
            QParser.Time_exprContext: assemble.time_expr,
            QParser.PathContext: assemble.path,
        }

        class AstVisitor(QVisitor):  # type: ignore[misc]
            """Builds each rule's node from its children (tokens and the nodes of its rules)."""

            def __init__(self, tokens: Sequence[Token]) -> None:
                self.tokens = tokens

            def visitChildren(self, node: Any) -> Any:
                items: list[Any] = []
                for child in node.getChildren():
                    if isinstance(child, TerminalNode):
                        token = self.tokens[child.symbol.tokenIndex]
                        if token.kind is not K.EOF:
                            items.append(token)
                        continue
                    built = child.accept(self)
                    if isinstance(built, list):
                        items.extend(built)
                    else:
                        items.append(built)
                production = productions.get(type(node))
                return items if production is None else production(items)

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
        self.AstVisitor: Any = AstVisitor
        self.ParseCancellationException: type[Exception] = ParseCancellationException
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
        tree = _run_parser(rt, antlr_tokens)
        if tree is None:
            # ANTLR's own expected set describes the state where it noticed the error, which
            # may be a decision several tokens back: the ATN simulation finds the first token
            # that cannot continue the input and the kinds that could have come there.
            dead, expected = rt.viable.first_dead([token.type for token in antlr_tokens])
            kinds = {rt.kind_of_type[t] for t in expected if t in rt.kind_of_type}
            raise ParseFailure(dead, conventional(kinds, dead))
        built: ast.Expr | None = tree.accept(rt.AstVisitor(assemble.with_values(tokens, literals)))
        return assemble.root(built, text)


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


def _run_parser(rt: _Runtime, antlr_tokens: list[Any]) -> Any:
    """The parse tree, or None when the parser stopped at a syntax error."""
    stream = rt.CommonTokenStream(rt.ListTokenSource(antlr_tokens))
    parser = rt.QParser(stream)
    parser.removeErrorListeners()
    parser._errHandler = rt.StrictStrategy()
    try:
        return parser.query()
    except rt.ParseCancellationException:
        return None


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

    def first_dead(self, types: Sequence[int]) -> tuple[int, frozenset[int]]:
        """Walk the token types of an input that does not parse; return the index of the first
        one that cannot continue it and the types that could have come there instead."""
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
                return index, self._expected(configs)
            configs = self._closure(moved, frames, push)
        return len(types) - 1, frozenset()  # pragma: no cover - the input does not parse

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
