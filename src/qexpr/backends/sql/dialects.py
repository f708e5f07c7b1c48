"""SQL dialects: :class:`Dialect` writes the SQL both databases share; :class:`PostgresDialect`
and :class:`SqliteDialect` override only what differs (sqlglot-style).

A dialect knows the paramstyle, how to quote identifiers, the column type of each field type,
the storage form of every value (also the form literals are bound in), and how to write the
operators whose SQL differs: code-point string order, the pattern tests, JSON sub-paths and
"insert unless already there".

Storage forms live in :mod:`qexpr.backends.sql.codec` (each dialect has a codec).

SQLite has no decimal type and ``sqlite3`` cannot bind ``Decimal``: decimal fields are stored as
REAL and compared with the literal converted to the nearest double. Spec section 11 allows this;
values and literals with at most 15 significant digits then compare exactly as decimals would.

JSON sub-paths: PostgreSQL chains ``->`` with every key bound as a ``text`` parameter; SQLite
walks one ``json_each`` per key (``WHERE key = ?``) for short paths and, for longer ones, a
recursive CTE over the keys bound as one JSON array (constant SQL nesting for any path
length), because neither JSON path strings nor the ``->`` operator of SQLite 3.38+ can name
every key (``"``, ``.``, ``[``, a leading ``$`` or digit change their meaning). Leaves are
typed (``jsonb_typeof`` / ``json_each.type``) and a leaf of another type than the literal's is
NULL; PostgreSQL casts sit behind ``CASE`` guards.
JSON numbers compare as doubles everywhere; one beyond the double range (``1e400``) acts as an
infinity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from importlib import import_module
from typing import Any, ClassVar

from qexpr.backends.sql.codec import Codec, PostgresCodec, SqliteCodec
from qexpr.backends.sql.codec import json_text as json_text
from qexpr.backends.sql.codec import timestamp_text as timestamp_text
from qexpr.backends.sql.fragment import Sql, sql
from qexpr.errors import ErrorCode, QError
from qexpr.operators import Operator
from qexpr.plan.nodes import JsonKind, Quantifier
from qexpr.schema.model import FieldType, Schema

#: Paths with more keys than this are walked by one recursive CTE in SQLite.
SQLITE_NESTED_KEYS = 3
#: The deepest plan SQLite's parser takes (see SqliteDialect.max_plan_depth).
SQLITE_MAX_PLAN_DEPTH = 60

_ESCAPE = "ESCAPE '\\'"
_MAX_DOUBLE = "1.7976931348623157e308"


def like_to_glob(pattern: str) -> str:
    """A q LIKE pattern as an SQLite GLOB pattern with the same, case-sensitive, meaning.

    ``%`` -> ``*``, ``_`` -> ``?``; ``\\x`` is a literal ``x``; the GLOB metacharacters ``*``,
    ``?`` and ``[`` stand for themselves as ``[*]``, ``[?]``, ``[[]`` (``]`` alone is literal).
    """
    out: list[str] = []
    chars = iter(pattern)
    for char in chars:
        if char == "\\":
            char = next(chars, "\\")  # validation rejects a trailing lone backslash
            out.append(f"[{char}]" if char in "*?[" else char)
        elif char == "%":
            out.append("*")
        elif char == "_":
            out.append("?")
        elif char in "*?[":
            out.append(f"[{char}]")
        else:
            out.append(char)
    return "".join(out)


class Dialect:
    """The SQL both databases share; subclasses override what differs."""

    name: ClassVar[str] = "sql"
    placeholder: ClassVar[str] = "?"
    codec: ClassVar[Codec] = Codec()
    true: ClassVar[str] = "1 = 1"
    #: Whether rows can be loaded with COPY ... FROM STDIN.
    supports_copy: ClassVar[bool] = False
    #: The deepest SQL nesting (:func:`~qexpr.backends.sql.compiler.sql_nesting`) the
    #: database parses; None: no bound below the library's own limits.
    max_plan_depth: ClassVar[int | None] = None
    #: The collation ordering text by code point where the database's default may not
    #: (None: the default already does). The reference DDL declares string columns with it.
    code_point_collation: ClassVar[str | None] = None
    #: Whether a predicate over a to-one path is a key-set test
    #: (:meth:`to_one_test`) rather than a correlated scalar subquery per field.
    to_one_key_sets: ClassVar[bool] = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    # -- identifiers and parameters -----------------------------------------------------------

    def quote(self, name: str) -> str:
        """A quoted identifier (embedded quotes doubled), as written in DDL."""
        return '"' + name.replace('"', '""') + '"'

    def escape_text(self, text: str) -> str:
        """SQL text made safe for the driver's paramstyle (nothing to do for ``?``)."""
        return text

    def ident(self, name: str) -> str:
        """A quoted identifier as written in a statement that has parameters."""
        return self.escape_text(self.quote(name))

    def param(self, value: Any) -> Sql:
        """A placeholder bound to ``value``."""
        return Sql(self.placeholder, (value,))

    def text_param(self, value: str) -> Sql:
        """A placeholder bound to text, typed where the database would have to guess."""
        return self.param(value)

    def column_type(self, ftype: FieldType) -> str:
        """The column type of a field type in the reference layout."""
        return self.codec.column_types[ftype]

    def value(self, ftype: FieldType, native: Any) -> Any:
        """A native value in the form it is stored and bound in (see :class:`Codec`)."""
        return self.codec.store(ftype, native)

    def select(self, expr: str, ftype: FieldType) -> str:
        """A column selected so that :meth:`Codec.decode` can read it."""
        return expr + "::text" if ftype is FieldType.JSON and self.codec.json_as_text else expr

    def check_nesting(self, depth: int) -> None:
        """Refuse, as ``limit_exceeded``, a plan nested deeper than the database parses."""
        bound = self.max_plan_depth
        if bound is not None and depth > bound:
            raise QError(ErrorCode.LIMIT_EXCEEDED,
                         f"the filter nests too deeply for {self.name} ({depth} levels of SQL, "
                         f"at most {bound}); the default limits always fit",
                         hint="use fewer nested groups, NOTs or quantifiers")

    # -- expressions ----------------------------------------------------------------------------

    def collate(self, expr: Sql, code_point: bool = False) -> Sql:
        """A text expression ordered and compared by code point. ``code_point``: ``expr`` is
        a column whose own collation already does (:attr:`Field.code_point_collation`), so
        it is left bare and an index in that collation serves the comparison."""
        if code_point or self.code_point_collation is None:
            return expr
        return sql(f"{{}} COLLATE {self.code_point_collation}", expr)

    def collate_compare(self, expr: Sql, op: Operator, code_point: bool = False) -> Sql:
        """A text expression for ``op``: equality needs no collation (under a deterministic
        collation equal strings are equal bytes, and an ordinary index on the column serves
        ``=``, ``!=`` and ``IN``), order does."""
        if op in (Operator.EQ, Operator.NE, Operator.IN):
            return expr
        return self.collate(expr, code_point)

    def to_double(self, expr: Sql) -> Sql:
        """A numeric expression as a double."""
        return sql("CAST({} AS DOUBLE PRECISION)", expr)

    def pattern(self, op: Operator, expr: Sql, text: str, code_point: bool = False) -> Sql:
        """``expr`` tested by a pattern operator (never UNKNOWN unless ``expr`` is NULL);
        ``code_point`` as for :meth:`collate`."""
        method: Callable[[Sql, str], Sql] = {
            Operator.LIKE: self.like,
            Operator.ILIKE: self.ilike,
            Operator.CONTAINS: self.contains,
            Operator.STARTS_WITH: self.starts_with,
            Operator.ENDS_WITH: self.ends_with,
        }[op]
        return method(self.collate(expr, code_point), text)

    def like(self, expr: Sql, pattern: str) -> Sql:
        """Case-sensitive LIKE; the q pattern's ``\\`` escapes are SQL's ``ESCAPE '\\'``."""
        return sql("{} LIKE {} " + _ESCAPE, expr, self.text_param(pattern))

    def ilike(self, expr: Sql, pattern: str) -> Sql:
        """LIKE with ASCII-only case folding."""
        return sql("{} ILIKE {} " + _ESCAPE, expr, self.text_param(pattern))

    def contains(self, expr: Sql, text: str) -> Sql:
        """Substring test; the empty string is in every string."""
        return sql("POSITION({} IN ({})) > 0", self.text_param(text), expr)

    def starts_with(self, expr: Sql, text: str) -> Sql:
        """Prefix test."""
        p = self.text_param(text)
        return sql("substr({}, 1, length({})) = {}", expr, p, p)

    def ends_with(self, expr: Sql, text: str) -> Sql:
        """Suffix test (right for the empty suffix, unlike ``substr(x, -length(p))``)."""
        p = self.text_param(text)
        return sql("substr({}, length({}) - length({}) + 1) = {}", expr, expr, p, p)

    def json_leaf(self, doc: Sql, keys: Sequence[str], kind: JsonKind | None,
                  new_alias: Callable[[], str]) -> Sql:
        """The leaf at ``keys`` inside the JSON ``doc``, read as ``kind``: NULL when missing,
        JSON null, reached through a non-object, or of another type. ``kind`` None gives the
        JSON type name (``'null'``, ``'object'``, ...)."""
        raise NotImplementedError(f"{type(self).__name__} must define json_leaf")

    def json_is_null(self, leaf_type: Sql, negated: bool) -> Sql:
        """IS [NOT] NULL of a JSON value from its type name (NULL type: missing)."""
        return sql("COALESCE({}, 'null') " + ("<>" if negated else "=") + " 'null'", leaf_type)

    def decimal_test(self, op: Operator, value: Decimal) -> tuple[Operator, Decimal] | bool | None:
        """``x op value`` on a decimal column as an exact test the column's type can bind
        (True/False: always/never for non-null x), or None: bind ``value`` as it is."""
        return None

    def in_list(self, expr: Sql, values: Sequence[Sql]) -> Sql:
        """``expr IN (values)``."""
        return sql("{} IN ({})", expr, Sql(", ").join(values))

    def quantified(self, kind: Quantifier, from_sql: Sql, join_sql: Sql, condition: Sql,
                   outer_key: Sql, inner_key: Sql) -> Sql:
        """``any``/``all`` over the rows of ``from_sql`` joined by ``join_sql`` (``inner_key =
        outer_key``) to the current record, ``condition`` over the last of them."""
        if kind is Quantifier.ANY:
            return sql("EXISTS (SELECT 1 FROM {} WHERE {} AND ({}))", from_sql, join_sql,
                       condition)
        return sql("NOT EXISTS (SELECT 1 FROM {} WHERE {} AND ({}) IS NOT TRUE)",
                   from_sql, join_sql, condition)

    def to_one_test(self, outer_key: Sql, inner_key: Sql, from_sql: Sql, test: Sql) -> Sql:
        """``test`` (over the last record of ``from_sql``, reached from the current record by
        ``inner_key = outer_key``) as seen from the current record: TRUE or FALSE where the
        related record's test is, UNKNOWN where it is UNKNOWN or there is no such record."""
        return sql("(CASE WHEN {} IN (SELECT {} FROM {} WHERE {}) THEN 1 "
                   "WHEN {} IN (SELECT {} FROM {} WHERE NOT ({})) THEN 0 END)",
                   outer_key, inner_key, from_sql, test, outer_key, inner_key, from_sql, test)

    # -- statements -----------------------------------------------------------------------------

    def finish(self, query: Sql) -> Sql:
        """A whole statement (or filter) as it is handed to the driver (placeholders named
        in order where the database needs names)."""
        return query

    def reference_ddl(self, schema: Schema) -> str | None:
        """The reference layout when the dialect writes its own (None: the shared one)."""
        return None

    def fetch(self, conn: Any, query: Sql) -> list[tuple[Any, ...]]:
        """All rows of ``query`` on ``conn`` (a DB-API connection for the shared dialects)."""
        cur = conn.cursor()
        try:
            cur.execute(query.text, list(query.params))
            return list(cur.fetchall())
        finally:
            cur.close()

    def write_batches(self, conn: Any, batches: Iterable[tuple[str, Sequence[str], int, bool,
                                                              list[tuple[Any, ...]]]]) -> bool:
        """Insert ``(table, columns, key index, insert-or-ignore, rows)`` batches when the
        dialect loads rows itself; False: :func:`~qexpr.backends.sql.load.load_records`
        uses the DB-API connection."""
        return False

    def insert(self, table: str, columns: Sequence[str], *, ignore: bool = False) -> str:
        """An INSERT of one row; with ``ignore`` a row whose key exists is skipped."""
        cols = ", ".join(self.ident(c) for c in columns)
        marks = ", ".join(self.placeholder for _ in columns)
        return self._insert(self.ident(table), cols, marks, ignore)

    def _insert(self, table: str, cols: str, marks: str, ignore: bool) -> str:
        return f"INSERT INTO {table} ({cols}) VALUES ({marks})"


class PostgresDialect(Dialect):
    """PostgreSQL 12+ through psycopg 3 (``%s`` placeholders)."""

    name: ClassVar[str] = "postgresql"
    placeholder: ClassVar[str] = "%s"
    codec: ClassVar[Codec] = PostgresCodec()
    supports_copy: ClassVar[bool] = True
    # The database's collation (ICU en-US: 'a' < 'B', 'É' ILIKE 'é') is not q's order.
    code_point_collation: ClassVar[str | None] = '"C"'

    def escape_text(self, text: str) -> str:
        return text.replace("%", "%%")

    def text_param(self, value: str) -> Sql:
        return Sql("%s::text", (value,))

    def starts_with(self, expr: Sql, text: str) -> Sql:
        return sql("starts_with({}, {})", expr, self.text_param(text))

    def ends_with(self, expr: Sql, text: str) -> Sql:
        p = self.text_param(text)
        return sql("right({}, length({})) = {}", expr, p, p)

    def json_leaf(self, doc: Sql, keys: Sequence[str], kind: JsonKind | None,
                  new_alias: Callable[[], str]) -> Sql:
        if not keys:
            if kind is not None:
                raise ValueError("a json field itself is only null-tested")
            return sql("jsonb_typeof({})", doc)
        parent = doc
        for key in keys[:-1]:
            parent = sql("{} -> {}", parent, self.text_param(key))
        last = self.text_param(keys[-1])
        v = sql("({} -> {})", parent, last)
        if kind is None:
            return sql("jsonb_typeof({})", v)
        if kind is JsonKind.STRING:
            # ->> gives the string itself; the type test keeps numbers etc. out.
            return sql("(CASE WHEN jsonb_typeof({}) = 'string' THEN {} ->> {} END)",
                       v, parent, last)
        # A cast of another JSON type raises even behind AND: the CASE guard is required.
        if kind is JsonKind.BOOLEAN:
            return sql("(CASE WHEN jsonb_typeof({}) = 'boolean' THEN CAST({} AS boolean) END)",
                       v, v)
        # jsonb keeps any number exactly, and a cast beyond the double range raises: clamp to
        # the largest doubles first, which compare with every literal as the infinities would.
        return sql("(CASE WHEN jsonb_typeof({}) = 'number' THEN CAST(LEAST(GREATEST("
                   f"CAST({{}} AS numeric), -{_MAX_DOUBLE}), {_MAX_DOUBLE}) AS double precision)"
                   " END)", v, v)

    def _insert(self, table: str, cols: str, marks: str, ignore: bool) -> str:
        tail = " ON CONFLICT DO NOTHING" if ignore else ""
        return f"INSERT INTO {table} ({cols}) VALUES ({marks}){tail}"


class SqliteDialect(Dialect):
    """SQLite 3.38+ (built-in JSON functions) through ``sqlite3`` (``?`` placeholders).

    The LIKE-based tests assume ``PRAGMA case_sensitive_like`` is off (the default).
    """

    name: ClassVar[str] = "sqlite"
    placeholder: ClassVar[str] = "?"
    codec: ClassVar[Codec] = SqliteCodec()
    #: SQLite's parser stack (YYSTACKDEPTH 100) holds this plan depth in the worst shape the
    #: printer writes (measured: tests/backends/sql/test_sqlite_depth.py).
    max_plan_depth: ClassVar[int | None] = SQLITE_MAX_PLAN_DEPTH

    def to_double(self, expr: Sql) -> Sql:
        return sql("CAST({} AS REAL)", expr)

    def like(self, expr: Sql, pattern: str) -> Sql:
        # SQLite's LIKE ignores ASCII case; GLOB is case-sensitive.
        return sql("{} GLOB {}", expr, self.param(like_to_glob(pattern)))

    def ilike(self, expr: Sql, pattern: str) -> Sql:
        # SQLite's LIKE folds ASCII letters only: exactly q's ILIKE.
        return sql("{} LIKE {} " + _ESCAPE, expr, self.param(pattern))

    def contains(self, expr: Sql, text: str) -> Sql:
        return sql("instr({}, {}) > 0", expr, self.param(text))

    def json_leaf(self, doc: Sql, keys: Sequence[str], kind: JsonKind | None,
                  new_alias: Callable[[], str]) -> Sql:
        if not keys:
            if kind is not None:
                raise ValueError("a json field itself is only null-tested")
            return sql("json_type({})", doc)
        if len(keys) > SQLITE_NESTED_KEYS:
            return self._json_walk(doc, keys, kind, new_alias())
        for index, key in enumerate(keys):
            j = new_alias()
            if index < len(keys) - 1:
                # Only an object is walked into (json_each of an array has integer keys,
                # of a scalar one row with a NULL key; text values are not JSON at all).
                select = f"CASE WHEN {j}.type = 'object' THEN {j}.value END"
            else:
                select = _sqlite_leaf(kind, f"{j}.type", f"{j}.value")
            doc = sql(f"(SELECT {select} FROM json_each({{}}) AS {j} WHERE {j}.key = {{}})",
                      doc, self.param(key))
        return doc

    def _json_walk(self, doc: Sql, keys: Sequence[str], kind: JsonKind | None,
                   alias: str) -> Sql:
        """The leaf by a recursive CTE stepping one key a row: SQL nesting does not grow with
        the path (keys bound as one JSON array, read back by position)."""
        w, j = f"{alias}w", f"{alias}j"
        leaf = _sqlite_leaf(kind, f"{w}.t", f"{w}.v")
        count = self.param(len(keys))
        return sql(
            f"(WITH RECURSIVE {w}(i, v, t) AS (SELECT 0, {{}}, 'object' UNION ALL "
            f"SELECT {w}.i + 1, {j}.value, {j}.type FROM {w}, json_each(CASE WHEN "
            f"{w}.t = 'object' THEN {w}.v END) AS {j} WHERE {w}.i < {{}} AND {j}.key = "
            f"json_extract({{}}, '$[' || {w}.i || ']')) SELECT {leaf} FROM {w} "
            f"WHERE {w}.i = {{}})",
            doc, count, self.param(json_text(list(keys))), count)

    def _insert(self, table: str, cols: str, marks: str, ignore: bool) -> str:
        verb = "INSERT OR IGNORE" if ignore else "INSERT"
        return f"{verb} INTO {table} ({cols}) VALUES ({marks})"


def _sqlite_leaf(kind: JsonKind | None, type_: str, value: str) -> str:
    """A json_each element's value read as ``kind`` (its type name for None)."""
    if kind is None:
        return type_
    if kind is JsonKind.STRING:
        return f"CASE WHEN {type_} = 'text' THEN {value} END"
    if kind is JsonKind.NUMBER:
        return f"CASE WHEN {type_} IN ('integer', 'real') THEN CAST({value} AS REAL) END"
    return f"CASE WHEN {type_} IN ('true', 'false') THEN {value} END"  # 1/0


POSTGRESQL = PostgresDialect()
SQLITE = SqliteDialect()

_BY_NAME: dict[str, Dialect] = {
    "postgresql": POSTGRESQL,
    "postgres": POSTGRESQL,
    "sqlite": SQLITE,
    "sqlite3": SQLITE,
}


#: Dialects in modules of their own, imported on first use: name -> (module, attribute).
_PLUGINS: dict[str, tuple[str, str]] = {
    "clickhouse": ("qexpr.backends.sql.clickhouse", "CLICKHOUSE"),
    "chdb": ("qexpr.backends.sql.clickhouse", "CLICKHOUSE"),
}


def get_dialect(dialect: str | Dialect) -> Dialect:
    """The dialect called ``dialect`` (``"postgresql"``, ``"sqlite"`` or ``"clickhouse"``), or
    ``dialect`` itself."""
    if isinstance(dialect, Dialect):
        return dialect
    if isinstance(dialect, str):
        found = _BY_NAME.get(dialect.lower())
        if found is not None:
            return found
        plugin = _PLUGINS.get(dialect.lower())
        if plugin is not None:
            loaded: Dialect = getattr(import_module(plugin[0]), plugin[1])
            _BY_NAME[dialect.lower()] = loaded
            return loaded
        raise ValueError(f"unknown SQL dialect {dialect!r}; use 'postgresql', 'sqlite' or "
                         "'clickhouse'")
    raise TypeError(f"dialect must be a name or a Dialect, got {type(dialect).__name__}")
