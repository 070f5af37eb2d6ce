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

STEPS += [
    Step(
        "customers.export",
        _("Exporter les données d'un client (droit d'accès, portabilité)"),
        G,
        frozenset({A, R}),
    ),
    Step("customers.erase", _("Effacer les données d'un client à sa demande"), G, frozenset({R})),
    Step(
        "customers.retention",
        _("Voir et lancer l'anonymisation des fiches sans contact, régler la durée de conservation"),
        G,
        frozenset({R}),
    ),
    Step(
        "customers.retention_keep",
        _("Conserver une fiche au-delà de la durée (motif légitime)"),
        G,
        frozenset({R}),
    ),
]
