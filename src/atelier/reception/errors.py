"""Refusals of the reception, with the French message the counter clerk reads."""

from django.utils.translation import gettext_lazy as _

from atelier.core.errors import AtelierError


class QueueEmpty(AtelierError):
    default_message = _("Personne n'attend : la file est vide.")
    status_code = 409


class TicketClosed(AtelierError):
    status_code = 409
