"""The result type of completion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["KINDS", "Completion", "CompletionKind"]

CompletionKind = Literal[
    "field", "relation", "operator", "keyword", "value", "punctuation", "function"
]
KINDS: tuple[str, ...] = (
    "field", "relation", "operator", "keyword", "value", "punctuation", "function"
)


@dataclass(frozen=True, slots=True)
class Completion:
    """One suggestion: replace ``q[start:end]`` (the partial word under the cursor, empty when
    there is none) with ``text``.

    ``label`` is what to show in a list (``node_runs`` for the snippet ``any(node_runs, ``),
    ``kind`` what it is, ``detail`` a short description (a field's type, an operator's meaning),
    ``sort`` its rank (0 first; lists come sorted).
    """

    text: str
    kind: CompletionKind
    start: int
    end: int
    detail: str = ""
    label: str = ""
    sort: int = 0

    def apply(self, q: str) -> str:
        """``q`` with the completion inserted."""
        return q[: self.start] + self.text + q[self.end :]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "text": self.text,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "detail": self.detail,
            "label": self.label or self.text,
            "sort": self.sort,
        }


class _Builder(Completion):
    """Completion's layout with plain attribute assignment (no slots of its own)."""

    __slots__ = ()
    __setattr__ = object.__setattr__
    __delattr__ = object.__delattr__  # both: they share one type slot


_new = object.__new__


def make_completion(text: str, kind: CompletionKind, start: int, end: int, detail: str,
                    label: str, sort: int) -> Completion:
    """``Completion(text, kind, start, end, detail, label, sort)``, built cheaply.

    The frozen dataclass's ``__init__`` stores each field through ``object.__setattr__``,
    which made building the list the largest cost of completion; as the AST nodes are built
    (:func:`qexpr.syntax.ast._node`), an instance of a subclass of the same layout is filled
    with plain assignments and made a :class:`Completion` before anyone sees it.
    """
    made: Any = _new(_Builder)
    made.text = text
    made.kind = kind
    made.start = start
    made.end = end
    made.detail = detail
    made.label = label
    made.sort = sort
    made.__class__ = Completion
    return made  # type: ignore[no-any-return]
