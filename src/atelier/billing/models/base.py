"""What every billing model shares: the money field's size and the written-once base class."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from atelier.core.errors import AtelierError

MONEY = {"max_digits": 12, "decimal_places": 2}


class Immutable(models.Model):
    """Written once, never changed nor deleted through the ORM's instance methods (invoices, journal)."""

    immutable_message = _("Ce document est définitif : il ne peut être ni modifié ni supprimé.")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AtelierError(self.immutable_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AtelierError(self.immutable_message)
