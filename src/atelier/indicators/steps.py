"""Steps of the indicators (core.access): the SAV manager (and the chain's managers, who hold the same role on
every site) reads the figures of the after-sales service."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

G = _("Indicateurs")

STEPS = [
    Step(
        "indicators.view",
        _("Consulter les indicateurs du SAV et leurs graphiques"),
        G,
        frozenset({Role.RESPONSABLE_SAV}),
    ),
]
