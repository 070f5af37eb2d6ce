"""Ids read from what a client sent (a URL's query, a form's hidden field, a reply address).

`str.isdigit()` is not the test: it accepts « ² » and other Unicode digits, which int() then refuses, and any
length, which SQLite cannot bind (OverflowError over 2**63 - 1): both were 500s (found by Schemathesis against
the demo). `as_id` reads such a value as a number a database key can hold, or None, which callers treat as
« not given » or « not found », as they did a value that was not a number.
"""

from typing import Any

MAX_ID = 2**63 - 1  # the largest integer both databases store (SQLite's INTEGER, PostgreSQL's bigint)


def as_id(value) -> int | None:
    """`value` (text, a number or None) as a whole number from 0 to MAX_ID, else None."""
    text = str(value) if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


# The bounds of a form's or serializer's integer field that holds a key: a bigger number is refused with the
# field's French message instead of failing in the database.
ID_BOUNDS: dict[str, Any] = {"min_value": 1, "max_value": MAX_ID}
