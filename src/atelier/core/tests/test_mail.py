"""A mail server that does not answer: a French refusal, the caller's transaction undone, never a 500."""

import pytest
from django.core.mail import EmailMessage
from django.test import override_settings

from atelier.core import mail


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=9
)
def test_an_unreachable_mail_server_is_a_french_refusal():
    with pytest.raises(mail.MailNotSent, match="le serveur de messagerie ne répond pas") as refused:
        mail.send(EmailMessage("Devis", "Bonjour", to=["client@example.fr"]))
    assert refused.value.status_code == 503
    assert refused.value.message == (
        "L'e-mail n'a pas pu partir : le serveur de messagerie ne répond pas. Réessayez plus tard ou imprimez le "
        "document pour le client."
    )


def test_a_message_goes_out_through_the_backend(mailoutbox):
    mail.send(EmailMessage("Devis", "Bonjour", to=["client@example.fr"]))
    assert [m.to for m in mailoutbox] == [["client@example.fr"]]
