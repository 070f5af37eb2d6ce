"""What a search box may send to the database: one cap for every search in Atelier.

No one types a 100-character name, phone or reference; a longer text is a paste gone wrong or an attack,
and SQLite refuses a LIKE pattern over 50 kB (« LIKE or GLOB pattern too complex », a 500). Forms refuse a
longer term with Django's French length message; selectors clip what reaches them from elsewhere (API).
"""

SEARCH_MAX = 100


def search_text(query: str | None) -> str:
    """The search as the database sees it: trimmed and clipped to SEARCH_MAX characters."""
    return (query or "").strip()[:SEARCH_MAX]
