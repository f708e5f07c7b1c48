"""The lark engine: ``grammar/q.lark`` with lark's basic lexer and LALR(1) parser.

Two lark objects are built from the one grammar file, once per process, on first use (lark is
imported only then, never by ``import qexpr``):

* a lexer-only ``Lark(parser=None, lexer="basic")``: lark keeps every terminal only in this mode,
  and the grammar's error terminals (``BAD_STRING``, ``BAD_NUMBER``, ``FOREIGN_OP``,
  ``BAD_CHAR``) are used by no rule; it also keeps its lexer, where a parsing ``Lark`` would
  rebuild one on every ``.lex()`` call;
* an LALR parser ``Lark(parser="lalr", lexer="basic")`` whose rule callbacks build the AST while
  parsing (an inline transformer: no parse tree is ever built). lark wraps each callback for
  ``?`` rules and for the helper rules of ``(...)*``, which build ``Tree`` objects only to have
  them spliced into their parent; those wrappers are replaced by direct equivalents
  (:func:`_direct_callbacks`).

In the full pipeline the parser is fed the common tokens (as light :class:`_Tok` tuples: lark's
parser only reads a token's ``type``), so limits, literal decoding and lexical errors stay in
the shared scanner. A literal token carries its decoded value (``literals[token.start]``) as
its ``value``.

The fast path (:meth:`LarkEngine.parse_fast`, tried first by ``parse``) skips the common tokens:
one loop runs the lexer's own regular expression, makes the parser's tokens and does the shared
scanner's checks on the way; it gives up, leaving the full pipeline to report, on anything but a
valid filter within the limits.
"""

from __future__ import annotations

import contextlib
import functools
import operator
import re
import threading
from collections.abc import Sequence
from decimal import Decimal
from importlib import resources
from typing import Any, NamedTuple

from qexpr.errors import QError
from qexpr.limits import Limits
from qexpr.operators import Operator
from qexpr.syntax import ast, fastpath
from qexpr.syntax import fastnodes as nodes
from qexpr.syntax.engine import Engine, LiteralValues, ParseFailure
from qexpr.syntax.tokens import NAME_KINDS, Token, TokenKind
from qexpr.syntax.tree_limits import check_tree_limits

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

_COMPARE_OPS: dict[str, Operator] = {
    "EQ": Operator.EQ,
    "NE": Operator.NE,
    "LT": Operator.LT,
    "LE": Operator.LE,
    "GT": Operator.GT,
    "GE": Operator.GE,
}
_EQ = Operator.EQ
_PATTERN_OPS: dict[str, Operator] = {
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


# --------------------------------------------------------------------------- tokens


class _Tok(NamedTuple):
    """A token as fed to lark's parser (which reads only ``type``) and seen by the callbacks.

    Cheaper to make than a lark ``Token`` (a ``str`` subclass with line and column fields).
    """

    type: str
    value: Any
    start_pos: int
    end_pos: int


_new_tuple = tuple.__new__


def _tok(type_: str, value: Any, start: int, end: int) -> _Tok:
    return _new_tuple(_Tok, (type_, value, start, end))


# --------------------------------------------------------------------------- AST callbacks


class _AstBuilder:
    """Rule callbacks, called by lark's LALR parser on each reduction (an inline transformer).

    Each method is named after a rule or an ``-> alias`` of ``q.lark`` and receives the rule's
    children: tokens (``value`` = the text, or the decoded literal; ``start_pos`` and
    ``end_pos`` = code-point span) and the nodes built for sub-rules. Rules marked ``?`` with a
    single child never get here (lark passes the child up). Stateless, so thread-safe. Nodes are
    made with :mod:`qexpr.syntax.fastnodes` (the same nodes as the constructors', faster).
    """

    # -- logic --------------------------------------------------------------------------------

    def query(self, children: list[Any]) -> ast.Expr | None:
        return children[0] if children else None

    def or_expr(self, children: list[Any]) -> ast.Expr:
        operands: list[ast.Expr] = children[0::2]
        return nodes.disjoin(operands, operands[0].start, operands[-1].end)

    def and_expr(self, children: list[Any]) -> ast.Expr:
        operands: list[ast.Expr] = children[0::2]
        return nodes.conjoin(operands, operands[0].start, operands[-1].end)

    def negation(self, children: list[Any]) -> ast.Not:
        not_token, operand = children
        return nodes.negation(operand, not_token.start_pos, operand.end)

    def group(self, children: list[Any]) -> ast.Expr:
        inner: ast.Expr = children[1]
        return inner

    # -- predicates ---------------------------------------------------------------------------

    def bare_path(self, children: list[Any]) -> ast.Comparison:
        path: ast.Path = children[0]
        start, end = path.start, path.end
        return nodes.comparison(path, _EQ, nodes.boolean(True, start, end), start, end)

    def comparison(self, children: list[Any]) -> ast.Comparison:
        path, op, operand = children
        return nodes.comparison(path, _COMPARE_OPS[op.type], operand, path.start, operand.end)

    def in_list(self, children: list[Any]) -> ast.InList:
        path: ast.Path = children[0]
        negated = children[1].type == "NOT"
        # ... IN ( value , value ,? ): the values are every other child from the first one
        values: tuple[ast.Value, ...] = tuple(children[4 if negated else 3 : -1 : 2])
        return nodes.in_list(path, values, negated, path.start, children[-1].end_pos)

    def between(self, children: list[Any]) -> ast.Between:
        path: ast.Path = children[0]
        negated = children[1].type == "NOT"
        low, high = children[-3], children[-1]
        return nodes.between(path, low, high, negated, path.start, high.end)

    def pattern_match(self, children: list[Any]) -> ast.PatternMatch:
        path: ast.Path = children[0]
        negated = children[1].type == "NOT"
        op, string = children[-2], children[-1]
        pattern = nodes.string(string.value, string.start_pos, string.end_pos)
        return nodes.pattern_match(
            path, _PATTERN_OPS[op.type], pattern, negated, path.start, string.end_pos
        )

    def is_null(self, children: list[Any]) -> ast.IsNull:
        path: ast.Path = children[0]
        negated = children[2].type == "NOT"
        return nodes.is_null(path, negated, path.start, children[-1].end_pos)

    def quantifier(self, children: list[Any]) -> ast.Quantified:
        head, _open, path, _comma, condition, close = children
        kind = ast.QuantifierKind.ANY if head.type == "ANY" else ast.QuantifierKind.ALL
        return nodes.quantified(kind, path, condition, head.start_pos, close.end_pos)

    # -- values -------------------------------------------------------------------------------

    def string(self, children: list[Any]) -> ast.String:
        token = children[0]
        return nodes.string(token.value, token.start_pos, token.end_pos)

    def number(self, children: list[Any]) -> ast.Number:
        token = children[0]
        return nodes.number(token.value, token.start_pos, token.end_pos)

    def negative_number(self, children: list[Any]) -> ast.Number:
        minus, token = children
        # copy_negate() is exact; unary minus would round to the context's 28 digits.
        value: Decimal = token.value.copy_negate()
        return nodes.number(value, minus.start_pos, token.end_pos)

    def true(self, children: list[Any]) -> ast.Boolean:
        token = children[0]
        return nodes.boolean(True, token.start_pos, token.end_pos)

    def false(self, children: list[Any]) -> ast.Boolean:
        token = children[0]
        return nodes.boolean(False, token.start_pos, token.end_pos)

    def null(self, children: list[Any]) -> ast.Null:
        token = children[0]
        return nodes.null(token.start_pos, token.end_pos)

    def now(self, children: list[Any]) -> ast.Now:
        return nodes.now(children[0].start_pos, children[-1].end_pos)

    def time_expr(self, children: list[Any]) -> ast.TimeExpr:
        first = children[0]
        base: ast.Now | ast.String
        if isinstance(first, ast.Now):
            base = first
        else:  # a STRING token
            base = nodes.string(first.value, first.start_pos, first.end_pos)
        shifts: tuple[ast.Shift, ...] = tuple(children[1:])
        end = shifts[-1].end if shifts else base.end
        return nodes.time_expr(base, shifts, base.start, end)

    def shift(self, children: list[Any]) -> ast.Shift:
        sign, token = children
        amount, unit = token.value
        duration = nodes.duration(amount, unit, token.start_pos, token.end_pos)
        return nodes.shift(
            1 if sign.type == "PLUS" else -1, duration, sign.start_pos, token.end_pos
        )

    def path(self, children: list[Any]) -> ast.Path:
        first = children[0]
        start = first.start_pos
        if len(children) == 1:
            end = first.end_pos
            return nodes.path((first.value,), ((start, end),), start, end)
        segments: list[str] = [first.value]
        spans: list[tuple[int, int]] = [(start, first.end_pos)]
        index, count = 1, len(children)
        while index < count:
            segment = children[index + 1]  # after DOT: the name; after LBRACKET: the STRING
            segments.append(segment.value)
            spans.append((segment.start_pos, segment.end_pos))
            index += 2 if children[index].type == "DOT" else 3
        return nodes.path(tuple(segments), tuple(spans), start, children[-1].end_pos)


class _Unsupported(Exception):
    """lark wired a rule callback in a way :func:`_direct_callbacks` does not know."""


def _direct_callbacks(
    callbacks: dict[Any, Any], builder: _AstBuilder, tree_class: type
) -> dict[Any, Any]:
    """lark's rule callbacks without lark's wrappers: the same results, fewer Python calls.

    lark wraps each transformer method: ``ExpandSingleChild`` (a ``?`` rule with one child
    passes it up), ``ChildFilterLALR_NoPlaceholders`` (the children of an inlined ``_rule``, such
    as the helper rules lark makes for ``(...)*``, are spliced into the parent's), and helper
    rules build a ``Tree`` only to be spliced. Here a helper rule's value is its children list,
    splicing concatenates lists, and a ``?`` rule over a single symbol is ``itemgetter(0)``.
    Anything else raises :class:`_Unsupported` (the caller then keeps lark's callbacks).
    """
    from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders, ExpandSingleChild

    def direct(callback: Any) -> Any:
        """The callback without wrappers; ``None`` for a helper rule's (its children list)."""
        if type(callback) is ExpandSingleChild:
            inner = direct(callback.node_builder)
            if inner is None:
                raise _Unsupported(callback)

            def expand(children: list[Any]) -> Any:
                return children[0] if len(children) == 1 else inner(children)

            return expand
        if type(callback) is ChildFilterLALR_NoPlaceholders:
            return _splicing(tuple(callback.to_include), direct(callback.node_builder))
        if isinstance(callback, functools.partial) and callback.func is tree_class:
            return None
        if getattr(callback, "__self__", None) is builder:
            return callback
        raise _Unsupported(callback)

    out: dict[Any, Any] = {}
    for rule, callback in callbacks.items():
        if type(callback) is ExpandSingleChild and len(rule.expansion) == 1:
            out[rule] = operator.itemgetter(0)
        else:
            made = direct(callback)
            out[rule] = list if made is None else made
    return out


def _splicing(to_include: tuple[tuple[int, bool], ...], inner: Any) -> Any:
    """``ChildFilterLALR_NoPlaceholders`` over lists: keep or splice children, then ``inner``."""

    def splice(children: list[Any]) -> Any:
        kept: list[Any] = []
        for index, to_expand in to_include:
            if to_expand:
                if kept:
                    kept += children[index]
                else:  # left recursion: go on with the list built so far
                    kept = children[index]
            else:
                kept.append(children[index])
        return kept if inner is None else inner(kept)

    return splice



# --------------------------------------------------------------------------- lark objects


class _LarkParts:
    """The lark objects and classes the engine uses, built once."""

    def __init__(self) -> None:
        from lark import Lark
        from lark.exceptions import UnexpectedCharacters, UnexpectedInput
        from lark.parsers.lalr_analysis import Shift
        from lark.parsers.lalr_parser_state import ParseConf, ParserState
        from lark.tree import Tree
        from lark.utils import TextSlice

        grammar = grammar_text()
        self.lexer: Any = Lark(grammar, start="query", parser=None, lexer="basic")
        builder = _AstBuilder()
        self.parser: Any = Lark(
            grammar,
            start="query",
            parser="lalr",
            lexer="basic",
            maybe_placeholders=False,
            transformer=builder,
        )
        self.unexpected_input: type[Exception] = UnexpectedInput
        self.unexpected_characters: Any = UnexpectedCharacters
        self.text_slice: Any = TextSlice
        self.shift: Any = Shift
        # The LALR parser proper, with the callbacks called directly (for every parse, the
        # interactive parser of ``_expected`` included), and what a parse needs to start.
        lalr = self.parser.parser.parser.parser
        with contextlib.suppress(_Unsupported):  # else keep lark's (another lark version)
            lalr.callbacks = _direct_callbacks(lalr.callbacks, builder, Tree)
        self.parse_conf: Any = ParseConf(lalr.parse_table, lalr.callbacks, "query")
        self.parser_state: Any = ParserState
        self.fast = _FastLexing.of(self.lexer)


class _FastLexing:
    """What the fast path needs of lark's lexer: its one regular expression and its keywords.

    lark's basic lexer matches that expression (every terminal, by priority) at each position,
    drops ``WS``, and re-types an ``IDENT`` whose whole text is a keyword (case-insensitively,
    its ``UnlessCallback``). The fast path does the same with ``finditer`` and a dictionary, in
    one loop, instead of lark's per-token Python machinery.
    """

    def __init__(self, pattern: re.Pattern[str], keywords: dict[str, str]) -> None:
        self.pattern = pattern
        self.keywords = keywords
        #: Types of identifiers met so far (IDENT or a keyword), bounded like ``fastpath``'s.
        self.words: dict[str, str] = {}

    @classmethod
    def of(cls, lexer: Any) -> _FastLexing | None:
        """From a lexer-only ``Lark``, or None if lark's lexer is not wired as expected."""
        try:
            basic = lexer.lexer
            scanner = basic.scanner
            unless = basic.callback["IDENT"]
            patterns = scanner._mres
            keywords: dict[str, str] = {}
            for terminal in unless.scanner.terminals:
                pattern = terminal.pattern
                if type(pattern).__name__ != "PatternStr" or set(pattern.flags) != {"i"}:
                    return None
                keywords[pattern.value.lower()] = terminal.name
        except (AttributeError, KeyError):  # pragma: no cover - another lark version
            return None
        if (
            len(patterns) != 1
            or set(basic.callback) != {"IDENT"}
            or set(basic.ignore_types) != {"WS"}
            or set(patterns[0].groupindex) != set(_ROLES)
            or patterns[0].groups != len(_ROLES)
        ):
            return None  # pragma: no cover - another grammar or lark version
        return cls(patterns[0], keywords)

    def word(self, text: str) -> str:
        """The type of the IDENT ``text``: a keyword's, or IDENT."""
        kind = self.keywords.get(text.lower(), "IDENT")
        if len(self.words) < _WORD_CACHE_SIZE and len(text) <= _WORD_CACHE_LENGTH:
            self.words[text] = kind
        return kind


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
    make = nodes.token
    tokens: list[Token] = []
    append = tokens.append
    source: Any = text
    while True:
        try:
            for item in lexer.lex(source):
                append(make(kinds[item.type], item.value, item.start_pos, item.end_pos))
        except parts.unexpected_characters as exc:
            position: int = exc.pos_in_stream
            append(Token(K.ERROR, text[position], position, position + 1))
            source = parts.text_slice(text, position + 1, len(text))
        else:
            return tokens


# --------------------------------------------------------------------------- parsing


def _lark_tokens(parts: _LarkParts, tokens: Sequence[Token], literals: LiteralValues) -> list[Any]:
    """The common tokens as parser tokens (EOF as ``$END``); literals carry their decoded value."""
    names = _TERMINAL_OF_KIND
    fallback = _LITERAL_FALLBACK
    out: list[Any] = []
    append = out.append
    for token in tokens:
        kind = token.kind
        value: object = token.text
        if kind in fallback:
            value = literals.get(token.start, fallback[kind])
        append(_tok(names[kind], value, token.start, token.end))
    if not tokens or tokens[-1].kind is not K.EOF:
        end = tokens[-1].end if tokens else 0
        append(_tok("$END", "", end, end))
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
        feed = parts.parser_state(parts.parse_conf, None).feed_token
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

    def parse_fast(self, text: str, limits: Limits) -> ast.Expr | None:
        """A valid filter's AST in one pass over lark's lexer expression and parser, or None.

        See :func:`_parse_fast`; ``parse`` runs the full pipeline when this gives up.
        """
        parts = _lark()
        if parts.fast is None:
            return None  # pragma: no cover - lark's lexer is not wired as expected
        return _parse_fast(parts, parts.fast, text, limits)


# --------------------------------------------------------------------------- the fast path

# What the fast path does with each of lark's terminals (the names of the lexer's groups).
_R_PLAIN, _R_IDENT, _R_OPEN, _R_HEAD, _R_STRING, _R_NUMBER, _R_DURATION = range(7)
_R_PATH, _R_WS, _R_ERROR = range(7, 10)
_ROLES: dict[str, int] = {
    **dict.fromkeys(
        ("RPAREN", "COMMA", "MINUS", "PLUS", "EQ", "NE", "LT", "LE", "GT", "GE", "AND", "OR",
         "IN", "BETWEEN", "LIKE", "ILIKE", "CONTAINS", "STARTS_WITH", "ENDS_WITH", "IS", "NULL",
         "TRUE", "FALSE", "NOW"),
        _R_PLAIN,
    ),
    "IDENT": _R_IDENT,
    "LPAREN": _R_OPEN,  # parentheses and NOTs: what the nesting count may count
    "NOT": _R_OPEN,
    "ANY": _R_HEAD,
    "ALL": _R_HEAD,
    "STRING": _R_STRING,
    "NUMBER": _R_NUMBER,
    "DURATION": _R_DURATION,
    "DOT": _R_PATH,
    "LBRACKET": _R_PATH,
    "RBRACKET": _R_PATH,
    "WS": _R_WS,
    **dict.fromkeys(("FOREIGN_OP", "BAD_STRING", "BAD_NUMBER", "BAD_CHAR"), _R_ERROR),
}
_WORD_CACHE_SIZE = 4096
_WORD_CACHE_LENGTH = 64
_END = _tok("$END", "", 0, 0)
_PREFIX_NOT_AFTER = frozenset({"LPAREN", "COMMA", "AND", "OR", "NOT"})


def _parse_fast(
    parts: _LarkParts, fast: _FastLexing, text: str, limits: Limits
) -> ast.Expr | None:
    """The full pipeline for a valid filter, fused: lex, check and decode, parse; else None.

    :func:`_fast_lex` makes the parser's tokens, doing on the way what the shared scanner does
    for a valid filter; lark's LALR parser then builds the AST through the callbacks (a syntax
    error gives up), and ``check_tree_limits`` checks it (an exceeded limit gives up). Whatever
    gives up is decided by the full pipeline, which alone reports errors.
    """
    tokens = _fast_lex(fast, text, limits)
    if tokens is None:
        return None
    feed = parts.parser_state(parts.parse_conf, None).feed_token
    try:
        for token in tokens:
            feed(token)
        tree = feed(_END, True)
    except parts.unexpected_input:
        return None
    if tree is None:
        return nodes.match_all(0, len(text))
    result: ast.Expr = tree
    try:
        check_tree_limits(text, result, limits)
    except QError:
        return None
    return result


def _fast_lex(fast: _FastLexing, text: str, limits: Limits) -> list[_Tok] | None:
    """The parser's tokens for ``text`` by lark's lexer expression, checked as the shared scanner
    checks a valid filter; None at anything the scanner would report.

    Literals are decoded (the shared ``literals`` functions) and string lengths checked; any
    error terminal, a literal that does not decode, or whitespace next to a ``.``, ``[`` or
    before a ``]`` (the scanner's path rule, slightly widened: such tokens only occur inside
    paths) gives up. Nesting is counted on the way (parentheses and NOTs, quantifier heads);
    only when those counts exceed the limits is the scanner's exact count redone
    (:func:`_nesting_within`).
    """
    tokens: list[_Tok] = []
    append = tokens.append
    roles = _ROLES
    words = fast.words
    max_string = limits.max_string_length
    position = 0
    previous = ""
    gap = False
    opens = 0
    heads = 0
    try:
        for match in fast.pattern.finditer(text):
            start, end = match.span()
            if start != position:
                return None  # pragma: no cover - BAD_CHAR matches any character
            position = end
            type_: Any = match.lastgroup
            role = roles[type_]
            if role == _R_WS:
                gap = True
                continue
            value: Any = match.group()
            if role == _R_IDENT:
                type_ = words.get(value) or fast.word(value)
                role = roles[type_]
            if gap:
                if role == _R_PATH or previous == "DOT" or previous == "LBRACKET":
                    return None
                gap = False
            if role > _R_IDENT:
                if role == _R_STRING:
                    value = fastpath.string_value(value, start, max_string)
                elif role == _R_NUMBER:
                    value = fastpath.decimal_value(value, start)
                elif role == _R_DURATION:
                    value = fastpath.duration_value(value)
                elif role == _R_OPEN:
                    opens += 1
                elif role == _R_HEAD:
                    heads += 1
                elif role == _R_ERROR:
                    return None
            append(_new_tuple(_Tok, (type_, value, start, end)))
            previous = type_
    except fastpath.GiveUp:
        return None
    if position != len(text):
        return None  # pragma: no cover - BAD_CHAR matches any character
    if (
        opens > limits.max_depth or heads > limits.max_quantifier_depth
    ) and not _nesting_within(tokens, limits):
        return None
    return tokens


def _nesting_within(tokens: Sequence[_Tok], limits: Limits) -> bool:
    """Whether the shared scanner's nesting and quantifier counts stay within the limits.

    The same count as :func:`qexpr.syntax.scan.scan_tokens`, on lark's token types.
    """
    stack: list[list[int]] = [[0, 0]]
    depth = 0
    quantifiers = 0
    previous = ""
    for token in tokens:
        kind = token.type
        if kind == "LPAREN":
            is_quantifier = previous == "ANY" or previous == "ALL"
            stack.append([0, 1 if is_quantifier else 0])
            depth += 1
            if is_quantifier:
                quantifiers += 1
                if quantifiers > limits.max_quantifier_depth:
                    return False
            if depth > limits.max_depth:
                return False
        elif kind == "RPAREN":
            if len(stack) > 1:
                pending, quantifier_paren = stack.pop()
                depth -= pending + 1
                quantifiers -= quantifier_paren
        elif kind == "NOT" and (not previous or previous in _PREFIX_NOT_AFTER):
            stack[-1][0] += 1
            depth += 1
            if depth > limits.max_depth:
                return False
        elif kind == "AND" or kind == "OR" or kind == "COMMA":
            depth -= stack[-1][0]
            stack[-1][0] = 0
        previous = kind
    return True
