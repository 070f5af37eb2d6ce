from django.db import models
from django.utils.translation import gettext_lazy as _


class QuoteStatus(models.TextChoices):
    """A draft is edited; once sent it is frozen, then accepted, refused, replaced by a new version or expired."""

    BROUILLON = "brouillon", _("Brouillon")
    ENVOYE = "envoye", _("Envoyé")
    ACCEPTE = "accepte", _("Accepté")
    REFUSE = "refuse", _("Refusé")
    REMPLACE = "remplace", _("Remplacé par une nouvelle version")
    EXPIRE = "expire", _("Expiré")  # sent, not answered before its validity ended (operations: quote_expiry)


class LineKind(models.TextChoices):
    MAIN_OEUVRE = "main_oeuvre", _("Main-d'œuvre")
    PIECE = "piece", _("Pièce")
    DEPLACEMENT = "deplacement", _("Déplacement")
    DIAGNOSTIC = "diagnostic", _("Diagnostic")
    AUTRE = "autre", _("Autre")


class SendChannel(models.TextChoices):
    EMAIL = "email", _("Par e-mail")
    PAPIER = "papier", _("Imprimé et remis")


class Recommendation(models.TextChoices):
    REPARER = "reparer", _("Réparer")
    REPARER_OCCASION = "reparer_occasion", _("Réparer avec une pièce d'occasion")
    DECONSEILLE = "deconseille", _("Réparation déconseillée")


class PartAction(models.TextChoices):
    RESERVEE = "reservee", _("Réservée en stock")
    COMMANDEE = "commandee", _("À commander")


class AcceptanceContext(models.TextChoices):
    """Where the customer accepted the quote: what decides the right of withdrawal (Code de la consommation
    L221-1: a contract concluded off-premises or at a distance carries it, one signed at the shop does not)."""

    COMPTOIR = "comptoir", _("Au magasin ou à l'atelier")
    HORS_ETABLISSEMENT = "hors_etablissement", _("Au domicile du client (hors établissement)")
    DISTANCE = "distance", _("À distance (en ligne, depuis le lien de suivi)")


class ExemptionCheck(models.TextChoices):
    """How Atelier knows a used-part exemption applies: read from the quote or the dossier, or chosen by the
    repairer among the lawful reasons."""

    CHOISIE = "choisie", _("Choisie par le réparateur")
    GRATUITE = "gratuite", _("Constatée : réparation gratuite (devis à 0 €)")
    GARANTIE_LEGALE = "garantie_legale", _("Constatée : dossier pris sous la garantie légale")
