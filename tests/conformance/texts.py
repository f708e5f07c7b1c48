"""Hypothesis strategies for q texts that hit every lexical and grammatical rule: sequences of
q tokens, broken pieces, and arbitrary characters (non-BMP, controls and lone surrogates)."""

from __future__ import annotations

from hypothesis import strategies as st

PIECES = [
    "a", "metadata", "x_1", "AND", "or", "NOT", "in", "BETWEEN", "LIKE", "ilike", "CONTAINS",
    "STARTS_WITH", "ends_with", "IS", "NULL", "true", "FALSE", "any", "ALL", "now", "(", ")",
    ",", ".", "[", "]", "-", "+", "=", "!=", "<", "<=", ">", ">=", "==", "<>", "!", "&&", "||",
    "&", "|", ";", "1", "-5", "1.5", "1e5", "1e400", "0e999", "7d", "250ms", "1.", "7dx", "1e",
    "1AND", "12345678901234567890123456789012345", "1234567890123456d", "\"x\"", "'y'",
    "\"\\q\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\ud83d\\ude00\"", "\"\\u12\"", "\"abc",
    "\"\U0001f600\"", "\"\x01\"", "\"\ud800\"", "\"\\\"", "\\", "\U0001f600", "\u00e9",
    "\ud800", "\x00", "\u2028", "now()", "any(", "all(", "\"a\\\\\"",
    # path segments, adjacent or not, around good and bad strings
    "metadata[", "a.b", ".in", "[\"k\"]", "[\"\\q\"]", "\"\x01\"]", ". x", "[ \"k\" ]",
]
SPACES = ["", " ", "", " ", "\n", "\t", "\r\n", "  "]

_known = st.sampled_from(PIECES)
#: Mostly q pieces, sometimes any one or two characters.
piece = st.one_of(
    _known, _known, _known, _known,
    st.text(st.characters(max_codepoint=0x1F64F), min_size=1, max_size=2),
)
#: One q-like text: pieces joined by (mostly) single spaces or nothing.
q_texts = st.lists(st.tuples(piece, st.sampled_from(SPACES)), max_size=14).map(
    lambda parts: "".join(p + s for p, s in parts))
