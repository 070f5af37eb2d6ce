"""Plug-in points where other apps add to the claim page without editing it.

An app registers in its AppConfig.ready():
    from atelier.aftersales import extensions
    extensions.claim_sections.append(my_section)   # (request, claim) -> {"key": ..., "url": ...} or None
Each section is loaded by its own request (htmx) when it comes into view, under its own view's step and site.
"""

from collections.abc import Callable

claim_sections: list[Callable] = []


def collect_claim_sections(request, claim) -> list[dict]:
    return [section for provider in claim_sections if (section := provider(request, claim))]
