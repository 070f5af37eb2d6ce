"""Steps of the operations page (see core.access)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

G = _("Exploitation")

STEPS = [
    Step(
        "operations.view",
        _("Consulter les tâches planifiées et leurs exécutions"),
        G,
        frozenset({Role.RESPONSABLE_SAV}),
    ),
    Step("operations.run", _("Lancer une tâche planifiée maintenant"), G, frozenset({Role.RESPONSABLE_SAV})),
]
