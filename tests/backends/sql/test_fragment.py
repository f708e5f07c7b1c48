"""SQL fragments: text and parameters composed together, whatever braces the text holds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qexpr.backends.sql.fragment import Sql, sql

_TEXT = st.text(alphabet="ab{}%? ", max_size=8).filter(lambda t: "{}" not in t)
_PART = st.one_of(_TEXT, st.builds(Sql, _TEXT, st.tuples(st.integers()) | st.just(())))


@given(pieces=st.lists(_TEXT, min_size=1, max_size=5), data=st.data())
def test_filling_a_template_is_concatenation(pieces: list[str], data: st.DataObject) -> None:
    parts = data.draw(st.lists(_PART, min_size=len(pieces) - 1, max_size=len(pieces) - 1))
    got = sql("{}".join(pieces), *parts)
    texts = [p if isinstance(p, str) else p.text for p in parts]
    want_text = pieces[0] + "".join(t + piece for t, piece in zip(texts, pieces[1:], strict=True))
    assert got.text == want_text
    assert got.params == tuple(x for p in parts if isinstance(p, Sql) for x in p.params)


def test_braces_outside_the_slots_are_text() -> None:
    assert sql("{a} {} }{", Sql("{0}", (1,))) == Sql("{a} {0} }{", (1,))


@pytest.mark.parametrize("parts", [(), ("x", "y")])
def test_a_template_takes_exactly_its_slots(parts: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="has 1 slots"):
        sql("({})", *parts)


@given(st.lists(_PART, max_size=5), st.sampled_from([Sql(" AND "), Sql(", ", ("sep",))]))
def test_join_keeps_params_in_placeholder_order(parts: list[Sql | str], sep: Sql) -> None:
    got = sep.join(parts)
    as_sql = [p if isinstance(p, Sql) else Sql(p) for p in parts]
    assert got.text == sep.text.join(p.text for p in as_sql)
    want: list[object] = []
    for index, part in enumerate(as_sql):
        if index:
            want.extend(sep.params)
        want.extend(part.params)
    assert got.params == tuple(want)
