"""compile_search: defaults, every parameter's validation, all errors reported together."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qexpr
from qexpr import QError
from qexpr.search import DEFAULT_LIMIT, PARAMS, compile_search
from tests.search.databases import sqlite_database
from tests.search.strategies import SCOPES, scaled


def errors_of(params: dict[str, Any], **kwargs: Any) -> list[QError]:
    with pytest.raises(QError) as info:
        compile_search(params, **kwargs)
    errors = list(info.value.errors)
    assert errors[0] is info.value
    return errors


def only_error(params: dict[str, Any], **kwargs: Any) -> QError:
    errors = errors_of(params, **kwargs)
    assert len(errors) == 1, [e.render() for e in errors]
    return errors[0]


def test_defaults() -> None:
    s = qexpr.compile_search({})
    assert s.limit == DEFAULT_LIMIT == 50
    assert s.sort_by == "created_at:desc,id:desc"
    assert s.fields == tuple(f.name for f in qexpr.RUN_SCHEMA.root_record.fields)
    assert s.embeds == ()
    assert s.position is None and not s.backward
    assert s.filter.to_q() == ""


def test_default_order_of_a_schema_without_created_at() -> None:
    from qexpr.schema.model import Schema, fields, record

    schema = Schema("Thing", (record("Thing", fields("id:uuid name:string")),))
    s = compile_search({"q": 'name = "x"'}, schema=schema)
    assert s.sort_by == "id:asc"
    assert compile_search({"sort_by": "name:desc"}, schema=schema).sort_by == "name:desc,id:desc"


def test_empty_values_mean_absent() -> None:
    empty = {name: "" for name in PARAMS}
    assert compile_search(empty) == compile_search({})
    assert compile_search({name: None for name in PARAMS}) == compile_search({})


@pytest.mark.parametrize(("sort_by", "effective"), [
    ("cost", "cost:asc,id:asc"),
    ("cost:desc", "cost:desc,id:desc"),
    ("cost:DESC , created_at:Asc", "cost:desc,created_at:asc,id:asc"),
    ("id:desc,cost", "id:desc,cost:asc"),
    ("model.slug:desc", "model.slug:desc,id:desc"),
    (" client_ref ", "client_ref:asc,id:asc"),
])
def test_sort_keys_and_tie_breaker(sort_by: str, effective: str) -> None:
    assert compile_search({"sort_by": sort_by}).sort_by == effective


def test_sort_through_a_scoped_relation_needs_the_scope() -> None:
    err = only_error({"sort_by": "created_at,current_evaluation_summary.score:desc"})
    assert (err.code, err.param, err.start, err.end) == (
        "forbidden_field", "sort_by", 11, 37)
    s = compile_search({"sort_by": "current_evaluation_summary.score:desc"}, scopes=SCOPES)
    assert s.sort_by == "current_evaluation_summary.score:desc,id:desc"


@pytest.mark.parametrize(("sort_by", "code", "span", "suggestion"), [
    ("creatd_at", "unknown_field", (0, 9), "created_at"),
    ("created_at:dsc", "syntax_error", (11, 14), "desc"),
    ("created_at:", "syntax_error", (11, 11), None),
    ("created_at desc", "syntax_error", (0, 15), None),
    ("-created_at", "syntax_error", (0, 11), None),
    ("metadata", "unsupported_operator", (0, 8), None),
    ("metadata.tier", "unsupported_operator", (0, 13), None),
    ("node_runs.duration_ms", "unsupported_operator", (0, 21), None),
    ("node_runs", "unsupported_operator", (0, 9), None),
    ("model", "unsupported_operator", (0, 5), None),
    ("model.slg", "unknown_field", (6, 9), "model.slug"),
    ("cost,,id", "syntax_error", (5, 6), None),
    ("cost,", "syntax_error", (5, 5), None),
    ("cost,cost:desc", "syntax_error", (5, 14), None),
    ("cost;id", "syntax_error", (4, 5), None),
    ('metadata["a"]', "syntax_error", (8, 9), None),
])
def test_sort_errors(sort_by: str, code: str, span: tuple[int, int],
                     suggestion: str | None) -> None:
    err = only_error({"sort_by": sort_by})
    assert (err.code, err.param, (err.start, err.end)) == (code, "sort_by", span), err.render()
    assert err.source == sort_by
    assert err.suggestion == suggestion


def test_sort_error_hints() -> None:
    assert "created_at:desc" in (only_error({"sort_by": "-created_at"}).hint or "")
    assert "created_at:desc" in (only_error({"sort_by": "created_at desc"}).hint or "")
    assert "model.slug" in (only_error({"sort_by": "model"}).hint or "") or \
        "model." in (only_error({"sort_by": "model"}).hint or "")


def test_too_many_sort_keys() -> None:
    keys = ["created_at", "started_at", "completed_at", "cost", "duration_ms", "client_ref",
            "failure_code", "nodes_total", "nodes_completed"]
    err = errors_of({"sort_by": ",".join(keys)})[0]
    assert (err.code, err.param) == ("limit_exceeded", "sort_by")
    err = only_error({"sort_by": "x" * 3000})
    assert (err.code, err.param) == ("limit_exceeded", "sort_by")


@pytest.mark.parametrize(("text", "value"), [("1", 1), ("500", 500), ("050", 50), ("7", 7),
                                             (" 5", 5), ("5\t", 5), ("+5", 5)])
def test_limit_ok(text: str, value: int) -> None:
    assert compile_search({"limit": text}).limit == value


@pytest.mark.parametrize(("text", "words"), [
    ("0", "between"), ("501", "between"), ("-1", "between"), ("-0", "between"),
    ("00000", "between"), ("9" * 5000, "between"), ("-" + "9" * 50, "between"),
    ("1.5", "whole number"), ("abc", "whole number"), ("1e2", "whole number"),
    ("٣", "whole number"), ("5 5", "whole number"), ("--5", "whole number"),
])
def test_limit_errors(text: str, words: str) -> None:
    err = only_error({"limit": text})
    assert (err.code, err.param, err.start, err.end) == ("invalid_literal", "limit", 0, len(text))
    assert words in err.message and len(err.message) < 80


def test_fields_projection() -> None:
    s = compile_search({"fields": "cost, created_at,cost"})
    assert s.fields == ("id", "cost", "created_at")
    assert s.embeds == ()
    s = compile_search({"fields": "id,model", "embed": "node_runs"})
    assert (s.fields, s.embeds) == (("id",), ("node_runs", "model"))


@pytest.mark.parametrize(("fields", "code", "span", "suggestion"), [
    ("costt", "unknown_field", (0, 5), "cost"),
    ("id,model.slug", "unknown_field", (3, 13), "model"),
    ("id,modl.slug", "unknown_field", (3, 7), "model"),
    ("id,current_evaluation_summary", "forbidden_field", (3, 29), None),
    ("id,,cost", "syntax_error", (3, 4), None),
    ("id cost", "syntax_error", (2, 3), None),
    ("flw", "unknown_field", (0, 3), "flow"),
])
def test_fields_errors(fields: str, code: str, span: tuple[int, int],
                       suggestion: str | None) -> None:
    err = only_error({"fields": fields})
    assert (err.code, err.param, (err.start, err.end)) == (code, "fields", span), err.render()
    assert err.suggestion == suggestion


def test_embed() -> None:
    s = compile_search({"embed": "model,node_runs,model"})
    assert s.embeds == ("node_runs", "model")
    s = compile_search({"embed": "current_evaluation_summary"}, scopes=SCOPES)
    assert s.embeds == ("current_evaluation_summary",)


@pytest.mark.parametrize(("embed", "code", "span", "suggestion"), [
    ("flw", "unknown_field", (0, 3), "flow"),
    ("model,modle", "unknown_field", (6, 11), "model"),
    ("current_evaluation_summary", "forbidden_field", (0, 26), None),
    ("model.pricing", "unknown_field", (0, 13), "model"),
    ("model,", "syntax_error", (6, 6), None),
])
def test_embed_errors(embed: str, code: str, span: tuple[int, int],
                      suggestion: str | None) -> None:
    err = only_error({"embed": embed})
    assert (err.code, err.param, (err.start, err.end)) == (code, "embed", span), err.render()
    assert err.suggestion == suggestion


def test_flow_embeds_the_to_one_flow_of_flow_id() -> None:
    s = compile_search({"embed": "flow", "fields": "id,flow_id"})
    assert s.embeds == ("flow",)
    flow = "00000000-0000-4000-8000-000000000001"
    runs = [{"id": "00000000-0000-4000-8000-00000000000a", "flow_id": flow, "flow": {"id": flow},
             "created_at": "2024-01-01T00:00:00Z"},
            {"id": "00000000-0000-4000-8000-00000000000b", "flow_id": None, "flow": None,
             "created_at": "2024-01-02T00:00:00Z"}]
    items = s.apply(runs).items
    assert [item["flow"] for item in items] == [None, {"id": flow}]
    with sqlite_database() as db:  # loaded from the same records, the same items
        db.reset(runs)
        assert s.execute(db.conn, db.dialect).items == items


def test_scoped_names_are_not_suggested_without_the_scope() -> None:
    err = only_error({"embed": "current_evaluation_summry"})
    assert err.code == "unknown_field" and err.suggestion is None
    assert "current_evaluation_summary" not in (err.hint or "")


@pytest.mark.parametrize(("text", "value"), [("true", True), ("TRUE", True), (" True\n", True),
                                             ("false", False), ("False", False)])
def test_from_prev(text: str, value: bool) -> None:
    assert compile_search({"from_prev": text}).backward is value


@pytest.mark.parametrize("text", ["yes please", "1", "0", "t", "no", "truee"])
def test_from_prev_error(text: str) -> None:
    err = only_error({"from_prev": text})
    assert (err.code, err.param, err.start, err.end) == ("invalid_literal", "from_prev", 0,
                                                         len(text))
    assert "must be true or false" in err.message


def test_all_errors_together_in_parameter_order() -> None:
    params = {"from_prev": "maybe", "pq": "%%%", "embed": "flw,modle", "fields": "costt",
              "sort_by": "creatd_at:up,metadata", "limit": "0", "q": "foo = 1 AND bar = 2"}
    errors = errors_of(params)
    assert [e.param for e in errors] == ["q", "q", "limit", "sort_by", "sort_by", "fields",
                                         "embed", "embed", "pq", "from_prev"]
    for e in errors:
        text = params[e.param or ""]
        assert e.source == text
        assert 0 <= e.start <= e.end <= len(text)
        assert "param" not in e.render() and e.render().startswith(f"{e.param}: ")
        assert len(e.errors) == 1 or e is errors[0]


def test_q_errors_carry_param_q() -> None:
    err = only_error({"q": "duration_ms >"})
    assert (err.code, err.param) == ("syntax_error", "q")
    assert err.to_dict()["param"] == "q"


def test_to_dict_of_several_errors() -> None:
    errors = errors_of({"limit": "0", "sort_by": "nope"})
    body = errors[0].to_dict()
    assert [e["param"] for e in body["errors"]] == ["limit", "sort_by"]


def test_unknown_parameters() -> None:
    assert compile_search({"sortby": "cost"}).sort_by == "created_at:desc,id:desc"
    err = only_error({"sortby": "cost", "evaluation_status": "passed"}, strict=True,
                     scopes=["evaluations:read"])
    assert (err.code, err.param, err.suggestion) == ("unknown_field", "sortby", "sort_by")


def test_multi_valued_parameters() -> None:
    assert compile_search({"limit": ["7"]}).limit == 7
    assert compile_search({"q": [None], "limit": [], "sort_by": ("cost",)}) == \
        compile_search({"sort_by": "cost"})
    err = only_error({"limit": ["7", "8"]})
    assert (err.code, err.param, err.message) == ("syntax_error", "limit", "limit is given 2 times")


@pytest.mark.parametrize(("value", "shown"), [
    (7, "a number"), (True, "a boolean"), (1.5, "a number"), (b"7", "a bytes value"),
    (["7", 8], None), ([7], "a number"), ({"x": 1}, "a dict value"),
])
def test_parameters_that_are_not_text(value: Any, shown: str | None) -> None:
    for name in PARAMS:
        err = only_error({name: value})
        assert err.param == name
        if shown is None:
            assert err.message == f"{name} is given 2 times"
        else:
            assert (err.code, err.message) == ("invalid_literal",
                                               f"{name} must be given as text, not as {shown}")


def test_search_is_immutable_and_hashable() -> None:
    s = compile_search({"q": "cost > 1", "sort_by": "cost"})
    with pytest.raises(AttributeError):
        s.limit = 3  # type: ignore[misc]
    assert hash(s) == hash(compile_search({"q": "cost > 1", "sort_by": "cost"}))
    assert "secret" not in repr(compile_search({}, secret="s3cret")) and \
        "s3cret" not in repr(compile_search({}, secret="s3cret"))


def test_to_params_rebuilds_the_search() -> None:
    s = compile_search({"q": "cost>1", "sort_by": "cost", "fields": "cost", "embed": "model",
                        "limit": "5"})
    again = compile_search(s.to_params())
    assert again == s


_PARAM_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=",:._- abcdeimorstuvwxyz_ID", max_size=40),
    st.sampled_from(["created_at", "model.slug:desc", "id,,", "true", "500", "model",
                     "current_evaluation_summary", "flow"]),
)


@settings(max_examples=scaled(300), deadline=None)
@given(st.dictionaries(st.sampled_from(PARAMS), _PARAM_TEXT, max_size=len(PARAMS)),
       st.booleans())
def test_any_parameters_give_a_search_or_qerrors(params: dict[str, str], scoped: bool) -> None:
    try:
        compile_search(params, scopes=SCOPES if scoped else ())
    except QError as err:
        for each in err.errors:
            assert each.param in PARAMS
            text = params.get(each.param or "") or ""
            assert 0 <= each.start <= each.end <= len(text), each.render()
            each.render()
