"""Steps of the planning (see core.access)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Planning")

STEPS = [
    Step("planning.view", _("Consulter le planning et les techniciens"), G, frozenset({R, A})),
    Step("planning.manage", _("Construire et modifier le planning"), G, frozenset({R})),
    Step("planning.my_day", _("Suivre sa journée de technicien"), G, frozenset({T})),
    Step("planning.site_read", _("Lire les tournées du site par l'API"), G, frozenset({A, R, M})),
    Step(
        code="planning.workshop",
        label=_("Consulter le planning de l'atelier"),
        group=G,
        roles=frozenset({Role.RESPONSABLE_SAV, Role.ACCUEIL}),
        team_roles=frozenset({Role.TECHNICIEN}),
    ),
    Step(
        code="planning.dropoff",
        label=_("Prendre un rendez-vous de dépôt au comptoir"),
        group=G,
        roles=frozenset({Role.ACCUEIL, Role.RESPONSABLE_SAV}),
        team_roles=frozenset({Role.TECHNICIEN}),
    ),
    Step(
        code="planning.dropoff_capacity",
        label=_("Fixer la capacité de dépôt par demi-journée"),
        group=G,
        roles=frozenset({Role.RESPONSABLE_SAV}),
    ),
]
