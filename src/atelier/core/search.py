"""What a search box may send to the database: one cap for every search in Atelier.

No one types a 100-character name, phone or reference; a longer text is a paste gone wrong or an attack,
and SQLite refuses a LIKE pattern over 50 kB (« LIKE or GLOB pattern too complex », a 500). Forms refuse a
longer term with Django's French length message; selectors clip what reaches them from elsewhere (API).
"""

from django.db.models import Q

SEARCH_MAX = 100


def search_text(query: str | None) -> str:
    """The search as the database sees it: trimmed and clipped to SEARCH_MAX characters."""
    return (query or "").strip()[:SEARCH_MAX]


def prefix_end(prefix: str) -> str:
    """The first text after every text starting with `prefix` (in code-point order, SQLite's and PostgreSQL's C
    collations): 'mart' → 'maru'."""
    stem = prefix.rstrip(chr(0x10FFFF))  # no character follows the last one: carry over to the one before
    if not stem:
        return chr(0x10FFFF) * (len(prefix) + 1)
    return stem[:-1] + chr(ord(stem[-1]) + 1)


def starts_with(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, as a range a plain B-tree index serves on both databases (a LIKE 'x%' uses
    an index neither on SQLite, whose LIKE ignores case, nor on PostgreSQL outside the C collation); the
    `startswith` kept beside it only re-checks the rows the range found."""
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix_end(prefix), f"{field}__startswith": prefix})
