"""``QError.line``/``column`` and the caret line (spec section 7): line breaks are LF, CR LF and
a lone CR; a CR LF is one break; ``column`` counts code points from 1."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import qexpr
from qexpr import QError, parse
from tests.syntax.strategies import engine_params, property_settings

per_engine = pytest.mark.parametrize("engine", engine_params())

BREAKS = ("\n", "\r\n", "\r")
_BREAK = re.compile(r"\r\n|\r|\n")


def reference(text: str, offset: int) -> tuple[int, int]:
    """Line and column of ``offset`` from the break positions of the whole text.

    A break counts once it has ended at or before ``offset``; so an offset between the CR and
    the LF of a CR LF is still on the line the break ends.
    """
    line, begin = 1, 0
    for match in _BREAK.finditer(text):
        if match.end() > offset:
            break
        line, begin = line + 1, match.end()
    return line, offset - begin + 1


mixed_texts = st.lists(
    st.one_of(st.sampled_from(BREAKS), st.text(alphabet="ab \t\u00e9\U0001f600", max_size=4)),
    max_size=12,
).map("".join)


@property_settings(400)
@given(mixed_texts, st.data())
def test_line_and_column_count_lf_crlf_and_lone_cr(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(text)), label="offset")
    error = QError("syntax_error", "m", source=text, start=offset)
    assert (error.line, error.column) == reference(text, offset)
    body = error.to_dict()
    assert (body["line"], body["column"]) == reference(text, offset)


@property_settings(200)
@given(st.lists(st.sampled_from(BREAKS), min_size=1, max_size=6), st.data())
def test_each_break_kind_starts_exactly_one_line(breaks: list[str], data: st.DataObject) -> None:
    """Lines ``x = 1`` joined by random breaks; the last line holds a bad operator."""
    lines = [f"x{i} = 1 AND" for i in range(len(breaks))]
    indent = data.draw(st.text(alphabet=" \t", max_size=3), label="indent")
    last = f"{indent}y == 2"
    text = "".join(line + brk for line, brk in zip(lines, breaks, strict=True)) + last
    start = text.index("==")
    error = QError("syntax_error", "m", source=text, start=start, end=start + 2)
    assert (error.line, error.column) == (len(breaks) + 1, len(indent) + 3)


@per_engine
@property_settings(60)
@given(st.lists(st.sampled_from(BREAKS), min_size=1, max_size=5))
def test_every_engine_reports_the_line_of_a_syntax_error(engine: str, breaks: list[str]) -> None:
    text = "".join(f"x{i} = 1{brk}AND " for i, brk in enumerate(breaks)) + "y == 2"
    with pytest.raises(QError) as info:
        parse(text, engine=engine)
    error = info.value
    assert (error.code, error.start) == ("syntax_error", text.index("=="))
    assert (error.line, error.column) == (len(breaks) + 1, len("AND y ") + 1)


@pytest.mark.parametrize("brk", BREAKS)
def test_a_validation_error_after_a_break(brk: str) -> None:
    text = f'duration_ms > 1{brk}AND cost = "x"'
    with pytest.raises(QError) as info:
        qexpr.compile(text)
    error = info.value
    assert (error.code, error.line, error.column) == ("type_mismatch", 2, len('AND cost = ') + 1)


def test_an_offset_inside_a_crlf_stays_on_the_line_the_break_ends() -> None:
    text = "ab\r\ncd"
    assert [(QError("syntax_error", "m", source=text, start=i).line,
             QError("syntax_error", "m", source=text, start=i).column)
            for i in range(len(text) + 1)] == [(1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 2),
                                               (2, 3)]
    text = "ab\r\rcd"
    assert [QError("syntax_error", "m", source=text, start=i).line
            for i in range(len(text) + 1)] == [1, 1, 1, 2, 3, 3, 3]


@property_settings(300)
@given(mixed_texts, st.data())
def test_the_caret_line_shows_the_line_of_start_without_breaks(
    text: str, data: st.DataObject
) -> None:
    offset = data.draw(st.integers(0, len(text)), label="offset")
    error = QError("syntax_error", "m", source=text, start=offset)
    rendered = str(error).split("\n")
    shown, carets = rendered[1], rendered[2]
    line, column = reference(text, offset)
    source_line = _BREAK.split(text)[line - 1]
    assert shown == "  " + source_line.replace("\t", "\N{REPLACEMENT CHARACTER}")
    assert "\r" not in str(error)
    assert carets == "  " + " " * min(column - 1, len(source_line)) + "^"
