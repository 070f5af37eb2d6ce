"""The skills and tool kinds a repair order may ask for: chosen from lists, never typed as free codes.

Skills are the planning's qualifications (`planning.models.Need`); tool kinds are the tool register's
(`fieldwork.models.ToolKind`). The planner matches them against the technicians' profiles and tools: a typed
« multimètre » (instead of the code `multimetre`) matched no technician and made the optimiser leave the visit
aside. `read_skills` / `read_tools` map the old free text to codes (used by the data migrations, which pass the kinds).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError

# Words of the old free text → skill code (the planning's `Need` values).
SKILL_WORDS = {
    "niveau:2": ("niveau 2", "niveau:2", "composant"),
    "hab:elec": ("habilitation", "elec"),
    "gaz": ("gaz",),
    "fluides": ("fluide", "frigorig"),
}


def _plain(text: str) -> str:
    """Lower case without accents: « Multimètre » → « multimetre »."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def split_codes(text: str) -> list[str]:
    return [t.strip() for t in text.replace(";", ",").split(",") if t.strip()]


def skill_choices() -> list[tuple[str, str]]:
    from atelier.planning.models import Need

    return list(Need.choices)


def tool_choices() -> list[tuple[str, str]]:
    from atelier.fieldwork.models import ToolKind

    return list(ToolKind.objects.order_by("name").values_list("code", "name"))


def _read(text: str, match) -> tuple[list[str], list[str]]:
    codes: list[str] = []
    unknown: list[str] = []
    for piece in split_codes(text):
        found = match(_plain(piece))
        if found:
            codes.extend(c for c in found if c not in codes)
        else:
            unknown.append(piece)
    return codes, unknown


def read_skills(text: str) -> tuple[list[str], list[str]]:
    """Old free text of the skills → (skill codes, pieces no skill word matches)."""
    return _read(
        text, lambda plain: [c for c, words in SKILL_WORDS.items() if any(w in plain for w in words)]
    )


def read_tools(text: str, kinds: dict[str, str]) -> tuple[list[str], list[str]]:
    """Old free text of the tools → (tool kind codes, unknown pieces); `kinds` maps code → name, a piece
    matches a code or a name, accents and case aside (« Multimètre », « multimetre »)."""
    by_plain = {_plain(code): code for code in kinds} | {_plain(name): code for code, name in kinds.items()}
    return _read(text, lambda plain: [by_plain[plain]] if plain in by_plain else [])


def checked_codes(values: Iterable[str] | str, allowed: list[tuple[str, str]], *, field: str) -> str:
    """The chosen codes as stored on the order (comma-separated), refused when one is not on the list."""
    codes = split_codes(values) if isinstance(values, str) else [v.strip() for v in values if v.strip()]
    known = {code for code, _name in allowed}
    strangers = [c for c in codes if c not in known]
    if strangers:
        raise AtelierError(
            _("Choisissez dans la liste : « %(codes)s » n'y figure pas.") % {"codes": ", ".join(strangers)},
            field=field,
        )
    return ",".join(dict.fromkeys(codes))


def labels(stored: str, allowed: list[tuple[str, str]]) -> list[str]:
    names = dict(allowed)
    return [str(names.get(code, code)) for code in split_codes(stored)]
