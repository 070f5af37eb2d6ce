"""Steps of the second life of appliances (see core.access and docs/permissions.md): the stock keeper and the
technician take appliances in and sort them; the counter records the letters to customers and reserves or sells;
scrapping, counts and the notice period are the stock keeper's and the manager's; the manager does all."""

from django.utils.translation import gettext_lazy as _

from atelier.core.access import Step
from atelier.core.choices import Role

A, T, R, M, C = Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER, Role.COMPTABLE

G = _("Seconde vie des appareils")

STEPS = [
    Step(
        "refurbishment.view",
        _("Consulter le stock d'appareils de seconde vie"),
        G,
        frozenset({A, T, R, M, C}),
    ),
    Step(
        "refurbishment.intake",
        _("Entrer un appareil en stock, ouvrir un lot, changer un appareil d'emplacement"),
        G,
        frozenset({T, R, M}),
    ),
    Step(
        "refurbishment.triage",
        _("Trier un appareil (fonctionnement validé, à réparer, non réparable)"),
        G,
        frozenset({T, R, M}),
    ),
    Step(
        "refurbishment.refurbish",
        _("Reconditionner un appareil (étapes, pièces, effacement des données, grade, prix)"),
        G,
        frozenset({T, R, M}),
    ),
    Step(
        "refurbishment.abandon",
        _("Enregistrer la lettre de mise en demeure d'un appareil non retiré"),
        G,
        frozenset({A, R, M}),
    ),
    Step(
        "refurbishment.sell",
        _("Réserver et vendre un appareil de seconde vie"),
        G,
        frozenset({A, R, M}),
        frozenset({T}),
    ),
    Step("refurbishment.scrap", _("Mettre un appareil au rebut"), G, frozenset({R, M})),
    Step("refurbishment.count", _("Inventorier les appareils"), G, frozenset({R, M})),
    Step("refurbishment.settings", _("Fixer le délai d'abandon du site"), G, frozenset({R})),
    Step(
        "refurbishment.dismantle",
        _("Démonter un appareil non réparable, récupérer ses pièces, le remettre en DEEE"),
        G,
        frozenset({T, R, M}),
    ),
    Step("refurbishment.value", _("Voir ce que la seconde vie rapporte"), G, frozenset({R, M, C})),
]
