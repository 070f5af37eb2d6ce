from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUp(models.TextChoices):
    """The SAV manager's follow-up of a low survey score (none for a good one)."""

    AUCUN = "", _("Aucun")
    A_TRAITER = "a_traiter", _("À traiter")
    EN_COURS = "en_cours", _("En cours")
    TRAITE = "traite", _("Traité")


class ActionStatus(models.TextChoices):
    """An improvement action through the PDCA wheel: proposed and decided (plan), under way and done (do),
    verified on its indicator (check and act), or dropped."""

    PROPOSEE = "proposee", _("Proposée")
    DECIDEE = "decidee", _("Décidée")
    EN_COURS = "en_cours", _("En cours")
    FAITE = "faite", _("Faite")
    VERIFIEE = "verifiee", _("Vérifiée")
    ABANDONNEE = "abandonnee", _("Abandonnée")


# the PDCA phase each status stands for (shown next to it)
PDCA_PHASE = {
    ActionStatus.PROPOSEE: _("Planifier"),
    ActionStatus.DECIDEE: _("Planifier"),
    ActionStatus.EN_COURS: _("Faire"),
    ActionStatus.FAITE: _("Vérifier"),
    ActionStatus.VERIFIEE: _("Agir"),
    ActionStatus.ABANDONNEE: "—",
}
OPEN_ACTION_STATUSES = [
    ActionStatus.PROPOSEE,
    ActionStatus.DECIDEE,
    ActionStatus.EN_COURS,
    ActionStatus.FAITE,
]


class Indicator(models.TextChoices):
    """The indicators an action names (improvement.indicators computes each; the definitions are there)."""

    TAUX_RETOUR = "taux_retour", _("Taux de retour SAV (%)")
    TAUX_NON_REPARABLE = "taux_non_reparable", _("Taux de non-réparables (%)")
    DELAI_MOYEN = "delai_moyen", _("Délai moyen reçu → clôturé (jours)")
    NPS = "nps", _("NPS (recommandation)")
    SATISFACTION = "satisfaction", _("Clients satisfaits (% de 4 et 5 sur 5)")
