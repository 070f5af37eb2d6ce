from django.db import models
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    """Why the customer comes or calls; each reason has its own measured service time."""

    DEPOT = "depot", _("Dépôt d'un appareil")
    RETRAIT = "retrait", _("Retrait d'un appareil")
    DEVIS = "devis", _("Devis")
    RECLAMATION = "reclamation", _("Réclamation")
    RENSEIGNEMENT = "renseignement", _("Renseignement")
    ACHAT = "achat", _("Achat (pièce, accessoire)")


class Channel(models.TextChoices):
    COMPTOIR = "comptoir", _("Au comptoir")
    TELEPHONE = "telephone", _("Au téléphone")


class TicketStatus(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    APPELE = "appele", _("Appelé")
    SERVI = "servi", _("Servi")
    ABSENT = "absent", _("Absent (non présenté)")
    REDIRIGE = "redirige", _("Redirigé")


OPEN_STATUSES = (TicketStatus.EN_ATTENTE, TicketStatus.APPELE)


class Destination(models.TextChoices):
    """Services a ticket or a call can be redirected to."""

    ATELIER = "atelier", _("Atelier")
    STOCK = "stock", _("Stock / magasin")
    RESPONSABLE = "responsable", _("Responsable SAV")
    COMPTABILITE = "comptabilite", _("Comptabilité")
    CONSTRUCTEUR = "constructeur", _("Service technique constructeur")


class TicketEventKind(models.TextChoices):
    PRIS = "pris", _("Ticket pris")
    APPELE = "appele", _("Appelé")
    APPELE_HORS_TOUR = "hors_tour", _("Appelé hors tour")
    SERVI = "servi", _("Servi")
    ABSENT = "absent", _("Absent")
    REDIRIGE = "redirige", _("Redirigé")
    CLIENT = "client", _("Client pris en charge")


class ComplaintCause(models.TextChoices):
    DELAI = "delai", _("Délai / attente")
    PRIX = "prix", _("Prix, devis, facture")
    QUALITE = "qualite", _("Qualité de la réparation")
    ACCUEIL = "accueil", _("Accueil, comportement")
    PIECES = "pieces", _("Pièces indisponibles")
    GARANTIE = "garantie", _("Garantie refusée")
    AUTRE = "autre", _("Autre")
