"""Reading paths in records, exactly as validation resolved them (a plan :class:`FieldRef`).

A record is a mapping from field and relation names to values. A to-one relation holds a
nested record (or null), a to-many relation a list of records (or null). A key that is absent
is null for a field, but an error for a relation: the API leaves relations out unless asked
for them with ``embed``, so "no related records" cannot be told from "not requested"
(:class:`MissingRelationError`). A to-one value that is not a mapping, or a to-many value that
is not a list, is treated as null (no related records); list items that are not mappings are
skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import methodcaller
from typing import Any

from qexpr.backends.predicate.values import Coercer, is_record
from qexpr.plan.nodes import FieldRef, Hop
from qexpr.schema.model import Relation

Record = Mapping[str, Any]
Reader = Callable[[Record], Any]
"""Reads one value (None when null) from a record."""
Items = Callable[[Record], Sequence[Any]]
"""Reads the related records of a to-many relation from a record."""

_MISSING: Any = object()


class MissingRelationError(LookupError):
    """A record lacks the key of a relation the filter uses (not the same as null or ``[]``).

    ``key`` is the absent key, ``where`` the relation path of the record that lacks it (empty
    for the record given to the predicate) and ``embed`` the ``embed`` value to request.
    """

    def __init__(self, key: str, embed: str, where: str = "", scope: str | None = None) -> None:
        self.key = key
        self.embed = embed
        self.where = where
        record = f"the {where} record" if where else "the record"
        message = f"{record} has no {key!r} key; request it with embed={embed}"
        if scope is not None:
            message += f" (which needs the scope {scope})"
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


class Place:
    """Where records being read sit: the relation names crossed from the root record."""

    __slots__ = ("relations",)

    def __init__(self, relations: tuple[str, ...] = ()) -> None:
        self.relations = relations

    @property
    def is_root(self) -> bool:
        """The record given to the predicate itself."""
        return not self.relations

    def below(self, hops: tuple[Relation, ...]) -> Place:
        """The place of the records reached through ``hops``."""
        return Place((*self.relations, *(hop.name for hop in hops)))

    def missing(self, hops: tuple[Relation, ...], index: int) -> MissingRelationError:
        """The error for a record at ``hops[:index]`` lacking the key of ``hops[index]``."""
        where = self.below(hops[:index])
        relation = hops[index]
        embed = (*where.relations, relation.name)[0]
        return MissingRelationError(relation.name, embed, ".".join(where.relations),
                                    relation.scope)


def _follow(place: Place, hops: tuple[Relation, ...]) -> Callable[[Record], Record | None]:
    """Cross the to-one ``hops``: the record reached, None if one of them is null."""
    steps = tuple((hop.name, index) for index, hop in enumerate(hops))

    def follow(record: Record) -> Record | None:
        current: Any = record
        for name, index in steps:
            value = current.get(name, _MISSING)
            if value is _MISSING:
                raise place.missing(hops, index)
            if not is_record(value):
                return None
            current = value
        return current  # type: ignore[no-any-return]

    return follow


def relations(hops: tuple[Hop, ...]) -> tuple[Relation, ...]:
    """The relations crossed by ``hops``."""
    return tuple(hop.relation for hop in hops)


def raw_reader(place: Place, resolved: FieldRef) -> Reader:
    """The raw value of a field path (json keys followed), as stored in the record."""
    assert resolved.field is not None
    key = resolved.field.name
    keys = resolved.json_keys
    base: Reader
    if resolved.hops:
        follow = _follow(place, relations(resolved.hops))

        def through(record: Record) -> Any:
            target = follow(record)
            return None if target is None else target.get(key)

        base = through
    else:
        base = methodcaller("get", key)
    if not keys:
        return base

    def json_path(record: Record) -> Any:
        value = base(record)
        for name in keys:
            if type(value) is dict or isinstance(value, Mapping):
                value = value.get(name)
            else:
                return None
        return value

    return json_path


def typed_reader(place: Place, resolved: FieldRef, coerce: Coercer) -> Reader:
    """The value of a field path in the comparable form ``coerce`` gives (None when null)."""
    if not resolved.hops and not resolved.json_keys:
        assert resolved.field is not None
        key = resolved.field.name

        def direct(record: Record) -> Any:
            return coerce(record.get(key))

        return direct
    raw = raw_reader(place, resolved)

    def read(record: Record) -> Any:
        return coerce(raw(record))

    return read


def items_reader(place: Place, path: tuple[Hop, ...]) -> Items:
    """The related records of the to-many relation a quantifier's ``path`` ends at."""
    hops = relations(path)
    relation = hops[-1]
    name, index = relation.name, len(hops) - 1
    follow = _follow(place, hops[:-1]) if len(hops) > 1 else None

    def items(record: Record) -> Sequence[Any]:
        if follow is not None:
            target = follow(record)
            if target is None:
                return ()
            record = target
        value = record.get(name, _MISSING)
        if type(value) is list:
            return value
        if value is _MISSING:
            raise place.missing(hops, index)
        if isinstance(value, Sequence) and not isinstance(value, str | bytes):
            return value
        return ()

    return items
