"""Hypothesis strategies for well-typed q filters over a schema (default: the Run schema).

- :func:`typed_filters` generates syntax trees, as :func:`qexpr.parse` returns them, that pass
  validation against ``schema`` for a caller holding ``scopes``: every field type, json
  sub-paths with exotic keys, to-one hops, quantifiers over to-many relations (nested where the
  schema allows, e.g. ``any(model.pricing, ...)``), field-to-field comparisons of compatible
  types, time expressions. Literals are written the way users write them (UUIDs in any case,
  timestamps with offsets or as dates), so the typed canonical form differs from ``to_q(tree)``.
- :func:`typed_texts` is the same, printed with :func:`qexpr.to_q`.
- :func:`mutations` damages a well-typed tree so that exactly one predicate breaks one rule,
  and tells which error code and span validation must report.

Reuse: ``from tests.check.strategies import typed_filters, typed_texts, FIXED_NOW``.
Compile generated trees with ``now=FIXED_NOW`` (or any instant within a few centuries of
today): time expressions are generated so that they fold within the years 0001-9999.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import lru_cache

from hypothesis import strategies as st

from qexpr.check.resolve import resolve
from qexpr.errors import ErrorCode
from qexpr.limits import DEFAULT_LIMITS
from qexpr.operators import COMPARISON_OPERATORS, PATTERN_OPERATORS, Operator
from qexpr.schema.model import Field, FieldType, RecordType, Relation, Schema
from qexpr.schema.run import RUN_SCHEMA
from qexpr.syntax import ast
from qexpr.syntax.canonical import to_q

__all__ = [
    "FIXED_NOW",
    "Mutation",
    "hypothesis_scale",
    "mutations",
    "scaled",
    "timestamp_texts",
    "typed_filters",
    "typed_texts",
    "uuid_texts",
]

FIXED_NOW = datetime(2024, 6, 15, 12, 30, 45, 123456, tzinfo=UTC)
"""A fixed ``now`` for compiling generated filters reproducibly."""


def hypothesis_scale() -> float:
    """``QEXPR_HYPOTHESIS_SCALE`` (default 1): multiplies every property test's example count."""
    try:
        scale = float(os.environ.get("QEXPR_HYPOTHESIS_SCALE", "") or 1)
    except ValueError:
        return 1.0
    return scale if scale > 0 else 1.0


def scaled(examples: int) -> int:
    """``examples`` times :func:`hypothesis_scale`, at least 1."""
    return max(1, round(examples * hypothesis_scale()))


# --------------------------------------------------------------------------- schema walk

@dataclass(frozen=True, slots=True)
class _Slot:
    """A scalar or json field reachable from a record through to-one hops."""

    segments: tuple[str, ...]
    field: Field


@dataclass(frozen=True, slots=True)
class _Reach:
    """What a record lets a filter touch: fields (via to-one hops) and to-many relations."""

    slots: tuple[_Slot, ...]
    lists: tuple[tuple[tuple[str, ...], Relation], ...]


def _allowed(scope: str | None, scopes: frozenset[str]) -> bool:
    return scope is None or scope in scopes


@lru_cache(maxsize=256)
def _reach(schema: Schema, record: RecordType, scopes: frozenset[str], max_hops: int = 2) -> _Reach:
    slots: list[_Slot] = []
    lists: list[tuple[tuple[str, ...], Relation]] = []

    def walk(rec: RecordType, prefix: tuple[str, ...], hops: int, seen: tuple[str, ...]) -> None:
        for f in rec.fields:
            if _allowed(f.scope, scopes):
                slots.append(_Slot((*prefix, f.name), f))
        for rel in rec.relations:
            if not _allowed(rel.scope, scopes):
                continue
            if rel.many:
                lists.append(((*prefix, rel.name), rel))
            elif hops < max_hops and rel.target not in seen:
                walk(schema.target(rel), (*prefix, rel.name), hops + 1, (*seen, rel.target))

    walk(record, (), 0, (record.name,))
    return _Reach(tuple(slots), tuple(lists))


# --------------------------------------------------------------------------- literals

_SPECIAL_CHARS = (
    '"', "'", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\x01", "\x1f", "\x7f", " ", "%", "_",
    "[", "]", ".", "-", "é", "É", "\u00a0", "\u2028", "\ufeff", "\U0001f600", "日", "ß",
)
_TEXT_CHARS = st.one_of(
    st.sampled_from(_SPECIAL_CHARS),
    st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
)


def _texts(max_size: int = 10) -> st.SearchStrategy[str]:
    return st.text(_TEXT_CHARS, max_size=max_size)


_KEY_SAMPLES = (
    "tier", "team-id", "a.b", "c d", "", " ", 'say "hi"', "it's", "back\\slash", "[x]", "in",
    "AND", "null", "true", "any", "now", "1abc", "123", "é", "日本", "\U0001f600", "tab\there",
    "%_", "$", "a/b", "customer", "x",
)


def _json_keys() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(_KEY_SAMPLES), _texts(6),
                     st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True))


def _random_case(text: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(text), max_size=len(text)).map(
        lambda flags: "".join(c.upper() if up else c.lower()
                              for c, up in zip(text, flags, strict=True)))


def uuid_texts() -> st.SearchStrategy[str]:
    """Valid UUID literals: the 36-character hyphenated form, in any case."""
    return st.uuids().map(str).flatmap(
        lambda u: st.one_of(st.just(u), st.just(u.upper()), _random_case(u)))


_DATES = st.dates(min_value=date(2, 1, 1), max_value=date(9998, 12, 31))


@st.composite
def timestamp_texts(draw: st.DrawFn) -> str:
    """Valid timestamp literals: dates, RFC 3339 with ``Z``/``z`` or an offset, 0-6 fraction
    digits, ``T`` or ``t`` (years 0002-9998, so any offset stays within 0001-9999 in UTC)."""
    day = draw(_DATES)
    text = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    if draw(st.integers(0, 4)) == 0:
        return text
    moment = draw(st.times())
    text += draw(st.sampled_from("Tt")) + moment.strftime("%H:%M:%S")
    digits = draw(st.integers(0, 6))
    if digits:
        text += "." + f"{moment.microsecond:06d}"[:digits]
    zone = draw(st.integers(0, 3))
    if zone == 0:
        return text + "Z"
    if zone == 1:
        return text + "z"
    sign = draw(st.sampled_from("+-"))
    return text + f"{sign}{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}"


@st.composite
def _numbers(draw: st.DrawFn) -> Decimal:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return Decimal(draw(st.sampled_from(("0", "-0", "1", "-1", "0.5", "1e-7", "1e21",
                                             "123.4500", "-0.001", "9999999999"))))
    if kind <= 6:
        value = Decimal(draw(st.integers(-10**7, 10**7))).scaleb(-draw(st.integers(0, 4)))
        return value
    digits = draw(st.integers(1, 34))
    mantissa = draw(st.integers(10 ** (digits - 1), 10**digits - 1))
    exponent = draw(st.integers(-300, 300 - digits))
    sign = 1 if draw(st.booleans()) else 0
    return Decimal((sign, tuple(int(d) for d in str(mantissa)), exponent))


def _number_literals() -> st.SearchStrategy[ast.Number]:
    return st.builds(ast.Number, _numbers())


def _string_literals(max_size: int = 10) -> st.SearchStrategy[ast.String]:
    return st.builds(ast.String, _texts(max_size))


def _durations() -> st.SearchStrategy[ast.Duration]:
    # Bounded so that any sum of three shifts stays well within a few centuries.
    limits = {"ms": 10**11, "s": 10**8, "m": 10**6, "h": 10**5, "d": 10**4, "w": 1000}
    return st.sampled_from(list(ast.DurationUnit)).flatmap(
        lambda unit: st.builds(ast.Duration, st.integers(0, limits[unit.value]), st.just(unit)))


@st.composite
def _time_exprs(draw: st.DrawFn) -> ast.TimeExpr:
    shifts = tuple(draw(st.lists(
        st.builds(ast.Shift, st.sampled_from((1, -1)), _durations()), max_size=3)))
    if not shifts or draw(st.booleans()):
        return ast.TimeExpr(ast.Now(), shifts)
    day = draw(st.dates(min_value=date(1000, 1, 1), max_value=date(8999, 12, 31)))
    base = draw(st.sampled_from((
        day.isoformat(),
        datetime.combine(day, time(draw(st.integers(0, 23))), UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )))
    return ast.TimeExpr(ast.String(base), shifts)


def _timestamp_values() -> st.SearchStrategy[ast.Value]:
    return st.one_of(st.builds(ast.String, timestamp_texts()), _time_exprs())


def _booleans() -> st.SearchStrategy[ast.Boolean]:
    return st.builds(ast.Boolean, st.booleans())


def _like_pattern(text: str) -> str:
    """``text`` made a valid LIKE pattern: no trailing lone backslash."""
    trailing = len(text) - len(text.rstrip("\\"))
    return text + "\\" if trailing % 2 else text


_VALUES_BY_TYPE: dict[FieldType, Callable[[], st.SearchStrategy[ast.Value]]] = {
    FieldType.STRING: _string_literals,
    FieldType.UUID: lambda: st.builds(ast.String, uuid_texts()),
    FieldType.INTEGER: _number_literals,
    FieldType.DECIMAL: _number_literals,
    FieldType.FLOAT: _number_literals,
    FieldType.BOOLEAN: _booleans,
    FieldType.TIMESTAMP: _timestamp_values,
}
_COMPARE = list(COMPARISON_OPERATORS)
_EQUALITY = [Operator.EQ, Operator.NE]


# --------------------------------------------------------------------------- predicates

@st.composite
def _scalar_predicate(draw: st.DrawFn, path: ast.Path, ftype: FieldType) -> ast.Expr:
    values = _VALUES_BY_TYPE[ftype]
    ops = set(ftype.operators)
    forms = ["compare", "is_null"]
    if "IN" in ops:
        forms.append("in")
    if "BETWEEN" in ops:
        forms.append("between")
    if "LIKE" in ops:
        forms.append("pattern")
    if "bare" in ops:
        forms.append("bare")
    form = draw(st.sampled_from(forms))
    if form == "compare":
        op = draw(st.sampled_from(_COMPARE if "<" in ops else _EQUALITY))
        return ast.Comparison(path, op, draw(values()))
    if form == "is_null":
        return ast.IsNull(path, draw(st.booleans()))
    if form == "in":
        items = draw(st.lists(values(), min_size=1, max_size=4))
        return ast.InList(path, tuple(items), draw(st.booleans()))
    if form == "between":
        return ast.Between(path, draw(values()), draw(values()), draw(st.booleans()))
    if form == "pattern":
        op = draw(st.sampled_from(list(PATTERN_OPERATORS)))
        text = draw(_texts())
        if op in (Operator.LIKE, Operator.ILIKE):
            text = _like_pattern(text)
        return ast.PatternMatch(path, op, ast.String(text), draw(st.booleans()))
    return ast.Comparison(path, Operator.EQ, ast.Boolean(True))  # bare boolean path


@st.composite
def _json_predicate(draw: st.DrawFn, path: ast.Path) -> ast.Expr:
    form = draw(st.sampled_from(("compare", "compare", "in", "between", "pattern", "is_null",
                                 "bare")))
    kind = draw(st.sampled_from(("string", "number", "boolean")))
    literal: Callable[[], st.SearchStrategy[ast.Value]] = {
        "string": _string_literals, "number": _number_literals, "boolean": _booleans,
    }[kind]
    if form == "compare":
        ops = _EQUALITY if kind == "boolean" else _COMPARE
        return ast.Comparison(path, draw(st.sampled_from(ops)), draw(literal()))
    if form == "in":
        items = draw(st.lists(literal(), min_size=1, max_size=4))
        return ast.InList(path, tuple(items), draw(st.booleans()))
    if form == "between" and kind != "boolean":
        return ast.Between(path, draw(literal()), draw(literal()), draw(st.booleans()))
    if form == "pattern":
        op = draw(st.sampled_from(list(PATTERN_OPERATORS)))
        text = draw(_texts())
        if op in (Operator.LIKE, Operator.ILIKE):
            text = _like_pattern(text)
        return ast.PatternMatch(path, op, ast.String(text), draw(st.booleans()))
    if form == "bare":
        return ast.Comparison(path, Operator.EQ, ast.Boolean(True))
    return ast.IsNull(path, draw(st.booleans()))


@st.composite
def _slot_predicate(draw: st.DrawFn, slot: _Slot) -> ast.Expr:
    if slot.field.type is not FieldType.JSON:
        return draw(_scalar_predicate(ast.Path(slot.segments), slot.field.type))
    keys = draw(st.lists(_json_keys(), max_size=3))
    if not keys:
        return ast.IsNull(ast.Path(slot.segments), draw(st.booleans()))
    return draw(_json_predicate(ast.Path((*slot.segments, *keys))))


_FAMILY_TYPES = (FieldType.STRING, FieldType.UUID, FieldType.INTEGER, FieldType.DECIMAL,
                 FieldType.FLOAT, FieldType.TIMESTAMP)


@st.composite
def _field_to_field(draw: st.DrawFn, reach: _Reach) -> ast.Expr | None:
    candidates = [s for s in reach.slots if s.field.type in _FAMILY_TYPES]
    if not candidates:
        return None
    left = draw(st.sampled_from(candidates))
    family = left.field.type.family
    right = draw(st.sampled_from([s for s in candidates if s.field.type.family == family]))
    ops = _EQUALITY if left.field.type is FieldType.UUID else _COMPARE
    return ast.Comparison(ast.Path(left.segments), draw(st.sampled_from(ops)),
                          ast.Path(right.segments))


# --------------------------------------------------------------------------- expressions

@dataclass(frozen=True, slots=True)
class _Context:
    schema: Schema
    scopes: frozenset[str]
    max_quantifier_depth: int


@st.composite
def _expr(draw: st.DrawFn, ctx: _Context, record: RecordType, budget: int, levels: int,
          qdepth: int) -> ast.Expr:
    reach = _reach(ctx.schema, record, ctx.scopes)
    choices = ["leaf"] * 4
    if budget >= 2 and levels > 0:
        choices += ["and", "and", "or", "or", "not"]
    if reach.lists and qdepth < ctx.max_quantifier_depth and levels > 0:
        choices += ["quantifier"] * 2
    choice = draw(st.sampled_from(choices))
    if choice in ("and", "or"):
        count = draw(st.integers(2, min(4, budget)))
        share = max(1, budget // count)
        operands = [draw(_expr(ctx, record, share, levels - 1, qdepth)) for _ in range(count)]
        combine = ast.conjoin if choice == "and" else ast.disjoin
        return combine(operands)
    if choice == "not":
        return ast.Not(draw(_expr(ctx, record, budget, levels - 1, qdepth)))
    if choice == "quantifier":
        segments, relation = draw(st.sampled_from(reach.lists))
        inner = ctx.schema.target(relation)
        condition = draw(_expr(ctx, inner, max(1, budget - 1), levels - 1, qdepth + 1))
        kind = draw(st.sampled_from(list(ast.QuantifierKind)))
        return ast.Quantified(kind, ast.Path(segments), condition)
    if reach.slots and draw(st.integers(0, 7)) == 0:
        compared = draw(_field_to_field(reach))
        if compared is not None:
            return compared
    if not reach.slots:  # a record without fields: only quantifiers can test it
        segments, relation = reach.lists[0]
        inner = ctx.schema.target(relation)
        return ast.Quantified(ast.QuantifierKind.ANY, ast.Path(segments),
                              draw(_expr(ctx, inner, 1, 0, qdepth + 1)))
    return draw(_slot_predicate(draw(st.sampled_from(reach.slots))))


def _fits(tree: ast.Expr) -> bool:
    return len(to_q(tree)) <= DEFAULT_LIMITS.max_length


def typed_filters(
    schema: Schema = RUN_SCHEMA,
    scopes: Collection[str] = (),
    *,
    max_leaves: int = 8,
    max_levels: int = 4,
    allow_empty: bool = True,
) -> st.SearchStrategy[ast.Expr]:
    """Well-typed syntax trees over ``schema`` for a caller holding ``scopes``.

    Trees are in the form :func:`qexpr.parse` returns (flattened AND/OR, bare boolean paths as
    ``path = true``, negative numbers folded in), within the default limits, so
    ``parse(to_q(tree)) == tree`` and ``compile(to_q(tree), schema, scopes)`` succeeds.
    """
    ctx = _Context(schema, frozenset(scopes), DEFAULT_LIMITS.max_quantifier_depth)
    trees = st.integers(1, max_leaves).flatmap(
        lambda budget: _expr(ctx, schema.root_record, budget, max_levels, 0)).filter(_fits)
    if allow_empty:
        return st.one_of(st.just(ast.MatchAll()), trees, trees, trees, trees, trees)
    return trees


def typed_texts(schema: Schema = RUN_SCHEMA, scopes: Collection[str] = (),
                **options: int | bool) -> st.SearchStrategy[str]:
    """:func:`typed_filters` printed as q text."""
    return typed_filters(schema, scopes, **options).map(to_q)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- tree surgery

Index = tuple[int, ...]


def children(node: ast.Expr) -> tuple[ast.Expr, ...]:
    """Logical children: operands of AND/OR, the operand of NOT, a quantifier's condition."""
    if isinstance(node, (ast.And, ast.Or)):
        return node.operands
    if isinstance(node, ast.Not):
        return (node.operand,)
    if isinstance(node, ast.Quantified):
        return (node.condition,)
    return ()


def node_at(tree: ast.Expr, index: Index) -> ast.Expr:
    """The node reached from ``tree`` by child positions ``index``."""
    for position in index:
        tree = children(tree)[position]
    return tree


def replace_at(tree: ast.Expr, index: Index, new: ast.Expr) -> ast.Expr:
    """``tree`` with the node at ``index`` replaced by ``new`` (no re-flattening)."""
    if not index:
        return new
    head, rest = index[0], index[1:]
    if isinstance(tree, (ast.And, ast.Or)):
        operands = list(tree.operands)
        operands[head] = replace_at(operands[head], rest, new)
        return type(tree)(tuple(operands))
    if isinstance(tree, ast.Not):
        return ast.Not(replace_at(tree.operand, rest, new))
    if isinstance(tree, ast.Quantified):
        return ast.Quantified(tree.kind, tree.path, replace_at(tree.condition, rest, new))
    raise IndexError(index)


@dataclass(frozen=True, slots=True)
class Site:
    """A predicate in a tree: where it is, and the record its paths resolve in."""

    index: Index
    node: ast.Expr
    record: RecordType


def sites(schema: Schema, tree: ast.Expr) -> list[Site]:
    """Every predicate (quantifiers included) with the record its paths resolve in."""
    out: list[Site] = []

    def walk(node: ast.Expr, index: Index, record: RecordType) -> None:
        if isinstance(node, ast.MatchAll):
            return
        if isinstance(node, ast.PREDICATE_TYPES):
            out.append(Site(index, node, record))
        if isinstance(node, ast.Quantified):
            resolved = resolve(schema, record, node.path, _all_scopes(schema))
            assert resolved.relation is not None
            walk(node.condition, (*index, 0), schema.target(resolved.relation))
            return
        for position, child in enumerate(children(node)):
            walk(child, (*index, position), record)

    walk(tree, (), schema.root_record)
    return out


@lru_cache(maxsize=16)
def _all_scopes(schema: Schema) -> frozenset[str]:
    found = set()
    for rec in schema.records:
        found.update(f.scope for f in rec.fields if f.scope)
        found.update(r.scope for r in rec.relations if r.scope)
    return frozenset(found)


# --------------------------------------------------------------------------- mutations

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Mutation:
    """A damaged tree, the code validation must report, and where.

    ``locate`` maps the tree :func:`qexpr.parse` returns for ``to_q(tree)`` to the expected
    (start, end) of the one error.
    """

    kind: str
    tree: ast.Expr
    code: ErrorCode
    locate: Callable[[ast.Expr], Span]

    @property
    def text(self) -> str:
        return to_q(self.tree)


def _span(node: ast.Node) -> Span:
    return (node.start, node.end)


def _value_slots(node: ast.Expr) -> list[tuple[str, int]]:
    """Literal positions of a predicate: ("operand", 0), ("values", i), ("low"/"high", 0)."""
    if isinstance(node, ast.Comparison) and not isinstance(node.operand, ast.Path):
        return [("operand", 0)]
    if isinstance(node, ast.InList):
        return [("values", i) for i in range(len(node.values))]
    if isinstance(node, ast.Between):
        return [("low", 0), ("high", 0)]
    return []


def _get_value(node: ast.Expr, where: tuple[str, int]) -> ast.Value:
    name, position = where
    if name == "values":
        assert isinstance(node, ast.InList)
        return node.values[position]
    value = getattr(node, name)
    assert not isinstance(value, ast.Path)
    return value  # type: ignore[no-any-return]


def _set_value(node: ast.Expr, where: tuple[str, int], value: ast.Value) -> ast.Expr:
    name, position = where
    if isinstance(node, ast.InList):
        values = list(node.values)
        values[position] = value
        return ast.InList(node.path, tuple(values), node.negated)
    if isinstance(node, ast.Between):
        low = value if name == "low" else node.low
        high = value if name == "high" else node.high
        return ast.Between(node.path, low, high, node.negated)
    assert isinstance(node, ast.Comparison)
    return ast.Comparison(node.path, node.op, value)


_WRONG_KINDS: dict[FieldType, tuple[str, ...]] = {
    FieldType.STRING: ("number", "boolean", "time"),
    FieldType.UUID: ("number", "boolean", "time"),
    FieldType.INTEGER: ("string", "boolean", "time"),
    FieldType.DECIMAL: ("string", "boolean", "time"),
    FieldType.FLOAT: ("string", "boolean", "time"),
    FieldType.BOOLEAN: ("string", "number", "time"),
    FieldType.TIMESTAMP: ("number", "boolean"),
}


def _literal_of(draw: st.DrawFn, kind: str) -> ast.Value:
    if kind == "number":
        return draw(_number_literals())
    if kind == "boolean":
        return draw(_booleans())
    if kind == "string":
        return draw(_string_literals())
    return draw(_time_exprs())


def _locate_value(index: Index, where: tuple[str, int]) -> Callable[[ast.Expr], Span]:
    return lambda parsed: _span(_get_value(node_at(parsed, index), where))


@st.composite
def _wrong_literal(draw: st.DrawFn, schema: Schema, tree: ast.Expr) -> Mutation | None:
    options = [(s, w) for s in sites(schema, tree) for w in _value_slots(s.node)]
    if not options:
        return None
    site, where = draw(st.sampled_from(options))
    assert isinstance(site.node, (ast.Comparison, ast.InList, ast.Between))
    resolved = resolve(schema, site.record, site.node.path, _all_scopes(schema))
    if resolved.is_json_path:
        bad: ast.Value = draw(_time_exprs())
    else:
        assert resolved.type is not None
        bad = _literal_of(draw, draw(st.sampled_from(_WRONG_KINDS[resolved.type])))
    mutated = replace_at(tree, site.index, _set_value(site.node, where, bad))
    return Mutation("wrong_literal", mutated, ErrorCode.TYPE_MISMATCH,
                    _locate_value(site.index, where))


_NOT_UUIDS = ("", "nope", "3c90c3cc-0d44-4b50-8888-8dd25736052", "3c90c3cc0d444b5088888dd25736052a",
              "{3c90c3cc-0d44-4b50-8888-8dd25736052a}", "3c90c3cc-0d44-4b50-8888-8dd25736052g",
              " 3c90c3cc-0d44-4b50-8888-8dd25736052a")
_NOT_TIMESTAMPS = ("", "yesterday", "2024-01-01T00:00:00", "2024-01-01 00:00:00Z",
                   "2024-01-01T00:00:00.1234567Z", "2024-01-01T24:00:00Z", "2024-01-01T23:59:60Z",
                   "0000-01-01", "2024-02-30", "2024-13-01", "2024-1-1", "2024-01-01T00:00Z",
                   "2024-01-01T00:00:00+24:00", "2024-01-01T00:00:00+0200", "20240101")


@st.composite
def _bad_content(draw: st.DrawFn, schema: Schema, tree: ast.Expr) -> Mutation | None:
    options = []
    for s in sites(schema, tree):
        if isinstance(s.node, ast.Quantified) or not _value_slots(s.node):
            continue
        resolved = resolve(schema, s.record, s.node.path, _all_scopes(schema))
        if not resolved.is_json_path and resolved.type in (FieldType.UUID, FieldType.TIMESTAMP):
            options.extend((s, w, resolved.type) for w in _value_slots(s.node))
    if not options:
        return None
    site, where, ftype = draw(st.sampled_from(options))
    samples = _NOT_UUIDS if ftype is FieldType.UUID else _NOT_TIMESTAMPS
    bad = ast.String(draw(st.sampled_from(samples)))
    mutated = replace_at(tree, site.index, _set_value(site.node, where, bad))
    return Mutation("bad_content", mutated, ErrorCode.INVALID_LITERAL,
                    _locate_value(site.index, where))


def _paths_of(node: ast.Expr) -> list[str]:
    """Which paths of a predicate may be misspelled: "path" and, field-to-field, "operand"."""
    names = ["path"]
    if isinstance(node, ast.Comparison) and isinstance(node.operand, ast.Path):
        names.append("operand")
    return names


def _with_path(node: ast.Expr, which: str, path: ast.Path) -> ast.Expr:
    if which == "operand":
        assert isinstance(node, ast.Comparison)
        return ast.Comparison(node.path, node.op, path)
    if isinstance(node, ast.Comparison):
        return ast.Comparison(path, node.op, node.operand)
    if isinstance(node, ast.InList):
        return ast.InList(path, node.values, node.negated)
    if isinstance(node, ast.Between):
        return ast.Between(path, node.low, node.high, node.negated)
    if isinstance(node, ast.PatternMatch):
        return ast.PatternMatch(path, node.op, node.pattern, node.negated)
    if isinstance(node, ast.IsNull):
        return ast.IsNull(path, node.negated)
    assert isinstance(node, ast.Quantified)
    return ast.Quantified(node.kind, path, node.condition)


def _schema_segments(schema: Schema, record: RecordType, path: ast.Path) -> int:
    """How many leading segments of ``path`` name fields or relations (not json keys)."""
    resolved = resolve(schema, record, path, _all_scopes(schema))
    return len(path.segments) - len(resolved.json_keys)


@dataclass(frozen=True, slots=True)
class Misspelling:
    """Extra facts about a ``misspelled_field`` mutation (for checking the suggestion)."""

    segments: tuple[str, ...]
    position: int
    original: str


@st.composite
def _misspelled(draw: st.DrawFn, schema: Schema, tree: ast.Expr) -> Mutation | None:
    options = [(s, which) for s in sites(schema, tree) for which in _paths_of(s.node)]
    if not options:
        return None
    site, which = draw(st.sampled_from(options))
    path = getattr(site.node, which)
    assert isinstance(path, ast.Path)
    position = draw(st.integers(0, _schema_segments(schema, site.record, path) - 1))
    original = path.segments[position]
    # Find the record the segment is looked up in, to be sure the misspelling is not a member.
    names = _member_names_along(schema, site.record, path, position)
    swapped = original.swapcase()
    style = draw(st.sampled_from(("suffix", "case", "drop")))
    if style == "case" and swapped != original and swapped not in names:
        wrong = swapped
    elif style == "drop" and len(original) > 3 and original[:-1] not in names:
        wrong = original[:-1]
    else:
        wrong = original + "_zz"
    assert wrong not in names
    segments = (*path.segments[:position], wrong, *path.segments[position + 1:])
    mutated = replace_at(tree, site.index, _with_path(site.node, which, ast.Path(segments)))

    def locate(parsed: ast.Expr) -> Span:
        written = getattr(node_at(parsed, site.index), which)
        return written.segment_spans[position]  # type: ignore[no-any-return]

    return Mutation(f"misspelled_{style}", mutated, ErrorCode.UNKNOWN_FIELD, locate)


def _member_names_along(schema: Schema, record: RecordType, path: ast.Path,
                        position: int) -> frozenset[str]:
    current = record
    for name in path.segments[:position]:
        member = current.member(name)
        assert isinstance(member, Relation)
        current = schema.target(member)
    return frozenset(current.member_names())


def _first_plain_predicate(node: ast.Expr) -> tuple[Index, ast.Expr] | None:
    """The first predicate of a quantifier's condition that is not a quantifier and not a
    field-to-field comparison (not looking into nested quantifiers)."""
    if isinstance(node, ast.Quantified):
        return None
    if isinstance(node, ast.PREDICATE_TYPES):
        if isinstance(node, ast.Comparison) and isinstance(node.operand, ast.Path):
            return None
        return (), node
    for position, child in enumerate(children(node)):
        found = _first_plain_predicate(child)
        if found is not None:
            return (position, *found[0]), found[1]
    return None


@st.composite
def _unquantified(draw: st.DrawFn, schema: Schema, tree: ast.Expr) -> Mutation | None:
    options = []
    for s in sites(schema, tree):
        if isinstance(s.node, ast.Quantified):
            found = _first_plain_predicate(s.node.condition)
            if found is not None:
                options.append((s, found[1]))
    if not options:
        return None
    site, inner = draw(st.sampled_from(options))
    assert isinstance(site.node, ast.Quantified)
    inner_path = inner.path  # type: ignore[union-attr]
    moved = _with_path(inner, "path", ast.Path((*site.node.path.segments, *inner_path.segments)))
    mutated = replace_at(tree, site.index, moved)

    def locate(parsed: ast.Expr) -> Span:
        node = node_at(parsed, site.index)
        return _span(node.path)  # type: ignore[union-attr]

    return Mutation("unquantified", mutated, ErrorCode.QUANTIFIER_REQUIRED, locate)


@st.composite
def _null_literal(draw: st.DrawFn, schema: Schema, tree: ast.Expr) -> Mutation | None:
    options = []
    for s in sites(schema, tree):
        if isinstance(s.node, ast.Quantified):
            continue
        resolved = resolve(schema, s.record, s.node.path, _all_scopes(schema))
        if resolved.type is FieldType.JSON and not resolved.is_json_path:
            continue  # the json field itself: only IS NULL applies (unsupported_operator)
        options.append(s)
    if not options:
        return None
    site = draw(st.sampled_from(options))
    node = site.node
    assert not isinstance(node, ast.Quantified)
    in_list = isinstance(node, ast.InList) and draw(st.booleans())
    if in_list:
        assert isinstance(node, ast.InList)
        where = ("values", draw(st.integers(0, len(node.values) - 1)))
        new: ast.Expr = _set_value(node, where, ast.Null())
        kind = "null_in_list"
        locate = _locate_value(site.index, where)
    else:
        op = draw(st.sampled_from(_EQUALITY))
        new = ast.Comparison(node.path, op, ast.Null())
        kind = "eq_null" if op is Operator.EQ else "ne_null"
        locate = _locate_value(site.index, ("operand", 0))
    return Mutation(kind, replace_at(tree, site.index, new), ErrorCode.NULL_COMPARISON, locate)


_MUTATORS = (_wrong_literal, _bad_content, _misspelled, _unquantified, _null_literal)


@st.composite
def mutations(draw: st.DrawFn, schema: Schema, tree: ast.Expr) -> Mutation | None:
    """One ill-typed mutation of the well-typed ``tree`` (None when no mutator applies)."""
    order = draw(st.permutations(range(len(_MUTATORS))))
    for position in order:
        mutation = draw(_MUTATORS[position](schema, tree))
        if mutation is not None:
            return mutation  # type: ignore[no-any-return]
    return None
