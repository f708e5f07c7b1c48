"""SQL fragments: text with its bound parameters, composed so the two never drift apart.

A fragment's ``params`` are in the order their placeholders appear in ``text``; composing
fragments (:func:`sql`, :meth:`Sql.join`) keeps that true, even when one fragment is used twice.
Raw ``str`` parts are SQL written by the backend itself (keywords, quoted identifiers), never a
value from a filter or a record: those only ever travel as parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any, NamedTuple

_SLOT = "{}"
#: template -> (the template as a ``str.format`` string, its number of slots)
_TEMPLATES: dict[str, tuple[str, int]] = {}


class Sql(NamedTuple):
    """SQL text and its parameters (a named tuple: immutable, and cheap to build)."""

    text: str
    params: tuple[Any, ...] = ()

    def join(self, parts: Iterable[Sql | str]) -> Sql:
        """``parts`` joined with this fragment's text as the separator (like ``str.join``)."""
        items = [part if type(part) is Sql else _as_sql(part) for part in parts]
        text = self.text.join([part.text for part in items])
        if self.params:  # the separator's parameters between every two parts
            params: list[Any] = []
            for index, part in enumerate(items):
                if index:
                    params.extend(self.params)
                params.extend(part.params)
            return Sql(text, tuple(params))
        return Sql(text, tuple(chain.from_iterable([part.params for part in items])))


def _as_sql(part: Sql | str) -> Sql:
    return part if isinstance(part, Sql) else Sql(part)


def _format(template: str) -> tuple[str, int]:
    pieces = template.split(_SLOT)
    escaped = [piece.replace("{", "{{").replace("}", "}}") for piece in pieces]
    found = _TEMPLATES[template] = ("{}".join(escaped), len(pieces) - 1)
    return found


def sql(template: str, *parts: Sql | str) -> Sql:
    """Fill each ``{}`` of ``template`` with a part, in order; parameters follow the parts.

    Only ``{}`` is special (no escaping, no names), so templates must not contain a literal
    ``{}``; braces inside parts are left alone.
    """
    fmt, slots = _TEMPLATES.get(template) or _format(template)
    if slots != len(parts):
        raise ValueError(f"template {template!r} has {slots} slots for {len(parts)}")
    texts: list[str] = []
    params: list[Any] = []
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
        else:
            texts.append(part.text)
            if part.params:
                params.extend(part.params)
    return Sql(fmt.format(*texts), tuple(params))
