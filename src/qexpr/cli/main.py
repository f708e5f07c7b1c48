"""The ``qexpr`` command: parse, check, schema, sql, load, query, filter, complete, serve.

Exit codes: 0 success, 2 a QError in the user's filter (printed with its caret, or as JSON
with ``--json``), 1 any other failure (a missing file, a database error), reported on one line
of standard error, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from qexpr.cli.databases import database_errors
from qexpr.cli.output import one_line, report_error
from qexpr.errors import QError

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from qexpr.cli import complete_command, data_commands, filter_commands, serve_command

    parser = argparse.ArgumentParser(
        prog="qexpr",
        description="Parse, validate and run q filters of the runs search API.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    filter_commands.register(sub)
    data_commands.register(sub)
    complete_command.register(sub)
    serve_command.register(sub)
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
    except database_errors() as error:  # sqlite3, psycopg: one line, never a traceback
        print(f"qexpr: database error: {one_line(error)}", file=sys.stderr)
        return 1
    except (OSError, ValueError, LookupError) as error:
        print(f"qexpr: {one_line(error)}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
