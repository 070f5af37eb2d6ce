"""Domain errors: their message is French, translated, and shown to the user as is."""

from django.utils.translation import gettext_lazy as _


class AtelierError(Exception):
    """Base of every business-rule refusal. Views show `message`; the API answers 400 with it."""

    default_message = _("Opération impossible.")
    status_code = 400

    def __init__(self, message=None, *, field: str | None = None):
        self.message = str(message or self.default_message)
        self.field = field
        super().__init__(self.message)


class PermissionRefused(AtelierError):
    default_message = _("Votre rôle ne permet pas cette opération.")
    status_code = 403


class TransitionRefused(AtelierError):
    default_message = _("Cette étape n'est pas possible depuis l'état actuel du dossier.")
    status_code = 409
