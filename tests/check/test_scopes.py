"""Scopes (spec 5.6): fields that need a scope, with and without it."""

from __future__ import annotations

import json

import pytest

import qexpr
from qexpr import ErrorCode, QError
from qexpr.schema import RUN_SCHEMA, Field, Schema, record, to_many, to_one
from tests.check._util import EVAL, NOW, err, ok

SUMMARY_FIELDS = ("passed", "status_code", "score")
SUMMARY_LITERALS = {"passed": "true", "status_code": '"done"', "score": "0.5"}


@pytest.mark.parametrize("name", SUMMARY_FIELDS)
@pytest.mark.parametrize("scopes", [(EVAL,), [EVAL], {EVAL}, frozenset({EVAL}), EVAL,
                                    ("other:read", EVAL), "iterator"])
def test_every_summary_field_with_the_scope(name: str, scopes: object) -> None:
    if scopes == "iterator":
        scopes = iter([EVAL])
    q = f"current_evaluation_summary.{name} = {SUMMARY_LITERALS[name]}"
    compiled = qexpr.compile(q, scopes=scopes, now=NOW)  # type: ignore[arg-type]
    assert EVAL in compiled.scopes
    assert compiled.scopes <= {EVAL, "other:read"}


@pytest.mark.parametrize("name", SUMMARY_FIELDS)
@pytest.mark.parametrize("scopes", [(), ["evaluations:write"], ["evaluations"],
                                    ["EVALUATIONS:READ"], ["evaluations:read "], "evaluations"])
def test_every_summary_field_without_the_scope(name: str, scopes: object) -> None:
    q = f"current_evaluation_summary.{name} = {SUMMARY_LITERALS[name]}"
    with pytest.raises(QError) as info:
        qexpr.compile(q, scopes=scopes, now=NOW)  # type: ignore[arg-type]
    error = info.value
    assert error.code is ErrorCode.FORBIDDEN_FIELD
    assert (error.start, error.end) == (0, len("current_evaluation_summary"))
    assert EVAL in error.message


def test_other_fields_need_no_scope() -> None:
    ok('duration_ms > 1 AND model.slug = "x" AND any(node_runs, retry_count > 1)', scopes=())


def test_scopes_take_part_in_equality() -> None:
    with_scope = ok("duration_ms > 1", scopes=(EVAL,))
    without = ok("duration_ms > 1", scopes=())
    assert with_scope.to_q() == without.to_q()
    assert with_scope != without
    assert with_scope == ok("duration_ms > 1", scopes=[EVAL])


def test_a_filter_checked_with_the_scope_recompiles_only_with_it() -> None:
    compiled = ok("current_evaluation_summary.score < 0.5 OR has_logs", scopes=(EVAL,))
    assert ok(compiled.to_q(), scopes=(EVAL,)) == compiled
    assert err(compiled.to_q()).code is ErrorCode.FORBIDDEN_FIELD


def test_without_the_scope_suggestions_never_reveal_the_field() -> None:
    for q in ("current_evaluation_sumary.score = 1", "Current_Evaluation_Summary.score = 1",
              "CURRENT_EVALUATION_SUMMARY.passed", "current_evaluation.score = 1"):
        error = err(q)
        assert error.code is ErrorCode.UNKNOWN_FIELD
        assert "current_evaluation_summary" not in json.dumps(error.to_dict())


def test_with_the_scope_suggestions_include_the_field() -> None:
    error = err("current_evaluation_sumary.score = 1", scopes=(EVAL,))
    assert error.suggestion == "current_evaluation_summary"
    error = err("current_evaluation_summary.scroe = 1", scopes=(EVAL,))
    assert error.code is ErrorCode.UNKNOWN_FIELD
    assert error.suggestion == "current_evaluation_summary.score"
    assert (error.start, error.end) == (27, 32)


# --------------------------------------------------------------------------- a custom schema

SECRET = "secrets:read"


def scoped_schema() -> Schema:
    """Few fields, so that the unknown-field hint lists all of them."""
    return Schema("Doc", (
        record("Doc", Field("id", "uuid"), Field("title", "string"),
               Field("salary", "integer", scope=SECRET), Field("audit", "json", scope=SECRET),
               to_one("owner", "Person", local_key="owner_id"), Field("owner_id", "uuid"),
               to_many("notes", "Note", remote_key="doc_id", scope=SECRET)),
        record("Person", Field("id", "uuid"), Field("name", "string"),
               Field("ssn", "string", scope=SECRET)),
        record("Note", Field("id", "uuid"), Field("doc_id", "uuid"), Field("body", "string")),
    ))


def compile_doc(q: str, scopes: tuple[str, ...] = ()) -> qexpr.Filter:
    return qexpr.compile(q, schema=scoped_schema(), scopes=scopes, now=NOW)


def doc_error(q: str, scopes: tuple[str, ...] = ()) -> QError:
    with pytest.raises(QError) as info:
        compile_doc(q, scopes)
    return info.value


@pytest.mark.parametrize(("q", "prefix", "valid_with_scope"), [
    ("salary > 1", "salary", True),
    ("salary", "salary", False),  # a bare integer: wrong, but the scope is checked first
    ("salary IS NULL", "salary", True),
    ("audit.who = 1", "audit", True),
    ('audit["x"].y IS NULL', "audit", True),
    ("audit IS NULL", "audit", True),
    ('owner.ssn = "1"', "owner.ssn", True),
    ("owner.ssn.more = 1", "owner.ssn", False),
    ('any(notes, body = "x")', "notes", True),
    ('notes.body = "x"', "notes", False),
    ("title = salary", "salary", False),
    ("salary > title", "salary", False),
])
def test_scoped_fields_and_relations(q: str, prefix: str, valid_with_scope: bool) -> None:
    error = doc_error(q)
    assert error.code is ErrorCode.FORBIDDEN_FIELD
    start = q.index(prefix)
    assert (error.start, error.end) == (start, start + len(prefix))
    assert SECRET in error.message
    if valid_with_scope:
        compile_doc(q, scopes=(SECRET,))
    else:
        assert doc_error(q, scopes=(SECRET,)).code is not ErrorCode.FORBIDDEN_FIELD


def test_the_hint_lists_only_visible_fields() -> None:
    error = doc_error("qqqq = 1")
    assert error.hint is not None
    assert "title" in error.hint and "owner" in error.hint
    for hidden in ("salary", "audit", "notes"):
        assert hidden not in error.hint
    with_scope = doc_error("qqqq = 1", scopes=(SECRET,))
    assert with_scope.hint is not None
    for shown in ("salary", "audit", "notes"):
        assert shown in with_scope.hint
    nested = doc_error("owner.qqqq = 1")
    assert nested.hint is not None and "name" in nested.hint and "ssn" not in nested.hint


def test_a_near_miss_of_a_hidden_field_suggests_nothing() -> None:
    error = doc_error("salry > 1")
    assert error.code is ErrorCode.UNKNOWN_FIELD
    assert error.suggestion is None
    assert doc_error("salry > 1", scopes=(SECRET,)).suggestion == "salary"
    assert doc_error("owner.sn = 1").suggestion is None


def test_run_schema_scope_is_declared_on_the_relation_and_its_fields() -> None:
    relation = RUN_SCHEMA.root_record.relation("current_evaluation_summary")
    assert relation is not None and relation.scope == EVAL
    summary = RUN_SCHEMA.target(relation)
    assert {f.scope for f in summary.fields} == {EVAL}
