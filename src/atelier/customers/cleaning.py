"""Normalisers for what people type into a customer file, shared by the services, the forms and the admin.

Each takes the raw text and returns the stored form, or raises a French ValidationError. They are idempotent,
so a form may normalise first (to show the error next to the field) and the service again (for other callers).
"""

import re
import unicodedata

from atelier.core.validators import normalize_phone


def phone_e164(value: str | None) -> str:
    """'06 12 34 56 78' → '+33612345678'; blank stays blank."""
    value = (value or "").strip()
    return normalize_phone(value) if value else ""


def email_lower(value: str | None) -> str:
    """E-mail addresses are compared and searched lower-case."""
    return (value or "").strip().lower()


def siren_compact(value: str | None) -> str:
    """'732 829 320' → '732829320' (spaces, dots and dashes dropped; the checksum is the model's job)."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def postcode_compact(value: str | None) -> str:
    """'75 011' → '75011'."""
    return re.sub(r"\s", "", value or "")


def search_key(value: str | None) -> str:
    """Lower-case, accent-free form of a name, so 'Élodie Lefèvre' is found by 'elodie lefevre'.

    Computed in Python because SQLite's LIKE and lower() only fold ASCII letters, and unaccent needs a
    PostgreSQL extension: one stored key searches the same way on both databases.
    """
    plain = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    return " ".join(plain.lower().split())


def name_words(value: str | None) -> list[str]:
    """The words of a name as search matches their beginnings: 'Jean-Pierre d'Arc' → jean, pierre, d, arc."""
    return re.findall(r"[a-z0-9]+", search_key(value))
