"""AST nodes: the constructor and ``make`` build the same frozen, hashable nodes, spans out of
equality; nodes pickle and copy; no instance of the private builder class ever escapes."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import pytest
from hypothesis import given

from qexpr.syntax import ast
from tests.syntax.strategies import asts, property_settings


def dump(node: object) -> object:
    """Every field, spans included, with each node's exact class."""
    if isinstance(node, ast.Node):
        return (type(node), *((f.name, dump(getattr(node, f.name)))
                              for f in dataclasses.fields(node)))
    if isinstance(node, tuple):
        return tuple(dump(item) for item in node)
    return node


def nodes_of(node: object) -> list[ast.Node]:
    found: list[ast.Node] = []
    if isinstance(node, ast.Node):
        found.append(node)
        for f in dataclasses.fields(node):
            found.extend(nodes_of(getattr(node, f.name)))
    elif isinstance(node, tuple):
        for item in node:
            found.extend(nodes_of(item))
    return found


def rebuilt(node: ast.Node, *, via_make: bool) -> ast.Node:
    cls: Any = type(node)
    fields = dataclasses.fields(node)
    if via_make:
        values = [getattr(node, f.name) for f in fields if not f.kw_only]
        return cls.make(*values, node.start, node.end)  # type: ignore[no-any-return]
    return cls(  # type: ignore[no-any-return]
        **{f.name: getattr(node, f.name) for f in fields}
    )


@property_settings(100)
@given(tree=asts())
def test_make_and_the_constructor_build_the_same_nodes(tree: ast.Expr) -> None:
    for node in nodes_of(tree):
        for via_make in (False, True):
            again = rebuilt(node, via_make=via_make)
            assert type(again) is type(node)
            assert dump(again) == dump(node)
            assert again == node and hash(again) == hash(node)
        assert pickle.loads(pickle.dumps(node)) == node
        assert dump(copy.deepcopy(node)) == dump(node)


def test_nodes_are_frozen_and_spans_stay_out_of_equality() -> None:
    path = ast.Path(("a", "b"), ((0, 1), (2, 3)), start=0, end=3)
    moved = ast.Path.make(("a", "b"), ((5, 6), (7, 8)), 5, 8)
    assert path == moved and hash(path) == hash(moved)
    assert (path.start, path.end, moved.start, moved.end) == (0, 3, 5, 8)
    node = ast.InList(path, (ast.Null(start=4, end=8),), start=0, end=9)
    assert node.negated is False and type(node) is ast.InList
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.negated = True  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del node.path
    with pytest.raises(TypeError):
        ast.Comparison(path)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        ast.String("x", 1)  # type: ignore[call-arg]
    assert repr(ast.String("x", start=1, end=4)) == "String(value='x')"
