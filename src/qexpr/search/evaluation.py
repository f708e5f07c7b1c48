"""The seed's ``evaluation_status``, ``evaluation_issue_category`` and
``evaluation_issue_subcategory`` parameters, as a server condition over ``evaluations``.

A run's *current evaluation* is its evaluation with ``status = "completed"`` and
``superseded = false`` (at most one per run, a data invariant); pending, errored and superseded
ones are ignored. The parameters read:

- ``evaluation_status=passed`` / ``failed``: the current evaluation has ``overall_passed``
  true / false (a NULL verdict matches neither);
- ``evaluation_status=not_evaluated``: no current evaluation, or one with ``overall_passed IS
  NULL``;
- ``evaluation_issue_category=X`` (and/or ``evaluation_issue_subcategory=Y``): the current
  evaluation has an issue with that category (and subcategory, on the same issue row).

Given together they all test the same (current) evaluation row, so they are one ``any`` over
``evaluations``; ``not_evaluated`` alone is ``NOT any(evaluations, <current> AND
overall_passed IS NOT NULL)``. The condition is q text compiled with every scope
(:func:`evaluation_filter`), so memory, SQLite, PostgreSQL and SQLAlchemy run it as they run
any filter. They reveal evaluation results: each needs the scope :data:`EVALUATIONS_READ` (a
``forbidden_field`` error on the parameter otherwise; ``compile_search(evaluation_scope=)``
changes or drops it).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from qexpr.check.resolve import suggest
from qexpr.errors import ErrorCode, QError
from qexpr.limits import Limits
from qexpr.quoting import quote
from qexpr.schema.run import EVALUATIONS_READ
from qexpr.search.lists import Collector

if TYPE_CHECKING:
    from qexpr.filter import Filter
    from qexpr.schema.model import Schema

STATUS = "evaluation_status"
CATEGORY = "evaluation_issue_category"
SUBCATEGORY = "evaluation_issue_subcategory"
EVALUATION_PARAMS: tuple[str, ...] = (STATUS, CATEGORY, SUBCATEGORY)
"""The parameters, in the order their errors are reported."""
STATUSES: tuple[str, ...] = ("passed", "failed", "not_evaluated")
"""The values ``evaluation_status`` takes."""

CURRENT = 'status = "completed" AND superseded = false'
"""The current evaluation, as a condition on an evaluation record."""


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The validated ``evaluation_*`` values of a request (None: not given)."""

    status: str | None = None
    category: str | None = None
    subcategory: str | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.status, self.category, self.subcategory))

    def to_params(self) -> dict[str, str]:
        """The parameters that give these values back."""
        values = (self.status, self.category, self.subcategory)
        return {n: v for n, v in zip(EVALUATION_PARAMS, values, strict=True) if v is not None}

    def to_q(self) -> str | None:
        """The condition on runs, as q text (None: no condition)."""
        if not self:
            return None
        parts = [CURRENT]
        issue = [f"{name} = {quote(value)}" for name, value in
                 (("category", self.category), ("subcategory", self.subcategory))
                 if value is not None]
        if issue:
            parts.append(f"any(issues, {' AND '.join(issue)})")
        if self.status == "not_evaluated":
            if not issue:
                return f"NOT any(evaluations, {CURRENT} AND overall_passed IS NOT NULL)"
            parts.append("overall_passed IS NULL")
        elif self.status is not None:
            parts.append(f"overall_passed = {'true' if self.status == 'passed' else 'false'}")
        return f"any(evaluations, {' AND '.join(parts)})"


def parse_status(text: str | None, param: str = STATUS) -> str | None:
    """One of :data:`STATUSES` (exactly, lower case); None when absent or empty."""
    if text is None or text == "":
        return None
    if text in STATUSES:
        return text
    col = Collector(param, text)
    shown = f" {text!r}" if len(text) <= 40 else ""
    guess = suggest(text.lower(), list(STATUSES))
    if text.lower() in STATUSES:
        guess = text.lower()
    raise col.error(ErrorCode.INVALID_LITERAL,
                    f"unknown {param} value{shown}: it takes {', '.join(STATUSES)}",
                    0, len(text), expected=STATUSES, suggestion=guess,
                    hint="write one of " + ", ".join(STATUSES))


def parse_category(text: str | None, param: str, limits: Limits | None = None) -> str | None:
    """A category (or subcategory) name: any text within q's string limit; None when absent."""
    if text is None or text == "":
        return None
    most = (limits or Limits()).max_string_length
    col = Collector(param, text)
    if len(text) > most:
        raise col.error(ErrorCode.LIMIT_EXCEEDED, f"{param} is longer than {most} characters",
                        0, len(text), hint=f"limit max_string_length = {most}")
    if "\x00" in text:
        at = text.index("\x00")
        raise col.error(ErrorCode.INVALID_LITERAL, f"{param} must not contain U+0000", at,
                        at + 1, hint="remove the NUL character")
    return text


def check_scope(text: str, param: str, scopes: Collection[str], scope: str | None) -> None:
    """``forbidden_field`` on ``param`` unless ``scope`` (None: no scope needed) is granted."""
    if scope is None or scope in scopes:
        return
    col = Collector(param, text)
    raise col.error(ErrorCode.FORBIDDEN_FIELD, f"{param} requires the scope {scope}", 0,
                    len(text), hint=f"ask for a token with the scope {scope}")


def parse_one(name: str, text: str | None, scopes: Collection[str],
              scope: str | None = EVALUATIONS_READ, limits: Limits | None = None
              ) -> str | None:
    """The value of one ``evaluation_*`` parameter, its scope checked first."""
    if text is None or text == "":
        return None
    check_scope(text, name, scopes, scope)
    if name == STATUS:
        return parse_status(text)
    return parse_category(text, name, limits)


def evaluation_filter(evaluation: Evaluation, schema: Schema, now: datetime | None = None
                      ) -> Filter | None:
    """The condition of ``evaluation`` on the runs of ``schema`` (None: no condition); the
    schema must have the Run schema's ``evaluations`` relation (``ValueError`` otherwise)."""
    text = evaluation.to_q()
    if text is None:
        return None
    from qexpr.filter import compile as compile_filter

    root = schema.root_record
    relation = root.relation("evaluations")
    if relation is None or not relation.many:
        raise ValueError(f"evaluation_* parameters need an 'evaluations' relation on "
                         f"{root.name}")
    every_scope = frozenset(
        s for r in schema.records for s in (*(f.scope for f in r.fields),
                                             *(rel.scope for rel in r.relations)) if s)
    try:
        return compile_filter(text, schema=schema, scopes=every_scope, now=now,
                              limits=Limits(max_length=16 * 4096))
    except QError as err:
        raise ValueError(f"the schema's evaluations do not fit the evaluation_* condition: "
                         f"{err}") from None
