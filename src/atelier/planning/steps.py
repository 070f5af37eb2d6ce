"""Steps of the planning checked through atelier.core.access (the workshop week, drop-off appointments)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

GROUP = _("Planification")

STEPS = [
    Step(
        code="planning.workshop",
        label=_("Consulter le planning de l'atelier"),
        group=GROUP,
        roles=frozenset({Role.RESPONSABLE_SAV, Role.ACCUEIL}),
        team_roles=frozenset({Role.TECHNICIEN}),
    ),
    Step(
        code="planning.dropoff",
        label=_("Prendre un rendez-vous de dépôt au comptoir"),
        group=GROUP,
        roles=frozenset({Role.ACCUEIL, Role.RESPONSABLE_SAV}),
        team_roles=frozenset({Role.TECHNICIEN}),
    ),
    Step(
        code="planning.dropoff_capacity",
        label=_("Fixer la capacité de dépôt par demi-journée"),
        group=GROUP,
        roles=frozenset({Role.RESPONSABLE_SAV}),
    ),
]
