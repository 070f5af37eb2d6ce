"""Fieldwork steps in the permission matrix (core.access). Only the checks added since the registry exists
are here; the older role checks of this app are converted by the permission matrix work."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

GROUP = _("Outillage et sécurité")
STEPS = [
    Step(
        code="fieldwork.view_tools",
        label=_("Consulter l'outillage et les contrôles avant intervention (API)"),
        group=GROUP,
        roles=frozenset({Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER}),
    ),
    Step(
        code="fieldwork.maintain_tool",
        label=_("Noter l'entretien, le nettoyage ou la vérification d'un outil"),
        group=GROUP,
        roles=frozenset({Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER}),
    ),
]
