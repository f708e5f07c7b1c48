"""Properties: built filters are the filters ``compile`` makes from their text."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr.builder import Condition, handles
from qexpr.schema.run import RUN_SCHEMA
from qexpr.syntax import ast
from qexpr.syntax.canonical import to_q
from tests.builder.convert import builder_form, rebuild
from tests.builder.strategies import built_conditions, scaled

try:
    from tests.check.strategies import typed_filters
except ImportError:  # pragma: no cover - the colleague's strategies have not landed
    typed_filters = None

EVAL = "evaluations:read"
#: Built conditions may reach the server-side evaluations relation too.
SCOPES = (EVAL, "qexpr:server")
NOW = datetime(2024, 6, 15, 12, 30, 45, 123456, tzinfo=UTC)
ROOT = handles(RUN_SCHEMA)
SETTINGS = settings(max_examples=scaled(200), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.mark.skipif(typed_filters is None, reason="tests/check/strategies.py is not there yet")
@SETTINGS
@given(tree=st.deferred(lambda: typed_filters(RUN_SCHEMA, (EVAL,))), seed=st.integers(0, 2**32))
def test_rebuilding_checked_trees_gives_the_same_canonical_text(tree: ast.Expr,
                                                                seed: int) -> None:
    compiled = qexpr.compile(to_q(tree), scopes=SCOPES, now=NOW)
    built = rebuild(compiled.tree, ROOT, random.Random(seed))
    expected = to_q(builder_form(compiled.tree))
    assert built.to_q() == expected
    assert built.tree == builder_form(compiled.tree)
    assert built.to_filter(scopes=SCOPES, now=NOW) == qexpr.compile(expected, scopes=SCOPES,
                                                                      now=NOW)


@SETTINGS
@given(condition=built_conditions())
def test_built_condition_compiles_to_the_same_filter(condition: Condition) -> None:
    text = condition.to_q()
    built = condition.to_filter(now=NOW)
    compiled = qexpr.compile(text, now=NOW)
    assert built == compiled
    assert built.to_q() == compiled.to_q() == text
    assert qexpr.to_q(qexpr.parse(text)) == text  # canonical: printing is idempotent


@SETTINGS
@given(condition=built_conditions(), seed=st.integers(0, 2**32))
def test_rebuilding_a_built_condition_is_identity(condition: Condition, seed: int) -> None:
    compiled = qexpr.compile(condition.to_q(), now=NOW)
    again = rebuild(compiled.tree, ROOT, random.Random(seed))
    assert again == condition
