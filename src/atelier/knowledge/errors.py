from django.utils.translation import gettext_lazy as _

from atelier.core.errors import AtelierError


class UnknownErrorCode(AtelierError):
    default_message = _("Code erreur inconnu.")
    status_code = 400
