"""Steps of the knowledge base (see core.access)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import ALL_ROLES, Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Base de connaissances")

STEPS = [
    Step("knowledge.view", _("Consulter la base de connaissances"), G, ALL_ROLES),
    Step("knowledge.edit", _("Rédiger la base de connaissances"), G, frozenset({R})),
    Step("knowledge.add_cause", _("Ajouter une cause confirmée au diagnostic"), G, frozenset({T, R})),
]
