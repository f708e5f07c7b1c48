"""The Java parser generated from grammar/Q.g4 agrees with qexpr on every parse case the
grammar decides (``"grammar": true``): it accepts exactly the accepted texts and fails at
exactly the reported span; and on any text it gives the verdict of the Python parser generated
from the same grammar. The parser is generated with the ANTLR tool (no warnings allowed) and
compiled with clients/java/ParseCases.java once; each check runs all its texts in one JVM."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conformance.clients import JAVA, antlr_jar, tool
from tests.conformance.suite import ROOT, cases, generator, report
from tests.conformance.texts import q_texts

JavaParser = Callable[[Sequence[str]], list[str]]


@pytest.fixture(scope="module")
def java_parser(tmp_path_factory: pytest.TempPathFactory) -> JavaParser:
    """Run the generated Java parser on texts: "ok" or "START END" for each."""
    java, javac = tool("java"), tool("javac")
    jar = antlr_jar()
    work = tmp_path_factory.mktemp("java-parser")
    shutil.copyfile(ROOT / "grammar" / "Q.g4", work / "Q.g4")
    gen = subprocess.run(
        [java, "-cp", str(jar), "org.antlr.v4.Tool", "-Dlanguage=Java", "-no-listener",
         "-no-visitor", "-o", "gen", "-Xexact-output-dir", "Q.g4"],
        cwd=work, capture_output=True, text=True, check=False, timeout=300)
    assert gen.returncode == 0 and not (gen.stdout + gen.stderr).strip(), gen.stdout + gen.stderr
    sources = [*map(str, sorted((work / "gen").glob("*.java"))), str(JAVA / "ParseCases.java")]
    subprocess.run([javac, "-nowarn", "-cp", str(jar), "-d", "classes", *sources], cwd=work,
                   check=True, timeout=300)

    def run(texts: Sequence[str]) -> list[str]:
        stdin = "".join(" ".join(str(ord(ch)) for ch in text) + "\n" for text in texts)
        proc = subprocess.run([java, "-cp", f"{jar}:classes", "ParseCases"], cwd=work,
                              input=stdin, capture_output=True, text=True, check=True,
                              timeout=300)
        lines = proc.stdout.splitlines()
        assert len(lines) == len(texts)
        return lines

    return run


def test_java_parser_agrees_on_grammar_decided_cases(java_parser: JavaParser) -> None:
    decided = [c for c in cases("parse") if c["grammar"]]
    failures: list[str] = []
    for case, line in zip(decided, java_parser([c["q"] for c in decided]), strict=True):
        error = case["expect"].get("error")
        want = "ok" if error is None else f"{error['start']} {error['end']}"
        if line != want:
            failures.append(f"{case['id']} {case['q'][:80]!r}: {line!r} != {want!r}")
    assert not failures, report(failures, len(decided))


def _python_verdict(text: str) -> str:
    verdict = generator()._Grammar().verdict(text)
    assert verdict is not None
    return "ok" if "parse" in verdict else f"{verdict['start']} {verdict['end']}"


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(st.lists(q_texts, min_size=200, max_size=200))
def test_java_and_python_targets_agree_on_any_text(java_parser: JavaParser,
                                                  texts: list[str]) -> None:
    assert java_parser(texts) == [_python_verdict(t) for t in texts]


