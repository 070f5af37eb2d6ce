"""Steps of the diagnosis (see core.access)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Diagnostic")

STEPS = [
    Step("diagnostics.counter", _("Pré-diagnostic au comptoir"), G, frozenset({A, T, R})),
    Step("diagnostics.diagnose", _("Diagnostic technique"), G, frozenset({T, R})),
    Step(
        code="diagnostics.record_source",
        label=_("Noter une source consultée pour une panne non résolue"),
        group=G,
        roles=frozenset({Role.TECHNICIEN, Role.RESPONSABLE_SAV}),
    ),
]
