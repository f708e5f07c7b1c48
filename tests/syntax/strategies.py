"""Hypothesis strategies for the q language, reusable by every stage's tests.

- :func:`asts` generates syntax trees exactly as :func:`qexpr.parse` returns them (flattened
  AND/OR, bare boolean paths as ``path = true``, negative numbers folded in), within the default
  limits, so that ``parse(to_q(a)) == a`` must hold.
- :func:`q_texts` / :func:`noisy_texts` write such trees as valid but messy q text (random keyword
  case, odd whitespace, redundant parentheses, single quotes, needless escapes, ``a["b"]``,
  ``- 5``, non-canonical numbers, trailing commas).
- :func:`mutations` damages a text (characters and whole tokens inserted, deleted, replaced).
- :func:`available_engines` lists the parser engines whose module imports.

Import as ``from tests.syntax.strategies import asts, q_texts, ...``.
"""

from __future__ import annotations

import functools
import importlib
import os
import random
import re
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from qexpr.limits import DEFAULT_LIMITS
from qexpr.operators import COMPARISON_OPERATORS, PATTERN_OPERATORS, Operator
from qexpr.syntax import ast
from qexpr.syntax.parser import ENGINE_NAMES
from qexpr.syntax.tokens import KEYWORDS

__all__ = [
    "ENGINE_MODULES",
    "ast_depth",
    "asts",
    "available_engines",
    "deep_asts",
    "durations",
    "engine_params",
    "hypothesis_scale",
    "identifiers",
    "mutations",
    "noisy_texts",
    "numbers",
    "paths",
    "predicate_count",
    "predicates",
    "property_settings",
    "q_texts",
    "quantifier_depth",
    "scaled",
    "string_values",
    "time_exprs",
    "values",
    "wide_asts",
]

# --------------------------------------------------------------------------- engines

#: The module that provides each engine (importable once the engine has landed).
ENGINE_MODULES: dict[str, str] = {
    "native": "qexpr.syntax.engines.native",
    "lark": "qexpr.syntax.engines.lark_engine",
    "antlr": "qexpr.syntax.engines.antlr_engine",
}


def available_engines() -> tuple[str, ...]:
    """Engines of ``ENGINE_NAMES`` whose module imports.

    A module that does not exist yet is left out; a module that exists but fails to import for
    another reason is kept, so that the tests using it fail loudly instead of being skipped.
    """
    names: list[str] = []
    for name in ENGINE_NAMES:
        module = ENGINE_MODULES.get(name, f"qexpr.syntax.engines.{name}")
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is not None and (exc.name == module or module.startswith(exc.name + ".")):
                continue
            names.append(name)
        except Exception:
            names.append(name)
        else:
            names.append(name)
    return tuple(names)


def engine_params() -> list[Any]:
    """``ENGINE_NAMES`` as pytest params; an engine whose module does not exist yet is skipped."""
    import pytest

    present = available_engines()
    return [
        pytest.param(name, id=name, marks=pytest.mark.skipif(
            name not in present, reason=f"engine {name!r} is not implemented yet"))
        for name in ENGINE_NAMES
    ]


def property_settings(examples: int, **kwargs: Any) -> settings:
    """Settings for a property test: ``examples`` scaled by ``QEXPR_HYPOTHESIS_SCALE``, no
    deadline (timing varies with the engine and the machine), slow-generation checks off."""
    return settings(
        max_examples=scaled(examples),
        deadline=None,
        # no "explain" phase: it is slow on failure and adds little to a shrunk example
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.filter_too_much, HealthCheck.large_base_example],
        **kwargs,
    )


def hypothesis_scale() -> float:
    """``QEXPR_HYPOTHESIS_SCALE`` (default 1): multiplies every property test's example count."""
    raw = os.environ.get("QEXPR_HYPOTHESIS_SCALE", "").strip()
    if not raw:
        return 1.0
    try:
        scale = float(raw)
    except ValueError:
        return 1.0
    return scale if scale > 0 else 1.0


def scaled(examples: int) -> int:
    """``examples`` times :func:`hypothesis_scale`, at least 1."""
    return max(1, round(examples * hypothesis_scale()))


# --------------------------------------------------------------------------- names and paths

_RESERVED = frozenset(KEYWORDS)
_IDENT_HEAD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_IDENT_TAIL = _IDENT_HEAD + "0123456789"

_COMMON_FIELDS = (
    "duration_ms", "failure_code", "created_at", "cost", "has_logs", "metadata", "model",
    "client_ref", "state_code", "retry_count", "x", "y", "a", "b", "_", "_1", "node_runs",
    "Android", "inx", "notable", "nowhere", "island", "order", "eq", "ne", "gt", "lte",
    "isnull", "AND_", "OR1", "nulls",
)


@functools.cache
def identifiers() -> st.SearchStrategy[str]:
    """Identifiers that may start a path: ``[A-Za-z_][A-Za-z0-9_]*``, never a keyword."""
    generated = st.builds(
        lambda head, tail: head + tail,
        st.sampled_from(_IDENT_HEAD),
        st.text(_IDENT_TAIL, max_size=8),
    )
    return st.one_of(st.sampled_from(_COMMON_FIELDS), generated).filter(
        lambda name: name.lower() not in _RESERVED
    )


@functools.cache
def _random_case_of(rng: random.Random, word: str) -> str:
    style = rng.randint(0, 3)
    if style == 0:
        return word.upper()
    if style == 1:
        return word.lower()
    if style == 2:
        return word.title()
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)


@functools.cache
def _random_case(word: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from((word.upper(), word.lower(), word.title())),
        st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
            lambda flags: "".join(
                c.upper() if f else c.lower() for c, f in zip(word, flags, strict=True)
            )
        ),
    )


# Text a q string can hold: anything but U+0000 and surrogates; biased towards the characters
# that need escaping or are easy to get wrong.
_SPECIAL_CHARS = (
    '"', "'", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\x01", "\x1b", "\x1f", "\x7f", " ",
    "%", "_", "[", "]", ".", "é", "\u00a0", "\u2028", "\ufeff", "\uffff", "\U0001f600",
    "\U00010000", "\U0010ffff", "日",
)
_TEXT_CHARS = st.one_of(
    st.sampled_from(_SPECIAL_CHARS),
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
)


@functools.cache
def text_values(max_size: int = 16) -> st.SearchStrategy[str]:
    """Decoded string contents (no U+0000, no lone surrogates)."""
    return st.text(_TEXT_CHARS, max_size=max_size)


_SEGMENT_SAMPLES = (
    "", " ", "a b", "a.b", "c.d", "team-id", 'say "hi"', "it's", "back\\slash", "[", "]",
    '["x"]', "in", "IN", "AND", "and", "Or", "not", "null", "true", "any", "all", "now",
    "NOW", "starts_with", "1abc", "123", "é", "日本", "\U0001f600", "tab\there", "new\nline",
    "\x01", "-", "$", "a/b", "%_",
)


@functools.cache
def segments() -> st.SearchStrategy[str]:
    """Path segments after the first: any identifier (keywords included) or any text."""
    keyword = st.sampled_from(sorted(KEYWORDS)).flatmap(_random_case)
    return st.one_of(
        identifiers(),
        keyword,
        st.sampled_from(_SEGMENT_SAMPLES),
        text_values(max_size=8),
    )


@functools.cache
def paths(max_segments: int = 4) -> st.SearchStrategy[ast.Path]:
    """Paths: a non-keyword identifier, then any segments."""
    return st.builds(
        lambda first, rest: ast.Path((first, *rest)),
        identifiers(),
        st.lists(segments(), max_size=max_segments - 1),
    )


# --------------------------------------------------------------------------- values

_MAX_DIGITS = 34
_MAX_EXPONENT = 307


@functools.cache
@st.composite
def numbers(draw: st.DrawFn) -> Decimal:
    """Exact decimals that q can write: at most 34 significant digits, exponent within +-307."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return Decimal(draw(st.sampled_from(("0", "-0", "0.000", "1", "-1", "1e-7", "1e21",
                                             "9.99e20", "1e-8", "0.1", "-0.5", "100"))))
    negative = draw(st.booleans())
    if kind <= 4:  # small integers and plain decimals
        value = Decimal(draw(st.integers(0, 10**6))).scaleb(-draw(st.integers(0, 4)))
        return -value if negative else value
    length = draw(st.one_of(st.integers(1, _MAX_DIGITS), st.integers(26, _MAX_DIGITS)))
    head = draw(st.integers(1, 9))
    tail = draw(st.lists(st.integers(0, 9), min_size=length - 1, max_size=length - 1))
    digits = (head, *tail)
    if kind <= 7:
        adjusted = draw(st.integers(-12, 25))
    else:
        adjusted = draw(st.integers(-_MAX_EXPONENT, _MAX_EXPONENT))
    exponent = adjusted - (len(digits) - 1)
    return Decimal((1 if negative else 0, digits, exponent))


@functools.cache
def string_values() -> st.SearchStrategy[ast.String]:
    """String literals, now and then a long one (up to the 1,024 code point limit)."""
    long_text = st.text(st.sampled_from('ab "\\\n\U0001f600'), min_size=900,
                        max_size=DEFAULT_LIMITS.max_string_length)
    return st.builds(
        ast.String,
        st.integers(0, 40).flatmap(lambda n: long_text if n == 40 else text_values()),
    )


@functools.cache
def durations() -> st.SearchStrategy[ast.Duration]:
    """Duration literals of every unit."""
    return st.builds(
        ast.Duration,
        st.one_of(st.integers(0, 100), st.integers(0, 10**12)),
        st.sampled_from(list(ast.DurationUnit)),
    )


@functools.cache
def time_exprs() -> st.SearchStrategy[ast.TimeExpr]:
    """``now()`` alone, or ``now()``/a string shifted by 1..3 durations."""
    shifts = st.lists(
        st.builds(ast.Shift, st.sampled_from((1, -1)), durations()), min_size=1, max_size=3
    ).map(tuple)
    base = st.one_of(
        st.builds(ast.Now),
        st.builds(ast.String, st.sampled_from(("2024-01-01", "2024-01-01T00:00:00Z", ""))),
        st.builds(ast.String, text_values(max_size=10)),
    )
    return st.one_of(
        st.just(ast.TimeExpr(ast.Now(), ())),
        st.builds(ast.TimeExpr, base, shifts),
    )


@functools.cache
def values() -> st.SearchStrategy[ast.Value]:
    """Every kind of value literal."""
    return st.one_of(
        string_values(),
        st.builds(ast.Number, numbers()),
        st.builds(ast.Boolean, st.booleans()),
        st.just(ast.Null()),
        time_exprs(),
    )


@functools.cache
def _small_values() -> st.SearchStrategy[ast.Value]:
    return st.one_of(
        st.builds(ast.Number, st.integers(-999, 999).map(Decimal)),
        st.builds(ast.String, st.text("abc", max_size=2)),
    )


# --------------------------------------------------------------------------- predicates


@functools.cache
def predicates() -> st.SearchStrategy[ast.Expr]:
    """One predicate of each form (quantifiers excluded)."""
    path = paths()
    in_values = st.one_of(
        st.lists(values(), min_size=1, max_size=5),
        st.integers(0, 30).flatmap(
            lambda n: st.lists(_small_values(), min_size=200 if n == 30 else 1,
                               max_size=DEFAULT_LIMITS.max_in_values if n == 30 else 8)
        ),
    ).map(tuple)
    return st.one_of(
        st.builds(ast.Comparison, path, st.sampled_from(list(COMPARISON_OPERATORS)), values()),
        st.builds(ast.Comparison, path, st.sampled_from(list(COMPARISON_OPERATORS)), paths()),
        st.builds(lambda p: ast.Comparison(p, Operator.EQ, ast.Boolean(True)), path),
        st.builds(ast.InList, path, in_values, st.booleans()),
        st.builds(ast.Between, path, values(), values(), st.booleans()),
        st.builds(ast.PatternMatch, path, st.sampled_from(list(PATTERN_OPERATORS)),
                  string_values(), st.booleans()),
        st.builds(ast.IsNull, path, st.booleans()),
    )


# --------------------------------------------------------------------------- measures


def _has_paren(node: ast.Node) -> bool:
    """Whether a predicate's canonical text opens a parenthesis (IN list, ``now()``)."""
    if isinstance(node, ast.InList):
        return True
    if isinstance(node, ast.TimeExpr):
        return isinstance(node.base, ast.Now)
    if isinstance(node, ast.Comparison):
        return _has_paren(node.operand)
    if isinstance(node, ast.Between):
        return _has_paren(node.low) or _has_paren(node.high)
    return False


def ast_depth(node: ast.Expr) -> int:
    """Nesting depth of ``to_q(node)`` as the limit counts it (parentheses, prefix NOT,
    quantifiers, on the tokens; an IN list's or ``now()``'s parenthesis counts too)."""
    if isinstance(node, ast.Not):
        paren = 1 if isinstance(node.operand, (ast.And, ast.Or)) else 0
        return 1 + paren + ast_depth(node.operand)
    if isinstance(node, ast.And):
        return max(ast_depth(op) + (1 if isinstance(op, ast.Or) else 0) for op in node.operands)
    if isinstance(node, ast.Or):
        return max(ast_depth(op) for op in node.operands)
    if isinstance(node, ast.Quantified):
        return 1 + ast_depth(node.condition)
    if isinstance(node, ast.InList):
        return 1 + (1 if any(_has_paren(v) for v in node.values) else 0)
    return 1 if _has_paren(node) else 0


def predicate_count(node: ast.Expr) -> int:
    """Predicates as the limit counts them (a quantifier counts one, plus its condition's)."""
    if isinstance(node, (ast.And, ast.Or)):
        return sum(predicate_count(op) for op in node.operands)
    if isinstance(node, ast.Not):
        return predicate_count(node.operand)
    if isinstance(node, ast.MatchAll):
        return 0
    if isinstance(node, ast.Quantified):
        return 1 + predicate_count(node.condition)
    return 1


def quantifier_depth(node: ast.Expr) -> int:
    """Nesting of any()/all()."""
    if isinstance(node, (ast.And, ast.Or)):
        return max(quantifier_depth(op) for op in node.operands)
    if isinstance(node, ast.Not):
        return quantifier_depth(node.operand)
    if isinstance(node, ast.Quantified):
        return 1 + quantifier_depth(node.condition)
    return 0


def _within_limits(node: ast.Expr) -> bool:
    from qexpr.syntax.canonical import to_q

    limits = DEFAULT_LIMITS
    return (
        ast_depth(node) <= limits.max_depth
        and predicate_count(node) <= limits.max_predicates
        and quantifier_depth(node) <= limits.max_quantifier_depth
        and len(to_q(node)) <= limits.max_length
    )


# --------------------------------------------------------------------------- expressions

_KINDS = ("pred", "pred", "pred", "not", "and", "or", "quant")


@functools.cache
@st.composite
def _expressions(
    draw: st.DrawFn, leaves: int, levels: int, quantifiers: int, exclude: str = ""
) -> ast.Expr:
    """A tree with at most ``leaves`` predicates and ``levels`` levels of nesting.

    ``exclude`` names the node kind the parent forbids directly below it ("and" under an And,
    "or" under an Or), which keeps AND/OR chains flattened as ``parse`` returns them.
    """
    kinds = [k for k in _KINDS if k != exclude]
    if levels <= 0 or leaves <= 1:
        kinds = ["pred", "not"] if levels > 0 else ["pred"]
    if quantifiers <= 0 or levels <= 0:
        kinds = [k for k in kinds if k != "quant"]
    kind = draw(st.sampled_from(kinds))
    if kind == "pred":
        return draw(predicates())
    if kind == "not":
        chain = draw(st.integers(1, 3))
        node = draw(_expressions(leaves, levels - 1, quantifiers, exclude="not"))
        for _ in range(chain):
            node = ast.Not(node)
        return node
    if kind == "quant":
        condition = draw(_expressions(leaves - 1, levels - 1, quantifiers - 1))
        return ast.Quantified(draw(st.sampled_from(list(ast.QuantifierKind))), draw(paths()),
                              condition)
    count = draw(st.integers(2, max(2, min(4, leaves))))
    share = max(1, leaves // count)
    operands = tuple(
        draw(_expressions(share, levels - 1, quantifiers, exclude=kind)) for _ in range(count)
    )
    return ast.And(operands) if kind == "and" else ast.Or(operands)


@st.composite
def deep_asts(draw: st.DrawFn, max_depth: int = DEFAULT_LIMITS.max_depth) -> ast.Expr:
    """Narrow trees nested up to ``max_depth`` (NOT chains, parenthesised AND/OR, quantifiers)."""
    leaf = _simple_predicates()
    node = draw(leaf)
    quantifiers = 0
    steps = draw(st.integers(1, 60))
    for _ in range(steps):
        wrap = draw(st.sampled_from(("not", "and", "or", "quant")))
        if wrap == "not":
            candidate: ast.Expr = ast.Not(node)
        elif wrap == "and" and not isinstance(node, ast.And):
            candidate = ast.And((node, draw(leaf)))
        elif wrap == "or" and not isinstance(node, ast.Or):
            candidate = ast.Or((draw(leaf), node))
        elif wrap == "quant" and quantifiers < DEFAULT_LIMITS.max_quantifier_depth:
            candidate = ast.Quantified(ast.QuantifierKind.ALL, draw(paths(2)), node)
        else:
            continue
        if ast_depth(candidate) > max_depth:
            break
        if isinstance(candidate, ast.Quantified):
            quantifiers += 1
        node = candidate
    return node


@functools.cache
def _simple_predicates() -> st.SearchStrategy[ast.Expr]:
    """Small predicates without parentheses (deep and wide trees are about structure)."""
    return st.one_of(
        st.builds(ast.Comparison, paths(2), st.sampled_from(list(COMPARISON_OPERATORS)),
                  _small_values()),
        st.builds(ast.IsNull, paths(2), st.booleans()),
        st.builds(ast.PatternMatch, paths(2), st.sampled_from(list(PATTERN_OPERATORS)),
                  st.builds(ast.String, st.text("ab%_", max_size=3)), st.booleans()),
    )


@st.composite
def wide_asts(draw: st.DrawFn, max_predicates: int = DEFAULT_LIMITS.max_predicates) -> ast.Expr:
    """A long AND or OR chain of up to ``max_predicates`` small predicates."""
    count = draw(st.integers(2, max_predicates))
    small = st.builds(
        ast.Comparison,
        st.sampled_from((ast.Path(("a",)), ast.Path(("b", "c")), ast.Path(("x",)))),
        st.sampled_from(list(COMPARISON_OPERATORS)),
        _small_values(),
    )
    operands = tuple(draw(small) for _ in range(count))
    return draw(st.sampled_from((ast.And, ast.Or)))(operands)


@functools.cache
def asts(max_leaves: int = 12, max_levels: int = 6) -> st.SearchStrategy[ast.Expr]:
    """Syntax trees of the whole language, as ``parse`` returns them, within default limits."""
    regular = st.integers(1, max_leaves).flatmap(
        lambda leaves: _expressions(leaves, max_levels, DEFAULT_LIMITS.max_quantifier_depth)
    )
    rare = st.one_of(deep_asts(), wide_asts(), st.just(ast.MatchAll()))
    return st.integers(0, 9).flatmap(lambda n: rare if n == 9 else regular).filter(
        _within_limits
    )


# --------------------------------------------------------------------------- noisy text

_WORD_CHARS = frozenset(_IDENT_TAIL + ".")
_GAPS = ("", "", "", " ", " ", "  ", "\t", "\n", "\r\n", " \n\t ")
_SHORT_ESCAPES = {"\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t"}


class _Noisy:
    """Writes a tree as messy, valid q text, one chunk (token or path) at a time."""

    def __init__(self, rng: random.Random, paren_rate: int) -> None:
        self.rng = rng
        self.paren_rate = paren_rate
        self.chunks: list[str] = []

    def text(self) -> str:
        out: list[str] = [self._gap(True)]
        previous = ""
        for chunk in self.chunks:
            if previous:
                needed = previous[-1] in _WORD_CHARS and chunk[0] in _WORD_CHARS
                out.append(self._gap(not needed, nonempty=needed))
            out.append(chunk)
            previous = chunk
        out.append(self._gap(True))
        return "".join(out)

    def _gap(self, optional: bool, nonempty: bool = False) -> str:
        gap = self.rng.choice(_GAPS)
        if nonempty and not gap:
            return " "
        return gap if optional or gap else " "

    def kw(self, word: str) -> None:
        self.chunks.append(_random_case_of(self.rng, word))

    def emit(self, text: str) -> None:
        self.chunks.append(text)

    # -- expressions

    def expr(self, node: ast.Expr, depth: int) -> None:
        """Write ``node``, which starts at nesting ``depth``; maybe in redundant parentheses."""
        if (
            not isinstance(node, ast.MatchAll)
            and depth + 1 + ast_depth(node) <= DEFAULT_LIMITS.max_depth
            and self.rng.randint(0, self.paren_rate) == 0
        ):
            self.emit("(")
            self.expr(node, depth + 1)
            self.emit(")")
            return
        self._expr(node, depth)

    def _child(self, node: ast.Expr, depth: int, needs_paren: bool) -> None:
        if needs_paren:
            self.emit("(")
            self.expr(node, depth + 1)
            self.emit(")")
        else:
            self.expr(node, depth)

    def _expr(self, node: ast.Expr, depth: int) -> None:
        if isinstance(node, ast.MatchAll):
            return
        if isinstance(node, ast.Or):
            for i, op in enumerate(node.operands):
                if i:
                    self.kw("OR")
                self._child(op, depth, isinstance(op, ast.Or))
        elif isinstance(node, ast.And):
            for i, op in enumerate(node.operands):
                if i:
                    self.kw("AND")
                self._child(op, depth, isinstance(op, (ast.Or, ast.And)))
        elif isinstance(node, ast.Not):
            self.kw("NOT")
            self._child(node.operand, depth + 1, isinstance(node.operand, (ast.Or, ast.And)))
        elif isinstance(node, ast.Quantified):
            self.kw(str(node.kind))
            self.emit("(")
            self.path(node.path)
            self.emit(",")
            self.expr(node.condition, depth + 1)
            self.emit(")")
        else:
            self.predicate(node)

    def predicate(self, node: ast.Expr) -> None:
        if isinstance(node, ast.Comparison):
            bare = (
                node.op is Operator.EQ
                and isinstance(node.operand, ast.Boolean)
                and node.operand.value
            )
            self.path(node.path)
            if bare and (self.rng.random() < 0.5):
                return
            self.emit(str(node.op))
            if isinstance(node.operand, ast.Path):
                self.path(node.operand)
            else:
                self.value(node.operand)
        elif isinstance(node, ast.InList):
            self.path(node.path)
            if node.negated:
                self.kw("NOT")
            self.kw("IN")
            self.emit("(")
            for i, v in enumerate(node.values):
                if i:
                    self.emit(",")
                self.value(v)
            if self.rng.randint(0, 4) == 0:
                self.emit(",")
            self.emit(")")
        elif isinstance(node, ast.Between):
            self.path(node.path)
            if node.negated:
                self.kw("NOT")
            self.kw("BETWEEN")
            self.value(node.low)
            self.kw("AND")
            self.value(node.high)
        elif isinstance(node, ast.PatternMatch):
            self.path(node.path)
            if node.negated:
                self.kw("NOT")
            self.kw(str(node.op))
            self.emit(self.string(node.pattern.value))
        elif isinstance(node, ast.IsNull):
            self.path(node.path)
            self.kw("IS")
            if node.negated:
                self.kw("NOT")
            self.kw("NULL")
        else:  # pragma: no cover - strategies only build the nodes above
            raise TypeError(type(node).__name__)

    # -- paths and values

    def path(self, path: ast.Path) -> None:
        parts = [path.segments[0]]
        for segment in path.segments[1:]:
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", segment) and self.rng.randint(0, 3):
                parts.append("." + segment)
            else:
                parts.append("[" + self.string(segment) + "]")
        self.emit("".join(parts))

    def string(self, value: str) -> str:
        quote = self.rng.choice(('"', "'"))
        out = [quote]
        for ch in value:
            if ch == quote or ch == "\\":
                out.append("\\" + ch)
            elif ch < " ":
                short = _SHORT_ESCAPES.get(ch)
                if short is not None and (self.rng.random() < 0.5):
                    out.append("\\" + short)
                else:
                    out.append(self._u_escape(ch))
            else:
                choice = self.rng.randint(0, 9)
                if choice == 0:
                    out.append(self._u_escape(ch))
                elif choice == 1 and ch in "\"'/":
                    out.append("\\" + ch)
                else:
                    out.append(ch)
        out.append(quote)
        return "".join(out)

    def _u_escape(self, ch: str) -> str:
        code = ord(ch)
        upper = (self.rng.random() < 0.5)

        def hex4(n: int) -> str:
            text = f"{n:04x}"
            return "\\u" + (text.upper() if upper else text)

        if code > 0xFFFF:
            code -= 0x10000
            return hex4(0xD800 + (code >> 10)) + hex4(0xDC00 + (code & 0x3FF))
        return hex4(code)

    def value(self, node: ast.Value) -> None:
        if isinstance(node, ast.String):
            self.emit(self.string(node.value))
        elif isinstance(node, ast.Number):
            self.number(node.value)
        elif isinstance(node, ast.Boolean):
            self.kw("true" if node.value else "false")
        elif isinstance(node, ast.Null):
            self.kw("null")
        elif isinstance(node, ast.TimeExpr):
            if isinstance(node.base, ast.Now):
                self.kw("now")
                self.emit("(")
                self.emit(")")
            else:
                assert isinstance(node.base, ast.String)
                self.emit(self.string(node.base.value))
            for shift in node.shifts:
                self.emit("+" if shift.sign > 0 else "-")
                zeros = "0" * self.rng.randint(0, 2)
                self.emit(f"{zeros}{shift.duration.amount}{shift.duration.unit}")
        else:  # pragma: no cover
            raise TypeError(type(node).__name__)

    def number(self, value: Decimal) -> None:
        if value.is_signed() or (value.is_zero() and self.rng.randint(0, 3) == 0):
            self.emit("-")
        magnitude = value.copy_abs()  # exact (abs() would round to the context precision)
        _sign, digits, exponent = magnitude.as_tuple()
        assert isinstance(exponent, int)
        coefficient = "".join(map(str, digits))
        form = self.rng.randint(0, 4)
        if form == 0 and -30 <= exponent <= 30:
            text = format(magnitude, "f")  # plain
            if "." in text:
                text += "0" * self.rng.randint(0, 2)
        elif form == 1:  # integer coefficient with an exponent: 12345e-3
            letter = self.rng.choice(("e", "E"))
            plus = "+" if exponent >= 0 and (self.rng.random() < 0.5) else ""
            text = f"{coefficient}{letter}{plus}{exponent}"
        elif form == 2:  # one digit before the point: 1.2345e1
            adjusted = exponent + len(coefficient) - 1
            mantissa = coefficient[0] + ("." + coefficient[1:] if len(coefficient) > 1 else "")
            text = f"{mantissa}e{adjusted}"
        elif form == 3:  # a leading zero
            text = "0" + f"{coefficient}e{exponent}"
        else:
            text = f"{coefficient}e{exponent}" if exponent else coefficient
        self.emit(text)


@st.composite
def noisy_texts(
    draw: st.DrawFn, trees: st.SearchStrategy[ast.Expr] | None = None
) -> tuple[str, ast.Expr]:
    """``(text, tree)``: messy but valid q text that parses to ``tree``."""
    tree = draw(trees if trees is not None else asts(max_leaves=8, max_levels=5))
    # The noise comes from a seeded generator (fast; the tree is what shrinks). Level 0 is
    # the canonical text, so failures shrink towards it.
    level = draw(st.integers(0, 3))
    if level == 0:
        from qexpr.syntax.canonical import to_q

        return to_q(tree), tree
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    writer = _Noisy(rng, paren_rate=(1000, 8, 4)[level - 1])
    writer.expr(tree, 0)
    text = writer.text()
    if len(text) > DEFAULT_LIMITS.max_length:
        # Too long with all that noise: fall back to the canonical text.
        from qexpr.syntax.canonical import to_q

        text = to_q(tree)
    return text, tree


@functools.cache
def q_texts() -> st.SearchStrategy[str]:
    """Valid q text with noisy formatting."""
    return noisy_texts().map(lambda pair: pair[0])


# --------------------------------------------------------------------------- mutations

#: Vocabulary of the language (and of its usual mistakes) for token-level mutations.
VOCABULARY: tuple[str, ...] = (
    "AND", "or", "NOT", "not", "IN", "BETWEEN", "LIKE", "ILIKE", "CONTAINS", "STARTS_WITH",
    "ENDS_WITH", "IS", "NULL", "true", "FALSE", "any(", "all(", "any", "now()", "now", "(",
    ")", "[", "]", ",", ".", "-", "+", "=", "!=", "<", "<=", ">", ">=", "==", "<>", "&&", "||",
    "!", "eq", "ne", '"x"', "'y'", '"', "'", "\\", '"\\u0000"', '"\\ud800"', '"\\q"', "1",
    "-5", "1.5", "1e3", "1E-3", "7d", "250ms", "1.", ".5", "1e", "7D", "7dx", "1.5d", "1AND",
    "x", "metadata.in", 'a["b"]', "a . b", " ", "\n", "\t", "\x00", "\ud800", "é",
    "\U0001f600", "#", ";", "*", "\u201c", "1" + "0" * 40, "1e308",
)
_MUTATION_CHARS = st.one_of(
    st.sampled_from(tuple("()[],.=!<>-+\"'\\ \t\n_aZ09eE%\x00\x01")),
    st.characters(codec=None),
    st.characters(categories=["Cs"]),
)
_TOKEN_SPLIT = re.compile(
    r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[A-Za-z0-9_.]+|<=|>=|!=|\S", re.DOTALL
)


@st.composite
def _mutate(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from((
            "insert_char", "delete_chars", "replace_char", "insert_token", "delete_token",
            "replace_token", "duplicate_token", "swap_tokens", "truncate",
        )))
        n = len(text)
        spans = [m.span() for m in _TOKEN_SPLIT.finditer(text)]
        if op in ("delete_token", "replace_token", "duplicate_token", "swap_tokens") and not spans:
            op = "insert_token"
        if op == "insert_char":
            i = draw(st.integers(0, n))
            text = text[:i] + draw(_MUTATION_CHARS) + text[i:]
        elif op == "delete_chars" and n:
            i = draw(st.integers(0, n - 1))
            text = text[:i] + text[i + draw(st.integers(1, 3)):]
        elif op == "replace_char" and n:
            i = draw(st.integers(0, n - 1))
            text = text[:i] + draw(_MUTATION_CHARS) + text[i + 1:]
        elif op == "insert_token":
            i = draw(st.sampled_from([0, n, *[s for s, _ in spans], *[e for _, e in spans]]))
            token = draw(st.sampled_from(VOCABULARY))
            pad = draw(st.sampled_from(("", " ")))
            text = text[:i] + pad + token + pad + text[i:]
        elif op == "delete_token":
            s, e = draw(st.sampled_from(spans))
            text = text[:s] + text[e:]
        elif op == "replace_token":
            s, e = draw(st.sampled_from(spans))
            text = text[:s] + draw(st.sampled_from(VOCABULARY)) + text[e:]
        elif op == "duplicate_token":
            s, e = draw(st.sampled_from(spans))
            text = text[:e] + " " + text[s:e] + text[e:]
        elif op == "swap_tokens" and len(spans) >= 2:
            i = draw(st.integers(0, len(spans) - 2))
            (s1, e1), (s2, e2) = spans[i], spans[i + 1]
            text = text[:s1] + text[s2:e2] + text[e1:s2] + text[s1:e1] + text[e2:]
        elif op == "truncate" and n:
            text = text[: draw(st.integers(0, n - 1))]
    return text


def mutations(text: str) -> st.SearchStrategy[str]:
    """Mutated versions of ``text``: characters and whole tokens inserted, deleted, replaced."""
    return _mutate(text)
