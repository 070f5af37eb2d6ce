"""Steps of quotes and repair orders (see core.access)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Devis et ordre de réparation")

STEPS = [
    Step("quotes.write", _("Rédiger et envoyer un devis"), G, frozenset({A, R, T})),
    Step(
        "quotes.decide",
        _("Enregistrer la décision du client sur le devis"),
        G,
        frozenset({A, R}),
        frozenset({T}),
    ),
    Step("quotes.order", _("Établir l'ordre de réparation"), G, frozenset({R}), frozenset({T})),
]
