"""The suite files are what ``conformance/generate.py`` writes today, byte for byte (so the
generation is deterministic: the committed bytes came from an earlier run, on another machine),
and are well formed (unique ids, one JSON object a line, ASCII only)."""

from __future__ import annotations

import json

from tests.conformance.suite import SUITE, cases, generator

NAMES = ("parse", "validate", "evaluate", "search")


def test_files_are_up_to_date() -> None:
    built = generator().build()
    stale = [name for name, data in built.items() if (SUITE / name).read_bytes() != data]
    assert not stale, f"run python conformance/generate.py: {stale} are out of date"


def test_cases_are_well_formed() -> None:
    ids: set[str] = set()
    for name in NAMES:
        raw = (SUITE / f"{name}.jsonl").read_bytes()
        assert raw.isascii() and raw.endswith(b"\n")
        for case in cases(name):
            assert case["id"] not in ids
            ids.add(case["id"])
            assert set(case) >= {"id", "expect"}
            assert json.loads(json.dumps(case)) == case
    assert sum(1 for c in cases("parse") if c["grammar"]) > 1000


def test_readme_counts_match_the_files() -> None:
    readme = (SUITE / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"| `{name}.jsonl` | {len(cases(name)):,} |" in readme, name
    decided = sum(1 for c in cases("parse") if c["grammar"])
    assert f"{decided:,} grammar-decided" in readme
