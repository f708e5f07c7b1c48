"""Comma-separated parameter lists (``sort_by``, ``fields``, ``embed``) and the errors of one
parameter, each tagged with the parameter's name and spanning its text."""

from __future__ import annotations

import re

from qexpr.errors import CODE_PRECEDENCE, ErrorCode, QError

MAX_LIST_LENGTH = 2048
"""Longest ``sort_by``, ``fields`` or ``embed`` text, in code points."""
MAX_LIST_ITEMS = 64
"""Most items in a ``fields`` or ``embed`` list."""

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


class Collector:
    """Errors found in one parameter, each tagged with the parameter and its text."""

    def __init__(self, param: str, source: str) -> None:
        self.param = param
        self.source = source
        self.errors: list[QError] = []

    def error(self, code: ErrorCode, message: str, start: int, end: int, *,
              expected: tuple[str, ...] = (), suggestion: str | None = None,
              hint: str | None = None) -> QError:
        """Record (and return) one error."""
        err = QError(code, message, source=self.source, start=start, end=end,
                     expected=expected, suggestion=suggestion, hint=hint, param=self.param)
        self.errors.append(err)
        return err

    def adopt(self, err: QError) -> None:
        """Record an error raised by shared code (e.g. path resolution) as this parameter's."""
        err.param = self.param
        err.source = self.source
        err.errors = (err,)
        self.errors.append(err)


def split_items(col: Collector, text: str, what: str) -> list[tuple[str, int, int]]:
    """Split a comma-separated list into (item, start, end), items stripped of blanks.

    An empty item (``a,,b``, a trailing comma) is a ``syntax_error``; such items are dropped.
    """
    out: list[tuple[str, int, int]] = []
    pos = 0
    for piece in text.split(","):
        start, end = pos, pos + len(piece)
        pos = end + 1
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        item = piece.strip()
        if not item:
            at = start + lead if start + lead < len(text) else len(text)
            comma_at = min(end, len(text))
            col.error(ErrorCode.SYNTAX_ERROR, f"empty item in the {col.param} list",
                      at, comma_at + (1 if comma_at < len(text) else 0), expected=(what,),
                      hint=f"separate {what}s with single commas, with no comma at the ends")
            continue
        out.append((item, start + lead, end - trail))
    return out


def check_length(col: Collector, text: str) -> bool:
    """Whether the text is short enough (else a ``limit_exceeded`` is recorded)."""
    if len(text) > MAX_LIST_LENGTH:
        col.error(ErrorCode.LIMIT_EXCEEDED,
                  f"{col.param} is longer than {MAX_LIST_LENGTH} characters", 0, len(text),
                  hint=f"limit max_list_length = {MAX_LIST_LENGTH}")
        return False
    return True


def bad_name(col: Collector, item: str, start: int, what: str) -> None:
    """A ``syntax_error`` at the first character that cannot be part of a name."""
    match = DOTTED.match(item)
    offset = match.end() if match else 0
    if offset == 0 and item[:1] == "-":
        col.error(ErrorCode.SYNTAX_ERROR, f"{item!r} is not a {what}", start,
                  start + len(item), expected=(what,),
                  hint=f"write {item[1:]}:desc to sort in descending order"
                  if col.param == "sort_by" else None)
        return
    if match and offset < len(item) and item[offset:].lstrip()[:1].isalpha() \
            and item[offset:offset + 1].isspace() and col.param == "sort_by":
        rest = item[offset:].strip()
        col.error(ErrorCode.SYNTAX_ERROR, f"{item!r} is not a sort key", start,
                  start + len(item), expected=("field:asc", "field:desc"),
                  hint=f"write {item[:offset]}:{rest.lower()} (a colon, no space)")
        return
    bad = item[offset:offset + 1]
    col.error(ErrorCode.SYNTAX_ERROR,
              f"unexpected {bad!r} in {item!r}" if bad else f"{item!r} is not a {what}",
              start + offset, start + offset + max(1, len(bad)), expected=(what,))


def first_error(errors: list[QError]) -> QError:
    """The first error in text order, carrying all of them."""
    ordered = sorted(errors, key=lambda e: (e.start, CODE_PRECEDENCE[e.code]))
    return ordered[0].with_errors(ordered)


def is_name(text: str) -> bool:
    """Whether ``text`` is one identifier."""
    return NAME.fullmatch(text) is not None


WHITESPACE = " \t\r\n"
"""What parameter values are trimmed of (the q language's whitespace)."""


def trim(text: str) -> tuple[str, int]:
    """A parameter value without surrounding whitespace, and how many characters led it."""
    stripped = text.strip(WHITESPACE)
    return stripped, (len(text) - len(text.lstrip(WHITESPACE))) if stripped else 0
