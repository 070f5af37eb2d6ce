"""Plug-in points where other apps add to the customer file (complaints, loans, quotes…) and to its personal-data
features (retention, export, erasure: docs/personal-data.md).

An app registers in its AppConfig.ready():
    from atelier.customers import extensions
    extensions.detail_sections.append(my_section)   # (request, customer) -> {"template": ..., **context} or None
Sections are rendered in order at the end of the customer page.

Personal data (the customers app registers the providers of the existing apps, customers.footprint):
    contact_sources    (customer ids queryset) -> iterable of (customer id, date): what counts as a contact
    erasure_blockers   (customer ids queryset) -> {customer id: [French reasons]}: never anonymise while any
    scrubbers          (customer) -> {French label: rows changed}: replace the app's free text on anonymisation
    export_sections    (customer) -> (key, JSON-safe data) or None: a section of the data export
"""

from collections.abc import Callable

detail_sections: list[Callable] = []
contact_sources: list[Callable] = []
erasure_blockers: list[Callable] = []
scrubbers: list[Callable] = []
export_sections: list[Callable] = []


def collect_detail_sections(request, customer) -> list[dict]:
    return [section for provider in detail_sections if (section := provider(request, customer))]
