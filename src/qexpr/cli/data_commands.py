"""Subcommands that touch data: ``load``, ``query`` (a SQLite file or PostgreSQL: the ``--db``
rule is in :mod:`qexpr.cli.databases`) and ``filter`` (JSON lines)."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import closing
from typing import Any, BinaryIO, TextIO

from qexpr.cli.filter_commands import add_scope_option
from qexpr.examples import example_runs as example_runs

DB_HELP = ("postgresql://... or a libpq 'host=... dbname=...' string for PostgreSQL, anything "
           "else a SQLite file (./host=x for a file named so)")
TABLE_COLUMNS = ("id", "created_at", "duration_ms", "failure_code", "client_ref", "cost")


def register(sub: Any) -> None:
    """Add the subcommands to ``sub`` (an argparse subparsers object)."""
    p = sub.add_parser("load", help="load API-shaped runs (JSON lines or a GET /v1/runs body) "
                                    "into a SQLite file or PostgreSQL, streaming")
    p.add_argument("file", help="runs.jsonl, a response body, or - for standard input")
    p.add_argument("--db", required=True, metavar="DSN_OR_FILE", help=DB_HELP + " (a SQLite "
                   "file is created if missing; the tables are created if missing)")
    p.set_defaults(handler=cmd_load)

    p = sub.add_parser("query", help="run a search (filter, sort, page) on a SQLite file or "
                                     "PostgreSQL (default: the bundled example runs)")
    p.add_argument("q", nargs="?", default="", help="the filter text (empty: every run)")
    p.add_argument("--db", metavar="DSN_OR_FILE",
                   help=DB_HELP + " (default: the bundled example runs in memory)")
    add_scope_option(p)
    p.add_argument("--json", action="store_true",
                   help="print the page as the API's JSON body (items, first, next, previous)")
    p.add_argument("--sort", metavar="SORT_BY",
                   help="sort_by: field[:asc|:desc],... (default created_at:desc; ties by id)")
    p.add_argument("--fields", help="fields: top-level fields to show, comma-separated")
    p.add_argument("--embed", help="embed: relations to include (model, node_runs, logs, ...)")
    p.add_argument("--limit", metavar="N", help="page size, 1 to 500 (default 50)")
    p.add_argument("--page-cursor", metavar="PQ",
                   help="pq: the next (or, with --prev, the previous) cursor of a page")
    p.add_argument("--prev", action="store_true",
                   help="from_prev: page backwards (with the previous cursor; alone: last page)")
    p.set_defaults(handler=cmd_query)

    p = sub.add_parser("filter", help="stream the runs of a JSON lines file that match")
    p.add_argument("q", help="the filter text")
    p.add_argument("file", nargs="?", default="-", help="runs.jsonl or - for standard input")
    add_scope_option(p)
    p.set_defaults(handler=cmd_filter)


# --------------------------------------------------------------------------- reading runs


def open_text(name: str) -> TextIO:
    """A file by name, or standard input for ``-``."""
    if name == "-":
        return sys.stdin
    return open(name, encoding="utf-8")


def read_runs(lines: Iterable[str]) -> Iterator[tuple[str | None, dict[str, Any]]]:
    """Yield (original line, run) from JSON lines, or (None, run) from one JSON document
    (a ``GET /v1/runs`` body with ``items``, an array, or a single run), reading one line at
    a time. A line that is not JSON after a JSON line is a ``ValueError`` naming it."""
    buffered: list[str] = []
    seen_json = False
    for number, line in enumerate(lines, start=1):
        if buffered:
            buffered.append(line)
            continue
        text = line.strip()
        if not text:
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            if seen_json:
                raise ValueError(f"line {number}: not a JSON value: {error.msg} "
                                 f"(column {error.colno})") from None
            buffered.append(line)
            continue
        seen_json = True
        if isinstance(value, dict) and "items" in value:
            yield from ((None, item) for item in value["items"])
        elif isinstance(value, list):
            yield from ((None, item) for item in value)
        else:
            yield line.rstrip("\r\n"), value
    if buffered:
        document = json.loads("".join(buffered))
        items = document.get("items", []) if isinstance(document, dict) else document
        if isinstance(document, dict) and "items" not in document:
            items = [document]
        yield from ((None, item) for item in items)


# --------------------------------------------------------------------------- commands


BATCH_RUNS = 1000
"""Runs read, converted and inserted at a time by ``qexpr load`` (memory stays flat)."""


def cmd_load(args: argparse.Namespace) -> int:
    from qexpr.cli.databases import open_target
    from qexpr.cli.progress import Progress

    source: BinaryIO = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115
    status = os.fstat(source.fileno())
    progress = Progress(sys.stderr, status.st_size if stat.S_ISREG(status.st_mode) else None)
    done = bytes_read = 0

    def lines() -> Iterator[str]:
        nonlocal bytes_read
        for raw in source:
            bytes_read += len(raw)
            yield raw.decode("utf-8")

    def batches() -> Iterator[list[dict[str, Any]]]:
        nonlocal done
        batch: list[dict[str, Any]] = []
        for _, run in read_runs(lines()):
            batch.append(run)
            if len(batch) == BATCH_RUNS:
                yield batch  # loaded when this generator resumes
                done += len(batch)
                progress.update(done, bytes_read)
                batch = []
        if batch:
            yield batch
            done += len(batch)

    stored = False
    with source:
        target = open_target(args.db, create=True)
        try:
            target.ensure_tables()
            target.load(batches())
            stored = True
            total = target.count_runs()
        except KeyboardInterrupt:  # Ctrl-C: the transaction is rolled back
            progress.interrupt()
            kept = "all of them were stored" if stored else "none of them was stored"
            print(f"qexpr: load interrupted after {done:,} runs; {kept}", file=sys.stderr)
            return 130
        except BaseException:
            progress.interrupt()  # the error's line starts on a line of its own
            raise
        finally:
            target.close()
    progress.finish(f"loaded {done:,} runs into {target.label}{progress.summary_suffix(done)}; "
                    f"{total:,} runs in the database")
    return 0


def example_database() -> sqlite3.Connection:
    """An in-memory SQLite database holding the bundled example runs."""
    from qexpr.backends.sql import load_records, reference_ddl

    conn = sqlite3.connect(":memory:")
    conn.executescript(reference_ddl("sqlite"))
    load_records(conn, example_runs(), "sqlite")
    return conn


def cmd_query(args: argparse.Namespace) -> int:
    from qexpr.search import compile_search

    params = {"q": args.q, "sort_by": args.sort, "fields": args.fields, "embed": args.embed,
              "limit": args.limit, "pq": args.page_cursor,
              "from_prev": "true" if args.prev else None}
    search = compile_search(params, scopes=args.scope)
    if args.db is None:
        with closing(example_database()) as conn:
            page = search.execute(conn, "sqlite")
    else:
        from qexpr.cli.databases import open_target

        target = open_target(args.db)
        try:
            page = search.execute(target.conn, target.dialect)
        finally:
            target.close()
    if args.json:
        print(json.dumps(page.to_dict(), ensure_ascii=False))
        return 0
    columns = TABLE_COLUMNS if not args.fields else _columns(args.fields, search.fields)
    rows = [{**item, **{name: _embed_cell(item.get(name)) for name in search.embeds}}
            for item in page.items]
    print_table(rows, (*columns, *search.embeds))
    shown = search.filter.to_q() or "(all)"
    count = len(page.items)
    print(f"\n{count} run{'s' if count != 1 else ''} on this page: {shown}, "
          f"sorted by {search.sort_by}")
    print(f"next:     {page.next or '-'}")
    print(f"previous: {page.previous or '-'}")
    if page.next or page.previous:
        print("(--page-cursor NEXT for the next page; --page-cursor PREVIOUS --prev for the "
              "previous one)")
    return 0


def _columns(requested: str, projected: tuple[str, ...]) -> tuple[str, ...]:
    """The projected fields in the order the user listed them (``id`` first if not listed)."""
    named = [n.strip() for n in requested.split(",")]
    ordered = [n for n in dict.fromkeys(named) if n in projected]
    return tuple([n for n in projected if n not in ordered] + ordered)


def _embed_cell(value: Any) -> str | None:
    """An embedded relation in one table cell: a list's length, a record's slug or id."""
    if isinstance(value, list):
        return f"[{len(value)}]"
    if isinstance(value, dict):
        label = value.get("slug") or value.get("name") or value.get("id")
        return None if label is None else str(label)
    return None


def print_table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """A plain text table of the given columns."""
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def _cell(value: object) -> str:
    if value is None:
        return "-"
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "\u2026"


def cmd_filter(args: argparse.Namespace) -> int:
    from qexpr.filter import compile

    predicate = compile(args.q, scopes=args.scope).to_predicate()
    out = sys.stdout
    with open_text(args.file) as stream:
        for line, run in read_runs(stream):
            if predicate(run):
                out.write(line if line is not None else json.dumps(run, ensure_ascii=False))
                out.write("\n")
    out.flush()
    return 0
