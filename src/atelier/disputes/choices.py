"""Choices of disputes: where a dispute comes from, how it reached the shop, its cause, states and outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisputeSource(models.TextChoices):
    MECONTENTEMENT = "mecontentement", _("Mécontentement")
    RECLAMATION = "reclamation", _("Réclamation")
    FACTURE = "facture", _("Facture contestée")
    COURRIER = "courrier", _("Courrier du client")


class DisputeChannel(models.TextChoices):
    GUICHET = "guichet", _("Guichet")
    TELEPHONE = "telephone", _("Téléphone")
    COURRIER = "courrier", _("Courrier")
    EMAIL = "email", _("E-mail")
    SUIVI = "suivi", _("Page de suivi")


# a complaint made in writing: the one after which the mediator must be proposed (C. consom. L616-2)
WRITTEN_CHANNELS = frozenset({DisputeChannel.COURRIER, DisputeChannel.EMAIL, DisputeChannel.SUIVI})


class DisputeCause(models.TextChoices):
    QUALITE = "qualite", _("Qualité de la réparation")
    PANNE_REVENUE = "panne_revenue", _("Panne revenue après réparation")
    PRIX = "prix", _("Prix, devis ou facture contestés")
    DELAI = "delai", _("Délai")
    DEGAT = "degat", _("Dégât attribué à l'atelier")
    GARANTIE = "garantie", _("Garantie refusée")
    ACCUEIL = "accueil", _("Accueil, comportement")
    AUTRE = "autre", _("Autre")


class DisputeState(models.TextChoices):
    OUVERT = "ouvert", _("Ouvert")
    EN_INSTRUCTION = "en_instruction", _("En instruction")
    PROPOSITION = "proposition", _("Proposition envoyée")
    MEDIATION = "mediation", _("En médiation")
    CONTENTIEUX = "contentieux", _("Contentieux")
    CLOS = "clos", _("Clos")


# states in which the customer still waits for the shop's first written answer (the reply deadline runs)
AWAITING_REPLY = frozenset({DisputeState.OUVERT, DisputeState.EN_INSTRUCTION})
# states of a dispute not settled yet
UNRESOLVED = frozenset(
    {DisputeState.OUVERT, DisputeState.EN_INSTRUCTION, DisputeState.PROPOSITION, DisputeState.MEDIATION}
)


class DisputeOutcome(models.TextChoices):
    ACCORD = "accord", _("Accord amiable")
    GESTE = "geste", _("Geste commercial (avoir)")
    REMBOURSEMENT = "remboursement", _("Remboursement")
    REMPLACEMENT = "remplacement", _("Remplacement")
    REFUS = "refus", _("Refus")
    MEDIATION = "mediation", _("Médiation")
    CONTENTIEUX = "contentieux", _("Contentieux")


# outcomes that cost money or close the door: the SAV manager's (disputes.decide); the others disputes.handle
MANAGER_OUTCOMES = frozenset(
    {
        DisputeOutcome.GESTE,
        DisputeOutcome.REMBOURSEMENT,
        DisputeOutcome.REMPLACEMENT,
        DisputeOutcome.REFUS,
        DisputeOutcome.CONTENTIEUX,
    }
)
MONEY_OUTCOMES = frozenset({DisputeOutcome.GESTE, DisputeOutcome.REMBOURSEMENT})
# outcomes that settle the dispute (state « clos ») and are answered by a letter
FINAL_OUTCOMES = frozenset(
    {
        DisputeOutcome.ACCORD,
        DisputeOutcome.GESTE,
        DisputeOutcome.REMBOURSEMENT,
        DisputeOutcome.REMPLACEMENT,
        DisputeOutcome.REFUS,
    }
)


class LetterKind(models.TextChoices):
    REPONSE = "reponse", _("Réponse")
    PROPOSITION = "proposition", _("Proposition")
    MEDIATION = "mediation", _("Saisine du médiateur")


class EventKind(models.TextChoices):
    OUVERTURE = "ouverture", _("Ouverture")
    INSTRUCTION = "instruction", _("Instruction")
    LETTRE = "lettre", _("Lettre")
    DECISION = "decision", _("Décision")
