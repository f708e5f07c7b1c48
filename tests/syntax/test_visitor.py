"""``NodeVisitor``: ``visit_<snake_case>`` dispatch, generic_visit fallback, per-class caches."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from qexpr import NodeVisitor, parse
from qexpr.operators import Operator
from qexpr.syntax import ast
from qexpr.syntax.visitor import visit_method_name

ALL_NODE_TYPES = [
    ast.String, ast.Number, ast.Boolean, ast.Null, ast.Now, ast.Duration, ast.Shift, ast.Uuid,
    ast.Timestamp, ast.TimeExpr, ast.Path, ast.Comparison, ast.InList, ast.Between,
    ast.PatternMatch, ast.IsNull, ast.Quantified, ast.Not, ast.And, ast.Or, ast.MatchAll,
]


@pytest.mark.parametrize(("node_type", "name"), [
    (ast.Comparison, "visit_comparison"),
    (ast.PatternMatch, "visit_pattern_match"),
    (ast.InList, "visit_in_list"),
    (ast.IsNull, "visit_is_null"),
    (ast.TimeExpr, "visit_time_expr"),
    (ast.MatchAll, "visit_match_all"),
    (ast.Not, "visit_not"),
    (ast.Or, "visit_or"),
    (ast.Uuid, "visit_uuid"),
])
def test_method_names_are_snake_case(node_type: type[ast.Node], name: str) -> None:
    assert visit_method_name(node_type) == name


def test_every_node_type_has_a_distinct_method_name() -> None:
    names = [visit_method_name(t) for t in ALL_NODE_TYPES]
    assert len(set(names)) == len(names)
    assert all(n.startswith("visit_") and n == n.lower() for n in names)


class Counter(NodeVisitor[int]):
    """Counts predicates; everything else it does not know is an error."""

    def visit_and(self, node: ast.And) -> int:
        return sum(self.visit(op) for op in node.operands)

    visit_or = visit_and

    def visit_not(self, node: ast.Not) -> int:
        return self.visit(node.operand)

    def visit_comparison(self, node: ast.Comparison) -> int:
        return 1

    def visit_pattern_match(self, node: ast.PatternMatch) -> int:
        return 10

    def visit_in_list(self, node: ast.InList) -> int:
        return 100


def test_dispatch_by_class() -> None:
    tree = parse('a = 1 AND (b LIKE "x" OR NOT c IN (1)) AND d')
    assert Counter().visit(tree) == 1 + 10 + 100 + 1


def test_unknown_nodes_go_to_generic_visit_which_refuses_by_default() -> None:
    with pytest.raises(TypeError, match="Counter cannot visit IsNull"):
        Counter().visit(ast.IsNull(ast.Path(("x",))))
    with pytest.raises(TypeError):
        NodeVisitor().visit(ast.MatchAll())


class Names(NodeVisitor[str]):
    def generic_visit(self, node: ast.Node) -> str:
        return "generic:" + type(node).__name__

    def visit_number(self, node: ast.Number) -> str:
        return "number"


def test_generic_visit_can_be_overridden() -> None:
    visitor = Names()
    assert visitor.visit(ast.Number(Decimal(1))) == "number"
    for node_type in (ast.Null, ast.Now, ast.MatchAll):
        assert visitor.visit(node_type()) == "generic:" + node_type.__name__


def test_subclass_caches_are_independent() -> None:
    class Base(NodeVisitor[str]):
        def visit_null(self, node: ast.Null) -> str:
            return "base"

    class Override(Base):
        def visit_null(self, node: ast.Null) -> str:
            return "override"

    class Inherit(Base):
        pass

    class Sibling(NodeVisitor[str]):
        def generic_visit(self, node: ast.Node) -> str:
            return "sibling"

    null = ast.Null()
    # Warm the base class's cache first: subclasses must not see its entries.
    assert Base().visit(null) == "base"
    assert Override().visit(null) == "override"
    assert Inherit().visit(null) == "base"
    assert Sibling().visit(null) == "sibling"
    # And the other way round: a subclass's cache does not leak into its parent.
    class Parent(NodeVisitor[str]):
        def generic_visit(self, node: ast.Node) -> str:
            return "parent"

    class Child(Parent):
        def visit_null(self, node: ast.Null) -> str:
            return "child"

    assert Child().visit(null) == "child"
    assert Parent().visit(null) == "parent"
    assert Child().visit(null) == "child"
    assert Base().visit(null) == "base"
    assert Override().visit(null) == "override"


def test_dispatch_follows_the_node_class_mro() -> None:
    @dataclass(frozen=True, slots=True)
    class SpecialComparison(ast.Comparison):
        pass

    node = SpecialComparison(ast.Path(("x",)), Operator.EQ, ast.Boolean(True))
    assert Counter().visit(node) == 1

    class Specific(Counter):
        def visit_special_comparison(self, node: SpecialComparison) -> int:
            return 7

    assert Specific().visit(node) == 7
    assert Counter().visit(node) == 1


def test_visitor_instances_share_the_class_dispatch_but_not_state() -> None:
    class Collect(NodeVisitor[None]):
        def __init__(self) -> None:
            self.seen: list[str] = []

        def generic_visit(self, node: ast.Node) -> None:
            self.seen.append(type(node).__name__)

    first, second = Collect(), Collect()
    first.visit(ast.Null())
    second.visit(ast.Now())
    assert first.seen == ["Null"]
    assert second.seen == ["Now"]
