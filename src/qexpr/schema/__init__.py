"""Schemas: the record types filter paths resolve against, with their storage layout."""

from qexpr.schema.describe import SchemaPath
from qexpr.schema.model import (
    COMPARISON_OPERATORS,
    JSON_PATH_OPERATORS,
    OPERATOR_ORDER,
    OPERATORS_BY_TYPE,
    PATTERN_OPERATORS,
    Field,
    FieldType,
    RecordType,
    Relation,
    Schema,
    default_table,
    fields,
    ordered_operators,
    record,
    to_many,
    to_one,
)
from qexpr.schema.run import EVALUATIONS_READ, RUN_SCHEMA

__all__ = [
    "COMPARISON_OPERATORS",
    "EVALUATIONS_READ",
    "JSON_PATH_OPERATORS",
    "OPERATORS_BY_TYPE",
    "OPERATOR_ORDER",
    "PATTERN_OPERATORS",
    "RUN_SCHEMA",
    "Field",
    "FieldType",
    "RecordType",
    "Relation",
    "Schema",
    "SchemaPath",
    "default_table",
    "fields",
    "ordered_operators",
    "record",
    "to_many",
    "to_one",
]
