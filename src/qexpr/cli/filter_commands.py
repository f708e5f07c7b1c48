"""Subcommands about the filter text itself: ``parse``, ``check``, ``schema``, ``sql``."""

from __future__ import annotations

import argparse
import dataclasses
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from qexpr.syntax import ast


def register(sub: Any) -> None:
    """Add the subcommands to ``sub`` (an argparse subparsers object)."""
    p = sub.add_parser("parse", help="parse a filter (syntax only) and print its canonical form")
    p.add_argument("q", help="the filter text")
    p.add_argument("--engine", choices=("native", "lark", "antlr"), default="native")
    p.add_argument("--json", action="store_true", help="print the AST or the error as JSON")
    p.set_defaults(handler=cmd_parse)

    p = sub.add_parser("check", help="validate a filter against the Run schema")
    p.add_argument("q", help="the filter text")
    add_scope_option(p)
    p.add_argument("--json", action="store_true", help="print the result or errors as JSON")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("schema", help="list the filterable fields, their types and operators")
    p.add_argument("--json", action="store_true", help="print the schema as JSON")
    p.set_defaults(handler=cmd_schema)

    p = sub.add_parser("sql", help="print the SQL WHERE clause and parameters of a filter")
    p.add_argument("q", help="the filter text")
    p.add_argument("--dialect", choices=("postgresql", "sqlite", "clickhouse"),
                   default="postgresql")
    add_scope_option(p)
    p.add_argument("--json", action="store_true", help="print {sql, params} as JSON")
    p.set_defaults(handler=cmd_sql)


def add_scope_option(parser: argparse.ArgumentParser) -> None:
    """``--scope S`` (repeatable): the caller's scopes, e.g. evaluations:read."""
    parser.add_argument("--scope", action="append", default=[], metavar="SCOPE",
                        help="a scope the caller holds (repeatable), e.g. evaluations:read")


def cmd_parse(args: argparse.Namespace) -> int:
    from qexpr.cli.output import print_json
    from qexpr.syntax import parse, to_q

    tree = parse(args.q, engine=args.engine)
    if args.json:
        print_json({"q": to_q(tree), "ast": ast_to_json(tree)})
    else:
        print(to_q(tree))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from qexpr.cli.output import print_json
    from qexpr.filter import compile

    compiled = compile(args.q, scopes=args.scope)
    if args.json:
        print_json({"valid": True, "q": compiled.to_q(), "ast": ast_to_json(compiled.tree)})
    else:
        print(compiled.to_q())
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from qexpr.cli.output import print_json
    from qexpr.schema.run import RUN_SCHEMA

    if args.json:
        print_json(RUN_SCHEMA.to_dict())
    else:
        print(RUN_SCHEMA.describe(), end="")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    from qexpr.cli.output import print_json
    from qexpr.filter import compile

    sql, params = compile(args.q, scopes=args.scope).to_sql(args.dialect)
    if args.json:
        print_json({"sql": sql, "params": [json_value(p) for p in params]})
    else:
        print(sql)
        for index, param in enumerate(params, start=1):
            print(f"  ${index} = {param!r}")
    return 0


def ast_to_json(node: object) -> Any:
    """A JSON-ready description of an AST node: ``{"node": "Comparison", ...fields, span}``."""
    if isinstance(node, ast.Node):
        out: dict[str, Any] = {"node": type(node).__name__}
        for f in dataclasses.fields(node):
            if f.name in ("start", "end", "segment_spans"):
                continue
            out[f.name] = ast_to_json(getattr(node, f.name))
        out["span"] = [node.start, node.end]
        return out
    if isinstance(node, tuple):
        return [ast_to_json(item) for item in node]
    return json_value(node)


def json_value(value: object) -> Any:
    """A parameter or literal as JSON (exact decimals as strings)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (UUID, datetime)):
        return str(value) if isinstance(value, UUID) else value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
