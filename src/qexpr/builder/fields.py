"""Field handles: scalar fields and json values, with every operator of q as a method.

Comparing (``==``, ``<``, ...) or calling an operator method builds a :class:`Condition`; an
operator the field's type does not allow, or a value of the wrong kind, raises at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NoReturn

from qexpr.builder.condition import Condition, Conditional, Frame
from qexpr.builder.literals import article, json_kind, literal
from qexpr.errors import ErrorCode
from qexpr.misuse import QTypeError, invalid
from qexpr.operators import Operator
from qexpr.schema.model import JSON_PATH_OPERATORS, Field, FieldType, ordered_operators
from qexpr.syntax import ast
from qexpr.syntax.literals import encode_string

__all__ = ["FieldHandle", "Handle", "JsonHandle", "ValueHandle"]

#: How each operator is written with the builder.
_PY_SPELLING: dict[Operator, str] = {
    Operator.EQ: "==", Operator.NE: "!=", Operator.LT: "<", Operator.LE: "<=", Operator.GT: ">",
    Operator.GE: ">=", Operator.IN: "in_()", Operator.BETWEEN: "between()",
    Operator.LIKE: "like()", Operator.ILIKE: "ilike()", Operator.CONTAINS: "contains()",
    Operator.STARTS_WITH: "starts_with()", Operator.ENDS_WITH: "ends_with()",
    Operator.IS_NULL: "is_null()",
}


def _shown(op: Operator) -> str:
    """``between() (BETWEEN in q)``, or just ``<`` where both spellings agree."""
    spelled = _PY_SPELLING.get(op, str(op))
    return spelled if spelled == op else f"{spelled} ({op} in q)"


class Handle:
    __slots__ = ("_frame", "_path")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, frame: Frame, path: tuple[str, ...]) -> None:
        self._frame = frame
        self._path = path

    @property
    def _where(self) -> str:
        return self._frame.display(self._path)

    def _refuse(self, *args: object) -> NoReturn:
        raise QTypeError(f"{self._where} cannot be compared here")

    def __bool__(self) -> NoReturn:
        raise QTypeError(f"{self._where} has no truth value; build a condition by comparing a "
                        "field and combine conditions with &, |, ~")

    def __iter__(self) -> NoReturn:
        raise QTypeError(f"{self._where} is not iterable")

    def __contains__(self, item: object) -> NoReturn:
        raise QTypeError(f"`in` cannot build a condition; write {self._where}.in_([...]) or "
                        f"{self._where}.contains(text)")


class ValueHandle(Handle, Conditional):
    """Operators shared by scalar fields and json paths."""

    __slots__ = ("_field",)
    _field: Field

    # -- what this handle allows -------------------------------------------------------------

    @property
    def _value_type(self) -> FieldType | None:
        """The type literals are checked against (None: a json sub-path, any JSON kind)."""
        return self._field.type

    def _operators(self) -> frozenset[Operator]:
        return self._field.operators

    def _ast_path(self) -> ast.Path:
        return ast.Path(self._path)

    def _require(self, op: Operator) -> None:
        if op in self._operators():
            return
        where, ftype = self._where, self._field.type
        if op is Operator.BARE:
            raise QTypeError(f"{where} is {article(ftype)} field, not a condition by itself; "
                            f"compare it, e.g. {where}.is_not_null()")
        if ftype is FieldType.JSON:
            raise QTypeError(f"{where} is a json field; only is_null()/is_not_null() apply to it "
                            f"as a whole; compare a key inside it, e.g. {where}.some_key == 1")
        allowed = ", ".join(_PY_SPELLING[o] for o in ordered_operators(self._operators())
                            if o in _PY_SPELLING)
        raise QTypeError(f"{_shown(op)} is not allowed on the {ftype} field {where}; "
                         f"{ftype} fields allow {allowed}", ErrorCode.UNSUPPORTED_OPERATOR)

    def _literal(self, value: object, op: Operator) -> ast.Value:
        if isinstance(value, bool) and op.is_ordering and self._value_type is None:
            # spec section 4: booleans compare by equality only, on json paths too
            raise QTypeError(f"{_shown(op)} cannot compare {self._where} with {value}: "
                             "booleans compare by equality only (==, !=, in_())",
                             ErrorCode.UNSUPPORTED_OPERATOR)
        return literal(value, self._value_type, self._where, str(op))

    def _literals(self, values: Iterable[object], op: Operator) -> tuple[ast.Value, ...]:
        """The literals of several values; as in the checker, a value of the wrong kind
        (``TypeError``) wins over bad content in another (``ValueError``)."""
        converted: list[ast.Value] = []
        bad: ValueError | None = None
        for value in values:
            try:
                converted.append(self._literal(value, op))
            except TypeError:
                raise
            except ValueError as error:
                bad = bad or error
        if bad is not None:
            raise bad
        return tuple(converted)

    def _make(self, node: ast.Expr) -> Condition:
        return Condition(node, self._frame)

    # -- comparisons -------------------------------------------------------------------------

    def _compare(self, op: Operator, other: object) -> Condition:
        if isinstance(other, ValueHandle):
            return self._field_to_field(op, other)
        if isinstance(other, Handle):
            other._refuse()
        self._require(op)
        value = self._literal(other, op)
        return self._make(ast.Comparison(self._ast_path(), op, value))

    def _field_to_field(self, op: Operator, other: ValueHandle) -> Condition:
        left, right = self._where, other._where
        if self._frame != other._frame:
            raise QTypeError(f"{left} and {right} belong to different records; a comparison "
                            "only reaches the fields of one record")
        for side in (self, other):
            if isinstance(side, JsonHandle) or side._field.type is FieldType.BOOLEAN:
                kind = "json values" if isinstance(side, JsonHandle) else "boolean fields"
                raise QTypeError(f"{kind} cannot be compared with another field ({left} {op} "
                                f"{right})")
        lt, rt = self._field.type, other._field.type
        if lt.family != rt.family:
            raise QTypeError(f"cannot compare the {lt} field {left} with the {rt} field {right}")
        self._require(op)
        other._require(op)
        return self._make(ast.Comparison(self._ast_path(), op, other._ast_path()))

    def __eq__(self, other: object) -> Condition:  # type: ignore[override]
        return self._compare(Operator.EQ, other)

    def __ne__(self, other: object) -> Condition:  # type: ignore[override]
        return self._compare(Operator.NE, other)

    def __lt__(self, other: object) -> Condition:
        return self._compare(Operator.LT, other)

    def __le__(self, other: object) -> Condition:
        return self._compare(Operator.LE, other)

    def __gt__(self, other: object) -> Condition:
        return self._compare(Operator.GT, other)

    def __ge__(self, other: object) -> Condition:
        return self._compare(Operator.GE, other)

    # -- lists and ranges --------------------------------------------------------------------

    def _values(self, values: Iterable[object], op: str) -> tuple[ast.Value, ...]:
        if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
            raise QTypeError(f"{self._where}.{op}() takes a list of values, e.g. "
                            f"{self._where}.{op}([a, b])")
        self._require(Operator.IN)
        converted = self._literals(values, Operator.IN)
        if not converted:
            raise invalid(f"{self._where}.{op}() needs at least one value",
                          ErrorCode.SYNTAX_ERROR)
        self._same_json_kind(converted, op)
        return converted

    def _same_json_kind(self, values: tuple[ast.Value, ...], op: str) -> None:
        if self._value_type is None and len({json_kind(v) for v in values}) > 1:
            raise QTypeError(f"{self._where}.{op}(): on a json path all values must be of one "
                            "kind (all str, all numbers or all bool)")

    def in_(self, values: Iterable[object]) -> Condition:
        """``field IN (v1, v2, ...)``."""
        return self._make(ast.InList(self._ast_path(), self._values(values, "in_")))

    def not_in(self, values: Iterable[object]) -> Condition:
        """``field NOT IN (v1, v2, ...)``."""
        return self._make(ast.InList(self._ast_path(), self._values(values, "not_in"), True))

    def _between(self, low: object, high: object, negated: bool) -> Condition:
        self._require(Operator.BETWEEN)
        bounds = self._literals((low, high), Operator.BETWEEN)
        self._same_json_kind(bounds, "not_between" if negated else "between")
        return self._make(ast.Between(self._ast_path(), bounds[0], bounds[1], negated))

    def between(self, low: object, high: object) -> Condition:
        """``field BETWEEN low AND high`` (inclusive)."""
        return self._between(low, high, False)

    def not_between(self, low: object, high: object) -> Condition:
        """``field NOT BETWEEN low AND high``."""
        return self._between(low, high, True)

    # -- patterns ----------------------------------------------------------------------------

    def _pattern(self, op: Operator, pattern: object, negated: bool) -> Condition:
        self._require(op)
        if not isinstance(pattern, str):
            raise QTypeError(f"{op} takes a str pattern, not {type(pattern).__name__}")
        encode_string(pattern)  # ValueError for U+0000 and lone surrogates
        if op in (Operator.LIKE, Operator.ILIKE):
            trailing = len(pattern) - len(pattern.rstrip("\\"))
            if trailing % 2:
                article = "an" if op is Operator.ILIKE else "a"
                raise invalid(f"{article} {op} pattern cannot end with a lone backslash; use "
                                 "qexpr.escape_like() for literal text")
        return self._make(ast.PatternMatch(self._ast_path(), op, ast.String(pattern), negated))

    def like(self, pattern: str) -> Condition:
        """``LIKE``: ``%`` any text, ``_`` one character, ``\\`` escapes; case-sensitive."""
        return self._pattern(Operator.LIKE, pattern, False)

    def not_like(self, pattern: str) -> Condition:
        """``NOT LIKE``."""
        return self._pattern(Operator.LIKE, pattern, True)

    def ilike(self, pattern: str) -> Condition:
        """``ILIKE``: LIKE with ASCII letters compared case-insensitively."""
        return self._pattern(Operator.ILIKE, pattern, False)

    def not_ilike(self, pattern: str) -> Condition:
        """``NOT ILIKE``."""
        return self._pattern(Operator.ILIKE, pattern, True)

    def contains(self, text: str) -> Condition:
        """``CONTAINS``: a plain substring test (no wildcards)."""
        return self._pattern(Operator.CONTAINS, text, False)

    def not_contains(self, text: str) -> Condition:
        """``NOT CONTAINS``."""
        return self._pattern(Operator.CONTAINS, text, True)

    def starts_with(self, text: str) -> Condition:
        """``STARTS_WITH``: a plain prefix test."""
        return self._pattern(Operator.STARTS_WITH, text, False)

    def not_starts_with(self, text: str) -> Condition:
        """``NOT STARTS_WITH``."""
        return self._pattern(Operator.STARTS_WITH, text, True)

    def ends_with(self, text: str) -> Condition:
        """``ENDS_WITH``: a plain suffix test."""
        return self._pattern(Operator.ENDS_WITH, text, False)

    def not_ends_with(self, text: str) -> Condition:
        """``NOT ENDS_WITH``."""
        return self._pattern(Operator.ENDS_WITH, text, True)

    # -- null tests and bare use -------------------------------------------------------------

    def is_null(self) -> Condition:
        """``field IS NULL`` (missing, null, or JSON null)."""
        self._require(Operator.IS_NULL)
        return self._make(ast.IsNull(self._ast_path()))

    def is_not_null(self) -> Condition:
        """``field IS NOT NULL``."""
        self._require(Operator.IS_NULL)
        return self._make(ast.IsNull(self._ast_path(), True))

    def _condition(self) -> Condition:
        self._require(Operator.BARE)
        path = self._ast_path()
        return self._make(ast.Comparison(path, Operator.EQ, ast.Boolean(True)))

    def __invert__(self) -> Condition:
        return ~self._condition()

    def __and__(self, other: object) -> Condition:
        return self._condition() & other

    def __rand__(self, other: object) -> Condition:
        return other & self._condition()

    def __or__(self, other: object) -> Condition:
        return self._condition() | other

    def __ror__(self, other: object) -> Condition:
        return other | self._condition()


class FieldHandle(ValueHandle):
    """A scalar field (string, uuid, integer, decimal, float, boolean, timestamp)."""

    __slots__ = ()

    def __init__(self, frame: Frame, path: tuple[str, ...], field: Field) -> None:
        super().__init__(frame, path)
        self._field = field

    def __getattr__(self, name: str) -> NoReturn:
        if name.startswith("_"):
            raise AttributeError(name)
        raise AttributeError(f"{self._where} is {article(self._field.type)} field and has no "
                             f"sub-fields (.{name})")

    def __getitem__(self, key: object) -> NoReturn:
        raise QTypeError(f"{self._where} is {article(self._field.type)} field and has no "
                        "sub-fields")

    def __repr__(self) -> str:
        return f"<{self._where}: {self._field.type}>"


class JsonHandle(ValueHandle):
    """A json field (only ``is_null``/``is_not_null`` apply to it as a whole) or a sub-path
    inside it, which takes every operator with ``str``, numbers or ``bool``. Keys are
    attributes (``runs.metadata.customer``) or items (``runs.metadata["team-id"]``); use items
    for keys that start with ``_`` or share a method's name (``["like"]``)."""

    __slots__ = ("_keys",)

    def __init__(self, frame: Frame, path: tuple[str, ...], field: Field,
                 keys: tuple[str, ...]) -> None:
        super().__init__(frame, path)
        self._field = field
        self._keys = keys

    @property
    def _where(self) -> str:
        text = self._frame.display(self._path)
        for key in self._keys:
            text += f".{key}" if key.isidentifier() else f"[{encode_string(key)}]"
        return text

    @property
    def _value_type(self) -> FieldType | None:
        return None if self._keys else FieldType.JSON

    def _operators(self) -> frozenset[Operator]:
        return JSON_PATH_OPERATORS if self._keys else self._field.operators

    def _ast_path(self) -> ast.Path:
        return ast.Path((*self._path, *self._keys))

    def __getitem__(self, key: str) -> JsonHandle:
        if not isinstance(key, str):
            raise QTypeError(f"a key of {self._where} is a str, not {type(key).__name__}")
        encode_string(key)  # ValueError for U+0000 and lone surrogates
        return JsonHandle(self._frame, self._path, self._field, (*self._keys, key))

    def __getattr__(self, name: str) -> JsonHandle:
        if name.startswith("_"):
            raise AttributeError(f"{name}: write keys that start with _ as {self._where}"
                                 f"[{name!r}]")
        return self[name]

    def __repr__(self) -> str:
        return f"<{self._where}: {'json path' if self._keys else 'json'}>"
