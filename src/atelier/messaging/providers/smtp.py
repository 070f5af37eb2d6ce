"""E-mail through Django's mail machinery: the SMTP server of EMAIL_HOST in production (EMAIL_BACKEND), the
console in development.

The message gets its own Message-ID, kept as the provider's id (bounces and replies quote it). SMTP answers
sort themselves: a 5xx is final (address refused, message rejected), a 4xx, a refused connection or a time-out
may pass later.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.utils.translation import gettext as _

from atelier.messaging.providers.base import Accepted, Outgoing, PermanentFailure, TemporaryFailure


class SmtpProvider:
    name = "smtp"

    def send(self, outgoing: Outgoing) -> Accepted:
        message_id = make_msgid(domain=settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1])
        email = EmailMessage(
            subject=outgoing.subject,
            body=outgoing.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[outgoing.recipient],
            reply_to=[outgoing.reply_to] if outgoing.reply_to else None,
            headers={"Message-ID": message_id},
            connection=get_connection(fail_silently=False),
        )
        for filename, content, content_type in outgoing.attachments:
            email.attach(filename, content, content_type)
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            raise _failure(code, text) from error
        except smtplib.SMTPResponseException as error:  # sender refused, data refused, 421 at connection
            raise _failure(error.smtp_code, error.smtp_error) from error
        except (TimeoutError, smtplib.SMTPException, OSError) as error:  # refused, time-out, disconnected
            raise TemporaryFailure(
                _("Serveur d'e-mail injoignable : %(error)s") % {"error": error or type(error).__name__}
            ) from error
        return Accepted(provider=self.name, provider_id=message_id.strip("<>"))


def _failure(code: int, text) -> Exception:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    reason = _("Le serveur d'e-mail a répondu %(code)s : %(text)s") % {"code": code, "text": text}
    return PermanentFailure(reason) if 500 <= code < 600 else TemporaryFailure(reason)
