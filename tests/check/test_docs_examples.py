"""docs/language.md stays in step with the code.

- Every ```` ```q ```` block: each non-empty line is one filter that must compile (scope
  ``evaluations:read`` unless the block says ``scopes=none``).
- A block marked ```` ```q error=CODE ```` : each line must fail, its first error being CODE.
- A ```` ```text ```` block right after a one-line error block shows what ``qexpr check``
  prints for it (every error with its caret), exactly; a ```` ```json ```` block there shows
  ``error.to_dict()``.
- The table between ``<!-- fields:begin -->`` and ``<!-- fields:end -->`` is the list of
  ``RUN_SCHEMA.paths()``.

After changing messages or the schema, regenerate the outputs and the table with
``PYTHONPATH=src python tests/check/test_docs_examples.py --update`` and review the diff.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

import qexpr
from qexpr import QError
from qexpr.schema import RUN_SCHEMA

DOC = Path(__file__).resolve().parents[2] / "docs" / "language.md"
EVAL = "evaluations:read"
NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)
TABLE_BEGIN = "<!-- fields:begin -->"
TABLE_END = "<!-- fields:end -->"

_FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Block:
    info: str
    body: str
    start: int  # offset of the opening fence
    end: int  # offset just after the closing fence
    line: int

    @property
    def language(self) -> str:
        return self.info.split()[0] if self.info.split() else ""

    def option(self, name: str) -> str | None:
        for word in self.info.split()[1:]:
            key, _, value = word.partition("=")
            if key == name:
                return value
        return None

    @property
    def scopes(self) -> tuple[str, ...]:
        value = self.option("scopes")
        if value is None:
            return (EVAL,)
        return () if value in ("", "none") else tuple(value.split(","))

    @property
    def filters(self) -> list[str]:
        return [line for line in self.body.splitlines() if line.strip()]


def blocks(text: str) -> list[Block]:
    return [Block(m.group(1).strip(), m.group(2), m.start(), m.end(),
                  text.count("\n", 0, m.start()) + 1) for m in _FENCE.finditer(text)]


def q_blocks(text: str) -> list[Block]:
    return [b for b in blocks(text) if b.language == "q"]


def compile_example(q: str, scopes: tuple[str, ...]) -> qexpr.Filter:
    return qexpr.compile(q, scopes=scopes, now=NOW)


def rendered(error: QError) -> str:
    """What ``qexpr check`` prints on stderr for ``error``."""
    return "\n\n".join(each.render() for each in error.errors)


def field_table() -> str:
    rows = ["| path | type | scope | operators |", "|---|---|---|---|"]
    for p in RUN_SCHEMA.paths():
        if p.kind == "to_one":
            operators = "only through its fields"
        elif p.kind == "to_many":
            operators = "`any(...)`, `all(...)`"
        else:
            operators = ", ".join(f"`{op}`" for op in p.operators)
        scope = ", ".join(f"`{s}`" for s in p.scopes) or ""
        rows.append(f"| `{p.path}` | {p.type} | {scope} | {operators} |")
    return "\n".join(rows)


def regenerate(text: str) -> str:
    """``text`` with every error output block and the field table rebuilt from the code."""
    out: list[str] = []
    position = 0
    found = blocks(text)
    for index, block in enumerate(found):
        if block.language not in ("text", "json") or index == 0:
            continue
        previous = found[index - 1]
        if (previous.language != "q" or previous.option("error") is None
                or text[previous.end:block.start].strip() or len(previous.filters) != 1):
            continue
        try:
            compile_example(previous.filters[0], previous.scopes)
        except QError as error:
            output = rendered(error) if block.language == "text" else json.dumps(
                error.to_dict(), indent=2, ensure_ascii=False)
        else:
            output = "(no error)"
        out.append(text[position:block.start])
        out.append(f"```{block.info}\n{output}\n```")
        position = block.end
    out.append(text[position:])
    text = "".join(out)
    begin, end = text.find(TABLE_BEGIN), text.find(TABLE_END)
    if begin != -1 and end != -1:
        text = text[:begin + len(TABLE_BEGIN)] + "\n" + field_table() + "\n" + text[end:]
    return text


# --------------------------------------------------------------------------- tests

DOC_TEXT = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
EXAMPLES = [(b, q) for b in q_blocks(DOC_TEXT) for q in b.filters]


def _id(example: tuple[Block, str]) -> str:
    block, q = example
    return f"line{block.line}:{q[:40]}"


def test_the_doc_has_examples_of_every_kind() -> None:
    assert DOC.exists()
    codes = {b.option("error") for b in q_blocks(DOC_TEXT)}
    assert {c.value for c in qexpr.ErrorCode} <= codes
    assert sum(1 for b, _ in EXAMPLES if b.option("error") is None) >= 60


@pytest.mark.parametrize("example", EXAMPLES, ids=[_id(e) for e in EXAMPLES])
def test_example(example: tuple[Block, str]) -> None:
    block, q = example
    code = block.option("error")
    if code is None:
        try:
            compiled = compile_example(q, block.scopes)
        except QError as error:
            pytest.fail(f"docs/language.md line {block.line}: {q!r} should compile:\n{error}")
        assert compile_example(compiled.to_q(), block.scopes) == compiled
    else:
        with pytest.raises(QError) as info:
            compile_example(q, block.scopes)
        assert info.value.code == code, (
            f"docs/language.md line {block.line}: {q!r} gives\n{rendered(info.value)}")


def test_outputs_and_field_table_are_up_to_date() -> None:
    fresh = regenerate(DOC_TEXT)
    if fresh != DOC_TEXT:
        import difflib

        diff = "".join(difflib.unified_diff(DOC_TEXT.splitlines(True), fresh.splitlines(True),
                                            "docs/language.md", "regenerated", n=1))
        pytest.fail("docs/language.md is out of step with the code; run "
                    "`PYTHONPATH=src python tests/check/test_docs_examples.py --update`:\n"
                    + diff[:6000])


def test_the_field_table_is_present() -> None:
    assert TABLE_BEGIN in DOC_TEXT and TABLE_END in DOC_TEXT
    for name in ("`duration_ms`", "`current_evaluation_summary.score`",
                 "`any(model.pricing, price)`"):
        assert name in DOC_TEXT


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: PYTHONPATH=src python tests/check/test_docs_examples.py --update")
    DOC.write_text(regenerate(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {DOC}")
