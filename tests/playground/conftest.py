"""The playground in a real browser: ``qexpr serve`` (the bundled example runs) in a
subprocess on a free 127.0.0.1 port, and headless Chromium driven by chromedriver.

Screenshots go to ``test-artifacts/playground/`` (ignored by git);
``QEXPR_UPDATE_SCREENSHOT=1`` also writes the README's ``docs/playground.png``.
Without Chromium and chromedriver the browser tests are skipped, and fail under ``CI``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.playground.webdriver import Browser, browser_paths, chromium
from tests.serve.conftest import ROOT, start, stop

ARTIFACTS = ROOT / "test-artifacts" / "playground"
ORG = "7d1c0a52-2f7e-4b8a-9c55-1f4f4d8f0a01"
"""The organisation of the bundled example runs."""
TOKEN = "playground-token"


@dataclass
class Playground:
    """The running server, its token, and a browser session."""

    url: str
    browser: Browser

    def api(self, path: str, **params: Any) -> httpx.Response:
        """The server's answer to ``GET path`` (what the page must show)."""
        return httpx.get(self.url + path, params=params, timeout=30, headers={
            "Authorization": f"Bearer {TOKEN}", "X-Organization-Id": ORG})

    def open(self, query: str = "") -> None:
        """Open the page (``query``: its URL's query, the organisation added) with the token
        in this tab."""
        query = f"{query}&org={ORG}" if query else f"?org={ORG}"
        self.browser.get(f"{self.url}/{query}#token={TOKEN}")
        self.browser.wait("return document.body.dataset.ready === 'true'")

    def shot(self, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        self.browser.screenshot(path)
        return path


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    url, process = start(["--token", f"{TOKEN}:*:evaluations:read"])
    try:
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="session")
def new_browser() -> Iterator[Any]:
    paths = browser_paths()
    if paths is None:
        if _in_ci():
            pytest.fail("chromium and chromedriver are needed in CI (scripts/test installs them)")
        pytest.skip("chromium or chromedriver not found (apt-get install chromium chromium-driver)")
    with chromium(paths, ARTIFACTS / "chromedriver.log") as open_session:
        yield open_session


@pytest.fixture(scope="module")
def play(server_url: str, new_browser: Any) -> Playground:
    return Playground(server_url, new_browser())
