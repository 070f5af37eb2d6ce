"""Personal data out of a free text before it leaves Atelier (the ORDS export's `problem` column): e-mail
addresses, phone numbers, postal addresses and the names given (the customer's own at least), each replaced by
a bracketed word, so the fault and its repair stay readable."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# French numbers written any usual way (06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78, 0033…)
PHONE = re.compile(r"(?<![\w+])(?:\+33\s?|0033\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
# « 12 rue des Lilas », « 3 bis avenue Jean-Jaurès », « 8, allée du Parc »: a number, a kind of way, then its
# name (small words and capitalised words only, so the sentence that follows is kept)
_WAY = (
    r"(?i:rue|avenue|av\.|boulevard|bd|chemin|allée|allee|impasse|place|route|quai|cours|square|passage"
    r"|résidence|residence|lotissement|lieu-dit)"
)
_NAME_WORD = r"(?:(?:de|du|des|la|le|les)\s+)*(?:l['’]|d['’])?[A-ZÀ-Ý0-9][\w'’-]*"
ADDRESS = re.compile(rf"\b\d{{1,4}}(?:\s?(?i:bis|ter))?,?\s+{_WAY}(?:\s+{_NAME_WORD})+")
POSTCODE_CITY = re.compile(r"\b\d{5}\s+[A-ZÀ-Ý][\w'’-]*(?:[\s-]+[A-ZÀ-Ý][\w'’-]*)*")
# « M. Martin », « Mme Dupont-Leroy », « Madame Lopez »: a civility and the word after it
CIVILITY = re.compile(r"\b(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle)\s+[A-ZÀ-Ý][\w'’-]*")

NAME, PHONE_WORD, ADDRESS_WORD, EMAIL_WORD = "[nom]", "[téléphone]", "[adresse]", "[e-mail]"


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _name_pattern(names: Iterable[str]) -> re.Pattern | None:
    words = set()
    for name in names:
        for part in re.split(r"[\s,]+", name or ""):
            part = part.strip(".")
            if len(part) >= 2:
                words.update({part, _plain(part)})
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def scrub(text: str, *, names: Iterable[str] = ()) -> str:
    """The text without e-mails, phone numbers, addresses, the given names and the names after a civility."""
    text = EMAIL.sub(EMAIL_WORD, text or "")
    text = PHONE.sub(PHONE_WORD, text)
    text = ADDRESS.sub(ADDRESS_WORD, text)
    text = POSTCODE_CITY.sub(ADDRESS_WORD, text)
    text = CIVILITY.sub(NAME, text)
    pattern = _name_pattern(names)
    if pattern is not None:
        text = pattern.sub(NAME, text)
    return re.sub(r"\s+", " ", text).strip()
