"""Steps of core (see core.access): who sets the permission matrix."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Paramètres")

STEPS = [
    Step("core.permissions", _("Régler les droits du site (qui fait quoi)"), G, frozenset({R})),
]
