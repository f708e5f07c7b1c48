"""``qexpr load`` streams: its peak memory does not grow with the input, and it shows live
progress on a terminal (a real pty) and one summary line elsewhere; run as a subprocess."""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import IO

from tests.cli.test_cli_databases import SRC, pg_keyword_dsn


def write_generated(path: Path, count: int, start: int = 0) -> Path:
    """``count`` small API-shaped runs as JSON lines (ids from ``start`` + 1)."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(start, start + count):
            out.write(json.dumps({
                "id": str(uuid.UUID(int=i + 1)), "created_at": f"2024-01-01T00:{i % 60:02}:00Z",
                "duration_ms": i, "failure_code": "oom" if i % 7 == 0 else None}) + "\n")
    return path


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "qexpr.cli.main", *args]


ENV = {**os.environ, "PYTHONPATH": SRC}


def peak_rss_kib(args: list[str]) -> int:
    """Run ``args``; its own peak resident set size in KiB (``wait4``'s ``ru_maxrss``)."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    assert proc.returncode == 0, err
    return int(usage.ru_maxrss)


def test_memory_stays_flat(tmp_path: Path) -> None:
    """100k runs take no more memory than 5k (reading the whole input first took ~110 MB
    more for 100k of these runs)."""
    small = write_generated(tmp_path / "small.jsonl", 5_000)
    large = write_generated(tmp_path / "large.jsonl", 100_000)
    base = peak_rss_kib(command("load", str(small), "--db", str(tmp_path / "small.db")))
    peak = peak_rss_kib(command("load", str(large), "--db", str(tmp_path / "large.db")))
    assert peak - base < 16 * 1024, (base, peak)


def test_memory_stays_flat_on_postgresql(tmp_path: Path, pg_dsn: str, pg_schema: str) -> None:
    """The same on PostgreSQL (COPY per batch, one transaction): 50k runs as 5k."""
    dsn = pg_keyword_dsn(pg_dsn, pg_schema)
    small = write_generated(tmp_path / "small.jsonl", 5_000)
    large = write_generated(tmp_path / "large.jsonl", 50_000, start=5_000)
    base = peak_rss_kib(command("load", str(small), "--db", dsn))
    peak = peak_rss_kib(command("load", str(large), "--db", dsn))
    assert peak - base < 16 * 1024, (base, peak)


def run_on_a_terminal(args: list[str], stdin: IO[bytes] | int | None) -> tuple[int, str]:
    """Run ``args`` with standard error on a new pty; (exit code, what the pty showed)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdin=stdin, stdout=subprocess.DEVNULL, stderr=slave,
                            env=ENV)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the pty
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.wait(timeout=120), b"".join(chunks).decode()


LIVE = re.compile(r"\r([\d,]+) runs, [\d,]+ runs/s(, (\d+)%, ETA \d+:\d\d)?")


def test_progress_on_a_terminal_with_eta(tmp_path: Path) -> None:
    source = write_generated(tmp_path / "runs.jsonl", 3_000)
    code, shown = run_on_a_terminal(command("load", str(source), "--db",
                                            str(tmp_path / "runs.db")), None)
    assert code == 0, shown
    live = LIVE.findall(shown)
    assert live, shown
    assert all(eta for _, eta, _ in live)  # the file's size is known
    done = [int(n.replace(",", "")) for n, _, _ in live]
    assert done == sorted(done) and 0 < done[0] <= 3_000
    last = shown.rsplit("\r", 2)[-2] if shown.endswith("\r\n") else shown.rsplit("\r", 1)[-1]
    assert last.startswith("loaded 3,000 runs into "), shown
    assert last.rstrip().endswith("; 3,000 runs in the database")


def test_progress_on_a_terminal_without_a_size(tmp_path: Path) -> None:
    source = write_generated(tmp_path / "runs.jsonl", 3_000)
    feeder = subprocess.Popen(["cat", str(source)], stdout=subprocess.PIPE)
    code, shown = run_on_a_terminal(command("load", "-", "--db", str(tmp_path / "runs.db")),
                                    feeder.stdout)
    feeder.wait(timeout=60)
    assert code == 0, shown
    live = LIVE.findall(shown)
    assert live and not any(eta for _, eta, _ in live), shown  # a pipe has no size: no ETA
    assert "loaded 3,000 runs into " in shown


def test_summary_line_when_not_a_terminal(tmp_path: Path) -> None:
    source = write_generated(tmp_path / "runs.jsonl", 3_000)
    result = subprocess.run(command("load", str(source), "--db", str(tmp_path / "runs.db")),
                            capture_output=True, text=True, env=ENV, timeout=120, check=False)
    assert result.returncode == 0 and result.stdout == ""
    assert "\r" not in result.stderr and result.stderr.count("\n") == 1
    assert re.fullmatch(r"loaded 3,000 runs into \S+ in [\d.]+ s \([\d,]+ runs/s\); "
                        r"3,000 runs in the database\n", result.stderr), result.stderr


def test_an_error_after_progress_starts_on_its_own_line(tmp_path: Path) -> None:
    source = write_generated(tmp_path / "runs.jsonl", 3_000)
    with source.open("a", encoding="utf-8") as out:
        out.write("{not json\n")
    code, shown = run_on_a_terminal(command("load", str(source), "--db",
                                            str(tmp_path / "runs.db")), None)
    assert code == 1
    assert LIVE.search(shown), shown
    assert "\r\nqexpr: line 3001: not a JSON value: " in shown, shown


def test_ctrl_c_stores_nothing(tmp_path: Path) -> None:
    source = write_generated(tmp_path / "runs.jsonl", 200_000)
    db = tmp_path / "runs.db"
    master, slave = pty.openpty()
    proc = subprocess.Popen(command("load", str(source), "--db", str(db)),
                            stdout=subprocess.DEVNULL, stderr=slave, env=ENV)
    os.close(slave)
    shown = b""
    while not LIVE.search(shown.decode()):  # loading has begun
        shown += os.read(master, 65536)
    proc.send_signal(signal.SIGINT)
    try:
        while chunk := os.read(master, 65536):
            shown += chunk
    except OSError:
        pass
    os.close(master)
    assert proc.wait(timeout=60) == 130, shown
    text = shown.decode()
    assert "Traceback" not in text
    assert re.search(r"\r\nqexpr: load interrupted after [\d,]+ runs; none of them was "
                     r"stored\r\n$", text), text
    with sqlite3.connect(db) as conn:
        assert conn.execute('SELECT count(*) FROM "runs"').fetchone() == (0,)
