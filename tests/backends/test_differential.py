"""Differential test: the in-memory predicate, SQLite and PostgreSQL agree on every filter.

Hypothesis generates datasets of runs over the whole Run schema (nulls, missing keys, JSON of
every type with awkward keys, unicode beyond the BMP, quotes and backslashes, shared models and
workflows, empty and many relations) and, for each dataset, a batch of valid filters over the
whole schema whose literals are mostly drawn from the dataset's own values (so that equality
and patterns do match). Each dataset is loaded once into both databases; every filter must
select the same set of run ids in the predicate, SQLite and PostgreSQL.

Generated data stays within what spec section 11 says all three can agree on: decimals have at
most 15 significant digits (and stay below 1e15, so that a decimal stored as an SQLite double
compares with any integer as the exact decimal would), JSON numbers are finite doubles or
integers (beyond the double range too), text has no NUL and no lone surrogate, timestamps stay
within 1900-2100.
Consistency the API guarantees is kept: ``model_id`` is the embedded model's ``id``, one model
id always has the same content, a child's join field names its parent.

``QEXPR_DIFF_EXAMPLES`` (default 2000) is the number of filters checked per run, in batches of
``FILTERS_PER_DATASET`` per generated dataset.
"""

from __future__ import annotations

import math
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qexpr
from qexpr.backends.sql import load_records, reference_ddl
from qexpr.schema.model import Field, FieldType, RecordType, Relation
from qexpr.schema.run import RUN_SCHEMA, SERVER_SIDE, derive_summary
from qexpr.syntax.literals import encode_string, format_number
from tests.conftest import in_ci

SCHEMA = RUN_SCHEMA
SCOPES = frozenset({"evaluations:read", SERVER_SIDE})  # the server-side evaluations too
NOW = datetime(2024, 6, 15, 12, 30, 45, 123456, tzinfo=UTC)
FILTERS_PER_DATASET = 20
EXAMPLES = max(int(os.environ.get("QEXPR_DIFF_EXAMPLES", "") or 2000), FILTERS_PER_DATASET)
DATASETS = math.ceil(EXAMPLES / FILTERS_PER_DATASET)

Draw = Callable[[st.SearchStrategy[Any]], Any]

# --------------------------------------------------------------------------- value pools

NASTY_TEXT = [
    "", "a", "A", "b", "B", "é", "É", "ab", "aB", "%", "_", "\\", "'", '"', "*", "?", "[",
    "50%off", "a_b", "x'; DROP TABLE runs; --", "$1", "%s", "?", "\U0001f600", "\uffff",
    "line\nbreak", "tab\t", "über", "ǅ", "ß",
]
JSON_KEYS = ["a", "b", "tier", "a.b", 'q"x', "[0]", "$", "0", "", "k\\b", "é", "\U0001f600"]

text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=6
)
ascii_text = st.text(st.sampled_from("abAB_%\\*?[]- 0"), max_size=5)


def decimals() -> st.SearchStrategy[Decimal]:
    """At most 15 significant digits, |d| < 1e15."""
    return st.builds(
        lambda digits, scale: Decimal(digits).scaleb(-scale),
        st.integers(-(10**15) + 1, 10**15 - 1).filter(lambda d: d == 0 or len(str(abs(d))) <= 15),
        st.integers(0, 8),
    )


doubles = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300).filter(
        lambda x: x == 0 or abs(x) >= 1e-300),
    st.sampled_from([0.0, -0.0, 0.1, 0.5, 1.0, 42.0, -2.5, 1e20, 2.0**53 + 2]),
)
integers = st.one_of(
    st.integers(-1000, 1000),
    st.sampled_from([0, 1, -1, 42, 2**53, 2**53 + 1, 2**63 - 1, -(2**63)]),
)


def instants() -> st.SearchStrategy[datetime]:
    return st.one_of(
        st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)).map(
            lambda d: d.replace(tzinfo=UTC)),
        st.sampled_from([NOW, NOW - timedelta(days=7), datetime(2024, 1, 1, tzinfo=UTC)]),
    )


def timestamp_text(instant: datetime, form: int) -> str:
    """An RFC 3339 spelling of ``instant`` (several forms of one instant)."""
    if form == 0:
        return instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if form == 1:
        return instant.isoformat().replace("+00:00", "Z")
    offset = timezone(timedelta(hours=form - 4, minutes=30 if form % 2 else 0))
    return instant.astimezone(offset).isoformat()


@dataclass
class Pools:
    """Values a dataset draws from, which filters then reuse."""

    strings: list[str]
    uuids: list[str]
    integers: list[int]
    decimals: list[Decimal]
    floats: list[float]
    instants: list[datetime]
    focus: dict[str, list[Field]] = field(default_factory=dict)


@st.composite
def pools(draw: Draw) -> Pools:
    strings = draw(st.lists(st.one_of(st.sampled_from(NASTY_TEXT), text, ascii_text),
                            min_size=2, max_size=6))
    uuids = [str(uuid.UUID(int=draw(st.integers(1, 2**128 - 1)))) for _ in range(3)]
    result = Pools(
        strings=strings,
        uuids=uuids,
        integers=draw(st.lists(integers, min_size=2, max_size=5)),
        decimals=draw(st.lists(decimals(), min_size=2, max_size=5)),
        floats=draw(st.lists(doubles, min_size=2, max_size=5)),
        instants=draw(st.lists(instants(), min_size=2, max_size=4)),
    )
    for rec in SCHEMA.records:
        candidates = [f for f in rec.fields if f.name != rec.key]
        # a record that has only its key (Flow, until a server extends it) has no focus
        result.focus[rec.name] = draw(st.lists(st.sampled_from(candidates), min_size=1,
                                               max_size=8, unique_by=lambda f: f.name)
                                      ) if candidates else []
    return result


def json_values(p: Pools) -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(), st.booleans(), st.sampled_from(p.strings), st.sampled_from(p.integers),
        st.sampled_from(p.floats), st.sampled_from(["42", "true", "gold"]),
        st.sampled_from([42, 42.0, 1.5, -0.0, 10**20, 10**400, -(10**400)]),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.sampled_from(JSON_KEYS), inner, max_size=4),
        ),
        max_leaves=6,
    )


def scalar_value(draw: Draw, p: Pools, ftype: FieldType) -> Any:
    """A value as the API sends it (JSON-decoded), from the pools."""
    if ftype is FieldType.STRING:
        return draw(st.sampled_from(p.strings))
    if ftype is FieldType.UUID:
        value = draw(st.sampled_from(p.uuids))
        return value.upper() if draw(st.booleans()) else value
    if ftype is FieldType.INTEGER:
        return draw(st.sampled_from(p.integers))
    if ftype is FieldType.DECIMAL:
        return str(draw(st.sampled_from(p.decimals)))
    if ftype is FieldType.FLOAT:
        return draw(st.one_of(st.sampled_from(p.floats), st.sampled_from(p.integers[:1])))
    if ftype is FieldType.BOOLEAN:
        return draw(st.booleans())
    if ftype is FieldType.TIMESTAMP:
        return timestamp_text(draw(st.sampled_from(p.instants)), draw(st.integers(0, 6)))
    return draw(json_values(p))


# --------------------------------------------------------------------------- datasets


class Ids:
    """Unique, lower-case record ids."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return str(uuid.UUID(int=(0xD1FF << 112) + self.count))


def record(draw: Draw, p: Pools, rec: RecordType, ids: Ids, parent: tuple[str, str] | None
           ) -> dict[str, Any]:
    """One record of ``rec`` with its focus fields missing, null or set; relations included."""
    out: dict[str, Any] = {}
    if rec.field(rec.key) is not None:
        out[rec.key] = ids()
    for f in p.focus[rec.name]:
        choice = draw(st.integers(0, 5))
        if choice == 0:
            continue  # missing
        out[f.name] = None if choice == 1 else scalar_value(draw, p, f.type)
    if parent is not None:
        name, value = parent
        if rec.field(name) is not None:
            out[name] = value  # a child names its parent, as the API does
    for rel in rec.relations:
        if rel.many:
            out[rel.name] = child_list(draw, p, rel, ids, out)
    return out


def child_list(draw: Draw, p: Pools, rel: Relation, ids: Ids, parent: dict[str, Any]
               ) -> list[dict[str, Any]] | None:
    size = draw(st.sampled_from([0, 0, 1, 1, 2, 3, -1]))
    if size < 0:
        return None
    target = SCHEMA.target(rel)
    link = (rel.remote_key, parent.get(rel.local_key))
    return [record(draw, p, target, ids, link) for _ in range(size)]


@dataclass
class Dataset:
    pools: Pools
    runs: list[dict[str, Any]]


@st.composite
def datasets(draw: Draw) -> Dataset:
    p = draw(pools())
    ids = Ids()
    # a pool of shared records for every to-one relation of a run (model, workflow, flow)
    to_one = [rel for rel in SCHEMA.root_record.relations
              if not rel.many and rel.name != "current_evaluation_summary"]
    shared = {rel.name: [record(draw, p, SCHEMA.target(rel), ids, None)
                         for _ in range(draw(st.integers(0, 3)))] for rel in to_one}
    runs = []
    for _ in range(draw(st.integers(1, 6))):
        run = record(draw, p, SCHEMA.root_record, ids, None)
        for name, pool in shared.items():
            related = draw(st.sampled_from([None, *pool])) if pool else None
            if related is not None:
                run[f"{name}_id"] = related["id"]
            else:
                run[f"{name}_id"] = draw(st.sampled_from([None, ids()]))  # none, or dangling
            run[name] = related
        run["current_evaluation_summary"] = (
            record(draw, p, SCHEMA.record("EvaluationSummary"), ids, None)
            if draw(st.booleans()) else None)
        runs.append(dict(derive_summary(run)))  # as stored: the current evaluation's summary
    for uid in (r["id"] for r in runs):
        p.uuids.append(uid)
    p.uuids.extend(m["id"] for pool in shared.values() for m in pool)
    return Dataset(p, runs)


# --------------------------------------------------------------------------- filters


def _paths(rec: RecordType, depth: int = 2) -> tuple[list[tuple[str, Field, str]],
                                                      list[tuple[str, Relation]]]:
    """(path, field, record name) of every field reachable through to-one hops, and every
    to-many relation reachable the same way."""
    fields = [(f.name, f, rec.name) for f in rec.fields]
    many: list[tuple[str, Relation]] = []
    for rel in rec.relations:
        if rel.many:
            many.append((rel.name, rel))
        elif depth > 0:
            inner_fields, inner_many = _paths(SCHEMA.target(rel), depth - 1)
            fields += [(f"{rel.name}.{path}", f, name) for path, f, name in inner_fields]
            many += [(f"{rel.name}.{path}", r) for path, r in inner_many]
    return fields, many


PATHS = {rec.name: _paths(rec) for rec in SCHEMA.records}
COMPARE = ["=", "!=", "<", "<=", ">", ">="]


class FilterMaker:
    """Writes random valid q text over the schema, with literals mostly from the pools."""

    def __init__(self, draw: Draw, p: Pools) -> None:
        self.draw = draw
        self.p = p

    def one(self, strategy: st.SearchStrategy[Any]) -> Any:
        return self.draw(strategy)

    def pick(self, items: list[Any]) -> Any:
        return self.draw(st.sampled_from(items))

    def expr(self, rec: RecordType, depth: int) -> str:
        kind = self.pick(["pred"] * 4 + (["and", "or", "not", "quant"] if depth > 0 else []))
        if kind == "pred":
            return self.predicate(rec)
        if kind == "not":
            return f"NOT {self.expr(rec, depth - 1)}"
        if kind == "quant":
            many = PATHS[rec.name][1]
            if not many:
                return self.predicate(rec)
            path, rel = self.pick(many)
            inner = self.expr(SCHEMA.target(rel), depth - 1)
            return f"{self.pick(['any', 'all'])}({path}, {inner})"
        joiner = " AND " if kind == "and" else " OR "
        parts = [self.expr(rec, depth - 1) for _ in range(self.one(st.integers(2, 3)))]
        return "(" + joiner.join(parts) + ")"

    def predicate(self, rec: RecordType) -> str:
        fields = PATHS[rec.name][0]
        focus = [(path, f, name) for path, f, name in fields
                 if f in self.p.focus.get(name, ()) or f.name == "id"]
        path, f, _ = self.pick(focus if focus and self.one(st.integers(0, 9)) else fields)
        if f.type is FieldType.JSON:
            return self.json_predicate(path)
        choice = self.one(st.integers(0, 11))
        if choice == 0:
            return f"{path} IS {self.pick(['', 'NOT '])}NULL"
        if choice == 1:
            other = [(p, g) for p, g, _ in fields if g.type.family == f.type.family
                     and g.type not in (FieldType.BOOLEAN,)]
            if other and f.type is not FieldType.BOOLEAN:
                ops = ["=", "!="] if f.type is FieldType.UUID else COMPARE
                return f"{path} {self.pick(ops)} {self.pick(other)[0]}"
        return self.typed(path, f.type)

    def typed(self, path: str, ftype: FieldType) -> str:
        lit = lambda: self.literal(ftype)  # noqa: E731
        if ftype is FieldType.BOOLEAN:
            return self.pick([path, f"NOT {path}", f"{path} = {lit()}", f"{path} != {lit()}"])
        ops = ["=", "!="] if ftype is FieldType.UUID else COMPARE
        forms = ["cmp", "cmp", "in"] + ([] if ftype is FieldType.UUID else ["between"])
        if ftype is FieldType.STRING:
            forms += ["pattern", "pattern"]
        form = self.pick(forms)
        negate = self.pick(["", "NOT "])
        if form == "cmp":
            return f"{path} {self.pick(ops)} {lit()}"
        if form == "in":
            values = ", ".join(lit() for _ in range(self.one(st.integers(1, 3))))
            return f"{path} {negate}IN ({values})"
        if form == "between":
            return f"{path} {negate}BETWEEN {lit()} AND {lit()}"
        return self.pattern(path, negate)

    def pattern(self, path: str, negate: str) -> str:
        op = self.pick(["LIKE", "ILIKE", "CONTAINS", "STARTS_WITH", "ENDS_WITH"])
        base = self.pick(self.p.strings)
        if base and self.one(st.booleans()):
            i = self.one(st.integers(0, len(base)))
            j = self.one(st.integers(i, len(base)))
            base = base[i:j]
        if op in ("LIKE", "ILIKE"):
            base = self.like_pattern(base)
            if op == "ILIKE":
                base = "".join(c.swapcase() if c.isascii() and self.one(st.booleans()) else c
                               for c in base)
        return f"{path} {negate}{op} {encode_string(base)}"

    def like_pattern(self, base: str) -> str:
        out = []
        for c in base:
            roll = self.one(st.integers(0, 9))
            if c in "%_\\":
                out.append("\\" + c if roll < 7 else ("\\\\" if c == "\\" else c))
            elif roll == 0:
                out.append("_")
            elif roll == 1:
                out.append("%")
            else:
                out.append(c)
        if self.one(st.booleans()):
            out.insert(self.one(st.integers(0, len(out))), "%")
        return "".join(out)

    def number(self, value: Decimal | int | float) -> str:
        return format_number(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))

    def literal(self, ftype: FieldType) -> str:
        p = self.p
        if ftype is FieldType.STRING:
            return encode_string(self.one(st.one_of(st.sampled_from(p.strings), text)))
        if ftype is FieldType.UUID:
            value = self.pick(p.uuids)
            return encode_string(value.upper() if self.one(st.booleans()) else value)
        if ftype is FieldType.BOOLEAN:
            return self.pick(["true", "false"])
        if ftype is FieldType.TIMESTAMP:
            instant = self.pick(p.instants)
            roll = self.one(st.integers(0, 4))
            if roll == 0:
                return f"now() - {self.one(st.integers(0, 400))}d"
            if roll == 1:
                return f'"{instant.date().isoformat()}" + {self.one(st.integers(0, 48))}h'
            if roll == 2:
                return encode_string(instant.date().isoformat())
            return encode_string(timestamp_text(instant, self.one(st.integers(0, 6))))
        if ftype is FieldType.INTEGER:
            value = self.pick(p.integers)
            return self.number(self.pick([value, Decimal(value) + Decimal("0.5"), value + 1,
                                          Decimal("1e30"), Decimal("-1e30"), Decimal("1.5")]))
        if ftype is FieldType.DECIMAL:
            value = self.pick(p.decimals)
            return self.number(self.pick([value, -value, value.scaleb(-1), Decimal(0)]))
        return self.number(self.pick([*p.floats, *p.decimals[:1], *p.integers[:1]]))

    def json_predicate(self, path: str) -> str:
        for _ in range(self.one(st.integers(0, 3))):
            path += f"[{encode_string(self.pick(JSON_KEYS))}]"
        if path.count("[") == 0 or self.one(st.integers(0, 9)) == 0:
            return f"{path} IS {self.pick(['', 'NOT '])}NULL"
        kind = self.pick(["string", "number", "boolean", "null"])
        if kind == "null":
            return f"{path} IS {self.pick(['', 'NOT '])}NULL"
        if kind == "boolean":
            return self.pick([path, f"NOT {path}", f"{path} = true", f"{path} != false",
                              f"{path} IN (true, false)", f"{path} NOT IN (false)"])
        lit = (lambda: encode_string(self.pick([*self.p.strings, "42", "gold"]))) \
            if kind == "string" else \
            (lambda: self.number(self.pick([*self.p.floats, *self.p.integers, 42, 1.5])))
        form = self.pick(["cmp", "in", "between"] + (["pattern"] if kind == "string" else []))
        negate = self.pick(["", "NOT "])
        if form == "cmp":
            return f"{path} {self.pick(COMPARE)} {lit()}"
        if form == "in":
            return f"{path} {negate}IN ({lit()}, {lit()})"
        if form == "between":
            return f"{path} {negate}BETWEEN {lit()} AND {lit()}"
        return self.pattern(path, negate)


@st.composite
def filter_texts(draw: Draw, p: Pools) -> str:
    return FilterMaker(draw, p).expr(SCHEMA.root_record, draw(st.integers(0, 3)))


# --------------------------------------------------------------------------- the engines


class Engines:
    """The Run layout in SQLite, and in PostgreSQL when there is one (``pg`` is None
    otherwise: the SQLite-versus-predicate part runs everywhere), reloaded per dataset."""

    def __init__(self, sqlite_conn: sqlite3.Connection, pg_conn: Any | None) -> None:
        self.sqlite = sqlite_conn
        self.pg = pg_conn
        self.tables = [r.table for r in SCHEMA.records]

    def load(self, runs: list[dict[str, Any]]) -> None:
        for table in self.tables:
            self.sqlite.execute(f'DELETE FROM "{table}"')
        self.sqlite.commit()
        load_records(self.sqlite, runs, "sqlite")
        if self.pg is not None:
            self.pg.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in self.tables))
            load_records(self.pg, runs, "postgresql")

    def ids(self, f: qexpr.Filter) -> tuple[set[str], set[str] | None]:
        where, params = f.to_sql("sqlite")
        lite = {row[0] for row in self.sqlite.execute(
            f'SELECT "runs"."id" FROM "runs" WHERE {where}', params)}
        if self.pg is None:
            return lite, None
        where, params = f.to_sql("postgresql")
        pg = {str(row[0]) for row in self.pg.execute(
            f'SELECT "runs"."id" FROM "runs" WHERE {where}', params)}
        return lite, pg


@pytest.fixture(scope="module")
def engines() -> Iterator[Engines]:
    lite = sqlite3.connect(":memory:")
    lite.executescript(reference_ddl("sqlite"))
    dsn = os.environ.get("QEXPR_PG_DSN", "").strip()
    if not dsn:
        if in_ci():
            pytest.fail("QEXPR_PG_DSN is not set (a missing PostgreSQL is a failure in CI)")
        try:
            yield Engines(lite, None)
        finally:
            lite.close()
        return
    import psycopg
    from psycopg import sql

    name = "qexpr_diff_" + uuid.uuid4().hex[:12]
    pg = psycopg.connect(dsn, autocommit=True)
    try:
        pg.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        pg.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(name)))
        pg.execute(reference_ddl("postgresql"))
        yield Engines(lite, pg)
    finally:
        lite.close()
        if pg.broken:
            pg = psycopg.connect(dsn, autocommit=True)
        pg.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
        pg.close()


@settings(max_examples=DATASETS, deadline=None, derandomize=False,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much])
@given(data=st.data())
def test_predicate_sqlite_and_postgresql_agree(engines: Engines, data: st.DataObject) -> None:
    dataset = data.draw(datasets(), label="dataset")
    engines.load(dataset.runs)
    for _ in range(FILTERS_PER_DATASET):
        q = data.draw(filter_texts(dataset.pools), label="q")
        f = qexpr.compile(q, scopes=SCOPES, now=NOW)
        predicate = f.to_predicate()
        expected = {run["id"] for run in dataset.runs if predicate(run)}
        lite, pg = engines.ids(f)
        assert lite == expected, f"SQLite differs from the predicate for {f.to_q()}"
        assert pg is None or pg == expected, f"PostgreSQL differs from the predicate for {f.to_q()}"


def test_generated_filters_match_something() -> None:
    """The generator is not vacuous: its filters select some runs, not always none or all."""
    outcomes: list[int] = []

    @settings(max_examples=50, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        dataset = data.draw(datasets())
        for _ in range(10):
            f = qexpr.compile(data.draw(filter_texts(dataset.pools)), scopes=SCOPES, now=NOW)
            predicate = f.to_predicate()
            hits = sum(1 for r in dataset.runs if predicate(r))
            outcomes.append(0 if hits == 0 else 2 if hits == len(dataset.runs) else 1)

    run()
    assert outcomes.count(1) > len(outcomes) / 10
    assert outcomes.count(0) > len(outcomes) / 10
