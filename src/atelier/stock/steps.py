"""Steps of the stock (see core.access)."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Stock")

STEPS = [
    Step("stock.view", _("Consulter le stock"), G, frozenset({M, R, T, C, A})),
    Step("stock.manage", _("Gérer le catalogue, les commandes et les mouvements"), G, frozenset({M, R})),
    Step("stock.consume", _("Sortir et retourner des pièces, transférer"), G, frozenset({M, R, T})),
    Step("stock.reserve", _("Réserver des pièces pour un ordre"), G, frozenset({M, R, T, A})),
    Step("stock.inventory", _("Consulter les inventaires"), G, frozenset({M, R, C})),
    Step("stock.export", _("Exporter le catalogue et les stocks"), G, frozenset({M, R, C})),
]
