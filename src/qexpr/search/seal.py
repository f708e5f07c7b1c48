"""Sealing cursor payloads: as they are without a secret, AES-256-GCM (an AEAD) with one.

With a secret the payload is encrypted and authenticated with ``cryptography``'s ``AESGCM``
(the optional extra ``qexpr[crypto]``): a cursor then reveals nothing of the boundary row's
sort values, and any changed byte fails authentication. Two 256-bit keys are derived from the
secret with HKDF-SHA256: one encrypts, the other derives the 96-bit nonce from the payload
(``HMAC-SHA256(nonce_key, payload)``, the synthetic-IV construction), so one position always
gives the same cursor text in every backend and a nonce is never reused for another payload.

A secret without ``cryptography`` installed is refused when the search is compiled
(:class:`CryptoUnavailableError`): silently downgrading to readable cursors would leak what
the server asked to hide.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

AD = b"qexpr-cursor-v2"
"""Associated data bound into every tag (the cursor format and version)."""
NONCE_BYTES = 12
TAG_BYTES = 16
_INFO = b"qexpr search cursor keys v2"


class CryptoUnavailableError(ImportError):
    """A cursor secret was given but the ``cryptography`` package is not installed."""

    def __init__(self) -> None:
        super().__init__("a cursor secret needs the cryptography package to encrypt cursors: "
                         "pip install 'qexpr[crypto]' (or run without a secret)")


class PlainSealer:
    """No secret: the payload travels as it is (readable, and changeable by the caller)."""

    overhead = 0

    def seal(self, payload: bytes) -> bytes:
        """The payload, unchanged."""
        return payload

    def open(self, data: bytes) -> bytes | None:
        """The payload, unchanged."""
        return data


class AeadSealer:
    """A secret: ``nonce || AES-256-GCM(payload)`` (ciphertext and 16-byte tag)."""

    overhead = NONCE_BYTES + TAG_BYTES

    def __init__(self, secret: bytes) -> None:
        try:
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            from cryptography.hazmat.primitives.kdf.hkdf import HKDF
        except ImportError:
            raise CryptoUnavailableError() from None
        keys = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=_INFO).derive(secret)
        self._cipher: Any = AESGCM(keys[:32])
        self._nonce_key = keys[32:]

    def seal(self, payload: bytes) -> bytes:
        """The payload encrypted and authenticated."""
        nonce = hmac.new(self._nonce_key, payload, hashlib.sha256).digest()[:NONCE_BYTES]
        sealed: bytes = self._cipher.encrypt(nonce, payload, AD)
        return nonce + sealed

    def open(self, data: bytes) -> bytes | None:
        """The payload, or None when ``data`` was not sealed with this secret (or altered)."""
        from cryptography.exceptions import InvalidTag

        if len(data) < self.overhead:
            return None
        try:
            opened: bytes = self._cipher.decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], AD)
        except InvalidTag:
            return None
        return opened


@lru_cache(maxsize=16)
def sealer(secret: bytes | None) -> PlainSealer | AeadSealer:
    """The sealer for ``secret`` (None: plain); :class:`CryptoUnavailableError` when a secret
    is given and ``cryptography`` is missing."""
    return PlainSealer() if secret is None else AeadSealer(secret)
