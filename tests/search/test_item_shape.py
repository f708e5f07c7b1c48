"""Items shaped as the seed's example shows them (issue 11 item 4): every field present (null
when missing) unless ``fields`` projects it away, embedded logs with ``"run": null``, nested
lists present even when a record leaves them out; the same in memory, SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qexpr import compile_search
from tests.search.databases import Database, run_dbs_fixture

__all__ = ["run_dbs_fixture"]

SEED = Path(__file__).resolve().parents[1] / "schema" / "data" / "seed_runs_api.txt"
SCOPES = ("evaluations:read",)
RUN_ID = "00000000-0000-4000-8000-000000000001"
MODEL_ID = "00000000-0000-4000-8000-0000000000aa"


def seed_item() -> dict[str, Any]:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("{", text.index("curl"))
    document, _ = json.JSONDecoder().raw_decode(text, start)
    item = document["items"][0]
    assert isinstance(item, dict)
    return item


def keys_of(value: Any) -> Any:
    """The key structure of an item: the keys of every object, first element of lists."""
    if isinstance(value, dict) and value:  # {} is a json value in the seed
        return {k: keys_of(v) for k, v in value.items()}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [keys_of(value[0])]
    return None


SPARSE = {
    "id": RUN_ID, "created_at": "2024-01-01T00:00:00Z",
    "logs": [{"id": "00000000-0000-4000-8000-000000000011", "message": "hi"}],
    "node_runs": [{"id": "00000000-0000-4000-8000-000000000021"}],
    "model_id": MODEL_ID, "model": {"id": MODEL_ID},  # no inputs, outputs, pricing...
    "comfyui_workflow": None, "flow": None,
    "current_evaluation_summary": {"passed": True, "status_code": "done", "score": 0.5},
}
EMBEDS = "comfyui_workflow,current_evaluation_summary,flow,logs,model,node_runs"


def _pages(run_dbs: list[Database], params: dict[str, str]) -> list[Any]:
    search = compile_search(params, scopes=SCOPES)
    memory = search.apply([SPARSE])
    pages = [memory]
    for db in run_dbs:
        db.reset([SPARSE])
        pages.append(search.execute(db.conn, db.dialect))
    for page in pages[1:]:
        assert page == memory
        assert [list(i) for i in page.items] == [list(i) for i in memory.items]  # key order too
    return pages


def test_every_seed_key_is_present(run_dbs: list[Database]) -> None:
    pages = _pages(run_dbs, {"embed": EMBEDS})
    item = pages[0].items[0]
    expected = keys_of(seed_item())
    got = keys_of(item)
    # the example shows no workflow nor flow for this run: both are null
    assert item["comfyui_workflow"] is None and item["flow"] is None
    for name in ("comfyui_workflow", "flow"):
        expected.pop(name, None)  # the seed shows no flow object
        got.pop(name)
    assert got["logs"] == expected["logs"]  # "run": null included
    assert item["logs"][0]["run"] is None and item["logs"][0]["level_code"] is None
    assert got["model"] == {**expected["model"], **{k: None for k in (
        "inputs", "outputs", "examples", "faq_entries", "pricing", "related_links")}}
    assert item["model"]["inputs"] == [] and item["model"]["pricing"] == []
    assert {k: v for k, v in got.items() if k != "model"} == \
        {k: v for k, v in expected.items() if k != "model"}
    assert item["failure_code"] is None and item["metadata"] is None


def test_fields_projects_the_rest_away(run_dbs: list[Database]) -> None:
    pages = _pages(run_dbs, {"fields": "cost,logs"})
    item = pages[0].items[0]
    assert list(item) == ["id", "cost", "logs"]
    assert item["cost"] is None
    assert list(item["logs"][0]) == ["id", "run_id", "level_code", "message", "timestamp",
                                     "meta", "run"]
    assert item["logs"][0]["run_id"] == RUN_ID
