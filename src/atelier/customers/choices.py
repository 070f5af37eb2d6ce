from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerKind(models.TextChoices):
    PARTICULIER = "particulier", _("Particulier")
    PROFESSIONNEL = "professionnel", _("Professionnel")


class Civility(models.TextChoices):
    NONE = "", _("—")
    MADAME = "Mme", _("Madame")
    MONSIEUR = "M.", _("Monsieur")


class ContactChannel(models.TextChoices):
    TELEPHONE = "telephone", _("Téléphone")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    COURRIER = "courrier", _("Courrier")


class ProductFamily(models.TextChoices):
    LAVE_LINGE = "lave_linge", _("Lave-linge")
    LAVE_VAISSELLE = "lave_vaisselle", _("Lave-vaisselle")
    SECHE_LINGE = "seche_linge", _("Sèche-linge")
    CUISSON = "cuisson", _("Cuisson")
    FROID = "froid", _("Froid")
    PETIT_ELECTROMENAGER = "petit_electromenager", _("Petit électroménager")
    TELEVISEUR = "televiseur", _("Téléviseur")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Vidéo")
    AUTRE = "autre", _("Autre")
