"""Steps of the customer file (see core.access)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import ALL_ROLES, Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Clients")

STEPS = [
    Step("customers.view", _("Consulter les fiches clients et appareils"), G, ALL_ROLES),
    Step("customers.write", _("Créer et modifier les fiches clients et appareils"), G, frozenset({A, T, R})),
]
