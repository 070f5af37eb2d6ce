from django.db import models
from django.utils.translation import gettext_lazy as _


class PartCondition(models.TextChoices):
    """New, or from the circular economy (Code de la consommation L224-109: reconditionnée, d'occasion)."""

    NEUF = "neuf", _("Neuve")
    RECONDITIONNE = "reconditionne", _("Reconditionnée")
    OCCASION = "occasion", _("D'occasion")


class PartKind(models.TextChoices):
    """Kinds of parts; the used-part obligation names the kinds it covers (quotes.UsedPartCoverage)."""

    ELECTRONIQUE = "electronique", _("Carte électronique / module")
    MOTEUR = "moteur", _("Moteur / compresseur / pompe")
    MECANIQUE = "mecanique", _("Pièce mécanique (roulement, courroie, charnière)")
    CARROSSERIE = "carrosserie", _("Carrosserie / habillage / porte")
    ECRAN = "ecran", _("Écran / dalle")
    CHAUFFAGE = "chauffage", _("Résistance / thermostat / sonde")
    CONSOMMABLE = "consommable", _("Consommable (filtre, joint, fusible)")
    AUTRE = "autre", _("Autre")


class Availability(models.TextChoices):
    EN_STOCK = "en_stock", _("En stock")
    A_COMMANDER = "a_commander", _("À commander")
    INDISPONIBLE = "indisponible", _("Indisponible")


class PartStatus(models.TextChoices):
    """A new reference is checked against its description by a second person before it can be used."""

    A_VALIDER = "a_valider", _("À valider")
    VALIDEE = "validee", _("Validée")
    REFUSEE = "refusee", _("Refusée")


class UsedGrade(models.TextChoices):
    """Grade of a used part (d'occasion): how it looks and was tested."""

    A = "A", _("A – très bon état, testée")
    B = "B", _("B – traces d'usage, testée")
    C = "C", _("C – fonctionnelle, aspect dégradé")


class LocationKind(models.TextChoices):
    ETAGERE = "etagere", _("Étagère / rayonnage")
    VEHICULE = "vehicule", _("Véhicule du technicien")


class MoveKind(models.TextChoices):
    """Every entry and exit of the ledger; on-hand quantities are the sum of these, never typed."""

    RECEPTION = "reception", _("Réception fournisseur")
    CONSOMMATION = "consommation", _("Consommation sur dossier")
    RETOUR = "retour", _("Retour")
    TRANSFERT = "transfert", _("Transfert")
    DEMONTAGE = "demontage", _("Démontage")
    INVENTAIRE = "inventaire", _("Inventaire")
    REBUT = "rebut", _("Mise au rebut")


class ReservationStatus(models.TextChoices):
    ACTIVE = "active", _("Réservée")
    CONSOMMEE = "consommee", _("Consommée")
    ANNULEE = "annulee", _("Annulée")


class SupplierOrderStatus(models.TextChoices):
    COMMANDEE = "commandee", _("Commandée")
    PARTIELLE = "partielle", _("Reçue en partie")
    RECUE = "recue", _("Reçue")
    ANNULEE = "annulee", _("Annulée")


class InventoryStatus(models.TextChoices):
    EN_COURS = "en_cours", _("En cours de comptage")
    VALIDE = "valide", _("Validé")


class ImportKind(models.TextChoices):
    """What an import or an export file holds."""

    CATALOGUE = "catalogue", _("Catalogue des pièces")
    STOCK = "stock", _("Stock (quantités comptées)")


class SupplierReturnState(models.TextChoices):
    """A defective new part sent back to its supplier under the supplier's warranty (issue 18 point 3)."""

    A_ENVOYER = "a_envoyer", _("À envoyer")
    ENVOYEE = "envoyee", _("Envoyée")
    AVOIR_RECU = "avoir_recu", _("Avoir reçu")
    REFUSEE = "refusee", _("Refusée")
