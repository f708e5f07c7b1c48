"""The ``evaluation_*`` parameters: the seed's semantics over generated evaluation histories,
the same in memory, SQLite and PostgreSQL, checked against an oracle written from the seed."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qexpr import QError, compile_search
from qexpr.search import Page, Search
from qexpr.search.evaluation import STATUSES
from tests.search.databases import Database
from tests.search.strategies import scaled

SCOPES = ("evaluations:read",)
CATEGORIES = ("quality", "safety", "Quality", "é\U0001f600", "x'; --")
KINDS = ("none", "pending", "errored", "superseded", "null_verdict", "passed", "failed",
         "retried", "split_issue", "empty_list")


def _issue(rid: uuid.UUID, k: str, category: str | None, sub: str | None) -> dict[str, Any]:
    return {"id": str(uuid.uuid5(rid, "issue" + k)), "category": category, "subcategory": sub}


def _evaluation(rid: uuid.UUID, k: str, status: str, superseded: bool, verdict: bool | None,
                issues: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": str(uuid.uuid5(rid, "eval" + k)), "status": status, "superseded": superseded,
            "overall_passed": verdict, "status_code": status, "score": 0.5, "issues": issues}


@st.composite
def history(draw: st.DrawFn, rid: uuid.UUID) -> list[dict[str, Any]] | None:
    """One run's evaluations, of one of the kinds the issue lists."""
    kind = draw(st.sampled_from(KINDS))
    cats = st.sampled_from(CATEGORIES)
    some = [_issue(rid, str(i), draw(cats), draw(st.none() | cats))
            for i in range(draw(st.integers(0, 2)))]
    if kind == "none":
        return None
    if kind == "empty_list":
        return []
    if kind in ("pending", "errored"):
        return [_evaluation(rid, "1", kind, False, draw(st.none() | st.booleans()), some)]
    if kind == "superseded":
        return [_evaluation(rid, "1", "completed", True, draw(st.none() | st.booleans()), some)]
    if kind == "retried":  # older failed with issues, current passed without
        return [_evaluation(rid, "1", "completed", True, False, some or [
                    _issue(rid, "0", draw(cats), draw(cats))]),
                _evaluation(rid, "2", "completed", False, True, [])]
    if kind == "split_issue":  # category and subcategory on different issue rows
        a, b = draw(cats), draw(cats)
        return [_evaluation(rid, "1", "completed", False, draw(st.none() | st.booleans()),
                            [_issue(rid, "a", a, None), _issue(rid, "b", None, b)])]
    verdict = {"null_verdict": None, "passed": True, "failed": False}[kind]
    older = draw(st.lists(st.sampled_from(["pending", "errored", "superseded"]), max_size=2))
    out = [_evaluation(rid, f"o{i}", "completed" if s == "superseded" else s, s == "superseded",
                       draw(st.none() | st.booleans()),
                       [_issue(rid, f"o{i}", draw(cats), draw(cats))])
           for i, s in enumerate(older)]
    out.append(_evaluation(rid, "c", "completed", False, verdict, some))
    return draw(st.permutations(out))


@st.composite
def runs(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(st.lists(st.uuids(version=4), min_size=1, max_size=10, unique=True))
    out = []
    for rid in ids:
        record: dict[str, Any] = {"id": str(rid), "created_at": "2024-01-01T00:00:00Z",
                                  "current_evaluation_summary": None}
        evaluations = draw(history(rid))
        if evaluations is not None or draw(st.booleans()):
            record["evaluations"] = evaluations
        out.append(record)
    return out


def oracle(record: dict[str, Any], status: str | None, category: str | None,
           sub: str | None) -> bool:
    """The seed's text, read literally."""
    current = [e for e in record.get("evaluations") or ()
               if e["status"] == "completed" and not e["superseded"]]
    assert len(current) <= 1  # the data invariant
    verdict = current[0]["overall_passed"] if current else None
    if status == "not_evaluated" and verdict is not None:
        return False
    if status in ("passed", "failed") and verdict is not (status == "passed"):
        return False
    if category is None and sub is None:
        return True
    if not current:
        return False
    return any((category is None or i["category"] == category)
               and (sub is None or i["subcategory"] == sub) for i in current[0]["issues"])


def _all_ids(search: Search, dbs: list[Database], records: list[dict[str, Any]]) -> list[str]:
    page: Page = search.apply(records)
    for db in dbs:
        assert search.execute(db.conn, db.dialect) == page, db.dialect
    assert page.next is None
    return [item["id"] for item in page.items]


@settings(max_examples=scaled(40), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_memory_sqlite_and_postgresql_follow_the_seed(
        sqlite_db: Database, pg_db: Database | None, data: st.DataObject) -> None:
    records = data.draw(runs())
    dbs = [sqlite_db] + ([pg_db] if pg_db is not None else [])
    for db in dbs:
        db.reset(records)
    for _ in range(8):
        status = data.draw(st.none() | st.sampled_from(STATUSES))
        category = data.draw(st.none() | st.sampled_from(CATEGORIES))
        sub = data.draw(st.none() | st.sampled_from(CATEGORIES))
        params = {"evaluation_status": status, "evaluation_issue_category": category,
                  "evaluation_issue_subcategory": sub, "limit": "500",
                  "embed": "current_evaluation_summary"}
        search = compile_search(params, scopes=SCOPES)
        got = _all_ids(search, dbs, records)
        assert sorted(got) == sorted(r["id"] for r in records
                                     if oracle(r, status, category, sub)), params


def test_each_kind_of_history() -> None:
    rid = uuid.UUID(int=1, version=4)
    cases: dict[str, tuple[list[dict[str, Any]] | None, str]] = {
        "none": (None, "not_evaluated"),
        "pending": ([_evaluation(rid, "1", "pending", False, True, [])], "not_evaluated"),
        "errored": ([_evaluation(rid, "1", "errored", False, False, [])], "not_evaluated"),
        "superseded": ([_evaluation(rid, "1", "completed", True, True, [])], "not_evaluated"),
        "null": ([_evaluation(rid, "1", "completed", False, None, [])], "not_evaluated"),
        "passed": ([_evaluation(rid, "1", "completed", False, True, [])], "passed"),
        "failed": ([_evaluation(rid, "1", "completed", False, False, [])], "failed"),
    }
    for name, (evaluations, expected) in cases.items():
        record = {"id": str(rid), "evaluations": evaluations}
        for status in STATUSES:
            search = compile_search({"evaluation_status": status}, scopes=SCOPES)
            assert len(search.apply([record]).items) == (status == expected), (name, status)


def test_a_retried_run_matches_its_current_evaluation_only() -> None:
    rid = uuid.UUID(int=2, version=4)
    record = {"id": str(rid), "evaluations": [
        _evaluation(rid, "1", "completed", True, False, [_issue(rid, "1", "quality", "blur")]),
        _evaluation(rid, "2", "completed", False, True, [])]}

    def hits(**params: str) -> int:
        return len(compile_search(params, scopes=SCOPES).apply([record]).items)

    assert hits(evaluation_status="passed") == 1
    assert hits(evaluation_status="failed") == 0
    assert hits(evaluation_issue_category="quality") == 0
    assert hits(evaluation_issue_subcategory="blur") == 0
    # the summary is the current evaluation's, whatever the record says
    page = compile_search({"embed": "current_evaluation_summary"}, scopes=SCOPES).apply(
        [{**record, "current_evaluation_summary": {"passed": False}}])
    assert page.items[0]["current_evaluation_summary"] == {
        "passed": True, "status_code": "completed", "score": 0.5}


def test_the_summary_is_derived_in_storage_too(sqlite_db: Database) -> None:
    rid = uuid.UUID(int=3, version=4)
    records = [{"id": str(rid), "current_evaluation_summary": {"passed": True},
                "evaluations": [_evaluation(rid, "1", "completed", True, True, [])]}]
    sqlite_db.reset(records)
    search = compile_search({"embed": "current_evaluation_summary"}, scopes=SCOPES)
    page = search.execute(sqlite_db.conn, "sqlite")
    assert page == search.apply(records)
    assert page.items[0]["current_evaluation_summary"] is None  # superseded only: no summary


def test_category_and_subcategory_need_the_same_issue_row() -> None:
    rid = uuid.UUID(int=4, version=4)
    split = {"id": str(rid), "evaluations": [_evaluation(
        rid, "1", "completed", False, False,
        [_issue(rid, "a", "quality", None), _issue(rid, "b", None, "blur")])]}
    params = {"evaluation_issue_category": "quality", "evaluation_issue_subcategory": "blur"}
    assert compile_search(params, scopes=SCOPES).apply([split]).items == ()
    assert len(compile_search({"evaluation_issue_category": "quality"}, scopes=SCOPES)
               .apply([split]).items) == 1


def test_the_condition_is_one_any_over_the_current_evaluation() -> None:
    search = compile_search({"evaluation_status": "failed", "evaluation_issue_category": "q",
                             "evaluation_issue_subcategory": "s"}, scopes=SCOPES)
    assert search.where is not None and search.where.to_q() == (
        'any(evaluations, status = "completed" AND superseded = false AND any(issues, '
        'category = "q" AND subcategory = "s") AND overall_passed = false)')
    alone = compile_search({"evaluation_status": "not_evaluated"}, scopes=SCOPES)
    assert alone.where is not None and alone.where.to_q() == (
        'NOT any(evaluations, status = "completed" AND superseded = false AND '
        "overall_passed IS NOT NULL)")


def test_never_printed_as_q_and_kept_as_their_own_parameters() -> None:
    params = {"q": "duration_ms > 1", "evaluation_status": "passed",
              "evaluation_issue_category": "a \"b\"", "evaluation_issue_subcategory": "c"}
    search = compile_search(params, scopes=SCOPES)
    out = search.to_params()
    assert out["q"] == "duration_ms > 1"
    assert {k: out[k] for k in params if k != "q"} == {k: v for k, v in params.items()
                                                       if k != "q"}
    assert compile_search(out, scopes=SCOPES) == search


def test_scope_is_required_and_configurable() -> None:
    for name, value in (("evaluation_status", "passed"), ("evaluation_issue_category", "x"),
                        ("evaluation_issue_subcategory", "y")):
        with pytest.raises(QError) as caught:
            compile_search({name: value})
        err = caught.value
        assert (err.code, err.param, err.start, err.end) == ("forbidden_field", name, 0,
                                                             len(value))
        assert "evaluations:read" in err.message
        assert compile_search({name: value}, evaluation_scope=None).evaluation
        assert compile_search({name: value}, scopes=["audit"], evaluation_scope="audit")
        with pytest.raises(QError):
            compile_search({name: value}, scopes=SCOPES, evaluation_scope="audit")


def test_bad_values_are_reported_with_the_other_errors() -> None:
    with pytest.raises(QError) as caught:
        compile_search({"q": "cost >", "limit": "0", "evaluation_status": "  PASSED ",
                        "evaluation_issue_category": "x" * 1025,
                        "evaluation_issue_subcategory": "a\x00b"}, scopes=SCOPES)
    errors = {e.param: e for e in caught.value.errors}
    assert list(errors) == ["q", "limit", "evaluation_status", "evaluation_issue_category",
                            "evaluation_issue_subcategory"]
    status = errors["evaluation_status"]
    assert (status.code, status.start, status.end, status.suggestion) == (
        "invalid_literal", 2, 8, "passed")
    assert all(s in status.message for s in STATUSES)
    assert status.expected == STATUSES
    assert errors["evaluation_issue_category"].code == "limit_exceeded"
    assert (errors["evaluation_issue_subcategory"].start,
            errors["evaluation_issue_subcategory"].end) == (1, 2)
    # at the limit it is fine
    assert compile_search({"evaluation_issue_category": "\\" * 1024}, scopes=SCOPES).evaluation


def test_a_cursor_with_other_evaluation_values_is_refused() -> None:
    base = {"limit": "1", "evaluation_status": "failed"}
    first = compile_search(base, scopes=SCOPES)
    records = [{"id": str(uuid.UUID(int=i, version=4)), "created_at": "2024-01-01T00:00:00Z",
                "evaluations": [_evaluation(uuid.UUID(int=i, version=4), "1", "completed",
                                            False, False, [])]} for i in (5, 6)]
    cursor = first.apply(records).next
    assert cursor is not None
    again = compile_search({**base, "pq": cursor}, scopes=SCOPES)
    assert again.position is not None and len(again.apply(records).items) == 1
    for other in ({"evaluation_status": "passed"}, {"evaluation_status": None},
                  {"evaluation_issue_category": "x"}):
        with pytest.raises(QError) as caught:
            compile_search({**base, **other, "pq": cursor}, scopes=SCOPES)
        err = caught.value
        assert err.param == "pq" and "evaluation_*" in err.message, other
        assert len(err.errors) == 1


def test_strict_knows_the_parameters() -> None:
    assert compile_search({"evaluation_status": "passed"}, scopes=SCOPES, strict=True)
    with pytest.raises(QError) as caught:
        compile_search({"evaluation_statuss": "passed"}, scopes=SCOPES, strict=True)
    assert caught.value.suggestion == "evaluation_status"


def test_the_example_runs_cover_every_kind(sqlite_db: Database) -> None:
    import subprocess
    import sys
    from pathlib import Path

    from qexpr import example_runs

    root = Path(__file__).resolve().parents[2]
    made = subprocess.run([sys.executable, str(root / "scripts" / "make_example_runs.py")],
                          capture_output=True, check=True).stdout
    assert made == (root / "src" / "qexpr" / "data" / "example_runs.jsonl").read_bytes()
    runs_ = example_runs()
    assert len({r["org_id"] for r in runs_}) >= 3
    assert any(r["comfyui_workflow"] for r in runs_) and any(r["flow"] for r in runs_)
    assert any(not r["flow"] for r in runs_)
    sqlite_db.reset(runs_)
    counts: dict[str, int] = {}
    for status in (None, *STATUSES):
        search = compile_search({"evaluation_status": status, "limit": "500",
                                 "evaluation_issue_category": "quality",
                                 "evaluation_issue_subcategory": "blur"}, scopes=SCOPES)
        page = search.execute(sqlite_db.conn, "sqlite")
        assert page == search.apply(runs_)
        assert sorted(i["id"] for i in page.items) == sorted(
            r["id"] for r in runs_ if oracle(r, status, "quality", "blur"))
    for status in STATUSES:
        counts[status] = len(compile_search({"evaluation_status": status, "limit": "500"},
                                            scopes=SCOPES).apply(runs_).items)
    assert all(counts.values())
    kinds = set()
    for r in runs_:
        evaluations = r["evaluations"]
        current = [e for e in evaluations if e["status"] == "completed" and not e["superseded"]]
        kinds.add("none" if not evaluations else
                  "retried" if current and len(evaluations) > 1 and any(
                      e["superseded"] and e["overall_passed"] is False for e in evaluations)
                  else "superseded" if not current and any(e["superseded"] for e in evaluations)
                  else "pending" if any(e["status"] == "pending" for e in evaluations)
                  and not current else "errored" if not current
                  else "no_verdict" if current[0]["overall_passed"] is None
                  else "split" if any(i["category"] is None for i in current[0]["issues"])
                  else str(current[0]["overall_passed"]))
        summary = r["current_evaluation_summary"]
        assert (summary is None) == (not current)
    assert kinds >= {"none", "retried", "superseded", "pending", "errored", "no_verdict",
                     "split", "True", "False"}
