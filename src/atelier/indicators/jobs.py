"""The indicators' nightly job (operations.registry): store yesterday's figures of each site (and any day missed)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from atelier.operations.registry import Job, daily, every


def indicators_refresh(*, now, site) -> dict:
    from atelier.indicators.aggregate import refresh_due

    days = refresh_due(site.pk, timezone.localtime(now).date())
    return {
        "text": _("%(n)s jour(s) de chiffres calculé(s).") % {"n": len(days)},
        "days": [d.isoformat() for d in days[-10:]],
    }


def indicators_network(*, now) -> dict:
    from atelier.indicators.aggregate import rebuild_network

    rows = rebuild_network()
    return {"text": _("%(n)s ligne(s) du réseau recalculée(s).") % {"n": rows}}


JOBS = [
    Job(
        "indicators_refresh",
        _l("Chiffres des indicateurs"),
        daily(0, 45),
        indicators_refresh,
        per_site=True,
        description=_l(
            "Calcule et range les chiffres de la veille (et des jours manqués) pour les indicateurs : les pages "
            "additionnent ces chiffres et calculent le jour même en direct."
        ),
    ),
    Job(
        "indicators_network",
        _l("Chiffres du réseau"),
        every(15),
        indicators_network,
        description=_l(
            "Additionne les chiffres rangés de tous les sites pour les jours qui ont changé : la page d'un "
            "responsable de réseau lit ces totaux plutôt que ceux de chaque site."
        ),
    ),
]
