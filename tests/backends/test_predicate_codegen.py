"""The generated "TRUE?" check: no text of the filter in its source, and the same answers as
the closures (hostile names, keys and strings included)."""

from __future__ import annotations

import re
from typing import Any

import pytest

import qexpr
from qexpr.backends.predicate import MissingRelationError, to_predicate, to_tristate
from qexpr.backends.predicate.codegen import generate
from qexpr.schema import Schema, fields, record, to_one

# Field and relation names that collide with Python builtins and with the placeholders the
# generator uses (r, v, o, k0, l1, ...); the strings and keys are hostile Python source.
SCHEMA = Schema("Thing", (
    record("Thing", fields("id:uuid r:string v:integer o:string k0:string l1:boolean"),
           fields("__import__:string exec:string meta:json"), to_one("check", "Other")),
    record("Other", fields("id:uuid factory:string r:integer")),
))
HOSTILE = ['"); __import__("os").system("x"); ("', "a'b\"c", "line\nbreak",
           "__import__", "k0 or True", "\\", "{}"]
# Every identifier the generator may write: fixed words and numbered placeholders.
VOCABULARY = {"def", "factory", "check", "r", "v", "o", "return", "if", "not", "in", "raise",
              "and", "or", "is", "None", "isinstance", "str", "dict", "__class__", "get",
              "startswith", "endswith"}
PLACEHOLDER = re.compile(r"[a-z][0-9]+")


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def filters() -> list[str]:
    out = []
    for text in HOSTILE:
        s = quoted(text)
        out += [
            f"r = {s} AND (v > 3 OR __import__ != {s})",
            f"NOT (o STARTS_WITH {s}) OR exec CONTAINS {s} OR k0 ENDS_WITH {s}",
            f"check.factory = {s} AND (check.r >= 2 OR l1 = true)",
            f"meta[{s}] = {s} OR r IN ({s}, \"x\")",
        ]
    return out


RECORDS: list[dict[str, Any]] = [
    {"check": None},
    {"check": {}, "r": "x", "v": 5, "l1": True},
    {"check": {"factory": "check", "r": 3}, "v": "7", "__import__": "q", "o": "__import__x"},
    {"check": {"factory": "line\nbreak", "r": "2"}, "k0": "a\\", "exec": "x{}y", "v": None},
    {"check": [1], "r": "r.get(k0)", "meta": {"a'b\"c": "a'b\"c", "line\nbreak": 1}, "v": 2},
    {"check": {"r": 1.5}, "l1": False, "o": 4, "exec": "__import__", "k0": "check"},
]


@pytest.mark.parametrize("q", filters())
def test_no_filter_text_in_the_generated_source(q: str) -> None:
    flt = qexpr.compile(q, schema=SCHEMA)
    generated = generate(flt.plan)
    for text in HOSTILE:
        assert text not in generated.source
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", generated.source))
    assert {w for w in words if not PLACEHOLDER.fullmatch(w)} <= VOCABULARY
    assert not set(generated.source) & set("\"'\\#{}[]")  # no literal of any kind
    assert not re.search(r"[0-9]", re.sub(r"\b[a-z][0-9]+\b", "", generated.source))


@pytest.mark.parametrize("q", filters())
def test_generated_check_agrees_with_the_closures(q: str) -> None:
    flt = qexpr.compile(q, schema=SCHEMA)
    predicate, tristate = to_predicate(flt), to_tristate(flt)
    for rec in RECORDS:
        assert predicate(rec) is (tristate(rec) is True), (q, rec)


def test_missing_relation_raises_before_evaluating() -> None:
    flt = qexpr.compile('r = "a" AND check.factory = "b"', schema=SCHEMA)
    with pytest.raises(MissingRelationError):
        to_predicate(flt)({"r": "z"})


def test_plans_deeper_than_one_expression_use_the_closures() -> None:
    from qexpr.backends.predicate.codegen import MAX_NESTING
    from qexpr.limits import Limits

    depth = MAX_NESTING + 20
    text = "duration_ms > 1"
    for level in range(depth):
        text = f"({text} {'AND' if level % 2 else 'OR'} duration_ms < {level})"
    flt = qexpr.compile(text, limits=Limits(max_depth=depth + 2))
    assert generate(flt.plan) is None
    predicate, tristate = to_predicate(flt), to_tristate(flt)
    for rec in ({"duration_ms": 5}, {"duration_ms": None}, {}, {"duration_ms": -3}):
        assert predicate(rec) is (tristate(rec) is True)
    assert predicate({"duration_ms": 5}) is True
