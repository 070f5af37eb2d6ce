"""Steps of loan appliances (see core.access)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Prêts")

STEPS = [
    Step("loans.manage", _("Prêter et reprendre un appareil de prêt"), G, frozenset({A, R, T})),
]
