"""The SQLAlchemy Core backend on real SQLite and PostgreSQL: the reference MetaData is the
reference DDL, ORM models over remapped storage, the page Select equals the text page query,
and misuse is a QError with a stable code."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

import qexpr
from qexpr.backends.sql import load_records, reference_ddl
from qexpr.schema.run import RUN_SCHEMA
from tests.backends.test_sqlalchemy_differential import pg_engine
from tests.conftest import in_ci
from tests.search.strategies import FILTERS, Run, runs, sort_specs

SCOPES = ("evaluations:read",)


def _dsn() -> str | None:
    dsn = os.environ.get("QEXPR_PG_DSN", "").strip()
    if not dsn and in_ci():
        pytest.fail("QEXPR_PG_DSN is not set (a missing PostgreSQL is a failure in CI)")
    return dsn or None


@pytest.fixture(scope="module")
def engines() -> Iterator[dict[str, sa.Engine]]:
    """The reference layout (from qexpr.reference_metadata) behind SQLite and PostgreSQL."""
    found = {"sqlite": sa.create_engine("sqlite://", poolclass=sa.StaticPool)}
    dsn = _dsn()
    name = "qexpr_sa_" + uuid.uuid4().hex[:12]
    admin = pg_engine(dsn, "public") if dsn else None
    if admin is not None:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        found["postgresql"] = pg_engine(dsn, name)  # type: ignore[arg-type]
    for engine in found.values():
        qexpr.reference_metadata().create_all(engine)
    try:
        yield found
    finally:
        for engine in found.values():
            engine.dispose()
        if admin is not None:
            with admin.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            admin.dispose()


def _load(engine: sa.Engine, records: list[dict[str, Any]]) -> None:
    md = qexpr.reference_metadata()
    with engine.begin() as conn:
        for table in reversed(md.sorted_tables):
            conn.execute(table.delete())
    raw = engine.raw_connection()
    try:
        if records:
            load_records(raw.driver_connection, records, engine.dialect.name)
        raw.commit()
    finally:
        raw.close()


# --------------------------------------------------------------------------- the layout


def _sqlite_layout(conn: sqlite3.Connection) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        columns = [(r[1], r[2].upper(), r[5]) for r in conn.execute(
            f'PRAGMA table_info("{table}")')]
        indexes = {r[1]: [i[2] for i in conn.execute(f'PRAGMA index_info("{r[1]}")')]
                   for r in conn.execute(f'PRAGMA index_list("{table}")') if r[3] == "c"}
        out[table] = (sorted(columns), indexes)
    return out


def test_reference_metadata_is_the_reference_ddl_in_sqlite() -> None:
    by_ddl = sqlite3.connect(":memory:")
    by_ddl.executescript(reference_ddl("sqlite"))
    engine = sa.create_engine("sqlite://", poolclass=sa.StaticPool)
    qexpr.reference_metadata().create_all(engine)
    raw = engine.raw_connection()
    try:
        assert _sqlite_layout(raw.driver_connection) == _sqlite_layout(by_ddl)
    finally:
        raw.close()
        by_ddl.close()


def test_reference_metadata_is_the_reference_ddl_in_postgresql(pg_conn: Any) -> None:
    schema = pg_conn.execute("SELECT current_schema()").fetchone()[0]
    pg_conn.execute(reference_ddl("postgresql"))
    other = schema + "_sa"
    pg_conn.execute(f'CREATE SCHEMA "{other}"')
    dsn = os.environ["QEXPR_PG_DSN"]
    engine = pg_engine(dsn, other)
    try:
        qexpr.reference_metadata().create_all(engine)
        layout = []
        for name in (schema, other):
            columns = pg_conn.execute(
                "SELECT table_name, column_name, data_type, collation_name, is_nullable "
                "FROM information_schema.columns WHERE table_schema = %s ORDER BY 1, 2",
                [name]).fetchall()
            indexes = pg_conn.execute(
                "SELECT indexname, replace(indexdef, %s, '') FROM pg_indexes "
                "WHERE schemaname = %s ORDER BY 1", [f'"{name}".', name]).fetchall()
            pkeys = pg_conn.execute(
                "SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints"
                " tc JOIN information_schema.key_column_usage kcu USING (constraint_schema, "
                "constraint_name) WHERE tc.constraint_type = 'PRIMARY KEY' AND "
                "tc.table_schema = %s ORDER BY 1", [name]).fetchall()
            layout.append((columns, [(n, d.replace(f"{name}.", "")) for n, d in indexes
                                     if not n.endswith("_pkey")], pkeys))
        assert layout[0] == layout[1]
        assert layout[0][1], "the reference layout has indexes"
    finally:
        engine.dispose()
        pg_conn.execute(f'DROP SCHEMA "{other}" CASCADE')


# --------------------------------------------------------------------------- ORM models


class Base(DeclarativeBase):
    pass


class JobModel(Base):
    __tablename__ = "ml_models"
    id: Mapped[str] = mapped_column(sa.String, primary_key=True)
    handle: Mapped[str | None] = mapped_column(sa.String)


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(sa.String, primary_key=True)
    price: Mapped[float | None] = mapped_column(sa.Float)
    ref: Mapped[str | None] = mapped_column(sa.String)
    ml_model: Mapped[str | None] = mapped_column(sa.String)


STORAGE = RUN_SCHEMA.with_storage(
    tables={"Run": "jobs", "Model": "ml_models"},
    columns={("Run", "cost"): "price", ("Run", "client_ref"): "ref",
             ("Model", "slug"): "handle"},
    keys={("Run", "model"): ("ml_model", "id")})


def test_orm_models_over_remapped_storage() -> None:
    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    models = [JobModel(id="m1", handle="flux"), JobModel(id="m2", handle="sdxl")]
    jobs = [Job(id=str(uuid.UUID(int=i + 1)), price=p, ref=r, ml_model=m) for i, (p, r, m) in
            enumerate([(1.5, "a", "m1"), (0.5, None, "m2"), (None, "b", None), (3.0, "c", "m9")])]
    records = [{"id": j.id, "cost": j.price, "client_ref": j.ref, "model_id": j.ml_model,
                "model": next(({"id": m.id, "slug": m.handle} for m in models
                               if m.id == j.ml_model), None)} for j in jobs]
    with Session(engine) as session:
        session.add_all([*models, *jobs])
        session.commit()
        for q in ['cost > 1 AND model.slug = "flux"', "NOT cost > 1", 'client_ref < "b"',
                  "model.slug IS NULL", 'model.slug STARTS_WITH "s" OR cost IS NULL']:
            f = qexpr.compile(q, schema=STORAGE)
            expected = {r["id"] for r in f.filter(records)}
            where = f.to_sqlalchemy(Job.__table__, dialect=engine)
            found = {j.id for j in session.scalars(sa.select(Job).where(where))}
            assert found == expected, q
            text, params = f.to_sql("sqlite")
            by_text = {row[0] for row in session.connection().exec_driver_sql(
                f'SELECT "jobs"."id" FROM "jobs" WHERE {text}', tuple(params))}
            assert by_text == expected


def test_every_way_of_naming_tables_agrees() -> None:
    f = qexpr.compile('cost > 1 AND model.slug = "flux"', schema=STORAGE)
    ways: list[Any] = [Job, Job.__table__, Base.metadata, {"Run": Job, "Model": JobModel},
                       {"jobs": Job.__table__}, [Job.__table__, JobModel.__table__]]
    printed = {str(sa.select(sa.literal(1)).where(f.to_sqlalchemy(w, "sqlite"))
                   .compile(dialect=sa.create_engine("sqlite://").dialect)) for w in ways}
    assert len(printed) == 1


# --------------------------------------------------------------------------- misuse


def _error(make: Any) -> qexpr.QError:
    with pytest.raises(qexpr.QError) as err:
        make()
    return err.value


def test_misuse_is_a_qerror_with_a_stable_code() -> None:
    f = qexpr.compile('cost > 1 AND model.slug = "flux"')
    md = sa.MetaData()
    runs = sa.Table("runs", md, sa.Column("id", sa.Text), sa.Column("model_id", sa.Text))
    err = _error(lambda: f.to_sqlalchemy(runs))
    assert err.code is qexpr.ErrorCode.UNKNOWN_FIELD and "'cost'" in err.message
    sa.Table("runs2", md, sa.Column("cost", sa.Float))
    assert _error(lambda: qexpr.compile("cost > 1").to_sqlalchemy(
        md.tables["runs2"], "postgresql")).code is qexpr.ErrorCode.TYPE_MISMATCH
    with_cost = sa.Table("r3", sa.MetaData(), sa.Column("cost", sa.Numeric),
                         sa.Column("model_id", sa.Text))
    err = _error(lambda: f.to_sqlalchemy(with_cost))
    assert err.code is qexpr.ErrorCode.UNKNOWN_FIELD and "models" in err.message
    stamped = sa.Table("r4", sa.MetaData(), sa.Column("created_at", sa.DateTime))
    ts = qexpr.compile('created_at > "2024-01-01"')
    err = _error(lambda: ts.to_sqlalchemy(stamped, "sqlite"))
    assert err.code is qexpr.ErrorCode.TYPE_MISMATCH and err.hint and "text" in err.hint
    assert _error(lambda: ts.to_sqlalchemy(stamped, "postgresql")).code \
        is qexpr.ErrorCode.TYPE_MISMATCH
    tz = sa.Table("r5", sa.MetaData(), sa.Column("created_at", sa.DateTime(timezone=True)))
    assert ts.to_sqlalchemy(tz, "postgresql") is not None
    ids = sa.Table("r6", sa.MetaData(), sa.Column("id", sa.Uuid))
    uid = qexpr.compile(f'id = "{uuid.UUID(int=1)}"')
    assert _error(lambda: uid.to_sqlalchemy(ids, "sqlite")).code is qexpr.ErrorCode.TYPE_MISMATCH
    assert uid.to_sqlalchemy(ids, "postgresql") is not None
    err = _error(lambda: f.to_sqlalchemy("runs"))
    assert isinstance(err, TypeError) and err.code is qexpr.ErrorCode.TYPE_MISMATCH
    err = _error(lambda: f.to_sqlalchemy({"Nope": runs}))
    assert err.code is qexpr.ErrorCode.UNKNOWN_FIELD
    untyped = sa.table("runs", sa.column("cost"))
    assert qexpr.compile("cost > 1").to_sqlalchemy(untyped) is not None


def test_values_are_bound_and_identifiers_quoted() -> None:
    nasty = "x'; DROP TABLE runs; --"
    f = qexpr.compile(f'client_ref = "{nasty}" OR metadata["{nasty}"] = "a%"')
    for name in ("sqlite", "postgresql"):
        compiled = sa.select(sa.literal(1)).where(f.to_sqlalchemy(None, name)).compile(
            dialect=qexpr.backends.sqlalchemy.tables.sa_dialect(name))
        assert nasty not in str(compiled) and "a%" not in str(compiled)
        assert nasty in compiled.params.values()


# --------------------------------------------------------------------------- the page


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=runs(max_size=8), sort_by=sort_specs(), q=st.sampled_from(FILTERS),
       limit=st.integers(1, 4), steps=st.integers(0, 3), back=st.booleans())
def test_page_select_equals_the_text_page_query(
        engines: dict[str, sa.Engine], data: list[Run], sort_by: str | None, q: str,
        limit: int, steps: int, back: bool) -> None:
    params = {"q": q, "limit": str(limit), "embed": "model",
              **({"sort_by": sort_by} if sort_by else {})}
    for name, engine in engines.items():
        _load(engine, [r.record for r in data])
        search = qexpr.compile_search(params, scopes=SCOPES)
        raw = engine.raw_connection()
        try:
            for _ in range(steps + 1):
                text, values = search.to_sql(name)
                with engine.connect() as conn:
                    by_text = [tuple(r) for r in conn.exec_driver_sql(text, tuple(values))]
                    by_sa = [tuple(r) for r in conn.execute(search.to_sqlalchemy(dialect=name))]
                assert by_sa == by_text, (name, search)
                page = search.execute(raw.driver_connection, name)
                cursor = page.previous if back and page.previous else page.next
                if cursor is None:
                    break
                search = search.follow(cursor)
        finally:
            raw.close()


def test_a_table_met_again_is_aliased() -> None:
    """A relation back to a table of an enclosing query (here a record's own table) is read
    through an alias, so the inner and outer rows never mix."""
    from qexpr.schema.model import Field, Schema, record, to_many, to_one

    node = record("Node", Field("id", "string"), Field("name", "string"),
                  Field("parent_id", "string"), to_one("parent", "Node"),
                  to_many("children", "Node", remote_key="parent_id"))
    schema = Schema("Node", (node,))
    rows = [("a", "root", None), ("b", "x", "a"), ("c", "y", "b"), ("d", "y", "a"),
            ("e", "z", "d")]
    engine = sa.create_engine("sqlite://")
    md = qexpr.reference_metadata(schema)
    md.create_all(engine)
    nodes = md.tables["nodes"]
    with engine.begin() as conn:
        conn.execute(nodes.insert(), [{"id": i, "name": n, "parent_id": p} for i, n, p in rows])
    for q, expected in [('parent.name = "x"', {"c"}), ('parent.parent.name = "root"', {"c", "e"}),
                        ('any(children, name = "y")', {"a", "b"}),
                        ('any(children, any(children, name = "y"))', {"a"}),
                        ('all(children, name = "y" AND parent.name != name)', {"b", "c", "e"}),
                        ('any(children, parent.name = "root")', {"a"})]:
        f = qexpr.compile(q, schema=schema)
        with engine.connect() as conn:
            found = set(conn.scalars(sa.select(nodes.c.id).where(f.to_sqlalchemy(nodes))))
            text, params = f.to_sql("sqlite")
            by_text = {r[0] for r in conn.exec_driver_sql(
                f'SELECT "nodes"."id" FROM "nodes" WHERE {text}', tuple(params))}
        assert found == by_text == expected, q


def test_page_select_over_orm_tables_pages_as_memory() -> None:
    """The page Select over remapped ORM tables gives the in-memory pages, cursor by cursor."""
    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    jobs = [Job(id=str(uuid.UUID(int=i + 1)), price=[None, 0.5, 1.5][i % 3], ref=f"r{i % 4}",
                ml_model=["m1", None][i % 2]) for i in range(9)]
    records = [{"id": j.id, "cost": j.price, "client_ref": j.ref} for j in jobs]
    with Session(engine) as session:
        session.add_all([JobModel(id="m1", handle="flux"), *jobs])
        session.commit()
        params = {"q": "cost IS NULL OR cost < 1 OR client_ref >= \"r2\"", "limit": "2",
                  "sort_by": "cost:desc,client_ref", "fields": "id,cost,client_ref"}
        search = qexpr.compile_search(params, schema=STORAGE)
        for _ in range(10):
            expected = search.apply(records)
            rows = session.execute(search.to_sqlalchemy({"Run": Job}, dialect="sqlite")).all()
            ids = [r.c0 for r in rows][: search.limit]
            if search.backward:
                ids.reverse()
            assert ids == [item["id"] for item in expected.items]
            if expected.next is None:
                break
            search = search.follow(expected.next)
        else:
            pytest.fail("the pages never end")


def test_boundary_select_equals_the_text_boundary_query(engines: dict[str, sa.Engine]) -> None:
    from qexpr.backends.sqlalchemy import boundary_select

    records = [{"id": str(uuid.UUID(int=i + 1)), "client_ref": "x" * 300 + str(i % 3),
                "created_at": "2024-01-01T00:00:00Z"} for i in range(5)]
    for name, engine in engines.items():
        _load(engine, records)
        search = qexpr.compile_search({"sort_by": "client_ref", "limit": "2"})
        raw = engine.raw_connection()
        try:
            page = search.execute(raw.driver_connection, name)
        finally:
            raw.close()
        assert page.next is not None
        follow = search.follow(page.next)
        assert follow.needs_boundary_row
        with pytest.raises(qexpr.QError) as err:
            follow.to_sqlalchemy(dialect=name)
        assert err.value.param == "pq"
        stmt = boundary_select(follow, dialect=name)
        found = follow.boundary_query(name)
        assert stmt is not None and found is not None
        with engine.connect() as conn:
            by_sa = [tuple(r) for r in conn.execute(stmt)]
            by_text = [tuple(r) for r in conn.exec_driver_sql(found[0], tuple(found[1]))]
        assert by_sa == by_text and len(by_sa) == 1
        assert boundary_select(search, dialect=name) is None


def test_an_aliased_root_table() -> None:
    """The root may be an alias (the surrounding query's name for it); related tables are
    still found in its table's MetaData."""
    md = qexpr.reference_metadata()
    r = md.tables["runs"].alias("r")
    f = qexpr.compile('model.slug = "flux" AND cost > 1')
    text = str(sa.select(r.c.id).where(f.to_sqlalchemy(r)).compile(
        dialect=qexpr.backends.sqlalchemy.tables.sa_dialect("sqlite")))
    assert "r.model_id" in text and "r.cost" in text and "runs" not in text.replace(
        "FROM runs AS r", "")


def test_execute_on_a_sqlalchemy_connection_or_session(engines: dict[str, sa.Engine]) -> None:
    """qexpr.backends.sqlalchemy.execute gives the pages Search.execute gives on the raw
    driver connection, on a Connection and on an ORM Session."""
    from qexpr.backends.sqlalchemy import execute

    records = qexpr.example_runs()[:30]
    for name, engine in engines.items():
        _load(engine, records)
        search = qexpr.compile_search({"limit": "7", "embed": "model,node_runs",
                                       "q": "duration_ms > 100"}, scopes=SCOPES)
        raw = engine.raw_connection()
        try:
            for _ in range(6):
                expected = search.execute(raw.driver_connection, name).to_dict()
                with engine.connect() as conn:
                    assert execute(search, conn).to_dict() == expected
                with Session(engine) as session:
                    assert execute(search, session).to_dict() == expected
                if expected["next"] is None:
                    break
                search = search.follow(expected["next"])
        finally:
            raw.close()
    with pytest.raises(qexpr.QError) as err:
        execute(search, sqlite3.connect(":memory:"))
    assert isinstance(err.value, TypeError)


def test_dialects_by_name_or_engine() -> None:
    from qexpr.backends.sqlalchemy import dialect_name

    lite = sa.create_engine("sqlite://")
    assert dialect_name(lite) == dialect_name(lite.dialect) == dialect_name("sqlite3") == "sqlite"
    assert dialect_name("postgres") == "postgresql"
    with Session(lite) as session:
        assert dialect_name(session) == "sqlite"
    with pytest.raises(ValueError):
        dialect_name("oracle")
    with pytest.raises(TypeError):
        dialect_name(42)


def test_default_tables_are_the_reference_metadata_s() -> None:
    """Without tables, the expression reads the tables of qexpr.reference_metadata(), so it
    combines with a statement over them (one FROM runs, not two)."""
    md = qexpr.reference_metadata()
    assert md is qexpr.reference_metadata(RUN_SCHEMA)
    runs = md.tables["runs"]
    stmt = sa.select(runs.c.id).where(qexpr.compile("cost > 1").to_sqlalchemy())
    assert str(stmt.compile(dialect=qexpr.backends.sqlalchemy.tables.sa_dialect("sqlite"))) \
        .count("runs") == 3  # SELECT runs.id FROM runs WHERE runs.cost > ?


def test_page_select_keeps_the_server_condition(engines: dict[str, sa.Engine]) -> None:
    """org_id= and where= are in the page Select as in the text page: no row of another org."""
    mine, other = uuid.UUID(int=7), uuid.UUID(int=8)
    records = []
    for i, run in enumerate(qexpr.example_runs()[:40]):
        run = {k: v for k, v in run.items() if k not in ("node_runs", "logs")}
        run["org_id"] = str(mine if i % 2 else other)
        records.append(run)
    for name, engine in engines.items():
        _load(engine, records)
        search = qexpr.compile_search({"q": "duration_ms > 0", "limit": "5"}, org_id=mine,
                                      where="cost IS NOT NULL OR cost IS NULL")
        runs_table = qexpr.reference_metadata().tables["runs"]
        stmt = search.to_sqlalchemy(dialect=name).add_columns(runs_table.c.org_id)
        seen = 0
        for _ in range(10):
            text, values = search.to_sql(name)
            with engine.connect() as conn:
                rows = conn.execute(stmt).all()
                by_text = [tuple(r) for r in conn.exec_driver_sql(text, tuple(values))]
            assert [tuple(r)[:-1] for r in rows] == by_text
            assert {str(r[-1]) for r in rows} <= {str(mine)}
            seen += len(rows[: search.limit])
            raw = engine.raw_connection()
            try:
                page = search.execute(raw.driver_connection, name)
            finally:
                raw.close()
            if page.next is None:
                break
            search = search.follow(page.next)
            stmt = search.to_sqlalchemy(dialect=name).add_columns(runs_table.c.org_id)
        assert seen == sum(1 for r in records if r["org_id"] == str(mine)
                           and (r.get("duration_ms") or 0) > 0)
