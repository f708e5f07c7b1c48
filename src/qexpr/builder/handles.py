"""Handles: typed stand-ins for a schema's records, fields and relations.

``handles(schema)`` gives the root record's handle; attributes lead to fields (``runs.cost``),
through to-one relations (``runs.model.slug``), into json values (``runs.metadata.tier``,
``runs.metadata["team-id"]``) and to to-many relations (``runs.node_runs``, only usable with
``any_``/``all_``). Comparing a field handle builds a :class:`Condition`; every mistake the
checker would report later (a misspelled name, an operator the type does not allow, a value
of the wrong kind) raises at once.
"""

from __future__ import annotations

from typing import NoReturn

from qexpr.builder.condition import Frame
from qexpr.builder.fields import FieldHandle, Handle, JsonHandle
from qexpr.check.resolve import suggest
from qexpr.misuse import QTypeError
from qexpr.schema.model import Field, FieldType, RecordType, Schema, default_table

__all__ = ["RecordHandle", "RelationHandle", "handles"]

_VALUE_METHODS = frozenset({
    "in_", "not_in", "between", "not_between", "like", "not_like", "ilike", "not_ilike",
    "contains", "not_contains", "starts_with", "not_starts_with", "ends_with",
    "not_ends_with", "is_null", "is_not_null",
})


def handles(schema: Schema, name: str | None = None) -> RecordHandle:
    """The handle of ``schema``'s root record; ``name`` (default: the root's plural, e.g.
    ``runs``) is only used in messages and reprs."""
    if not isinstance(schema, Schema):
        raise QTypeError(f"handles() takes a qexpr.Schema, not {type(schema).__name__}")
    root = schema.root_record
    frame = Frame(schema, root, (), name or default_table(root.name))
    return RecordHandle(frame, (), root)


class RecordHandle(Handle):
    """A record: the root, or one reached through to-one relations (``runs.model``)."""

    __slots__ = ("_record",)

    def __init__(self, frame: Frame, path: tuple[str, ...], record: RecordType) -> None:
        super().__init__(frame, path)
        self._record = record

    def _child_frame(self) -> tuple[Frame, tuple[str, ...]]:
        return self._frame, self._path

    def _member(self, name: str) -> RecordHandle | FieldHandle | JsonHandle:
        record = self._record
        member = record.member(name)
        frame, prefix = self._child_frame()
        if member is None:
            raise AttributeError(self._unknown(name))
        path = (*prefix, name)
        if isinstance(member, Field):
            if member.type is FieldType.JSON:
                return JsonHandle(frame, path, member, ())
            return FieldHandle(frame, path, member)
        target = frame.schema.target(member)
        if member.many:
            return RelationHandle(frame, path, target)
        return RecordHandle(frame, path, target)

    def _unknown(self, name: str) -> str:
        names = list(self._record.member_names())
        where = self._where
        message = f"{self._record.name} has no field or relation {name!r} ({where}.{name})"
        guess = suggest(name, names)
        if guess is not None:
            return f"{message}; did you mean {where}.{guess}?"
        if name in _VALUE_METHODS:
            return (f"{message}: {where} is a record, not a field; test one of its fields, "
                    f"e.g. {where}.{names[0]}.{name}(...)")
        shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
        return f"{message}; its members are {shown}"

    def __getattr__(self, name: str) -> RecordHandle | FieldHandle | JsonHandle:
        if name.startswith("_") and self._record.member(name) is None:
            raise AttributeError(name)
        return self._member(name)

    def __getitem__(self, name: str) -> RecordHandle | FieldHandle | JsonHandle:
        if not isinstance(name, str):
            raise QTypeError(f"{self._where}[...] takes a field name (str)")
        return self._member(name)

    def __dir__(self) -> list[str]:
        return list(self._record.member_names())

    def _refuse(self, *args: object) -> NoReturn:
        where = self._where
        if not self._path:
            raise QTypeError(f"{where} is the record itself; compare one of its fields, "
                            f"e.g. {where}.{self._record.member_names()[0]}")
        raise QTypeError(f"{where} is a record ({self._record.name}) and cannot be compared or "
                        f"combined; test one of its fields, e.g. {where}.id.is_not_null()")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __and__ = __or__ = __rand__ = __ror__ = __invert__ = _refuse

    def __repr__(self) -> str:
        return f"<{self._where}: {self._record.name}>"


class RelationHandle(RecordHandle):
    """A to-many relation (``runs.node_runs``): use it with ``any_``/``all_``; its attributes are
    the related record's fields (``runs.node_runs.state_code``), usable inside the quantifier."""

    __slots__ = ("_inner",)

    def __init__(self, frame: Frame, path: tuple[str, ...], record: RecordType) -> None:
        super().__init__(frame, path, record)
        self._inner = frame.inner(path, record)

    def _child_frame(self) -> tuple[Frame, tuple[str, ...]]:
        return self._inner, ()

    def _refuse(self, *args: object) -> NoReturn:
        where = self._where
        raise QTypeError(f"{where} is a list of {self._record.name} records; test its items "
                        f"with any_({where}, <condition>) or all_({where}, <condition>)")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __and__ = __or__ = __rand__ = __ror__ = __invert__ = _refuse

    def __repr__(self) -> str:
        return f"<{self._where}: list of {self._record.name}>"

