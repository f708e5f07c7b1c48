"""Reading the parameters of ``GET /v1/runs`` other than ``q``: ``limit``, ``sort_by``,
``fields``, ``embed`` and ``from_prev`` (``pq`` is read by :mod:`qexpr.search.cursor`).

Every reader takes the parameter's text and returns its value, or raises :class:`QError` with
``param`` set to the parameter's name and a span inside that text. List readers report every
bad item of their list (one error per item), so :func:`qexpr.search.compile_search` can report
all errors of all parameters together.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from qexpr.check.resolve import ResolvedPath, resolve, suggest
from qexpr.errors import ErrorCode, QError
from qexpr.schema.model import Field, FieldType, RecordType, Relation, Schema
from qexpr.search.lists import (
    DOTTED,
    MAX_LIST_ITEMS,
    Collector,
    bad_name,
    check_length,
    first_error,
    split_items,
)
from qexpr.syntax import ast

DEFAULT_LIMIT = 50
"""Page size when ``limit`` is absent."""
MAX_LIMIT = 500
"""Largest page size (the seed's range is 1 <= limit <= 500)."""
DEFAULT_SORT = "created_at:desc"
"""Sort when ``sort_by`` is absent: newest first (the seed's own example)."""
MAX_SORT_KEYS = 8
"""Most keys ``sort_by`` may list (the ``id`` tie-breaker not counted)."""

_WHOLE = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True, slots=True)
class SortKey:
    """One key of the order: a sortable field of the root record or of a to-one relation.

    ``hops`` are the to-one relations crossed (``model`` for ``model.slug``); ``descending``
    the direction. NULL sorts as the largest value: last ascending, first descending.
    """

    path: str
    field: Field
    hops: tuple[Relation, ...] = ()
    descending: bool = False
    key: bool = False
    """The root record's key (``id``): unique and never null."""
    ref: ResolvedPath | None = dc_field(default=None, compare=False, repr=False)
    """The path as :func:`~qexpr.check.resolve.resolve` gave it (what backends read)."""

    @property
    def direction(self) -> str:
        """``asc`` or ``desc``."""
        return "desc" if self.descending else "asc"

    def __str__(self) -> str:
        return f"{self.path}:{self.direction}"

    @property
    def nullable(self) -> bool:
        """Whether the key can be null (a nullable field, or one behind a to-one relation)."""
        return not self.key and (self.field.nullable or bool(self.hops))


# --------------------------------------------------------------------------- limit


def parse_limit(text: str | None) -> int:
    """The page size: a whole number in ASCII digits (optionally signed), 1 to
    :data:`MAX_LIMIT`; absent or empty: the default."""
    if text is None or text == "":
        return DEFAULT_LIMIT
    col = Collector("limit", text)
    if _WHOLE.fullmatch(text) is None:
        shown = f", not {text!r}" if len(text) <= 40 else ""
        raise col.error(ErrorCode.INVALID_LITERAL, f"limit must be a whole number in digits"
                        f"{shown}", 0, len(text),
                        hint=f"write a number from 1 to {MAX_LIMIT}, e.g. limit=50")
    negative = text[0] == "-"
    stripped = text.lstrip("+-").lstrip("0")
    if negative or len(stripped) > 4 or not 1 <= int(stripped or "0") <= MAX_LIMIT:
        raise col.error(ErrorCode.INVALID_LITERAL,
                        f"limit must be between 1 and {MAX_LIMIT}", 0, len(text),
                        hint=f"ask for at most {MAX_LIMIT} runs per page and follow the next "
                        "cursor for more")
    return int(stripped)


# --------------------------------------------------------------------------- from_prev


def parse_bool(text: str | None, param: str = "from_prev") -> bool | None:
    """``true`` or ``false``, in any letter case; None when absent or empty."""
    if text is None or text == "":
        return None
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    col = Collector(param, text)
    shown = f", not {text!r}" if len(text) <= 40 else ""
    raise col.error(ErrorCode.INVALID_LITERAL, f"{param} must be true or false{shown}", 0,
                    len(text), expected=("true", "false"),
                    hint="true and false are accepted in any letter case, nothing else")


# --------------------------------------------------------------------------- sort_by


def parse_sort(text: str | None, schema: Schema, scopes: Collection[str]
               ) -> tuple[SortKey, ...]:
    """The sort keys of ``sort_by`` (default :data:`DEFAULT_SORT`, or the key when the root has
    no sortable ``created_at``), tie-breaker appended.

    Each item is ``path[:asc|:desc]`` (``asc`` when omitted, any case), a sortable field of the
    root record or of a to-one relation. The root's key (``id``) is appended when absent, in
    the direction of the last key, so the order is total.
    """
    root = schema.root_record
    if text:
        source = text
    else:  # a schema without a sortable created_at: by key alone
        default = root.field(DEFAULT_SORT.partition(":")[0])
        source = DEFAULT_SORT if default is not None and default.sortable else root.key
    col = Collector("sort_by", source)
    if not check_length(col, source):
        raise col.errors[0]
    keys: list[SortKey] = []
    seen: dict[str, int] = {}
    items = split_items(col, source, "sort key")
    if len(items) > MAX_SORT_KEYS:
        col.error(ErrorCode.LIMIT_EXCEEDED, f"sort_by lists more than {MAX_SORT_KEYS} keys",
                  items[MAX_SORT_KEYS][1], items[-1][2],
                  hint=f"limit max_sort_keys = {MAX_SORT_KEYS}")
        items = items[:MAX_SORT_KEYS]
    for item, start, end in items:
        name, colon, direction = item.partition(":")
        name = name.rstrip()
        if not DOTTED.fullmatch(name):
            bad_name(col, name if colon else item, start, "sort key")
            continue
        descending = False
        if colon:
            word = direction.strip()
            dir_start = start + item.index(":") + 1 + (len(direction) - len(direction.lstrip()))
            if word.lower() in ("asc", "desc"):
                descending = word.lower() == "desc"
            else:
                guess = suggest(word, ["asc", "desc"]) if word else None
                if guess is None and word.lower().startswith(("asc", "desc")):
                    guess = "desc" if word.lower().startswith("desc") else "asc"
                col.error(ErrorCode.SYNTAX_ERROR,
                          f"the direction of {name} must be asc or desc"
                          + (f", not {word!r}" if word and len(word) <= 40 else ""),
                          dir_start, dir_start + len(word), expected=("asc", "desc"),
                          suggestion=guess)
                continue
        key = _sort_key(col, schema, root, name, start, descending, scopes)
        if key is None:
            continue
        if key.path in seen:
            col.error(ErrorCode.SYNTAX_ERROR, f"{key.path} appears twice in sort_by",
                      start, end, hint="list each sort key once")
            continue
        seen[key.path] = start
        keys.append(key)
    if col.errors:
        raise first_error(col.errors)
    key_field = root.field(root.key)
    if key_field is None:
        raise ValueError(f"the key {root.key!r} of {root.name} is not a field; cannot sort")
    if not any(not k.hops and k.field.name == key_field.name for k in keys):
        ref = resolve(schema, root, ast.Path((key_field.name,)), scopes)
        keys.append(SortKey(key_field.name, key_field, (), keys[-1].descending if keys
                            else False, key=True, ref=ref))
    return tuple(keys)


def relations(ref: ResolvedPath) -> tuple[Relation, ...]:
    """The relations a resolved path crosses (its hops, whichever form they take)."""
    hops: tuple[Any, ...] = ref.hops
    return tuple(getattr(hop, "relation", hop) for hop in hops)


def _sort_key(col: Collector, schema: Schema, root: RecordType, name: str, start: int,
              descending: bool, scopes: Collection[str]) -> SortKey | None:
    segments = tuple(name.split("."))
    spans: list[tuple[int, int]] = []
    pos = start
    for seg in segments:
        spans.append((pos, pos + len(seg)))
        pos += len(seg) + 1
    path = ast.Path(segments, tuple(spans), start=start, end=start + len(name))
    try:
        resolved = resolve(schema, root, path, scopes, col.source)
    except QError as err:
        if err.code is ErrorCode.QUANTIFIER_REQUIRED:
            col.error(ErrorCode.UNSUPPORTED_OPERATOR,
                      f"cannot sort by {name}: it runs through a list of records",
                      path.start, path.end,
                      hint="sort by a field of the run or of a to-one relation (model.slug)")
        else:
            col.adopt(err)
        return None
    if resolved.field is None:
        relation = resolved.relation
        assert relation is not None
        if relation.many:
            message = f"cannot sort by {name}: it is a list of records"
            hint = "sort by a field of the run or of a to-one relation (model.slug)"
        else:
            target = schema.target(relation)
            example = next((f.name for f in target.fields if f.sortable), "id")
            message = f"cannot sort by {name}: it is a related record"
            hint = f"sort by one of its fields, e.g. {name}.{example}"
        col.error(ErrorCode.UNSUPPORTED_OPERATOR, message, path.start, path.end, hint=hint)
        return None
    found = resolved.field
    if found.type is FieldType.JSON:
        col.error(ErrorCode.UNSUPPORTED_OPERATOR,
                  f"cannot sort by {name}: json fields have no order", path.start, path.end,
                  hint="sort by a scalar field")
        return None
    if not found.sortable:
        col.error(ErrorCode.UNSUPPORTED_OPERATOR, f"cannot sort by {name}: it is not sortable",
                  path.start, path.end)
        return None
    is_key = not resolved.hops and found.name == root.key
    return SortKey(name, found, relations(resolved), descending, key=is_key, ref=resolved)


# --------------------------------------------------------------------------- fields, embed


def _member_error(col: Collector, root: RecordType, item: str, start: int, end: int,
                  candidates: list[str], scopes: Collection[str], what: str) -> bool:
    """Report a name that is not a plain candidate; True when one was reported."""
    if not DOTTED.fullmatch(item):
        bad_name(col, item, start, what)
        return True
    head = item.split(".")[0]
    member = root.member(head)
    if member is not None and member.scope is not None and member.scope not in scopes:
        col.error(ErrorCode.FORBIDDEN_FIELD, f"{head} requires the scope {member.scope}",
                  start, start + len(head), hint=f"ask for a token with the scope {member.scope}")
        return True
    if "." in item:
        if head in candidates:
            col.error(ErrorCode.UNKNOWN_FIELD, f"{col.param} takes top-level names, not {item}",
                      start, end, suggestion=head,
                      hint=f"list {head} to get it whole")
        else:
            _unknown(col, head, start, start + len(head), candidates)
        return True
    if item not in candidates:
        _unknown(col, item, start, end, candidates)
        return True
    return False


def _unknown(col: Collector, name: str, start: int, end: int, candidates: list[str]) -> None:
    guess = suggest(name, candidates)
    kind = "relation to embed" if col.param == "embed" else "field"
    shown = ", ".join(candidates[:12]) + (" (and more)" if len(candidates) > 12 else "")
    col.error(ErrorCode.UNKNOWN_FIELD, f"unknown {kind} {name!r}", start, end, suggestion=guess,
              hint=None if guess else f"{col.param} takes: {shown}")


def _visible_relations(root: RecordType, scopes: Collection[str]) -> list[str]:
    return [r.name for r in root.relations if r.scope is None or r.scope in scopes]


def parse_embed(text: str | None, schema: Schema, scopes: Collection[str]) -> tuple[str, ...]:
    """Relation names of the root record to embed, in schema order (duplicates are harmless)."""
    if text is None or text == "":
        return ()
    col = Collector("embed", text)
    if not check_length(col, text):
        raise col.errors[0]
    root = schema.root_record
    candidates = _visible_relations(root, scopes)
    chosen: set[str] = set()
    items = split_items(col, text, "relation name")
    if len(items) > MAX_LIST_ITEMS:
        raise col.error(ErrorCode.LIMIT_EXCEEDED, f"embed lists more than {MAX_LIST_ITEMS} "
                        "names", items[MAX_LIST_ITEMS][1], items[-1][2])
    for item, start, end in items:
        if _member_error(col, root, item, start, end, candidates, scopes, "relation name"):
            continue
        chosen.add(item)
    if col.errors:
        raise first_error(col.errors)
    return tuple(r.name for r in root.relations if r.name in chosen)


def parse_fields(text: str | None, schema: Schema, scopes: Collection[str]
                 ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(field names, relation names) that ``fields`` projects, each in schema order.

    Absent or empty: every field of the root record, no relation. The key (``id``) is always
    included. A relation name stands for the whole embedded relation (and embeds it).
    """
    root = schema.root_record
    if text is None or text == "":
        return tuple(f.name for f in root.fields), ()
    col = Collector("fields", text)
    if not check_length(col, text):
        raise col.errors[0]
    candidates = [f.name for f in root.fields] + _visible_relations(root, scopes)
    chosen: set[str] = {root.key}
    items = split_items(col, text, "field name")
    if len(items) > MAX_LIST_ITEMS:
        raise col.error(ErrorCode.LIMIT_EXCEEDED, f"fields lists more than {MAX_LIST_ITEMS} "
                        "names", items[MAX_LIST_ITEMS][1], items[-1][2])
    for item, start, end in items:
        if _member_error(col, root, item, start, end, candidates, scopes, "field name"):
            continue
        chosen.add(item)
    if col.errors:
        raise first_error(col.errors)
    return (tuple(f.name for f in root.fields if f.name in chosen),
            tuple(r.name for r in root.relations if r.name in chosen))
