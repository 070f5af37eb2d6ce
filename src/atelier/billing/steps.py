"""Steps of billing, payment, hand-back and accounting (see core.access)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Facturation et remise")
K = _("Comptabilité")

STEPS = [
    Step("billing.read", _("Consulter la facturation"), G, frozenset({A, R, C}), frozenset({T})),
    Step("billing.invoice", _("Facturer"), G, frozenset({A, R}), frozenset({T})),
    Step("billing.payment", _("Encaisser"), G, frozenset({A, R}), frozenset({T})),
    Step("billing.counter", _("Prévenir le client, remise, conseils"), G, frozenset({A, R, T})),
    Step("billing.anomaly", _("Noter une anomalie d'encaissement"), G, frozenset({A, R, C}), frozenset({T})),
    Step("billing.refund", _("Rembourser"), G, frozenset({A, R, C})),
    Step("billing.reminder", _("Relancer un impayé"), G, frozenset({A, R, C})),
    Step("billing.incident", _("Déclarer un incident de réparation"), G, frozenset({T, R, M})),
    Step("billing.incidents_report", _("Consulter le rapport des incidents"), G, frozenset({R, T, M, C})),
    Step("billing.unpaid", _("Passer un solde en impayé"), K, frozenset({R, C})),
    Step("billing.credit_note", _("Émettre un avoir"), K, frozenset({C, R})),
    Step("billing.money", _("Caisse, remises en banque et exports"), K, frozenset({C, R})),
    Step("billing.bonus", _("Déclarer les bonus réparation"), K, frozenset({C, R})),
    Step("billing.rules", _("Régler la date de début de facturation"), K, frozenset({R, C})),
    Step("billing.journal", _("Lire le journal des écritures"), K, frozenset({C, R})),
    Step("billing.closure", _("Clôturer une période"), K, frozenset({C})),
]
