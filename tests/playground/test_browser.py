"""The playground in headless Chromium against a real ``qexpr serve``: errors underlined at
their characters, completions accepted with the keyboard, paging as the API pages, a link
that reproduces the view, and a page that fits 360 px. Each step leaves a screenshot in
``test-artifacts/playground/``."""

from __future__ import annotations

import json
import os
import shutil
from typing import Any

from tests.playground.conftest import ARTIFACTS, ORG, Playground
from tests.playground.webdriver import ARROW_DOWN, ARROW_UP, CONTROL, ENTER, ESCAPE, TAB
from tests.serve.conftest import ROOT

SHOWN = """
const status = document.getElementById('q-status');
if (status.dataset.q !== arguments[0] || status.dataset.where !== arguments[1]) return null;
const box = status.querySelector('.error');
const mark = document.getElementById('q-error-span');
return {error: box ? {code: box.dataset.code, start: +box.dataset.start, end: +box.dataset.end,
                      text: box.textContent} : null,
        underlined: mark ? mark.textContent : null,
        echo: document.getElementById('q-echo').textContent};
"""
ROWS = """
const table = document.getElementById('runs');
if ((table.dataset.loads ?? '0') === arguments[0]) return null;
const names = [...table.tHead.rows[0]?.cells ?? []].map((c) => c.textContent);
return {names, rows: [...table.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent)),
        next: !document.getElementById('next').disabled,
        prev: !document.getElementById('prev').disabled, url: location.href};
"""


def set_q(play: Playground, text: str) -> None:
    play.browser.clear("#q")
    play.browser.type("#q", text)


def shown(play: Playground, q: str, where: str = "by the server") -> dict[str, Any]:
    """What the page shows for ``q`` once ``where`` checked it."""
    found: dict[str, Any] = play.browser.wait(SHOWN, q, where)
    return found


def loads(play: Playground) -> str:
    return str(play.browser.js("return document.getElementById('runs').dataset.loads ?? '0'"))


def rows_after(play: Playground, before: str) -> dict[str, Any]:
    found: dict[str, Any] = play.browser.wait(ROWS, before)
    return found


def test_a_broken_filter_is_underlined_at_its_characters_with_help(play: Playground) -> None:
    play.open()
    for q in ("duration_ms == 1", "duraton_ms > 1", "has_logs AND (cost > 1", "name ~ 'x"):
        set_q(play, q)
        answer = play.api("/v1/compile", q=q)
        assert answer.status_code == 400, answer.text
        expected = answer.json()["errors"][0]
        seen = shown(play, q)
        error = seen["error"]
        assert (error["code"], error["start"], error["end"]) == (
            expected["code"], expected["start"], expected["end"])
        assert seen["underlined"] == q[expected["start"]:expected["end"]]
        assert expected["message"] in error["text"]
        if expected["hint"]:
            assert "Hint: " + expected["hint"] in error["text"]
        if expected["suggestion"]:
            assert f"Did you mean {expected['suggestion']}?" in error["text"]
        play.shot(f"1-error-{expected['code']}-{expected['start']}")
    # the browser's own check comes first, at the same characters (syntax needs no server)
    local = play.browser.js("""
        const q = document.getElementById('q');
        q.value = 'duration_ms > 1 AND AND x';
        q.dispatchEvent(new Event('input'));
        return [document.getElementById('q-status').dataset.where,
                document.getElementById('q-error-span').textContent];""")
    assert local == ["in the browser", "AND"]
    # did-you-mean replaces exactly the error span
    set_q(play, "duraton_ms > 1")
    shown(play, "duraton_ms > 1")
    play.browser.click("#q-status .suggestion button")
    fixed = shown(play, "duration_ms > 1")
    assert fixed["error"] is None and fixed["underlined"] is None
    play.shot("1-did-you-mean-applied")


def completions(play: Playground) -> list[str]:
    """The labels of the open completion list."""
    found: list[str] = play.browser.wait("""
        const list = document.getElementById('completions');
        return list.hidden ? null
          : [...list.children].map((li) => li.querySelector('.label').textContent);""")
    return found


def value(play: Playground) -> tuple[str, int]:
    """The q input's text and cursor."""
    got = play.browser.js("const q = document.getElementById('q'); "
                          "return [q.value, q.selectionStart]")
    return got[0], got[1]


def test_a_completion_accepted_with_the_keyboard_then_the_filter_runs(play: Playground
                                                                    ) -> None:
    play.open()
    typed = "has_logs AND dura"
    set_q(play, typed)
    items = play.api("/v1/complete", q=typed, cursor=str(len(typed))).json()["items"]
    assert completions(play) == [item["label"] for item in items]
    play.shot("2-completion-list-field")
    play.browser.keys(TAB)  # Tab: the first item
    first = items[0]
    q = typed[:first["start"]] + first["text"] + typed[first["end"]:]
    assert value(play) == (q, first["start"] + len(first["text"]))
    # an operator chosen with the arrows (down past it, up again) and Enter
    play.browser.type("#q", " ")
    q += " "
    items = play.api("/v1/complete", q=q, cursor=str(len(q))).json()["items"]
    assert completions(play) == [item["label"] for item in items]
    index = [item["text"] for item in items].index(">")
    play.browser.keys(ARROW_DOWN * (index + 2) + ARROW_UP)
    assert play.browser.js("return document.getElementById('q')"
                           ".getAttribute('aria-activedescendant')") == f"completion-{index}"
    play.shot("2-completion-list-operator")
    play.browser.keys(ENTER)
    chosen = items[index]
    q = q[:chosen["start"]] + chosen["text"] + q[chosen["end"]:]
    assert value(play) == (q, chosen["start"] + len(chosen["text"]))
    play.browser.type("#q", " 1000")
    q += " 1000"
    assert q == "has_logs AND duration_ms > 1000"
    assert shown(play, q)["error"] is None
    before = loads(play)
    play.browser.keys(ENTER)  # no item chosen: Enter runs the filter
    seen = rows_after(play, before)
    expected = play.api("/v1/runs", q=q, limit="10").json()["items"]
    assert expected, "the filter matches some example runs"
    assert [row[seen["names"].index("id")] for row in seen["rows"]] == [
        item["id"] for item in expected]
    play.shot("2-completed-filter-ran")


def put_q(play: Playground, text: str) -> None:
    """Set q as a paste does, the cursor at its end (chromedriver cannot type characters
    outside the BMP)."""
    play.browser.js("""const q = document.getElementById('q'); q.focus(); q.value = arguments[0];
        q.setSelectionRange(q.value.length, q.value.length);
        q.dispatchEvent(new Event('input'));""", text)


def test_spans_count_code_points_beyond_the_bmp(play: Playground) -> None:
    play.open()
    q = 'metadata.team = "\U0001F642\U0001F642" AND duration_ms == 1'
    put_q(play, q)
    expected = play.api("/v1/compile", q=q).json()["errors"][0]
    seen = shown(play, q)
    assert (seen["error"]["start"], seen["error"]["end"]) == (expected["start"], expected["end"])
    assert seen["underlined"] == q[expected["start"]:expected["end"]] == "=="
    typed = 'input.prompt = "\U0001F642" OR dura'
    put_q(play, typed)
    item = play.api("/v1/complete", q=typed, cursor=str(len(typed))).json()["items"][0]
    completions(play)
    play.browser.keys(TAB)
    done = typed[:item["start"]] + item["text"] + typed[item["end"]:]
    caret = done[:item["start"] + len(item["text"])]
    assert value(play) == (done, len(caret.encode("utf-16-le")) // 2)
    play.shot("2-astral-completion")


def test_without_a_token_the_browser_still_checks_and_the_server_says_why(
        play: Playground) -> None:
    play.browser.get(play.url + "/")
    play.browser.wait("return document.body.dataset.ready === 'true'")
    play.browser.js("sessionStorage.clear(); document.getElementById('token').value = ''")
    set_q(play, "duration_ms == 1")
    assert shown(play, "duration_ms == 1", "in the browser")["underlined"] == "=="
    said = play.browser.wait("return document.getElementById('server-errors').textContent")
    assert "Not compiled: an Authorization: Bearer <token> header is required" in said
    play.shot("1-no-token")


def test_each_dialect_shows_the_sql_and_parameters_of_the_server(play: Playground) -> None:
    play.open("?q=duration_ms+%3E+1000+AND+model.slug+%3D+%27flux%27")
    options = play.browser.js("return [...document.getElementById('dialect').options]"
                              ".map((o) => o.value)")
    assert options == ["postgresql", "sqlite", "clickhouse"]
    for dialect in options:
        play.browser.js("const d = document.getElementById('dialect'); d.value = arguments[0];"
                        "d.dispatchEvent(new Event('change'))", dialect)
        body = play.api("/v1/compile", q="duration_ms > 1000 AND model.slug = 'flux'",
                        dialect=dialect).json()
        shown_sql = play.browser.wait("""const sql = document.getElementById('sql').textContent;
            return sql === arguments[0] ? [sql, document.getElementById('sql-params').textContent,
              document.getElementById('canonical').textContent, location.search] : null;""",
                                      body["sql"])
        assert shown_sql[1:3] == [json.dumps(body["params"], separators=(",", ":")), body["q"]]
        assert ("dialect=" + dialect in shown_sql[3]) == (dialect != "postgresql")
    play.shot("1-dialects")


def test_the_example_runs_organisation_is_named_on_the_page(play: Playground) -> None:
    from collections import Counter

    import qexpr

    orgs = Counter(run["org_id"] for run in qexpr.example_runs())  # several since issue 11
    play.open()
    text = play.browser.js("return document.getElementById('org-help').textContent")
    most = orgs.most_common(1)[0][0]
    assert text == (f"The bundled example runs belong to {len(orgs)} organisations; "
                    f"{most} has the most.")


def test_paging_forward_and_back_shows_the_rows_of_the_api(play: Playground) -> None:
    query = "?q=duration_ms+%3E+0&fields=id,duration_ms,model_id&sort_by=duration_ms:desc&limit=7"
    play.open(query)
    params = {"q": "duration_ms > 0", "fields": "id,duration_ms,model_id",
              "sort_by": "duration_ms:desc", "limit": "7"}
    seen = rows_after(play, "0")
    pages = [play.api("/v1/runs", **params).json()]
    for _ in range(2):
        pages.append(play.api("/v1/runs", **params, pq=pages[-1]["next"]).json())

    def ids(body: dict[str, Any]) -> list[str]:
        return [item["id"] for item in body["items"]]

    assert seen["names"] == ["id", "duration_ms", "model_id"]
    assert [r[0] for r in seen["rows"]] == ids(pages[0])
    assert seen["rows"][0][1] == str(pages[0]["items"][0]["duration_ms"])
    assert (seen["prev"], seen["next"]) == (False, True)
    play.shot("3-page-1")
    for number in (1, 2):
        before = loads(play)
        play.browser.click("#next")
        seen = rows_after(play, before)
        assert [r[0] for r in seen["rows"]] == ids(pages[number])
        play.shot(f"3-page-{number + 1}")
    link = seen["url"]
    assert "pq=" in link
    for number in (1, 0):
        before = loads(play)
        play.browser.click("#prev")
        seen = rows_after(play, before)
        assert [r[0] for r in seen["rows"]] == ids(pages[number])
        play.shot(f"3-back-to-page-{number + 1}")
    # the link of page 3 opens page 3 again, controls filled in
    play.browser.get(link)
    seen = rows_after(play, "0")
    assert [r[0] for r in seen["rows"]] == ids(pages[2])
    assert play.browser.js("return ['q','fields','sort_by','limit'].map((id) => "
                           "document.getElementById(id).value)") == [
        "duration_ms > 0", "id,duration_ms,model_id", "duration_ms:desc", "7"]
    play.shot("3-link-reopened")


def test_editing_the_search_ends_its_paging_and_bad_controls_show_the_servers_errors(
        play: Playground) -> None:
    play.open("?q=has_logs&limit=3")
    seen = rows_after(play, "0")
    assert seen["next"]
    play.browser.click("#next")
    play.browser.wait("return !document.getElementById('prev').disabled")
    assert "pq=" in play.browser.js("return location.search")
    play.browser.type("#sort_by", "duration_ms")
    assert play.browser.js("return [document.getElementById('next').disabled, "
                           "document.getElementById('prev').disabled, location.search]") == [
        True, True, "?q=has_logs&org=" + ORG + "&sort_by=duration_ms&limit=3"]
    play.browser.clear("#fields")
    play.browser.type("#fields", "id,nope")
    before = loads(play)
    play.browser.click("#run")
    rows_after(play, before)
    expected = play.api("/v1/runs", q="has_logs", limit="3", sort_by="duration_ms",
                        fields="id,nope").json()["errors"][0]
    text = play.browser.js("return document.getElementById('runs-status').textContent")
    assert f"fields: {expected['message']} (hint: {expected['hint']})" in text
    play.shot("3-control-error")
    # Escape closes the completion list; Enter then runs
    play.browser.js("const q = document.getElementById('q'); q.focus();"
                    "q.setSelectionRange(q.value.length, q.value.length)")
    play.browser.keys(" ")
    completions(play)
    play.browser.keys(ESCAPE)
    assert play.browser.js("return [document.getElementById('completions').hidden, "
                           "document.getElementById('q').getAttribute('aria-expanded')]") == [
        True, "false"]


def test_labels_focus_order_and_360_px(play: Playground) -> None:
    play.open("?q=has_logs&embed=model&limit=5")
    rows_after(play, "0")
    unlabeled = play.browser.js("""
        return [...document.querySelectorAll('input, select, textarea')]
          .filter((e) => e.labels.length === 0).map((e) => e.id);""")
    assert unlabeled == []
    play.browser.js("document.getElementById('token').focus()")
    order = []
    for _ in range(12):
        order.append(play.browser.js("return document.activeElement.id"))
        play.browser.keys(TAB)
    assert order == ["token", "org", "scopes", "q", "dialect", "fields", "sort_by", "embed",
                     "limit", "run", "next", "permalink"]
    play.browser.size(360, 800)
    try:
        play.open("?q=has_logs&embed=model&limit=5")
        rows_after(play, "0")
        set_q(play, "duraton_ms > 1000 AND has_logs")
        shown(play, "duraton_ms > 1000 AND has_logs")
        width = play.browser.js("return [document.documentElement.clientWidth, "
                                "document.documentElement.scrollWidth, window.innerWidth]")
        assert width[2] == 360 and width[1] <= width[0], width  # clientWidth: less a scrollbar
        play.shot("4-360px")
    finally:
        play.browser.size(1100, 900)


def test_readme_screenshot(play: Playground) -> None:
    """The README's picture: a filter with an error, completions and results
    (written to docs/playground.png with QEXPR_UPDATE_SCREENSHOT=1)."""
    play.open("?q=has_logs+AND+duration_ms+%3E+1000&fields=id,created_at,duration_ms,cost"
              "&sort_by=duration_ms:desc&limit=5&dialect=sqlite")
    rows_after(play, "0")
    play.browser.size(1000, 1240)
    try:
        play.browser.js("const q = document.getElementById('q'); q.focus(); "
                        "q.setSelectionRange(q.value.length, q.value.length)")
        shown(play, "has_logs AND duration_ms > 1000")
        play.browser.chord(CONTROL, " ")  # Ctrl+Space: what may follow at the cursor
        assert "AND" in completions(play)
        assert play.browser.js("return document.getElementById('sql').textContent").startswith(
            '("runs"')
        path = play.shot("5-readme")
    finally:
        play.browser.size(1100, 900)
    if os.environ.get("QEXPR_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(path, ROOT / "docs" / "playground.png")
    assert path.stat().st_size > 10_000 and path.parent == ARTIFACTS
