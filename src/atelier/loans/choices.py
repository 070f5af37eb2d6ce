from django.db import models
from django.utils.translation import gettext_lazy as _


class LoanCondition(models.TextChoices):
    NEUF = "neuf", _("Comme neuf")
    BON = "bon", _("Bon état")
    USAGE = "usage", _("Traces d'usage")
    HORS_SERVICE = "hors_service", _("Hors service (à réparer)")


class Handover(models.TextChoices):
    MAGASIN = "magasin", _("Retiré / rapporté au magasin")
    LIVRAISON = "livraison", _("Livré / repris à domicile")
