"""Fieldwork steps in the permission matrix (core.access). Only the checks added since the registry exists
are here; the older role checks of this app are converted by the permission matrix work."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

STEPS = [
    Step(
        code="fieldwork.maintain_tool",
        label=_("Noter l'entretien, le nettoyage ou la vérification d'un outil"),
        group=_("Outillage et sécurité"),
        roles=frozenset({Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER}),
    ),
]
