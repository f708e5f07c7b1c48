"""Subcommands that touch data: ``load``, ``query`` (SQLite) and ``filter`` (JSON lines)."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any, TextIO

from qexpr.cli.filter_commands import add_scope_option
from qexpr.examples import example_runs as example_runs

TABLE_COLUMNS = ("id", "created_at", "duration_ms", "failure_code", "client_ref", "cost")


def register(sub: Any) -> None:
    """Add the subcommands to ``sub`` (an argparse subparsers object)."""
    p = sub.add_parser("load", help="load API-shaped runs (JSON lines or a GET /v1/runs body) "
                                    "into a SQLite database")
    p.add_argument("file", help="runs.jsonl, a response body, or - for standard input")
    p.add_argument("--db", required=True, help="the SQLite database file (created if missing)")
    p.set_defaults(handler=cmd_load)

    p = sub.add_parser("query", help="run a search (filter, sort, page) on a SQLite database "
                                     "of runs (default: the bundled example runs)")
    p.add_argument("q", nargs="?", default="", help="the filter text (empty: every run)")
    p.add_argument("--db", help="the SQLite database (default: bundled example runs in memory)")
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


def read_runs(stream: TextIO) -> Iterator[tuple[str | None, dict[str, Any]]]:
    """Yield (original line, run) from JSON lines, or (None, run) from one JSON document
    (a ``GET /v1/runs`` body with ``items``, an array, or a single run)."""
    buffered: list[str] = []
    for line in stream:
        if buffered:
            buffered.append(line)
            continue
        text = line.strip()
        if not text:
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            buffered.append(line)
            continue
        if isinstance(value, dict) and "items" in value:
            yield from ((None, item) for item in value["items"])
        elif isinstance(value, list):
            yield from ((None, item) for item in value)
        else:
            yield line.rstrip("\n"), value
    if buffered:
        document = json.loads("".join(buffered))
        items = document.get("items", []) if isinstance(document, dict) else document
        if isinstance(document, dict) and "items" not in document:
            items = [document]
        yield from ((None, item) for item in items)


# --------------------------------------------------------------------------- commands


def ensure_tables(conn: sqlite3.Connection) -> None:
    """Create the reference tables in a SQLite database unless they exist."""
    from qexpr.backends.sql import reference_ddl

    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'"
    ).fetchone()
    if not exists:
        conn.executescript(reference_ddl("sqlite"))


def cmd_load(args: argparse.Namespace) -> int:
    from qexpr.backends.sql import load_records

    with open_text(args.file) as stream:
        runs = [run for _, run in read_runs(stream)]
    with closing(sqlite3.connect(args.db)) as conn:
        ensure_tables(conn)
        load_records(conn, runs, "sqlite")
        conn.commit()
        total = conn.execute('SELECT count(*) FROM "runs"').fetchone()[0]
    print(f"loaded {len(runs)} runs into {args.db} ({total} runs in the database)")
    return 0


def open_database(path: str | None) -> sqlite3.Connection:
    """The SQLite database at ``path``, or an in-memory one holding the example runs."""
    if path is not None:
        if not Path(path).exists():
            raise FileNotFoundError(f"no database at {path}; create it with `qexpr load`")
        return sqlite3.connect(path)
    from qexpr.backends.sql import load_records

    conn = sqlite3.connect(":memory:")
    ensure_tables(conn)
    load_records(conn, example_runs(), "sqlite")
    return conn


def cmd_query(args: argparse.Namespace) -> int:
    from qexpr.search import compile_search

    params = {"q": args.q, "sort_by": args.sort, "fields": args.fields, "embed": args.embed,
              "limit": args.limit, "pq": args.page_cursor,
              "from_prev": "true" if args.prev else None}
    search = compile_search(params, scopes=args.scope)
    with closing(open_database(args.db)) as conn:
        page = search.execute(conn, "sqlite")
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
