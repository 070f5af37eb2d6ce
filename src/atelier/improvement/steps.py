"""Steps of improvement (see core.access and docs/permissions.md): anyone proposes an improvement action and
carries out the one they own; the SAV manager decides, verifies or drops it, follows up the customers' low
survey scores and publishes the repairs as open data (ORDS)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE
EVERYONE = frozenset({A, T, R, M, C})

G = _("Amélioration continue")

STEPS = [
    Step(
        "improvement.view", _("Consulter les actions d'amélioration et les causes récurrentes"), G, EVERYONE
    ),
    Step("improvement.propose", _("Proposer une action d'amélioration"), G, EVERYONE),
    Step(
        "improvement.work",
        _("Mener une action décidée : la commencer, la dire faite, mesurer son indicateur"),
        G,
        EVERYONE,
    ),
    Step(
        "improvement.decide",
        _("Décider, vérifier ou abandonner une action d'amélioration"),
        G,
        frozenset({R}),
    ),
    Step(
        "improvement.surveys",
        _("Lire les réponses à l'enquête de satisfaction et suivre les notes basses"),
        G,
        frozenset({R}),
    ),
    Step("improvement.ords", _("Exporter les réparations en données ouvertes (ORDS)"), G, frozenset({R})),
]
