"""docs/spec.md says what the library does: every ```` ```q-example ```` block runs here.

A block holds examples separated by blank lines; an example is ``key: value`` lines (the keys
are defined in section 1 of the spec). An example starts with ``q:``, ``q-json:`` or
``params:`` and needs at least one expectation. ``deviation:`` marks a rule the library does
not follow yet: that example must fail (strict xfail), so the marker goes when the code is
fixed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

import qexpr
from qexpr import QError

SPEC = Path(__file__).resolve().parents[2] / "docs" / "spec.md"
NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)
SUBJECTS = ("q", "q-json", "params")
EXPECTATIONS = ("parse", "canonical", "error", "at", "matches", "param-error", "sort_by")
KEYS = frozenset((*SUBJECTS, *EXPECTATIONS, "scopes", "record", "deviation"))

_FENCE = re.compile(r"^```q-example[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Example:
    line: int
    lines: tuple[tuple[str, str], ...]

    def values(self, key: str) -> list[str]:
        return [value for k, value in self.lines if k == key]

    def value(self, key: str) -> str | None:
        found = self.values(key)
        return found[0] if found else None

    @property
    def subject(self) -> str:
        return self.lines[0][1]


def parse_examples(text: str) -> list[Example]:
    """Every example of every q-example block of ``text``."""
    examples: list[Example] = []
    for block in _FENCE.finditer(text):
        first = text.count("\n", 0, block.start()) + 2
        current: list[tuple[str, str]] = []
        start = first
        for offset, raw in enumerate([*block.group(1).split("\n"), ""]):
            if not raw.strip():
                if current:
                    examples.append(Example(start, tuple(current)))
                current = []
                continue
            key, sep, value = raw.partition(":")
            if not sep or key not in KEYS:
                raise ValueError(f"docs/spec.md line {first + offset}: not a key line: {raw!r}")
            if not current:
                start = first + offset
            current.append((key, value[1:] if value.startswith(" ") else value))
    return examples


def source(example: Example) -> str:
    key, value = example.lines[0]
    text = json.loads(value) if key == "q-json" else value
    assert isinstance(text, str)
    return text


def scopes(example: Example) -> tuple[str, ...]:
    value = example.value("scopes")
    return tuple(s.strip() for s in value.split(",")) if value else ()


def errors_of(run: Callable[[], object]) -> list[QError]:
    try:
        run()
    except QError as error:
        return list(error.errors)
    return []


def check_filter(example: Example) -> None:
    q = source(example)
    if (expected := example.value("parse")) is not None:
        assert qexpr.to_q(qexpr.parse(q)) == expected
    expected_errors = example.values("error")
    if expected_errors:
        found = errors_of(lambda: qexpr.compile(q, scopes=scopes(example), now=NOW))
        assert [f"{e.code.value} {e.start} {e.end}" for e in found] == expected_errors
        if (at := example.value("at")) is not None:
            assert f"{found[0].line} {found[0].column}" == at
        return
    if example.value("canonical") is None and example.value("matches") is None:
        return
    compiled = qexpr.compile(q, scopes=scopes(example), now=NOW)
    if (expected := example.value("canonical")) is not None:
        assert compiled.to_q() == expected
        assert qexpr.compile(compiled.to_q(), scopes=scopes(example), now=NOW) == compiled
    records = example.values("record")
    outcomes = example.values("matches")
    assert len(records) == len(outcomes), "each record: needs its matches:"
    for record, outcome in zip(records, outcomes, strict=True):
        assert outcome in ("true", "false")
        assert compiled.matches(json.loads(record)) is (outcome == "true"), record


def check_search(example: Example) -> None:
    params = json.loads(example.subject)

    def run() -> qexpr.Search:
        return qexpr.compile_search(params, scopes=scopes(example), now=NOW)

    expected_errors = example.values("param-error")
    if expected_errors:
        found = errors_of(run)
        assert [f"{e.param} {e.code.value} {e.start} {e.end}" for e in found] == expected_errors
        return
    search = run()
    if (expected := example.value("sort_by")) is not None:
        assert search.sort_by == expected


def check(example: Example) -> None:
    if example.lines[0][0] == "params":
        check_search(example)
    else:
        check_filter(example)


SPEC_TEXT = SPEC.read_text(encoding="utf-8")
EXAMPLES = parse_examples(SPEC_TEXT)


def _param(example: Example) -> object:
    reason = example.value("deviation")
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(example, marks=marks, id=f"line{example.line}:{example.subject[:40]}")


@pytest.mark.parametrize("example", [_param(e) for e in EXAMPLES])
def test_example(example: Example) -> None:
    check(example)


def test_every_example_is_well_formed() -> None:
    assert len(EXAMPLES) >= 100
    for example in EXAMPLES:
        keys = [key for key, _ in example.lines]
        assert keys[0] in SUBJECTS and sum(k in SUBJECTS for k in keys) == 1, example.line
        assert any(k in EXPECTATIONS for k in keys), f"line {example.line}: no expectation"
        if keys[0] == "params":
            assert not {"parse", "canonical", "error", "at", "matches"} & set(keys), example.line


def test_the_spec_shows_every_error_code() -> None:
    shown = {line.split()[0] for e in EXAMPLES for line in e.values("error")}
    shown |= {line.split()[1] for e in EXAMPLES for line in e.values("param-error")}
    assert {code.value for code in qexpr.ErrorCode} <= shown


def test_the_parser_rejects_lines_that_are_not_keys() -> None:
    with pytest.raises(ValueError, match="not a key line"):
        parse_examples("```q-example\nq: a = 1\nexpect a = 1\n```\n")
    text = "```q-example\nq: a = 1\nparse: a = 1\n\nq-json: \"b\"\nparse: b\n```\n"
    parsed = parse_examples(text)
    assert [(e.line, e.subject) for e in parsed] == [(2, "a = 1"), (5, '"b"')]
