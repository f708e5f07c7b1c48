"""The schema model: record types made of typed fields and relations, plus their storage layout.

Everything here is immutable, hashable plain data. Join keys (``RecordType.key``,
``Relation.local_key``/``remote_key``) name a field of their record, whose column the join
then uses, or, when the record has no field of that name, a column of its table that is not
exposed as a field (``run_evaluation_summaries.run_id``); such columns take the type of the
other side of the join (:meth:`Schema.extra_columns`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as _slot
from typing import TYPE_CHECKING, Any

from qexpr.operators import COMPARISON_OPERATORS as COMPARISON_OPERATORS
from qexpr.operators import OPERATOR_ORDER as OPERATOR_ORDER
from qexpr.operators import PATTERN_OPERATORS as PATTERN_OPERATORS
from qexpr.operators import Operator
from qexpr.schema.types import JSON_PATH_OPERATORS as JSON_PATH_OPERATORS
from qexpr.schema.types import OPERATORS_BY_TYPE as OPERATORS_BY_TYPE
from qexpr.schema.types import FieldType as FieldType
from qexpr.schema.types import ordered_operators as ordered_operators

if TYPE_CHECKING:
    from qexpr.schema.describe import SchemaPath


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Keywords and reserved names of q (spec section 2), which cannot start a path.
_RESERVED = frozenset({
    "and", "or", "not", "in", "between", "like", "ilike", "contains", "starts_with",
    "ends_with", "is", "null", "true", "false", "any", "all", "now",
})


def _check_name(name: object, what: str) -> None:
    if not isinstance(name, str) or not _IDENT.fullmatch(name):
        raise ValueError(f"{what} name {name!r} is not an identifier [A-Za-z_][A-Za-z0-9_]*")
    if what != "record type" and name.lower() in _RESERVED:
        raise ValueError(f"{what} name {name!r} is a q keyword or reserved name")


def _check_text(value: object, what: str, *, optional: bool = False) -> None:
    if optional and value is None:
        return
    if not isinstance(value, str) or not value or "\x00" in value:
        raise ValueError(f"{what} must be a non-empty string without NUL, got {value!r}")


def _snake(name: str) -> str:
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def default_table(record_name: str) -> str:
    """Default table of a record type: snake_case plural (``NodeRun`` -> ``node_runs``)."""
    word = _snake(record_name)
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + ("es" if re.search(r"(s|x|z|ch|sh)$", word) else "s")


@dataclass(frozen=True, slots=True, init=False, repr=False)
class Field:
    """A scalar or json field. ``column`` defaults to ``name``; ``sortable`` to "not json".

    ``code_point_collation`` (string fields only) is storage: the column's own collation
    already orders by code point (PostgreSQL ``"C"``, ``"POSIX"``, ``ucs_basic``), so the SQL
    orders, ranges and patterns it without ``COLLATE "C"`` and an index in that collation
    serves them. Default False: ``COLLATE "C"`` is written, which is right on any column and
    costs nothing on a ``"C"`` one (PostgreSQL drops a COLLATE equal to the column's, so the
    reference DDL's columns, all ``COLLATE "C"``, keep their indexes without the flag).
    """

    name: str
    type: FieldType
    scope: str | None
    column: str
    description: str
    sortable: bool
    nullable: bool
    code_point_collation: bool

    def __init__(
        self,
        name: str,
        type: FieldType | str,
        scope: str | None = None,
        column: str = "",
        description: str = "",
        sortable: bool | None = None,
        nullable: bool = True,
        code_point_collation: bool = False,
    ) -> None:
        _check_name(name, "field")
        ftype = FieldType(type)
        _check_text(scope, f"scope of field {name!r}", optional=True)
        if column:
            _check_text(column, f"column of field {name!r}")
        if sortable and ftype is FieldType.JSON:
            raise ValueError(f"json field {name!r} cannot be sortable")
        if code_point_collation and ftype is not FieldType.STRING:
            raise ValueError(f"{ftype.value} field {name!r} has no collation "
                             "(code_point_collation is for string fields)")
        set_ = object.__setattr__
        set_(self, "name", name)
        set_(self, "type", ftype)
        set_(self, "scope", scope)
        set_(self, "column", column or name)
        set_(self, "description", description)
        set_(self, "sortable", ftype is not FieldType.JSON if sortable is None else sortable)
        set_(self, "nullable", nullable)
        set_(self, "code_point_collation", bool(code_point_collation))

    def __repr__(self) -> str:
        """Short form: only the attributes that differ from their defaults."""
        defaults = Field(self.name, self.type)
        extra = "".join(f", {a}={getattr(self, a)!r}" for a in _FIELD_OPTIONS
                        if getattr(self, a) != getattr(defaults, a))
        return f"Field({self.name!r}, {self.type.value!r}{extra})"

    @property
    def operators(self) -> frozenset[Operator]:
        """Operator names allowed on this field itself."""
        return OPERATORS_BY_TYPE[self.type]


_FIELD_OPTIONS = ("scope", "column", "description", "sortable", "nullable",
                  "code_point_collation")


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation to ``target``: join ``target_table.remote_key = parent_table.local_key``.

    Defaults: to-one ``local_key=f"{name}_id"``, ``remote_key="id"``; to-many ``local_key="id"``
    and ``remote_key=f"{parent}_id"`` (the parent record type in snake_case, filled in by
    :class:`RecordType`).
    """

    name: str
    target: str
    many: bool
    scope: str | None = None
    local_key: str = ""
    remote_key: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        _check_name(self.name, "relation")
        _check_name(self.target, "record type")
        _check_text(self.scope, f"scope of relation {self.name!r}", optional=True)
        if not self.local_key:
            object.__setattr__(self, "local_key", "id" if self.many else f"{self.name}_id")
        if not self.remote_key and not self.many:
            object.__setattr__(self, "remote_key", "id")
        for key in (self.local_key, self.remote_key or "-"):
            _check_text(key, f"join key of relation {self.name!r}")


def to_one(name: str, target: str, *, local_key: str = "", remote_key: str = "id",
           scope: str | None = None, description: str = "") -> Relation:
    """A to-one relation; ``local_key`` defaults to ``f"{name}_id"``."""
    return Relation(name, target, False, scope, local_key, remote_key, description)


def to_many(name: str, target: str, *, local_key: str = "id", remote_key: str = "",
            scope: str | None = None, description: str = "") -> Relation:
    """A to-many relation; ``remote_key`` defaults to ``f"{parent}_id"``."""
    return Relation(name, target, True, scope, local_key, remote_key, description)


def fields(spec: str, *, scope: str | None = None) -> tuple[Field, ...]:
    """Fields from a whitespace-separated ``name:type`` list, e.g. ``"id:uuid cost:decimal"``."""
    out = []
    for item in spec.split():
        name, sep, ftype = item.partition(":")
        if not sep:
            raise ValueError(f"field spec {item!r} is not name:type")
        out.append(Field(name, ftype, scope))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class RecordType:
    """A record type stored in ``table`` (default :func:`default_table` of ``name``)."""

    name: str
    table: str = ""
    fields: tuple[Field, ...] = ()
    relations: tuple[Relation, ...] = ()
    key: str = "id"
    description: str = ""
    _members: dict[str, Field | Relation] = _slot(init=False, repr=False, compare=False)
    _hash: int = _slot(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_name(self.name, "record type")
        set_ = object.__setattr__
        set_(self, "table", self.table or default_table(self.name))
        _check_text(self.table, f"table of {self.name}")
        _check_text(self.key, f"key of {self.name}")
        singular = _snake(self.name)
        set_(self, "fields", tuple(self.fields))
        set_(self, "relations", tuple(
            r if r.remote_key else replace(r, remote_key=f"{singular}_id") for r in self.relations
        ))
        members: dict[str, Field | Relation] = {}
        for member in (*self.fields, *self.relations):
            if not isinstance(member, Field | Relation):
                raise TypeError(f"{self.name}: {member!r} is neither a Field nor a Relation")
            if member.name in members:
                raise ValueError(f"{self.name}: duplicate member name {member.name!r}")
            members[member.name] = member
        columns: dict[str, str] = {}
        for f in self.fields:
            if f.column in columns:
                raise ValueError(f"{self.name}: fields {columns[f.column]!r} and {f.name!r} "
                                 f"share the column {f.column!r}")
            columns[f.column] = f.name
        set_(self, "_members", members)
        set_(self, "_hash", hash((self.name, self.table, self.fields, self.relations, self.key)))

    def __hash__(self) -> int:
        return self._hash

    def member(self, name: str) -> Field | Relation | None:
        """The field or relation called ``name``, or None."""
        return self._members.get(name)

    def field(self, name: str) -> Field | None:
        """The field called ``name``, or None."""
        member = self._members.get(name)
        return member if isinstance(member, Field) else None

    def relation(self, name: str) -> Relation | None:
        """The relation called ``name``, or None."""
        member = self._members.get(name)
        return member if isinstance(member, Relation) else None

    def member_names(self) -> tuple[str, ...]:
        """Names of the fields, then of the relations, in declaration order."""
        return tuple(self._members)

    def column_of(self, name: str) -> str:
        """The column a key names: the field's column, or ``name`` itself if not a field."""
        f = self.field(name)
        return f.column if f is not None else name

    @property
    def key_column(self) -> str:
        """The column holding the record's key."""
        return self.column_of(self.key)


def record(name: str, *members: Field | Relation | tuple[Field, ...], table: str = "",
           key: str = "id", description: str = "") -> RecordType:
    """A record type from fields and relations in any order (tuples of fields are flattened)."""
    flat = [m for item in members for m in (item if isinstance(item, tuple) else (item,))]
    return RecordType(
        name, table, tuple(m for m in flat if isinstance(m, Field)),
        tuple(m for m in flat if isinstance(m, Relation)), key, description,
    )


ExtraColumns = tuple[tuple[str, FieldType], ...]


@dataclass(frozen=True, slots=True)
class Schema:
    """Record types and the ``root`` one that filters apply to; validated when built."""

    root: str
    records: tuple[RecordType, ...]
    _by_name: dict[str, RecordType] = _slot(init=False, repr=False, compare=False)
    _extra: dict[str, ExtraColumns] = _slot(init=False, repr=False, compare=False)
    _hash: int = _slot(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "records", tuple(self.records))
        by_name: dict[str, RecordType] = {}
        tables: dict[str, str] = {}
        for rec in self.records:
            if not isinstance(rec, RecordType):
                raise TypeError(f"schema records must be RecordType, got {rec!r}")
            if rec.name in by_name:
                raise ValueError(f"duplicate record type {rec.name!r}")
            if rec.table in tables:
                raise ValueError(f"record types {tables[rec.table]!r} and {rec.name!r} "
                                 f"share the table {rec.table!r}")
            by_name[rec.name] = rec
            tables[rec.table] = rec.name
        object.__setattr__(self, "_by_name", by_name)
        if self.root not in by_name:
            raise ValueError(f"root record type {self.root!r} is not in the schema")
        object.__setattr__(self, "_extra", self._extra_columns())
        object.__setattr__(self, "_hash", hash((self.root, self.records)))

    def _extra_columns(self) -> dict[str, ExtraColumns]:
        extra: dict[str, dict[str, FieldType | None]] = {r.name: {} for r in self.records}

        def note(rec: RecordType, column: str, ftype: FieldType | None, why: str) -> None:
            if rec.field(column) is not None:
                return
            if any(f.column == column for f in rec.fields):
                raise ValueError(f"{why}: {column!r} is a column of {rec.name} but not a "
                                 "field name; name the field instead")
            known = extra[rec.name].get(column)
            if known and ftype and known is not ftype:
                raise ValueError(f"{why}: column {rec.name}.{column} joined as both "
                                 f"{known} and {ftype}")
            extra[rec.name][column] = known or ftype

        for rec in self.records:
            note(rec, rec.key, None, f"key of {rec.name}")
            for rel in rec.relations:
                why = f"relation {rec.name}.{rel.name}"
                if rel.target not in self._by_name:
                    raise ValueError(f"{why} targets unknown record type {rel.target!r}")
                target = self._by_name[rel.target]
                local, remote = rec.field(rel.local_key), target.field(rel.remote_key)
                for side in (local, remote):
                    if side is not None and side.type is FieldType.JSON:
                        raise ValueError(f"{why} joins on the json field {side.name!r}")
                if local and remote and local.type is not remote.type:
                    raise ValueError(f"{why} joins {local.type} {rec.name}.{local.name} to "
                                     f"{remote.type} {target.name}.{remote.name}")
                note(rec, rel.local_key, remote.type if remote else None, why)
                note(target, rel.remote_key, local.type if local else None, why)
        for name, columns in extra.items():
            for column, ftype in columns.items():
                if ftype is None:
                    raise ValueError(f"column {name}.{column} is neither a field nor joined "
                                     "to one, so its type is unknown")
        return {n: tuple((c, t) for c, t in cs.items() if t) for n, cs in extra.items()}

    def __hash__(self) -> int:
        return self._hash

    def __iter__(self) -> Iterator[RecordType]:
        """Iterate over the record types, in declaration order."""
        return iter(self.records)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def record(self, name: str) -> RecordType:
        """The record type called ``name``; KeyError naming the known ones if absent."""
        try:
            return self._by_name[name]
        except KeyError:
            known = ", ".join(sorted(self._by_name))
            raise KeyError(f"no record type {name!r} in this schema (known: {known})") from None

    @property
    def root_record(self) -> RecordType:
        """The record type that filters apply to."""
        return self._by_name[self.root]

    def target(self, relation: Relation) -> RecordType:
        """The record type a relation leads to."""
        return self._by_name[relation.target]

    def extra_columns(self, name: str) -> ExtraColumns:
        """Columns of record type ``name``'s table that are join keys but not fields."""
        self.record(name)
        return self._extra[name]

    def key_type(self, rec: RecordType, name: str) -> FieldType:
        """The type of ``rec``'s join key ``name``: its field's, or the extra column's."""
        f = rec.field(name)
        if f is not None:
            return f.type
        return dict(self.extra_columns(rec.name))[name]

    def paths(self) -> Iterator[SchemaPath]:
        """Every filterable path from the root (see :func:`qexpr.schema.describe.paths`)."""
        from qexpr.schema.describe import paths

        return paths(self)

    def describe(self) -> str:
        """Readable text listing every filterable path with its type, scopes and operators."""
        from qexpr.schema.describe import describe

        return describe(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (fields also list their operators); see :meth:`from_dict`."""
        from qexpr.schema.describe import schema_to_dict

        return schema_to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Schema:
        """Build a schema from :meth:`to_dict` output (``operators`` entries are ignored)."""
        return cls(data["root"], tuple(
            RecordType(r["name"], r.get("table", ""),
                       tuple(Field(**{k: v for k, v in f.items() if k != "operators"})
                             for f in r.get("fields", ())),
                       tuple(Relation(**rel) for rel in r.get("relations", ())),
                       r.get("key", "id"), r.get("description", ""))
            for r in data["records"]))

    def with_storage(
        self,
        tables: Mapping[str, str] | None = None,
        columns: Mapping[tuple[str, str], str] | None = None,
        keys: Mapping[tuple[str, str], tuple[str, str]] | None = None,
        record_keys: Mapping[str, str] | None = None,
        code_point: Mapping[tuple[str, str], bool] | None = None,
    ) -> Schema:
        """A copy with remapped storage: ``tables`` by record type, ``columns`` by (record type,
        field), join ``keys`` as (local_key, remote_key) by (record type, relation),
        ``record_keys`` (the key a record type is identified by) by record type, and
        ``code_point`` (whether a string column already has a code-point collation, see
        :class:`Field`) by (record type, field)."""
        tables, columns, keys = tables or {}, columns or {}, keys or {}
        record_keys, code_point = record_keys or {}, code_point or {}
        unknown = [repr(n) for n in (*tables, *record_keys) if n not in self._by_name]
        unknown += [f"{r}.{f}" for r, f in (*columns, *code_point)
                    if r not in self._by_name or self._by_name[r].field(f) is None]
        unknown += [f"{r}.{n}" for r, n in keys
                    if r not in self._by_name or self._by_name[r].relation(n) is None]
        if unknown:
            raise ValueError(f"with_storage: unknown names {', '.join(unknown)}")
        def moved(r: RecordType) -> RecordType:
            new_fields = tuple(
                replace(f, column=columns.get((r.name, f.name), f.column),
                        code_point_collation=code_point.get((r.name, f.name),
                                                            f.code_point_collation))
                for f in r.fields)
            new_relations = tuple(
                replace(rel, local_key=keys[r.name, rel.name][0],
                        remote_key=keys[r.name, rel.name][1])
                if (r.name, rel.name) in keys else rel for rel in r.relations)
            return replace(r, table=tables.get(r.name, r.table), fields=new_fields,
                           relations=new_relations, key=record_keys.get(r.name, r.key))

        return Schema(self.root, tuple(moved(r) for r in self.records))
