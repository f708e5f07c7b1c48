"""Property tests: generated well-typed filters validate; ill-typed mutations are rejected with
the right code and span; compiled filters are stable and safe to share between threads.

Example counts scale with ``QEXPR_HYPOTHESIS_SCALE`` (default 1).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

import qexpr
from qexpr import ErrorCode, QError
from qexpr.schema import RUN_SCHEMA
from qexpr.syntax import ast
from qexpr.syntax.canonical import to_q
from tests.check.strategies import (
    FIXED_NOW,
    mutations,
    scaled,
    sites,
    timestamp_texts,
    typed_filters,
    uuid_texts,
)
from tests.check.test_typing import nested_schema

EVAL = "evaluations:read"
SCOPE_SETS = ((), (EVAL,))


def property_settings(examples: int) -> settings:
    return settings(max_examples=scaled(examples), deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def compile_tree(tree: ast.Expr, scopes: tuple[str, ...] = (EVAL,),
                 schema: qexpr.Schema = RUN_SCHEMA) -> qexpr.Filter:
    text = to_q(tree)
    note(f"q = {text!r}")
    try:
        return qexpr.compile(text, schema=schema, scopes=scopes, now=FIXED_NOW)
    except QError as error:
        raise AssertionError(f"a well-typed filter was rejected:\n{error}") from error


@st.composite
def trees_with_scopes(draw: st.DrawFn) -> tuple[ast.Expr, tuple[str, ...]]:
    scopes = draw(st.sampled_from(SCOPE_SETS))
    return draw(typed_filters(RUN_SCHEMA, scopes)), scopes


@property_settings(300)
@given(trees_with_scopes())
def test_well_typed_filters_validate_and_their_canonical_form_is_stable(
    case: tuple[ast.Expr, tuple[str, ...]],
) -> None:
    tree, scopes = case
    compiled = compile_tree(tree, scopes)
    text = compiled.to_q()
    again = qexpr.compile(text, scopes=scopes, now=FIXED_NOW)
    assert again.to_q() == text
    assert again == compiled
    assert qexpr.parse(to_q(tree)) == tree  # the strategy yields trees in parse()'s form


@property_settings(60)
@given(typed_filters(nested_schema(), (), max_leaves=6))
def test_nested_quantifiers_of_another_schema_validate(tree: ast.Expr) -> None:
    compiled = compile_tree(tree, (), nested_schema())
    assert qexpr.compile(compiled.to_q(), schema=nested_schema(), now=FIXED_NOW) == compiled


@property_settings(60)
@given(typed_filters(RUN_SCHEMA, (EVAL,)), st.sampled_from(("native", "lark", "antlr")))
def test_every_engine_gives_the_same_filter(tree: ast.Expr, engine: str) -> None:
    text = to_q(tree)
    native = compile_tree(tree)
    try:
        other = qexpr.compile(text, scopes=(EVAL,), now=FIXED_NOW, engine=engine)
    except (ImportError, ValueError) as exc:  # an engine that has not landed yet
        if isinstance(exc, QError):
            raise
        assume(False)
        return
    assert other == native


@property_settings(200)
@given(st.data())
def test_ill_typed_mutations_are_rejected_with_the_right_code_and_span(data: st.DataObject) -> None:
    tree = data.draw(typed_filters(RUN_SCHEMA, (EVAL,), allow_empty=False), label="tree")
    mutation = data.draw(mutations(RUN_SCHEMA, tree), label="mutation")
    assume(mutation is not None)
    assert mutation is not None
    text = mutation.text
    note(f"{mutation.kind}: q = {text!r}")
    try:
        qexpr.compile(text, scopes=(EVAL,), now=FIXED_NOW)
    except QError as error:
        parsed = qexpr.parse(text)
        expected = mutation.locate(parsed)
        assert [(e.code, e.start, e.end) for e in error.errors] == [
            (mutation.code, *expected)], "\n\n".join(str(e) for e in error.errors)
        if mutation.code is ErrorCode.NULL_COMPARISON:
            advice = f"{error.message} {error.hint or ''}"
            wanted = "IS NOT NULL" if mutation.kind == "ne_null" else "IS NULL"
            assert wanted in advice
        if mutation.kind == "misspelled_case":
            assert error.suggestion is not None
            written = text[error.start:error.end]
            assert error.suggestion.rsplit(".", 1)[-1].lower() == written.lower()
        if mutation.code is ErrorCode.QUANTIFIER_REQUIRED:
            assert "any(" in f"{error.message} {error.hint or ''}"
    else:
        raise AssertionError(f"{mutation.kind} was accepted: {text!r}")


@property_settings(100)
@given(st.data())
def test_ill_typed_mutations_without_the_scope_never_raise_anything_else(
    data: st.DataObject,
) -> None:
    tree = data.draw(typed_filters(RUN_SCHEMA, (EVAL,), allow_empty=False), label="tree")
    mutation = data.draw(mutations(RUN_SCHEMA, tree), label="mutation")
    candidates = [tree] if mutation is None else [tree, mutation.tree]
    for candidate in candidates:
        try:
            qexpr.compile(to_q(candidate), scopes=(), now=FIXED_NOW)
        except QError as error:
            assert 1 <= len(error.errors) <= 10
            assert error.errors[0] is error
            starts = [e.start for e in error.errors]
            assert starts == sorted(starts)
            if "current_evaluation_summary" not in to_q(candidate):
                assert mutation is not None and candidate is mutation.tree


@property_settings(100)
@given(uuid_texts())
def test_any_case_of_a_uuid_is_accepted_and_lower_cased(text: str) -> None:
    compiled = qexpr.compile(f'id = "{text}"', now=FIXED_NOW)
    assert compiled.to_q() == f'id = "{text.lower()}"'


@property_settings(200)
@given(timestamp_texts())
def test_every_valid_timestamp_literal_is_accepted(text: str) -> None:
    compiled = qexpr.compile(f'created_at >= "{text}"', now=FIXED_NOW)
    canonical = compiled.to_q()
    assert canonical.endswith('Z"')
    assert qexpr.compile(canonical, now=FIXED_NOW) == compiled


@property_settings(200)
@given(st.text(max_size=30))
def test_arbitrary_text_against_typed_fields_never_raises_anything_but_qerror(text: str) -> None:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    for field in ("id", "created_at", "failure_code", "metadata.x"):
        try:
            qexpr.compile(f'{field} = "{escaped}"', now=FIXED_NOW)
        except QError as error:
            assert error.code in (ErrorCode.INVALID_LITERAL, ErrorCode.SYNTAX_ERROR)


def test_sites_cover_every_predicate() -> None:
    tree = qexpr.parse('a = 1 AND NOT (b = 2 OR any(node_runs, c = 3 AND d IS NULL))')
    found = sites(RUN_SCHEMA, tree)
    assert [type(s.node).__name__ for s in found] == [
        "Comparison", "Comparison", "Quantified", "Comparison", "IsNull"]
    assert [s.record.name for s in found] == ["Run", "Run", "Run", "NodeRun", "NodeRun"]


# --------------------------------------------------------------------------- threads

THREAD_FILTERS = [
    'failure_code IN ("timeout", "oom") AND created_at >= "2024-01-01"',
    "created_at > now() - 7d AND cost BETWEEN 0.01 AND 0.5",
    'any(node_runs, state_code = "failed" AND retry_count >= 2) OR NOT has_logs',
    'metadata.customer.tier = "gold" OR metadata["team-id"] = 42',
    f'id IN ("{"3C90C3CC-0D44-4B50-8888-8DD25736052A"}") AND current_evaluation_summary.passed',
]


def test_a_compiled_filter_is_safe_to_share_between_threads() -> None:
    compiled = [qexpr.compile(q, scopes=(EVAL,), now=FIXED_NOW) for q in THREAD_FILTERS]
    expected = [c.to_q() for c in compiled]
    barrier = threading.Barrier(8)

    def work(_: int) -> list[str]:
        barrier.wait()
        out: list[str] = []
        for _round in range(200):
            out = [c.to_q() for c in compiled]
            assert out == expected
        return out

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    assert results == [expected] * 8


def test_compiling_from_many_threads_gives_equal_filters() -> None:
    barrier = threading.Barrier(8)

    def work(_: int) -> list[qexpr.Filter]:
        barrier.wait()
        return [qexpr.compile(q, scopes=(EVAL,), now=FIXED_NOW) for q in THREAD_FILTERS * 20]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    assert all(result == results[0] for result in results)


def test_errors_from_many_threads_are_independent() -> None:
    barrier = threading.Barrier(8)
    bad = ["xx = 1 AND failure_code = 1", 'id = "nope" OR duration_ms = null']

    def work(index: int) -> list[tuple[str, int, int]]:
        barrier.wait()
        q = bad[index % 2]
        out = []
        for _round in range(100):
            try:
                qexpr.compile(q)
            except QError as error:
                out = [(str(e.code), e.start, e.end) for e in error.errors]
        return out

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    assert results[0::2] == [[("unknown_field", 0, 2), ("type_mismatch", 26, 27)]] * 4
    assert results[1::2] == [[("invalid_literal", 5, 11), ("null_comparison", 29, 33)]] * 4
