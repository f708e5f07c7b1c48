"""SQLAlchemy Core backend: a filter as a boolean ``ColumnElement``, a search's page as a
``Select``, over the caller's ``Table`` objects or the reference layout's ``MetaData``.

>>> import qexpr, sqlalchemy as sa
>>> md = qexpr.reference_metadata()
>>> runs = md.tables["runs"]
>>> where = qexpr.compile('cost > 1.5 AND model.slug = "flux"').to_sqlalchemy(runs, "sqlite")
>>> stmt = sa.select(runs.c.id).where(where)

The expression is printed from the typed plan with the text SQL's semantics (see
:mod:`.compiler`); every value is a bound parameter. Works with ORM models
(``select(Run).where(f.to_sqlalchemy(Run.__table__))``) on PostgreSQL (psycopg 3) and SQLite.
SQLAlchemy is imported only here (``pip install qexpr[sqlalchemy]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement, Select

from qexpr.backends.sql.dialects import Dialect, get_dialect
from qexpr.backends.sql.fragment import Sql
from qexpr.backends.sqlalchemy import page
from qexpr.backends.sqlalchemy.compiler import compile_plan
from qexpr.backends.sqlalchemy.tables import Tables, reference_metadata
from qexpr.misuse import QTypeError

if TYPE_CHECKING:
    from qexpr.filter import Filter
    from qexpr.search.request import Page, Search


def dialect_name(dialect: Any) -> str:
    """``"postgresql"`` or ``"sqlite"`` from a name, a qexpr or SQLAlchemy dialect, or an
    engine, connection or session (anything with a ``dialect`` or ``bind``)."""
    if isinstance(dialect, str | Dialect):
        name = get_dialect(dialect).name
        if name not in ("postgresql", "sqlite"):
            raise ValueError(f"the SQLAlchemy backend prints PostgreSQL and SQLite, not {name}")
        return name
    for attr in ("dialect", "bind"):
        inner = getattr(dialect, attr, None)
        if inner is not None and inner is not dialect:
            return dialect_name(inner)
    label = getattr(dialect, "name", None)
    if isinstance(label, str):
        return dialect_name(label)
    raise QTypeError(f"dialect must be 'postgresql', 'sqlite', a Dialect or an engine, not "
                     f"{type(dialect).__name__}")


def to_sqlalchemy(filter: Filter, tables: Any = None, dialect: Any = "sqlite"
                  ) -> ColumnElement[bool]:
    """The filter as a boolean SQLAlchemy expression over ``tables`` (see
    :class:`~.tables.Tables`: a root ``Table`` or ORM class, a ``MetaData``, a mapping or
    sequence of tables; None: :func:`reference_metadata` of the filter's schema)."""
    tabs = Tables(filter.schema, tables, dialect_name(dialect))
    return compile_plan(filter.plan, tabs)


def page_select(search: Search, tables: Any = None, dialect: Any = "sqlite") -> Select[Any]:
    """The page query of ``search`` as a ``Select`` (``LIMIT limit + 1``; see :mod:`.page`)."""
    return page.page_select(search, Tables(search.schema, tables, dialect_name(dialect)))


def boundary_select(search: Search, tables: Any = None, dialect: Any = "sqlite"
                    ) -> Select[Any] | None:
    """The ``Select`` reading the boundary row's sort values (None: nothing to look up)."""
    return page.boundary_select(search, Tables(search.schema, tables, dialect_name(dialect)))


def execute(search: Search, conn: Any, dialect: Any = None) -> Page:
    """:meth:`Search.execute` on a SQLAlchemy ``Connection`` or ``Session`` (the same
    queries, run with ``exec_driver_sql`` inside the caller's transaction)."""
    from sqlalchemy.orm import Session

    from qexpr.search.steps import page_steps, run

    if isinstance(conn, Session):
        conn = conn.connection()
    if not isinstance(conn, sa.Connection):
        raise QTypeError(f"execute takes a SQLAlchemy Connection or Session, not "
                         f"{type(conn).__name__}")
    d = get_dialect(dialect_name(conn if dialect is None else dialect))

    def fetch(query: Sql) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in conn.exec_driver_sql(query.text, tuple(query.params))]

    return run(page_steps(search, d), fetch)


__all__ = ["Tables", "boundary_select", "dialect_name", "execute", "page_select",
           "reference_metadata",
           "to_sqlalchemy"]
