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


def make_completion(text: str, kind: CompletionKind, start: int, end: int, detail: str,
                    label: str, sort: int) -> Completion:
    """A :class:`Completion` (kept as a function so the engine has one place that builds them)."""
    return Completion(text, kind, start, end, detail, label, sort)
