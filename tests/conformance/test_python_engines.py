"""qexpr itself gives the outcome of every conformance case, with every engine and backend.

Parse and validation cases run on the native, lark and ANTLR engines; evaluation cases on the
in-memory predicate, SQLite and PostgreSQL over the suite's fixed dataset; search cases through
``compile_search`` in memory (``Search.apply``) and on both databases (``Search.execute``),
following ``next`` to the last page and ``previous`` back to the first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

import qexpr
from qexpr import QError
from qexpr.syntax.parser import ENGINE_NAMES
from tests.conformance.suite import cases, dataset, now_of, report


def _span(error: QError) -> dict[str, Any]:
    out: dict[str, Any] = {"code": str(error.code), "start": error.start, "end": error.end}
    if error.param is not None:
        out = {"param": error.param, **out}
    return out


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_parse_cases(engine: str) -> None:
    failures: list[str] = []
    for case in cases("parse"):
        try:
            got: dict[str, Any] = {"parse": qexpr.to_q(qexpr.parse(case["q"], engine=engine))}
        except QError as exc:
            got = {"error": _span(exc)}
        if got != case["expect"]:
            failures.append(f"{case['id']} {case['q'][:80]!r}: {got} != {case['expect']}")
    assert not failures, report(failures, len(cases("parse")))


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_validate_cases(engine: str) -> None:
    failures: list[str] = []
    for case in cases("validate"):
        try:
            f = qexpr.compile(case["q"], scopes=case["scopes"], now=now_of(case), engine=engine)
            got: dict[str, Any] = {"canonical": f.to_q()}
        except QError as exc:
            got = {"errors": [_span(e) for e in exc.errors]}
        if got != case["expect"]:
            failures.append(f"{case['id']} {case['q'][:80]!r}: {got} != {case['expect']}")
    assert not failures, report(failures, len(cases("validate")))


def test_every_error_code_is_covered() -> None:
    codes = {e["code"] for c in cases("validate") for e in c["expect"].get("errors", [])}
    codes |= {c["expect"]["error"]["code"] for c in cases("parse") if "error" in c["expect"]}
    assert codes == {str(code) for code in qexpr.ErrorCode}


def _check_evaluation(select: Callable[[qexpr.Filter], set[str]]) -> None:
    order = [r["id"] for r in dataset()]
    failures: list[str] = []
    for case in cases("evaluate"):
        f = qexpr.compile(case["q"], scopes=case["scopes"], now=now_of(case))
        chosen = select(f)
        got = [i for i in order if i in chosen]
        if got != case["expect"]["ids"]:
            differ = sorted(set(got) ^ set(case["expect"]["ids"]))[:3]
            failures.append(f"{case['id']} {case['q'][:80]!r}: {len(got)} ids, expected "
                            f"{len(case['expect']['ids'])}, differing: {differ}")
    assert not failures, report(failures, len(cases("evaluate")))


def test_evaluate_cases_predicate() -> None:
    records = dataset()
    _check_evaluation(lambda f: {r["id"] for r in records if f.matches(r)})


def _loaded_sqlite() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(qexpr.reference_ddl("sqlite"))
    qexpr.load_records(conn, dataset(), "sqlite")
    return conn


def test_evaluate_cases_sqlite() -> None:
    conn = _loaded_sqlite()
    try:
        def select(f: qexpr.Filter) -> set[str]:
            where, params = f.to_sql("sqlite")
            rows = conn.execute(f'SELECT "runs"."id" FROM "runs" WHERE {where}', params)
            return {str(row[0]) for row in rows}

        _check_evaluation(select)
    finally:
        conn.close()


def test_evaluate_cases_postgresql(pg_conn: Any) -> None:
    pg_conn.execute(qexpr.reference_ddl("postgresql"))
    qexpr.load_records(pg_conn, dataset(), "postgresql")

    def select(f: qexpr.Filter) -> set[str]:
        where, params = f.to_sql("postgresql")
        rows = pg_conn.execute(f'SELECT "runs"."id" FROM "runs" WHERE {where}', params)
        return {str(row[0]) for row in rows}

    _check_evaluation(select)


def _check_search(run: Callable[[qexpr.Search], qexpr.Page]) -> None:
    failures: list[str] = []
    for case in cases("search"):
        params, scopes, now = case["params"], case["scopes"], now_of(case)
        try:
            search = qexpr.compile_search(params, scopes=scopes, now=now)
        except QError as exc:
            got: dict[str, Any] = {"errors": [_span(e) for e in exc.errors]}
        else:
            bound = len(case["expect"].get("pages", [])) + 1
            pages: list[list[str]] = []
            while len(pages) < bound:
                page = run(search)
                pages.append([str(item["id"]) for item in page.items])
                if page.next is None:
                    break
                search = qexpr.compile_search({**params, "pq": page.next}, scopes=scopes, now=now)
            back: list[list[str]] = []
            while page.previous is not None and len(back) < bound:
                search = qexpr.compile_search(
                    {**params, "pq": page.previous, "from_prev": "true"}, scopes=scopes, now=now)
                page = run(search)
                back.append([str(item["id"]) for item in page.items])
            got = {"pages": pages, "back": back}
        if got != case["expect"]:
            failures.append(f"{case['id']} {params}: {got} != {case['expect']}")
    assert not failures, report(failures, len(cases("search")))


def test_search_cases_memory() -> None:
    records = dataset()
    _check_search(lambda s: s.apply(records))


def test_search_cases_sqlite() -> None:
    conn = _loaded_sqlite()
    try:
        _check_search(lambda s: s.execute(conn, "sqlite"))
    finally:
        conn.close()


def test_search_cases_postgresql(pg_conn: Any) -> None:
    pg_conn.execute(qexpr.reference_ddl("postgresql"))
    qexpr.load_records(pg_conn, dataset(), "postgresql")
    _check_search(lambda s: s.execute(pg_conn, "postgresql"))
