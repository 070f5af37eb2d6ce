"""Operations of the customers' messages (see docs/permissions.md and docs/messages.md)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

GROUP = _("Messages aux clients")

STEPS = [
    Step(
        "messaging.read",
        _("Lire les messages échangés avec les clients"),
        GROUP,
        roles=frozenset({Role.ACCUEIL, Role.RESPONSABLE_SAV, Role.TECHNICIEN, Role.COMPTABLE}),
    ),
    Step(
        "messaging.write",
        _("Écrire au client, renvoyer un message en échec"),
        GROUP,
        roles=frozenset({Role.ACCUEIL, Role.RESPONSABLE_SAV}),
        team_roles=frozenset({Role.TECHNICIEN}),
    ),
]
