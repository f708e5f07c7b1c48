"""The in-memory predicate: a validated filter as a Python function over records.

``to_predicate(filter)(record)`` is True exactly when the filter is TRUE for the record under
the three-valued logic of spec section 5 (what the server's database answers);
``to_tristate(filter)(record)`` gives the value itself: True, False, or None for UNKNOWN.
Records are run objects as the API returns them (JSON-decoded) or with native values
(``datetime``, ``Decimal``, ``UUID``); see :mod:`.values` for how values are read and which
ill-typed values count as null. A filter is compiled into closures once, and its "TRUE?" check
into one function generated from the plan's structure (:mod:`.codegen`: no text of the filter in
its source); those of the last 256 filters used are cached, keyed by the filter object.

UNKNOWN is never materialised on the hot path: each node compiles to a pair of two-valued
checks, "is it TRUE?" and "is it FALSE?" (:class:`~.leaves.Test`), UNKNOWN being neither;
``to_tristate`` maps the pair back to True/False/None.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from qexpr.backends.predicate.access import MissingRelationError, Place
from qexpr.backends.predicate.codegen import generate
from qexpr.backends.predicate.compiler import CompiledFilter, compile_plan
from qexpr.backends.predicate.leaves import Check

if TYPE_CHECKING:
    from qexpr.filter import Filter

__all__ = ["MissingRelationError", "compile_filter", "to_predicate", "to_tristate"]

Predicate = Callable[[Mapping[str, Any]], bool]
Tristate = Callable[[Mapping[str, Any]], bool | None]
T = TypeVar("T")

_CACHE_SIZE = 256
# id(filter) -> (filter, compiled, predicate, tristate). Filter is a slotted dataclass without
# __weakref__, and equal filters may differ in the instant now() folded to, so entries are
# keyed by identity and keep their filter alive (which keeps its id from being reused) until
# evicted, oldest first.
_cache: dict[int, tuple[Filter, CompiledFilter, Predicate, Tristate]] = {}
_cache_lock = threading.Lock()


def compile_filter(filter: Filter) -> CompiledFilter:
    """The root test of ``filter`` (uncached): ``test.true``/``test.false`` per record."""
    return compile_plan(filter.plan)


def _entry(filter: Filter) -> tuple[Filter, CompiledFilter, Predicate, Tristate]:
    entry = _cache.get(id(filter))
    if entry is not None and entry[0] is filter:
        return entry
    compiled = compile_filter(filter)
    generated = generate(filter.plan)
    predicate = _guard(compiled, compiled.test.true) if generated is None else generated.check
    true, false = compiled.test.true, compiled.test.false

    def three_valued(record: Mapping[str, Any]) -> bool | None:
        if true(record):
            return True
        return False if false(record) else None

    entry = (filter, compiled, predicate, _guard(compiled, three_valued))
    with _cache_lock:
        _cache[id(filter)] = entry
        while len(_cache) > _CACHE_SIZE:
            del _cache[next(iter(_cache))]
    return entry


def _guard(
    compiled: CompiledFilter, check: Callable[[Mapping[str, Any]], T]
) -> Callable[[Mapping[str, Any]], T]:
    """``check``, first making sure the record carries every relation the filter uses."""
    if not compiled.relations:
        return check
    place = Place()
    required = tuple((relation.name, (relation,)) for relation in compiled.relations)

    def guarded(record: Mapping[str, Any]) -> T:
        for name, hops in required:
            if name not in record:
                raise place.missing(hops, 0)
        return check(record)

    return guarded


def to_predicate(filter: Filter) -> Callable[[Mapping[str, Any]], bool]:
    """A function telling whether a record matches ``filter`` (only TRUE matches).

    Raises :class:`MissingRelationError` (a ``LookupError``) for a record that lacks the key
    of a relation the filter uses, naming the ``embed`` to request; a relation that is null
    or ``[]`` simply has no records.
    """
    predicate: Check = _entry(filter)[2]
    return predicate


def to_tristate(filter: Filter) -> Callable[[Mapping[str, Any]], bool | None]:
    """The three-valued result of ``filter`` for a record: True, False or None (UNKNOWN)."""
    tristate: Tristate = _entry(filter)[3]
    return tristate
