"""The quotes' periodic job (operations.registry): sent quotes past their validity become « expiré »."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from atelier.operations.registry import Job, daily


def quote_expiry(*, now, site) -> dict:
    from atelier.quotes.decisions import quotes_expire

    expired = quotes_expire(site=site, today=timezone.localtime(now).date(), at=now)
    return {
        "text": _("%(n)s devis expiré(s).") % {"n": len(expired)},
        "quotes": [q.number for q in expired],
    }


JOBS = [
    Job(
        "quote_expiry",
        _l("Expiration des devis"),
        daily(0, 30),
        quote_expiry,
        per_site=True,
        description=_l(
            "Passe à « Expiré » les devis envoyés restés sans réponse après leur date de validité, avec une ligne "
            "dans l'historique du dossier."
        ),
    ),
]
