"""The page's files: the bundled copies are up to date, every static file ships in the wheel
(the package-data patterns of pyproject.toml), and every module the page imports exists."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import pytest

from tests.serve.conftest import ROOT

STATIC = ROOT / "src" / "qexpr" / "serve" / "static"


def test_bundled_copies_are_up_to_date() -> None:
    runtime = ROOT / "clients" / "javascript" / "node_modules" / "antlr4"
    if not runtime.is_dir() and os.environ.get("CI", "").lower() in ("", "0", "false", "no"):
        pytest.skip("clients/javascript/node_modules is missing (scripts/test runs npm ci)")
    done = subprocess.run([sys.executable, "scripts/bundle_playground.py", "--check"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_static_file_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["qexpr"]
    package = ROOT / "src" / "qexpr"
    files = {p.relative_to(package).as_posix() for p in STATIC.rglob("*") if p.is_file()}
    shipped = {p.relative_to(package).as_posix() for pattern in patterns
               for p in package.glob(pattern) if p.is_file()}  # setuptools globs them so
    assert "serve/static/index.html" in files
    assert sorted(files - shipped) == []


def test_every_relative_import_of_the_page_exists() -> None:
    for module in STATIC.rglob("*.js"):
        for target in re.findall(r"from '(\.[^']+)'", module.read_text(encoding="utf-8")):
            assert (module.parent / target).resolve().is_file(), (module, target)
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    for target in re.findall(r'"/static/([^"]+)"', html):
        assert (STATIC / target).is_file(), target
