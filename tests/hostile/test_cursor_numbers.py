"""Items 7 and 8: numbers come out the same from memory, SQLite and PostgreSQL. An integer
field holding ``5.0`` (or ``Decimal("5")``) gives the cursors and items of ``5``; JSON numbers
(``1e23``, which jsonb returns as ``100000000000000000000000``, big integers, tiny and huge
floats) give identical items in every backend."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qexpr.search import compile_search
from qexpr.search.shape import SAFE_INTEGER
from tests.search.databases import Database, run_dbs_fixture  # noqa: F401 (fixture)
from tests.search.strategies import scaled

_SETTINGS = settings(max_examples=scaled(40), deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture,
                                            HealthCheck.too_slow])


def _ids(n: int) -> list[str]:
    return [str(uuid.UUID(int=i + 1)) for i in range(n)]


@_SETTINGS
@given(values=st.lists(st.none() | st.integers(-(2**53), 2**53), min_size=1, max_size=6),
       forms=st.lists(st.sampled_from(["int", "float", "decimal"]), min_size=6, max_size=6),
       limit=st.integers(1, 3))
def test_integral_values_of_an_integer_field(run_dbs: list[Database], values: list[int | None],
                                             forms: list[str], limit: int) -> None:
    stored = [{"id": i, "duration_ms": v} for i, v in zip(_ids(len(values)), values,
                                                          strict=True)]
    for db in run_dbs:
        db.reset(stored)

    def shaped(value: int | None, form: str) -> Any:
        if value is None or form == "int":
            return value
        return float(value) if form == "float" else Decimal(value)

    given_ = [{**r, "duration_ms": shaped(r["duration_ms"], f)}
              for r, f in zip(stored, forms, strict=False)]
    search = compile_search({"sort_by": "duration_ms", "limit": str(limit),
                             "fields": "id,duration_ms"})
    while True:
        page = search.apply(given_)
        assert page == search.apply(stored)  # 5.0 pages, items and cursors as 5
        for db in run_dbs:
            assert search.execute(db.conn, db.dialect) == page, db.dialect
        assert all(type(i["duration_ms"]) in (int, type(None)) for i in page.items)
        if page.next is None:
            break
        search = search.follow(page.next)


json_numbers = (st.floats(allow_nan=False, allow_infinity=False)
                | st.integers(-(2**80), 2**80)
                | st.sampled_from([1e23, 1.5e23, 5.0, -0.0, 1e-7, 1e16, 2.0**53, 2**53 + 1,
                                   10**23, 1e308, 5e-324, 0.1]))


@_SETTINGS
@given(numbers=st.lists(json_numbers, min_size=1, max_size=6))
@example(numbers=[1e23, 10**23, 5.0, 2**53 + 1, -0.0])
def test_json_numbers_are_the_same_everywhere(run_dbs: list[Database],
                                              numbers: list[int | float]) -> None:
    records = [{"id": i, "metadata": {"n": n, "list": [n, {"deep": n}]}}
               for i, n in zip(_ids(len(numbers)), numbers, strict=True)]
    for db in run_dbs:
        db.reset(records)
    search = compile_search({"sort_by": "id", "fields": "id,metadata", "limit": "10"})
    page = search.apply(records)
    for db in run_dbs:
        assert search.execute(db.conn, db.dialect) == page, db.dialect
    for item, number in zip(page.items, numbers, strict=True):
        got = item["metadata"]["n"]
        assert got == item["metadata"]["list"][0] == item["metadata"]["list"][1]["deep"]
        if isinstance(number, int) and abs(number) <= SAFE_INTEGER:
            assert type(got) is int and got == number
        else:
            assert type(got) is float and got == float(number)
        json.dumps(page.to_dict(), allow_nan=False)  # the body is plain JSON
