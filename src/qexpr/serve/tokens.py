"""Bearer tokens of ``qexpr serve``: each with the organisations it may read and its scopes.

A tokens file is JSON, a list of ``{"token": ..., "orgs": [...] | "*", "scopes": [...]}``
(or an object ``{"tokens": [...]}``); on the command line a token is ``TOKEN:ORGS[:SCOPES]``
with comma-separated organisation ids (or ``*``, every organisation) and scopes.
Tokens are kept as SHA-256 digests and looked up by digest.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

ANY_ORG = "*"
"""An ``orgs`` value: the token may read every organisation."""


@dataclass(frozen=True, slots=True)
class Token:
    """What one bearer token may do: read ``orgs`` (None: every organisation) with ``scopes``."""

    orgs: frozenset[UUID] | None
    scopes: frozenset[str]
    label: str = ""

    def may_read(self, org: UUID) -> bool:
        """Whether the token may read the runs of ``org``."""
        return self.orgs is None or org in self.orgs


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


class Tokens:
    """The tokens a server accepts."""

    def __init__(self, tokens: Mapping[str, Token]) -> None:
        self._by_digest = {_digest(t): grant for t, grant in tokens.items()}

    def __len__(self) -> int:
        return len(self._by_digest)

    def find(self, token: str) -> Token | None:
        """The grant of ``token``, or None when it is not one of them."""
        return self._by_digest.get(_digest(token))


def _orgs(value: Any, where: str) -> frozenset[UUID] | None:
    if value == ANY_ORG or value == [ANY_ORG]:
        return None
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not items:
        raise ValueError(f"{where}: orgs must be a list of organisation ids or \"*\"")
    try:
        return frozenset(UUID(str(v).strip()) for v in items)
    except ValueError:
        raise ValueError(f"{where}: orgs holds something that is not an organisation id"
                         ) from None


def _scopes(value: Any, where: str) -> frozenset[str]:
    items = [s for s in value.split(",")] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(s, str) for s in items):
        raise ValueError(f"{where}: scopes must be a list of strings")
    return frozenset(s.strip() for s in items if s.strip())


def parse_token(spec: str) -> tuple[str, Token]:
    """``TOKEN:ORGS[:SCOPES]`` (scopes may hold colons: ``t:*:evaluations:read``)."""
    token, sep, rest = spec.partition(":")
    orgs, _, scopes = rest.partition(":")
    if not token or not sep or not orgs:
        raise ValueError("a token is TOKEN:ORGS[:SCOPES], e.g. s3cret:*:evaluations:read")
    return token, Token(_orgs(orgs, "--token"), _scopes(scopes, "--token"), token[:4] + "...")


def load_tokens(path: str | Path) -> dict[str, Token]:
    """The tokens of a JSON tokens file (see the module's description)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    entries = data.get("tokens") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list of tokens or {{\"tokens\": [...]}}")
    out: dict[str, Token] = {}
    for index, entry in enumerate(entries):
        where = f"{path}: token {index + 1}"
        if not isinstance(entry, dict) or not isinstance(entry.get("token"), str) \
                or not entry["token"]:
            raise ValueError(f"{where}: each token is an object with a non-empty \"token\"")
        out[entry["token"]] = Token(_orgs(entry.get("orgs"), where),
                                    _scopes(entry.get("scopes", []), where),
                                    str(entry.get("label", index + 1)))
    return out


def demo_token(scopes: Iterable[str]) -> tuple[str, Token]:
    """A fresh random token reading every organisation with ``scopes`` (for a local server
    started without tokens; printed once at start)."""
    return secrets.token_urlsafe(24), Token(None, frozenset(scopes), "generated")
