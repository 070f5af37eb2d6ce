"""Steps of photos (see core.access and docs/permissions.md): the people who handle the appliance take photos;
removing one is the SAV manager's decision, and it leaves a trace."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.COMPTABLE

G = _("Photos")

STEPS = [
    Step("photos.view", _("Voir les photos des dossiers et des réclamations"), G, frozenset({A, T, R, C})),
    Step("photos.add", _("Ajouter des photos (appareil photo de la tablette)"), G, frozenset({A, T, R})),
    Step("photos.delete", _("Supprimer une photo (la suppression reste tracée)"), G, frozenset({R})),
]
