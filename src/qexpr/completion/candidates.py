"""What may come next in each state of the machine, as (label, text, kind, detail) tuples.

Lists that depend only on the schema, a record type and the scopes are cached.
"""

from __future__ import annotations

from functools import lru_cache

from qexpr.completion.machine import Machine, Res, ResKind, Role, State
from qexpr.completion.model import CompletionKind
from qexpr.schema.model import JSON_PATH_OPERATORS, FieldType, RecordType, Schema

__all__ = ["Candidate", "candidates"]

Candidate = tuple[str, str, CompletionKind, str]  # label, text, kind, detail

# (operator name as the schema lists it, label, text, detail), in the order they are offered.
_OPERATORS: tuple[tuple[str, str, str, str], ...] = (
    ("=", "=", "=", "equals"),
    ("!=", "!=", "!=", "differs from"),
    ("<", "<", "<", "less than"),
    ("<=", "<=", "<=", "at most"),
    (">", ">", ">", "greater than"),
    (">=", ">=", ">=", "at least"),
    ("IN", "IN", "IN (", "one of a list"),
    ("IN", "NOT IN", "NOT IN (", "none of a list"),
    ("BETWEEN", "BETWEEN", "BETWEEN", "within bounds (inclusive)"),
    ("BETWEEN", "NOT BETWEEN", "NOT BETWEEN", "outside bounds"),
    ("LIKE", "LIKE", "LIKE", "matches a pattern (% and _)"),
    ("LIKE", "NOT LIKE", "NOT LIKE", "does not match a pattern"),
    ("ILIKE", "ILIKE", "ILIKE", "matches a pattern, ASCII case-insensitive"),
    ("ILIKE", "NOT ILIKE", "NOT ILIKE", "does not match a pattern, ASCII case-insensitive"),
    ("CONTAINS", "CONTAINS", "CONTAINS", "contains text"),
    ("CONTAINS", "NOT CONTAINS", "NOT CONTAINS", "does not contain text"),
    ("STARTS_WITH", "STARTS_WITH", "STARTS_WITH", "starts with text"),
    ("STARTS_WITH", "NOT STARTS_WITH", "NOT STARTS_WITH", "does not start with text"),
    ("ENDS_WITH", "ENDS_WITH", "ENDS_WITH", "ends with text"),
    ("ENDS_WITH", "NOT ENDS_WITH", "NOT ENDS_WITH", "does not end with text"),
    ("IS NULL", "IS NULL", "IS NULL", "has no value"),
    ("IS NULL", "IS NOT NULL", "IS NOT NULL", "has a value"),
)
_NEGATABLE = frozenset({"IN", "BETWEEN", "LIKE", "ILIKE", "CONTAINS", "STARTS_WITH",
                        "ENDS_WITH"})
_AND: Candidate = ("AND", "AND", "keyword", "both conditions")
_OR: Candidate = ("OR", "OR", "keyword", "either condition")
_NOT: Candidate = ("NOT", "NOT", "keyword", "negate a condition")
_OPEN: Candidate = ("(", "(", "punctuation", "group conditions")
_ANY: Candidate = ("any", "any(", "function", "some related record matches")
_ALL: Candidate = ("all", "all(", "function", "every related record matches")
_TRUE: Candidate = ("true", "true", "value", "boolean")
_FALSE: Candidate = ("false", "false", "value", "boolean")
_NOW: Candidate = ("now()", "now()", "value", "the current time")
_COMMA: Candidate = (",", ", ", "punctuation", "")
_CLOSE: Candidate = (")", ")", "punctuation", "")
_SHIFTS: tuple[Candidate, ...] = (
    ("-", "-", "operator", "earlier by a duration"),
    ("+", "+", "operator", "later by a duration"),
)
_DURATIONS: tuple[Candidate, ...] = tuple(
    (d, d, "value", "duration") for d in ("1h", "1d", "7d", "30d", "15m", "250ms")
)
_NUMERIC = frozenset({FieldType.INTEGER, FieldType.DECIMAL, FieldType.FLOAT})


@lru_cache(maxsize=256)
def _members(schema: Schema, record: RecordType, scopes: frozenset[str],
             role: int, family: str, prefix: str) -> tuple[Candidate, ...]:
    """Fields and relations of ``record`` usable in ``role`` (``family``: for an operand path,
    the type family of the left side; ``prefix``: the path typed so far, for quantifier
    snippets of to-many relations reached through to-one ones)."""
    out: list[Candidate] = []
    if role != Role.QUANT:
        for field in record.fields:
            if field.scope is not None and field.scope not in scopes:
                continue
            if role == Role.OPERAND and (
                field.type.family != family or field.type is FieldType.BOOLEAN
            ):
                continue
            out.append((field.name, field.name, "field", str(field.type)))
    for relation in record.relations:
        if relation.scope is not None and relation.scope not in scopes:
            continue
        target = schema.target(relation)
        if relation.many:
            if role == Role.QUANT:
                out.append((relation.name, relation.name, "relation",
                            f"list of {target.name}"))
            elif role == Role.PRED:
                for kind in ("any", "all"):
                    out.append((relation.name, f"{kind}({prefix}{relation.name}, ",
                                "relation", f"{kind} of the {target.name} list"))
        elif role == Role.QUANT and not _has_lists(schema, target, scopes, ()):
            continue
        elif role == Role.OPERAND and not _has_family(schema, target, scopes, family, ()):
            continue  # e.g. `created_at > flow.`: the flow has no timestamp to compare with
        else:
            out.append((relation.name, relation.name + ".", "relation", target.name))
    return tuple(out)


def _has_family(schema: Schema, record: RecordType, scopes: frozenset[str], family: str,
                seen: tuple[str, ...]) -> bool:
    """Whether an operand field of ``family`` can be reached from ``record`` through to-one
    relations (what an operand path may continue with)."""
    for field in record.fields:
        if (field.scope is None or field.scope in scopes) and field.type.family == family \
                and field.type is not FieldType.BOOLEAN:
            return True
    for relation in record.relations:
        if relation.many or (relation.scope is not None and relation.scope not in scopes):
            continue
        target = schema.target(relation)
        if target.name not in seen and _has_family(schema, target, scopes, family,
                                                   (*seen, record.name)):
            return True
    return False


def _has_lists(schema: Schema, record: RecordType, scopes: frozenset[str],
               seen: tuple[str, ...]) -> bool:
    """Whether a to-many relation can be reached from ``record`` through to-one ones."""
    for relation in record.relations:
        if relation.scope is not None and relation.scope not in scopes:
            continue
        if relation.many:
            return True
        target = schema.target(relation)
        if target.name not in seen and _has_lists(schema, target, scopes,
                                                  (*seen, record.name)):
            return True
    return False


@lru_cache(maxsize=64)
def _operators(allowed: frozenset[str], negated_only: bool) -> tuple[Candidate, ...]:
    out: list[Candidate] = []
    for name, label, text, detail in _OPERATORS:
        if name not in allowed:
            continue
        if negated_only:
            if name in _NEGATABLE and label.startswith("NOT "):
                out.append((label[4:], text[4:], "operator", detail))
        else:
            out.append((label, text, "operator", detail))
    return tuple(out)


def _allowed(res: Res) -> frozenset[str]:
    kind = res.kind
    if kind == ResKind.FIELD:
        assert res.field is not None
        return res.field.operators
    if kind == ResKind.JSON:
        assert res.field is not None
        return res.field.operators
    if kind == ResKind.JSON_PATH or kind == ResKind.UNKNOWN:
        return JSON_PATH_OPERATORS
    return frozenset()


def _values(res: Res, role: int) -> tuple[Candidate, ...]:
    ftype = res.ftype
    if ftype is FieldType.BOOLEAN and role == Role.CMP:
        return (_TRUE, _FALSE)
    if ftype is FieldType.TIMESTAMP:
        return (_NOW,)
    if res.kind == ResKind.JSON_PATH and role != Role.BETWEEN_LOW \
            and role != Role.BETWEEN_HIGH:
        return (_TRUE, _FALSE)
    return ()


def _after_predicate(m: Machine) -> list[Candidate]:
    out = [_AND, _OR]
    if m.stack:
        quantifier = m.stack[-1][1]
        out.append((")", ")", "punctuation", "close any(" if quantifier else "close ("))
    return out


def _after_value(m: Machine) -> list[Candidate]:
    role = m.role
    if role == Role.BETWEEN_LOW:
        return [("AND", "AND", "keyword", "the upper bound follows")]
    if role == Role.IN:
        return [_COMMA, _CLOSE]
    return _after_predicate(m)


def candidates(m: Machine, q: str, insert_at: int, adjacent: bool) -> list[Candidate]:
    """What may be inserted at ``insert_at`` after the tokens ``m`` has read.

    ``adjacent``: no whitespace between the last token and ``insert_at`` (a path can only be
    continued then, and only then may a path's dot or bracket be followed by a name or key).
    """
    state = m.state
    record = m.record
    scopes = frozenset(m.scopes)
    if state == State.PRED:
        out: list[Candidate] = []
        if record is not None:
            out.extend(_members(m.schema, record, scopes, Role.PRED, "", ""))
        out.extend((_NOT, _ANY, _ALL, _OPEN))
        return out
    if state == State.PATH:
        out = []
        kind = m.path.kind
        if adjacent:
            if kind == ResKind.RECORD:
                out.append((".", ".", "punctuation", "a field of " + _name(m.path)))
            elif kind == ResKind.JSON or kind == ResKind.JSON_PATH:
                out.append((".", ".", "punctuation", "a key inside the json value"))
                out.append(("[", "[", "punctuation", "a quoted key"))
        role = m.path_role
        if role == Role.PRED:
            out.extend(_after_left(m, m.path))
        elif role == Role.OPERAND:
            out.extend(_after_predicate(m))
        elif kind == ResKind.MANY or kind == ResKind.UNKNOWN:
            out.append(_COMMA)
        return out
    if state == State.PATH_DOT:
        res = m.path
        if not adjacent or res.kind != ResKind.RECORD:
            return []
        assert res.record is not None
        role = m.path_role
        family = _family(m.left) if role == Role.OPERAND else ""
        prefix = q[m.path_start:insert_at] if role == Role.PRED else ""
        return list(_members(m.schema, res.record, scopes, role, family, prefix))
    if state == State.PATH_KEY:
        return [("]", "]", "punctuation", "")] if adjacent else []
    if state == State.AFTER_LEFT:
        return _after_left(m, m.left)
    if state == State.NOT_OP:
        return list(_operators(_allowed(m.left), True))
    if state == State.QUANT_PATH:
        if record is None:
            return []
        return list(_members(m.schema, record, scopes, Role.QUANT, "", ""))
    if state == State.OPERAND:
        out = list(_values(m.left, Role.CMP))
        family = _family(m.left)
        if record is not None and family in ("number", "timestamp"):
            out.extend(_members(m.schema, record, scopes, Role.OPERAND, family, ""))
        return out
    if state == State.VALUE:
        return list(_values(m.left, m.role))
    if state == State.IN_COMMA:
        return [*_values(m.left, Role.IN), _CLOSE]
    if state == State.TIME:
        left = m.left
        if left.ftype is FieldType.TIMESTAMP or left.kind == ResKind.UNKNOWN:
            return [*_SHIFTS, *_after_value(m)]
        return _after_value(m)
    if state == State.AFTER_PRED:
        return _after_predicate(m)
    return list(_FIXED.get(state, ()))


def _after_left(m: Machine, left: Res) -> list[Candidate]:
    out = list(_operators(_allowed(left), False))
    if left.kind == ResKind.JSON_PATH or left.kind == ResKind.UNKNOWN or (
        left.ftype is FieldType.BOOLEAN
    ):
        out.extend(_after_predicate(m))
    return out


def _family(res: Res) -> str:
    ftype = res.ftype
    return ftype.family if ftype is not None else ""


def _name(res: Res) -> str:
    return res.record.name if res.record is not None else ""


_FIXED: dict[int, tuple[Candidate, ...]] = {
    State.QUANT_LPAREN: (("(", "(", "punctuation", "the relation, then a condition"),),
    State.SHIFT: _DURATIONS,
    State.NOW_LPAREN: (("()", "()", "punctuation", ""),),
    State.NOW_RPAREN: (_CLOSE,),
    State.BETWEEN_AND: (("AND", "AND", "keyword", "the upper bound follows"),),
    State.IN_LPAREN: (("(", "(", "punctuation", "the list of values"),),
    State.IN_NEXT: (_COMMA, _CLOSE),
    State.QUANT_COMMA: (_COMMA,),
    State.IS: (("NULL", "NULL", "value", "has no value"),
               ("NOT NULL", "NOT NULL", "keyword", "has a value")),
    State.IS_NOT: (("NULL", "NULL", "value", "has a value"),),
}
