"""A small LL state machine over q tokens: where a prefix of q stands in the grammar.

It follows spec section 3 token by token, without building a tree or raising: ``feed`` says
whether the token can come next, and the machine's state (plus the record paths resolve in,
the type of the field on the left, what the pending value belongs to) is what completion needs.
A token the grammar does not allow leaves the machine ``DEAD``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from qexpr.schema.model import Field, FieldType, RecordType, Schema
from qexpr.syntax.literals import LiteralError, decode_string
from qexpr.syntax.tokens import NAME_KINDS, Token, TokenKind
from qexpr.syntax.tokens import Kinds as K

__all__ = ["Machine", "Res", "ResKind", "Role", "State"]


class State:
    """What may come next (plain int constants: an Enum member costs far more to read)."""

    PRED = 0  # a predicate, NOT or "("
    QUANT_LPAREN = 1  # after any / all
    QUANT_PATH = 2  # after any( : the relation
    PATH = 3  # after a path segment: "." / "[" may continue it
    PATH_DOT = 4  # after "." : a name
    PATH_BRACKET = 5  # after "[" : a string key
    PATH_KEY = 6  # after [ "key" : "]"
    AFTER_LEFT = 7  # after a predicate's path: an operator (or the predicate is a bare path)
    OPERAND = 8  # after = != < <= > >= : a value or a path
    VALUE = 9  # a value (role says what it belongs to)
    NEG = 10  # after "-" in a value: a number
    NOW_LPAREN = 11  # after now
    NOW_RPAREN = 12  # after now(
    TIME = 13  # after a string or now() value: "+"/"-" duration may follow
    SHIFT = 14  # after "+"/"-" in a time expression: a duration
    BETWEEN_AND = 15  # after BETWEEN low
    IN_LPAREN = 16  # after IN
    IN_NEXT = 17  # after a value of an IN list: "," or ")"
    IN_COMMA = 18  # after "," in an IN list: a value or ")"
    IS = 19  # after IS
    IS_NOT = 20  # after IS NOT
    NOT_OP = 21  # after path NOT: IN, BETWEEN or a pattern operator
    PATTERN = 22  # after LIKE ...: a string
    AFTER_PRED = 23  # after a predicate: AND, OR, ")" or the end
    QUANT_COMMA = 24  # after any(relation : ","
    DEAD = 99  # a syntax error came before


class Role:
    """What a path or a value belongs to."""

    PRED = 0  # the path of a predicate
    OPERAND = 1  # the right-hand path of a field-to-field comparison
    QUANT = 2  # the relation of a quantifier
    CMP = 3  # the value of a comparison
    BETWEEN_LOW = 4
    BETWEEN_HIGH = 5
    IN = 6


class ResKind:
    """What a path denotes so far."""

    RECORD = 0  # a record (the current one, or through to-one relations)
    MANY = 1  # a to-many relation
    FIELD = 2  # a scalar field
    JSON = 3  # a json field itself
    JSON_PATH = 4  # a key inside a json field
    UNKNOWN = 5  # no such member (or a path through a list or a scalar)
    FORBIDDEN = 6  # needs a scope the caller lacks


@dataclass(frozen=True, slots=True)
class Res:
    """A path's resolution: the record reached (RECORD, MANY) or the field (FIELD, JSON)."""

    kind: int  # a ResKind
    record: RecordType | None = None
    field: Field | None = None

    @property
    def ftype(self) -> FieldType | None:
        """The scalar type (None for json paths, records and unknown paths)."""
        return self.field.type if self.kind == ResKind.FIELD and self.field else None


UNKNOWN = Res(ResKind.UNKNOWN)
FORBIDDEN = Res(ResKind.FORBIDDEN)

_COMPARE = frozenset({K.EQ, K.NE, K.LT, K.LE, K.GT, K.GE})
_PATTERN = frozenset({K.LIKE, K.ILIKE, K.CONTAINS, K.STARTS_WITH, K.ENDS_WITH})
_DONE_VALUE = frozenset({K.NUMBER, K.TRUE, K.FALSE, K.NULL})


class Machine:
    """Feed tokens one by one; read ``state``, ``record``, ``left``, ``path``, ``role``."""

    __slots__ = (
        "last",
        "left",
        "path",
        "path_role",
        "path_start",
        "record",
        "role",
        "schema",
        "scopes",
        "stack",
        "state",
    )

    def __init__(self, schema: Schema, scopes: Collection[str]) -> None:
        self.schema = schema
        self.scopes = scopes
        self.state = State.PRED
        self.record: RecordType | None = schema.root_record
        # One entry per open "(" of a group or a quantifier: the record outside it, and
        # (quantifiers only) True.
        self.stack: list[tuple[RecordType | None, bool]] = []
        self.path: Res = UNKNOWN  # the path being read
        self.path_role = Role.PRED
        self.path_start = 0
        self.left: Res = UNKNOWN  # the predicate's path, once read
        self.role = Role.CMP  # what the pending value belongs to
        self.last: Token | None = None

    def copy(self) -> Machine:
        """An independent copy (for looking one token ahead)."""
        other = Machine.__new__(Machine)
        for name in Machine.__slots__:
            setattr(other, name, getattr(self, name))
        other.stack = list(self.stack)
        return other

    @property
    def depth(self) -> int:
        """Open groups and quantifiers."""
        return len(self.stack)

    # -- resolution --------------------------------------------------------------------------

    def step(self, res: Res, name: str) -> Res:
        """The resolution of ``res`` followed by the segment ``name``."""
        kind = res.kind
        if kind == ResKind.RECORD:
            assert res.record is not None
            member = res.record.member(name)
            if member is None:
                return UNKNOWN
            if member.scope is not None and member.scope not in self.scopes:
                return FORBIDDEN
            if isinstance(member, Field):
                if member.type is FieldType.JSON:
                    return Res(ResKind.JSON, None, member)
                return Res(ResKind.FIELD, None, member)
            target = self.schema.target(member)
            return Res(ResKind.MANY if member.many else ResKind.RECORD, target)
        if kind == ResKind.JSON or kind == ResKind.JSON_PATH:
            return Res(ResKind.JSON_PATH, None, res.field)
        if kind == ResKind.FORBIDDEN:
            return FORBIDDEN
        return UNKNOWN

    def _start_path(self, token: Token, role: int) -> None:
        record = self.record
        base = Res(ResKind.RECORD, record) if record is not None else UNKNOWN
        self.path = self.step(base, token.text)
        self.path_role = role
        self.path_start = token.start
        self.state = State.PATH

    def _value_done(self) -> None:
        role = self.role
        if role == Role.BETWEEN_LOW:
            self.state = State.BETWEEN_AND
        elif role == Role.IN:
            self.state = State.IN_NEXT
        else:
            self.state = State.AFTER_PRED

    # -- the automaton -----------------------------------------------------------------------

    def feed(self, token: Token) -> bool:
        """Advance over ``token``; False (and DEAD) when it cannot come here."""
        ok = self._feed(token)
        if not ok:
            self.state = State.DEAD
        self.last = token
        return ok

    def _feed(self, token: Token) -> bool:
        kind = token.kind
        last = self.last
        # Whitespace is not allowed inside a path (spec section 2).
        gap = last is not None and last.end != token.start
        while True:
            state = self.state
            if state == State.PRED:
                if kind is K.NOT:
                    return True
                if kind is K.LPAREN:
                    self.stack.append((self.record, False))
                    return True
                if kind is K.ANY or kind is K.ALL:
                    self.state = State.QUANT_LPAREN
                    return True
                if kind is K.IDENT:
                    self._start_path(token, Role.PRED)
                    return True
                return False
            if state == State.PATH:
                if kind is K.DOT or kind is K.LBRACKET:
                    self.state = State.PATH_DOT if kind is K.DOT else State.PATH_BRACKET
                    return not gap
                role = self.path_role
                if role == Role.PRED:
                    self.left = self.path
                    self.state = State.AFTER_LEFT
                elif role == Role.OPERAND:
                    self.state = State.AFTER_PRED
                else:
                    self.state = State.QUANT_COMMA
                continue
            if state == State.PATH_DOT:
                if kind in NAME_KINDS and not gap:
                    self.path = self.step(self.path, token.text)
                    self.state = State.PATH
                    return True
                return False
            if state == State.PATH_BRACKET:
                if kind is K.STRING and not gap:
                    try:
                        key = decode_string(token.text, token.start)
                    except LiteralError:
                        key = "\x00"  # a bad key: no member is called that
                    self.path = self.step(self.path, key)
                    self.state = State.PATH_KEY
                    return True
                return False
            if state == State.PATH_KEY:
                if kind is K.RBRACKET and not gap:
                    self.state = State.PATH
                    return True
                return False
            if state == State.AFTER_LEFT:
                if kind in _COMPARE:
                    self.state = State.OPERAND
                    self.role = Role.CMP
                elif kind is K.IS:
                    self.state = State.IS
                elif kind is K.NOT:
                    self.state = State.NOT_OP
                elif kind is K.IN:
                    self.state = State.IN_LPAREN
                elif kind is K.BETWEEN:
                    self.state = State.VALUE
                    self.role = Role.BETWEEN_LOW
                elif kind in _PATTERN:
                    self.state = State.PATTERN
                else:  # a bare path: the predicate is complete
                    self.state = State.AFTER_PRED
                    continue
                return True
            if state == State.OPERAND:
                if kind is K.IDENT:
                    self._start_path(token, Role.OPERAND)
                    return True
                self.state = State.VALUE
                continue
            if state == State.VALUE:
                if kind in _DONE_VALUE:
                    self._value_done()
                elif kind is K.STRING:
                    self.state = State.TIME
                elif kind is K.MINUS:
                    self.state = State.NEG
                elif kind is K.NOW:
                    self.state = State.NOW_LPAREN
                else:
                    return False
                return True
            if state == State.TIME:
                if kind is K.PLUS or kind is K.MINUS:
                    self.state = State.SHIFT
                    return True
                self._value_done()
                continue
            if state == State.QUANT_PATH:
                if kind is K.IDENT:
                    self._start_path(token, Role.QUANT)
                    return True
                return False
            if state == State.IN_COMMA:
                if kind is K.RPAREN:
                    self.state = State.AFTER_PRED
                    return True
                self.state = State.VALUE
                continue
            if state == State.AFTER_PRED:
                if kind is K.AND or kind is K.OR:
                    self.state = State.PRED
                    return True
                if kind is K.RPAREN and self.stack:
                    self.record = self.stack.pop()[0]
                    return True
                return False
            return self._feed_fixed(state, kind)

    def _feed_fixed(self, state: int, kind: TokenKind) -> bool:
        """States whose next token is one of a few fixed kinds (see ``_NEXT``)."""
        step = _NEXT.get(state, {}).get(kind)
        if step is None:
            return False
        target, role = step
        if state == State.QUANT_LPAREN:
            self.stack.append((self.record, True))
        elif state == State.QUANT_COMMA:
            path = self.path
            self.record = path.record if path.kind == ResKind.MANY else None
        elif state == State.NEG:
            self._value_done()
            return True
        if role is not None:
            self.role = role
        self.state = target
        return True


_PATTERN_NEXT = {kind: (State.PATTERN, None) for kind in _PATTERN}

#: Fixed transitions: state -> token kind -> (next state, role of the value that follows).
_NEXT: dict[int, dict[TokenKind, tuple[int, int | None]]] = {
    State.QUANT_LPAREN: {K.LPAREN: (State.QUANT_PATH, None)},
    State.QUANT_COMMA: {K.COMMA: (State.PRED, None)},
    State.NEG: {K.NUMBER: (State.AFTER_PRED, None)},  # the state is set by _value_done
    State.SHIFT: {K.DURATION: (State.TIME, None)},
    State.NOW_LPAREN: {K.LPAREN: (State.NOW_RPAREN, None)},
    State.NOW_RPAREN: {K.RPAREN: (State.TIME, None)},
    State.BETWEEN_AND: {K.AND: (State.VALUE, Role.BETWEEN_HIGH)},
    State.IN_LPAREN: {K.LPAREN: (State.VALUE, Role.IN)},
    State.IN_NEXT: {K.COMMA: (State.IN_COMMA, None), K.RPAREN: (State.AFTER_PRED, None)},
    State.IS: {K.NOT: (State.IS_NOT, None), K.NULL: (State.AFTER_PRED, None)},
    State.IS_NOT: {K.NULL: (State.AFTER_PRED, None)},
    State.NOT_OP: {
        K.IN: (State.IN_LPAREN, None),
        K.BETWEEN: (State.VALUE, Role.BETWEEN_LOW),
        **_PATTERN_NEXT,
    },
    State.PATTERN: {K.STRING: (State.AFTER_PRED, None)},
}
