"""The ``qexpr`` command: parse, check, schema, sql, load, query, filter, complete.

Exit codes: 0 success, 2 a QError in the user's filter (printed with its caret, or as JSON
with ``--json``), 1 any other failure (a missing file, a database error), reported on one line
of standard error, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import Any

from qexpr.errors import QError

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from qexpr.cli import complete_command, data_commands, filter_commands

    parser = argparse.ArgumentParser(
        prog="qexpr",
        description="Parse, validate and run q filters of the runs search API.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    filter_commands.register(sub)
    data_commands.register(sub)
    complete_command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except QError as error:
        report_error(error, json_output=getattr(args, "json", False))
        return 2
    except BrokenPipeError:  # e.g. `qexpr filter ... | head`
        sys.stderr.close()
        return 0
    except sqlite3.Error as error:
        print(f"qexpr: database error: {one_line(error)}", file=sys.stderr)
        return 1
    except (OSError, ValueError, LookupError) as error:
        print(f"qexpr: {one_line(error)}", file=sys.stderr)
        return 1


def one_line(error: BaseException) -> str:
    """An exception's message on one line (its class name when it has none)."""
    text = " ".join(str(error).split())
    return text or type(error).__name__


def report_error(error: QError, *, json_output: bool) -> None:
    """Print a QError: every error found, with carets; or the JSON error object."""
    if json_output:
        print(json.dumps({"error": error.to_dict()}, ensure_ascii=False))
        return
    for index, each in enumerate(error.errors):
        if index:
            print(file=sys.stderr)
        print(each.render(), file=sys.stderr)


def print_json(value: Any) -> None:
    """One JSON document on stdout."""
    print(json.dumps(value, ensure_ascii=False, default=str))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
