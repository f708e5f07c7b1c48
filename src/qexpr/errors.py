"""The one error type of qexpr: :class:`QError`, with a stable code and an exact span."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Stable error codes, in the order of precedence of spec section 7."""

    LIMIT_EXCEEDED = "limit_exceeded"
    SYNTAX_ERROR = "syntax_error"
    FORBIDDEN_FIELD = "forbidden_field"
    UNKNOWN_FIELD = "unknown_field"
    QUANTIFIER_REQUIRED = "quantifier_required"
    UNSUPPORTED_OPERATOR = "unsupported_operator"
    NULL_COMPARISON = "null_comparison"
    TYPE_MISMATCH = "type_mismatch"
    INVALID_LITERAL = "invalid_literal"


#: Precedence of codes when one piece of text breaks several rules (lower wins).
CODE_PRECEDENCE: dict[ErrorCode, int] = {code: rank for rank, code in enumerate(ErrorCode)}


class QError(ValueError):
    """Bad input: a filter (or search parameter) that cannot be parsed, checked or compiled.

    ``start``/``end`` are code-point offsets into ``source`` (``end`` exclusive); ``line`` and
    ``column`` are 1-based. ``errors`` holds every error found (this one first) when validation
    collected several. ``str(error)`` renders the message, the source line and a caret line.
    """

    code: ErrorCode
    message: str
    source: str
    start: int
    end: int
    expected: tuple[str, ...]
    suggestion: str | None
    hint: str | None
    param: str | None
    errors: tuple[QError, ...]

    def __init__(
        self,
        code: ErrorCode | str,
        message: str,
        *,
        source: str = "",
        start: int = 0,
        end: int | None = None,
        expected: Sequence[str] = (),
        suggestion: str | None = None,
        hint: str | None = None,
        param: str | None = None,
        errors: Sequence[QError] = (),
    ) -> None:
        self.code = ErrorCode(code)
        self.message = message
        self.source = source
        self.start = start
        self.end = start if end is None else max(end, start)
        self.expected = tuple(expected)
        self.suggestion = suggestion
        self.hint = hint
        self.param = param
        self.errors = tuple(errors) if errors else (self,)
        super().__init__(message)

    @property
    def line(self) -> int:
        """1-based line of ``start``; line breaks are LF, CR LF and a lone CR (spec section 7)."""
        return _line_breaks_before(self.source, self.start) + 1

    @property
    def column(self) -> int:
        """1-based column (in code points) of ``start``."""
        return self.start - _line_start(self.source, self.start) + 1

    def with_errors(self, errors: Sequence[QError]) -> QError:
        """Return this error carrying ``errors`` (all errors found, this one first)."""
        self.errors = tuple(errors) if errors else (self,)
        return self

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable description, ready for an HTTP 400 body.

        When validation found several errors, ``errors`` lists all of them (this one first).
        """
        out = self._fields()
        if len(self.errors) > 1:
            out["errors"] = [e._fields() for e in self.errors]
        return out

    def _fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": str(self.code),
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
        }
        if self.param is not None:
            out["param"] = self.param
        if self.expected:
            out["expected"] = list(self.expected)
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
        if self.hint is not None:
            out["hint"] = self.hint
        return out

    def render(self) -> str:
        """The message, the offending source line and a caret line under the span."""
        head = f"{self.code}: {self.message}"
        if self.param is not None:
            head = f"{self.param}: {head}"
        lines = [head]
        if self.source or self.start == 0:
            begin = _line_start(self.source, self.start)
            line_end = _line_end(self.source, begin)
            text = self.source[begin:line_end]
            caret_start = self.start - begin
            caret_len = max(1, min(self.end, line_end) - self.start)
            shown = _printable(text)
            prefix = _printable(text[:caret_start])
            marked = _printable(text[caret_start : caret_start + caret_len])
            lines.append(f"  {shown}")
            lines.append("  " + " " * len(prefix) + "^" * max(1, len(marked)))
        if self.expected:
            lines.append("expected: " + ", ".join(self.expected))
        if self.suggestion is not None:
            lines.append(f"did you mean {self.suggestion}?")
        if self.hint is not None:
            lines.append(f"hint: {self.hint}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"QError({str(self.code)!r}, {self.message!r}, start={self.start}, end={self.end})"

    def __reduce__(self) -> Any:
        return (_rebuild, (self.code, self.message, self.source, self.start, self.end,
                           self.expected, self.suggestion, self.hint, self.param))


def _rebuild(code: str, message: str, source: str, start: int, end: int,
             expected: tuple[str, ...], suggestion: str | None, hint: str | None,
             param: str | None) -> QError:
    return QError(code, message, source=source, start=start, end=end, expected=expected,
                  suggestion=suggestion, hint=hint, param=param)


def _line_breaks_before(source: str, offset: int) -> int:
    """How many line breaks (LF, CR LF, lone CR) end at or before ``offset``.

    A CR LF is one break; an offset between its CR and its LF is still on the line the break
    ends (the break has not ended yet).
    """
    crlf = source.count("\r\n", 0, offset + 1)
    return source.count("\n", 0, offset) + source.count("\r", 0, offset) - crlf


def _line_start(source: str, offset: int) -> int:
    """The offset where the line holding ``offset`` begins (after the last break before it)."""
    lf = source.rfind("\n", 0, offset)
    cr = source.rfind("\r", 0, offset)
    if cr >= 0 and cr == offset - 1 and source.startswith("\n", offset):
        # The CR of a CR LF that ``offset`` splits: that break ends after ``offset``.
        cr = source.rfind("\r", 0, cr)
    return max(lf, cr) + 1


def _line_end(source: str, begin: int) -> int:
    """The offset of the first line break at or after ``begin`` (or the end of ``source``)."""
    ends = [i for i in (source.find("\n", begin), source.find("\r", begin)) if i != -1]
    return min(ends, default=len(source))


def _printable(text: str) -> str:
    """Show control characters (tabs included) as one visible cell each so carets line up."""
    return "".join(ch if ch >= " " and ch != "\x7f" else "\N{REPLACEMENT CHARACTER}" for ch in text)
