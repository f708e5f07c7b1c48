"""The root "TRUE?" check as one generated function, built from the plan's structure only.

Calling one closure per plan node costs a Python call per node; a function that evaluates the
whole ``AND``/``OR``/``NOT`` tree of direct comparisons inline costs one. The source of that
function is produced from the *shape* of the plan alone: every name in it is a generated
placeholder (``k0``, ``l0``, ``x0``, ...), and every field name, relation name, key and literal
reaches the function as a closure cell (an argument of the factory it is created by), never as
source text. Operators are spelled from the fixed table :data:`SPELLING`. Nodes without an
inline form (JSON paths, quantifiers, ``IN``, ``BETWEEN``, patterns other than the plain
substring tests, ...) are compiled by :class:`~.compiler.PredicateCompiler` and called.

The expressions are those of :mod:`.leaves` written out (same reads, same coercions), so the
generated check is TRUE exactly when the closure check is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from qexpr.backends.predicate.access import Place, Record
from qexpr.backends.predicate.compiler import PredicateCompiler, literal
from qexpr.backends.predicate.leaves import COMPLEMENT, Check
from qexpr.backends.predicate.values import COERCERS, EXACT_TYPES, is_record
from qexpr.operators import Operator
from qexpr.plan import nodes as plan
from qexpr.plan.nodes import FieldRef

#: Python spelling of each comparison (fixed text, never taken from a filter).
SPELLING: dict[Operator, str] = {
    Operator.EQ: "==", Operator.NE: "!=", Operator.LT: "<",
    Operator.LE: "<=", Operator.GT: ">", Operator.GE: ">=",
}


#: Deepest AND/OR nesting written as one expression; Python's own parser refuses source
#: nested past 200 parentheses, and servers may raise ``max_depth`` that far.
MAX_NESTING = 64


class _TooDeep(Exception):
    """The plan nests deeper than :data:`MAX_NESTING` (the closures serve it instead)."""


@dataclass(frozen=True, slots=True)
class Generated:
    """A generated check, its source text and the values bound to its placeholders."""

    check: Check
    source: str
    constants: tuple[Any, ...]


class _Builder:
    """Collects placeholders and their values while expressions are generated."""

    def __init__(self) -> None:
        self.compiler = PredicateCompiler(Place())
        self.names: list[str] = []
        self.values: list[Any] = []
        self.level = 0

    def bind(self, prefix: str, value: Any) -> str:
        name = f"{prefix}{len(self.names)}"
        self.names.append(name)
        self.values.append(value)
        return name

    # -- expressions -----------------------------------------------------------------------

    def expr(self, node: plan.Plan, want: bool) -> str:
        """An expression over ``r`` that is True when ``node`` is ``want`` (TRUE or FALSE)."""
        if isinstance(node, plan.Not):
            return self.expr(node.operand, not want)
        if isinstance(node, plan.And | plan.Or):
            self.level += 1
            if self.level > MAX_NESTING:
                raise _TooDeep
            parts = [self.expr(operand, want) for operand in node.operands]
            self.level -= 1
            joiner = " and " if isinstance(node, plan.And) == want else " or "
            return "(" + joiner.join(parts) + ")"
        inline = self._inline(node, want)
        if inline is not None:
            return inline
        test = self.compiler.visit(node)
        return f"{self.bind('c', test.true if want else test.false)}(r)"

    def _inline(self, node: plan.Plan, want: bool) -> str | None:
        if isinstance(node, plan.Compare) and node.json is None:
            read = self._read(node.left)
            if read is None:
                return None
            record, key, exact, ftype = read
            op = node.op if want else COMPLEMENT[node.op]
            lit = self.bind("l", literal(ftype, node.value))
            get = f"{record}.get({key})"
            if op is Operator.EQ and exact is str and isinstance(node.value, str):
                body = f"{get} == {lit}"  # only a string equals a string
            else:
                cls, coerce = self.bind("x", exact), self.bind("f", COERCERS[ftype])
                body = (f"((v := {get}).__class__ is {cls} or v is not None and "
                        f"(v := {coerce}(v)) is not None) and v {SPELLING[op]} {lit}")
            return self._within(node.left, body)
        if isinstance(node, plan.Pattern) and not node.left.is_json_path:
            method = {Operator.STARTS_WITH: "startswith", Operator.ENDS_WITH: "endswith",
                      Operator.CONTAINS: None}
            if node.op not in method:
                return None
            read = None if node.left.hops else self._read(node.left)
            if read is None or read[2] is not str:
                return None
            record, key = read[0], read[1]
            text = self.bind("s", node.text)
            holds = want != node.negated
            name = method[node.op]
            test = (f"v.{name}({text})" if name is not None else f"{text} in v")
            test = test if holds else f"not {test}"
            return self._within(node.left,
                                f"isinstance(v := {record}.get({key}), str) and {test}")
        return None

    def _read(self, ref: FieldRef) -> tuple[str, str, type, Any] | None:
        """``(record variable, key placeholder, exact class, field type)`` of a field read
        from the root record or across one to-one relation, or None."""
        if ref.json_keys or ref.field is None or len(ref.hops) > 1:
            return None
        if ref.hops and ref.hops[0].relation.many:
            return None
        exact = EXACT_TYPES.get(ref.field.type)
        if exact is None:
            return None
        self.compiler.note(ref)  # the relation the guard checks
        return ("o" if ref.hops else "r", self.bind("k", ref.field.name), exact, ref.field.type)

    def _within(self, ref: FieldRef, body: str) -> str:
        """``body`` evaluated on the related record when ``ref`` crosses a relation."""
        if not ref.hops:
            return f"({body})"
        hop = self.bind("h", ref.hops[0].relation.name)
        isrec = self.bind("y", is_record)
        return f"(((o := r.get({hop})).__class__ is dict or {isrec}(o)) and {body})"


def generate(tree: plan.Plan) -> Generated | None:
    """The "TRUE?" check of ``tree`` over root records, raising
    :class:`~.access.MissingRelationError` first for a record lacking a relation it uses;
    None when ``tree`` nests deeper than :data:`MAX_NESTING`."""
    builder = _Builder()
    try:
        body = builder.expr(tree, True)
    except _TooDeep:
        return None
    place = Place()
    guards: list[str] = []
    for relation in builder.compiler.root_relations.values():
        name = builder.bind("g", relation.name)
        error = builder.bind("e", partial(place.missing, (relation,), 0))
        guards.append(f"        if {name} not in r:\n            raise {error}()\n")
    source = (f"def factory({', '.join(builder.names)}):\n"
              "    def check(r):\n" + "".join(guards)
              + f"        return {body}\n"
              "    return check\n")
    namespace: dict[str, Any] = {"__builtins__": {"isinstance": isinstance, "str": str,
                                                  "dict": dict}}
    exec(compile(source, "<qexpr predicate>", "exec"), namespace)  # source from the plan shape only
    factory: Callable[..., Check] = namespace["factory"]
    check: Callable[[Record], bool] = factory(*builder.values)
    return Generated(check, source, tuple(builder.values))
