"""Resolving a path against a schema: which relations it crosses, which field it reaches.

Used by validation (which puts the result into the plan) and by the search parameters (sort
keys, projections); backends never resolve: they read the plan's :class:`FieldRef`. Results
are memoised per (schema, record, path, scopes), so a server compiling the same paths on every
request resolves each once.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

from qexpr.check import messages
from qexpr.check.messages import article as article
from qexpr.errors import QError
from qexpr.plan.nodes import FieldRef, Hop
from qexpr.schema.model import Field, FieldType, RecordType, Schema
from qexpr.syntax import ast
from qexpr.syntax.literals import encode_string, is_identifier

MAX_LISTED_NAMES = 12
SIMILARITY_CUTOFF = 0.7


#: What a path denotes: the plan's field reference (``field`` None for a path ending at a
#: relation).
ResolvedPath = FieldRef

_MEMO_SIZE = 4096
_memo: dict[tuple[int, int, tuple[str, ...], frozenset[str]],
            tuple[Schema, RecordType, FieldRef]] = {}


def resolve(
    schema: Schema,
    record: RecordType,
    path: ast.Path,
    scopes: Collection[str],
    source: str = "",
) -> FieldRef:
    """Resolve ``path`` in ``record``; raise the one error it breaks, if any.

    Errors: ``forbidden_field`` (a segment needs a scope the caller lacks; nothing beyond it is
    revealed), ``unknown_field`` (with a did-you-mean), ``quantifier_required`` (the path runs
    through a to-many relation).
    """
    segments = path.segments
    scope_set = scopes if isinstance(scopes, frozenset) else frozenset(scopes)
    key = (id(schema), id(record), segments, scope_set)
    memo = _memo.get(key)
    if memo is not None and memo[0] is schema and memo[1] is record:
        return memo[2]
    found = _resolve(schema, record, path, scope_set, source)
    if len(_memo) >= _MEMO_SIZE:
        _memo.clear()
    _memo[key] = (schema, record, found)
    return found


def _resolve(schema: Schema, record: RecordType, path: ast.Path, scopes: frozenset[str],
             source: str) -> FieldRef:
    segments = path.segments
    spans = path.segment_spans or tuple((path.start, path.end) for _ in segments)
    current = record
    hops: list[Hop] = []
    through_many: int | None = None  # index of a to-many relation crossed outside a quantifier
    resolved: ResolvedPath | None = None
    for index, name in enumerate(segments):
        member = current.member(name)
        if member is None:
            raise _unknown(schema, current, path, index, spans, scopes, source)
        if member.scope is not None and member.scope not in scopes:
            raise _error(messages.forbidden_field(q_path(segments[: index + 1]), member.scope),
                         source, path.start, spans[index][1])
        if isinstance(member, Field):
            if member.type is FieldType.JSON:
                resolved = FieldRef(record, tuple(hops), member, tuple(segments[index + 1 :]))
                break
            if index + 1 < len(segments):
                raise _error(messages.no_sub_fields(q_path(segments[: index + 1]),
                                                    str(member.type)),
                             source, spans[index + 1][0], path.end)
            resolved = FieldRef(record, tuple(hops), member)
            break
        target = schema.target(member)
        hops.append(Hop(member, current, target))
        if member.many and index + 1 < len(segments) and through_many is None:
            through_many = index
        current = target
    if through_many is not None:
        # The rest of the path exists (unknown or forbidden names were reported first).
        relation = q_path(segments[: through_many + 1])
        rest = q_path(segments[through_many + 1 :])
        raise _error(messages.through_list(relation, rest), source, path.start, path.end)
    return resolved if resolved is not None else FieldRef(record, tuple(hops), None)


def _error(message: messages.Message, source: str, start: int, end: int) -> QError:
    return QError(message.code, message.text, source=source, start=start, end=end,
                  hint=message.hint, suggestion=message.suggestion)


def q_path(segments: tuple[str, ...] | list[str]) -> str:
    """Segments written as q: ``a.b["c d"]`` (a first segment that is no identifier is quoted)."""
    parts: list[str] = []
    for index, segment in enumerate(segments):
        if is_identifier(segment):
            parts.append(segment if index == 0 else "." + segment)
        else:
            parts.append(encode_string(segment) if index == 0 else f"[{encode_string(segment)}]")
    return "".join(parts)


def _prefix(path: ast.Path, index: int) -> str:
    return q_path(path.segments[: index + 1])


def _unknown(
    schema: Schema,
    record: RecordType,
    path: ast.Path,
    index: int,
    spans: tuple[tuple[int, int], ...],
    scopes: Collection[str],
    source: str,
) -> QError:
    name = path.segments[index]
    visible = [
        member_name
        for member_name in record.member_names()
        if _visible(record, member_name, scopes)
    ]
    suggestion = suggest(name, visible)
    where = "the record" if index == 0 else _prefix(path, index - 1)
    if record is schema.root_record and index == 0:
        where = f"a {record.name.lower()}"
    full = None if suggestion is None else ".".join((*path.segments[:index], suggestion))
    message = messages.unknown_field(name, None if index == 0 else where, full,
                                     visible[:MAX_LISTED_NAMES],
                                     len(visible) - MAX_LISTED_NAMES, where)
    return _error(message, source, spans[index][0], spans[index][1])


def _visible(record: RecordType, name: str, scopes: Collection[str]) -> bool:
    member = record.member(name)
    return member is not None and (member.scope is None or member.scope in scopes)


def suggest(name: str, candidates: list[str]) -> str | None:
    """The closest candidate above the similarity threshold (case-insensitive), or None."""
    lowered = {c.lower(): c for c in candidates}
    if name.lower() in lowered:
        return lowered[name.lower()]
    matches = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=SIMILARITY_CUTOFF)
    return lowered[matches[0]] if matches else None
