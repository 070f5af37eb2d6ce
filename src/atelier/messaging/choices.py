from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Direction(models.TextChoices):
    OUT = "out", _("Envoyé au client")
    IN = "in", _("Reçu du client")


class Category(models.TextChoices):
    """Service messages concern the customer's own repair (contract: no opt-in needed, but the channel must be
    one the customer gave); marketing needs the customer's opt-in (consent)."""

    SERVICE = "service", _("Service (suivi de la réparation)")
    MARKETING = "marketing", _("Commercial")


class Purpose(models.TextChoices):
    QUOTE = "quote", _("Devis")
    VISIT_WINDOW = "visit_window", _("Créneau de visite")
    VISIT_REMINDER = "visit_reminder", _("Rappel de visite")
    READY = "ready", _("Appareil prêt")
    TRACKING = "tracking", _("Lien de suivi")
    ADVICE = "advice", _("Conseils d'utilisation")
    PAYMENT_REMINDER = "payment_reminder", _("Relance de paiement")
    SURVEY = "survey", _("Enquête de satisfaction")
    CLAIM_REPLY = "claim_reply", _("Réponse à une réclamation")
    REPLY = "reply", _("Réponse de l'atelier")
    INBOUND = "inbound", _("Message du client")
    OTHER = "other", _("Autre")


class State(models.TextChoices):
    QUEUED = "queued", _("En file")
    SENDING = "sending", _("Envoi en cours")
    SENT = "sent", _("Envoyé")
    DELIVERED = "delivered", _("Distribué")
    FAILED = "failed", _("Échec")
    REFUSED = "refused", _("Non envoyé")  # consent or channel check: never queued
    RECEIVED = "received", _("Reçu")  # an inbound message
