"""``compile()`` and :class:`Filter`: a checked filter, ready for every backend."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from qexpr.check.checker import check
from qexpr.limits import Limits
from qexpr.plan.nodes import And, MatchAll, Plan
from qexpr.syntax import ast
from qexpr.syntax.canonical import to_q
from qexpr.syntax.parser import parse

if TYPE_CHECKING:
    from sqlalchemy.sql.expression import ColumnElement

    from qexpr.schema.model import Schema


@cache
def _run_schema() -> Schema:
    from qexpr.schema.run import RUN_SCHEMA  # imported on first use: keeps `import qexpr` light

    return RUN_SCHEMA


@cache
def _sql_printer() -> Callable[..., tuple[str, list[Any]]]:
    from qexpr.backends.sql import to_sql  # imported on first use: keeps `import qexpr` light

    return to_sql


def _utc_now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is UTC:
        return now
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware, e.g. datetime.now(timezone.utc)")
    return now.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Filter:
    """A validated filter: its typed tree (canonical q), its plan (what every backend prints),
    the schema it was checked against and the caller's scopes.

    Immutable and safe to share between threads. Equal filters print the same canonical text.
    ``uses_now`` tells whether the plan depends on the instant ``now()`` folded to.
    """

    tree: ast.Expr
    schema: Schema
    scopes: frozenset[str] = frozenset()
    now: datetime | None = field(default=None, compare=False)
    plan: Plan = field(default=None, compare=False, repr=False)  # type: ignore[assignment]
    uses_now: bool = field(default=False, compare=False, repr=False)

    def to_q(self) -> str:
        """The canonical q text (typed literals in canonical form; ``now()`` kept as written)."""
        return to_q(self.tree)

    def to_sql(self, dialect: str = "sqlite", **options: Any) -> tuple[str, list[Any]]:
        """A boolean SQL expression over the root table and its bound parameters."""
        return _sql_printer()(self, dialect, **options)

    def to_sqlalchemy(self, table_or_tables: Any = None, dialect: Any = "sqlite"
                      ) -> ColumnElement[bool]:
        """A boolean SQLAlchemy ``ColumnElement`` (bound parameters) over the caller's tables
        (a root ``Table`` or ORM class, a ``MetaData``, a mapping or sequence of tables) or,
        by default, :func:`qexpr.reference_metadata`; ``dialect``: ``"postgresql"``,
        ``"sqlite"`` or an engine. Needs ``qexpr[sqlalchemy]``."""
        from qexpr.backends.sqlalchemy import to_sqlalchemy

        return to_sqlalchemy(self, table_or_tables, dialect)

    def to_predicate(self) -> Callable[[Mapping[str, Any]], bool]:
        """A function telling whether one record (API-shaped or native values) matches."""
        from qexpr.backends.predicate import to_predicate

        return to_predicate(self)

    def matches(self, record: Mapping[str, Any]) -> bool:
        """Whether ``record`` matches (three-valued logic: only TRUE matches)."""
        return self.to_predicate()(record)

    def filter(self, records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        """The records that match, in order."""
        predicate = self.to_predicate()
        return [r for r in records if predicate(r)]

    def __str__(self) -> str:
        return self.to_q()


def compile(
    q: str,
    schema: Schema | None = None,
    scopes: Iterable[str] = (),
    now: datetime | None = None,
    limits: Limits | None = None,
    engine: str = "native",
) -> Filter:
    """Parse ``q`` and check it against ``schema`` (default: the Run schema).

    ``scopes`` are the caller's scopes (fields such as ``current_evaluation_summary`` need
    ``evaluations:read``); ``now`` is the instant ``now()`` folds to (default: current UTC).
    Raises :class:`~qexpr.QError` with every error found.
    """
    schema = schema if schema is not None else _run_schema()
    scope_set = frozenset(scopes) if not isinstance(scopes, str) else frozenset((scopes,))
    instant = _utc_now(now)
    tree = parse(q, engine=engine, limits=limits)
    checked = check(tree, schema, scope_set, instant, q)
    return Filter(checked.tree, schema, scope_set, instant, checked.plan, checked.uses_now)


def from_tree(
    tree: ast.Expr,
    schema: Schema | None = None,
    scopes: Iterable[str] = (),
    now: datetime | None = None,
    limits: Limits | None = None,
) -> Filter:
    """Check a tree built in code (e.g. by the builder) exactly as :func:`compile` checks text.

    The tree is printed canonically and compiled, so error spans point into ``to_q(tree)``
    and ``compile(f.to_q()) == f`` holds by construction.
    """
    return compile(to_q(tree), schema=schema, scopes=scopes, now=now, limits=limits)


def conjoin(server: Filter, user: Filter) -> Filter:
    """``server AND user`` as one filter: what a search runs when the server adds a condition
    (a tenant, say) outside the user's ``q``. No ``q`` can widen it: the AND is outside the
    user's tree, whatever it holds. The result prints as ``(server) AND (user)``; it keeps the
    user's scopes (for shaping items) and its ``now``."""
    if server.schema is not user.schema and server.schema != user.schema:
        raise ValueError("a server condition must be checked against the search's schema")
    parts = [f for f in (server, user) if not isinstance(f.plan, MatchAll)]
    if len(parts) < 2:
        chosen = parts[0] if parts else user
        return Filter(chosen.tree, user.schema, user.scopes, user.now, chosen.plan,
                      chosen.uses_now)
    plans: list[Plan] = []
    trees: list[ast.Expr] = []
    for part in parts:
        plans.extend(part.plan.operands if isinstance(part.plan, And) else (part.plan,))
        trees.extend(part.tree.operands if isinstance(part.tree, ast.And) else (part.tree,))
    return Filter(ast.And(tuple(trees)), user.schema, user.scopes, user.now,
                  And(tuple(plans)), server.uses_now or user.uses_now)
