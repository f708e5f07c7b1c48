"""The one sink validation reports through, and the one place error precedence is applied.

Each predicate is checked between :meth:`Diagnostics.begin_predicate` and
:meth:`Diagnostics.end_predicate`; everything reported there is
pending until the predicate ends, when only the most important error is kept: the first code
in the precedence of spec section 7, then the first in source order.
:meth:`Diagnostics.raise_if_any` raises the first error (in source order) carrying all of them,
at most ten.
"""

from __future__ import annotations

from qexpr.check.messages import Message
from qexpr.errors import CODE_PRECEDENCE, QError

MAX_REPORTED_ERRORS = 10


class Diagnostics:
    """Collects the errors of one validation run over ``source``."""

    __slots__ = ("_pending", "errors", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[QError] = []
        self._pending: list[QError] | None = None

    def report(self, message: Message, start: int, end: int) -> None:
        """Place ``message`` on ``source[start:end]`` and record it."""
        self.add(QError(message.code, message.text, source=self.source, start=start, end=end,
                        hint=message.hint, suggestion=message.suggestion))

    def add(self, error: QError) -> None:
        """Record an error made elsewhere (e.g. by path resolution)."""
        if self._pending is not None:
            self._pending.append(error)
        else:
            self.errors.append(error)

    @property
    def failing(self) -> bool:
        """Whether the current predicate has reported anything."""
        return bool(self._pending)

    def begin_predicate(self) -> list[QError] | None:
        """Start checking one predicate; pass the result to :meth:`end_predicate`."""
        outer, self._pending = self._pending, []
        return outer

    def end_predicate(self, outer: list[QError] | None) -> None:
        """End the predicate: keep only its most important error."""
        pending, self._pending = self._pending, outer
        if pending:
            self.add(min(pending, key=lambda e: (CODE_PRECEDENCE[e.code], e.start)))

    def raise_if_any(self) -> None:
        """Raise the first error in source order, carrying every error (at most ten)."""
        if self.errors:
            errors = sorted(self.errors, key=lambda e: e.start)[:MAX_REPORTED_ERRORS]
            raise errors[0].with_errors(errors)
