"""``qexpr.complete``: what is suggested at many cursor positions."""

from __future__ import annotations

import json

import pytest

import qexpr
from qexpr import Completion, complete
from qexpr.cli.main import main
from qexpr.limits import DEFAULT_LIMITS
from qexpr.schema.model import Schema, fields, record, to_many

EVAL = "evaluations:read"
RUN_FIELDS = [f.name for f in qexpr.RUN_SCHEMA.root_record.fields]
NODE_RUN_FIELDS = [f.name for f in qexpr.RUN_SCHEMA.record("NodeRun").fields]
MODEL_FIELDS = [f.name for f in qexpr.RUN_SCHEMA.record("Model").fields]


def texts(q: str, at: int | None = None, scopes: tuple[str, ...] = ()) -> list[str]:
    return [c.text for c in complete(q, at, scopes=scopes)]


def spans(q: str, at: int | None = None) -> set[tuple[int, int]]:
    return {(c.start, c.end) for c in complete(q, at)}


# --------------------------------------------------------------------------- positions

def test_empty_input() -> None:
    got = texts("")
    assert got[: len(RUN_FIELDS)] == RUN_FIELDS  # fields first, in schema order
    for expected in ("model.", "comfyui_workflow.", "any(node_runs, ", "all(logs, ", "NOT",
                     "any(", "all(", "("):
        assert expected in got
    assert "current_evaluation_summary." not in got
    assert spans("") == {(0, 0)}


def test_start_of_a_text_is_like_empty_input() -> None:
    assert texts("duration_ms > 5", 0) == texts("")
    assert texts("   duration_ms > 5", 2) == texts("")


def test_scoped_fields_need_the_scope() -> None:
    assert "current_evaluation_summary." in texts("", scopes=(EVAL,))
    assert texts("cur") == []
    assert texts("cur", scopes=(EVAL,)) == ["current_evaluation_summary."]
    assert texts("current_evaluation_summary.") == []
    assert texts("current_evaluation_summary.", scopes=(EVAL,)) == ["passed", "status_code",
                                                                    "score"]
    assert complete("cur", scopes=EVAL)[0].text == "current_evaluation_summary."


@pytest.mark.parametrize(("q", "expected", "absent"), [
    ("duration_ms ", ["=", "!=", "<", "<=", ">", ">=", "IN (", "NOT IN (", "BETWEEN",
                      "NOT BETWEEN", "IS NULL", "IS NOT NULL"], ["LIKE", "AND"]),
    ("client_ref ", ["=", "LIKE", "NOT ILIKE", "CONTAINS", "STARTS_WITH", "NOT ENDS_WITH",
                     "BETWEEN"], ["AND"]),
    ("id ", ["=", "!=", "IN (", "NOT IN (", "IS NULL", "IS NOT NULL"],
     ["<", "BETWEEN", "LIKE"]),
    ("has_logs ", ["=", "!=", "IS NULL", "IS NOT NULL", "AND", "OR"], ["<", "IN ("]),
    ("created_at ", ["<", "BETWEEN", "IN ("], ["LIKE"]),
    ("metadata ", ["IS NULL", "IS NOT NULL"], ["=", "LIKE", "AND"]),
    ("metadata.tier ", ["=", "<", "LIKE", "IN (", "IS NULL", "AND", "OR"], []),
    ('metadata["a b"] ', ["=", "LIKE", "AND"], []),
    ("model.slug ", ["=", "LIKE"], []),
    ("model ", [], ["=", "IS NULL", "."]),
])
def test_after_a_field_its_operators(q: str, expected: list[str], absent: list[str]) -> None:
    got = texts(q)
    for text in expected:
        assert text in got
    for text in absent:
        assert text not in got


def test_operators_in_display_order() -> None:
    assert texts("id ") == ["=", "!=", "IN (", "NOT IN (", "IS NULL", "IS NOT NULL"]


def test_right_after_a_field_name() -> None:
    got = complete("duration_ms")
    assert got[0] == Completion("duration_ms", "field", 0, 11, "integer", "duration_ms", 0)
    assert [c.text for c in got[1:4]] == [" =", " !=", " <"]
    assert all((c.start, c.end) == (11, 11) for c in got[1:])
    assert texts("model")[:2] == ["model.", "model_id"]
    assert "." in texts("model")
    assert "[" in texts("metadata") and "." in texts("metadata")


@pytest.mark.parametrize(("q", "expected"), [
    ("has_logs = ", ["true", "false"]),
    ("has_logs != ", ["true", "false"]),
    ("metadata.flag = ", ["true", "false"]),
    ("created_at > ", ["now()", "created_at", "started_at", "completed_at", "model.",
                       "comfyui_workflow."]),
    # only relations that lead to a field of the same family (Model and ComfyuiWorkflow have
    # no number, Flow has no timestamp)
    ("nodes_completed < ", ["duration_ms", "cost", "nodes_total", "nodes_completed"]),
    ("client_ref = ", []),
    ("id = ", []),
    ("created_at BETWEEN ", ["now()"]),
    ("created_at IN (", ["now()"]),
    ("created_at IN (now(), ", ["now()", ")"]),
    ("failure_code IN (", []),
    ('failure_code IN ("a", ', [")"]),
    ("has_logs IS ", ["NULL", "NOT NULL"]),
    ("has_logs IS NOT ", ["NULL"]),
    ("client_ref NOT ", ["IN (", "BETWEEN", "LIKE", "ILIKE", "CONTAINS", "STARTS_WITH",
                         "ENDS_WITH"]),
    ("duration_ms NOT ", ["IN (", "BETWEEN"]),
    ("client_ref LIKE ", []),
    ("cost BETWEEN 1 ", ["AND"]),
    ("cost BETWEEN 1 AND 2 ", ["AND", "OR"]),
    ("created_at > now() ", ["-", "+", "AND", "OR"]),
    ("created_at > now()", [" -", " +", " AND", " OR"]),
    ("created_at > now() - ", ["1h", "1d", "7d", "30d", "15m", "250ms"]),
    ("created_at > now() - 7d ", ["-", "+", "AND", "OR"]),
    ('created_at > "2024-01-01" ', ["-", "+", "AND", "OR"]),
    ('client_ref = "x" ', ["AND", "OR"]),
    ("created_at > now", ["now()", "()"]),
    ("created_at > now ", ["()"]),
    ("created_at > now(", [")"]),
    ("created_at > now()", [" -", " +", " AND", " OR"]),
    ("duration_ms > 5 ", ["AND", "OR"]),
    ("duration_ms > 5", [" AND", " OR"]),
    ("(duration_ms > 5 ", ["AND", "OR", ")"]),
    ("((has_logs) ", ["AND", "OR", ")"]),
    ("duration_ms > 5 AND ", texts("")),
    ("NOT ", texts("")),
    ("(", texts("")),
    ("any", ["any(", "any(node_runs, ", "any(logs, ", "("]),
    ("any ", ["("]),
    ("any(", ["node_runs", "logs", "model.", "comfyui_workflow."]),
    ("any(model.", ["inputs", "outputs", "examples", "faq_entries", "pricing", "related_links"]),
    ("any(node_runs", ["node_runs", ", "]),
    ("any(node_runs ", [", "]),
    ("any(node_runs, ", [*NODE_RUN_FIELDS, "NOT", "any(", "all(", "("]),
    ('any(node_runs, state_code = "x" ', ["AND", "OR", ")"]),
    ('any(node_runs, state_code = "x") ', ["AND", "OR"]),
    ("any(node_runs, any(", []),
    ("model.", [*MODEL_FIELDS, "any(model.inputs, ", "all(model.inputs, "]),
    ("model.sl", ["slug"]),
    ("model.pr", ["pricing_note", "any(model.pricing, ", "all(model.pricing, "]),
    ("metadata.", []),
    ("metadata.tier.", []),
    ("metadata[", []),
    ('metadata["x"', ["]"]),
    ('metadata["x"]', [".", "[", " =", " !=", " <", " <=", " >", " >=", " IN (", " NOT IN (",
                       " BETWEEN", " NOT BETWEEN", " LIKE", " NOT LIKE", " ILIKE",
                       " NOT ILIKE", " CONTAINS", " NOT CONTAINS", " STARTS_WITH",
                       " NOT STARTS_WITH", " ENDS_WITH", " NOT ENDS_WITH", " IS NULL",
                       " IS NOT NULL", " AND", " OR"]),
    ("duration_ms.", []),
    ("model. ", []),
    ("model .", []),
    ("nodes_completed < model.", []),
    ("metadata .x", []),
])
def test_table(q: str, expected: list[str]) -> None:
    got = texts(q)
    if q.endswith(("model.", "any(node_runs, ", "any(model.")) or expected == texts(""):
        assert got[: len(expected)] == expected or set(expected) <= set(got)
    else:
        assert got == expected, q


def test_inside_a_quantifier_only_the_related_fields() -> None:
    got = texts("any(node_runs, ")
    assert "state_code" in got and "retry_count" in got
    assert "has_logs" not in got and "client_ref" not in got
    assert texts("any(node_runs, st") == ["state_code", "started_at"]
    assert texts("has_logs AND any(logs, level_code = \"x\") AND ")[: len(RUN_FIELDS)] == \
        RUN_FIELDS
    assert texts("any(model.pricing, ")[:3] == ["id", "model_id", "pricing_model_code"]


def test_inside_a_string_nothing() -> None:
    assert texts('client_ref = "ab') == []
    assert texts('client_ref = "abc" AND x = 1', 16) == []
    assert texts("client_ref = 'it\\'s") == []
    assert texts('metadata["team-') == []


def test_after_a_syntax_error_nothing() -> None:
    assert texts("x == 1 AND ") == []
    assert texts("duration_ms > 5 has") == []
    assert texts("!") == []
    assert texts("duration_ms > 1.") == []
    assert texts("duration_ms > 7dx") == []
    assert texts(")") == []
    assert texts("any(5") == []
    assert texts("duration_ms > 5 AND", 17) == texts("duration_ms > 5 AND", 17)


def test_mid_word_replaces_the_whole_word() -> None:
    got = complete("duration_ms > 5", 4)
    assert [(c.text, c.start, c.end) for c in got] == [("duration_ms", 0, 11)]
    got = complete("model.slug = 'x'", 8)
    assert [(c.text, c.start, c.end) for c in got] == [("slug", 6, 10)]
    got = complete("duration_ms > 5 AN", 17)
    assert [(c.text, c.start, c.end) for c in got] == [("AND", 16, 18)]
    got = complete("duration_ms > 5 an")
    assert [(c.text, c.start, c.end) for c in got] == [("AND", 16, 18)]
    got = complete("model.pr")
    assert ("any(model.pricing, ", 0, 8) in [(c.text, c.start, c.end) for c in got]


def test_ranking_prefix_first_then_word_parts() -> None:
    assert texts("code") == ["jurisdiction_code", "failure_code"]
    got = texts("co")
    assert got == ["comfyui_workflow_id", "context", "cost", "cost_breakdown", "completed_at",
                   "comfyui_workflow.", "nodes_completed", "jurisdiction_code", "failure_code"]
    assert texts("cost")[:2] == ["cost", "cost_breakdown"]
    assert texts("i")[:2] == ["id", "input"]
    assert [c.sort for c in complete("")] == list(range(len(complete(""))))


def test_keywords_match_in_any_case() -> None:
    assert texts("has_logs o")[0] == "OR"
    assert texts("n") == ["nodes_total", "nodes_completed", "any(node_runs, ",
                          "all(node_runs, ", "NOT", "has_node_runs"]
    assert texts("has_logs is n") == ["NULL", "NOT NULL"]
    assert texts("has_logs IS n") == ["NULL", "NOT NULL"]


def test_numbers_and_durations_as_partial_words() -> None:
    assert texts("created_at > now() - 7") == ["7d"]
    assert texts("created_at > now() - 7d") == ["7d", " -", " +", " AND", " OR"]
    assert texts("duration_ms > 10") == [" AND", " OR"]


def test_cursor_bounds() -> None:
    with pytest.raises(ValueError):
        complete("x", 2)
    with pytest.raises(ValueError):
        complete("x", -1)
    with pytest.raises(TypeError):
        complete("x", "1")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        complete(5)  # type: ignore[arg-type]
    assert complete("x", None) == complete("x", 1)


def test_other_schemas() -> None:
    schema = Schema("Shop", (
        record("Shop", fields("id:integer name:string"), to_many("items", "Item")),
        record("Item", fields("id:integer price:decimal")),
    ))
    assert [c.text for c in complete("", schema=schema)] == [
        "id", "name", "any(items, ", "all(items, ", "NOT", "any(", "all(", "("]
    assert [c.text for c in complete("any(items, p", schema=schema)] == ["price"]


def test_completion_object() -> None:
    c = complete("model.sl")[0]
    assert c.apply("model.sl") == "model.slug"
    assert c.to_dict() == {"text": "slug", "kind": "field", "start": 6, "end": 8,
                           "detail": "string", "label": "slug", "sort": 0}
    kinds = {c.kind for q in ("", "has_logs ", "has_logs = ", "x = 1 ", "any(", "created_at > ")
             for c in complete(q)}
    assert kinds == {"field", "relation", "operator", "keyword", "value", "punctuation",
                     "function"}
    with pytest.raises(AttributeError):
        c.text = "x"  # type: ignore[misc]


def test_public_name_is_the_function() -> None:
    import qexpr.completion as package

    assert qexpr.complete is package.complete
    assert qexpr.complete("dur")[0].text == "duration_ms"


# --------------------------------------------------------------------------- CLI

def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["complete", "model.sl", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == [{"text": "slug", "kind": "field", "start": 6, "end": 8, "detail": "string",
                    "label": "slug", "sort": 0}]


def test_cli_at_and_scope(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["complete", "cur AND x", "--at", "3", "--scope", EVAL, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [c["text"] for c in out] == ["current_evaluation_summary."]
    assert main(["complete", "duration_ms "]) == 0
    text = capsys.readouterr().out
    assert "'>='" in text and "operator" in text
    assert main(["complete", "x ==", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["complete", "x ==", "--at", "9"]) == 1
    assert main(["complete", 'x = "']) == 0
    assert "(no completions)" in capsys.readouterr().out


def test_built_completions_are_completions() -> None:
    from dataclasses import FrozenInstanceError, fields

    from qexpr.completion.model import make_completion

    values = ("slug", "field", 6, 8, "string", "slug", 3)
    built = make_completion(*values)  # type: ignore[arg-type]
    assert type(built) is Completion
    assert built == Completion(*values)  # type: ignore[arg-type]
    assert hash(built) == hash(Completion(*values))  # type: ignore[arg-type]
    assert [getattr(built, f.name) for f in fields(Completion)] == list(values)
    with pytest.raises(FrozenInstanceError):
        built.sort = 0  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del built.text  # type: ignore[misc]


def test_nesting_beyond_the_limit_offers_nothing() -> None:
    deep = "(" * (DEFAULT_LIMITS.max_depth + 1)
    assert qexpr.complete(deep[:-1]) != []
    assert qexpr.complete(deep) == []
    assert qexpr.complete("(" * 5000) == []  # and no RecursionError
    assert qexpr.complete("NOT " * 40) == []


def test_the_parser_reports_the_site() -> None:
    from qexpr.completion.site import locate
    from qexpr.syntax.engines.native import scan

    q = 'any(model.pricing, (pricing_model_code = "x" OR id IN ('
    site = locate(q, scan(q), len(q), qexpr.RUN_SCHEMA, frozenset())
    assert site is not None
    assert site.record is qexpr.RUN_SCHEMA.record("ModelPricing")
    assert site.left.field is not None and site.left.field.name == "id"
    assert not site.in_quantifier  # the innermost "(" is a group
    assert locate("x = = ", scan("x = = "), 6, qexpr.RUN_SCHEMA, frozenset()) is None
