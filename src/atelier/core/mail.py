"""Sending e-mail to customers: a mail server that does not answer is a French refusal, never a 500."""

import smtplib

from django.utils.translation import gettext_lazy as _

from atelier.core.errors import AtelierError


class MailNotSent(AtelierError):
    status_code = 503
    default_message = _(
        "L'e-mail n'a pas pu partir : le serveur de messagerie ne répond pas. Réessayez plus tard ou imprimez le "
        "document pour le client."
    )


def send(message) -> None:
    """Send a django.core.mail.EmailMessage; raises MailNotSent (so the caller's transaction is undone)."""
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent() from exc
