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


class _Draft:
    """Same slots as :class:`Completion`, but not frozen: built, then turned into one.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, which
    costs several times a plain slot store; completion builds dozens per keystroke.
    """

    __slots__ = ("detail", "end", "kind", "label", "sort", "start", "text")
    text: str
    kind: str
    start: int
    end: int
    detail: str
    label: str
    sort: int


assert sorted(Completion.__slots__) == sorted(_Draft.__slots__)  # same layout, same order


def make_completion(text: str, kind: CompletionKind, start: int, end: int, detail: str,
                    label: str, sort: int) -> Completion:
    """A :class:`Completion`, built fast (equal to ``Completion(...)`` with the same values)."""
    draft = _Draft()
    draft.text = text
    draft.kind = kind
    draft.start = start
    draft.end = end
    draft.detail = detail
    draft.label = label
    draft.sort = sort
    draft.__class__ = Completion  # type: ignore[assignment]
    return draft  # type: ignore[return-value]
