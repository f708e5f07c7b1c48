"""Field types and the operators each allows (spec section 4): a leaf of the schema package."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from qexpr.operators import (
    COMPARISON_OPERATORS,
    OPERATOR_ORDER,
    PATTERN_OPERATORS,
    Operator,
    ordered,
)


class FieldType(StrEnum):
    """Type of a scalar or json field (spec section 4)."""

    STRING = "string"
    UUID = "uuid"
    INTEGER = "integer"
    DECIMAL = "decimal"
    FLOAT = "float"
    BOOLEAN = "boolean"
    TIMESTAMP = "timestamp"
    JSON = "json"

    @property
    def family(self) -> str:
        """Family for field-to-field comparison: ``"number"`` for numbers, else the type."""
        return "number" if self in _NUMBERS else self.value

    @property
    def operators(self) -> frozenset[Operator]:
        """Operator names allowed on a field of this type (see :data:`OPERATORS_BY_TYPE`)."""
        return OPERATORS_BY_TYPE[self]


_NUMBERS = frozenset({FieldType.INTEGER, FieldType.DECIMAL, FieldType.FLOAT})

_ORDERED = frozenset(COMPARISON_OPERATORS) | {Operator.IN, Operator.BETWEEN, Operator.IS_NULL}

#: Operators allowed on each field type; a json field itself allows only IS [NOT] NULL.
OPERATORS_BY_TYPE: Mapping[FieldType, frozenset[Operator]] = MappingProxyType(
    {
        FieldType.STRING: _ORDERED | frozenset(PATTERN_OPERATORS),
        FieldType.UUID: frozenset({Operator.EQ, Operator.NE, Operator.IN, Operator.IS_NULL}),
        FieldType.INTEGER: _ORDERED,
        FieldType.DECIMAL: _ORDERED,
        FieldType.FLOAT: _ORDERED,
        FieldType.BOOLEAN: frozenset({Operator.EQ, Operator.NE, Operator.IS_NULL, Operator.BARE}),
        FieldType.TIMESTAMP: _ORDERED,
        FieldType.JSON: frozenset({Operator.IS_NULL}),
    }
)
#: Operators allowed on a sub-path of a json field (spec 5.4): all of them.
JSON_PATH_OPERATORS = frozenset(OPERATOR_ORDER)


def ordered_operators(operators: frozenset[Operator]) -> tuple[Operator, ...]:
    """The given operators in canonical order."""
    return ordered(operators)


