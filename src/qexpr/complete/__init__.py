"""Completion for editors: what may be typed at a cursor position in q text.

>>> from qexpr.complete import complete
>>> [c.text for c in complete("duration_ms > 5 AN")]
['AND']
"""

from __future__ import annotations

import sys
import types
from collections.abc import Collection
from typing import TYPE_CHECKING

from qexpr.complete.engine import complete
from qexpr.complete.model import KINDS, Completion, CompletionKind

if TYPE_CHECKING:
    from qexpr.schema.model import Schema

__all__ = ["KINDS", "Completion", "CompletionKind", "complete"]


class _CallableModule(types.ModuleType):
    """Importing this package sets ``qexpr.complete`` to the package (the import system does so
    for every submodule), which would hide the function ``qexpr.complete``; so the package
    forwards a call to :func:`complete`, and ``qexpr.complete(q, cursor)`` always works."""

    def __call__(
        self,
        q: str,
        cursor: int | None = None,
        schema: Schema | None = None,
        scopes: Collection[str] = (),
    ) -> list[Completion]:
        return complete(q, cursor, schema, scopes)


sys.modules[__name__].__class__ = _CallableModule
