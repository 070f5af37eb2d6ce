"""The dossier page as a person sees it once scrolled: the page, with each other app's section (loaded by
htmx when it comes into view, repairs:section) put in place of its placeholder. For the apps' view tests."""

import re

from django.urls import reverse

PLACEHOLDER = re.compile(r'<div class="lazy-section" data-lazy-section="([\w-]+)".*?</div>', re.S)


def dossier_page(client, pk: int) -> str:
    """The HTML of the dossier page with its sections loaded (each asked with the page's client)."""
    html = client.get(reverse("repairs:detail", args=[pk])).content.decode()

    def load(match):
        response = client.get(reverse("repairs:section", args=[pk, match.group(1)]))
        return response.content.decode() if response.status_code == 200 else ""

    return PLACEHOLDER.sub(load, html)
