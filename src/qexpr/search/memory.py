"""A search applied in memory: filter with the predicate, sort, page, project, like the server.

Sort values are read exactly as the predicate reads fields (same coercers, same handling of
to-one relations: a relation absent from a record is a :class:`MissingRelationError` naming
the embed to request), ordered with NULL as the largest value and strings by code point.
A position with digested values is first taken from its boundary row: the matching record
with the position's key (:mod:`qexpr.search.boundary`). Under ``evaluation_*`` filters a
record without an ``evaluations`` key has no evaluation (as when loaded into storage).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from qexpr.backends.predicate.access import Place, typed_reader
from qexpr.schema.run import derive_summary, derives_summary
from qexpr.search.boundary import key_index, needs_row, settle
from qexpr.search.params import SortKey
from qexpr.search.shape import Shaper, comparable, compare_keys

if TYPE_CHECKING:
    from qexpr.schema.model import Schema
    from qexpr.search.request import Page, Search


def sort_reader(schema: Schema, key: SortKey) -> Callable[[Mapping[str, Any]], Any]:
    """Reads one sort key's comparable value from a record."""
    assert key.ref is not None, "parse_sort resolves every key"
    ftype = key.field.type
    return typed_reader(Place(), key.ref, lambda value: comparable(ftype, value))


def sort_values(search: Search) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """Reads the tuple of sort values of a record."""
    readers = tuple(sort_reader(search.schema, k) for k in search.sort)

    def read(record: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(r(record) for r in readers)

    return read


def apply(search: Search, records: Iterable[Mapping[str, Any]]) -> Page:
    """The page of ``search`` over ``records`` (API-shaped or native values)."""
    predicate = search.condition.to_predicate()
    if search.evaluation:  # a record without evaluations has none (as in storage)
        records = (r if "evaluations" in r else {**r, "evaluations": []} for r in records)
    if derives_summary(search.schema):  # as load_records stores it
        records = (derive_summary(r) for r in records)
    read = sort_values(search)
    compare = compare_keys(tuple(k.descending for k in search.sort))
    keyed = [(read(r), r) for r in records if predicate(r)]

    def by_key(a: tuple[tuple[Any, ...], Any], b: tuple[tuple[Any, ...], Any]) -> int:
        return compare(a[0], b[0])

    keyed.sort(key=functools.cmp_to_key(by_key))
    if needs_row(search.position):
        assert search.position is not None
        index = key_index(search.sort)
        wanted = search.position[index]
        search = settle(search, next((k for k, _ in keyed if k[index] == wanted), None))
    position = search.position
    if position is not None:
        if search.backward:
            keyed = [x for x in keyed if compare(x[0], position) < 0]
        else:
            keyed = [x for x in keyed if compare(x[0], position) > 0]
    want = search.limit + 1
    rows = keyed[::-1][:want] if search.backward else keyed[:want]
    shaper = Shaper(search.schema, search.filter.scopes)
    return search.make_page(rows, lambda x: x[0],
                            lambda x: shaper.item(x[1], search.fields, search.embeds))
