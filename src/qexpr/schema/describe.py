"""Printing a schema: the filterable paths, a readable table, and a JSON form."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qexpr.operators import OPERATOR_ORDER
from qexpr.schema.types import FieldType, ordered_operators

if TYPE_CHECKING:
    from qexpr.schema.model import Field, RecordType, Schema


@dataclass(frozen=True, slots=True)
class SchemaPath:
    """One filterable path, as :meth:`Schema.paths` lists it (``kind``: field, json_path,
    to_one or to_many; ``scopes``: all scopes needed to use it)."""

    path: str
    kind: str
    type: str
    scopes: tuple[str, ...]
    operators: tuple[str, ...]


def paths(schema: Schema) -> Iterator[SchemaPath]:
    """Every filterable path from the root, depth first (a record already on the way is
    not entered again). Inside a to-many relation paths read ``any(rel, path)``."""
    root = schema.root_record
    yield from _walk(schema, root, "", (), (), (root.name,))


def _walk(schema: Schema, rec: RecordType, prefix: str, quantified: tuple[str, ...],
          scopes: tuple[str, ...], seen: tuple[str, ...]) -> Iterator[SchemaPath]:
    def show(path: str) -> str:
        for rel_path in reversed(quantified):
            path = f"any({rel_path}, {path})"
        return path

    def need(scope: str | None) -> tuple[str, ...]:
        return scopes if scope is None or scope in scopes else (*scopes, scope)

    for f in rec.fields:
        path = prefix + f.name
        yield SchemaPath(show(path), "field", f.type.value, need(f.scope),
                         ordered_operators(f.operators))
        if f.type is FieldType.JSON:
            yield SchemaPath(show(path + ".<key>"), "json_path", "json path",
                             need(f.scope), OPERATOR_ORDER)
    for rel in rec.relations:
        target, path = schema.target(rel), prefix + rel.name
        if rel.many:
            yield SchemaPath(show(f"any({path}, ...)"), "to_many",
                             f"list of {target.name}", need(rel.scope), ("any", "all"))
            inner_prefix, inner_quantified = "", (*quantified, path)
        else:
            yield SchemaPath(show(path), "to_one", f"object {target.name}",
                             need(rel.scope), ())
            inner_prefix, inner_quantified = path + ".", quantified
        if target.name not in seen:
            yield from _walk(schema, target, inner_prefix, inner_quantified, need(rel.scope),
                             (*seen, target.name))


def describe(schema: Schema) -> str:
    """Readable text listing every filterable path with its type, scopes and operators."""
    rows = [("path", "type", "scope", "operators")]
    for p in paths(schema):
        if p.kind == "to_one":
            ops = "only through its sub-paths"
        elif p.kind == "to_many":
            ops = "any(...), all(...)"
        else:
            ops = ", ".join(p.operators)
        rows.append((p.path, p.type, ", ".join(p.scopes) or "-", ops))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    root = schema.root_record
    lines = [
        f"Filterable paths of {root.name} (table {root.table!r}).",
        "NOT IN, NOT BETWEEN, NOT LIKE, ..., IS NOT NULL go with their positive form;",
        "'bare' is a boolean path alone; <key> is any key of a json object.",
        "",
    ]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[3]]).rstrip())
    return "\n".join(lines) + "\n"


def schema_to_dict(schema: Schema) -> dict[str, Any]:
    """JSON-ready form (fields also list their operators); see :meth:`Schema.from_dict`."""
    def field_dict(f: Field) -> dict[str, Any]:
        return {**dataclasses.asdict(f), "type": f.type.value,
                "operators": list(ordered_operators(f.operators))}

    return {"root": schema.root, "records": [
        {"name": r.name, "table": r.table, "key": r.key, "description": r.description,
         "fields": [field_dict(f) for f in r.fields],
         "relations": [dataclasses.asdict(rel) for rel in r.relations]}
        for r in schema.records]}
