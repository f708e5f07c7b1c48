"""The inputs of the conformance suite: spec examples, error codes, limits, traps, generated.

Every function returns plain data (texts, scopes, parameters) in a fixed order; the outcomes
are computed by ``generate.py``. Generated texts come from ``random.Random`` with fixed seeds,
so the suite is the same on every run.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "docs" / "spec.md"
EVAL = "evaluations:read"

_FENCE = re.compile(r"^```q-example[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


def spec_examples() -> list[dict[str, Any]]:
    """The ``q-example`` blocks of docs/spec.md: ``{"q"|"params", "scopes"}`` in order."""
    out: list[dict[str, Any]] = []
    text = SPEC.read_text(encoding="utf-8")
    for block in _FENCE.finditer(text):
        for example in re.split(r"\n[ \t]*\n", block.group(1)):
            pairs = [line.split(": ", 1) if ": " in line else [line.rstrip(":"), ""]
                     for line in example.split("\n") if line.strip() or line.startswith("q:")]
            if not pairs:
                continue
            values = dict((k, v) for k, v in pairs if k in ("q", "q-json", "params", "scopes"))
            scopes = [s.strip() for s in values.get("scopes", "").split(",") if s.strip()]
            if "q" in values:
                out.append({"q": values["q"], "scopes": scopes})
            elif "q-json" in values:
                out.append({"q": json.loads(values["q-json"]), "scopes": scopes})
            elif "params" in values:
                out.append({"params": json.loads(values["params"]), "scopes": scopes})
    return out


# --------------------------------------------------------------------------- hand-written

#: One or more texts per error code and per lexical rule of sections 2, 3 and 7.
HANDWRITTEN_PARSE = [
    # syntax_error: tokens, grammar, strings, numbers, paths
    "", " \t\r\n ", "has_logs", "(has_logs)", "NOT NOT has_logs", "a = b = c", "a =", "= 1",
    "a = 1 b = 2", "a IN ()", "a IN (1,)", "a IN (1,,)", "a IN 1", "a BETWEEN 1", "a BETWEEN 1 AND",
    "a LIKE 1", "a LIKE \"x\" AND", "a IS", "a IS NOT", "a IS NOT NULL", "a IS null", "a NOT",
    "a NOT = 1", "NOT", "(", ")", "()", "(a", "a)", "a,", ",", ".", "a.", "a..b", "a.[\"x\"]",
    "a[\"x\"]", "a[x]", "a[\"x\"", "a[]", "a[1]", "a.in = 1", "a.and.or.not = 1", "in = 1",
    "and", "any = 1", "now = 1", "a = now", "a = now(", "a = now()", "a = now() -", "a = now() - 1",
    "a = now() - 1d", "a = now() + 1d - 2h + 3m - 4s + 5ms + 6w", "a = \"2024-01-01\" - 1d",
    "a = 1d", "a = - 1d", "a = -now()", "a = - 5", "a = -5", "a = --5", "a = -x", "a = +5",
    "a = 1 + 1d", "any(", "any()", "any(a)", "any(a,)", "any(a, b)", "any(a b)", "all(a, b = 1)",
    "any(a.b[\"c\"], all(d, e))", "any(a, any(b, any(c, d)))", "ANY(a, b)", "aNy(a, b)",
    "a == 1", "a <> 1", "a = 1 && b", "a = 1 || b", "!a", "a ! = 1", "a & b", "a | b", "a eq 1",
    "a ne 1", "a gt 1", "a = 1;", "a = 1 # c", "a = *", "a ? 1", "a = \u201cx\u201d",
    "a = \"x\"y", "a = 'x'", "a = 'it''s'", "a = \"\\\"\"", "a = \"\\q\"", "a = \"\\\"",
    "a = \"abc", "a = 'abc", "a = \"", "a = \"\\", "\"\\q\" = 1 AND (", "a = \"\\u00\"",
    "a = \"\\u00zz\"", "a = \"\\u0000\"", "a = \"\\uD800\"", "a = \"\\uDC00\"",
    "a = \"\\uD83D\\uDE00\"", "a = \"\\ud83d\\u0041\"", "a = \"\\ud83d\"", "a = \"\\uDE00\\uD83D\"",
    "a = \"\u0001\"", "a = \"\t\"", "a = \"line\nbreak\"", "a = \"\x00\"", "\x00", "a = \ud800",
    "a = \"\ud800\"", "a = \"\\\ud800\"", "a = \"\U0001f600\" AND b = \"\\q\"",
    "\U0001f600 = 1", "a = \"\U0001f600\U0001f600\" AND b ==", "\u00e9 = 1",
    "a = 1.", "a = .5", "a = 1.5.5", "a = 1e", "a = 1e+", "a = 1e+5", "a = 1E-5", "a = 7dx",
    "a = 1.5d", "a = 7D", "a = 1AND b", "a = 1_000", "a = 0x10", "a = 1e5d", "a = 00",
    "a = 1e99999999999999999999", "a = 0e99999999999999999999", "a = 1e-308", "a = 9.99e307",
    "a = 1e307", "a = 1e308", "a = 10e307", "a = 0.000e-400",
    "a = 1234567890123456789012345678901234",
    "a = 12345678901234567890123456789012345", "a = 1234567890123456789012345678901234000000",
    "a = 0.0000001234567890123456789012345678901234",
    "a > now() - 123456789012345d", "a > now() - 1234567890123456d", "a > now() - 0001d",
    "a > now() - 000000000000000000001d", "a = 12345678901234567890123456789012345 AND (",
    "a = 1e999 AND b = \"\\q\"", "a = \"\\q\" AND b = 1e999", "a = 1e999 b", "a 1e999",
    "a = 1e999)", "a IN (1e999", "a = 1234567890123456d", "x 1234567890123456d",
    "metadata . tier = 1", "metadata .tier = 1", "metadata. tier = 1", "metadata [\"a\"] = 1",
    "metadata[ \"a\"] = 1", "metadata[\"a\" ] = 1", "metadata[\"a\"] .b = 1", "x IN (\"a\" ]",
    "a . b . c", "a .", "a [", "a .and = 1", "a . 1 = 2", "(a) .b = 1", "a = b .c",
    "a = \"x\" [\"y\"]", "a = 1 AND metadata . x", "metadata . x = \"\\q\"",
    "metadata . x = 1e999", "a = 1e999 AND metadata . x = 1",
    "metadata[ \"\\q\"] = 1", "metadata [\"\\q\"] = 1", "metadata[\"\\q\" ] = 1",
    "metadata[ \"\\u0000\"] = 1", "metadata[ \"\x01\"].a = 1", "metadata[\"\\q\"] .a = 1",
    "metadata[ \"" + "x" * 1025 + "\"] = 1", "metadata[ \"abc] = 1", "a = 1 b .c",
    "metadata[ '\\ud800'] = 1", "metadata .1e999 = 1", "metadata. \"x\"",
    "a = 1e999 AND metadata . x = \"\\q\"", "a =\n\n==", "a\r=\r\n1 ==", "a = 1\r\n;",
    "a AND b OR c AND NOT d", "(a OR b) AND (c OR NOT (d AND e))", "a = true AND b = false",
    "a = TRUE AND b = False AND c = NULL", "a != null", "a < 1 AND b <= 2 AND c > 3 AND d >= 4",
    "a IN (\"x\", 'y', 1, -2, true, false, null, now(), now() - 1d, \"2024-01-01\" + 1h)",
    "a NOT IN (1)", "a NOT BETWEEN 1 AND 2", "a NOT LIKE \"x\"", "a NOT ILIKE \"x\"",
    "a CONTAINS \"x\" AND a STARTS_WITH \"y\" AND a ENDS_WITH \"z\"", "a NOT CONTAINS \"x\"",
    "a BETWEEN now() - 1d AND now()", "a BETWEEN 1 AND 2 AND 3", "a = b", "a = b.c[\"d\"]",
    "NOT a IN (1) AND NOT (b BETWEEN 1 AND 2)", "((((a))))", "NOT (NOT (NOT a))",
    "any(node_runs, state_code = \"failed\") OR all(logs, NOT level_code = \"error\")",
]


#: Texts for validation: each semantic error code, scopes, typed literals, several errors.
HANDWRITTEN_VALIDATE: list[tuple[str, list[str]]] = [
    ("no_such_field = 1", []),
    ("duraton_ms > 1", []),
    ("model.no_such = 1", []),
    ("model = 1", []),
    ("node_runs = 1", []),
    ("node_runs.state_code = \"failed\"", []),
    ("any(model, slug = \"x\")", []),
    ("any(node_runs, state_code = failed)", []),
    ("any(node_runs, any(logs, level_code = \"x\"))", []),
    ("current_evaluation_summary.score < 0.5", []),
    ("current_evaluation_summary.score < 0.5", [EVAL]),
    ("current_evaluation_summary.passed", [EVAL]),
    ("current_evaluation_summary IS NULL", [EVAL]),
    ("has_logs > true", []),
    ("has_logs LIKE \"x\"", []),
    ("id > \"3c90c3cc-0d44-4b50-8888-8dd25736052a\"", []),
    ("id LIKE \"3c90%\"", []),
    ("metadata = 1", []),
    ("metadata IS NOT NULL", []),
    ("metadata.flag BETWEEN true AND false", []),
    ("metadata.x BETWEEN 1 AND \"z\"", []),
    ("metadata.x IN (1, \"a\", true)", []),
    ("metadata.x > now()", []),
    ("metadata.x LIKE \"a\\\\\"", []),
    ("duration_ms = null", []),
    ("duration_ms != null", []),
    ("duration_ms < null", []),
    ("duration_ms BETWEEN null AND 1", []),
    ("duration_ms IN (1, null)", []),
    ("metadata.x = null", []),
    ("duration_ms = \"5\"", []),
    ("duration_ms = true", []),
    ("duration_ms = now()", []),
    ("client_ref = 5", []),
    ("client_ref = now() - 1d", []),
    ("has_logs = 1", []),
    ("created_at > 5", []),
    ("created_at > duration_ms", []),
    ("created_at > started_at", []),
    ("cost > duration_ms AND nodes_total = cost", []),
    ("client_ref = failure_code", []),
    ("client_ref = id", []),
    ("id = model_id", []),
    ("id < model_id", []),
    ("metadata.a = metadata.b", []),
    ("has_logs = has_node_runs", []),
    ("duration_ms", []),
    ("client_ref", []),
    ("metadata.flag", []),
    ("NOT has_logs", []),
    ("id = \"not-a-uuid\"", []),
    ("id = \"3C90C3CC-0D44-4B50-8888-8DD25736052A\"", []),
    ("id IN (\"3c90c3cc-0d44-4b50-8888-8dd25736052a\", \"x\")", []),
    ("created_at > \"2024-01-01\"", []),
    ("created_at > \"2024-1-1\"", []),
    ("created_at > \"2024-01-01 00:00:00Z\"", []),
    ("created_at > \"2024-01-01T24:00:00Z\"", []),
    ("created_at > \"2024-01-01T23:59:60Z\"", []),
    ("created_at > \"2024-01-01T00:00:00.1234567Z\"", []),
    ("created_at > \"2024-01-01T00:00:00.123456+05:30\"", []),
    ("created_at > \"2024-02-29\" AND created_at < \"2023-02-29\"", []),
    ("created_at > \"9999-12-31T23:59:59-01:00\"", []),
    ("created_at > \"0001-01-01T00:00:00Z\" - 1ms", []),
    ("created_at > \"9999-12-31T23:59:59Z\" + 1s", []),
    ("created_at > now() - 100000w", []),
    ("created_at > now() - 99999999999999ms", []),
    ("created_at BETWEEN \"2024-01-01\" AND now()", []),
    ("client_ref LIKE \"a\\\\\"", []),
    ("client_ref LIKE \"50\\\\%%\"", []),
    ("cost = 0.10", []),
    ("cost IN (1, 1.0, 1e0)", []),
    ("duration_ms > 1.5", []),
    ("duration_ms = \"x\" AND cost = true AND failure_code = failed AND no_such = 1", []),
    ("a = 1 AND b = 2 AND c = 3 AND d = 4 AND e = 5 AND f = 6 AND g = 7 AND h = 8 AND i = 9 "
     "AND j = 10 AND k = 11 AND l = 12", []),
    ("current_evaluation_summary.nope = 1 AND nope = 2", []),
    ("current_evaluation_summary.nope = 1 AND nope = 2", [EVAL]),
    ("any(model.pricing, price > 1) AND all(comfyui_workflow.inputs, name = \"x\")", []),
    ("model.pricing.price > 1", []),
    ("any(node_runs, duration_ms > nodes_total)", []),
    ("any(node_runs, any(node_runs, id = id))", []),
    ("ANY(node_runs, retry_count > 0) and All(logs, level_code != \"x\")", []),
]

#: Evaluation texts on the dataset: the traps of spec section 13 and section 5's rules.
TRAPS = [
    "client_ref < \"a\"", "client_ref >= \"a\"", "client_ref BETWEEN \"A\" AND \"b\"",
    "client_ref ILIKE \"\u00e9\"", "client_ref ILIKE \"abc%\"", "client_ref LIKE \"abc%\"",
    "client_ref LIKE \"A%\"", "client_ref LIKE \"a_c\"", "client_ref LIKE \"50\\\\%%\"",
    "client_ref LIKE \"%\"", "client_ref LIKE \"\"", "client_ref ENDS_WITH \"\"",
    "client_ref STARTS_WITH \"\"", "client_ref CONTAINS \"\"", "client_ref CONTAINS \"100%\"",
    "client_ref CONTAINS \"%\"", "client_ref NOT LIKE \"%a%\"", "client_ref ENDS_WITH \"c\"",
    "client_ref != \"B\"", "client_ref != \"B\" OR client_ref IS NULL", "client_ref = \"\"",
    "client_ref IS NULL", "NOT client_ref IS NULL", "client_ref IN (\"a\", \"B\", \"\u00c9\")",
    "client_ref NOT IN (\"a\", \"B\")", "client_ref = \"a\\ud83d\\ude00c\"",
    "metadata.team = 42", "metadata.team != 42", "metadata.team = \"42\"", "metadata.team > 41",
    "metadata.team IS NULL", "metadata.team IS NOT NULL", "metadata.flag", "NOT metadata.flag",
    "metadata.flag = true", "metadata.flag = 1", "metadata.a.b IS NULL", "metadata.a > 4",
    "metadata[\"q\\\"x\"] = \"quote\"", "metadata[\"a.b\"].c = 1",
    "metadata[\"k\\\\b\"] = \"back\"",
    "metadata[\"\U0001f600\"] = 1", "metadata[\"team-id\"] = 42", "metadata.tier = true",
    "metadata.tier IN (true)", "metadata.customer.tier = \"gold\"", "metadata IS NULL",
    "metadata.team BETWEEN \"4\" AND \"5\"", "metadata.team LIKE \"4%\"",
    "metadata.team IN (42, 43)",
    "cost = 0.1", "cost > 0.5", "cost IS NULL", "cost BETWEEN 0.01 AND 0.5", "cost > duration_ms",
    "duration_ms IS NULL", "duration_ms > 1000", "NOT duration_ms > 1000",
    "NOT duration_ms > 1000 OR duration_ms IS NULL", "duration_ms BETWEEN 5000 AND 1",
    "any(node_runs, retry_count > 1)", "all(node_runs, retry_count > 1)",
    "NOT any(node_runs, state_code = \"failed\")", "all(node_runs, NOT state_code = \"failed\")",
    "all(node_runs, state_code != \"failed\")", "any(node_runs, state_code IS NULL)",
    "any(logs, level_code = \"error\")", "all(logs, level_code != \"error\")",
    "model.slug IS NULL", "model.id IS NULL", "all(model.pricing, price > 1)",
    "any(model.pricing, price > 0)", "feedback_is_positive", "NOT feedback_is_positive",
    "feedback_is_positive = false", "feedback_is_positive IS NULL", "has_logs AND has_node_runs",
    "created_at >= \"2024-11-01\"", "created_at > now() - 365d", "created_at < started_at",
    "completed_at IS NULL OR completed_at > created_at", "failure_code = \"oom\" OR has_logs",
    "failure_message ILIKE \"%OUT OF MEMORY%\"", "failure_message CONTAINS \"memory\"",
    "id = \"C0F00000-0000-4000-8000-000000000003\"",
    "id != \"c0f00000-0000-4000-8000-000000000003\"",
]


# --------------------------------------------------------------------------- generated


def dataset_values(records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """The distinct values of some fields in the dataset, in first-seen order."""
    out: dict[str, list[Any]] = {}
    for record in records:
        for key in ("client_ref", "failure_code", "jurisdiction_code", "duration_ms", "cost",
                    "nodes_total", "created_at", "id", "model_id"):
            value = record.get(key)
            if value is not None and value not in out.setdefault(key, []):
                out[key].append(value)
        for run in record.get("node_runs") or []:
            for key in ("state_code", "retry_count"):
                value = run.get(key)
                if value is not None and value not in out.setdefault("nr_" + key, []):
                    out["nr_" + key].append(value)
    return out


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def generated_filters(records: list[dict[str, Any]], count: int, seed: int) -> list[str]:
    """Valid filters over the Run schema whose literals mostly come from the dataset."""
    rng = random.Random(seed)
    values = dataset_values(records)

    def pick(key: str) -> Any:
        return rng.choice(values[key])

    def predicate(depth: int) -> str:
        kind = rng.randrange(14 if depth < 2 else 12)
        if kind == 0:
            return f"client_ref {rng.choice(['=', '!=', '<', '>='])} {_quote(pick('client_ref'))}"
        if kind == 1:
            ref = str(pick("client_ref"))
            op = rng.choice(["LIKE", "ILIKE", "CONTAINS", "STARTS_WITH", "ENDS_WITH", "NOT LIKE"])
            part = ref[: rng.randrange(len(ref) + 1)]
            return f"client_ref {op} {_quote(part + ('%' if 'LIKE' in op else ''))}"
        if kind == 2:
            items = ", ".join(_quote(str(pick("failure_code"))) for _ in range(rng.randrange(1, 4)))
            return f"failure_code {rng.choice(['IN', 'NOT IN'])} ({items})"
        if kind == 3:
            low, high = sorted((pick("duration_ms"), pick("duration_ms")))
            return f"duration_ms {rng.choice(['BETWEEN', 'NOT BETWEEN'])} {low} AND {high}"
        if kind == 4:
            return f"cost {rng.choice(['<', '<=', '>', '=', '!='])} {pick('cost')}"
        if kind == 5:
            return rng.choice(["has_logs", "has_node_runs", "feedback_is_positive",
                               "NOT has_logs", "feedback_is_positive = false"])
        if kind == 6:
            field = rng.choice(["completed_at", "duration_ms", "failure_code", "model.slug",
                                "metadata.team", "metadata.customer.tier", "cost"])
            return f"{field} IS {rng.choice(['', 'NOT '])}NULL"
        if kind == 7:
            stamp = str(pick("created_at"))[: rng.choice([10, 20, 27])]
            stamp = stamp if len(stamp) == 10 else stamp.rstrip("Z.") + "Z"
            return f"created_at {rng.choice(['<', '>='])} {_quote(stamp)}"
        if kind == 8:
            return rng.choice([
                f"metadata.team = {_quote(rng.choice(['team-a', 'team-b', '42', 'gold']))}",
                f"metadata[\"team-id\"] {rng.choice(['=', '>', '<'])} {rng.randrange(0, 50)}",
                "metadata.customer.tier IN (\"gold\", \"silver\")",
            ])
        if kind == 9:
            return rng.choice(["nodes_completed < nodes_total", "cost > duration_ms",
                               "id = model_id", "created_at < started_at"])
        if kind == 10:
            return f"id {rng.choice(['=', '!='])} {_quote(str(pick('id')).upper())}"
        if kind == 11:
            return f"created_at > now() - {rng.randrange(1, 900)}d"
        inner = (f"state_code = {_quote(str(pick('nr_state_code')))}"
                 if rng.random() < 0.5 else f"retry_count > {pick('nr_retry_count')}")
        if rng.random() < 0.3:
            inner = f"{inner} {rng.choice(['AND', 'OR'])} duration_ms > {rng.randrange(5000)}"
        return f"{rng.choice(['any', 'all'])}(node_runs, {inner})"

    def expr(depth: int) -> str:
        roll = rng.random()
        if depth >= 3 or roll < 0.45:
            return predicate(depth)
        if roll < 0.55:
            return f"NOT {expr(depth + 1)}" if rng.random() < 0.5 else f"NOT ({expr(depth + 1)})"
        joiner = rng.choice([" AND ", " OR "])
        parts = [expr(depth + 1) for _ in range(rng.randrange(2, 4))]
        text = joiner.join(parts)
        return f"({text})" if rng.random() < 0.5 else text

    return [expr(0) for _ in range(count)]


_TOKEN = re.compile(r"\s+|\"(?:[^\"\\]|\\.)*\"?|'(?:[^'\\]|\\.)*'?|[A-Za-z_][A-Za-z0-9_]*"
                    r"|[0-9][A-Za-z0-9_.]*|!=|<=|>=|.", re.DOTALL)
_PIECES = [
    "(", ")", ",", ".", "[", "]", "-", "+", "=", "==", "!", "&&", "||", ";", "<>", "NOT", "AND",
    "OR", "IN", "IS", "NULL", "any(", "all(", "now()", "7d", "\"", "'", "\\", "\"\\q\"",
    "\"\\u0000\"", "\"\\ud800\"", "\"\\ud83d\\ude00\"", "\x01", "\ud800", "\U0001f600", "\u00e9",
    "1.", "7dx", "1e", "1AND", "1e400", "12345678901234567890123456789012345",
    "1234567890123456d", " ", "\n", "\r", "\t", "\"abc", "x", "metadata", "\"\U0001f600\"",
    "0", "-5", "true", "\u2028", "\x00",
]


def mutations(texts: list[str], count: int, seed: int) -> list[str]:
    """Broken variants of ``texts``: a piece deleted, doubled, swapped, inserted or respaced."""
    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < count:
        parts = _TOKEN.findall(rng.choice(texts))
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            if not parts:
                break
            i = rng.randrange(len(parts))
            action = rng.randrange(6)
            if action == 0:
                del parts[i]
            elif action == 1:
                parts.insert(i, parts[i])
            elif action == 2 and i + 1 < len(parts):
                parts[i], parts[i + 1] = parts[i + 1], parts[i]
            elif action == 3:
                parts.insert(i, rng.choice(_PIECES))
            elif action == 4:
                parts.insert(i, " ")
            else:
                parts[i] = parts[i][: rng.randrange(len(parts[i]) + 1)]
        text = "".join(parts)
        if rng.random() < 0.15:
            text = "client_ref = \"\U0001f600\u00e9\U0001f600\" AND " + text
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out
