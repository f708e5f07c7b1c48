"""Properties of completion: it never raises, every suggestion keeps the text a viable
prefix, the parser's report on a prefix (completion's site) agrees with parsing it, and the
next token of a valid filter is among the suggestions."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr import QError, complete
from qexpr.completion.site import ResKind, Site, locate, path_gap
from qexpr.limits import DEFAULT_LIMITS
from qexpr.schema.run import RUN_SCHEMA, SERVER_SIDE
from qexpr.syntax.engines.native import scan, tokenize
from qexpr.syntax.scan import scan_tokens
from qexpr.syntax.tokens import TokenKind
from tests.builder.strategies import built_conditions, scaled

try:
    from tests.check.strategies import typed_texts
except ImportError:  # pragma: no cover - the colleague's strategies have not landed
    typed_texts = None

EVAL = "evaluations:read"
#: Every scope the generated filters may need (built conditions reach server-side relations).
ALL_SCOPES = (EVAL, SERVER_SIDE)
SETTINGS = settings(max_examples=scaled(200), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

#: Characters q is made of, and some it is not.
_Q_CHARS = st.one_of(
    st.sampled_from((*"()[],.-+=<>!\"' \t\n\\_%", "AND ", "OR ", "NOT ", "IN ", "IS ", "NULL",
                     "any(", "all(", "now()", "model.", "node_runs", "metadata", "duration_ms",
                     "has_logs", "created_at", "7d", "1.5", "1e5", "BETWEEN ")),
    st.characters(codec="utf-8"),
    st.sampled_from(list("abcdefghijklmnopqrstuvwxyz0123456789")),
)
junk = st.lists(_Q_CHARS, max_size=30).map("".join)


def valid_texts() -> st.SearchStrategy[str]:
    built = built_conditions().map(lambda c: c.to_q())
    if typed_texts is None:
        return built
    return st.one_of(built, typed_texts(RUN_SCHEMA, (EVAL,)))


def viable(text: str) -> bool:
    """Whether ``text`` can still be completed into a filter: it parses, or the only error
    is that it ends too early."""
    try:
        qexpr.parse(text)
    except QError as error:
        return error.code == "syntax_error" and error.start == len(text)
    return True


def alive(text: str, scopes: tuple[str, ...] = (EVAL,)) -> Site | None:
    """What the parser reports at the end of ``text`` (completion's site), or None if it
    cannot go on there."""
    lists = scan(text)
    if path_gap(lists):
        return None
    return locate(text, lists, len(text), RUN_SCHEMA, frozenset(scopes))


@SETTINGS
@given(text=junk, data=st.data())
def test_never_raises_on_any_text(text: str, data: st.DataObject) -> None:
    cursor = data.draw(st.integers(0, len(text)))
    completions = complete(text, cursor)
    for c in completions:
        assert 0 <= c.start <= c.end <= len(text)
        assert c.start <= cursor <= c.end or c.start == c.end == cursor
        assert c.text


@SETTINGS
@given(text=st.one_of(junk, valid_texts()), data=st.data())
def test_every_suggestion_keeps_a_viable_prefix(text: str, data: st.DataObject) -> None:
    cursor = data.draw(st.integers(0, len(text)))
    for c in complete(text, cursor, scopes=(EVAL,)):
        before = text[: c.start]
        if viable(before):
            assert viable(before + c.text), (text, cursor, c)


@SETTINGS
@given(text=valid_texts(), data=st.data())
def test_suggestions_after_every_prefix_of_a_valid_filter(text: str,
                                                           data: st.DataObject) -> None:
    cursor = data.draw(st.integers(0, len(text)))
    prefix = text[:cursor]
    assert viable(prefix) == (alive(prefix) is not None), prefix
    for c in complete(text, cursor, scopes=(EVAL,)):
        inserted = text[: c.start] + c.text
        assert viable(inserted), (prefix, c)


@SETTINGS
@given(text=st.one_of(junk, valid_texts().flatmap(
    lambda t: st.integers(0, len(t)).map(lambda n: t[:n]))))
def test_site_agrees_with_the_parser(text: str) -> None:
    """The diagnostic pass stops before the end exactly where parsing fails before the end;
    where it reaches the end, the text is viable unless a literal is malformed (which the
    scanner, not the grammar, reports)."""
    if alive(text) is None:
        assert not viable(text), text
    elif not _lexical_error(text):
        assert viable(text), text


def _lexical_error(text: str) -> bool:
    try:
        return scan_tokens(text, tokenize(text), DEFAULT_LIMITS).first_error is not None
    except QError:  # a limit
        return True


_CHECKED = frozenset({
    TokenKind.IDENT, TokenKind.AND, TokenKind.OR, TokenKind.NOT, TokenKind.IN,
    TokenKind.BETWEEN, TokenKind.LIKE, TokenKind.ILIKE, TokenKind.CONTAINS,
    TokenKind.STARTS_WITH, TokenKind.ENDS_WITH, TokenKind.IS, TokenKind.NULL, TokenKind.ANY,
    TokenKind.ALL, TokenKind.NOW, TokenKind.EQ, TokenKind.NE, TokenKind.LT, TokenKind.LE,
    TokenKind.GT, TokenKind.GE, TokenKind.LPAREN, TokenKind.RPAREN, TokenKind.COMMA,
    TokenKind.DOT,
})


@SETTINGS
@given(text=valid_texts())
def test_the_next_token_of_a_valid_filter_is_suggested(text: str) -> None:
    """At the start of each token of a canonical filter, a suggestion leads on to the text
    (values and json keys excepted: they are the user's)."""
    canonical = qexpr.to_q(qexpr.parse(text))
    tokens = tokenize(canonical)[:-1]
    for token in tokens:
        site = alive(canonical[: token.start], ALL_SCOPES)
        assert site is not None, (canonical, token)
        if token.kind in _CHECKED and _expects_a_name(site):
            cursor = token.start
            options = complete(canonical, cursor, scopes=ALL_SCOPES)
            assert any(canonical.startswith(canonical[: c.start] + c.text.rstrip())
                       for c in options), (canonical, cursor, [c.text for c in options])


def _expects_a_name(site: Site) -> bool:
    """Whether completion is expected to know the next token (not a json key, not a
    field-to-field operand of a family it does not suggest, not a true/false elsewhere)."""
    if site.last is TokenKind.DOT:
        return site.path.kind == ResKind.RECORD
    if {TokenKind.NOW, TokenKind.IDENT} <= site.expected:  # after a comparison operator
        left = site.left.ftype
        return left is not None and left.family in ("number", "timestamp")
    return True
