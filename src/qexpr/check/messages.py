"""Every validation message, each made by a named function (cel-go's ``checker/errors.go``).

A function returns a :class:`Message` (code, text, hint, suggestion) without a position; the
diagnostics sink (:mod:`qexpr.check.diagnostics`) places it on the offending text. Keeping the
wording here, in one module, keeps messages consistent and reviewable.
"""

from __future__ import annotations

from dataclasses import dataclass

from qexpr.errors import ErrorCode


@dataclass(frozen=True, slots=True)
class Message:
    """A validation error before it is placed on the text."""

    code: ErrorCode
    text: str
    hint: str | None = None
    suggestion: str | None = None


def article(word: str) -> str:
    """``a string``, ``an integer``."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


# --------------------------------------------------------------------------- names


def forbidden_field(prefix: str, scope: str) -> Message:
    """A path segment needs a scope the caller lacks (nothing beyond it is revealed)."""
    return Message(ErrorCode.FORBIDDEN_FIELD, f"{prefix} requires the scope {scope}",
                   hint=f"ask for a token with the scope {scope}")


def unknown_field(name: str, where: str | None, suggestion: str | None,
                  listed: list[str], more: int, fields_of: str) -> Message:
    """An unknown name, with a did-you-mean or the names that exist there."""
    text = f"unknown field {name!r}" + ("" if where is None else f" in {where}")
    hint = None
    if suggestion is None:
        hint = f"fields of {fields_of}: {', '.join(listed)}" + (
            f" (and {more} more)" if more > 0 else "")
    return Message(ErrorCode.UNKNOWN_FIELD, text, hint=hint, suggestion=suggestion)


def no_sub_fields(prefix: str, ftype: str) -> Message:
    """A path continues below a field that is not json."""
    return Message(ErrorCode.UNKNOWN_FIELD,
                   f"{prefix} is {article(ftype)} field and has no sub-fields",
                   hint=f"compare {prefix} itself")


def through_list(relation: str, rest: str) -> Message:
    """A path runs through a to-many relation outside a quantifier."""
    return Message(ErrorCode.QUANTIFIER_REQUIRED,
                   f"{relation} is a list of records; test its items with any() or all()",
                   hint=f"write any({relation}, {rest} ...) or all({relation}, {rest} ...)")


def list_needs_quantifier(path: str, *, as_operand: bool = False) -> Message:
    """A to-many relation used as a field."""
    text = (f"{path} is a list of records, not a field; test its items with any() or all()"
            if as_operand else
            f"{path} is a list of records; test its items with any() or all()")
    return Message(ErrorCode.QUANTIFIER_REQUIRED, text,
                   hint=f"write any({path}, <condition on its fields>)")


def record_not_field(path: str, shown: str, example: str, *, as_operand: bool = False) -> Message:
    """A to-one relation used as a field."""
    if as_operand:
        return Message(ErrorCode.UNSUPPORTED_OPERATOR,
                       f"{path} is a record, not a field, and cannot be compared",
                       hint=f"compare one of its fields, e.g. {example}")
    return Message(ErrorCode.UNSUPPORTED_OPERATOR,
                   f"{path} is a record and cannot be used with {shown}",
                   hint=f"test one of its fields, e.g. {example}")


def not_a_list(kind: str, path: str, what: str, hint: str) -> Message:
    """A quantifier over something that is not a to-many relation."""
    return Message(ErrorCode.UNSUPPORTED_OPERATOR,
                   f"{kind}() ranges over a list of records; {path} is {what}", hint=hint)


# --------------------------------------------------------------------------- operators and types


def json_field_whole(path: str) -> Message:
    """An operator other than IS NULL on a json field itself."""
    return Message(ErrorCode.UNSUPPORTED_OPERATOR,
                   f"{path} is a json field; only IS NULL / IS NOT NULL apply to it as a whole",
                   hint=f'compare a key inside it, e.g. {path}.some_key = "value"')


def operator_not_allowed(shown: str, ftype: str, path: str, allowed: str | None) -> Message:
    """An operator the field's type does not allow."""
    return Message(ErrorCode.UNSUPPORTED_OPERATOR,
                   f"{shown} is not allowed on the {ftype} field {path}",
                   hint=None if allowed is None else f"{ftype} fields allow: {allowed}")


def boolean_order(operator: str) -> Message:
    """true/false compared by order on a json path."""
    return Message(ErrorCode.UNSUPPORTED_OPERATOR,
                   f"true and false can only be compared with = and != ({operator} given)",
                   hint="booleans have no order")


def field_kind_not_comparable(kind: str, path: str) -> Message:
    """A json path or boolean field in a field-to-field comparison."""
    return Message(ErrorCode.TYPE_MISMATCH,
                   f"{kind} cannot be compared with another field ({path})")


def field_families_differ(lt: str, left: str, rt: str, right: str) -> Message:
    """Field-to-field comparison across type families."""
    return Message(ErrorCode.TYPE_MISMATCH,
                   f"cannot compare the {lt} field {left} with the {rt} field {right}")


def bare_not_boolean(path: str, ftype: str) -> Message:
    """A bare path that is not a boolean field."""
    return Message(ErrorCode.TYPE_MISMATCH,
                   f"{path} is {article(ftype)} field; a field alone is only a condition when "
                   "it is boolean", hint=f"compare it, e.g. {path} IS NOT NULL")


def value_mismatch(kind: str, target: str, path: str, hint: str | None) -> Message:
    """A literal of the wrong kind for the field."""
    return Message(ErrorCode.TYPE_MISMATCH, f"{kind} cannot be compared with the {target} {path}",
                   hint=hint)


def json_kinds_differ(kind: str, first: str) -> Message:
    """IN/BETWEEN values of different kinds on a json path."""
    return Message(ErrorCode.TYPE_MISMATCH,
                   f"on a json path all values must be of one kind; {kind} after {first}")


def null_comparison(operator: str) -> Message:
    """``= null`` and friends."""
    if operator == "=":
        hint = "write IS NULL"
    elif operator == "!=":
        hint = "write IS NOT NULL"
    else:
        hint = "test for a missing value with IS NULL / IS NOT NULL"
    return Message(ErrorCode.NULL_COMPARISON,
                   "null cannot be compared with an operator; nothing equals null", hint=hint)


# --------------------------------------------------------------------------- literals


def lone_backslash(operator: str) -> Message:
    """A LIKE/ILIKE pattern ending in an escape with nothing to escape."""
    return Message(ErrorCode.INVALID_LITERAL,
                   f"{article(operator)} pattern cannot end with a lone backslash",
                   hint="a backslash escapes the next character; match a backslash with \\\\ "
                   'in the pattern (written "\\\\\\\\" in q)')


def timestamp_without_offset(text: str) -> Message:
    """A timestamp with a time but no offset."""
    return Message(ErrorCode.INVALID_LITERAL, f"the timestamp {text!r} has no time zone offset",
                   hint=f'write it in UTC as "{text}Z" or with an offset such as +02:00')


TIMESTAMP_FORMS = ('a timestamp is "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ss[.ffffff]Z" (or with an '
                   'offset such as +02:00)')


def bad_timestamp(reason: str) -> Message:
    """Text that is not a valid timestamp."""
    return Message(ErrorCode.INVALID_LITERAL, reason, hint=TIMESTAMP_FORMS)


def bad_uuid(text: str) -> Message:
    """Text that is not a UUID."""
    return Message(ErrorCode.INVALID_LITERAL, f"{text!r} is not a UUID",
                   hint='a UUID is written as "3c90c3cc-0d44-4b50-8888-8dd25736052a"')


def time_out_of_range() -> Message:
    """A folded time expression outside the years 0001-9999."""
    return Message(ErrorCode.INVALID_LITERAL,
                   "the time expression falls outside the years 0001-9999")
