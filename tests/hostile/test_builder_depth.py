"""Item 4: builder trees of any depth. Nothing but ``QError`` comes out of the builder,
``to_q``, ``to_filter``, ``qexpr.to_q`` or ``qexpr.from_tree``; a condition nested deeper than
any limits allow is refused when it would be made (``limit_exceeded``), and the depth the
builder counts is exactly the one the parser counts on the printed text.

Conditions are made by random programs over a schema whose records nest without end (``kids``),
so ``any_``/``all_`` can be stacked too: chains of ``&``, ``|``, ``~``, groups, quantifiers and
leaves that open parentheses of their own (``IN``, ``now()``, BETWEEN ... AND ``now()``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr import QError, all_, any_, handles, not_, now, or_, runs
from qexpr.builder import Condition
from qexpr.errors import ErrorCode
from qexpr.limits import DEFAULT_LIMITS, MAX_SUPPORTED_DEPTH, Limits
from qexpr.schema.model import Schema, fields, record, to_many
from qexpr.syntax import ast
from qexpr.syntax.canonical import nesting, unchecked_q
from tests.builder.strategies import scaled

NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)
TREE = Schema("Tree", (record("Tree", fields("id:integer n:integer t:timestamp ok:boolean "
                                             "meta:json"),
                              to_many("kids", "Tree", remote_key="parent_id")),))
trees = handles(TREE)
#: The widest limits: only the depth limit of the library itself remains.
WIDE = Limits(max_length=10**7, max_depth=MAX_SUPPORTED_DEPTH, max_predicates=10**6,
              max_in_values=10**6, max_quantifier_depth=MAX_SUPPORTED_DEPTH)
RECORD = {"id": 1, "n": 2, "t": "2024-01-01T00:00:00Z", "ok": True, "meta": {"x": 1},
          "kids": []}


def _leaves(h: Any, i: int) -> list[Condition]:
    return [h.n > i, h.n.in_([1, i]), h.t.between(date(2024, 1, 1), now()),
            h.t.between(now() - timedelta(days=1), date(2030, 1, 1)), h.t > now(), h.ok == True,  # noqa: E712
            h.meta.x == True, h.n.is_null(), ~(h.n < i)]  # noqa: E712


def _level(depth: int) -> Any:
    """The handle of the records ``depth`` quantifiers down (``trees.kids.kids...``)."""
    handle: Any = trees
    for _ in range(depth):
        handle = handle.kids
    return handle


#: A step: (what it does to the condition, the tree it must give).
Step = Callable[[Condition], tuple[Callable[[], Condition], Callable[[], ast.Expr]]]


def _step(op: str, leaf: Condition | None, relation: Any) -> Step:
    def apply(c: Condition) -> tuple[Callable[[], Condition], Callable[[], ast.Expr]]:
        assert leaf is not None or op in ("any", "all")
        if op == "and":
            return (lambda: c & leaf), (lambda: ast.conjoin([c.tree, leaf.tree]))
        if op == "rand":
            return (lambda: leaf & c), (lambda: ast.conjoin([leaf.tree, c.tree]))
        if op == "or":
            return (lambda: c | leaf), (lambda: ast.disjoin([c.tree, leaf.tree]))
        if op == "ror":
            return (lambda: or_(leaf, c)), (lambda: ast.disjoin([leaf.tree, c.tree]))
        if op == "not":
            return (lambda: ~c), (lambda: ast.Not(c.tree))
        if op == "not_or":
            return (lambda: not_(c | leaf)), (lambda: ast.Not(ast.disjoin([c.tree, leaf.tree])))
        kind = ast.QuantifierKind.ANY if op == "any" else ast.QuantifierKind.ALL
        quantify = any_ if op == "any" else all_
        return ((lambda: quantify(relation, c)),
                (lambda: ast.Quantified(kind, ast.Path(relation._path), c.tree)))
    return apply


_LOGIC = ("and", "rand", "or", "ror", "not", "not_or")


@st.composite
def programs(draw: st.DrawFn) -> tuple[int, int, list[list[tuple[str, int, int]]]]:
    """Quantifier levels, the first leaf and, per level from the innermost, runs of (step,
    repeat, leaf)."""
    levels = draw(st.one_of(st.integers(0, 3), st.integers(0, MAX_SUPPORTED_DEPTH + 5)))
    many = levels <= 3  # long runs at few levels, short ones at many
    runs_of = st.lists(st.tuples(st.sampled_from(_LOGIC), st.integers(1, 60 if many else 2),
                                 st.integers(0, 8)), max_size=4 if many else 1)
    plan = [draw(runs_of) for _ in range(levels + 1)]
    return levels, draw(st.integers(0, 8)), plan


def _never_raise(c: Condition) -> None:
    assert c == c and hash(c) == hash(c)
    assert repr(c).startswith("Condition(")


def _refused_agrees(expected: ast.Expr) -> None:
    """The tree the builder refused prints to text the parser refuses at every limit."""
    assert nesting(expected).depth > MAX_SUPPORTED_DEPTH
    with pytest.raises(QError) as caught:
        qexpr.to_q(expected)
    assert caught.value.code is ErrorCode.LIMIT_EXCEEDED
    with pytest.raises(QError) as parsed:
        qexpr.parse(unchecked_q(expected), limits=WIDE)
    assert parsed.value.code is ErrorCode.LIMIT_EXCEEDED


def run(levels: int, first: int, plan: list[list[tuple[str, int, int]]]) -> Condition | None:
    """Carry out the program; every refusal is checked. None: the quantifiers were refused."""
    c: Condition | None = None
    for level in range(levels, -1, -1):
        h = _level(level)
        if c is None:
            c = _leaves(h, level)[first]
        else:
            relation = _level(level + 1) if level + 1 <= levels else None
            assert relation is not None
            made, expected = _step("any" if level % 2 else "all", None, relation)(c)
            try:
                c = made()
            except QError as error:
                assert error.code is ErrorCode.LIMIT_EXCEEDED
                _refused_agrees(expected())
                event("quantifier refused when made")
                return None
            assert c.tree == expected()
        for op, repeat, which in plan[levels - level]:
            for i in range(repeat):
                leaf = _leaves(h, i)[which]
                made, expected = _step(op, leaf, None)(c)
                try:
                    c = made()
                except QError as error:
                    assert error.code is ErrorCode.LIMIT_EXCEEDED
                    _refused_agrees(expected())
                    event("refused when made")
                    break
                assert c.tree == expected()
            _never_raise(c)
    return c


def _checks_like_compile(c: Condition, limits: Limits) -> None:
    """``to_filter`` gives what ``compile`` gives for the printed text, error or filter."""
    text = c.to_q()
    try:
        expected = qexpr.compile(text, schema=TREE, now=NOW, limits=limits)
    except QError as error:
        assert error.code is ErrorCode.LIMIT_EXCEEDED
        with pytest.raises(QError) as caught:
            c.to_filter(now=NOW, limits=limits)
        assert caught.value.code is ErrorCode.LIMIT_EXCEEDED
        return
    built = c.to_filter(now=NOW, limits=limits)
    assert built == expected
    assert isinstance(built.matches(RECORD), bool)


@settings(max_examples=scaled(40), deadline=None)
@given(programs())
def test_builder_trees_of_any_depth(
        program: tuple[int, int, list[list[tuple[str, int, int]]]]) -> None:
    c = run(*program)
    if c is None:
        return
    _never_raise(c)
    depth = c.depth
    assert depth <= MAX_SUPPORTED_DEPTH
    event("depth beyond the default limit" if depth > DEFAULT_LIMITS.max_depth
          else "depth within the default limit")
    _checks_like_compile(c, DEFAULT_LIMITS)
    # The builder's depth is the parser's: max_depth = depth compiles, depth - 1 is refused.
    assert c.to_filter(now=NOW, limits=WIDE) == qexpr.compile(c.to_q(), schema=TREE, now=NOW,
                                                              limits=WIDE)
    if depth > 1:  # max_depth is at least 1
        with pytest.raises(QError) as caught:
            c.to_filter(now=NOW, limits=replace(WIDE, max_depth=depth - 1))
        assert caught.value.code is ErrorCode.LIMIT_EXCEEDED
        assert "levels deep" in caught.value.message


def _parser_depth(text: str) -> int:
    """The least ``max_depth`` the parser accepts ``text`` with."""
    for depth in range(1, MAX_SUPPORTED_DEPTH + 1):
        try:
            qexpr.parse(text, limits=replace(WIDE, max_depth=depth))
        except QError as error:
            assert error.code is ErrorCode.LIMIT_EXCEEDED
            continue
        return depth
    raise AssertionError(f"{text!r} is deeper than {MAX_SUPPORTED_DEPTH}")


_SUBTLE: list[Callable[[], Condition]] = [
    lambda: ~trees.t.between(date(2024, 1, 1), now()),  # BETWEEN's AND releases the NOT
    lambda: ~~trees.t.between(date(2024, 1, 1), now()),
    lambda: ~trees.t.between(now(), date(2030, 1, 1)),
    lambda: ~trees.n.in_([1, 2]),
    lambda: ~~(trees.t > now()),
    lambda: ~((trees.n > 1) | (trees.n < 0)),
    lambda: ~((trees.n > 1) | ~~(trees.n < 0)) & ~~~(trees.n > 2),
    lambda: ((trees.n > 1) | ~(trees.n < 0)) & trees.ok,
    lambda: ~any_(trees.kids, ~~(trees.kids.t > now())),
    lambda: all_(trees.kids, (trees.kids.n > 1) | ~trees.kids.t.between(now(), now())),
]


@pytest.mark.parametrize("make", _SUBTLE)
def test_depth_is_the_parsers(make: Callable[[], Condition]) -> None:
    c = make()
    assert max(c.depth, 1) == _parser_depth(c.to_q())


# --------------------------------------------------------------------------- the reported cases

def _alternating(steps: int) -> Condition:
    c = runs.cost > 1
    for i in range(steps):
        c = (c & (runs.cost < i)) if i % 2 else (c | (runs.cost < i))
    return c


def _negated(times: int) -> Condition:
    c = runs.cost > 1
    for _ in range(times):
        c = ~c
    return c


def _negated_groups(times: int) -> Condition:
    c = runs.has_logs & (runs.cost > 1)
    for _ in range(times):
        c = ~(c | runs.has_logs)
    return c


@pytest.mark.parametrize("make", [lambda: _alternating(500), lambda: _negated(1000),
                                  lambda: _negated_groups(500)])
def test_too_deep_is_refused_when_made(make: Callable[[], Condition]) -> None:
    with pytest.raises(QError) as caught:
        make()
    assert caught.value.code is ErrorCode.LIMIT_EXCEEDED
    assert str(MAX_SUPPORTED_DEPTH) in caught.value.message


def test_the_deepest_conditions_work_everywhere() -> None:
    for c in (_alternating(2 * MAX_SUPPORTED_DEPTH), _negated(MAX_SUPPORTED_DEPTH)):
        assert c.depth == MAX_SUPPORTED_DEPTH
        _never_raise(c)
        assert qexpr.to_q(c.tree) == c.to_q()
        with pytest.raises(QError) as caught:
            c.to_filter()
        assert caught.value.code is ErrorCode.LIMIT_EXCEEDED
        assert c.to_filter(limits=WIDE) == qexpr.compile(c.to_q(), limits=WIDE)
        with pytest.raises(QError) as refused:
            not_(c)
        assert refused.value.code is ErrorCode.LIMIT_EXCEEDED


# --------------------------------------------------------------------------- hand-built trees

_LEAF = ast.Comparison(ast.Path(("cost",)), qexpr.operators.Operator.GT,
                       ast.Number(qexpr.quoting.to_decimal(1)))
_WRAPPERS: dict[str, Callable[[ast.Expr], ast.Expr]] = {
    "not": ast.Not,
    "and": lambda e: ast.And((e, _LEAF)),
    "rand": lambda e: ast.And((_LEAF, e)),
    "or": lambda e: ast.Or((e, _LEAF)),
    "and1": lambda e: ast.And((e,)),
    "or1": lambda e: ast.Or((e,)),
    "any": lambda e: ast.Quantified(ast.QuantifierKind.ANY, ast.Path(("node_runs",)), e),
}


@pytest.mark.parametrize("wrapper", sorted(_WRAPPERS))
def test_hand_built_trees_of_any_depth_are_limit_exceeded(wrapper: str) -> None:
    tree: ast.Expr = _LEAF
    for _ in range(10_000):
        tree = _WRAPPERS[wrapper](tree)
    for entry in (qexpr.to_q, qexpr.from_tree, lambda t: qexpr.from_tree(t, limits=WIDE)):
        with pytest.raises(QError) as caught:
            entry(tree)
        assert caught.value.code is ErrorCode.LIMIT_EXCEEDED


@settings(max_examples=scaled(60), deadline=None)
@given(st.lists(st.sampled_from(sorted(_WRAPPERS)), max_size=3 * MAX_SUPPORTED_DEPTH))
def test_hand_built_trees_print_or_are_refused(wrappers: list[str]) -> None:
    tree: ast.Expr = _LEAF
    for name in wrappers:
        tree = _WRAPPERS[name](tree)
    depth = nesting(tree).depth
    text = unchecked_q(tree)
    if depth > MAX_SUPPORTED_DEPTH:
        with pytest.raises(QError) as caught:
            qexpr.to_q(tree)
        assert caught.value.code is ErrorCode.LIMIT_EXCEEDED
        with pytest.raises(QError) as parsed:
            qexpr.parse(text, limits=WIDE)
        assert parsed.value.code is ErrorCode.LIMIT_EXCEEDED
        return
    assert qexpr.to_q(tree) == text
    qexpr.parse(text, limits=replace(WIDE, max_depth=max(depth, 1)))
    if depth > 1:  # max_depth is at least 1
        with pytest.raises(QError) as caught:
            qexpr.parse(text, limits=replace(WIDE, max_depth=depth - 1))
        assert caught.value.code is ErrorCode.LIMIT_EXCEEDED
