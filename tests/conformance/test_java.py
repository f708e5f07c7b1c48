"""The Java parser generated from grammar/Q.g4 agrees with qexpr on every parse case the
grammar decides (``"grammar": true``): it accepts exactly the accepted texts and fails at
exactly the reported span. The test generates the parser with the ANTLR tool (no warnings
allowed), compiles it with clients/java/ParseCases.java, and runs all cases in one JVM."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conformance.clients import JAVA, antlr_jar, tool
from tests.conformance.suite import ROOT, cases, report


def test_java_parser_agrees_on_grammar_decided_cases(tmp_path: Path) -> None:
    java, javac = tool("java"), tool("javac")
    jar = antlr_jar()
    shutil.copyfile(ROOT / "grammar" / "Q.g4", tmp_path / "Q.g4")
    gen = subprocess.run(
        [java, "-cp", str(jar), "org.antlr.v4.Tool", "-Dlanguage=Java", "-no-listener",
         "-no-visitor", "-o", "gen", "-Xexact-output-dir", "Q.g4"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300)
    assert gen.returncode == 0 and not (gen.stdout + gen.stderr).strip(), gen.stdout + gen.stderr
    sources = [*map(str, sorted((tmp_path / "gen").glob("*.java"))), str(JAVA / "ParseCases.java")]
    subprocess.run([javac, "-nowarn", "-cp", str(jar), "-d", "classes", *sources], cwd=tmp_path,
                   check=True, timeout=300)
    decided = [c for c in cases("parse") if c["grammar"]]
    stdin = "".join(" ".join(str(ord(ch)) for ch in c["q"]) + "\n" for c in decided)
    proc = subprocess.run([java, "-cp", f"{jar}:classes", "ParseCases"], cwd=tmp_path,
                          input=stdin, capture_output=True, text=True, check=True, timeout=300)
    lines = proc.stdout.splitlines()
    assert len(lines) == len(decided)
    failures: list[str] = []
    for case, line in zip(decided, lines, strict=True):
        error = case["expect"].get("error")
        want = "ok" if error is None else f"{error['start']} {error['end']}"
        if line != want:
            failures.append(f"{case['id']} {case['q'][:80]!r}: {line!r} != {want!r}")
    assert not failures, report(failures, len(decided))
