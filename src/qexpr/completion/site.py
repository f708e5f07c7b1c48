"""Where a cursor stands, as the native parser reports it, resolved against a schema.

:func:`locate` runs the native parser's diagnostic pass (:func:`probe`) over the tokens before
the cursor. Where it stopped, the parser knows what may come next (its
expected set), the quantifiers around the cursor, the comparison in progress and the path it
was reading; this module resolves those paths in the schema (the record type in scope, the
field on the left, what a path being typed denotes). Completion keeps no grammar of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from qexpr.limits import DEFAULT_LIMITS, Limits
from qexpr.schema.model import Field, FieldType, RecordType, Schema
from qexpr.syntax import ast
from qexpr.syntax.engine import LiteralValues, ParseFailure
from qexpr.syntax.engines.descent import GiveUp, Lists, Parser
from qexpr.syntax.literals import LiteralError, decode_string
from qexpr.syntax.tokens import NAME_KINDS, TokenKind
from qexpr.syntax.tokens import Kinds as K

__all__ = ["Res", "ResKind", "Role", "Site", "locate", "path_gap", "probe"]


class Role:
    """What a path or a value belongs to."""

    PRED = 0  # the path of a predicate
    OPERAND = 1  # the right-hand path of a field-to-field comparison
    QUANT = 2  # the relation of a quantifier
    CMP = 3  # the value of a comparison
    BETWEEN = 4  # a bound of BETWEEN
    IN = 6  # a value of an IN list


class ResKind:
    """What a path denotes so far."""

    RECORD = 0  # a record (the current one, or through to-one relations)
    MANY = 1  # a to-many relation
    FIELD = 2  # a scalar field
    JSON = 3  # a json field itself
    JSON_PATH = 4  # a key inside a json field
    UNKNOWN = 5  # no such member (or a path through a list or a scalar)
    FORBIDDEN = 6  # needs a scope the caller lacks


class Res(NamedTuple):
    """A path's resolution: the record reached (RECORD, MANY) or the field (FIELD, JSON).
    (A named tuple: several are built on every call, and a frozen dataclass costs more.)"""

    kind: int  # a ResKind
    record: RecordType | None = None
    field: Field | None = None

    @property
    def ftype(self) -> FieldType | None:
        """The scalar type (None for json paths, records and unknown paths)."""
        return self.field.type if self.kind == ResKind.FIELD and self.field else None


UNKNOWN = Res(ResKind.UNKNOWN)
FORBIDDEN = Res(ResKind.FORBIDDEN)
_PATH_PUNCTUATION = (K.DOT, K.LBRACKET, K.RBRACKET)
_QUANTIFIERS = (K.ANY, K.ALL)


def resolve(schema: Schema, scopes: frozenset[str], record: RecordType | None,
            segments: Iterable[str]) -> Res:
    """What the path of raw ``segments`` (names, or quoted keys) denotes from ``record``."""
    res = Res(ResKind.RECORD, record) if record is not None else UNKNOWN
    for raw in segments:
        if raw[0] == '"' or raw[0] == "'":
            try:
                raw = decode_string(raw, 0)
            except LiteralError:
                raw = "\x00"  # a bad key: no member is called that
        kind = res.kind
        if kind == ResKind.RECORD:
            assert res.record is not None
            member = res.record.member(raw)
            if member is None:
                return UNKNOWN
            if member.scope is not None and member.scope not in scopes:
                return FORBIDDEN
            if isinstance(member, Field):
                kind = ResKind.JSON if member.type is FieldType.JSON else ResKind.FIELD
                res = Res(kind, None, member)
            else:
                target = schema.target(member)
                res = Res(ResKind.MANY if member.many else ResKind.RECORD, target)
        elif kind == ResKind.JSON or kind == ResKind.JSON_PATH:
            res = Res(ResKind.JSON_PATH, None, res.field)
        else:
            return res
    return res


class Site:
    """The parser's report at the end of a prefix, resolved (see the module docstring)."""

    __slots__ = ("adjacent", "expected", "in_quantifier", "last", "left", "path",
                 "path_role", "path_start", "record", "schema", "scopes", "value_role")

    def __init__(self, schema: Schema, scopes: frozenset[str], expected: frozenset[TokenKind],
                 last: TokenKind | None, adjacent: bool) -> None:
        self.schema = schema
        self.scopes = scopes
        #: What may come next: the parser's expected token kinds at the end of the prefix.
        self.expected = expected
        self.last = last  # the kind of the last token before the insertion point
        self.adjacent = adjacent  # no whitespace between that token and the insertion point
        self.record: RecordType | None = schema.root_record  # fields at the cursor belong here
        self.in_quantifier = False  # the innermost open "(" is a quantifier's
        self.left = UNKNOWN  # the comparison's path
        self.value_role = Role.CMP  # what a value at the cursor belongs to
        self.path = UNKNOWN  # the path the parser was reading (when it ends at the cursor)
        self.path_role = Role.PRED
        self.path_start = 0  # where that path starts in the text


def path_gap(lists: Lists) -> bool:
    """Whether whitespace stands inside a path among the tokens (spec section 2: ``.``, ``[``
    and ``]`` occur only inside paths, which take no whitespace before them, nor after ``.``
    and ``[``)."""
    kinds, texts, starts = lists
    for kind in _PATH_PUNCTUATION:
        i = -1
        for _ in range(kinds.count(kind)):
            i = kinds.index(kind, i + 1)
            if i and starts[i] != starts[i - 1] + len(texts[i - 1]):
                return True
            if kind is not K.RBRACKET and kinds[i + 1] is not K.EOF and \
                    starts[i + 1] != starts[i] + len(texts[i]):
                return True
    return False


def probe(lists: Lists, limits: Limits) -> Parser | None:
    """The parser's diagnostic pass over a prefix of q (the native ``scan`` lists: three EOF
    entries last): the parser stopped at the prefix's end (its ``expected`` kinds may come
    there; ``scopes``, ``left``, ``op`` and ``path_from`` say what it was reading), or None if
    it fails before the end or nests deeper than ``limits`` allow. Literals are not decoded."""
    parser = Parser(lists, _NO_LITERALS, limits)
    try:
        parser.or_expr()
    except ParseFailure:
        pass
    except GiveUp:
        return None
    return parser if parser.pos == len(lists[0]) - 3 else None


_NO_LITERALS: LiteralValues = {}


def locate(q: str, lists: Lists, insert_at: int, schema: Schema,
           scopes: frozenset[str]) -> Site | None:
    """The site at the end of the tokens ``lists`` (a prefix of ``q``, ending with EOF), for
    text inserted at ``insert_at``; None when the parser fails before the end."""
    parser = probe(lists, DEFAULT_LIMITS)
    if parser is None:
        return None
    kinds, texts, starts = lists
    count = len(kinds) - 3  # scan pads with three EOF entries
    last = kinds[count - 1] if count else None
    adjacent = bool(count) and starts[count - 1] + len(texts[count - 1]) == insert_at
    site = Site(schema, scopes, frozenset(parser.expected), last, adjacent)
    record = site.record
    for relation in parser.scopes:
        if relation is not None and record is not None:
            res = resolve(schema, scopes, record, _raw(q, relation))
            record = res.record if res.kind == ResKind.MANY else None
    site.record = record
    site.in_quantifier = bool(parser.scopes) and parser.scopes[-1] is not None
    left, op = parser.left, parser.op
    if left is not None:
        site.left = resolve(schema, scopes, record, _raw(q, left))
        site.value_role = (Role.IN if op is K.IN else Role.BETWEEN if op is K.BETWEEN
                           else Role.CMP)
    expected = site.expected
    if K.DOT in expected or last is K.DOT:  # a path ends at the cursor, or is being typed
        first = parser.path_from
        site.path_start = starts[first]
        site.path = resolve(schema, scopes, record, [
            texts[i] for i in range(first, count)
            if kinds[i] in NAME_KINDS or kinds[i] is K.STRING])
        if left is None:
            site.path_role = Role.QUANT if op in _QUANTIFIERS else Role.PRED
        elif left.start != site.path_start:
            site.path_role = Role.OPERAND
    return site


def _raw(q: str, path: ast.Path) -> list[str]:
    """A path's segments as written (quoted keys still quoted)."""
    return [q[start:end] for start, end in path.segment_spans]
