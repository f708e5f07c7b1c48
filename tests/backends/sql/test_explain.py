"""Index-friendly SQL on PostgreSQL (issue 11 item 5): the reference DDL's text columns are
``COLLATE "C"``, a tenant page has its index, and ``Field.code_point_collation`` drops the
``COLLATE`` for columns that already order by code point. The plans are read with EXPLAIN on
the real server.

Every plan test runs with ``SET enable_seqscan = off``: the tables hold a few thousand rows,
where a sequential scan can be cheapest even though an index serves the condition. Turning it
off asks only whether the index *can* serve the query: a Seq Scan (or a Sort) that remains
means it cannot.
"""

from __future__ import annotations

import random
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr.backends.sql import load_records, reference_ddl
from qexpr.schema.model import Field, Schema, fields, record
from qexpr.schema.run import RUN_SCHEMA
from qexpr.search import compile_search

ORGS = [str(uuid.UUID(int=0xA000 + i)) for i in range(8)]
CODES = ["oom", "timeout", "a", "B", "É", "é", "\U0001f600", "\uffff", None]
BASE = datetime(2024, 1, 1, tzinfo=UTC)
POSIX_RUNS = RUN_SCHEMA.with_storage(code_point={("Run", "client_ref"): True})


def _runs(count: int = 4000) -> list[dict[str, Any]]:
    rnd = random.Random(11)
    return [{"id": str(uuid.UUID(int=rnd.getrandbits(128))), "org_id": rnd.choice(ORGS),
             "created_at": BASE + timedelta(seconds=rnd.randrange(10**7)),
             "failure_code": rnd.choice(CODES) if i % 40 == 0 else f"code-{i}",
             "client_ref": rnd.choice(CODES) if i % 3 == 0 else f"ref-{rnd.randrange(500)}"}
            for i in range(count)]


def _explain(conn: Any, text: str, params: list[Any]) -> str:
    return "\n".join(r[0] for r in conn.execute("EXPLAIN " + text, params).fetchall())


def _load(conn: Any, schema: Schema = RUN_SCHEMA) -> list[dict[str, Any]]:
    conn.execute(reference_ddl("postgresql", schema))
    runs = _runs()
    load_records(conn, runs, "postgresql", schema)
    return runs


def _filter_sql(conn: Any, q: str, schema: Schema = RUN_SCHEMA) -> str:
    where, params = qexpr.compile(q, schema=schema).to_sql("postgresql")
    return _explain(conn, f'SELECT "runs"."id" FROM "runs" WHERE {where}', params)


def _no_seqscan(conn: Any) -> None:
    conn.execute("ANALYZE")
    conn.execute("SET enable_seqscan = off")


# --------------------------------------------------------------------------- the layout


def test_reference_ddl_collates_text_by_code_point() -> None:
    pg = reference_ddl("postgresql")
    assert '"failure_code" text COLLATE "C",' in pg
    assert '"created_at" timestamptz,' in pg and '"id" uuid,' in pg
    assert "COLLATE" not in reference_ddl("sqlite")  # BINARY, SQLite's default, is code point


def test_reference_ddl_indexes_the_tenant_page() -> None:
    for dialect in ("postgresql", "sqlite"):
        ddl = reference_ddl(dialect)
        assert ('CREATE INDEX "runs_org_id_created_at_id_idx" ON "runs" '
                '("org_id", "created_at", "id");') in ddl
        assert 'CREATE INDEX "runs_created_at_id_idx" ON "runs" ("created_at", "id");' in ddl
    plain = Schema("Thing", (record("Thing", fields("id:uuid created_at:timestamp")),))
    assert "org_id" not in reference_ddl("postgresql", plain)


def test_the_columns_are_created_in_the_c_collation(pg_conn: Any) -> None:
    pg_conn.execute(reference_ddl("postgresql"))
    rows = dict(pg_conn.execute(
        "SELECT a.attname, c.collname FROM pg_attribute a JOIN pg_collation c "
        "ON c.oid = a.attcollation WHERE a.attrelid = 'runs'::regclass").fetchall())
    assert rows["failure_code"] == "C" and rows["client_ref"] == "C"
    assert "id" not in rows and "created_at" not in rows  # not collatable


# --------------------------------------------------------------------------- the flag


def test_the_flag_drops_collate_from_order_range_and_pattern() -> None:
    q = ('client_ref > "a" AND client_ref BETWEEN "a" AND "b" AND client_ref LIKE "a%" '
         'AND client_ref = failure_code AND client_ref IN ("x") AND failure_code < "z"')
    plain, _ = qexpr.compile(q).to_sql("postgresql")
    flagged, _ = qexpr.compile(q, schema=POSIX_RUNS).to_sql("postgresql")
    assert plain.count('"client_ref" COLLATE "C"') == 3
    assert '"client_ref" COLLATE "C"' not in flagged
    assert '"runs"."failure_code" COLLATE "C" < %s::text' in flagged  # only the flagged column
    s = compile_search({"sort_by": "client_ref:desc"}, schema=POSIX_RUNS)
    assert s.to_sql("postgresql")[0].endswith(
        'ORDER BY "runs"."client_ref" DESC NULLS FIRST, "runs"."id" DESC NULLS FIRST LIMIT %s')
    # A JSON string leaf is no column: it keeps its COLLATE whatever the flags say.
    json_q, _ = qexpr.compile('metadata.tier > "a"', schema=POSIX_RUNS).to_sql("postgresql")
    assert 'COLLATE "C" > %s::text' in json_q


def test_the_flag_is_for_string_fields_and_named_fields_only() -> None:
    assert Field("s", "string", code_point_collation=True).code_point_collation
    assert repr(Field("s", "string", code_point_collation=True)) == (
        "Field('s', 'string', code_point_collation=True)")
    with pytest.raises(ValueError, match="code_point_collation is for string fields"):
        Field("n", "integer", code_point_collation=True)
    with pytest.raises(ValueError, match=r"unknown names Run\.nope"):
        RUN_SCHEMA.with_storage(code_point={("Run", "nope"): True})
    assert Schema.from_dict(POSIX_RUNS.to_dict()) == POSIX_RUNS != RUN_SCHEMA


# --------------------------------------------------------------------------- plans


def test_equality_and_in_on_an_indexed_string_use_the_index(pg_conn: Any) -> None:
    _load(pg_conn)
    pg_conn.execute('CREATE INDEX "runs_failure_code_idx" ON "runs" ("failure_code")')
    _no_seqscan(pg_conn)
    for q in ('failure_code = "oom"', 'failure_code IN ("oom", "É")'):
        plan = _filter_sql(pg_conn, q)
        assert "runs_failure_code_idx" in plan and "Index Cond: (failure_code =" in plan, plan
        assert "Seq Scan" not in plan, plan
    # Ordering comparisons and prefixes keep COLLATE "C", which the "C" column's index serves.
    for q in ('failure_code >= "code-3999"', 'failure_code STARTS_WITH "code-39"',
              'failure_code BETWEEN "o" AND "p"'):
        plan = _filter_sql(pg_conn, q)
        assert "runs_failure_code_idx" in plan, plan
        assert re.search(r"Index Cond: \(+failure_code >", plan), plan


def test_a_page_sorted_by_an_indexed_string_uses_the_index(pg_conn: Any) -> None:
    runs = _load(pg_conn)
    pg_conn.execute('CREATE INDEX "runs_client_ref_id_idx" ON "runs" ("client_ref", "id")')
    _no_seqscan(pg_conn)
    s = compile_search({"sort_by": "client_ref", "limit": "20"})
    page = s.execute(pg_conn, "postgresql")
    assert page == s.apply(runs)
    second = s.follow(page.next or "")
    for search in (s, second):
        plan = _explain(pg_conn, *search.to_sql("postgresql"))
        assert "Index Scan using runs_client_ref_id_idx" in plan, plan
        assert "Sort" not in plan, plan
    assert second.execute(pg_conn, "postgresql") == second.apply(runs)


def test_a_tenant_page_in_the_default_order_uses_the_tenant_index(pg_conn: Any) -> None:
    runs = _load(pg_conn)
    _no_seqscan(pg_conn)
    # The server's tenant condition (org_id=) and the same test written in q.
    for s in (compile_search({"limit": "25", "q": "duration_ms IS NULL"}, org_id=ORGS[3]),
              compile_search({"q": f'org_id = "{ORGS[3]}"', "limit": "25"})):
        page = s.execute(pg_conn, "postgresql")
        assert page == s.apply(runs) and len(page.items) == 25
        assert {item["org_id"] for item in page.items} == {ORGS[3]}
        second = s.follow(page.next or "")
        for search, cond in ((s, "Index Cond: (org_id ="),
                             (second, "Index Cond: ((org_id = ")):
            plan = _explain(pg_conn, *search.to_sql("postgresql"))
            assert "Index Scan Backward using runs_org_id_created_at_id_idx" in plan, plan
            assert cond in plan and "Sort" not in plan, plan
        assert "created_at <=" in _explain(pg_conn, *second.to_sql("postgresql"))
        assert second.execute(pg_conn, "postgresql") == second.apply(runs)


def test_a_posix_column_needs_the_flag_for_its_index(pg_conn: Any) -> None:
    """A column in another code-point collation: COLLATE "C" would bypass its index, the
    flag lets the index serve the order, and the answers are q's order either way."""
    runs = _load(pg_conn)
    pg_conn.execute('ALTER TABLE "runs" ALTER COLUMN "client_ref" TYPE text COLLATE "POSIX"')
    pg_conn.execute('CREATE INDEX "runs_client_ref_id_idx" ON "runs" ("client_ref", "id")')
    _no_seqscan(pg_conn)
    for schema, indexed in ((RUN_SCHEMA, False), (POSIX_RUNS, True)):
        s = compile_search({"sort_by": "client_ref", "limit": "500"}, schema=schema)
        plan = _explain(pg_conn, *s.to_sql("postgresql"))
        assert ("Index Scan using runs_client_ref_id_idx" in plan) is indexed, plan
        assert ("Sort" in plan) is not indexed, plan
        assert s.execute(pg_conn, "postgresql") == s.apply(runs)
        q = 'client_ref > "B" AND client_ref < "é"'
        assert _ids(pg_conn, q, schema) == {r["id"] for r in runs
                                            if r["client_ref"] and "B" < r["client_ref"] < "é"}
    plan = _filter_sql(pg_conn, 'client_ref >= "ref-499"', POSIX_RUNS)
    assert "Index Cond: (client_ref >=" in plan, plan


def _ids(conn: Any, q: str, schema: Schema) -> set[str]:
    where, params = qexpr.compile(q, schema=schema).to_sql("postgresql")
    rows = conn.execute(f'SELECT "runs"."id" FROM "runs" WHERE {where}', params).fetchall()
    return {str(r[0]) for r in rows}


def test_equality_ne_and_in_print_no_collate_with_or_without_the_flag() -> None:
    for schema in (RUN_SCHEMA, POSIX_RUNS):
        text, _ = qexpr.compile('client_ref = "a" AND client_ref != "b" AND '
                                'client_ref IN ("c", "d") AND client_ref NOT IN ("e")',
                                schema=schema).to_sql("postgresql")
        assert "COLLATE" not in text, text


_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                max_size=4)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=st.lists(st.one_of(st.none(), _TEXT), min_size=1, max_size=8),
       literal=_TEXT, flagged=st.booleans())
def test_code_point_order_holds_on_a_posix_column(pg_conn: Any, values: list[str | None],
                                                  literal: str, flagged: bool) -> None:
    """Law: on a column collated "POSIX", with or without the flag, comparisons and sorted
    pages answer as the in-memory predicate does (q's code-point order)."""
    if not _has_table(pg_conn):
        pg_conn.execute(reference_ddl("postgresql"))
        pg_conn.execute('ALTER TABLE "runs" ALTER COLUMN "client_ref" TYPE text '
                        'COLLATE "POSIX"')
    pg_conn.execute('TRUNCATE "runs"')
    schema = POSIX_RUNS if flagged else RUN_SCHEMA
    runs = [{"id": str(uuid.UUID(int=i + 1)), "client_ref": v,
             "created_at": BASE + timedelta(seconds=i)} for i, v in enumerate(values)]
    load_records(pg_conn, runs, "postgresql", schema)
    quoted = qexpr.quote(literal)
    for q in (f"client_ref < {quoted}", f"client_ref BETWEEN {quoted} AND \"\U0010ffff\"",
              f"client_ref STARTS_WITH {quoted}", f"client_ref != {quoted}"):
        expected = {r["id"] for r in runs if qexpr.compile(q, schema=schema).matches(r)}
        assert _ids(pg_conn, q, schema) == expected, q
    s = compile_search({"sort_by": "client_ref:desc", "limit": "3"}, schema=schema)
    page = s.execute(pg_conn, "postgresql")
    assert page == s.apply(runs)
    if page.next is not None:
        after = s.follow(page.next)
        assert after.execute(pg_conn, "postgresql") == after.apply(runs)


def _has_table(conn: Any) -> bool:
    return conn.execute("SELECT to_regclass('runs') IS NOT NULL").fetchone()[0] is True
