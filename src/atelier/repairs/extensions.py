"""Plug-in points where other apps add to the dossier's screens without editing them.

An app registers in its AppConfig.ready():
    from atelier.repairs import extensions
    extensions.home_panels.append(my_panels)        # (user) -> list of panel dicts, see selectors.home_panels
    extensions.detail_sections.append(my_section)    # (request, case) -> {"template": ..., **context} or None

Panel dicts: {"key", "title", "cases" (list of RepairCase) or "links" (list of {"url", "text", "badge"}),
"count", "empty"}. Sections are rendered in order in the dossier page's main column, after « Paroles du client ».
"""

from collections.abc import Callable

home_panels: list[Callable] = []
detail_sections: list[Callable] = []


def collect_home_panels(user) -> list[dict]:
    panels: list[dict] = []
    for provider in home_panels:
        panels.extend(provider(user))
    return panels


def collect_detail_sections(request, case) -> list[dict]:
    return [section for provider in detail_sections if (section := provider(request, case))]
