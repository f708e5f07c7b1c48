"""Where ``qexpr load`` and ``qexpr query`` read and write runs: a SQLite file or PostgreSQL.

The ``--db`` rule (one rule, no guessing from the file system):

- ``postgresql://...`` or ``postgres://...`` is a PostgreSQL connection URI;
- text that begins with a libpq keyword and ``=`` (``host=... dbname=...``: letters and
  underscores, optional blanks, then ``=``) is a PostgreSQL keyword/value connection string;
- ``chdb://PATH`` is a chdb (embedded ClickHouse, ``qexpr[clickhouse]``) data directory at
  ``PATH``, created when missing;
- anything else is the path of a SQLite file. To name a file that looks like a keyword
  string (``host=x``), write it as a path: ``./host=x``.

:func:`open_target` is the connect-by-URL hook: another kind of database gets a scheme in
:data:`SCHEMES` and a :class:`Target` subclass in :data:`OPENERS`.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

_KEYWORD_DSN = re.compile(r"\s*[A-Za-z_]+\s*=")

SCHEMES: dict[str, str] = {"postgresql": "postgresql", "postgres": "postgresql",
                           "chdb": "clickhouse"}
"""URI scheme -> kind of target (see :data:`OPENERS`)."""


def kind_of(target: str) -> str:
    """``"postgresql"``, ``"clickhouse"`` or ``"sqlite"`` for a ``--db`` value (the rule in the
    module doc)."""
    scheme, sep, _ = target.partition("://")
    if sep and scheme.lower() in SCHEMES:
        return SCHEMES[scheme.lower()]
    if _KEYWORD_DSN.match(target):
        return "postgresql"
    return "sqlite"


def database_errors() -> tuple[type[BaseException], ...]:
    """The exception classes of the database drivers loaded so far (for ``except``)."""
    errors: list[type[BaseException]] = [sqlite3.Error]
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None:
        errors.append(psycopg.Error)
    chdb = sys.modules.get("chdb")
    if chdb is not None:
        errors.append(chdb.ChdbError)
    return tuple(errors)


class Target:
    """An open database of the reference layout: its DB-API connection and dialect."""

    dialect = ""

    def __init__(self, conn: Any, label: str) -> None:
        self.conn, self.label = conn, label

    def ensure_tables(self) -> None:
        """Create the reference tables unless a ``runs`` table exists."""
        raise NotImplementedError

    def load(self, batches: Iterable[Sequence[Any]]) -> None:
        """Insert each batch of runs (relations included) with ``load_records``."""
        from qexpr.backends.sql import load_records

        for batch in batches:
            load_records(self.conn, batch, self.dialect)

    def count_runs(self) -> int:
        """How many runs the database holds."""
        row = self.conn.execute('SELECT count(*) FROM "runs"').fetchone()
        return int(row[0])

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


class _OneTransaction(sqlite3.Connection):
    """A sqlite3 connection whose ``commit`` waits while ``deferred`` is set, so that the
    batches of one ``load`` (each ``load_records`` call commits) are one transaction."""

    deferred = False

    def commit(self) -> None:
        if not self.deferred:
            super().commit()


class SqliteTarget(Target):
    """A SQLite file; ``load`` is one transaction (a failed load leaves nothing behind)."""

    dialect = "sqlite"

    @classmethod
    def open(cls, target: str, *, create: bool) -> SqliteTarget:
        """The SQLite database at path ``target`` (created when ``create``)."""
        if not create and not Path(target).exists():
            raise FileNotFoundError(f"no database at {target}; create it with `qexpr load`")
        return cls(sqlite3.connect(target, factory=_OneTransaction), target)

    def load(self, batches: Iterable[Sequence[Any]]) -> None:
        conn: _OneTransaction = self.conn
        conn.deferred = True
        try:
            super().load(batches)
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.deferred = False
        conn.commit()

    def ensure_tables(self) -> None:
        from qexpr.backends.sql import reference_ddl

        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'").fetchone()
        if not exists:
            self.conn.executescript(reference_ddl("sqlite"))


class PostgresTarget(Target):
    """A PostgreSQL database (psycopg 3, autocommit); ``load`` is one transaction."""

    dialect = "postgresql"

    @classmethod
    def open(cls, target: str, *, create: bool) -> PostgresTarget:
        """A connection by libpq URI or keyword/value string (``create`` is not needed: the
        database must exist, ``load`` creates the tables)."""
        try:
            import psycopg
        except ImportError:
            raise LookupError("a PostgreSQL --db needs psycopg 3 (pip install 'psycopg[binary]')"
                              ) from None
        conn = psycopg.connect(target, autocommit=True)
        info = conn.info
        return cls(conn, f"PostgreSQL {info.dbname} on {info.host}:{info.port}")

    def ensure_tables(self) -> None:
        from qexpr.backends.sql import reference_ddl

        if self.conn.execute("SELECT to_regclass('runs')").fetchone()[0] is None:
            with self.conn.transaction():
                self.conn.execute(reference_ddl("postgresql"))

    def load(self, batches: Iterable[Sequence[Any]]) -> None:
        with self.conn.transaction():  # each batch's load_records is a savepoint in it
            super().load(batches)


class ChdbTarget(Target):
    """A chdb data directory (ClickHouse in-process; one data path per process)."""

    dialect = "clickhouse"

    @classmethod
    def open(cls, target: str, *, create: bool) -> ChdbTarget:
        """The chdb database in the directory after ``chdb://`` (created when ``create``)."""
        path = target.partition("://")[2]
        if not path:
            raise ValueError("a chdb --db names its data directory: chdb://PATH")
        if not create and not Path(path).is_dir():
            raise FileNotFoundError(f"no chdb database at {path}; create it with `qexpr load`")
        try:
            from chdb import session
        except ImportError:
            raise LookupError("a chdb --db needs chdb (pip install 'qexpr[clickhouse]')"
                              ) from None
        conn: Any = session.Session(path)  # type: ignore[no-untyped-call]
        return cls(conn, f"chdb {path}")

    def ensure_tables(self) -> None:
        from qexpr.backends.clickhouse import command, rows
        from qexpr.backends.sql import reference_ddl

        if not rows(self.conn, "EXISTS TABLE runs", [])[0][0]:
            for statement in reference_ddl("clickhouse").split(";\n"):
                if statement.strip():
                    command(self.conn, statement)

    def count_runs(self) -> int:
        from qexpr.backends.clickhouse import rows

        return int(rows(self.conn, "SELECT count() FROM runs", [])[0][0])


OPENERS: dict[str, Callable[..., Target]] = {
    "sqlite": SqliteTarget.open,
    "postgresql": PostgresTarget.open,
    "clickhouse": ChdbTarget.open,
}
"""Kind of target -> ``open(target, create=...)``."""


def open_target(target: str, *, create: bool = False) -> Target:
    """Connect to the ``--db`` value ``target`` (see the module doc for the rule)."""
    return OPENERS[kind_of(target)](target, create=create)
