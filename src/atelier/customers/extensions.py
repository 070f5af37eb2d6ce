"""Plug-in point where other apps add sections to the customer file (complaints, loans, quotes…).

An app registers in its AppConfig.ready():
    from atelier.customers import extensions
    extensions.detail_sections.append(my_section)   # (request, customer) -> {"template": ..., **context} or None
Sections are rendered in order at the end of the customer page.
"""

from collections.abc import Callable

detail_sections: list[Callable] = []


def collect_detail_sections(request, customer) -> list[dict]:
    return [section for provider in detail_sections if (section := provider(request, customer))]
