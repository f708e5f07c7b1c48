"""``compile_search()``: a whole ``GET /v1/runs`` request checked and compiled into a
:class:`Search` (filter, order, projection, embeds, page size, position), and :class:`Page`.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

from qexpr.builder.condition import Condition
from qexpr.errors import ErrorCode, QError
from qexpr.filter import Filter, conjoin
from qexpr.filter import compile as compile_filter
from qexpr.quoting import quote
from qexpr.search import cursor as cursors
from qexpr.search.boundary import needs_row
from qexpr.search.evaluation import EVALUATION_PARAMS, Evaluation, evaluation_filter, parse_one
from qexpr.search.lists import is_name, trim
from qexpr.search.params import (
    SortKey,
    parse_bool,
    parse_embed,
    parse_fields,
    parse_limit,
    parse_sort,
)
from qexpr.search.seal import sealer

if TYPE_CHECKING:
    from sqlalchemy.sql.expression import Select

    from qexpr.limits import Limits
    from qexpr.schema.model import Schema

#: The parameters :func:`compile_search` reads, in the order their errors are reported.
PARAMS: tuple[str, ...] = ("q", "limit", "sort_by", "fields", "embed", "pq", "from_prev",
                           *EVALUATION_PARAMS)
#: Parameters of the seed's ``GET /v1/runs`` that this library leaves to the server: none
#: since the ``evaluation_*`` filters are applied (:mod:`qexpr.search.evaluation`).
OUT_OF_SCOPE_PARAMS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Page:
    """One page of results, shaped like the API's response: ``items`` and three cursors.

    ``next``/``previous`` are ``pq`` values for the following/preceding page (None when there
    is none; pass ``previous`` with ``from_prev=true``); ``first`` is the first page's cursor.
    """

    items: tuple[dict[str, Any], ...]
    next: str | None
    previous: str | None
    first: str | None

    def to_dict(self) -> dict[str, Any]:
        """The response body: ``{"items": [...], "first": ..., "next": ..., "previous": ...}``."""
        return {"items": list(self.items), "first": self.first, "next": self.next,
                "previous": self.previous}


@dataclass(frozen=True, slots=True, repr=False)
class Search:
    """A validated search request, immutable and safe to share between threads.

    ``sort`` is the effective order (the ``id`` tie-breaker included); ``fields`` the
    projected fields of the root record and ``embeds`` the relations each item carries (both
    in schema order); ``position`` the sort values of the boundary row (None: from the start,
    or from the end when ``backward``); ``backward`` pages towards the start.

    ``where`` is the server's condition (a tenant, say), ANDed outside the user's filter:
    ``condition`` is what every backend runs; ``to_params`` prints the user's ``q`` only.

    A position may hold :class:`~qexpr.search.cursor.Digest` values (long sort values a cursor
    carries as digests): :meth:`execute` and :meth:`apply` take them from the boundary row;
    to build the page query yourself, run :meth:`boundary_query` and :meth:`at_boundary` first.
    """

    filter: Filter
    sort: tuple[SortKey, ...]
    fields: tuple[str, ...]
    embeds: tuple[str, ...]
    limit: int
    position: tuple[Any, ...] | None = None
    backward: bool = False
    fingerprint: str = ""
    secret: bytes | None = field(default=None, repr=False, compare=False)
    where: Filter | None = None
    condition: Filter = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    evaluation: Evaluation = field(default_factory=Evaluation)
    """The ``evaluation_*`` values (their condition is part of ``where``)."""

    def __post_init__(self) -> None:
        if self.condition is None:
            whole = self.filter if self.where is None else conjoin(self.where, self.filter)
            object.__setattr__(self, "condition", whole)

    @property
    def schema(self) -> Schema:
        """The schema the request was checked against."""
        return self.filter.schema

    def __repr__(self) -> str:
        where = "end" if self.backward else "start"
        position = f"after {self.position!r}" if self.position is not None else f"from the {where}"
        if self.position is not None and self.backward:
            position = f"before {self.position!r}"
        return (f"Search(q={self.filter.to_q()!r}, sort_by={self.sort_by!r}, "
                f"limit={self.limit}, fields={','.join(self.fields)!r}, "
                f"embed={','.join(self.embeds)!r}, {position})")

    @property
    def sort_by(self) -> str:
        """The effective order as a ``sort_by`` value (``created_at:desc,id:desc``)."""
        return ",".join(str(k) for k in self.sort)

    # -- cursors ------------------------------------------------------------------------------

    def cursor(self, values: Sequence[Any] | None, *, backward: bool) -> str:
        """The ``pq`` text for a boundary (None: no boundary) and direction of this search."""
        data = cursors.Cursor(backward, None if values is None else tuple(values),
                              self.fingerprint)
        return cursors.encode(data, self.sort, self.secret)

    @property
    def first_cursor(self) -> str:
        """The cursor of the first page."""
        return self.cursor(None, backward=False)

    def follow(self, pq: str) -> Search:
        """This search positioned at cursor ``pq`` (in the direction the cursor was issued)."""
        decoded = cursors.decode(pq, secret=self.secret, keys=self.sort,
                                 expected_fingerprint=self.fingerprint)
        return replace(self, position=decoded.values, backward=decoded.backward)

    @property
    def needs_boundary_row(self) -> bool:
        """Whether the position takes values from its boundary row (see :meth:`at_boundary`)."""
        return needs_row(self.position)

    def boundary_query(self, dialect: str = "sqlite") -> tuple[str, list[Any]] | None:
        """The query reading the boundary row's sort values (None: nothing to look up)."""
        from qexpr.search.sql import boundary_query

        return boundary_query(self, dialect)

    def at_boundary(self, row: Sequence[Any] | None, dialect: str = "sqlite") -> Search:
        """This search positioned at the row :meth:`boundary_query` returned (None: no row);
        ``invalid_literal`` on ``pq`` when the row is gone or its sort values changed."""
        from qexpr.search.sql import at_boundary

        return at_boundary(self, row, dialect)

    # -- running ------------------------------------------------------------------------------

    def to_sql(self, dialect: str = "sqlite") -> tuple[str, list[Any]]:
        """The page query (``LIMIT limit + 1``) and its parameters, for ``dialect``."""
        from qexpr.search.sql import page_query

        return page_query(self, dialect)

    def execute(self, conn: Any, dialect: str = "sqlite") -> Page:
        """Run the page on a DB-API connection (sqlite3, psycopg 3), embeds loaded."""
        from qexpr.search.steps import execute

        return execute(self, conn, dialect)

    def to_sqlalchemy(self, tables: Any = None, dialect: Any = "sqlite") -> Select[Any]:
        """The page query as a SQLAlchemy ``Select`` over ``tables`` (as for
        :meth:`Filter.to_sqlalchemy`); its boundary row must be looked up first."""
        from qexpr.backends.sqlalchemy import page_select

        return page_select(self, tables, dialect)

    async def execute_async(self, conn: Any, dialect: str | None = None) -> Page:
        """:meth:`execute` on an async connection: psycopg 3 ``AsyncConnection``, or
        SQLAlchemy ``AsyncConnection``/``AsyncSession`` (dialect taken from it)."""
        from qexpr.search.aio import execute_async

        return await execute_async(self, conn, dialect)

    def apply(self, records: Iterable[Mapping[str, Any]]) -> Page:
        """The same page computed in memory over API-shaped (or native) records."""
        from qexpr.search.memory import apply

        return apply(self, records)

    def to_params(self) -> dict[str, str]:
        """Canonical request parameters that rebuild this search (cursor included)."""
        out = {"q": self.filter.to_q(), "limit": str(self.limit), "sort_by": self.sort_by,
               "fields": ",".join((*self.fields, *self.embeds)), "embed": ",".join(self.embeds)}
        if self.position is not None or self.backward:
            out["pq"] = self.cursor(self.position, backward=self.backward)
            if self.backward:
                out["from_prev"] = "true"
        out.update(self.evaluation.to_params())
        return {k: v for k, v in out.items() if v}

    def make_page(self, rows: Sequence[Any], key_of: Callable[[Any], tuple[Any, ...]],
                  item_of: Callable[[Any], dict[str, Any]]) -> Page:
        """A page from the rows the page query returned (in query order, up to limit + 1)."""
        has_more = len(rows) > self.limit
        kept = list(rows[: self.limit])
        if self.backward:
            kept.reverse()
        items = tuple(item_of(r) for r in kept)
        bounded = self.position is not None
        nxt: str | None = None
        prev: str | None = None
        if kept:
            first_key, last_key = key_of(kept[0]), key_of(kept[-1])
            if (has_more and not self.backward) or (self.backward and bounded):
                nxt = self.cursor(last_key, backward=False)
            if (has_more and self.backward) or (bounded and not self.backward):
                prev = self.cursor(first_key, backward=True)
        elif bounded:  # an empty page next to a boundary: turn back to the nearest end
            if self.backward:
                nxt = self.first_cursor
            else:
                prev = self.cursor(None, backward=True)
        return Page(items, nxt, prev, self.first_cursor)


def compile_search(
    params: Mapping[str, Any],
    schema: Schema | None = None,
    scopes: Iterable[str] = (),
    now: datetime | None = None,
    secret: bytes | str | None = None,
    *,
    limits: Limits | None = None,
    strict: bool = False,
    where: Condition | Filter | str | None = None,
    org_id: UUID | str | None = None,
    evaluation_scope: str | None = "evaluations:read",
) -> Search:
    """Check and compile the query parameters of ``GET /v1/runs`` into a :class:`Search`.

    ``params`` maps parameter names to their text, as a web framework hands them over
    (``q``, ``limit``, ``sort_by``, ``fields``, ``embed``, ``pq``, ``from_prev`` and the
    ``evaluation_*`` filters of :mod:`qexpr.search.evaluation`, which need the scope
    ``evaluation_scope``, None: none); an absent, None or empty value means "not given".
    Other names are ignored (``strict=True`` rejects them as ``unknown_field``). Values
    are trimmed of surrounding whitespace (space, tab, CR, LF),
    the same way for every parameter; a one-item list stands for its item. ``secret``
    encrypts and authenticates cursors (AES-256-GCM: needs ``qexpr[crypto]``, else
    :class:`~qexpr.search.seal.CryptoUnavailableError`, an ``ImportError``).

    ``where`` is a server-side condition (a builder condition, a compiled filter or q text,
    checked with every scope of the schema) and ``org_id`` the tenant (``org_id = <id>`` on the
    root record): both are ANDed outside the user's ``q`` in every backend, never printed as
    the user's ``q`` (:meth:`Search.to_params`), and part of the cursors' fingerprint, so a
    cursor issued under one condition is refused under another. They are the server's own
    input: an error in them is raised as it is (not as a parameter error).

    Raises :class:`QError` for the first error (in the order of :data:`PARAMS`, then of the
    text), carrying every error of every parameter in ``errors``, each with ``param`` set.
    """
    if schema is None:
        from qexpr.schema.run import RUN_SCHEMA

        schema = RUN_SCHEMA
    key = secret.encode() if isinstance(secret, str) else secret
    if key is not None and not key:
        raise ValueError("secret must not be empty")
    sealer(key)  # a secret without cryptography fails here, before any cursor is made
    scope_set = frozenset((scopes,)) if isinstance(scopes, str) else frozenset(scopes)
    server = server_condition(schema, where, org_id, now)
    errors: dict[str, list[QError]] = {}
    values: dict[str, str | None] = {}
    given: dict[str, tuple[str, int]] = {}
    for name in PARAMS:
        try:
            raw = _text(params, name)
        except QError as err:
            errors[name] = [err]
            raw = None
        values[name] = None
        if raw is not None:
            values[name], lead = trim(raw)
            given[name] = (raw, lead)

    def attempt(name: str, run: Callable[[], Any]) -> Any:
        try:
            return run()
        except QError as err:
            found = list(err.errors)
            raw, lead = given.get(name, ("", 0))
            for each in found:
                each.param = name
                each.errors = (each,)
                if raw != values[name] and each.source == values[name]:
                    # spans into the text as given, before trimming
                    each.source, each.start, each.end = raw, each.start + lead, each.end + lead
            errors.setdefault(name, []).extend(found)
            return None

    q_text = values["q"] or ""
    flt: Filter | None = attempt("q", lambda: compile_filter(
        q_text, schema=schema, scopes=scope_set, now=now, limits=limits))
    limit: int | None = attempt("limit", lambda: parse_limit(values["limit"]))
    sort: tuple[SortKey, ...] | None = attempt(
        "sort_by", lambda: parse_sort(values["sort_by"], schema, scope_set))
    projection: tuple[tuple[str, ...], tuple[str, ...]] | None = attempt(
        "fields", lambda: parse_fields(values["fields"], schema, scope_set))
    embeds: tuple[str, ...] | None = attempt(
        "embed", lambda: parse_embed(values["embed"], schema, scope_set))
    chosen_eval = [attempt(n, partial(parse_one, n, values[n], scope_set, evaluation_scope,
                                      limits)) for n in EVALUATION_PARAMS]
    evaluation = Evaluation(*chosen_eval)
    evaluated = evaluation_filter(evaluation, schema, now)
    if evaluated is not None:
        server = evaluated if server is None else conjoin(server, evaluated)
    fp = cursors.fingerprint(flt.to_q(), sort, schema,
                             server="" if server is None else server.to_q()) \
        if flt and sort else None
    position: cursors.Cursor | None = None
    pq = values["pq"]
    if pq:
        position = attempt("pq", lambda: _decode_pq(pq, key, sort, fp))
    from_prev: bool | None = attempt("from_prev", lambda: parse_bool(values["from_prev"]))
    if position is not None and from_prev and not position.backward:
        # false (the default) follows any cursor in its own direction; true asks for a
        # backward page, which a next cursor is not.
        raw, lead = given["from_prev"]
        errors.setdefault("from_prev", []).append(QError(
            ErrorCode.INVALID_LITERAL,
            "from_prev=true does not fit the cursor, which is a next cursor",
            source=raw, start=lead, end=lead + len(values["from_prev"] or ""),
            param="from_prev",
            hint="pass a page's next cursor without from_prev, and its previous cursor with "
                 "or without from_prev=true"))
    if strict:
        _unknown_params(params, errors)
    if errors:
        ordered = [e for name in (*PARAMS, *sorted(set(errors) - set(PARAMS)))
                   for e in sorted(errors.get(name, ()), key=lambda e: e.start)]
        raise ordered[0].with_errors(ordered)
    assert flt is not None and limit is not None and sort is not None
    assert projection is not None and embeds is not None and fp is not None
    field_names, field_relations = projection
    root = schema.root_record
    chosen = set(embeds) | set(field_relations)
    backward = position.backward if position is not None else bool(from_prev)
    return Search(
        filter=flt,
        sort=sort,
        fields=field_names,
        embeds=tuple(r.name for r in root.relations if r.name in chosen),
        limit=limit,
        position=position.values if position is not None else None,
        backward=backward,
        fingerprint=fp,
        secret=key,
        where=server,
        evaluation=evaluation,
    )


def _decode_pq(pq: str, key: bytes | None, sort: tuple[SortKey, ...] | None,
               fp: str | None) -> cursors.Cursor:
    """The cursor ``pq``, refused unless it belongs to this search (fingerprint ``fp``)."""
    decoded = cursors.decode(pq, secret=key, keys=None, expected_fingerprint=None)
    if fp is not None and not hmac.compare_digest(decoded.fingerprint, fp):
        raise QError(ErrorCode.INVALID_LITERAL,
                     "the page cursor belongs to another search (a different q, sort_by, "
                     "evaluation_* values or organisation)", source=pq, start=0, end=len(pq),
                     param="pq", hint="keep q, sort_by and the evaluation_* values as they "
                     "were for the first page, or " + cursors.RESTART)
    return cursors.decode(pq, secret=key, keys=sort, expected_fingerprint=fp)


def server_condition(schema: Schema, where: Condition | Filter | str | None,
                     org_id: UUID | str | None, now: datetime | None) -> Filter | None:
    """The server's condition of a search: ``where`` AND ``org_id = <org_id>`` (None: none),
    checked against ``schema`` with every scope it declares (the server sees everything)."""
    every_scope = frozenset(
        s for r in schema.records for s in (*(f.scope for f in r.fields),
                                             *(rel.scope for rel in r.relations)) if s)
    parts: list[Filter] = []
    if isinstance(where, Filter):
        if where.schema != schema:
            raise ValueError("where= was checked against another schema than the search's")
        parts.append(where)
    elif isinstance(where, Condition):
        parts.append(where.to_filter(scopes=every_scope, now=now))
    elif isinstance(where, str):
        parts.append(compile_filter(where, schema=schema, scopes=every_scope, now=now))
    elif where is not None:
        raise TypeError(f"where= takes a condition, a Filter or q text, not "
                        f"{type(where).__name__}")
    if org_id is not None:
        if schema.root_record.field("org_id") is None:
            raise ValueError(f"org_id= needs an org_id field on {schema.root_record.name}")
        tenant = org_id if isinstance(org_id, UUID) else UUID(str(org_id))
        parts.append(compile_filter(f"org_id = {quote(tenant)}", schema=schema,
                                    scopes=every_scope, now=now))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined = conjoin(combined, part)
    return combined


def _text(params: Mapping[str, Any], name: str) -> str | None:
    """A parameter's text: a string or None (not given), or a list of at most one of them
    (multi-dict style); anything else is an ``invalid_literal`` on the parameter."""
    value = params.get(name)
    if isinstance(value, list | tuple):
        if len(value) > 1:
            raise QError(ErrorCode.SYNTAX_ERROR, f"{name} is given {len(value)} times",
                         param=name, hint=f"give {name} once")
        value = value[0] if value else None
    if value is None or isinstance(value, str):
        return value
    kind = {bool: "a boolean", int: "a number", float: "a number"}.get(type(value))
    shown = kind or f"a {type(value).__name__} value"
    raise QError(ErrorCode.INVALID_LITERAL, f"{name} must be given as text, not as {shown}",
                 param=name, hint=f"pass the parameter as it appears in the URL, e.g. "
                                  f"{name}={_EXAMPLES.get(name, 'text')}")


_EXAMPLES = {"q": "cost > 1", "limit": "50", "sort_by": "created_at:desc", "fields": "id,cost",
             "embed": "model", "pq": "<a page's next cursor>", "from_prev": "true",
             "evaluation_status": "failed", "evaluation_issue_category": "quality",
             "evaluation_issue_subcategory": "blur"}


def _unknown_params(params: Mapping[str, Any], errors: dict[str, list[QError]]) -> None:
    from qexpr.check.resolve import suggest

    for name in params:
        if name in PARAMS or name in OUT_OF_SCOPE_PARAMS:
            continue
        guess = suggest(str(name), list(PARAMS))
        shown = str(name) if is_name(str(name)) else repr(name)
        errors.setdefault(str(name), []).append(QError(
            ErrorCode.UNKNOWN_FIELD, f"unknown query parameter {shown}", source=str(name),
            start=0, end=len(str(name)), param=str(name), suggestion=guess,
            hint=None if guess else "parameters: " + ", ".join(PARAMS)))
