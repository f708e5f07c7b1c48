"""Item 17: with a secret, cursors reveal nothing of the boundary values (AES-256-GCM) and any
changed byte is an ``invalid_literal`` on ``pq``; a secret without ``cryptography`` fails at
``compile_search`` with a clear error instead of downgrading."""

from __future__ import annotations

import base64
import subprocess
import sys
import textwrap
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from qexpr import QError
from qexpr.search import compile_search
from qexpr.search.cursor import MAX_CURSOR_LENGTH
from tests.search.strategies import scaled

SORT = "failure_message,cost:desc,created_at,duration_ms"
SECRET = "server secret"


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


boundaries = st.tuples(
    st.none() | st.text(min_size=4, max_size=300).filter(lambda t: "\x00" not in t),
    st.none() | st.decimals(allow_nan=False, allow_infinity=False, places=3,
                            min_value=-10**9, max_value=10**9),
    st.none() | st.integers(0, 10**6).map(
        lambda s: datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=s)),
    st.none() | st.integers(-(2**63), 2**63 - 1),
    st.uuids().map(str),
)


@settings(max_examples=scaled(150), deadline=None)
@given(values=boundaries, backward=st.booleans(), where=st.integers(0, 10**6),
       flip=st.integers(1, 255))
def test_sealed_cursors_hide_values_and_refuse_any_change(
        values: tuple[object, ...], backward: bool, where: int, flip: int) -> None:
    search = compile_search({"sort_by": SORT}, secret=SECRET)
    cursor = search.cursor(values, backward=backward)
    assert len(cursor) <= MAX_CURSOR_LENGTH
    again = search.follow(cursor)
    assert again.backward is backward
    raw = _b64decode(cursor)
    for value in values:
        if isinstance(value, str) and len(value.encode()) >= 4:
            assert value.encode() not in raw and value.encode() not in cursor.encode()
    assert b'"k"' not in raw and b'"v"' not in raw
    # One changed byte anywhere (nonce, ciphertext, tag), a cut or an extension: refused.
    changed = bytearray(raw)
    changed[where % len(raw)] ^= flip
    cut = raw[: max(1, where % len(raw))]
    for forged in (_b64(bytes(changed)), _b64(cut), _b64(raw + b"\x00")):
        try:
            compile_search({"sort_by": SORT, "pq": forged}, secret=SECRET)
        except QError as err:
            assert (err.code, err.param) == ("invalid_literal", "pq")
        else:
            raise AssertionError(f"accepted a changed cursor {forged!r}")


def test_a_cursor_of_another_secret_or_none_is_refused() -> None:
    values = ("x" * 500, Decimal("1.5"), None, 3, str(uuid.uuid4()))
    sealed = compile_search({"sort_by": SORT}, secret=SECRET).cursor(values, backward=False)
    plain = compile_search({"sort_by": SORT}).cursor(values, backward=False)
    for pq, secret, words in ((sealed, "other", "decrypt"), (plain, SECRET, "decrypt"),
                              (sealed, None, "malformed")):
        try:
            compile_search({"sort_by": SORT, "pq": pq}, secret=secret)
        except QError as err:
            assert (err.code, err.param) == ("invalid_literal", "pq") and words in err.message
        else:
            raise AssertionError("accepted")


def test_secret_without_cryptography_fails_at_compile_search() -> None:
    """A real interpreter in which the cryptography package cannot be imported."""
    script = textwrap.dedent("""
        import sys
        sys.modules["cryptography"] = None  # the package is absent for this interpreter
        from qexpr.search import compile_search
        from qexpr.search.seal import CryptoUnavailableError
        assert compile_search({"q": "cost > 1"}).first_cursor
        try:
            compile_search({"q": "cost > 1"}, secret="k")
        except CryptoUnavailableError as err:
            assert isinstance(err, ImportError)
            print(err)
        else:
            raise SystemExit("no error")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "pip install 'qexpr[crypto]'" in done.stdout
