"""Steps of the counter (see core.access)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Accueil")

STEPS = [
    Step("reception.queue", _("Tenir la file d'attente et l'accueil"), G, frozenset({A, R}), frozenset({T})),
    Step("reception.complaint", _("Enregistrer une réclamation"), G, frozenset({A, R, T})),
    Step("reception.complaint_close", _("Traiter et clore une réclamation"), G, frozenset({R})),
    Step("reception.measure", _("Mesurer la satisfaction et les délais d'accueil"), G, frozenset({R})),
]
