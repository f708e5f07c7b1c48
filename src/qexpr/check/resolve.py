"""Resolving a path against a schema: which relations it crosses, which field it reaches.

Used by validation (which reports the errors) and by every backend (which only ever sees
paths that validation accepted), so both read a path the same way.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass

from qexpr.errors import ErrorCode, QError
from qexpr.schema.model import Field, FieldType, RecordType, Relation, Schema
from qexpr.syntax import ast
from qexpr.syntax.literals import encode_string, is_identifier

MAX_LISTED_NAMES = 12
SIMILARITY_CUTOFF = 0.7


@dataclass(frozen=True, slots=True)
class ResolvedPath:
    """What a path denotes, relative to the record type it was resolved in.

    ``hops`` are the relations crossed (to-one, or the final to-many one a quantifier ranges
    over); ``field`` is the field reached (None when the path ends at a relation);
    ``json_keys`` the object keys below a json field.
    """

    record: RecordType
    hops: tuple[Relation, ...]
    field: Field | None
    json_keys: tuple[str, ...] = ()

    @property
    def relation(self) -> Relation | None:
        """The relation the path ends at, if it ends at one."""
        return self.hops[-1] if self.field is None and self.hops else None

    @property
    def is_json_path(self) -> bool:
        """A sub-path inside a json field (``metadata.tier``)."""
        return bool(self.json_keys)

    @property
    def type(self) -> FieldType | None:
        """The field's type (None for a relation)."""
        return self.field.type if self.field is not None else None


def resolve(
    schema: Schema,
    record: RecordType,
    path: ast.Path,
    scopes: Collection[str],
    source: str = "",
) -> ResolvedPath:
    """Resolve ``path`` in ``record``; raise the one error it breaks, if any.

    Errors: ``forbidden_field`` (a segment needs a scope the caller lacks; nothing beyond it is
    revealed), ``unknown_field`` (with a did-you-mean), ``quantifier_required`` (the path runs
    through a to-many relation).
    """
    segments = path.segments
    spans = path.segment_spans or tuple((path.start, path.end) for _ in segments)
    current = record
    hops: list[Relation] = []
    through_many: int | None = None  # index of a to-many relation crossed outside a quantifier
    resolved: ResolvedPath | None = None
    for index, name in enumerate(segments):
        member = current.member(name)
        if member is None:
            raise _unknown(schema, current, path, index, spans, scopes, source)
        if member.scope is not None and member.scope not in scopes:
            raise QError(
                ErrorCode.FORBIDDEN_FIELD,
                f"{q_path(segments[: index + 1])} requires the scope {member.scope}",
                source=source,
                start=path.start,
                end=spans[index][1],
                hint=f"ask for a token with the scope {member.scope}",
            )
        if isinstance(member, Field):
            if member.type is FieldType.JSON:
                resolved = ResolvedPath(current, tuple(hops), member, tuple(segments[index + 1 :]))
                break
            if index + 1 < len(segments):
                raise QError(
                    ErrorCode.UNKNOWN_FIELD,
                    f"{q_path(segments[: index + 1])} is {article(str(member.type))} field "
                    "and has no sub-fields",
                    source=source,
                    start=spans[index + 1][0],
                    end=path.end,
                    hint=f"compare {q_path(segments[: index + 1])} itself",
                )
            resolved = ResolvedPath(current, tuple(hops), member)
            break
        hops.append(member)
        if member.many and index + 1 < len(segments) and through_many is None:
            through_many = index
        current = schema.target(member)
    if through_many is not None:
        # The rest of the path exists (unknown or forbidden names were reported first).
        relation = q_path(segments[: through_many + 1])
        rest = q_path(segments[through_many + 1 :])
        raise QError(
            ErrorCode.QUANTIFIER_REQUIRED,
            f"{relation} is a list of records; test its items with any() or all()",
            source=source,
            start=path.start,
            end=path.end,
            hint=f"write any({relation}, {rest} ...) or all({relation}, {rest} ...)",
        )
    return resolved if resolved is not None else ResolvedPath(current, tuple(hops), None)


def q_path(segments: tuple[str, ...] | list[str]) -> str:
    """Segments written as q: ``a.b["c d"]`` (a first segment that is no identifier is quoted)."""
    parts: list[str] = []
    for index, segment in enumerate(segments):
        if is_identifier(segment):
            parts.append(segment if index == 0 else "." + segment)
        else:
            parts.append(encode_string(segment) if index == 0 else f"[{encode_string(segment)}]")
    return "".join(parts)


def article(word: str) -> str:
    """``a string``, ``an integer``."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


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
    message = f"unknown field {name!r}" + ("" if index == 0 else f" in {where}")
    hint: str | None = None
    full_suggestion: str | None = None
    if suggestion is not None:
        full_suggestion = ".".join((*path.segments[:index], suggestion))
    else:
        shown = ", ".join(visible[:MAX_LISTED_NAMES])
        more = len(visible) - MAX_LISTED_NAMES
        hint = f"fields of {where}: {shown}" + (f" (and {more} more)" if more > 0 else "")
    return QError(
        ErrorCode.UNKNOWN_FIELD,
        message,
        source=source,
        start=spans[index][0],
        end=spans[index][1],
        suggestion=full_suggestion,
        hint=hint,
    )


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
