"""Where ``qexpr serve`` reads runs: the bundled example runs in an in-memory SQLite (the
default), a SQLite file (read-only), or PostgreSQL (a libpq DSN), through a small pool of
DB-API connections, each used by one request at a time.

:class:`TimedConnection` wraps a connection to add up the time spent in the driver
(``execute``/``fetch*``), so the server can tell qexpr's share of a request from the database's.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from qexpr.errors import QError

DEFAULT_POOL = 8
"""Connections kept open by default."""


def is_postgres(target: str) -> bool:
    """Whether ``target`` is a PostgreSQL DSN rather than a SQLite file path: the one ``--db``
    rule of the CLI (:func:`qexpr.cli.databases.kind_of`), never looking at the file system."""
    from qexpr.cli.databases import kind_of

    return kind_of(target) == "postgresql"


class Database:
    """A pool of at most ``size`` connections to one database of the reference layout."""

    def __init__(self, connect: Callable[[], Any], dialect: str, label: str,
                 size: int = DEFAULT_POOL, keep: Any = None) -> None:
        if size < 1:
            raise ValueError("the pool needs at least one connection")
        self.dialect, self.label = dialect, label
        self._connect, self._keep = connect, keep
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A connection for one request (waiting while ``size`` are in use); closed, not
        reused, when the request failed on it other than with a QError."""
        self._slots.acquire()
        try:
            if self._closed:
                raise RuntimeError("the database is closed")
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = self._connect()
            try:
                yield conn
            except QError:
                self._idle.put(conn)  # bad input, the connection is fine
                raise
            except BaseException:
                with suppress(Exception):  # a broken connection may fail to close
                    conn.close()
                raise
            else:
                self._idle.put(conn)
        finally:
            self._slots.release()

    def close(self) -> None:
        """Close every idle connection (and the embedded database)."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                break
        if self._keep is not None:
            self._keep.close()


def embedded(runs: Iterable[Mapping[str, Any]] | None = None, size: int = DEFAULT_POOL
             ) -> Database:
    """An in-memory SQLite holding ``runs`` (default: the bundled example runs)."""
    from qexpr.backends.sql import load_records, reference_ddl

    if runs is None:
        from qexpr.examples import example_runs

        runs = example_runs()
    uri = f"file:qexpr-serve-{uuid.uuid4().hex}?mode=memory&cache=shared"
    keep = sqlite3.connect(uri, uri=True, check_same_thread=False)
    keep.executescript(reference_ddl("sqlite"))
    load_records(keep, list(runs), "sqlite")
    keep.commit()
    count = keep.execute('SELECT count(*) FROM "runs"').fetchone()[0]
    return Database(lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
                    "sqlite", f"bundled example runs ({count}) in memory", size, keep)


def open_database(target: str | None, size: int = DEFAULT_POOL) -> Database:
    """The embedded example database (None), a PostgreSQL DSN, or a SQLite file."""
    if target is None:
        return embedded(size=size)
    if is_postgres(target):
        import psycopg

        def connect_pg() -> Any:
            return psycopg.connect(target, autocommit=True)

        connect_pg().close()  # fail at start, not at the first request
        return Database(connect_pg, "postgresql", "PostgreSQL", size)
    path = Path(target)
    if not path.is_file():
        raise FileNotFoundError(f"no SQLite database at {target}; create it with `qexpr load`")
    uri = path.resolve().as_uri() + "?mode=ro"

    def connect_sqlite() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    connect_sqlite().close()
    return Database(connect_sqlite, "sqlite", f"SQLite {target}", size)


class _TimedCursor:
    def __init__(self, cursor: Any, owner: TimedConnection) -> None:
        self._cursor, self._owner = cursor, owner

    def _timed(self, name: str, *args: Any) -> Any:
        with self._owner.timed():
            return getattr(self._cursor, name)(*args)

    def execute(self, *args: Any) -> Any:
        return self._timed("execute", *args)

    def fetchall(self) -> Any:
        return self._timed("fetchall")

    def fetchone(self) -> Any:
        return self._timed("fetchone")

    def fetchmany(self, *args: Any) -> Any:
        return self._timed("fetchmany", *args)

    def close(self) -> None:
        self._timed("close")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


class TimedConnection:
    """A DB-API connection whose cursors add the time of ``execute``/``fetch*`` to
    ``driver_seconds`` (the driver and the database: sending, waiting, decoding rows), and the
    CPU time of this thread in them to ``driver_cpu_seconds``."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self.driver_seconds = 0.0
        self.driver_cpu_seconds = 0.0

    @contextmanager
    def timed(self) -> Iterator[None]:
        """Count the enclosed block as driver time."""
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self.driver_seconds += time.perf_counter() - wall
            self.driver_cpu_seconds += time.thread_time() - cpu

    def cursor(self, *args: Any) -> _TimedCursor:
        """A timed cursor of the wrapped connection (making it counts as driver time)."""
        with self.timed():
            return _TimedCursor(self._conn.cursor(*args), self)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)
