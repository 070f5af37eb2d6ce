"""Steps of disputes (see core.access and docs/permissions.md): the counter opens a dispute, identifies its cause,
assigns it and writes to the customer (proposal, mediator referral); outcomes that cost money (commercial gesture
by credit note, refund, replacement), a refusal and litigation are the SAV manager's decision."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Litiges et médiation")

STEPS = [
    Step("disputes.view", _("Consulter les litiges"), G, frozenset({A, T, R, C})),
    Step(
        "disputes.handle",
        _("Ouvrir et instruire un litige, écrire au client, proposer le médiateur"),
        G,
        frozenset({A, R}),
        frozenset({T}),
    ),
    Step(
        "disputes.decide",
        _("Décider l'issue d'un litige : geste commercial, remboursement, remplacement, refus, contentieux"),
        G,
        frozenset({R}),
    ),
    Step("disputes.evidence", _("Exporter le dossier de preuves"), G, frozenset({A, R, C}), frozenset({T})),
]
