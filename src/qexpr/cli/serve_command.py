"""The ``serve`` subcommand: the reference ``GET /v1/runs`` server on uvicorn."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add ``serve`` to ``sub`` (an argparse subparsers object)."""
    p = sub.add_parser("serve", help="serve GET /v1/runs over HTTP (default: the bundled "
                                     "example runs on 127.0.0.1:8000)")
    p.add_argument("--db", metavar="DSN_OR_FILE",
                   help="a PostgreSQL DSN (postgresql://... or host=... dbname=...) or a SQLite "
                        "file made by `qexpr load` (default: the bundled example runs)")
    p.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None,
                   help="port to listen on (default 8000; 0: any free port, printed)")
    p.add_argument("--tokens", metavar="FILE",
                   help='JSON list of {"token", "orgs": [...] or "*", "scopes": [...]}')
    p.add_argument("--token", action="append", default=[], metavar="TOKEN:ORGS[:SCOPES]",
                   help="a bearer token, its organisations (comma-separated ids or *) and "
                        "scopes (repeatable; without any token one is generated and printed)")
    p.add_argument("--secret", default=None,
                   help="cursor secret (default $QEXPR_CURSOR_SECRET; needs qexpr[crypto]); "
                        "without one cursors are signed by fingerprint only")
    p.add_argument("--lenient", action="store_true",
                   help="ignore unknown query parameters instead of rejecting them")
    p.add_argument("--timing", action="store_true",
                   help="add a Server-Timing header (qexpr, db, json, total) to each response "
                        "(also $QEXPR_SERVE_TIMING=1)")
    p.add_argument("--pool", type=int, default=None, metavar="N",
                   help="database connections to keep (default 8)")
    p.add_argument("--log-level", default="warning",
                   choices=["critical", "error", "warning", "info", "debug"])
    p.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from qexpr.serve import load_tokens, parse_token, run
    from qexpr.serve.runner import DEFAULT_HOST, DEFAULT_PORT

    tokens = load_tokens(args.tokens) if args.tokens else {}
    tokens.update(parse_token(spec) for spec in args.token)
    timing = args.timing or os.environ.get("QEXPR_SERVE_TIMING", "") not in ("", "0")
    try:
        run(database=args.db, tokens=tokens,
            host=args.host or DEFAULT_HOST,
            port=DEFAULT_PORT if args.port is None else args.port,
            secret=args.secret or os.environ.get("QEXPR_CURSOR_SECRET") or None,
            strict=not args.lenient, timing=timing, pool=args.pool,
            log_level=args.log_level)
    except KeyboardInterrupt:
        pass
    except ImportError as error:
        print(f"qexpr serve: {error.msg}; install qexpr[serve]", file=sys.stderr)
        return 1
    except Exception as error:  # a database that cannot be reached, say: one line, no trace
        if type(error).__module__.split(".")[0] != "psycopg":
            raise
        from qexpr.cli.output import one_line

        print(f"qexpr serve: database error: {one_line(error)}", file=sys.stderr)
        return 1
    return 0
