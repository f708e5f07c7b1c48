"""``now()`` and time expressions built from ``timedelta``: ``now() - timedelta(days=7)``."""

from __future__ import annotations

from datetime import timedelta

from qexpr.misuse import QTypeError
from qexpr.quoting import to_duration
from qexpr.syntax import ast
from qexpr.syntax.canonical import to_q

__all__ = ["TimeValue", "now"]


class TimeValue:
    """``now()`` shifted by durations, folded to one instant when the filter is made.

    ``now() - timedelta(days=7) + timedelta(hours=1)`` is ``now() - 7d + 1h`` in q; each
    ``timedelta`` is written in its largest exact unit (``d h m s ms``). Compare a timestamp
    field with it: ``runs.created_at > now() - timedelta(days=7)``.
    """

    __slots__ = ("_shifts",)

    def __init__(self, shifts: tuple[ast.Shift, ...] = ()) -> None:
        self._shifts = shifts

    def _shift(self, delta: object, sign: int, op: str) -> TimeValue:
        if not isinstance(delta, timedelta):
            raise QTypeError(
                f"now() {op} {type(delta).__name__}: a time is shifted by a timedelta, "
                "e.g. now() - timedelta(days=7)"
            )
        if delta < timedelta(0):
            sign, delta = -sign, -delta
        amount, unit = to_duration(delta)
        shift = ast.Shift(sign, ast.Duration(amount, unit))
        return TimeValue((*self._shifts, shift))

    def __q_literal__(self) -> str:
        """The q text of this time expression, for :func:`qexpr.quote`."""
        return self.to_q()

    def __add__(self, delta: object) -> TimeValue:
        return self._shift(delta, 1, "+")

    def __radd__(self, delta: object) -> TimeValue:
        return self._shift(delta, 1, "+")

    def __sub__(self, delta: object) -> TimeValue:
        return self._shift(delta, -1, "-")

    def __rsub__(self, other: object) -> TimeValue:
        raise QTypeError("cannot subtract now() from a value; write now() - timedelta(...)")

    def __bool__(self) -> bool:
        raise QTypeError("now() has no truth value; compare a timestamp field with it")

    def to_ast(self) -> ast.TimeExpr:
        """The time expression node (its instant is filled in when the filter is checked)."""
        return ast.TimeExpr(ast.Now(), self._shifts)

    def to_q(self) -> str:
        """The q text, e.g. ``now() - 7d``."""
        return to_q(self.to_ast())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TimeValue):
            return self._shifts == other._shifts
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._shifts)

    def __repr__(self) -> str:
        return self.to_q()

    __str__ = to_q


def now() -> TimeValue:
    """``now()`` of q: the instant the filter is made (``to_filter(now=...)`` can fix it)."""
    return TimeValue()
