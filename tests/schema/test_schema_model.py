"""The schema model: plain, immutable, hashable, validated data."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle

import pytest

from qexpr.schema import (
    JSON_PATH_OPERATORS,
    OPERATOR_ORDER,
    OPERATORS_BY_TYPE,
    RUN_SCHEMA,
    Field,
    FieldType,
    RecordType,
    Relation,
    Schema,
    default_table,
    fields,
    record,
    to_many,
    to_one,
)


def library() -> Schema:
    """A small non-run schema, declared in a few lines."""
    return Schema("Book", (
        record("Book", fields("id:uuid title:string published_at:timestamp price:decimal"),
               fields("tags:json in_print:boolean author_id:uuid"),
               to_one("author", "Author"), to_many("reviews", "Review")),
        record("Author", fields("id:uuid name:string born:integer")),
        record("Review", fields("id:uuid book_id:uuid stars:integer body:string")),
    ))


# --------------------------------------------------------------------------- field types


def test_field_type_families_and_operators() -> None:
    numbers = {FieldType.INTEGER, FieldType.DECIMAL, FieldType.FLOAT}
    assert {t for t in FieldType if t.family == "number"} == numbers
    assert FieldType.TIMESTAMP.family == "timestamp" and FieldType.UUID.family == "uuid"
    assert set(OPERATORS_BY_TYPE) == set(FieldType)
    assert OPERATORS_BY_TYPE[FieldType.UUID] == {"=", "!=", "IN", "IS NULL"}
    assert OPERATORS_BY_TYPE[FieldType.BOOLEAN] == {"=", "!=", "IS NULL", "bare"}
    assert OPERATORS_BY_TYPE[FieldType.JSON] == {"IS NULL"}
    ordered = {"=", "!=", "<", "<=", ">", ">=", "IN", "BETWEEN", "IS NULL"}
    for t in (FieldType.INTEGER, FieldType.DECIMAL, FieldType.FLOAT, FieldType.TIMESTAMP):
        assert t.operators == ordered
    assert FieldType.STRING.operators == ordered | {
        "LIKE", "ILIKE", "CONTAINS", "STARTS_WITH", "ENDS_WITH"}
    assert JSON_PATH_OPERATORS == set(OPERATOR_ORDER) == ordered | FieldType.STRING.operators | {
        "bare"}
    with pytest.raises(TypeError):
        OPERATORS_BY_TYPE[FieldType.JSON] = frozenset()  # type: ignore[index]


def test_field_defaults() -> None:
    f = Field("cost", "decimal")
    assert (f.type, f.column, f.scope, f.sortable, f.nullable) == (
        FieldType.DECIMAL, "cost", None, True, True)
    assert not Field("meta", FieldType.JSON).sortable
    assert Field("x", "string", column="x_col", sortable=False).column == "x_col"
    assert repr(Field("meta", "json")) == "Field('meta', 'json')"
    custom = Field("x", "string", "s:read", column="x_col", nullable=False)
    assert repr(custom) == "Field('x', 'string', scope='s:read', column='x_col', nullable=False)"
    assert eval(repr(custom)) == custom
    assert fields("a:uuid b:json", scope="s:read") == (
        Field("a", FieldType.UUID, "s:read"), Field("b", FieldType.JSON, "s:read"))


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("x", "text"), {}, "'text' is not a valid FieldType"),
        (("2x", "string"), {}, "not an identifier"),
        (("a.b", "string"), {}, "not an identifier"),
        (("In", "string"), {}, "keyword"),
        (("x", "json"), {"sortable": True}, "cannot be sortable"),
        (("x", "string"), {"scope": ""}, "scope"),
        (("x", "string"), {"column": "a\x00b"}, "column"),
    ],
)
def test_bad_fields(args: tuple[str, str], kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Field(*args, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="name:type"):
        fields("id:uuid title")


def test_relation_defaults() -> None:
    author = Relation("author", "Author", False, None, "author_id", "id")
    assert to_one("author", "Author") == author
    many = to_many("line_items", "LineItem")
    assert (many.local_key, many.remote_key) == ("id", "")  # filled in by the parent
    parent = record("PurchaseOrder", fields("id:uuid"), many)
    assert parent.relations[0].remote_key == "purchase_order_id"
    explicit = to_many("node_runs", "NodeRun", remote_key="run_id", scope="x:read")
    assert (explicit.remote_key, explicit.scope) == ("run_id", "x:read")
    with pytest.raises(ValueError, match="identifier"):
        to_one("bad-name", "X")


@pytest.mark.parametrize(
    ("name", "table"),
    [("Run", "runs"), ("NodeRun", "node_runs"), ("FaqEntry", "faq_entries"),
     ("Address", "addresses"), ("HTTPLog", "http_logs"), ("Day", "days")],
)
def test_default_table(name: str, table: str) -> None:
    assert default_table(name) == table
    assert RecordType(name, fields=fields("id:uuid")).table == table


# --------------------------------------------------------------------------- plain data


def test_immutable() -> None:
    schema = library()
    book = schema.record("Book")
    for obj, attr, value in [
        (book.fields[0], "name", "other"),
        (book.relations[0], "target", "Review"),
        (book, "table", "other"),
        (schema, "root", "Author"),
    ]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, attr, value)
    with pytest.raises((AttributeError, TypeError)):
        book.fields[0].extra = 1  # type: ignore[attr-defined]
    assert isinstance(book.fields, tuple) and isinstance(schema.records, tuple)


def test_equal_and_hashable() -> None:
    a, b = library(), library()
    assert a == b and hash(a) == hash(b) and a is not b
    assert a.record("Book") == b.record("Book") and hash(a.record("Book")) == hash(b.record("Book"))
    assert len({a, b, RUN_SCHEMA}) == 2
    assert {a.record("Book").fields[1]: "title"}[Field("title", "string")] == "title"
    other = a.with_storage(columns={("Book", "title"): "book_title"})
    assert other != a and other.record("Author") == a.record("Author")
    # Lists are accepted and stored as tuples.
    assert RecordType("Tag", fields=[Field("id", "uuid")]) == RecordType(  # type: ignore[arg-type]
        "Tag", fields=(Field("id", "uuid"),))


def test_copy_pickle_and_dict_round_trip() -> None:
    schema = library()
    assert pickle.loads(pickle.dumps(schema)) == schema
    assert copy.deepcopy(schema) == schema
    restored = pickle.loads(pickle.dumps(schema))
    assert restored.record("Book").field("title") == Field("title", "string")
    data = json.loads(json.dumps(schema.to_dict()))
    assert data["records"][0]["fields"][1]["operators"][-2:] == ["ENDS_WITH", "IS NULL"]
    assert Schema.from_dict(data) == schema


def test_lookups() -> None:
    schema = library()
    book = schema.root_record
    assert book.name == "Book" and book.table == "books"
    assert book.member_names() == (
        "id", "title", "published_at", "price", "tags", "in_print", "author_id",
        "author", "reviews")
    assert book.field("title") == Field("title", "string")
    assert book.field("author") is None and book.relation("title") is None
    assert book.relation("reviews") == Relation("reviews", "Review", True, None, "id", "book_id")
    assert book.member("nope") is None
    assert schema.target(book.relation("author")) is schema.record("Author")  # type: ignore[arg-type]
    assert [r.name for r in schema] == ["Book", "Author", "Review"] and "Review" in schema
    with pytest.raises(KeyError, match=r"no record type 'Shelf'.*Author, Book, Review"):
        schema.record("Shelf")


def test_describe_and_paths() -> None:
    text = library().describe()
    for line_start in ("title ", "tags.<key> ", "author.name ", "any(reviews, ...) ",
                       "any(reviews, stars) ", "in_print "):
        assert any(line.startswith(line_start) for line in text.splitlines()), line_start
    assert "STARTS_WITH" in text and "bare" in text
    kinds = {p.path: p.kind for p in library().paths()}
    assert kinds["author"] == "to_one" and kinds["any(reviews, ...)"] == "to_many"
    assert kinds["tags.<key>"] == "json_path" and kinds["author.born"] == "field"


def test_cycles_are_walked_once() -> None:
    schema = Schema("Run", (
        record("Run", fields("id:uuid"), to_many("children", "Child")),
        record("Child", fields("id:uuid run_id:uuid"), to_one("run", "Run"),
               to_many("siblings", "Child", local_key="run_id", remote_key="run_id")),
    ))
    assert [p.path for p in schema.paths()] == [
        "id", "any(children, ...)", "any(children, id)", "any(children, run_id)",
        "any(children, run)", "any(children, any(siblings, ...))",
    ]


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("records", "root", "message"),
    [
        ((record("A", fields("id:uuid")),), "B", "root record type 'B'"),
        ((record("A", fields("id:uuid"), to_one("b", "B")),), "A", "unknown record type 'B'"),
        ((record("A", fields("id:uuid")), record("A", fields("id:uuid"), table="a2")), "A",
         "duplicate record type 'A'"),
        ((record("A", fields("id:uuid")), record("B", fields("id:uuid"), table="as")), "A",
         "share the table 'as'"),
        ((record("A", fields("id:uuid b_id:integer"), to_one("b", "B")),
          record("B", fields("id:uuid"))), "A", "joins integer A.b_id to uuid B.id"),
        ((record("A", fields("id:uuid b_id:json"), to_one("b", "B")),
          record("B", fields("id:uuid"))), "A", "json field 'b_id'"),
        ((record("A", fields("name:string")),), "A", "A.id is neither a field nor joined"),
        ((record("A", fields("id:uuid"), to_many("bs", "B", local_key="x", remote_key="y")),
          record("B", fields("id:uuid"))), "A", "A.x is neither a field nor joined"),
        ((record("A", fields("id:uuid"), to_many("bs", "B", remote_key="x")),
          record("B", Field("a_id", "uuid", column="x"), fields("id:uuid"))), "A",
         "'x' is a column of B but not a field name"),
    ],
)
def test_malformed_schemas(records: tuple[RecordType, ...], root: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Schema(root, records)


def test_malformed_record_types() -> None:
    with pytest.raises(ValueError, match="duplicate member name 'a'"):
        record("A", fields("id:uuid a:string"), to_one("a", "B"))
    with pytest.raises(ValueError, match="share the column 'c'"):
        record("A", Field("a", "string", column="c"), Field("b", "string", column="c"))
    with pytest.raises(ValueError, match="table of A"):
        RecordType("A", "a\x00", fields("id:uuid"))
    with pytest.raises(TypeError, match="neither a Field nor a Relation"):
        RecordType("A", fields=("id",))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be RecordType"):
        Schema("A", ("A",))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- storage


def test_with_storage_remaps_tables_columns_and_keys() -> None:
    schema = library()
    moved = schema.with_storage(
        tables={"Book": "catalog.books_v2", "Review": "book_reviews"},
        columns={("Book", "title"): "book_title", ("Author", "id"): "author_uuid"},
        keys={("Book", "reviews"): ("id", "book_ref")},
        record_keys={"Review": "book_ref"},
    )
    book = moved.root_record
    assert book.table == "catalog.books_v2" and moved.record("Review").table == "book_reviews"
    assert book.field("title") == Field("title", "string", column="book_title")
    author = moved.record("Author")
    assert author.key_column == "author_uuid" and author.column_of("id") == "author_uuid"
    reviews = book.relation("reviews")
    assert reviews is not None and (reviews.local_key, reviews.remote_key) == ("id", "book_ref")
    assert moved.extra_columns("Review") == (("book_ref", FieldType.UUID),)
    assert moved.record("Review").key == "book_ref"
    # The original is untouched, and filter paths do not change.
    assert schema.root_record.field("title").column == "title"  # type: ignore[union-attr]
    assert [p.path for p in moved.paths()] == [p.path for p in schema.paths()]


def test_with_storage_on_the_run_schema() -> None:
    moved = RUN_SCHEMA.with_storage(
        tables={"EvaluationSummary": "evals"},
        keys={("Run", "current_evaluation_summary"): ("id", "run_uuid")},
        record_keys={"EvaluationSummary": "run_uuid"},
    )
    assert moved.extra_columns("EvaluationSummary") == (("run_uuid", FieldType.UUID),)
    assert moved.record("EvaluationSummary").table == "evals"
    assert RUN_SCHEMA.record("EvaluationSummary").key == "run_id"


def test_with_storage_rejects_unknown_names() -> None:
    with pytest.raises(ValueError, match=r"'Shelf'.*Book\.isbn.*Book\.shelf"):
        library().with_storage(tables={"Shelf": "s"}, columns={("Book", "isbn"): "i"},
                               keys={("Book", "shelf"): ("a", "b")})
    with pytest.raises(ValueError, match="joins"):  # remapped keys are validated again
        library().with_storage(keys={("Book", "author"): ("title", "id")})
