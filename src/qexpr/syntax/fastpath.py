"""The native engine's fast path: valid q text to AST in one pass, or ``None`` to give up.

:func:`parse_valid` does what the full pipeline of :mod:`qexpr.syntax.parser` does for a valid
filter (lexing, the shared scan's checks and literal decoding, parsing, the AST limits), fused
into one regular expression ``findall``, one loop classifying its tokens and one iterative
recursive-descent parse, with no :class:`~qexpr.syntax.tokens.Token` objects, no error
bookkeeping, and the nodes made by :mod:`qexpr.syntax.fastnodes`. The moment anything is
irregular -- text that is no token, a literal that does not decode or is too long, whitespace
inside a path, a limit exceeded, any syntax error -- it returns ``None`` and the caller runs the
full pipeline, which then produces the canonical error. So errors are the pipeline's by
construction; what this module must get right is that it *only* returns trees the pipeline
would have returned, identical to the last span (``tests/syntax/test_fastpath.py``):

* Tokens. ``_FAST_RE`` yields (whitespace, token) pairs. Its token alternatives accept a subset
  of what the engines' lexers accept, with the same boundaries (a string is closed by the first
  unescaped quote; a number or duration only matches a whole "digit run", which the lookahead
  guarantees; ``=`` and ``<`` are not split off ``==`` and ``<>``); anything else (an
  unterminated string, a string holding a raw control character, a malformed digit run, a
  foreign operator, any other character) ends the scan with an empty token, and we give up.
  Keywords are recognised in any case, as the lexers do (``_WORDS`` remembers the words met).
* Literals. A string without a backslash is its text between the quotes (``decode_string``
  returns exactly that slice when there is no backslash, no control character and no raw
  surrogate, and the expression admits neither); others go through ``decode_string``. Numbers
  are ``Decimal(text)`` (a zero as ``Decimal(0)``) like ``parse_number``, whose digit and
  exponent check cannot fail for at most 34 characters without an exponent, and runs
  otherwise. Durations use ``parse_duration`` when they have more characters than its digit
  limit.
* Token-level limits. Every decoded string's length is checked. The scanner's nesting count
  (open parentheses plus pending prefix NOTs) is never more, on a valid filter, than the
  structural nesting counted here (every enclosing parenthesis -- group, quantifier, IN list,
  ``now()`` -- and every enclosing prefix NOT: a pending NOT always encloses the current point,
  and BETWEEN's AND only makes the scanner's count smaller), so staying within ``max_depth``
  here means the scanner raises nothing; quantifier nesting is the same count on both sides.
* AST-level limits. ``check_tree_limits`` raises exactly when there are more predicates (and
  quantifiers) than ``max_predicates`` or an IN list is longer than ``max_in_values``; both are
  counted while parsing, and either gives up.
* Whitespace in paths. The scanner rejects whitespace between two tokens of one path (before or
  after a ``.`` or ``[``, and before ``]``); in a valid filter those tokens only occur inside
  paths, so checking the gaps while parsing a path is the same test.
"""

from __future__ import annotations

import re
from decimal import Decimal

from qexpr.limits import Limits
from qexpr.operators import Operator
from qexpr.syntax import ast
from qexpr.syntax import fastnodes as nodes
from qexpr.syntax.literals import (
    MAX_DURATION_DIGITS,
    LiteralError,
    decode_string,
    parse_duration,
    parse_number,
)
from qexpr.syntax.tokens import COMPARE_OPS, KEYWORDS, PATTERN_OPS, PUNCTUATION, TokenKind

# Token kinds as plain ints (cheaper to compare than enum members).
LPAREN = int(TokenKind.LPAREN)
RPAREN = int(TokenKind.RPAREN)
LBRACKET = int(TokenKind.LBRACKET)
RBRACKET = int(TokenKind.RBRACKET)
COMMA = int(TokenKind.COMMA)
DOT = int(TokenKind.DOT)
MINUS = int(TokenKind.MINUS)
PLUS = int(TokenKind.PLUS)
AND = int(TokenKind.AND)
OR = int(TokenKind.OR)
NOT = int(TokenKind.NOT)
IN = int(TokenKind.IN)
BETWEEN = int(TokenKind.BETWEEN)
IS = int(TokenKind.IS)
NULL = int(TokenKind.NULL)
TRUE = int(TokenKind.TRUE)
FALSE = int(TokenKind.FALSE)
ANY = int(TokenKind.ANY)
ALL = int(TokenKind.ALL)
NOW = int(TokenKind.NOW)
IDENT = int(TokenKind.IDENT)
STRING = int(TokenKind.STRING)
NUMBER = int(TokenKind.NUMBER)
DURATION = int(TokenKind.DURATION)
EOF = int(TokenKind.EOF)

_FAST_RE = re.compile(
    r"""
    ([ \t\r\n]*+)
    (?:
      (   [A-Za-z_][A-Za-z0-9_]*+
        | [(),\[\].+\-] | [<>!]= | =(?!=) | <(?!>) | >
        | "[^"\\\x00-\x1f\ud800-\udfff]*+(?:\\.[^"\\\x00-\x1f\ud800-\udfff]*+)*+"
        | [0-9]++(?:(?:\.[0-9]++)?(?:[eE][+-]?[0-9]++)?|ms|[smhdw])(?![A-Za-z0-9_.])
        | '[^'\\\x00-\x1f\ud800-\udfff]*+(?:\\.[^'\\\x00-\x1f\ud800-\udfff]*+)*+'
      )
    | [^ \t\r\n].*
    )
    """,
    re.VERBOSE | re.DOTALL,
)

#: Kinds of the tokens whose text says it all: punctuation, keywords in the usual spellings.
_FIXED: dict[str, int] = {text: int(kind) for text, kind in PUNCTUATION.items()}
for _word, _kind in KEYWORDS.items():
    for _spelling in (_word, _word.upper(), _word.title()):
        _FIXED[_spelling] = int(_kind)
_KEYWORD_KINDS: dict[str, int] = {word: int(kind) for word, kind in KEYWORDS.items()}
#: Kinds of words as met: ``_FIXED``, then field names and odd keyword spellings (IDENT or the
#: keyword), up to ``_WORD_CACHE_SIZE`` of them -- a filter's vocabulary is small and repeats.
_WORDS: dict[str, int] = dict(_FIXED)
_WORD_CACHE_SIZE = 4096
_WORD_CACHE_LENGTH = 64
#: Kinds by the first character of a literal (a token that is no punctuation and no word).
_BY_FIRST: dict[str, int] = {'"': STRING, "'": STRING, **dict.fromkeys("0123456789", NUMBER)}
_UNIT_CHARS = frozenset("smhdw")

_COMPARE_OPS: dict[int, Operator] = {int(k): v for k, v in COMPARE_OPS.items()}
_PATTERN_OPS: dict[int, Operator] = {int(k): v for k, v in PATTERN_OPS.items()}
_NAME_KINDS = frozenset({IDENT, *_KEYWORD_KINDS.values()})
_PATH_NEXT = frozenset({DOT, LBRACKET})
_QUANTIFIERS = frozenset({ANY, ALL})
_SIGNS = frozenset({PLUS, MINUS})
_BOOLEANS = frozenset({TRUE, FALSE})
_EQ = Operator.EQ
_ANY = ast.QuantifierKind.ANY
_ALL = ast.QuantifierKind.ALL
_UNITS: dict[str, ast.DurationUnit] = {unit.value: unit for unit in ast.DurationUnit}

# The nodes made most often are made inline, with these.
_new = object.__new__
_Path = ast.Path
_Comparison = ast.Comparison
_String = ast.String
_Number = ast.Number
_set_start = nodes.set_start
_set_end = nodes.set_end
_set_segments = nodes.set_segments
_set_segment_spans = nodes.set_segment_spans
_set_cmp_path = nodes.set_cmp_path
_set_cmp_op = nodes.set_cmp_op
_set_cmp_operand = nodes.set_cmp_operand
_set_value_str = nodes.set_value_str
_set_value_num = nodes.set_value_num


class GiveUp(Exception):
    """Not a plain valid filter: let the full pipeline decide."""


_GIVE_UP = GiveUp()
_ZERO = Decimal(0)

Kinds = list[int]
Pairs = list[tuple[str, str]]
Starts = list[int]


def parse_valid(text: str, limits: Limits) -> ast.Expr | None:
    """Exactly the AST :func:`qexpr.syntax.parser.parse_full` returns for ``text`` (a string
    within the length limit), or ``None`` where that raises -- or where this cannot tell."""
    if not nodes.AVAILABLE:
        return None
    scanned = scan(text)
    if scanned is None:
        return None
    kinds, pairs, starts = scanned
    if kinds[0] == EOF:  # empty or all whitespace
        return nodes.match_all(0, len(text))
    try:
        return _parse(kinds, pairs, starts, limits)
    except GiveUp:
        return None


def scan(text: str) -> tuple[Kinds, Pairs, Starts] | None:
    """The tokens of ``text``: their kinds, (whitespace before, text) pairs and start offsets,
    each list ending with three EOF entries; or ``None`` at anything that is no plain token."""
    # Trailing whitespace is cut off first: at the end, a failing match would retry at every
    # whitespace character, each time scanning to the end (quadratic).
    pairs: Pairs = _FAST_RE.findall(text.rstrip(" \t\r\n"))
    if pairs and not pairs[-1][1]:  # the scan stopped at something that is no plain token
        return None
    kinds: Kinds = []
    starts: Starts = []
    append_kind = kinds.append
    append_start = starts.append
    words = _WORDS
    by_first = _BY_FIRST
    position = 0
    for gap, token in pairs:
        if gap:
            position += len(gap)
        append_start(position)
        position += len(token)
        kind = words.get(token)
        if kind is None:
            kind = by_first.get(token[0])
            if kind is None:
                kind = _word_kind(token)
            elif kind == NUMBER and token[-1] in _UNIT_CHARS:
                kind = DURATION
        append_kind(kind)
    # End of input, padded so that looking two tokens past it stays in range.
    end = len(text)
    kinds += (EOF, EOF, EOF)
    starts += (end, end, end)
    pairs += (("", ""), ("", ""), ("", ""))
    return kinds, pairs, starts


def _word_kind(word: str) -> int:
    """IDENT, or the keyword ``word`` spells (in any case); remembered in ``_WORDS``."""
    kind = _KEYWORD_KINDS.get(word.lower(), IDENT)
    if len(_WORDS) < _WORD_CACHE_SIZE and len(word) <= _WORD_CACHE_LENGTH:
        _WORDS[word] = kind
    return kind


def _parse(kinds: Kinds, pairs: Pairs, starts: Starts, limits: Limits) -> ast.Expr:
    """or_expr EOF, iteratively: an explicit stack of open parentheses (groups, quantifiers).

    ``depth`` is the structural nesting (open parentheses plus the prefix NOTs around the
    operand being parsed), ``quantifiers`` the open quantifiers.
    """
    max_depth = limits.max_depth
    max_string = limits.max_string_length
    max_predicates = limits.max_predicates
    depth = 0
    quantifiers = 0
    predicates = 0
    # Per open parenthesis: the enclosing level's OR and AND operands so far, the prefix NOTs
    # before the parenthesis, and for a quantifier its head's index and relation.
    stack: list[tuple[list[ast.Expr] | None, list[ast.Expr] | None, list[int] | None, int,
                      ast.Path | None]] = []
    or_ops: list[ast.Expr] | None = None
    and_ops: list[ast.Expr] | None = None
    node: ast.Expr
    pos = 0
    while True:
        # -- an operand: NOT* (predicate | "(" or_expr ")" | quantifier)
        kind = kinds[pos]
        nots: list[int] | None = None
        if kind == NOT:
            first = pos
            pos += 1
            while kinds[pos] == NOT:
                pos += 1
            depth += pos - first
            if depth > max_depth:
                raise _GIVE_UP
            nots = starts[first:pos]
            kind = kinds[pos]
        if kind == IDENT:
            predicates += 1
            if predicates > max_predicates:
                raise _GIVE_UP
            name = pairs[pos][1]
            start = starts[pos]
            end = start + len(name)
            pos += 1
            kind = kinds[pos]
            path: ast.Path
            if kind in _PATH_NEXT:
                path, pos = _path_rest(name, start, end, pos, kinds, pairs, starts, max_string)
                kind = kinds[pos]
            else:
                path = _new(_Path)
                _set_segments(path, (name,))
                _set_segment_spans(path, ((start, end),))
                _set_start(path, start)
                _set_end(path, end)
            compare = _COMPARE_OPS.get(kind)
            if compare is not None:
                pos += 1
                kind = kinds[pos]
                operand: ast.Value | ast.Path
                if kind == NUMBER:
                    raw = pairs[pos][1]
                    value_start = starts[pos]
                    operand = _new(_Number)
                    _set_value_num(
                        operand,
                        Decimal(raw) if len(raw) <= 34 and raw.isdigit()
                        else _decimal(raw, value_start),
                    )
                    _set_start(operand, value_start)
                    _set_end(operand, value_start + len(raw))
                    pos += 1
                elif kind == STRING and kinds[pos + 1] not in _SIGNS:
                    raw = pairs[pos][1]
                    value_start = starts[pos]
                    text = _decode(raw, value_start) if "\\" in raw else raw[1:-1]
                    if len(text) > max_string:
                        raise _GIVE_UP
                    operand = _new(_String)
                    _set_value_str(operand, text)
                    _set_start(operand, value_start)
                    _set_end(operand, value_start + len(raw))
                    pos += 1
                elif kind == IDENT:
                    name = pairs[pos][1]
                    value_start = starts[pos]
                    end = value_start + len(name)
                    pos += 1
                    kind = kinds[pos]
                    if kind in _PATH_NEXT:
                        operand, pos = _path_rest(
                            name, value_start, end, pos, kinds, pairs, starts, max_string
                        )
                    else:
                        operand = _new(_Path)
                        _set_segments(operand, (name,))
                        _set_segment_spans(operand, ((value_start, end),))
                        _set_start(operand, value_start)
                        _set_end(operand, end)
                else:
                    operand, pos = _value(pos, kinds, pairs, starts, depth, limits)
                node = _new(_Comparison)
                _set_cmp_path(node, path)
                _set_cmp_op(node, compare)
                _set_cmp_operand(node, operand)
                _set_start(node, start)
                _set_end(node, operand.end)
            else:
                node, pos = _predicate_tail(path, pos, kinds, pairs, starts, depth, limits)
        elif kind == LPAREN:
            depth += 1
            if depth > max_depth:
                raise _GIVE_UP
            stack.append((or_ops, and_ops, nots, -1, None))
            or_ops = and_ops = None
            pos += 1
            continue
        elif kind in _QUANTIFIERS:
            if kinds[pos + 1] != LPAREN or kinds[pos + 2] != IDENT:
                raise _GIVE_UP
            quantifiers += 1
            depth += 1
            predicates += 1
            if (
                quantifiers > limits.max_quantifier_depth
                or depth > max_depth
                or predicates > max_predicates
            ):
                raise _GIVE_UP
            relation, after = _path_at(pos + 2, kinds, pairs, starts, max_string)
            if kinds[after] != COMMA:
                raise _GIVE_UP
            stack.append((or_ops, and_ops, nots, pos, relation))
            or_ops = and_ops = None
            pos = after + 1
            continue
        else:
            raise _GIVE_UP
        # -- a complete operand ``node``; what follows it closes levels or starts another
        while True:
            if nots is not None:
                end = node.end
                for start in reversed(nots):
                    node = nodes.negation(node, start, end)
                depth -= len(nots)
                nots = None
            kind = kinds[pos]
            if kind == AND:
                if and_ops is None:
                    and_ops = [node]
                else:
                    and_ops.append(node)
                pos += 1
                break
            if and_ops is not None:
                and_ops.append(node)
                node = nodes.conjoin(and_ops, and_ops[0].start, node.end)
                and_ops = None
            if kind == OR:
                if or_ops is None:
                    or_ops = [node]
                else:
                    or_ops.append(node)
                pos += 1
                break
            if or_ops is not None:
                or_ops.append(node)
                node = nodes.disjoin(or_ops, or_ops[0].start, node.end)
                or_ops = None
            if kind == RPAREN and stack:
                or_ops, and_ops, nots, head, over = stack.pop()
                depth -= 1
                if over is not None:
                    quantifiers -= 1
                    node = nodes.quantified(
                        _ANY if kinds[head] == ANY else _ALL, over, node, starts[head],
                        starts[pos] + 1,
                    )
                pos += 1
                continue
            if kind == EOF and not stack:
                return node
            raise _GIVE_UP


def _predicate_tail(
    path: ast.Path, pos: int, kinds: Kinds, pairs: Pairs, starts: Starts, depth: int,
    limits: Limits,
) -> tuple[ast.Expr, int]:
    """The rest of a predicate after its path, but for a comparison; and the next index."""
    max_string = limits.max_string_length
    kind = kinds[pos]
    start = path.start
    if kind == IS:
        negated = kinds[pos + 1] == NOT
        if negated:
            pos += 1
        if kinds[pos + 1] != NULL:
            raise _GIVE_UP
        pos += 1
        end = starts[pos] + len(pairs[pos][1])
        return nodes.is_null(path, negated, start, end), pos + 1
    negated = kind == NOT
    if negated:
        pos += 1
        kind = kinds[pos]
    pattern_op = _PATTERN_OPS.get(kind)
    if pattern_op is not None:
        pos += 1
        if kinds[pos] != STRING:
            raise _GIVE_UP
        pattern = _string(pos, pairs, starts, max_string)
        return nodes.pattern_match(path, pattern_op, pattern, negated, start, pattern.end), pos + 1
    if kind == IN:
        depth += 1
        if kinds[pos + 1] != LPAREN or depth > limits.max_depth:
            raise _GIVE_UP
        pos += 2
        value, pos = _value(pos, kinds, pairs, starts, depth, limits)
        values = [value]
        while kinds[pos] == COMMA:
            pos += 1
            if kinds[pos] == RPAREN:
                break
            value, pos = _value(pos, kinds, pairs, starts, depth, limits)
            values.append(value)
        if kinds[pos] != RPAREN or len(values) > limits.max_in_values:
            raise _GIVE_UP
        return nodes.in_list(path, tuple(values), negated, start, starts[pos] + 1), pos + 1
    if kind == BETWEEN:
        low, pos = _value(pos + 1, kinds, pairs, starts, depth, limits)
        if kinds[pos] != AND:
            raise _GIVE_UP
        high, pos = _value(pos + 1, kinds, pairs, starts, depth, limits)
        return nodes.between(path, low, high, negated, start, high.end), pos
    if negated:
        raise _GIVE_UP
    # A bare path: the boolean field is true.
    end = path.end
    true = nodes.boolean(True, start, end)
    return nodes.comparison(path, _EQ, true, start, end), pos


def _path_at(
    pos: int, kinds: Kinds, pairs: Pairs, starts: Starts, max_string: int
) -> tuple[ast.Path, int]:
    """The path starting with the IDENT at ``pos``, and the next index."""
    name = pairs[pos][1]
    start = starts[pos]
    end = start + len(name)
    pos += 1
    kind = kinds[pos]
    if kind in _PATH_NEXT:
        return _path_rest(name, start, end, pos, kinds, pairs, starts, max_string)
    return nodes.path((name,), ((start, end),), start, end), pos


def _path_rest(
    name: str,
    start: int,
    end: int,
    pos: int,
    kinds: Kinds,
    pairs: Pairs,
    starts: Starts,
    max_string: int,
) -> tuple[ast.Path, int]:
    """A path whose first segment ``name`` is followed by the DOT or LBRACKET at ``pos``.

    No whitespace may come before or after the ``.`` or ``[``, nor before the ``]``.
    """
    segments = [name]
    spans = [(start, end)]
    kind = kinds[pos]
    while True:
        if kind == DOT:
            if pairs[pos][0] or pairs[pos + 1][0] or kinds[pos + 1] not in _NAME_KINDS:
                raise _GIVE_UP
            pos += 1
            name = pairs[pos][1]
            segment_start = starts[pos]
            end = segment_start + len(name)
            segments.append(name)
            spans.append((segment_start, end))
        elif kind == LBRACKET:
            if (
                pairs[pos][0]
                or kinds[pos + 1] != STRING
                or pairs[pos + 1][0]
                or kinds[pos + 2] != RBRACKET
                or pairs[pos + 2][0]
            ):
                raise _GIVE_UP
            key = _string(pos + 1, pairs, starts, max_string)
            pos += 2
            segments.append(key.value)
            spans.append((key.start, key.end))
            end = starts[pos] + 1
        else:
            return nodes.path(tuple(segments), tuple(spans), start, end), pos
        pos += 1
        kind = kinds[pos]


def _string(pos: int, pairs: Pairs, starts: Starts, max_string: int) -> ast.String:
    """The STRING token at ``pos`` as a node (decoded, and within the length limit)."""
    raw = pairs[pos][1]
    start = starts[pos]
    value = _decode(raw, start) if "\\" in raw else raw[1:-1]
    if len(value) > max_string:
        raise _GIVE_UP
    node = _new(_String)
    _set_value_str(node, value)
    _set_start(node, start)
    _set_end(node, start + len(raw))
    return node


def _value(
    pos: int, kinds: Kinds, pairs: Pairs, starts: Starts, depth: int, limits: Limits
) -> tuple[ast.Value, int]:
    """value := string | "-"? number | "true" | "false" | "null" | time_expr; and the next index."""
    kind = kinds[pos]
    if kind == STRING:
        text = _string(pos, pairs, starts, limits.max_string_length)
        kind = kinds[pos + 1]
        if kind in _SIGNS:
            return _time_shifts(text, pos + 1, kinds, pairs, starts)
        return text, pos + 1
    if kind == NUMBER:
        raw = pairs[pos][1]
        start = starts[pos]
        return nodes.number(_decimal(raw, start), start, start + len(raw)), pos + 1
    if kind == MINUS:
        if kinds[pos + 1] != NUMBER:
            raise _GIVE_UP
        raw = pairs[pos + 1][1]
        start = starts[pos + 1]
        number = _decimal(raw, start).copy_negate()
        return nodes.number(number, starts[pos], start + len(raw)), pos + 2
    if kind in _BOOLEANS:
        start = starts[pos]
        return nodes.boolean(kind == TRUE, start, start + len(pairs[pos][1])), pos + 1
    if kind == NULL:
        start = starts[pos]
        return nodes.null(start, start + len(pairs[pos][1])), pos + 1
    if kind == NOW:
        if kinds[pos + 1] != LPAREN or kinds[pos + 2] != RPAREN or depth >= limits.max_depth:
            raise _GIVE_UP
        now = nodes.now(starts[pos], starts[pos + 2] + 1)
        kind = kinds[pos + 3]
        if kind in _SIGNS:
            return _time_shifts(now, pos + 3, kinds, pairs, starts)
        return nodes.time_expr(now, (), now.start, now.end), pos + 3
    raise _GIVE_UP


def _time_shifts(
    base: ast.Now | ast.String, pos: int, kinds: Kinds, pairs: Pairs, starts: Starts
) -> tuple[ast.TimeExpr, int]:
    """time_expr := (now() | string) (("+" | "-") duration)+ (a sign is at ``pos``)"""
    shifts: list[ast.Shift] = []
    kind = kinds[pos]
    while kind in _SIGNS:
        if kinds[pos + 1] != DURATION:
            raise _GIVE_UP
        raw = pairs[pos + 1][1]
        start = starts[pos + 1]
        end = start + len(raw)
        amount, unit = _duration(raw)
        duration = nodes.duration(amount, unit, start, end)
        shifts.append(nodes.shift(1 if kind == PLUS else -1, duration, starts[pos], end))
        pos += 2
        kind = kinds[pos]
    return nodes.time_expr(base, tuple(shifts), base.start, shifts[-1].end), pos


def string_value(raw: str, start: int, max_string: int) -> str:
    """A STRING token's value, by ``decode_string`` (control characters and escapes checked);
    :class:`GiveUp` where that fails or the value is longer than ``max_string``."""
    try:
        value = decode_string(raw, start)
    except LiteralError:
        raise _GIVE_UP from None
    if len(value) > max_string:
        raise _GIVE_UP
    return value


def decimal_value(raw: str, start: int) -> Decimal:
    """A NUMBER token's value, as ``parse_number`` decodes it; :class:`GiveUp` where it fails."""
    if len(raw) <= 34 and raw.isdigit():
        return Decimal(raw)
    return _decimal(raw, start)


def duration_value(raw: str) -> tuple[int, ast.DurationUnit]:
    """A DURATION token's value, as ``parse_duration`` decodes it; :class:`GiveUp` where it
    fails."""
    return _duration(raw)


def _decode(raw: str, start: int) -> str:
    """``decode_string`` for a string with escapes (giving up where it fails)."""
    try:
        return decode_string(raw, start)
    except LiteralError:
        raise _GIVE_UP from None


def _decimal(raw: str, start: int) -> Decimal:
    """``parse_number``, skipping its digit and exponent check where it cannot fail."""
    if len(raw) <= 34 and "e" not in raw and "E" not in raw:
        value = Decimal(raw)
        return value if value else _ZERO  # parse_number's zero, whatever its point
    try:
        return parse_number(raw, start)
    except LiteralError:
        raise _GIVE_UP from None


def _duration(raw: str) -> tuple[int, ast.DurationUnit]:
    """``parse_duration``, without its regular expression when the amount is short."""
    if len(raw) > MAX_DURATION_DIGITS:
        try:
            return parse_duration(raw)
        except LiteralError:
            raise _GIVE_UP from None
    if raw.endswith("ms"):
        return int(raw[:-2]), ast.DurationUnit.MS
    return int(raw[:-1]), _UNITS[raw[-1]]
