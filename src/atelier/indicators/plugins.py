"""What the indicators add to the home page of the SAV manager (and of the chain's managers): two top figures of
the last 30 days up to the last stored night, each leading to the indicators page. Read from the stored rows only
(two queries), so the home stays cheap; the page itself adds today."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from atelier.core.access import may, sites_allowing


def home_figures(user) -> list[dict]:
    if not may(user, "indicators.view"):
        return []
    from atelier.indicators.aggregate import Scope, figures, last_computed
    from atelier.indicators.registry import fr_percent, rate

    site_ids = tuple(sites_allowing(user, "indicators.view"))
    stored = last_computed(site_ids)
    url = reverse("indicators:dashboard")
    if not stored or len(stored) < len(site_ids):
        return [
            {
                "figure": True,
                "key": "indicators",
                "label": _("Indicateurs du SAV"),
                "value": "→",
                "order": 90,
                "url": url,
            }
        ]
    date_to = min(stored.values())
    date_from = date_to - datetime.timedelta(days=29)
    f = figures(Scope(site_ids), date_from, date_to, distributions=False).get(None)
    c = (
        f.counts
        if f is not None
        else {"ftf_eligible": 0, "ftf_returned": 0, "quotes_accepted": 0, "quotes_refused": 0}
    )
    ftf = rate(c["ftf_eligible"] - c["ftf_returned"], c["ftf_eligible"])
    quotes = rate(c["quotes_accepted"], c["quotes_accepted"] + c["quotes_refused"])
    return [
        {
            "figure": True,
            "key": "indicators_ftf",
            "label": _("Réparés du premier coup (30 j)"),
            "value": fr_percent(ftf),
            "order": 90,
            "url": url,
        },
        {
            "figure": True,
            "key": "indicators_quotes",
            "label": _("Devis acceptés (30 j)"),
            "value": fr_percent(quotes),
            "order": 91,
            "url": url,
        },
    ]
