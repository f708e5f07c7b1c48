"""The connection pool of ``qexpr serve`` over real SQLite connections: bounded, a failed
connection replaced without starving waiters, a QError keeps its connection."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

import qexpr
from qexpr.serve.database import Database, TimedConnection, embedded, is_postgres, open_database


def _pool(tmp_path: Path, size: int) -> tuple[Database, list[sqlite3.Connection]]:
    path = tmp_path / "x.db"
    sqlite3.connect(path).close()
    made: list[sqlite3.Connection] = []

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(path, check_same_thread=False)
        made.append(conn)
        return conn

    return Database(connect, "sqlite", "test", size), made


def test_at_most_size_connections_are_in_use(tmp_path: Path) -> None:
    db, made = _pool(tmp_path, 2)
    busy, peak, lock = 0, 0, threading.Lock()

    def work() -> None:
        nonlocal busy, peak
        with db.connection() as conn:
            with lock:
                busy += 1
                peak = max(peak, busy)
            conn.execute("SELECT 1").fetchone()
            time.sleep(0.02)
            with lock:
                busy -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert peak == 2 and len(made) == 2


def test_failed_connections_are_replaced_and_waiters_go_on(tmp_path: Path) -> None:
    db, made = _pool(tmp_path, 1)
    done: list[int] = []

    def fail() -> None:
        with pytest.raises(sqlite3.OperationalError), db.connection() as conn:
            conn.execute("SELECT * FROM missing")

    def work() -> None:
        with db.connection() as conn:
            done.append(conn.execute("SELECT 1").fetchone()[0])

    threads = [threading.Thread(target=fail if i % 2 else work) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads) and done == [1, 1, 1]
    def is_closed(conn: sqlite3.Connection) -> bool:
        try:
            conn.execute("SELECT 1")
        except sqlite3.ProgrammingError:
            return True
        return False

    # each failed connection was closed, never handed out again; the others were reused
    assert sum(map(is_closed, made)) == 3 and len(made) in (3, 4)


def test_a_qerror_keeps_the_connection(tmp_path: Path) -> None:
    db, made = _pool(tmp_path, 1)
    with pytest.raises(qexpr.QError), db.connection():
        qexpr.compile("(")
    with db.connection() as conn:
        assert conn is made[0]
    db.close()
    with pytest.raises(RuntimeError), db.connection():
        pass


def test_timed_connection_counts_driver_time_only() -> None:
    db = embedded()
    with db.connection() as raw:
        conn = TimedConnection(raw)
        cur = conn.cursor()
        cur.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    "WHERE i < 200000) SELECT count(*) FROM n")
        assert cur.fetchall() == [(200000,)]
        cur.close()
        spent = conn.driver_seconds
        time.sleep(0.05)  # not in the driver
        assert conn.driver_seconds == spent > 0
    db.close()


def test_targets() -> None:
    assert is_postgres("postgresql://u@h/db") and is_postgres("host=h dbname=d")
    assert not is_postgres("runs.sqlite")
    with pytest.raises(FileNotFoundError):
        open_database("/nonexistent/runs.sqlite")
