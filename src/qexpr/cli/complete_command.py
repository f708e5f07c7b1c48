"""The ``complete`` subcommand: completions at a cursor position of a filter."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Add ``complete`` to ``sub`` (an argparse subparsers object)."""
    from qexpr.cli.filter_commands import add_scope_option

    p = sub.add_parser("complete", help="list what may be typed at a position of a filter "
                                        "(for editors and shells)")
    p.add_argument("q", help="the filter text, possibly unfinished")
    p.add_argument("--at", type=int, default=None, metavar="N",
                   help="the cursor position, 0 to len(q) in code points (default: the end)")
    add_scope_option(p)
    p.add_argument("--json", action="store_true",
                   help="print a JSON list of {text, kind, start, end, detail, label, sort}")
    p.set_defaults(handler=cmd_complete)


def cmd_complete(args: argparse.Namespace) -> int:
    from qexpr.cli.output import print_json
    from qexpr.completion import complete

    completions = complete(args.q, args.at, scopes=args.scope)
    if args.json:
        print_json([c.to_dict() for c in completions])
        return 0
    if not completions:
        print("(no completions)")
        return 0
    width = max(len(repr(c.text)) for c in completions)
    for c in completions:
        span = f"[{c.start}:{c.end}]"
        print(f"{c.text!r:<{width}}  {c.kind:<11}  {span:<9}  {c.detail}".rstrip())
    return 0
