"""Text normalisation shared by the French search and the suggester.

`search_key` gives the French search column: lower case, each word reduced to its Snowball French stem
(« vidanger » and « vidange » → « vidang »), then accents removed (« sèche » and « seche » → « sech »).
It is computed in Python and stored, so the same search runs on SQLite and PostgreSQL (docs/knowledge.md).

`features` gives the suggester's language-agnostic features (words, character n-grams, word pairs) for
free text in any language: character n-grams catch the shared roots of « Schalter », « switch »,
« interrupteur » typos and inflections without one stemmer per language.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[0-9a-zA-ZÀ-ÖØ-öø-ÿœŒæÆ]+")
_stemmer = snowballstemmer.stemmer("french")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae")
    )


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """French Snowball stem of one lower-case word, accents removed afterwards."""
    return strip_accents(_stemmer.stemWord(word))


def words(text: str) -> list[str]:
    return _WORD.findall((text or "").lower())


def search_key(*texts: str) -> str:
    """The stored search column: stems separated by spaces, with a leading and trailing space."""
    stems = [stem(w) for text in texts for w in words(text)]
    return f" {' '.join(stems)} " if stems else ""


def query_stems(query: str) -> list[str]:
    """The stems of a search query, without duplicates, in order."""
    return list(dict.fromkeys(stem(w) for w in words(query)))


def normalise_label(text: str) -> str:
    """Brand, model or error code as a comparison key: « Électrolux » → « electrolux », « e 18 » → « E18 »."""
    return re.sub(r"[^0-9a-z]", "", strip_accents((text or "").lower()))


def features(text: str, *, brand: str = "", model_ref: str = "", error_code: str = "") -> set[str]:
    """The suggester's binary features of a dossier: words, 3-5 character n-grams, word pairs, and tags."""
    tokens = re.findall(r"[a-z0-9]+", strip_accents((text or "").lower()))
    found: set[str] = set()
    for word in tokens:
        found.add("w:" + word)
        padded = f" {word} "
        for n in (3, 4, 5):
            for i in range(len(padded) - n + 1):
                found.add(padded[i : i + n])
    for first, second in zip(tokens, tokens[1:], strict=False):
        found.add(f"b:{first}_{second}")
    if key := normalise_label(brand):
        found.add("brand:" + key)
    if key := normalise_label(model_ref):
        found.add("model:" + key)
    if key := normalise_label(error_code):
        found.add("code:" + key)
    return found
