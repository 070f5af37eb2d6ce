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


class ConsentField(models.TextChoices):
    """The consents a customer gives or withdraws (docs/personal-data.md: service messages vs marketing)."""

    CONTACT = "consent_contact", _("Messages de suivi de la réparation")
    MARKETING = "consent_marketing", _("Offres commerciales")
    PREFERRED_CONTACT = "preferred_contact", _("Canal préféré")


class ConsentSource(models.TextChoices):
    """Where a consent change came from."""

    GUICHET = "guichet", _("Guichet")
    TELEPHONE = "telephone", _("Téléphone")
    PAGE_SUIVI = "page_suivi", _("Page de suivi")
    IMPORT = "import", _("Import")
    API = "api", _("API")
    ADMIN = "admin", _("Paramètres (admin)")
    ANONYMISATION = "anonymisation", _("Anonymisation")


class PrivacyActionKind(models.TextChoices):
    """What the register of personal-data actions records."""

    EXPORT = "export", _("Export des données")
    ERASURE = "effacement", _("Effacement à la demande")
    RETENTION = "conservation", _("Anonymisation (durée de conservation)")
    KEEP = "report", _("Conservation prolongée")


class RequestChannel(models.TextChoices):
    """How the person made their request (right of access, erasure)."""

    GUICHET = "guichet", _("Au guichet")
    TELEPHONE = "telephone", _("Par téléphone")
    COURRIER = "courrier", _("Par courrier")
    EMAIL = "email", _("Par e-mail")
    AUTRE = "autre", _("Autre")
