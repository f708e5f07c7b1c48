"""Items 12 and 15: one rule for every parameter. Surrounding whitespace (space, tab, CR, LF)
is trimmed everywhere, with error spans into the text as given; a one-item list is its item;
a non-text value is an ``invalid_literal`` that says what was given; ``from_prev=false`` is
the default; ``limit=-0`` is out of range."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qexpr import QError
from qexpr.search import PARAMS, Search, compile_search
from tests.search.strategies import SCOPES, scaled

blank = st.text(alphabet=" \t\r\n", max_size=3)
VALUES = {
    "q": ["cost > 1", "client_ref = \"a b\"", "duration_ms >", "nope = 1"],
    "limit": ["5", "-0", "0", "abc", "+7"],
    "sort_by": ["cost:desc", "model.slug, id", "creatd_at"],
    "fields": ["id , cost", "costt"],
    "embed": ["model", "modle"],
    "from_prev": ["true", "false", "1"],
}


def outcome(params: dict[str, Any]) -> Search | list[tuple[str | None, str, str, int]]:
    try:
        return compile_search(params, scopes=SCOPES)
    except QError as err:
        return [(e.param, e.code, e.message, e.end - e.start) for e in err.errors]


@settings(max_examples=scaled(200), deadline=None)
@given(st.sets(st.sampled_from(sorted(VALUES)), min_size=1), st.data())
def test_whitespace_is_trimmed_the_same_way_everywhere(chosen: set[str],
                                                       data: st.DataObject) -> None:
    plain = {name: data.draw(st.sampled_from(VALUES[name])) for name in sorted(chosen)}
    padded = {name: data.draw(blank) + text + data.draw(blank) for name, text in plain.items()}
    listed = {name: [text] for name, text in padded.items()}
    expected = outcome(plain)
    assert outcome(padded) == expected == outcome(listed)
    if not isinstance(expected, Search):
        with pytest.raises(QError) as info:
            compile_search(padded, scopes=SCOPES)
        for each in info.value.errors:  # spans point into the padded text, at the same words
            text = padded[each.param or ""]
            lead = len(text) - len(text.lstrip(" \t\r\n"))
            assert each.source == text
            assert each.start >= lead or not text.strip()


@settings(max_examples=scaled(100), deadline=None)
@given(name=st.sampled_from(PARAMS),
       value=st.integers() | st.floats() | st.booleans() | st.binary(max_size=4)
       | st.dictionaries(st.text(max_size=2), st.integers(), max_size=2)
       | st.lists(st.integers(), min_size=1, max_size=1))
def test_values_that_are_not_text(name: str, value: Any) -> None:
    with pytest.raises(QError) as info:
        compile_search({name: value})
    err = info.value
    assert (err.code, err.param) == ("invalid_literal", name)
    assert err.message.startswith(f"{name} must be given as text, not as ")
    assert "times" not in err.message


@settings(max_examples=scaled(60), deadline=None)
@given(name=st.sampled_from(PARAMS), count=st.integers(2, 5))
def test_a_parameter_given_several_times(name: str, count: int) -> None:
    with pytest.raises(QError) as info:
        compile_search({name: ["x"] * count})
    assert info.value.message == f"{name} is given {count} times"


@pytest.mark.parametrize("text", ["-0", "-00", "0", "-5", "501", "+501", "-" + "9" * 60])
def test_signed_or_zero_limits_are_out_of_range(text: str) -> None:
    with pytest.raises(QError) as info:
        compile_search({"limit": text})
    assert info.value.message == "limit must be between 1 and 500"


def test_from_prev_false_with_either_cursor_is_like_leaving_it_out() -> None:
    first = compile_search({"sort_by": "cost", "limit": "1"})
    records = [{"id": f"00000000-0000-4000-8000-00000000000{i}", "cost": str(i)}
               for i in range(1, 4)]
    middle = first.follow(first.apply(records).next or "")
    page = middle.apply(records)
    for pq in (page.next, page.previous):
        assert pq is not None
        plain = compile_search({"sort_by": "cost", "limit": "1", "pq": pq})
        for text in ("false", "False", " FALSE\t", ""):
            explicit = compile_search({"sort_by": "cost", "limit": "1", "pq": pq,
                                       "from_prev": text})
            assert explicit == plain and explicit.apply(records) == plain.apply(records)
