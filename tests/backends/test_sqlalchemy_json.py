"""JSON leaves through the SQLAlchemy backend at every path length (SQLite walks paths of
more than three keys with a recursive CTE), on columns declared JSONB / TEXT (the reference
layout) and as SQLAlchemy's generic ``JSON``: the same rows as the text SQL and the
predicate, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr.schema.model import Field, Schema, record
from qexpr.syntax.literals import encode_string, format_number
from tests.backends.test_differential import JSON_KEYS, json_values, pools
from tests.backends.test_sqlalchemy_differential import pg_engine
from tests.conftest import in_ci

SCHEMA = Schema("Doc", (record("Doc", Field("id", "string"), Field("body", "json")),))
KEYS = st.sampled_from(JSON_KEYS[:6])


def _layouts() -> dict[str, sa.MetaData]:
    generic = sa.MetaData()
    sa.Table("docs", generic, sa.Column("id", sa.Text, primary_key=True),
             sa.Column("body", sa.JSON))
    return {"reference": qexpr.reference_metadata(SCHEMA), "generic": generic}


@pytest.fixture(scope="module")
def engines() -> Iterator[dict[str, sa.Engine]]:
    found = {"sqlite": sa.create_engine("sqlite://", poolclass=sa.StaticPool)}
    dsn = os.environ.get("QEXPR_PG_DSN", "").strip()
    if not dsn and in_ci():
        pytest.fail("QEXPR_PG_DSN is not set (a missing PostgreSQL is a failure in CI)")
    name = "qexpr_sajson_" + uuid.uuid4().hex[:12]
    admin = pg_engine(dsn, "public") if dsn else None
    if admin is not None:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        found["postgresql"] = pg_engine(dsn, name)
    try:
        yield found
    finally:
        for engine in found.values():
            engine.dispose()
        if admin is not None:
            with admin.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            admin.dispose()


@st.composite
def nested(draw: st.DrawFn, leaf: st.SearchStrategy[Any], path: list[str]) -> Any:
    """A document that has (or, sometimes, almost has) ``path``, with noise around it."""
    value = draw(leaf)
    for key in reversed(path[: draw(st.integers(max(len(path) - 1, 0), len(path)))]):
        noise = draw(st.dictionaries(KEYS, leaf, max_size=2))
        value = {**noise, key: value} if draw(st.integers(0, 5)) else [value]
    return value


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        from decimal import Decimal

        return format_number(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
    return encode_string(str(value))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_json_paths_of_every_length(engines: dict[str, sa.Engine], data: st.DataObject) -> None:
    p = data.draw(pools(), label="pools")
    path = data.draw(st.lists(KEYS, min_size=1, max_size=6), label="path")
    leaf = json_values(p)
    docs = data.draw(st.lists(nested(leaf, path), min_size=1, max_size=5), label="docs")
    target = data.draw(st.sampled_from([*docs, None]))
    for key in path:
        target = target.get(key) if isinstance(target, dict) else None
    literal = target if isinstance(target, str | bool | int | float) else data.draw(
        st.sampled_from(["gold", 42, 1.5, True]))
    op = data.draw(st.sampled_from(["=", "!=", "<", ">="] if not isinstance(literal, bool)
                                   else ["=", "!="]))
    ref = "body" + "".join(f"[{encode_string(k)}]" for k in path)
    qs = [f"{ref} {op} {_literal(literal)}", f"{ref} IS NULL", f"NOT {ref} IS NOT NULL"]
    if isinstance(literal, str):
        qs.append(f"{ref} CONTAINS {encode_string(literal[:2])}")
    rows = [{"id": str(i), "body": doc} for i, doc in enumerate(docs)]
    for name, engine in engines.items():
        for layout, md in _layouts().items():
            docs_table = md.tables["docs"]
            md.drop_all(engine)
            md.create_all(engine)
            text_rows = [{"id": r["id"], "body": json.dumps(r["body"])} for r in rows]
            with engine.begin() as conn:
                if layout == "generic":
                    conn.execute(docs_table.insert(), rows)
                elif name == "sqlite":
                    conn.execute(docs_table.insert(), text_rows)
                else:
                    conn.execute(docs_table.insert(), rows)
            for q in qs:
                f = qexpr.compile(q, schema=SCHEMA)
                expected = {r["id"] for r in f.filter(rows)}
                with engine.connect() as conn:
                    found = set(conn.scalars(sa.select(docs_table.c.id).where(
                        f.to_sqlalchemy(docs_table, dialect=name))))
                    if layout == "reference":  # the text SQL assumes jsonb in PostgreSQL
                        text, params = f.to_sql(name)
                        by_text = {r[0] for r in conn.exec_driver_sql(
                            f'SELECT "docs"."id" FROM "docs" WHERE {text}', tuple(params))}
                        assert by_text == expected, (name, q)
                assert found == expected, (name, layout, q)
