"""Differential test of the SQLAlchemy backend: on every generated dataset and filter (the
generators of :mod:`tests.backends.test_differential`), ``Filter.to_sqlalchemy`` selects the
same runs as the text SQL and as the predicate, on real SQLite and PostgreSQL through
SQLAlchemy 2.x engines. The tables are made by ``qexpr.reference_metadata().create_all``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr.backends.sql import load_records
from tests.backends.test_differential import (
    DATASETS,
    FILTERS_PER_DATASET,
    NOW,
    SCHEMA,
    SCOPES,
    datasets,
    filter_texts,
)
from tests.conftest import in_ci


class SaEngines:
    """The reference layout behind a SQLAlchemy engine per database (PostgreSQL: None when
    there is none outside CI), reloaded per dataset."""

    def __init__(self, engines: dict[str, sa.Engine]) -> None:
        self.engines = engines
        self.metadata = qexpr.reference_metadata()
        self.runs = self.metadata.tables[SCHEMA.root_record.table]

    def load(self, runs: list[dict[str, Any]]) -> None:
        for name, engine in self.engines.items():
            with engine.begin() as conn:
                for table in reversed(self.metadata.sorted_tables):
                    conn.execute(table.delete())
            raw = engine.raw_connection()
            try:
                load_records(raw.driver_connection, runs, name)
                raw.commit()
            finally:
                raw.close()

    def ids(self, name: str, f: qexpr.Filter) -> tuple[set[str], set[str]]:
        """(run ids by the SQLAlchemy expression, by the text SQL)."""
        engine = self.engines[name]
        stmt = sa.select(self.runs.c.id).where(f.to_sqlalchemy(self.runs, dialect=name))
        where, params = f.to_sql(name)
        with engine.connect() as conn:
            by_sa = {str(v) for v in conn.scalars(stmt)}
            by_text = {str(row[0]) for row in conn.exec_driver_sql(
                f'SELECT "runs"."id" FROM "runs" WHERE {where}', tuple(params))}
        return by_sa, by_text


def pg_engine(dsn: str, schema: str) -> sa.Engine:
    """An engine on ``postgresql+psycopg`` whose connections use ``schema``."""
    import psycopg

    def connect() -> Any:
        conn = psycopg.connect(dsn)
        conn.execute(f'SET search_path TO "{schema}"')
        conn.commit()
        return conn

    return sa.create_engine("postgresql+psycopg://", creator=connect)


@pytest.fixture(scope="module")
def sa_engines() -> Iterator[SaEngines]:
    lite = sa.create_engine("sqlite://", poolclass=sa.StaticPool)
    engines = {"sqlite": lite}
    dsn = os.environ.get("QEXPR_PG_DSN", "").strip()
    if not dsn and in_ci():
        pytest.fail("QEXPR_PG_DSN is not set (a missing PostgreSQL is a failure in CI)")
    name = "qexpr_sadiff_" + uuid.uuid4().hex[:12]
    admin = pg_engine(dsn, "public") if dsn else None
    if admin is not None:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        engines["postgresql"] = pg_engine(dsn, name)
    for engine in engines.values():
        qexpr.reference_metadata().create_all(engine)
    try:
        yield SaEngines(engines)
    finally:
        for engine in engines.values():
            engine.dispose()
        if admin is not None:
            with admin.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            admin.dispose()


@settings(max_examples=max(DATASETS // 4, 10), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much])
@given(data=st.data())
def test_sqlalchemy_equals_text_sql_and_predicate(sa_engines: SaEngines,
                                                  data: st.DataObject) -> None:
    dataset = data.draw(datasets(), label="dataset")
    sa_engines.load(dataset.runs)
    for _ in range(FILTERS_PER_DATASET):
        q = data.draw(filter_texts(dataset.pools), label="q")
        f = qexpr.compile(q, scopes=SCOPES, now=NOW)
        predicate = f.to_predicate()
        expected = {run["id"] for run in dataset.runs if predicate(run)}
        for name in sa_engines.engines:
            by_sa, by_text = sa_engines.ids(name, f)
            assert by_text == expected, f"{name} text SQL differs for {f.to_q()}"
            assert by_sa == expected, f"{name} SQLAlchemy differs for {f.to_q()}"
