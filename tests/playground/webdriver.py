"""A small W3C WebDriver client over httpx for the playground tests: chromedriver driving
headless Chromium (no selenium: the protocol is a few JSON requests)."""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx

#: WebDriver key codes (W3C WebDriver, "Keyboard actions").
ENTER, TAB, ESCAPE = "\ue007", "\ue004", "\ue00c"
ARROW_UP, ARROW_DOWN, BACKSPACE, CONTROL = "\ue013", "\ue015", "\ue003", "\ue009"
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

#: Chromium's flags: headless, and quiet on the (closed) network.
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1100,900")


def browser_paths() -> tuple[str, str] | None:
    """Chromium and chromedriver, or None when either is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Browser:
    """One WebDriver session."""

    def __init__(self, base: str, session: str) -> None:
        self.http = httpx.Client(base_url=f"{base}/session/{session}", timeout=60)

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.http.request(method, path, json=body)
        data = response.json()
        if response.status_code != 200:
            raise AssertionError(f"WebDriver {method} {path}: {data.get('value')}")
        return data["value"]

    def get(self, url: str) -> None:
        self.call("POST", "/url", {"url": url})

    def js(self, script: str, *args: Any) -> Any:
        """Run ``script`` (a function body; ``arguments`` holds ``args``) in the page."""
        return self.call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css: str) -> str:
        found = self.call("POST", "/element", {"using": "css selector", "value": css})
        return str(found[ELEMENT])

    def click(self, css: str) -> None:
        self.call("POST", f"/element/{self.find(css)}/click", {})

    def type(self, css: str, text: str) -> None:
        """Send keys to the element (focusing it) as a person types them."""
        self.call("POST", f"/element/{self.find(css)}/value", {"text": text})

    def clear(self, css: str) -> None:
        self.call("POST", f"/element/{self.find(css)}/clear", {})

    def keys(self, text: str) -> None:
        """Key presses to the focused element."""
        actions = [a for ch in text for a in ({"type": "keyDown", "value": ch},
                                              {"type": "keyUp", "value": ch})]
        self.call("POST", "/actions", {"actions": [
            {"type": "key", "id": "keyboard", "actions": actions}]})

    def chord(self, modifier: str, key: str) -> None:
        """``key`` pressed while ``modifier`` (CONTROL...) is held."""
        actions = [{"type": "keyDown", "value": modifier}, {"type": "keyDown", "value": key},
                   {"type": "keyUp", "value": key}, {"type": "keyUp", "value": modifier}]
        self.call("POST", "/actions", {"actions": [
            {"type": "key", "id": "keyboard", "actions": actions}]})

    def wait(self, script: str, *args: Any, timeout: float = 15) -> Any:
        """Poll ``script`` until it returns something truthy; that value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(script, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for: {script}")
            time.sleep(0.05)

    def size(self, width: int, height: int) -> None:
        """The page's viewport in CSS pixels (device metrics, like a phone)."""
        self.call("POST", "/goog/cdp/execute", {
            "cmd": "Emulation.setDeviceMetricsOverride",
            "params": {"width": width, "height": height, "deviceScaleFactor": 1,
                       "mobile": False}})

    def screenshot(self, path: Path) -> bytes:
        data = base64.b64decode(self.call("GET", "/screenshot"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return data


@contextmanager
def chromium(paths: tuple[str, str], log: Path) -> Iterator[Callable[[], Browser]]:
    """Start chromedriver; yields a function opening a new browser session (each with an
    empty profile), all closed at exit."""
    binary, driver = paths
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        process = subprocess.Popen([driver, f"--port={port}", "--allowed-ips=127.0.0.1"],
                                   stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, "HOME": tempfile.gettempdir()})
    base = f"http://127.0.0.1:{port}"
    sessions: list[tuple[str, str]] = []
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/status", timeout=2).json()["value"]["ready"]:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(f"chromedriver did not start: {log.read_text()}")
            time.sleep(0.1)

        def open_session() -> Browser:
            profile = tempfile.mkdtemp(prefix="qexpr-chromium-")
            caps = {"browserName": "chrome", "goog:chromeOptions": {
                "binary": binary, "args": [*CHROMIUM_ARGS, f"--user-data-dir={profile}"]}}
            made = httpx.post(base + "/session", json={"capabilities": {"alwaysMatch": caps}},
                              timeout=60).json()["value"]
            if "sessionId" not in made:
                raise AssertionError(f"no browser session: {made}")
            sessions.append((made["sessionId"], profile))
            return Browser(base, made["sessionId"])

        yield open_session
    finally:
        for session, profile in sessions:
            with suppress(httpx.HTTPError):
                httpx.delete(f"{base}/session/{session}", timeout=30)
            shutil.rmtree(profile, ignore_errors=True)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
