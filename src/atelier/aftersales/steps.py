"""Steps of after-sales (see core.access and docs/permissions.md): the counter opens claims and answers with a
repair, a replacement or a refund; refusals and commercial gestures are the SAV manager's decision."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Garanties et réclamations")

STEPS = [
    Step("aftersales.view", _("Consulter les garanties et les réclamations"), G, frozenset({A, T, R, C})),
    Step(
        "aftersales.claim",
        _("Ouvrir, instruire et clore une réclamation"),
        G,
        frozenset({A, R}),
        frozenset({T}),
    ),
    Step(
        "aftersales.answer",
        _("Répondre à une réclamation : réparation, remplacement, remboursement"),
        G,
        frozenset({A, R}),
        frozenset({T}),
    ),
    Step("aftersales.decide", _("Décider un refus ou un geste commercial"), G, frozenset({R})),
    Step(
        "aftersales.contracts",
        _("Enregistrer les contrats et la prise en charge sous garantie d'un dossier"),
        G,
        frozenset({A, R}),
        frozenset({T}),
    ),
    Step(
        "aftersales.payers",
        _("Répartir un dossier entre payeurs tiers et constituer leurs demandes de prise en charge"),
        G,
        frozenset({A, R}),
    ),
    Step(
        "aftersales.payer_decision",
        _("Enregistrer la réponse d'un payeur tiers (à corriger, acceptée, partiellement acceptée, refusée)"),
        G,
        frozenset({R}),
    ),
    Step("aftersales.payer_paid", _("Noter le paiement d'un payeur tiers"), G, frozenset({R, C})),
]
