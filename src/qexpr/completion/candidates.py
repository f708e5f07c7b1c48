"""What may be typed where the parser expects certain tokens, as (label, text, kind, detail)
tuples: the expected token kinds (:class:`~qexpr.completion.site.Site`) say what may come;
the schema, the record in scope and the type of the field on the left say which names,
operators and values to offer.

Lists that depend only on the schema, a record type and the scopes are cached.
"""

from __future__ import annotations

from functools import lru_cache

from qexpr.completion.model import CompletionKind
from qexpr.completion.site import Res, ResKind, Role, Site
from qexpr.schema.model import JSON_PATH_OPERATORS, FieldType, RecordType, Schema
from qexpr.syntax.tokens import Kinds as K
from qexpr.syntax.tokens import TokenKind

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
_UPPER: Candidate = ("AND", "AND", "keyword", "the upper bound follows")
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
# Token kinds bound once (an enum attribute lookup costs on every use).
_AND_K, _OR_K, _NOW_K, _IDENT_K, _LPAREN_K = K.AND, K.OR, K.NOW, K.IDENT, K.LPAREN
_RPAREN_K, _NULL_K, _BETWEEN_K, _EQ_K, _DOT_K = K.RPAREN, K.NULL, K.BETWEEN, K.EQ, K.DOT
_PLUS_K, _COMMA_K = K.PLUS, K.COMMA
_RBRACKET_K = K.RBRACKET


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
    if res.kind == ResKind.JSON_PATH and role != Role.BETWEEN:
        return (_TRUE, _FALSE)
    return ()


def _after(s: Site, after: bool) -> list[Candidate]:
    """What closes a value or a predicate: ``,``/``)`` in an IN list, ``,`` after a
    quantifier's relation, AND before BETWEEN's upper bound, else AND, OR and ``)``
    (``after``: a predicate may end here)."""
    e = s.expected
    if _COMMA_K in e:
        if _RPAREN_K in e:
            return [_COMMA, _CLOSE]
        return [_COMMA] if s.path.kind in (ResKind.MANY, ResKind.UNKNOWN) else []
    if not after or _AND_K not in e:
        return []
    if _OR_K not in e:
        return [_UPPER]
    if _RPAREN_K not in e:
        return [_AND, _OR]
    return [_AND, _OR, (")", ")", "punctuation",
                        "close any(" if s.in_quantifier else "close (")]


def candidates(s: Site, q: str, insert_at: int) -> list[Candidate]:
    """What may be inserted at ``insert_at``, from what the parser expects there (``s``)."""
    e = s.expected
    record = s.record
    left = s.left
    if _NOW_K in e:  # a value
        out = list(_values(left, s.value_role))
        if _IDENT_K in e:  # after a comparison operator: or a path of the same family
            family = _family(left)
            if record is not None and family in ("number", "timestamp"):
                out.extend(_members(s.schema, record, s.scopes, Role.OPERAND, family, ""))
        elif _RPAREN_K in e:
            out.append(_CLOSE)
        return out
    if _LPAREN_K in e:
        if _IDENT_K not in e:  # after any/all, IN, now
            return list(_OPENING.get(s.last, ()))
        out = []  # a condition
        if record is not None:
            out.extend(_members(s.schema, record, s.scopes, Role.PRED, "", ""))
        out.extend((_NOT, _ANY, _ALL, _OPEN))
        return out
    if len(e) == 1:
        return _single(s, q, insert_at, next(iter(e)))
    if _NULL_K in e:  # after IS
        return [("NULL", "NULL", "value", "has no value"),
                ("NOT NULL", "NOT NULL", "keyword", "has a value")]
    if _BETWEEN_K in e and _EQ_K not in e:  # after path NOT
        return list(_operators(_allowed(left), True))
    out = []
    path = s.path
    if _DOT_K in e and s.adjacent:  # the path may go on
        if path.kind == ResKind.RECORD:
            out.append((".", ".", "punctuation", "a field of " + _name(path)))
        elif path.kind == ResKind.JSON or path.kind == ResKind.JSON_PATH:
            out.append((".", ".", "punctuation", "a key inside the json value"))
            out.append(("[", "[", "punctuation", "a quoted key"))
    after = True
    if _EQ_K in e:  # the predicate's path: its operators (or it is a bare boolean)
        out.extend(_operators(_allowed(left), False))
        after = left.kind == ResKind.JSON_PATH or left.kind == ResKind.UNKNOWN or (
            left.ftype is FieldType.BOOLEAN)
    if _PLUS_K in e and (left.ftype is FieldType.TIMESTAMP or left.kind == ResKind.UNKNOWN):
        out.extend(_SHIFTS)
    out.extend(_after(s, after))
    return out


def _single(s: Site, q: str, insert_at: int, kind: TokenKind) -> list[Candidate]:
    """Where exactly one kind of token may come."""
    if kind is _IDENT_K:  # a name after a dot, or the relation after any(
        if s.last is not _DOT_K:
            if s.record is None:
                return []
            return list(_members(s.schema, s.record, s.scopes, Role.QUANT, "", ""))
        res = s.path
        if not s.adjacent or res.kind != ResKind.RECORD:
            return []
        assert res.record is not None
        role = s.path_role
        family = _family(s.left) if role == Role.OPERAND else ""
        prefix = q[s.path_start:insert_at] if role == Role.PRED else ""
        return list(_members(s.schema, res.record, s.scopes, role, family, prefix))
    if kind is _RBRACKET_K:
        return [("]", "]", "punctuation", "")] if s.adjacent else []
    if kind is _NULL_K:  # after IS NOT
        return [("NULL", "NULL", "value", "has a value")]
    return list(_FIXED.get(kind, ()))


def _family(res: Res) -> str:
    ftype = res.ftype
    return ftype.family if ftype is not None else ""


def _name(res: Res) -> str:
    return res.record.name if res.record is not None else ""


#: Where one kind of token may come (other than the names, ``]`` and NULL above).
_FIXED: dict[TokenKind, tuple[Candidate, ...]] = {
    K.DURATION: _DURATIONS,
    K.RPAREN: (_CLOSE,),  # after now(
    K.AND: (_UPPER,),  # after BETWEEN's lower bound
}
#: Where only "(" may come, by the token before it.
_OPENING: dict[TokenKind | None, tuple[Candidate, ...]] = {
    K.ANY: (("(", "(", "punctuation", "the relation, then a condition"),),
    K.ALL: (("(", "(", "punctuation", "the relation, then a condition"),),
    K.IN: (("(", "(", "punctuation", "the list of values"),),
    K.NOW: (("()", "()", "punctuation", ""),),
}
