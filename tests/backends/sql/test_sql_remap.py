"""A remapped storage layout (``Schema.with_storage``) works end to end on both databases."""

from __future__ import annotations

import pytest

from qexpr.backends.sql import reference_ddl
from qexpr.schema.run import RUN_SCHEMA

from .conftest import ALL, DIALECTS, dataset, make_db, pg_dsn_or_skip

REMAPPED = RUN_SCHEMA.with_storage(
    tables={"Run": "Run Table%", "Model": 'mod"els', "NodeRun": "t1", "ModelPricing": "prices",
            "EvaluationSummary": "evals"},
    columns={("Run", "client_ref"): "Client Ref", ("Run", "metadata"): "meta%s",
             ("Run", "id"): "run_pk", ("Model", "slug"): "model?slug",
             ("Model", "id"): "model_pk", ("NodeRun", "state_code"): "state:x"},
    keys={("Run", "node_runs"): ("id", "owner_run"),
          ("Run", "current_evaluation_summary"): ("id", "for_run")},
    record_keys={"EvaluationSummary": "for_run"},
)

QUERIES: list[tuple[str, set[str]]] = [
    ('client_ref = "a"', {"r4"}),
    ('client_ref ILIKE "b%"', {"r1", "r5"}),
    ('metadata.customer.tier = "gold"', {"r1", "r7"}),
    ('metadata["q\\"x"] = "y"', {"r5"}),
    ('model.slug = "flux-dev"', {"r1", "r4"}),
    ('NOT model.slug = "flux-dev"', {"r2", "r5"}),
    ('any(node_runs, state_code = "failed" AND retry_count >= 2)', {"r1", "r7"}),
    ('all(node_runs, state_code = "completed")', {"r2", "r3", "r5", "r6"}),
    ("any(model.pricing, price > 1)", {"r1", "r4"}),
    ("current_evaluation_summary.score < 0.5", {"r1"}),
    ("current_evaluation_summary.status_code IS NULL", ALL - {"r1"}),
    ("model_id = model.id", {"r1", "r2", "r4", "r5"}),
]


def test_remapped_ddl() -> None:
    ddl = reference_ddl("postgresql", REMAPPED)
    assert 'CREATE TABLE "Run Table%" (\n  "run_pk" uuid,' in ddl
    assert '"meta%s" jsonb' in ddl and '"model?slug" text' in ddl
    assert 'CREATE TABLE "t1" (' in ddl and '  "owner_run" uuid,\n  PRIMARY KEY ("id")' in ddl
    assert '  "for_run" uuid,\n  PRIMARY KEY ("for_run")' in ddl
    assert 'CREATE INDEX "t1_owner_run_idx" ON "t1" ("owner_run");' in ddl


@pytest.mark.parametrize("dialect", DIALECTS)
def test_remapped_layout_end_to_end(request: pytest.FixtureRequest, dialect: str) -> None:
    with make_db(dialect, pg_dsn_or_skip(request, dialect), REMAPPED) as db:
        db.load(dataset())
        assert db.execute('SELECT count(*) FROM "t1" WHERE "owner_run" IS NOT NULL')[0][0] == 4
        for q, expected in QUERIES:
            assert db.names(q) == expected, q
