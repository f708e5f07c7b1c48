"""Laws of spec section 8, for every engine: ``parse(to_q(a)) == a`` and ``to_q`` is idempotent.

Example counts scale with ``QEXPR_HYPOTHESIS_SCALE`` (default 1).
"""

from __future__ import annotations

import pytest
from hypothesis import given

from qexpr import parse, to_q
from qexpr.syntax import ast
from tests.syntax.strategies import (
    asts,
    deep_asts,
    engine_params,
    noisy_texts,
    property_settings,
    wide_asts,
)

pytestmark = pytest.mark.parametrize("engine", engine_params())


@property_settings(120)
@given(tree=asts())
def test_parse_of_canonical_text_gives_the_tree(engine: str, tree: ast.Expr) -> None:
    text = to_q(tree)
    assert parse(text, engine=engine) == tree, text


@property_settings(60)
@given(tree=asts())
def test_canonical_text_is_idempotent(engine: str, tree: ast.Expr) -> None:
    text = to_q(tree)
    assert to_q(parse(text, engine=engine)) == text


@property_settings(25)
@given(tree=deep_asts())
def test_deep_trees_within_the_limits_round_trip(engine: str, tree: ast.Expr) -> None:
    text = to_q(tree)
    assert parse(text, engine=engine) == tree, text


@property_settings(10)
@given(tree=wide_asts())
def test_long_chains_within_the_limits_round_trip(engine: str, tree: ast.Expr) -> None:
    text = to_q(tree)
    assert parse(text, engine=engine) == tree, text


@property_settings(100)
@given(pair=noisy_texts())
def test_noisy_text_parses_to_its_tree_and_canonical_text_reparses(
    engine: str, pair: tuple[str, ast.Expr]
) -> None:
    text, tree = pair
    parsed = parse(text, engine=engine)
    assert parsed == tree, text
    canonical = to_q(parsed)
    assert parse(canonical, engine=engine) == parsed, canonical
    assert to_q(parse(canonical, engine=engine)) == canonical
