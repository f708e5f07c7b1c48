"""Errors for Python API calls the language cannot express (the builder, ``quote()``).

They are :class:`~qexpr.errors.QError` like every other bad input, with the code the checker
would give the same filter written as text; there is no source text, so the span is empty.
A value of the wrong Python type raises :class:`QTypeError`, which is also a ``TypeError``
(what Python code expects from an ill-typed argument).
"""

from __future__ import annotations

from qexpr.errors import ErrorCode, QError


class QTypeError(QError, TypeError):
    """A :class:`QError` for an argument of the wrong Python type (also a ``TypeError``)."""

    def __init__(self, message: str, code: ErrorCode = ErrorCode.TYPE_MISMATCH) -> None:
        super().__init__(code, message)


def invalid(message: str, code: ErrorCode = ErrorCode.INVALID_LITERAL) -> QError:
    """A :class:`QError` for a value of the right type that q cannot take."""
    return QError(code, message)
