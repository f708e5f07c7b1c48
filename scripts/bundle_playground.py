#!/usr/bin/env python3
"""Copy what the playground page imports into ``src/qexpr/serve/static/`` (no build step).

The page (``qexpr serve`` at ``/``) imports the JavaScript validator of ``clients/javascript``
and the ``antlr4`` runtime's browser ES module, both copied byte for byte (an import map in
``index.html`` resolves the bare ``antlr4`` specifier). The copies are committed so the wheel
ships them and installing needs no Node.js; ``--check`` exits 1 when one is stale (the
playground tests run it), and running the script without arguments refreshes them.

    python3 scripts/bundle_playground.py [--check]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLIENT = ROOT / "clients" / "javascript"
STATIC = ROOT / "src" / "qexpr" / "serve" / "static"
RUNTIME = CLIENT / "node_modules" / "antlr4"

#: (source, copy inside STATIC)
FILES: tuple[tuple[Path, str], ...] = (
    (RUNTIME / "dist" / "antlr4.web.mjs", "vendor/antlr4.web.mjs"),
    (CLIENT / "src" / "validate.js", "validator/validate.js"),
    (CLIENT / "src" / "literals.js", "validator/literals.js"),
    (CLIENT / "src" / "generated" / "QLexer.js", "validator/generated/QLexer.js"),
    (CLIENT / "src" / "generated" / "QParser.js", "validator/generated/QParser.js"),
)


def notice() -> str:
    """The vendor folder's NOTICE: which antlr4 release is copied, under which licence."""
    meta = json.loads((RUNTIME / "package.json").read_text(encoding="utf-8"))
    return (f"antlr4.web.mjs is dist/antlr4.web.mjs of the npm package antlr4 {meta['version']}"
            f" ({meta['license']} licence, Copyright (c) 2012-2022 The ANTLR Project),\n"
            "copied unchanged by scripts/bundle_playground.py.\n")


def wanted() -> dict[str, bytes]:
    """Every copy's path inside STATIC and the bytes it must hold."""
    missing = [str(src) for src, _ in FILES if not src.is_file()]
    if missing:
        raise SystemExit("bundle_playground: missing " + ", ".join(missing)
                         + " (run `npm ci` in clients/javascript)")
    out = {dest: src.read_bytes() for src, dest in FILES}
    out["vendor/NOTICE"] = notice().encode("utf-8")
    return out


def stale() -> list[str]:
    """The copies that differ from their sources (empty: up to date)."""
    return [dest for dest, data in wanted().items()
            if not (STATIC / dest).is_file() or (STATIC / dest).read_bytes() != data]


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        out = stale()
        for dest in out:
            print(f"stale: src/qexpr/serve/static/{dest} (run scripts/bundle_playground.py)")
        return 1 if out else 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    for dest, data in wanted().items():
        path = STATIC / dest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"bundle_playground: {len(FILES) + 1} files in {STATIC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
