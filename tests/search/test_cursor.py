"""Cursors: typed round trips, tampering, reuse with another search, secrets (encrypted
cursors); never a crash."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qexpr import QError
from qexpr.search import Search, compile_search
from qexpr.search.cursor import MAX_CURSOR_LENGTH
from tests.search.strategies import SCOPES, scaled

SORT = "created_at:desc,cost,duration_ms,client_ref,has_logs,current_evaluation_summary.score"
BOUNDARY = (datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC), Decimal("0.58"), 12, "é~", True,
            -0.0, "3c90c3cc-0d44-4b50-8888-8dd25736052a")


def search(secret: str | None = None, **params: str) -> Search:
    return compile_search({"sort_by": SORT, **params}, scopes=SCOPES, secret=secret)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def payload(cursor: str) -> dict[str, Any]:
    body = cursor.partition(".")[0]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return decoded


def refused(pq: str, *, secret: str | None = None, **params: str) -> QError:
    with pytest.raises(QError) as info:
        compile_search({"sort_by": SORT, "pq": pq, **params}, scopes=SCOPES, secret=secret)
    err = info.value
    assert (err.code, err.param, err.start, err.end) == ("invalid_literal", "pq", 0, len(pq))
    return err


def test_round_trip_of_every_type() -> None:
    s = search()
    for values in (BOUNDARY, (None, None, None, None, None, None, BOUNDARY[-1]),
                   (datetime(1, 1, 1, tzinfo=UTC), Decimal("-1e-300"), -(2**63), "", False,
                    1e308, "00000000-0000-0000-0000-000000000000"),
                   (datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
                    Decimal("123456789012345678901234567890.5"), 2**63 - 1, "\U0001f600\n\"",
                    True, 5e-324, "ffffffff-ffff-ffff-ffff-ffffffffffff")):
        for backward in (False, True):
            cursor = s.cursor(values, backward=backward)
            moved = s.follow(cursor)
            assert moved.position == values and moved.backward is backward
            assert compile_search({"sort_by": SORT, "pq": cursor}, scopes=SCOPES) == moved


def test_cursor_form() -> None:
    cursor = search().cursor(BOUNDARY, backward=False)
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    body = payload(cursor)
    assert body["d"] == "n" and body["v"] == 2
    assert body["k"][:3] == ["2024-01-02T03:04:05.000006Z", "0.58", 12]
    sealed = search("k").cursor(BOUNDARY, backward=True)
    assert set(sealed) <= set(cursor) | set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                            "0123456789-_")
    raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
    for shown in (b"2024", b"0.58", b'"d"', BOUNDARY[-1].encode()):  # nothing readable
        assert shown not in raw
    # The same position gives the same text (every backend issues identical cursors).
    assert search("k").cursor(BOUNDARY, backward=True) == sealed


def test_reuse_with_another_search_is_refused() -> None:
    cursor = search(q="cost > 1").cursor(BOUNDARY, backward=False)
    for other in ({"q": "cost > 2"}, {"q": ""}):
        err = refused(cursor, **other)
        assert "another search" in err.message and "q" in err.message
    with pytest.raises(QError) as info:
        compile_search({"q": "cost > 1", "sort_by": "cost", "pq": cursor})
    assert info.value.param == "pq"
    # The same filter written differently is the same search; page size and projection may
    # change between pages.
    same = {"q": "cost>1.0", "limit": "3", "fields": "id", "embed": "model"}
    assert compile_search({"sort_by": SORT, "pq": cursor, **same}, scopes=SCOPES).position == \
        BOUNDARY


def test_from_prev_false_is_the_default() -> None:
    s = search()
    nxt, prev = s.cursor(BOUNDARY, backward=False), s.cursor(BOUNDARY, backward=True)
    for text in ("false", "FALSE", " false "):
        assert search(pq=nxt, from_prev=text) == search(pq=nxt)
        assert search(pq=prev, from_prev=text) == search(pq=prev)
    assert search(pq=prev).backward is True
    assert search(pq=prev, from_prev="true") == search(pq=prev)
    with pytest.raises(QError) as info:
        search(pq=nxt, from_prev=" true")
    assert (info.value.code, info.value.param, info.value.start, info.value.end) == (
        "invalid_literal", "from_prev", 1, 5)
    assert "next cursor" in info.value.message
    for text in ("0", "1", "yes"):
        with pytest.raises(QError) as info:
            search(pq=prev, from_prev=text)
        assert info.value.param == "from_prev" and "true or false" in info.value.message


def test_secrets() -> None:
    sealed = search("s3cret").cursor(BOUNDARY, backward=False)
    assert search("s3cret", pq=sealed).position == BOUNDARY
    assert search(b"s3cret", pq=sealed).position == BOUNDARY  # type: ignore[arg-type]
    assert "decrypt" in refused(sealed, secret="other").message
    plain = search().cursor(BOUNDARY, backward=False)
    assert "decrypt" in refused(plain, secret="s3cret").message
    # Without the secret an encrypted cursor is not a cursor at all.
    assert "malformed" in refused(sealed).message
    with pytest.raises(ValueError):
        compile_search({}, secret="")


def test_sealed_values_cannot_be_changed() -> None:
    sealed = search("k").cursor(BOUNDARY, backward=False)
    data = bytearray(base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4)))
    for index in range(len(data)):  # every byte: nonce, ciphertext, tag
        for flip in (1, 0x80):
            forged = bytearray(data)
            forged[index] ^= flip
            assert "decrypt" in refused(b64(bytes(forged)), secret="k").message
    # Without a secret, a changed value of the right type is a valid position (never trusted
    # more than any other position the caller could ask for).
    plain = search().cursor(BOUNDARY, backward=False)
    changed = payload(plain)
    changed["k"][2] = 13
    assert search(pq=b64(json.dumps(changed).encode())).position[2] == 13  # type: ignore[index]


def _crafted(**changes: Any) -> str:
    body = payload(search().cursor(BOUNDARY, backward=False))
    body.update(changes)
    return b64(json.dumps(body).encode())


@pytest.mark.parametrize(("pq", "words"), [
    ("", None),
    ("abc$", "malformed"),
    ("a", "malformed"),
    ("a" * (MAX_CURSOR_LENGTH + 1), "longer"),
    (b64(b"not json"), "malformed"),
    (b64(b"[" * 1500), "malformed"),
    (b64(b'{"v":1,"v":1,"d":"n","k":null,"f":"AAAAAAAAAAAAAAAAAAAAAA"}'), "malformed"),
    (b64(b"\xff\xfe"), "malformed"),
    (b64(b'{"v":1,"d":"n","k":[NaN],"f":"AAAAAAAAAAAAAAAAAAAAAA"}'), "malformed"),
    (_crafted(v=1), "version"),
    (_crafted(v=3), "version"),
    (_crafted(v=True), "version"),
    (_crafted(d="x"), "malformed"),
    (_crafted(f="short"), "malformed"),
    (_crafted(extra=1), "malformed"),
    (_crafted(k=[]), "malformed"),
    (_crafted(k="2024"), "malformed"),
    (_crafted(k=[1, 2]), "does not fit"),
    (_crafted(k=["2024-01-02T03:04:05Z", "0.58", 12, "a", True, 0.5, BOUNDARY[-1]]), "created_at"),
    (_crafted(k=["2024-13-02T03:04:05.000000Z", "0.58", 12, "a", True, 0.5, BOUNDARY[-1]]),
     "created_at"),
    (_crafted(k=[None, "NaN", 12, "a", True, 0.5, BOUNDARY[-1]]), "cost"),
    (_crafted(k=[None, "1" * 300, 12, "a", True, 0.5, BOUNDARY[-1]]), "cost"),
    (_crafted(k=[None, 0.58, 12, "a", True, 0.5, BOUNDARY[-1]]), "cost"),
    (_crafted(k=[None, None, True, "a", True, 0.5, BOUNDARY[-1]]), "duration_ms"),
    (_crafted(k=[None, None, 2**63, "a", True, 0.5, BOUNDARY[-1]]), "duration_ms"),
    (_crafted(k=[None, None, 1, 5, True, 0.5, BOUNDARY[-1]]), "client_ref"),
    (_crafted(k=[None, None, 1, "\ud800", True, 0.5, BOUNDARY[-1]]), "client_ref"),
    (_crafted(k=[None, None, 1, "\u0000", True, 0.5, BOUNDARY[-1]]), "client_ref"),
    (_crafted(k=[None, None, 1, "a", 1, 0.5, BOUNDARY[-1]]), "has_logs"),
    (_crafted(k=[None, None, 1, "a", True, "0.5", BOUNDARY[-1]]), "score"),
    (_crafted(k=[None, None, 1, "a", True, 1e999, BOUNDARY[-1]]), "malformed"),
    (_crafted(k=[None, None, 1, "a", True, 0.5, None]), "id"),
    (_crafted(k=[None, None, 1, "a", True, 0.5, BOUNDARY[-1].upper()]), "id"),
    (_crafted(k=[None, None, 1, "a", True, 0.5, {"x": 1}]), "id"),
])
def test_bad_cursors(pq: str, words: str | None) -> None:
    if not pq:  # empty: no cursor
        assert search(pq=pq).position is None
        return
    err = refused(pq)
    assert words is None or words in err.message, err.message
    assert len(err.message) < 120


def test_non_canonical_base64_is_refused() -> None:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for secret in ("k", None):
        cursor = search(secret).cursor(BOUNDARY, backward=False)
        if len(cursor) % 4 == 0:  # no unused bits: make one with a shorter boundary
            cursor = search(secret).cursor((None, None, None, "é", None, None, BOUNDARY[-1]),
                                           backward=False)
        assert len(cursor) % 4
        for twin in alphabet:  # the last character carries unused bits
            other = cursor[:-1] + twin
            if other != cursor and b64(base64.urlsafe_b64decode(
                    other + "=" * (-len(other) % 4))) != other:
                refused(other, secret=secret)


_SEALED = search("k").cursor(BOUNDARY, backward=False)
_PLAIN = search().cursor(BOUNDARY, backward=False)


@st.composite
def tampered(draw: st.DrawFn, cursor: str) -> str:
    kind = draw(st.sampled_from(["flip", "truncate", "append", "splice", "random"]))
    if kind == "flip":
        i = draw(st.integers(0, len(cursor) - 1))
        c = draw(st.characters(codec="ascii"))
        return cursor[:i] + c + cursor[i + 1:]
    if kind == "truncate":
        return cursor[: draw(st.integers(0, len(cursor) - 1))]
    if kind == "append":
        return cursor + draw(st.text(min_size=1, max_size=8))
    if kind == "splice":
        i = draw(st.integers(0, len(cursor)))
        return cursor[:i] + draw(st.text(max_size=4)) + cursor[i:]
    return draw(st.text(max_size=80) | st.binary(max_size=120).map(b64))


@settings(max_examples=scaled(400), deadline=None)
@given(tampered(_SEALED))
def test_tampered_sealed_cursors_are_refused(pq: str) -> None:
    if pq.strip(" \t\r\n") == _SEALED:  # every parameter is trimmed of whitespace
        return
    try:
        s = search("k", pq=pq)
    except QError as err:
        assert (err.code, err.param) == ("invalid_literal", "pq")
        return
    # only an empty (or all-whitespace, trimmed) pq is not a cursor at all
    assert s.position is None and pq.strip(" \t\r\n") == ""


@settings(max_examples=scaled(400), deadline=None)
@given(tampered(_PLAIN))
def test_tampered_cursors_never_crash(pq: str) -> None:
    try:
        s = search(pq=pq)
    except QError as err:
        assert (err.code, err.param) == ("invalid_literal", "pq")
        return
    s.to_sql("sqlite")
    s.to_sql("postgresql")


@settings(max_examples=scaled(200), deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) |
                    st.text(max_size=5), lambda inner: st.lists(inner, max_size=4) |
                    st.dictionaries(st.text(max_size=3), inner, max_size=4), max_leaves=12),
       st.sampled_from(["n", "p", "x"]))
def test_any_json_payload_is_checked(values: Any, direction: str) -> None:
    fingerprint = search().fingerprint
    body = {"v": 1, "d": direction, "k": values, "f": fingerprint}
    pq = b64(json.dumps(body).encode())
    try:
        s = search(pq=pq)
    except QError as err:
        assert (err.code, err.param) == ("invalid_literal", "pq")
        return
    assert s.position is None or len(s.position) == len(s.sort)
    s.to_sql("postgresql")


def test_cursor_reuse_across_scopes_and_secrets_stays_valid() -> None:
    cursor = compile_search({"sort_by": "cost"}).cursor((Decimal(1), BOUNDARY[-1]),
                                                         backward=False)
    assert compile_search({"sort_by": "cost", "pq": cursor}, scopes=SCOPES).position == (
        Decimal(1), BOUNDARY[-1])


def test_a_key_too_long_for_a_cursor_is_a_clear_error() -> None:
    """The key is never digested (it finds the boundary row): a schema keyed by long text
    cannot page past such a row, and says so."""
    from qexpr.schema.run import RUN_SCHEMA

    schema = RUN_SCHEMA.with_storage(record_keys={"Run": "client_ref"})
    s = compile_search({"sort_by": "cost", "limit": "1"}, schema=schema)
    assert s.sort_by == "cost:asc,client_ref:asc"
    short = s.cursor((Decimal(1), "k" * 200), backward=False)
    assert s.follow(short).position == (Decimal(1), "k" * 200)
    records = [{"client_ref": "k" * 300, "cost": "1"}, {"client_ref": "b", "cost": "2"}]
    with pytest.raises(QError) as info:
        s.apply(records)
    assert info.value.code == "limit_exceeded" and "client_ref" in info.value.message
