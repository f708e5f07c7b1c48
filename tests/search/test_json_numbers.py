"""JSON integers beyond the double range are infinities in items, never an OverflowError."""

from __future__ import annotations

import math
import uuid

import qexpr
from qexpr.search.shape import json_number

ORG = "7d1c0a52-2f7e-4b8a-9c55-1f4f4d8f0a01"


def test_integers_beyond_the_double_range_are_infinities() -> None:
    assert json_number(10**400) == math.inf
    assert json_number(-(10**400)) == -math.inf
    assert json_number(2**53) == 2**53 and isinstance(json_number(2**53), int)
    assert json_number(2**53 + 1) == float(2**53 + 1)


def test_a_page_in_memory_carries_them_as_infinities() -> None:
    run = {"id": str(uuid.UUID(int=1)), "org_id": ORG, "created_at": "2024-01-01T00:00:00Z",
           "metadata": {"huge": 10**400, "tiny": -(10**400), "x": [10**400]}}
    search = qexpr.compile_search({"fields": "id,metadata", "q": "metadata.huge > 1"})
    page = search.apply([run])
    assert [item["metadata"] for item in page.items] == [
        {"huge": math.inf, "tiny": -math.inf, "x": [math.inf]}]
