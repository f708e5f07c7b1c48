"""Tokens of ``qexpr serve``: the file and option forms, and what a grant allows."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import pytest

from qexpr.serve.tokens import Token, Tokens, demo_token, load_tokens, parse_token

ORG = UUID("0a000000-0000-4000-8000-00000000000a")
OTHER = UUID("0b000000-0000-4000-8000-00000000000b")


def test_option_form_keeps_colons_in_scopes() -> None:
    token, grant = parse_token(f"abc:{ORG},{OTHER}:evaluations:read,x:y")
    assert token == "abc"
    assert grant.orgs == {ORG, OTHER} and grant.scopes == {"evaluations:read", "x:y"}
    assert parse_token("abc:*")[1] == Token(None, frozenset(), "abc...")


@pytest.mark.parametrize("spec", ["abc", "abc:", ":*", "abc:nope", "abc:,"])
def test_bad_option_forms(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_token(spec)


@pytest.mark.parametrize("document", [
    [{"token": "t1", "orgs": [str(ORG)], "scopes": ["s"]}, {"token": "t2", "orgs": "*"}],
    {"tokens": [{"token": "t1", "orgs": [str(ORG)], "scopes": ["s"]},
                {"token": "t2", "orgs": ["*"]}]},
])
def test_file_forms(tmp_path: Path, document: object) -> None:
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    tokens = Tokens(load_tokens(path))
    assert len(tokens) == 2
    one, two = tokens.find("t1"), tokens.find("t2")
    assert one is not None and two is not None
    assert one.may_read(ORG) and not one.may_read(OTHER) and one.scopes == {"s"}
    assert two.may_read(OTHER) and two.scopes == frozenset()
    assert tokens.find("t3") is None and tokens.find("") is None and tokens.find("t1 ") is None


@pytest.mark.parametrize(("document", "message"), [
    ({"tokens": {}}, "expected a list"),
    ([{"orgs": "*"}], "non-empty \"token\""),
    ([{"token": "", "orgs": "*"}], "non-empty \"token\""),
    ([{"token": "t"}], "orgs must be"),
    ([{"token": "t", "orgs": []}], "orgs must be"),
    ([{"token": "t", "orgs": ["x"]}], "not an organisation id"),
    ([{"token": "t", "orgs": "*", "scopes": [1]}], "scopes must be"),
])
def test_bad_files_say_where(tmp_path: Path, document: object, message: str) -> None:
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_tokens(path)


def test_generated_tokens_differ_and_read_everything() -> None:
    (a, grant), (b, _) = demo_token({"s"}), demo_token({"s"})
    assert a != b and len(a) >= 32
    assert grant.orgs is None and grant.may_read(ORG) and grant.scopes == {"s"}
