"""Steps of work on site and in the workshop, and of tools (see core.access)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Intervention et outillage")

STEPS = [
    Step("fieldwork.work", _("Intervenir : sécurité, réparation, mise en service"), G, frozenset({T, R})),
    Step(
        "fieldwork.required_tools", _("Choisir l'outillage d'un ordre de réparation"), G, frozenset({T, R, A})
    ),
    Step("fieldwork.site_rules", _("Régler les exigences de sécurité du site"), G, frozenset({R})),
    Step("fieldwork.tools", _("Consulter et utiliser l'outillage"), G, frozenset({T, R, M})),
    Step("fieldwork.tool_registry", _("Tenir le registre de l'outillage"), G, frozenset({R, M})),
    Step("fieldwork.tool_manage", _("Réformer un outil, traiter ses incidents"), G, frozenset({R})),
    Step(
        code="fieldwork.maintain_tool",
        label=_("Noter l'entretien, le nettoyage ou la vérification d'un outil"),
        group=G,
        roles=frozenset({Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER}),
    ),
]
