"""Offline French postcode table (La Poste open data, shipped in core/data, see its README)."""

import csv
import gzip
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Commune:
    postcode: str
    insee: str
    name: str
    latitude: float | None
    longitude: float | None

    @property
    def label(self) -> str:
        """Commune name in title case ('St Denis', 'Paris 11'): La Poste's table drops hyphens and 'Saint'."""
        return self.name.title()


@cache
def _table() -> dict[str, tuple[Commune, ...]]:
    by_postcode: dict[str, list[Commune]] = {}
    with resources.files("atelier.core").joinpath("data/postcodes.csv.gz").open("rb") as raw:
        with gzip.open(raw, "rt", encoding="utf-8") as f:
            for rec in csv.DictReader(f, delimiter=";"):
                commune = Commune(
                    postcode=rec["postcode"],
                    insee=rec["insee"],
                    name=rec["commune"],
                    latitude=float(rec["lat"]) if rec["lat"] else None,
                    longitude=float(rec["lon"]) if rec["lon"] else None,
                )
                same = by_postcode.setdefault(commune.postcode, [])
                if all(c.insee != commune.insee for c in same):
                    same.append(commune)
    return {k: tuple(v) for k, v in by_postcode.items()}


def postcode_exists(postcode: str) -> bool:
    return postcode in _table()


def communes(postcode: str) -> tuple[Commune, ...]:
    """Communes served by a postcode (several communes often share one)."""
    return _table().get(postcode, ())


def locate(postcode: str, city: str = "") -> Commune | None:
    """The commune matching postcode and city name (case and accents aside), else the first of the postcode."""
    found = communes(postcode)
    if not found:
        return None
    wanted = _simplify(city)
    for commune in found:
        if wanted and _simplify(commune.name) == wanted:
            return commune
    return found[0]


def all_postcodes() -> list[str]:
    return sorted(_table())


def _simplify(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    plain = plain.replace("-", " ").replace("'", " ")
    return " ".join("ST" if w == "SAINT" else "STE" if w == "SAINTE" else w for w in plain.split())
